"""argmap import: read a map from Argdown, AIF/xAIF, SADFace or arg-microtexts."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ORDER = 55

FORMATS_HELP = "argdown, argdown-json, aif, xaif, sadface, microtexts"


def import_(
    file: Path = typer.Argument(..., metavar="FILE", help="The foreign file to import ('-' for standard input)."),
    from_: Optional[str] = typer.Option(
        None,
        "--from",
        "-f",
        metavar="FORMAT",
        help=f"Input format ({FORMATS_HELP}); detected from the suffix and content when absent.",
    ),
    output: Optional[Path] = typer.Option(
        None,
        "-o",
        "--output",
        metavar="MAP",
        help="Write the map here (YAML, or JSON for a .json name) instead of standard output. "
        "The source text, when the input carries one, is written beside it as MAP's name with .txt.",
    ),
    inline_source: bool = typer.Option(
        False, "--inline-source", help="Keep the source text inside the map (source.text) even with -o."
    ),
    force: bool = typer.Option(
        False, "--force", help="Overwrite -o (and its .txt) even when it is not an argmap map / holds other text."
    ),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Do not print the import summary on standard error."),
):
    """Import FILE into an argmap map (YAML on standard output unless -o is given).

    The format is detected from the suffix (.argdown, .xml) and the content (AIF,
    xAIF, SADFace and Argdown JSON are told apart by their keys). A summary on
    standard error says what was mapped how, with counts: kinds inferred where
    the source gives none (the root claim becomes the thesis), constructs with no
    exact counterpart (argument titles, preferences, dialogue structure), and
    quotes found in the source text. Exit codes: 0 imported; 1 the file is broken
    or not the format named; 2 unreadable input or a usage error.

    Examples:

      argmap import debate.argdown -o debate.yaml

      argmap import nodeset6361.json --from aif -o micro.yaml

      argmap import micro_b001.xml > micro_b001.yaml
    """
    from argmap.map.errors import UsageError
    from argmap.formats import IMPORTERS, detect, resolve
    from argmap.formats.base import ForeignInvalid
    from argmap.io.files import read_text
    from argmap.io.writing import atomic_write, dumps

    name = str(file)
    text = read_text(file, what="file")
    if from_ is not None:
        fmt = from_.lower()
        if fmt not in IMPORTERS:
            raise UsageError(f"unknown import format {from_!r}; choose one of: {', '.join(IMPORTERS)}.")
    else:
        fmt = detect(name, text)
        if fmt == "argmap":
            raise UsageError(f"{name} is already an argmap map; there is nothing to import (see 'argmap fmt').")
        if fmt == "json?":
            from argmap.formats.jsonio import load_json

            load_json(text, name, "a document argmap imports")
            fmt = None
        if fmt is None:
            if text.lstrip().startswith(("{", "[")):
                raise ForeignInvalid(
                    f"{name}: JSON, but not a format argmap imports (AIF, xAIF, SADFace, Argdown JSON); "
                    "name one with --from to see what is missing."
                )
            if Path(name).suffix.lower() in (".txt", ".text", ".md"):
                raise UsageError(
                    f"{name} looks like a plain-text article, not a map format argmap imports; to draft a map "
                    f"from an article, run 'argmap extract {name}' (or name a format with --from)."
                )
            raise UsageError(
                f"cannot tell the format of {name}; name it with --from ({FORMATS_HELP}), or, for a plain-text "
                "article, draft a map with 'argmap extract'."
            )
    if output is not None and str(output) != "-":
        _check_target(output, force, file)
    result = resolve(IMPORTERS[fmt])(Path(name) if name != "-" else Path("-"), text)
    amap = result.map
    if output is None or str(output) == "-":
        typer.echo(dumps(amap, "yaml"), nl=False)
    else:
        out_fmt = "json" if output.suffix.lower() == ".json" else "yaml"
        if amap.source is not None and amap.source.text is not None and not inline_source:
            text_file = output.with_suffix(".txt")
            source_text = amap.source.text
            _check_text_target(text_file, source_text, force)
            amap.source.path = text_file.name
            amap.source.text = None
            if not (text_file.exists() and text_file.read_bytes() == source_text.encode("utf-8")):
                atomic_write(text_file, source_text)
        atomic_write(output, dumps(amap, out_fmt))
    if not quiet:
        n_rel = sum(len(n.supports) + len(n.attacks) + len(n.undercuts) for n in amap.nodes)
        where = f" → {output}" if output is not None and str(output) != "-" else ""
        typer.echo(f"imported {name} ({fmt}){where}: {len(amap.nodes)} nodes, {n_rel} relations", err=True)
        body = result.summary.render()
        if body:
            typer.echo(body, err=True)


def _check_target(output: Path, force: bool, source: Path) -> None:
    from argmap.map.errors import UsageError

    if str(source) != "-" and output.exists() and source.exists():
        try:
            if output.resolve() == source.resolve():
                raise UsageError(f"refusing to write the map over its own input {output}; choose another -o.")
        except OSError:
            pass
    if force or not output.exists():
        return
    if output.is_dir():
        raise UsageError(f"{output} is a directory; give a file name to -o.")
    if not _is_argmap_map(output):
        raise UsageError(f"refusing to overwrite {output}: it is not an argmap map (use --force to replace it).")


def _is_argmap_map(path: Path) -> bool:
    from argmap.io.files import has_map_key, read_text
    from argmap.map.errors import ArgmapError

    if not path.is_file():  # a device or FIFO (/dev/zero) would never end
        return False
    try:
        return has_map_key(read_text(path, what="file"))  # bounded by the size limit
    except (ArgmapError, OSError):
        return False


def _check_text_target(path: Path, text: str, force: bool) -> None:
    from argmap.map.errors import UsageError

    if not path.exists() or force:
        return
    try:
        wanted = text.encode("utf-8")
        # compare sizes first: never read a device or a huge file to the end
        same = path.is_file() and path.stat().st_size == len(wanted) and path.read_bytes() == wanted
    except OSError:
        same = False
    if not same:
        raise UsageError(
            f"refusing to overwrite {path}, which holds other text; use --inline-source to keep the source "
            "text inside the map, or --force to replace the file."
        )


def register(app, wrap):
    app.command("import")(wrap(import_))
