"""argmap review: review the drafts of a map in the terminal, one node at a time."""

from __future__ import annotations

from pathlib import Path

import typer

ORDER = 61


def review(
    map_path: Path = typer.Argument(..., metavar="MAP", help="The map file to review and change in place (YAML or JSON)."),
):
    """Review the draft nodes of MAP in the terminal, lowest confidence first.

    Each draft is shown with its kind, confidence, text and relation, and its
    quote highlighted in the article's paragraph. Keys: a accept (remove its
    'draft:' block), k change the kind, t retarget (change what it supports
    or attacks), e edit the text, d delete (press twice; its relations go
    too), s skip, q (or Ctrl-C) quit. The map is written atomically after every step,
    comments kept, so quitting or Ctrl-C loses nothing already decided.

    Needs an interactive terminal; elsewhere use 'argmap accept'.

    Exit codes: 0 done; 1 the map does not load; 2 no terminal, no draft in the
    map, or the file cannot be read or written.

    Example: 'argmap review maps/x.yaml'.
    """
    import sys

    from argmap.io.loading import load_map
    from argmap.map.errors import UsageError

    if map_path == Path("-"):
        raise UsageError("argmap review changes a map file in place; give its path, not '-'.")
    loaded = load_map(map_path)  # a broken map is reported as such first, terminal or not
    from argmap.review import edit

    if not edit.drafts(loaded.map):
        raise UsageError(f"{loaded.name} has no draft nodes; nothing to review.")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("argmap review needs an interactive terminal; without one, accept drafts with "
                         "'argmap accept MAP ID...', '--min-confidence X' or '--all'.")
    outcome = run_review(loaded)
    typer.echo(summary(outcome, loaded.name), err=True)


def run_review(loaded):
    """Run the terminal review of ``loaded``; what it did."""
    from argmap.io.config import load_config
    from argmap.io.files import resolve_source
    from argmap.review.app import Outcome, ReviewApp

    src = resolve_source(loaded, allow_outside=load_config(start=loaded.base_dir).allow_outside_source)
    app = ReviewApp(loaded, src.text if src is not None and src.ok else None)
    return app.run() or app.outcome or Outcome()


def summary(outcome, name: str) -> str:
    parts = [f"{len(outcome.accepted)} accepted", f"{len(outcome.deleted)} deleted", f"{len(outcome.changed)} changed",
             f"{len(outcome.skipped)} skipped"]
    from argmap.map.diagnostics import plural

    return f"reviewed {name}: {', '.join(parts)}; {plural(outcome.remaining, 'draft')} remain."


def register(app, wrap):
    app.command("review")(wrap(review))
