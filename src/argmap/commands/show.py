"""argmap show: the map as a tree in the terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ORDER = 30


def show(
    map_path: Optional[Path] = typer.Argument(
        None, metavar="[MAP]",
        help="The map (YAML or JSON; '-' for stdin). Default: the map in ./maps when there is exactly one.",
    ),
    quotes: bool = typer.Option(False, "--quotes", "-q", help="Show each node's quote under it, dimmed."),
    node: Optional[str] = typer.Option(
        None, "--node", metavar="ID",
        help="Show the tree under this node (what supports or attacks it), its path up to the thesis, and "
        "what it supports or attacks itself."
    ),
    depth: Optional[int] = typer.Option(
        None, "--depth", metavar="N", min=0, help="Show N levels below the root; deeper parts are counted."
    ),
    kind: Optional[str] = typer.Option(
        None, "--kind", metavar="KIND",
        help="Instead of the tree, a table of the nodes of one kind (thesis, claim, premise, recommendation, "
        "objection): whole ids, actors, and the text with what each node supports or attacks and what "
        "supports or attacks it.",
    ),
    no_check: bool = typer.Option(
        False, "--no-check", help="Do not run 'argmap check' (by default nodes with problems are marked)."
    ),
    width: Optional[int] = typer.Option(
        None, "--width", metavar="COLUMNS", min=20,
        help="Wrap at this width (default: the terminal's, or 80 when piped).",
    ),
):
    """Print MAP as a tree rooted at the thesis.

    Each line shows the node's kind, id and text; '+' marks a reason (supports),
    '−' an objection (attacks), '×' an undercut (attacks the inference from a
    reason), '&' the premises of a linked argument. Recommendations show their
    actor in brackets. A node reached by several paths is shown in full once,
    then as '(↑ see above, under ID)', naming the node it stands under; cycles
    are cut. A node left by 'argmap extract' and not reviewed yet (a draft:
    block) is dimmed, with its confidence: '(draft 0.35)'. Long ids wrap after
    a hyphen, never inside a word. Colours only on a terminal, and never with
    NO_COLOR.

    Examples: 'argmap show maps/x.yaml --quotes', 'argmap show maps/x.yaml
    --node claim-2 --depth 1', 'argmap show maps/x.yaml --kind recommendation'.
    """
    from rich.console import Console

    from argmap.commands import require_node
    from argmap.commands.render import default_map
    from argmap.io.loading import load_map
    from argmap.map.diagnostics import did_you_mean
    from argmap.map.errors import UsageError
    from argmap.map.model import KINDS
    from argmap.views.tree import TreeOptions, build_tree, kind_table

    if kind is not None and kind.lower() not in KINDS:
        hint = did_you_mean(kind.lower(), KINDS, form="; did you mean {!r}?", otherwise=f" (one of {', '.join(KINDS)})")
        raise UsageError(f"--kind: {kind!r} is not a node kind{hint}")
    loaded = load_map(map_path if map_path is not None else default_map())
    amap = loaded.map
    if node is not None:
        require_node(amap, node, loaded.name)
    diagnostics = []
    if not no_check:
        from argmap.checks import run_checks

        diagnostics = run_checks(loaded)
    console = Console(width=width, highlight=False, emoji=False, markup=False, soft_wrap=False)
    if kind is not None:
        console.print(kind_table(amap, kind.lower(), diagnostics))
        return
    console.print(build_tree(amap, TreeOptions(quotes=quotes, depth=depth, node=node, diagnostics=diagnostics)))


def register(app, wrap):
    app.command("show")(wrap(show))
