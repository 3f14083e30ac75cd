"""argmap diff: what an edit did to the argument."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ORDER = 70

FORMATS = ("text", "json", "markdown")


def diff(
    old: Path = typer.Argument(..., metavar="OLD", help="The map before the edit (with --rev: the map to compare)."),
    new: Optional[Path] = typer.Argument(None, metavar="NEW", help="The map after the edit ('-' for standard input)."),
    rev: Optional[str] = typer.Option(
        None,
        "--rev",
        "-r",
        metavar="REV",
        help="Compare MAP as it was at this git revision (a commit, branch or tag, e.g. HEAD or origin/main) "
        "with the working copy.",
    ),
    fmt: str = typer.Option(
        "text",
        "--format",
        "-f",
        metavar="text|json|markdown",
        help="Output: text (for terminals), json (documented, stable schema) or markdown (a pull-request comment).",
    ),
    checks: bool = typer.Option(
        True, "--checks/--no-checks", help="Compare the 'argmap check' results too (problems introduced and fixed)."
    ),
    config_path: Optional[Path] = typer.Option(
        None, "--config", metavar="FILE", help="Configuration for the checks (default: the nearest argmap.toml or pyproject.toml)."
    ),
):
    """Show what changed in the argument between two maps.

    Compares the loaded maps, so layout, comments, the order of nodes and of
    relation lists never count. Reports nodes added, removed, renamed (same
    quote or near-identical text under a new id) and changed (every field of
    the format: kind, text, quote, actor, answers, tags, note, ignore, draft);
    relations added, removed and changed (scheme, roles); title and source
    changes; and the problems 'argmap check' finds that the
    edit introduced or fixed.

    Examples: 'argmap diff old.yaml new.yaml', 'argmap diff maps/x.yaml --rev HEAD~1',
    'argmap diff maps/x.yaml --rev origin/main --format markdown'.

    Exit codes (like diff): 0 no argument change; 1 the argument changed;
    2 error (a file cannot be read or does not load, unknown revision, not a
    git repository).
    """
    import json

    from argmap.map.errors import ArgmapError, MapInvalid, UsageError
    from argmap.io.loading import load_map, load_text

    name = fmt.lower()
    if name not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")

    if rev is not None:
        if new is not None:
            raise UsageError("with --rev give one map (compared with its working copy), not two.")
        if str(old) == "-":
            raise UsageError("--rev needs a map file in a git repository, not standard input.")
    elif new is None:
        raise UsageError("give two maps (argmap diff OLD NEW) or one map and --rev REV.")
    if rev is None and str(old) == "-" and str(new) == "-":
        raise UsageError("only one of OLD and NEW can be standard input.")

    def load(loader, *args, **kwargs):
        try:
            return loader(*args, **kwargs)
        except MapInvalid as exc:
            from argmap.commands import report_error

            report_error(exc)
            raise ArgmapError(f"{exc.diagnostics[0].file if exc.diagnostics else args[0]}: does not load as a map; cannot compare.", exit_code=2) from None

    if rev is not None:
        from argmap.diff import read_at_revision

        new_loaded = load(load_map, old)
        text = read_at_revision(old, rev)
        old_loaded = load(load_text, text, name=f"{rev}:{old}", path=old)
    else:
        old_loaded = load(load_map, old)
        new_loaded = load(load_map, new)

    config = None
    if checks:
        from argmap.io.config import load_config

        config = load_config(config_path)

    from argmap.diff import diff_maps, render_markdown, render_text, to_json

    result = diff_maps(old_loaded, new_loaded, checks=checks, config=config)
    if name == "json":
        typer.echo(json.dumps(to_json(result), ensure_ascii=False, indent=2))
    elif name == "markdown":
        typer.echo(render_markdown(result), nl=False)
    else:
        from rich.console import Console

        render_text(result, Console(highlight=False, soft_wrap=True))
    raise typer.Exit(1 if result.has_changes else 0)


def register(app, wrap):
    app.command("diff")(wrap(diff))
