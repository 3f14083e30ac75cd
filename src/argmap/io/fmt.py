"""``argmap fmt``: reformat an existing map's text in the canonical layout, keeping
its comments (ruamel.yaml round trip; the layout rules are in
:mod:`argmap.io.yamlstyle`).

A comment between fields travels with the field above it; comments after the
last field of a mapping stay at its end. :func:`format_text` proves before
returning that the result loads to the same map.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from argmap.io.yamlemit import canonical_yaml
from argmap.io.yamlstyle import (
    RELATION_FIELDS,
    canonical_map_data,
    child_col,
    emit_tree,
    fresh,
    is_flow_list,
    item_key,
    relation_key,
    ruamel_yaml,
)

# --------------------------------------------------------------------------- comment-keeping merge


def _slot(container):
    """(comment list, position) where the end-of-entry comment of an entry lives."""
    from ruamel.yaml.comments import CommentedMap

    return container.ca.items, 2 if isinstance(container, CommentedMap) else 0


def _last_scalar_entry(container):
    """Walk to the innermost last block entry: (container, key) holding trailing comments."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if not len(container):
            return None
        key = list(container.keys())[-1] if isinstance(container, CommentedMap) else len(container) - 1
        value = container[key]
        items, pos = _slot(container)
        has_own = key in items and items[key][pos] is not None
        if isinstance(value, (CommentedMap, CommentedSeq)) and not value.fa.flow_style() and len(value) and not has_own:
            container = value
            continue
        return container, key


def _take_end_comments(container) -> str:
    """Comments ruamel keeps after the end of the last collections (``ca.end``), removed."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    chain = []
    node = container
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        chain.append(node)
        node = node[list(node.keys())[-1]] if isinstance(node, CommentedMap) else node[-1]
    if isinstance(node, (CommentedMap, CommentedSeq)):
        chain.append(node)
    out = []
    for c in reversed(chain):  # the innermost collection ends first
        end = getattr(c.ca, "end", None)
        if end:
            out.extend(comment_text(token) for token in end if token is not None)
            c.ca.end = []
    return "".join(out)


def comment_text(token) -> str:
    """A full-line comment token as the text it stands for (its column as spaces)."""
    mark = getattr(token, "start_mark", None)
    col = mark.column if mark is not None and token.value.startswith("#") else 0
    return " " * col + token.value


def after_first_line(token) -> str:
    """The full-line comments in a comment token after its end-of-line part."""
    if token is None:
        return ""
    value = token.value
    cut = value.find("\n")
    return value[cut + 1 :] if 0 <= cut < len(value) - 1 else ""


def _take_trailing(container) -> str | None:
    """Remove and return the full-line comments after the last entry of ``container``."""
    ends = _take_end_comments(container)
    found = _last_scalar_entry(container)
    if found is None:
        return ends or None
    owner, key = found
    items, pos = _slot(owner)
    entry = items.get(key)
    token = entry[pos] if entry else None
    rest = after_first_line(token)
    if not rest:
        return ends or None
    token.value = token.value[: -len(rest)]
    if token.value == "\n":
        entry[pos] = None
    return rest + ends


def put_trailing(container, rest: str | None) -> None:
    """Add full-line comments ``rest`` after the last entry of ``container``."""
    found = _last_scalar_entry(container) if rest else None
    if found is not None:
        owner, key = found
        items, pos = _slot(owner)
        append_comment(items.setdefault(key, [None, None, None, None]), rest, pos)


def append_comment(entry: list, rest: str, slot: int = 2) -> None:
    """Add full-line comments ``rest`` after the comment in ``entry[slot]`` (ruamel's comment slots)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        entry[slot].value = entry[slot].value.rstrip("\n") + "\n" + rest


def _merge(key: str | None, old: Any, new: Any, col: int = 0) -> Any:
    """Put the canonical value ``new`` into the round-trip value ``old``, keeping comments.

    ``col`` as in :func:`argmap.io.yamlstyle.fresh`.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(new, dict) and isinstance(old, CommentedMap):
        trailing = _take_trailing(old)
        kept = []
        for k in list(old.keys()):
            if k not in new:
                if _has_comment(old, k):
                    kept.append(k)  # an empty field with a comment stays, so the comment does
                    continue
                old.ca.items.pop(k, None)
                del old[k]
        for k, v in new.items():
            child = child_col(v, col)
            _set(old, k, _merge(k, old[k], v, child) if k in old else fresh(k, v, child))
        for k in _field_order([*new, *kept]):
            old.move_to_end(k)
        old.fa.set_block_style()
        put_trailing(old, trailing)
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq) and len(old) == len(new):
        if key in RELATION_FIELDS or key == "with":
            _permute(old, sorted(range(len(old)), key=lambda i: relation_key(old[i])))
        for i, v in enumerate(new):
            item = old[i]
            merged = _merge(item_key(key), item, v, col + 4)
            if isinstance(item, CommentedMap) and not isinstance(merged, CommentedMap):
                _move_item_comments(item, old, i)  # {to: c1}  # why  →  c1  # why
            list.__setitem__(old, i, merged)
        if is_flow_list(key, new, col) and not _has_inner_comments(old):
            old.fa.set_flow_style()
        else:
            old.fa.set_block_style()
        return old
    return fresh(key, new, col)


def _move_item_comments(mapping, seq, index: int) -> None:
    """Comments inside a mapping item that becomes a scalar go to the item's line."""
    tokens = [entry[2] for entry in mapping.ca.items.values() if len(entry) > 2 and entry[2] is not None]
    if not tokens:
        return
    entry = seq.ca.items.setdefault(index, [None, None, None, None])
    if entry[0] is None:
        entry[0] = tokens.pop(0)
    for token in tokens:
        append_comment(entry, token.value.lstrip("\n"), 0)


def _has_comment(mapping, key) -> bool:
    entry = mapping.ca.items.get(key)
    return bool(entry) and any(c is not None for c in entry)


def _field_order(keys: list) -> list:
    """``keys`` in the documented order of the one field list that holds them all."""
    from argmap.map.model import FIELD_ORDERS

    for order in FIELD_ORDERS:
        if all(k in order for k in keys):
            return sorted(keys, key=order.index)
    return keys


def _set(mapping, key, value) -> None:
    """Assign without ruamel's habit of keeping the previous scalar's style."""
    from collections import OrderedDict

    OrderedDict.__setitem__(mapping, key, value)


def _permute(seq, order: list[int]) -> None:
    """Reorder the items of ``seq``, their comments with them."""
    if order == sorted(order):
        return
    items = list(seq)
    comments = dict(seq.ca.items)
    seq.ca.items.clear()
    for new_index, old_index in enumerate(order):
        list.__setitem__(seq, new_index, items[old_index])
        if old_index in comments:
            seq.ca.items[new_index] = comments[old_index]


def _has_inner_comments(seq) -> bool:
    return bool(getattr(seq.ca, "end", None)) or any(_has_comment(seq, i) for i in seq.ca.items)


# --------------------------------------------------------------------------- formatting a file


@dataclass
class Formatted:
    """The result of formatting one map's text."""

    text: str
    changed: bool


class MeaningChanged(Exception):
    """Internal safety net: the formatted text would not load to the same map (a bug)."""


def format_loaded(loaded) -> Formatted:
    """Canonical text for a loaded map (YAML keeps its comments)."""
    from argmap.map.errors import MapInvalid
    from argmap.io.loading import load_text

    canon = canonical_map_data(loaded.map)
    if loaded.fmt == "json":
        from argmap.io.writing import dumps

        text = dumps(loaded.map, "json")  # exactly what export and every writer of JSON maps write
    else:
        text = _format_yaml_text(loaded.text, canon, loaded.name)
    if text == loaded.text:  # nothing to change: this text was just loaded, to this map
        return Formatted(text, False)
    try:
        again = load_text(text, name=loaded.name, fmt=loaded.fmt)
    except MapInvalid as exc:
        raise MeaningChanged(
            f"{loaded.name}: the formatted text would not load ({exc.message}); left untouched "
            "(this is a bug, please report it)"
        ) from None
    if canonical_map_data(again.map) != canon:
        raise MeaningChanged(f"{loaded.name}: formatting would change the map; left untouched (this is a bug, please report it)")
    return Formatted(text, text != loaded.text)


_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


def _format_yaml_text(text: str, canon: dict, name: str, *, fast: bool = True) -> str:
    from ruamel.yaml.comments import CommentedMap

    laid_out = canonical_yaml(canon)
    if fast:
        if text == laid_out or ("#" not in text and not _BLANK_LINE.search(text.strip())):
            # nothing for the round trip to keep (ruamel's pure-Python reader is the slow part,
            # about 1 ms a node): a file already laid out (the usual case for fmt --check) is
            # left as it is, and one without comments or blank lines is laid out afresh; the
            # property tests hold the round trip to both
            return laid_out
    try:
        tree = ruamel_yaml().load(text.replace("\r\n", "\n"))  # comments must not keep a \r
    except Exception as exc:  # ruamel refuses something PyYAML read: never drop comments silently
        raise MeaningChanged(
            f"{name}: the round-trip YAML reader cannot read this map ({type(exc).__name__}), so its comments "
            "cannot be kept; left untouched"
        ) from None
    if not isinstance(tree, CommentedMap):
        return laid_out
    return emit_tree(_merge(None, tree, canon, 0))


def format_text(text: str, *, name: str = "<string>") -> Formatted:
    """Load ``text`` as a map (raises MapInvalid) and return its canonical text."""
    from argmap.io.loading import load_text

    return format_loaded(load_text(text, name=name))
