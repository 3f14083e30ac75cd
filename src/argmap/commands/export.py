"""argmap export: write a map in another format."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ORDER = 60


def export(
    map_path: Path = typer.Argument(..., metavar="MAP", help="The map to export (YAML or JSON; '-' for stdin)."),
    to: str = typer.Option(..., "--to", "-t", help="Output format: json, yaml, argdown, aif, xaif, sadface, mermaid, graphml."),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output", help="Write here (atomically) instead of standard output."
    ),
):
    """Export MAP to another format; standard output unless -o is given.

    'argmap export MAP --to json' prints the canonical JSON of a map: the stable
    machine-readable form (fields in the documented order, empty optional fields
    omitted, no positions, UTF-8, 2-space indent).
    """
    from argmap.map.errors import UsageError
    from argmap.formats import EXPORTERS, resolve
    from argmap.io.loading import load_map
    from argmap.io.writing import atomic_write

    name = to.lower()
    if name not in EXPORTERS:
        raise UsageError(f"unknown export format {to!r}; choose one of: {', '.join(sorted(EXPORTERS))}.")
    loaded = load_map(map_path)
    text = resolve(EXPORTERS[name])(loaded)
    notes: list[str] = []
    if isinstance(text, tuple):  # (text, what the format could not carry)
        text, notes = text
    for note in notes:
        typer.echo(f"argmap: note: {note}", err=True)
    if output is None or str(output) == "-":
        typer.echo(text, nl=False)
    else:
        atomic_write(output, text)
        typer.echo(f"wrote {output}", err=True)


def register(app, wrap):
    app.command("export")(wrap(export))
