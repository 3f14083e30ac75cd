"""The canonical layout of maps: what ``argmap fmt`` writes (see docs/diff-fmt.md).

The layout, in one place:

* fields in the documented order (``FIELD_ORDERS`` in :mod:`argmap.map.model`);
  null and empty optional fields are dropped;
* node order is kept (it is the author's reading order);
* ``supports``, ``attacks``, ``undercuts`` and linked ``with`` lists are sorted
  by target id in natural order (``c2`` before ``c10``), stably;
* lists of ids and short labels in flow style (``supports: [a, b]``); a
  relation list that holds a linked relation in block style;
* strings plain where YAML allows it and argmap's loader reads them back as
  the same string, otherwise double-quoted (never single-quoted); ``quote``
  always double-quoted; text with line breaks as a literal block (``|``);
* long text folded at :data:`WIDTH` columns; indent 2, list items indented 2
  under their key;
* comments kept (ruamel.yaml round trip); a comment between fields travels
  with the field above it; comments after the last field of a mapping stay
  at its end.

:func:`canonical_yaml` lays out plain data (used by every writer of new
maps); :func:`format_text` reformats an existing map's text, keeping its
comments, and proves before returning that the result loads to the same map.
"""

from __future__ import annotations

import copy
import io
import re
from dataclasses import dataclass
from typing import Any

WIDTH = 88
RELATION_FIELDS = ("supports", "attacks", "undercuts")
FLOW_LISTS = ("supports", "attacks", "undercuts", "tags", "ignore", "with", "cues")

_DIGITS = re.compile(r"(\d+)")


def natural_key(value: str) -> tuple:
    """``claim-2`` before ``claim-10``: digit runs compare as numbers."""
    return tuple((0, int(p), p) if p.isdigit() else (1, 0, p) for p in _DIGITS.split(value) if p)


def relation_key(entry: Any) -> tuple:
    target = entry.get("to", "") if isinstance(entry, dict) else entry
    return natural_key(str(target))


def _sort_order(items: list, key) -> list[int]:
    return sorted(range(len(items)), key=lambda i: key(items[i]))


# --------------------------------------------------------------------------- plain data


def normalize_data(data: dict) -> dict:
    """Canonical plain data: a copy of ``map_to_data`` output with relations sorted."""
    out = _copy_plain(data)
    for node in out.get("nodes", []) or []:
        if not isinstance(node, dict):
            continue
        for key in RELATION_FIELDS:
            rels = node.get(key)
            if isinstance(rels, list):
                for rel in rels:
                    if isinstance(rel, dict) and isinstance(rel.get("with"), list):
                        rel["with"] = sorted(rel["with"], key=natural_key)
                node[key] = sorted(rels, key=relation_key)
    return out


def _copy_plain(value: Any) -> Any:
    """``copy.deepcopy`` for plain data (dicts, lists, str, numbers), many times faster."""
    cls = value.__class__
    if cls is dict:
        return {k: _copy_plain(v) for k, v in value.items()}
    if cls is list:
        return [_copy_plain(v) for v in value]
    if cls is str or cls is int or cls is float or cls is bool or value is None:
        return value
    return copy.deepcopy(value)


def canonical_map_data(amap) -> dict:
    """The canonical plain data of a validated map."""
    from argmap.map.model import map_to_data

    return normalize_data(map_to_data(amap))


# --------------------------------------------------------------------------- YAML emitting

_resolvers: list = []


def _plain_reads_as_str(value: str) -> bool:
    """Whether ``value`` unquoted reads back as a string in argmap's loader *and* in
    plain YAML 1.1 readers (PyYAML's ``safe_load``: ``yes``, ``on``, dates), so
    maps stay portable to other tools."""
    import yaml

    if not _resolvers:
        from argmap.io.yamlload import _PositionLoader

        class _ArgmapResolver(yaml.resolver.Resolver):
            yaml_implicit_resolvers = _PositionLoader.yaml_implicit_resolvers

        _resolvers.extend([_ArgmapResolver(), yaml.resolver.Resolver()])
    return all(r.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str" for r in _resolvers)


_pyyaml_emitter: list = []


def _plain_safe(value: str, flow: bool) -> bool:
    """Plain style only where PyYAML's analysis agrees with ruamel's (a second opinion:
    ruamel 0.19 writes ``[?#]`` in flow context, which no reader accepts) and the
    value reads back as a string."""
    import yaml

    if not _pyyaml_emitter:
        _pyyaml_emitter.append(yaml.emitter.Emitter(io.StringIO(), allow_unicode=True))
    analysis = _pyyaml_emitter[0].analyze_scalar(value)
    allowed = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    return allowed and not analysis.multiline and _plain_reads_as_str(value)


_yaml_instance = None


def _fold_span(text: str, start: int, pos: int) -> int:
    """Columns the pending text takes up to the end of the next word (and a closing quote)."""
    found = text.find(" ", pos + 1)
    return len(text) + 1 - start if found < 0 else found - start


def _fold_needs_backslash(text: str, start: int, end: int) -> bool:
    """Whether a double-quoted line folded at ``end`` must end in ``\\`` (ruamel's rule),
    shared by the ruamel emitter below and :mod:`argmap.io.yamlemit`."""
    try:
        space_pos = text.index(" ", end)
        try:
            space_pos = text.index("\n", end, space_pos)
        except (ValueError, IndexError):
            pass
        if text[space_pos] == "\n" and text[space_pos + 1] != " ":
            return True
        return not (
            '"' not in text[end:space_pos]
            and "'" not in text[end:space_pos]
            and text[space_pos + 1] not in " \n"
            and text[end - 1 : end + 1] != "  "
            and start != end
        )
    except (ValueError, IndexError):
        return True


def _make_emitter():
    from ruamel.yaml.emitter import Emitter

    class CanonicalEmitter(Emitter):
        """Plain where safe for both YAML readers, else double quotes; never single quotes.

        ``write_double_quoted`` is ruamel.yaml 0.19's (MIT licence) with one change:
        it breaks a line *before* the word that would pass the width (ruamel
        breaks after it), as its plain-scalar writer already does, so quoted and
        plain text fold at the same column.
        """

        def choose_scalar_style(self):
            style = super().choose_scalar_style()
            if style == "'":
                return '"'
            if style == "" and self._is_str() and not _plain_safe(self.event.value, bool(self.flow_level)):
                return '"'
            return style

        def _is_str(self) -> bool:
            tag = getattr(self.event, "ctag", None) or self.event.tag
            return tag is None or str(getattr(tag, "tag", tag)).endswith(":str")

        def write_double_quoted(self, text, split=True):
            if self.root_context and self.requested_indent is not None:
                self.write_line_break()
                if self.requested_indent != 0:
                    self.write_indent()
            self.write_indicator('"', True)
            start = end = 0
            while end <= len(text):
                ch = None
                if end < len(text):
                    ch = text[end]
                if (
                    ch is None
                    or ch in '"\\\x85\u2028\u2029\ufeff'
                    or not (
                        "\x20" <= ch <= "\x7e"
                        or (
                            self.allow_unicode
                            and ("\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd" or "\U00010000" <= ch <= "\U0010ffff")
                        )
                    )
                ):
                    if start < end:
                        data = text[start:end]
                        self.column += len(data)
                        self.stream.write(data)
                        start = end
                    if ch is not None:
                        if ch in self.ESCAPE_REPLACEMENTS:
                            data = "\\" + self.ESCAPE_REPLACEMENTS[ch]
                        elif ch <= "\xff":
                            data = "\\x%02X" % ord(ch)
                        elif ch <= "\uffff":
                            data = "\\u%04X" % ord(ch)
                        else:
                            data = "\\U%08X" % ord(ch)
                        self.column += len(data)
                        self.stream.write(data)
                        start = end + 1
                if (
                    0 < end < len(text) - 1
                    and (ch == " " or start >= end)
                    and self.column + _fold_span(text, start, end) > self.best_width
                    and split
                ):
                    need_backslash = _fold_needs_backslash(text, start, end)
                    data = text[start:end] + ("\\" if need_backslash else "")
                    if start < end:
                        start = end
                    self.column += len(data)
                    self.stream.write(data)
                    self.write_indent()
                    self.whitespace = False
                    self.indention = False
                    if text[start] == " ":
                        if not need_backslash:
                            start += 1  # the line break loads as this space
                        data = "\\" if need_backslash else ""
                        self.column += len(data)
                        self.stream.write(data)
                end += 1
            self.write_indicator('"', False)

    return CanonicalEmitter


def _make_representer():
    from ruamel.yaml.representer import RoundTripRepresenter

    class CanonicalRepresenter(RoundTripRepresenter):
        """ruamel's, except that a float in exponent form gets a point (``1.0e-05``):
        YAML 1.1 readers, argmap's loader among them, read ``1e-05`` as text."""

    def represent_float(rep, value):
        text = repr(value)
        if "e" in text and "." not in text and "n" not in text:
            return rep.represent_scalar("tag:yaml.org,2002:float", text.replace("e", ".0e", 1))
        return RoundTripRepresenter.represent_float(rep, value)

    CanonicalRepresenter.add_representer(float, represent_float)
    return CanonicalRepresenter


def _yaml():
    """The configured ruamel.yaml round-trip instance (built once)."""
    global _yaml_instance
    if _yaml_instance is not None:
        return _yaml_instance
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Emitter = _make_emitter()
    y.Representer = _make_representer()
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    y.preserve_quotes = False
    _yaml_instance = y
    return y


def _styled(key: str | None, value: Any) -> Any:
    """A scalar carrying its canonical style for ruamel."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        PlainScalarString,
    )

    if isinstance(value, bool) or not isinstance(value, str):
        return value
    if "\n" in value and _literal_ok(value):
        return LiteralScalarString(value)
    if key == "quote" or "\n" in value or not _plain_ok(value):
        return DoubleQuotedScalarString(value)
    return PlainScalarString(value)


# YAML also breaks lines at NEL, LS and PS: a literal block would turn them into \n
_LITERAL_BAD = re.compile(
    r"[ \t]\n|[ \t]$|\r|\x85|\u2028|\u2029|\ufeff|[^\n\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _literal_ok(value: str) -> bool:
    """A literal block keeps the text exactly only without trailing blanks and specials."""
    return not _LITERAL_BAD.search(value) and not value.startswith((" ", "\t")) and value.strip("\n") != ""


def _plain_ok(value: str) -> bool:
    """Plain folding turns any run of blanks at a fold into one space: only single spaces."""
    return "  " not in value and "\t" not in value and value == value.strip()


def _flow_fits(key: str, value: list, col: int) -> bool:
    """Whether ``key: [a, b]`` fits on one line at column ``col``."""
    width = col + len(key) + 4 + sum(len(str(v)) + 2 for v in value)
    width += sum(2 for v in value if isinstance(v, str) and not _plain_reads_as_str(v))
    return width <= WIDTH


def _is_flow_list(key: str | None, value: list, col: int) -> bool:
    return (
        key in FLOW_LISTS
        and all(isinstance(v, str) for v in value)
        and _flow_fits(key, value, col)
    )


def _item_key(key: str | None) -> str | None:
    """The key that decides the style of a list's items."""
    return key if key in ("supports", "attacks") else None


def _child_col(value: Any, col: int) -> int:
    """Column of a value's own keys (dict) or of its key (others), given its key's column."""
    return col + 2 if isinstance(value, dict) else col


def _fresh(key: str | None, value: Any, col: int = 0) -> Any:
    """Canonical ruamel tree for plain data (no comments).

    ``col``: for a mapping, the column of its keys; for a list, the column of
    the key that holds it.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = _fresh(k, v, _child_col(v, col))
        return m
    if isinstance(value, list):
        s = CommentedSeq(_fresh(_item_key(key), v, col + 4) for v in value)
        if _is_flow_list(key, value, col):
            s.fa.set_flow_style()
        else:
            s.fa.set_block_style()
        return s
    return _styled(key, value)


_TRAILING_WS = re.compile(r"[ \t]+$", re.M)


def _emit(tree: Any) -> str:
    buf = io.StringIO()
    _yaml().dump(tree, buf)
    # ruamel leaves a blank at the end of folded plain lines; literal blocks never
    # hold trailing blanks (see _literal_ok), so stripping them is meaning-free
    text = _TRAILING_WS.sub("", buf.getvalue())
    return text.rstrip("\n") + "\n"


def canonical_yaml(data: Any) -> str:
    """Plain map data (``map_to_data`` output) → YAML text in the canonical layout.

    Written by :mod:`argmap.io.yamlemit` (fast, byte for byte what the ruamel path
    writes); where it meets something it does not lay out with certainty, the
    whole document goes through :func:`_canonical_yaml_ruamel`.
    """
    from argmap.io import yamlemit
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        view = _sorted_view(data)
        if view is not None:
            try:
                return yamlemit.emit(view)
            except yamlemit.Unsupported:
                pass
        data = normalize_data(data)
    try:
        return yamlemit.emit(data)
    except yamlemit.Unsupported:
        return _emit(_fresh(None, data))


def _sorted_view(data: dict) -> dict | None:
    """What :func:`normalize_data` returns, for reading only: new containers where the
    relations are sorted, everything else shared with ``data`` (no copy). None where
    the data is not the plain shape :func:`normalize_data` expects."""
    nodes = []
    for node in data["nodes"]:
        if node.__class__ is not dict:
            return None
        changed = None
        for key in RELATION_FIELDS:
            rels = node.get(key)
            if rels is None:
                continue
            if rels.__class__ is not list:
                return None
            if len(rels) > 1 or (rels and rels[0].__class__ is dict):
                new = []
                for rel in rels:
                    if rel.__class__ is dict:
                        with_ = rel.get("with")
                        if isinstance(with_, list):
                            rel = dict(rel)
                            rel["with"] = sorted(with_, key=natural_key)
                    new.append(rel)
                if changed is None:
                    changed = dict(node)
                changed[key] = sorted(new, key=relation_key)
        nodes.append(node if changed is None else changed)
    out = dict(data)
    out["nodes"] = nodes
    return out


def _canonical_yaml_ruamel(data: Any) -> str:
    """The reference layout of plain data: a ruamel.yaml tree through argmap's emitter."""
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        data = normalize_data(data)
    return _emit(_fresh(None, data))


# --------------------------------------------------------------------------- comment-keeping merge


def _slot(container, index):
    """(comment list, position) where the end-of-entry comment of ``index`` lives."""
    from ruamel.yaml.comments import CommentedMap

    items = container.ca.items
    if isinstance(container, CommentedMap):
        return items, 2
    return items, 0


def _last_scalar_entry(container):
    """Walk to the innermost last block entry: (container, key) holding trailing comments."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    while True:
        if not len(container):
            return None
        key = list(container.keys())[-1] if isinstance(container, CommentedMap) else len(container) - 1
        value = container[key]
        items, pos = _slot(container, key)
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
            for token in end:
                if token is None:
                    continue
                mark = getattr(token, "start_mark", None)
                indent = " " * (mark.column if mark is not None and token.value.startswith("#") else 0)
                out.append(indent + token.value)
            c.ca.end = []
    return "".join(out)


def _take_trailing(container) -> str | None:
    """Remove and return the full-line comments after the last entry of ``container``."""
    ends = _take_end_comments(container)
    rest = _take_slot_trailing(container)
    return ((rest or "") + ends) or None


def _take_slot_trailing(container) -> str | None:
    found = _last_scalar_entry(container)
    if found is None:
        return None
    owner, key = found
    items, pos = _slot(owner, key)
    entry = items.get(key)
    if not entry or entry[pos] is None:
        return None
    token = entry[pos]
    value = token.value
    cut = value.find("\n")
    if cut < 0 or cut == len(value) - 1:
        return None
    rest = value[cut + 1 :]
    token.value = value[: cut + 1]
    if token.value == "\n":
        entry[pos] = None
    return rest


def _put_trailing(container, rest: str | None) -> None:
    if not rest:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    found = _last_scalar_entry(container)
    if found is None:
        return
    owner, key = found
    items, pos = _slot(owner, key)
    entry = items.setdefault(key, [None, None, None, None])
    if entry[pos] is None:
        entry[pos] = CommentToken("\n" + rest, CommentMark(0), None)
    else:
        entry[pos].value = entry[pos].value.rstrip("\n") + "\n" + rest


def _merge(key: str | None, old: Any, new: Any, col: int = 0) -> Any:
    """Put the canonical value ``new`` into the round-trip value ``old``, keeping comments.

    ``col`` as in :func:`_fresh`.
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
            child = _child_col(v, col)
            _set(old, k, _merge(k, old[k], v, child) if k in old else _fresh(k, v, child))
        for k in _field_order([*new, *kept]):
            old.move_to_end(k)
        old.fa.set_block_style()
        _put_trailing(old, trailing)
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq) and len(old) == len(new):
        if key in RELATION_FIELDS or key == "with":
            _permute(old, _sort_order(list(old), _rt_relation_key))
        for i, v in enumerate(new):
            item = old[i]
            merged = _merge(_item_key(key), item, v, col + 4)
            if isinstance(item, CommentedMap) and not isinstance(merged, CommentedMap):
                _move_item_comments(item, old, i)  # {to: c1}  # why  →  c1  # why
            list.__setitem__(old, i, merged)
        if _is_flow_list(key, new, col) and not _has_inner_comments(old):
            old.fa.set_flow_style()
        else:
            old.fa.set_block_style()
        return old
    return _fresh(key, new, col)


def _move_item_comments(mapping, seq, index: int) -> None:
    """Comments inside a mapping item that becomes a scalar go to the item's line."""
    tokens = [entry[2] for entry in mapping.ca.items.values() if len(entry) > 2 and entry[2] is not None]
    if not tokens:
        return
    entry = seq.ca.items.setdefault(index, [None, None, None, None])
    if entry[0] is None:
        entry[0] = tokens[0]
        tokens = tokens[1:]
    for token in tokens:
        entry[0].value = entry[0].value.rstrip("\n") + "\n" + token.value.lstrip("\n")


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


def _rt_relation_key(entry: Any) -> tuple:
    if isinstance(entry, dict):
        return natural_key(str(entry.get("to", "")))
    return natural_key(str(entry))


def _permute(seq, order: list[int]) -> None:
    if order == list(range(len(order))):
        return
    items = list(seq)
    comments = dict(seq.ca.items)
    seq.ca.items.clear()
    for new_index, old_index in enumerate(order):
        list.__setitem__(seq, new_index, items[old_index])
        if old_index in comments:
            seq.ca.items[new_index] = comments[old_index]


def _has_inner_comments(seq) -> bool:
    if getattr(seq.ca, "end", None):
        return True
    return any(any(c is not None for c in entry) for entry in seq.ca.items.values())


# --------------------------------------------------------------------------- formatting a file


@dataclass
class Formatted:
    """The result of formatting one map's text."""

    text: str
    changed: bool
    fmt: str  # "yaml" or "json"


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
    try:
        again = load_text(text, name=loaded.name, fmt=loaded.fmt)
    except MapInvalid as exc:
        raise MeaningChanged(
            f"{loaded.name}: the formatted text would not load ({exc.message}); left untouched "
            "(this is a bug, please report it)"
        ) from None
    if canonical_map_data(again.map) != canon:
        raise MeaningChanged(f"{loaded.name}: formatting would change the map; left untouched (this is a bug, please report it)")
    return Formatted(text, text != loaded.text, loaded.fmt)


_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


def _format_yaml_text(text: str, canon: dict, name: str, *, fast: bool = True) -> str:
    from ruamel.yaml.comments import CommentedMap

    if fast and "#" not in text and not _BLANK_LINE.search(text.strip()):
        # nothing for the round trip to keep (ruamel's pure-Python reader is the slow
        # part): lay the map out afresh; the property tests hold both paths equal
        return canonical_yaml(canon)
    try:
        tree = _yaml().load(text.replace("\r\n", "\n"))  # comments must not keep a \r
    except Exception as exc:  # ruamel refuses something PyYAML read: never drop comments silently
        raise MeaningChanged(
            f"{name}: the round-trip YAML reader cannot read this map ({type(exc).__name__}), so its comments "
            "cannot be kept; left untouched"
        ) from None
    if not isinstance(tree, CommentedMap):
        return canonical_yaml(canon)
    return _emit(_merge(None, tree, canon, 0))


def format_text(text: str, *, name: str = "<string>", fmt: str | None = None) -> Formatted:
    """Load ``text`` as a map (raises MapInvalid) and return its canonical text."""
    from argmap.io.loading import load_text

    return format_loaded(load_text(text, name=name, fmt=fmt))
