"""argmap fmt: rewrite maps in the canonical layout (like black or prettier)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

ORDER = 75

def fmt(
    paths: Optional[List[Path]] = typer.Argument(
        None,
        metavar="PATHS",
        help="Map files or folders (searched recursively for *.yaml, *.yml, *.json maps); '-' formats standard input to standard output.",
    ),
    check: bool = typer.Option(
        False, "--check", help="Change nothing; list the files that would change and exit 1 if there are any (for CI and pre-commit)."
    ),
    diff: bool = typer.Option(
        False, "--diff", help="Change nothing; print a unified diff of what formatting would change."
    ),
    only_maps: bool = typer.Option(
        False,
        "--only-maps",
        help="Skip named files that are not argmap maps (no top-level 'argmap' key) instead of reporting them; for hooks that see every YAML file.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Also rewrite maps whose file name does not end in .yaml, .yml or .json."
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", metavar="GLOB",
        help="Leave out files and folders matching this glob (repeatable), in addition to the exclude "
        "of [tool.argmap] / argmap.toml.",
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only errors and the files that would change."),
):
    """Rewrite maps in the canonical layout; keeps comments and node order.

    Canonical layout: fields in the documented order; supports, attacks,
    undercuts and 'with' lists sorted by id; strings plain where YAML allows,
    otherwise double-quoted; 'quote' always double-quoted; long text folded at
    88 columns. JSON maps get the canonical JSON. Formatting never changes the
    map: the result is loaded again and compared before anything is written,
    and files are replaced atomically. A map that does not load is reported and
    left untouched.

    Exit codes: 0 done (or nothing to change); 1 with --check when a file would
    change, or when a map does not load; 2 a path cannot be read.

    Examples: 'argmap fmt maps/', 'argmap fmt --check maps/',
    'argmap fmt --diff maps/x.yaml'.
    """
    import difflib

    from argmap.io.config import load_config
    from argmap.io.files import MAP_SUFFIXES, is_map_text, read_text, walk
    from argmap.io.fmt import MeaningChanged, format_loaded
    from argmap.io.loading import load_text
    from argmap.io.writing import atomic_write
    from argmap.map.diagnostics import plural
    from argmap.map.errors import ArgmapError, MapInvalid, UsageError

    if not paths:
        raise UsageError("give the maps or folders to format, e.g. 'argmap fmt maps/' ('-' for standard input).")

    code = 0
    counts = {"changed": 0, "same": 0, "failed": 0}

    def say(message: str) -> None:
        if not quiet:
            typer.echo(message, err=True)

    def fail(exc: ArgmapError, name: str) -> None:
        nonlocal code
        from argmap.commands import report_error

        counts["failed"] += 1
        code = max(code, report_error(exc))
        if isinstance(exc, MapInvalid):
            typer.echo(f"argmap: {name}: not formatted; the file is left untouched.", err=True)

    excludes = load_config().exclude + tuple(exclude or ())
    targets = [(None if name == "-" else Path(name), name, named)  # (path, name, named explicitly)
               for name, named in walk(paths, exclude=excludes)]

    for path, name, explicit in targets:
        try:
            text = read_text(path if path is not None else "-", what="map")
        except ArgmapError as exc:
            fail(exc, name)
            continue
        if name != "-" and not is_map_text(text, name):
            if explicit and not only_maps:
                counts["failed"] += 1
                code = max(code, 1)
                typer.echo(f"argmap: {name}: not an argmap map (no top-level 'argmap' key); left untouched.", err=True)
            continue
        if path is not None and path.suffix.lower() not in MAP_SUFFIXES and not force:
            fail(
                UsageError(
                    f"{name}: not a map file name (.yaml, .yml or .json); left untouched "
                    "(use --force to format it anyway)."
                ),
                name,
            )
            continue
        try:
            loaded = load_text(text, name=name, path=path)
            result = format_loaded(loaded)
        except ArgmapError as exc:
            fail(exc, name)
            continue
        except MeaningChanged as exc:
            counts["failed"] += 1
            code = max(code, 2)
            typer.echo(f"argmap: {exc}", err=True)
            continue
        if not result.changed:
            counts["same"] += 1
            if path is None and not (check or diff):
                typer.echo(result.text, nl=False)
            continue
        counts["changed"] += 1
        if diff:
            lines = difflib.unified_diff(
                text.splitlines(keepends=True),
                result.text.splitlines(keepends=True),
                fromfile=f"{name} (original)",
                tofile=f"{name} (formatted)",
            )
            sys.stdout.writelines(line if line.endswith("\n") else line + "\n" for line in lines)
        if check or diff:
            if check:
                typer.echo(f"would reformat {name}", err=True)
                code = max(code, 1)
            continue
        if path is None:
            typer.echo(result.text, nl=False)
            continue
        try:
            atomic_write(path.resolve(), result.text)
        except ArgmapError as exc:
            counts["changed"] -= 1
            fail(exc, name)
            continue
        say(f"reformatted {name}")

    if not targets:
        say("no maps found.")
    elif not (len(targets) == 1 and targets[0][0] is None):
        would = "would be " if (check or diff) else ""
        done = {"changed": f"{would}reformatted", "same": f"{would}left unchanged", "failed": "failed"}
        parts = [f"{plural(n, 'file')} {done[key]}" for key, n in counts.items() if n]
        if parts:
            say(", ".join(parts) + ".")
    raise typer.Exit(code)


def register(app, wrap):
    app.command("fmt")(wrap(fmt))
