"""Editing a map file one review step at a time, keeping its comments.

Each step (accept drafts, change a node's kind, text or target, delete a
node) is made on the map's plain data, and the new text comes from the
comment-keeping editor of :mod:`argmap.io.fmt` (:func:`~argmap.io.fmt.format_loaded`:
ruamel round trip, canonical layout, the result loaded again and compared
before it is returned). A YAML file in the canonical layout (what
``argmap extract`` and ``argmap fmt`` write) therefore changes only where the
step changes it; a file in another layout comes out as ``argmap fmt`` would
write it, comments kept. JSON maps are written as canonical JSON.

Where a step removes a block (a node's ``draft:``, a whole node), the block
is first cut out of the round-trip tree, so that comments on the lines after
it stay where they are; the comment on the ``draft:`` line itself goes with it.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable, Iterable

from argmap.map.diagnostics import did_you_mean
from argmap.map.errors import ArgmapError, MapInvalid, UsageError

RELATIONS = ("supports", "attacks")


class EditRefused(ArgmapError):
    """A step that would leave an invalid map (nothing is written)."""

    exit_code = 1


def drafts(amap) -> list:
    """The draft nodes of a map, lowest confidence first (then in file order)."""
    found = [(n.draft.confidence, i, n) for i, n in enumerate(amap.nodes) if n.draft is not None]
    return [n for _c, _i, n in sorted(found, key=lambda t: (t[0], t[1]))]


def unknown_id(loaded, node_id: str) -> ArgmapError:
    """The error for an id the map does not have, with the closest id."""
    hint = did_you_mean(node_id, [n.id for n in loaded.map.nodes])
    return ArgmapError(f"{loaded.name}: there is no node {node_id!r}{hint}.", exit_code=1)


def _index(loaded, node_id: str) -> int:
    for i, n in enumerate(loaded.map.nodes):
        if n.id == node_id:
            return i
    raise unknown_id(loaded, node_id)


# --------------------------------------------------------------------------- the steps


def accept(loaded, ids: Iterable[str]) -> str:
    """The map's text with the ``draft:`` blocks of ``ids`` removed (a scheme the draft
    proposed stays on its relation, where it is written)."""
    indexes = sorted({_index(loaded, i) for i in ids})
    for i in indexes:
        if loaded.map.nodes[i].draft is None:
            raise UsageError(f"{loaded.name}: {loaded.map.nodes[i].id!r} is not a draft (it has no 'draft:' block).")

    def change(data: dict) -> None:
        for i in indexes:
            del data["nodes"][i]["draft"]

    return _rewrite(loaded, change)


def set_kind(loaded, node_id: str, kind: str) -> str:
    from argmap.map.model import KINDS

    if kind not in KINDS:
        raise UsageError(f"{kind!r} is not a node kind (one of {', '.join(KINDS)}).")
    return _set_field(loaded, node_id, "kind", kind)


def set_text(loaded, node_id: str, text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise UsageError("a node's text cannot be empty.")
    return _set_field(loaded, node_id, "text", text)


def _set_field(loaded, node_id: str, key: str, value: str) -> str:
    i = _index(loaded, node_id)

    def change(data: dict) -> None:
        data["nodes"][i][key] = value

    return _rewrite(loaded, change)


def retarget(loaded, node_id: str, target: str, relation: str | None = None) -> str:
    """Point the node's first ``supports``/``attacks`` relation at ``target``.

    ``relation`` (``supports`` or ``attacks``) also changes which list the
    relation is in; a node without a relation gets one (``attacks`` for an
    objection, else ``supports``). A linked ``with`` or a ``scheme`` stays.
    """
    if relation is not None and relation not in RELATIONS:
        raise UsageError(f"{relation!r} is not a relation (supports or attacks).")
    i = _index(loaded, node_id)
    _index(loaded, target)  # an unknown target: the same "did you mean" error
    if target == node_id:
        raise UsageError(f"{node_id!r} cannot {relation or 'support'} itself.")

    def change(data: dict) -> None:
        node = data["nodes"][i]
        old_kind = next((k for k in RELATIONS if node.get(k)), None)
        if old_kind is None:
            entry: Any = target
            new_kind = relation or ("attacks" if node["kind"] == "objection" else "supports")
        else:
            entry = node[old_kind].pop(0)
            if not node[old_kind]:
                del node[old_kind]
            entry = {**entry, "to": target} if isinstance(entry, dict) else target
            new_kind = relation or old_kind
        rels = node.setdefault(new_kind, [])
        if not any((r.get("to") if isinstance(r, dict) else r) == target for r in rels):
            rels.insert(0, entry)

    return _rewrite(loaded, change)


def delete(loaded, node_id: str) -> str:
    """The map without the node, and without the relations, co-premises and
    undercuts that name it."""
    i = _index(loaded, node_id)

    def change(data: dict) -> None:
        del data["nodes"][i]
        for node in data["nodes"]:
            for key in RELATIONS:
                if key not in node:
                    continue
                kept = []
                for rel in node[key]:
                    if isinstance(rel, dict):
                        if rel.get("to") == node_id:
                            continue
                        if node_id in rel.get("with", ()):
                            rel = {k: v for k, v in rel.items() if k != "with"} | (
                                {"with": [m for m in rel["with"] if m != node_id]}
                                if len(rel["with"]) > 1 else {})
                        if set(rel) == {"to"}:
                            rel = rel["to"]
                    elif rel == node_id:
                        continue
                    kept.append(rel)
                if kept:
                    node[key] = kept
                else:
                    del node[key]
            if "undercuts" in node:
                node["undercuts"] = [u for u in node["undercuts"] if node_id not in u.split("->")]
                if not node["undercuts"]:
                    del node["undercuts"]

    return _rewrite(loaded, change, cut_node=i)


# --------------------------------------------------------------------------- writing


def save(loaded, text: str):
    """Write ``text`` over the map's file atomically; the map loaded from it."""
    from argmap.io.loading import load_text
    from argmap.io.writing import atomic_write

    if loaded.path is None:
        raise UsageError("a map read from standard input cannot be edited in place; give its file.")
    atomic_write(loaded.path, text)
    return load_text(text, name=loaded.name, fmt=loaded.fmt, path=loaded.path)


def _rewrite(loaded, change: Callable[[dict], None], *, cut_node: int | None = None) -> str:
    """New text for ``loaded`` after ``change`` (made on a copy of its plain data)."""
    from argmap.io.fmt import MeaningChanged, format_loaded
    from argmap.map.model import ValidationError, from_data, map_to_data

    data = map_to_data(loaded.map)
    change(data)
    try:
        new_map = from_data(data)
    except ValidationError as exc:
        raise EditRefused(f"{loaded.name}: this change would make the map invalid ({exc}); nothing was written.") from None
    text = loaded.text
    if loaded.fmt == "yaml" and "#" in text:  # comments to keep: cut the blocks out of the round-trip tree
        text = _cut_blocks(text, data["nodes"], cut_node)
    try:
        return format_loaded(dataclasses.replace(loaded, map=new_map, text=text)).text
    except (MeaningChanged, MapInvalid) as exc:
        raise EditRefused(f"{loaded.name}: {exc}; nothing was written.") from None


def _cut_blocks(text: str, new_nodes: list[dict], node: int | None) -> str:
    """``text`` without node ``node`` and without the node fields that ``new_nodes``
    (the nodes after the step) no longer have (a ``draft:`` block, an emptied
    relation list), by the ruamel round trip of :mod:`argmap.io.fmt`; full-line
    comments after a removed block stay where they were. (The comment-keeping
    merge keeps a field that has a comment, so a removed one must go first.)"""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from argmap.io import yamlstyle
    from argmap.io.fmt import MeaningChanged

    try:
        tree = yamlstyle.ruamel_yaml().load(text.replace("\r\n", "\n"))
    except Exception as exc:  # ruamel refuses what PyYAML read: never drop comments silently
        raise MeaningChanged(f"the round-trip YAML reader cannot read this map ({type(exc).__name__}), so its "
                             "comments cannot be kept") from None
    nodes = tree.get("nodes") if isinstance(tree, CommentedMap) else None
    if not isinstance(nodes, CommentedSeq):
        return text
    if node is not None:
        _drop_item(nodes, node)
    if len(nodes) != len(new_nodes):
        return text  # not the shape expected: the merge lays the nodes out afresh
    for item, new in zip(nodes, new_nodes):
        if isinstance(item, CommentedMap):
            for key in [k for k in item if k not in new]:
                _drop_key(item, key)
    return yamlstyle.emit_tree(tree)


def _trailing_comments(value) -> str:
    """The full-line comments after the last line of a round-trip value (which is
    about to be removed), innermost first, as ruamel keeps them."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from argmap.io.fmt import after_first_line, comment_text

    chain = []
    while isinstance(value, (CommentedMap, CommentedSeq)) and len(value):
        chain.append(value)
        key = list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1
        value = value[key]
    if not chain:
        return ""
    inner = chain[-1]
    key = list(inner.keys())[-1] if isinstance(inner, CommentedMap) else len(inner) - 1
    slot = inner.ca.items.get(key) or [None, None, None, None]
    out = after_first_line(slot[2] if isinstance(inner, CommentedMap) else slot[0])
    for c in reversed(chain):
        for token in getattr(c.ca, "end", None) or ():
            if token is not None:
                out += comment_text(token)
    return out


def _drop_key(mapping, key) -> None:
    """Remove ``key`` and its value; the full-line comments that follow it stay."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from argmap.io import fmt

    value = mapping[key]
    rest = fmt.after_first_line((mapping.ca.items.get(key) or [None] * 4)[2])
    rest += _trailing_comments(value)
    keys = list(mapping.keys())
    before = keys[keys.index(key) - 1] if keys.index(key) > 0 else None
    mapping.ca.items.pop(key, None)
    del mapping[key]
    if not rest:
        return
    if before is None or keys[-1] == key:  # the last field went: the comments follow the mapping's new end
        fmt.put_trailing(mapping, rest)
    else:  # an inner field went: the comments follow the field before it
        prev = mapping[before]
        if isinstance(prev, (CommentedMap, CommentedSeq)) and len(prev) and not prev.fa.flow_style():
            fmt.put_trailing(prev, rest)
        else:
            fmt.append_comment(mapping.ca.items.setdefault(before, [None, None, None, None]), rest)


def _drop_item(seq, index: int) -> None:
    """Remove item ``index`` of a block sequence; the full-line comments before and
    after it stay (they come before the next item, or after the previous one)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from argmap.io import fmt

    item = seq[index]
    entry = seq.ca.items.get(index) or [None, None]
    before = "".join(fmt.comment_text(t) for t in entry[1] or ())
    rest = fmt.after_first_line(entry[0])
    rest += _trailing_comments(item)
    del seq[index]  # ruamel moves the comments of the later items up by one
    rest = before + rest
    if not rest:
        return
    if index < len(seq):  # before the item that now takes its place
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        tokens = [CommentToken(line.lstrip() + "\n", CommentMark(len(line) - len(line.lstrip())), None)
                  for line in rest.splitlines()]
        slot = seq.ca.items.setdefault(index, [None, None, None, None])
        slot[1] = tokens + (slot[1] or [])
    else:
        prev = seq[index - 1]
        if isinstance(prev, (CommentedMap, CommentedSeq)) and len(prev):
            fmt.put_trailing(prev, rest)
        else:
            fmt.append_comment(seq.ca.items.setdefault(index - 1, [None, None, None, None]), rest, slot=0)
