"""argmap accept: remove the draft markers of reviewed nodes."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

ORDER = 62


def accept(
    map_path: Path = typer.Argument(..., metavar="MAP", help="The map file to change in place (YAML or JSON)."),
    ids: Optional[List[str]] = typer.Argument(None, metavar="[ID]...", help="The draft nodes to accept."),
    all_: bool = typer.Option(False, "--all", help="Accept every draft node."),
    min_confidence: Optional[float] = typer.Option(
        None, "--min-confidence", metavar="X", min=0.0, max=1.0,
        help="Accept the draft nodes whose confidence is X or more (0 to 1).",
    ),
):
    """Accept draft nodes of MAP: remove their 'draft:' blocks.

    Select the nodes by id, with --all, or with --min-confidence X (the three
    add up). A scheme that the draft proposed stays on its relation. The file
    is replaced atomically; comments are kept, and a file in the layout of
    'argmap fmt' (as 'argmap extract' writes it) changes only where the draft
    blocks were. JSON maps are rewritten as canonical JSON. To look at each
    draft first, use 'argmap review MAP'.

    Exit codes: 0 accepted; 1 the map does not load, or an id names no node;
    2 nothing selected, no draft in the map, or the file cannot be read or written.

    Examples: 'argmap accept maps/x.yaml thesis claim-2',
    'argmap accept maps/x.yaml --min-confidence 0.6', 'argmap accept maps/x.yaml --all'.
    """
    from argmap.io.loading import load_map
    from argmap.map.diagnostics import plural
    from argmap.map.errors import UsageError
    from argmap.review import edit

    if map_path == Path("-"):
        raise UsageError("argmap accept changes a map file in place; give its path, not '-'.")
    if not ids and not all_ and min_confidence is None:
        raise UsageError("say which drafts to accept: their ids, --all, or --min-confidence X.")
    loaded = load_map(map_path)
    drafts = edit.drafts(loaded.map)
    if not drafts:
        raise UsageError(f"{loaded.name} has no draft nodes; nothing to accept.")
    chosen: dict[str, None] = {}
    for node_id in ids or ():
        if loaded.map.node(node_id) is None:
            raise edit.unknown_id(loaded, node_id)
        chosen[node_id] = None
    if all_:
        chosen.update((n.id, None) for n in drafts)
    if min_confidence is not None:
        picked = [n.id for n in drafts if n.draft.confidence >= min_confidence]
        if not picked and not chosen:
            highest = max(n.draft.confidence for n in drafts)
            raise UsageError(f"no draft in {loaded.name} has confidence {min_confidence:g} or more "
                             f"(the highest is {highest:g}); nothing accepted.")
        chosen.update((i, None) for i in picked)
    text = edit.accept(loaded, list(chosen))
    edit.save(loaded, text)
    left = [n for n in drafts if n.id not in chosen]
    tail = "no drafts remain." if not left else (
        f"{plural(len(left), 'draft')} remain{'s' if len(left) == 1 else ''} "
        f"(lowest confidence: {left[0].id!r}, {left[0].draft.confidence:g}).")
    typer.echo(f"accepted {plural(len(chosen), 'draft')} in {loaded.name}; {tail}", err=True)


def register(app, wrap):
    app.command("accept")(wrap(accept))
