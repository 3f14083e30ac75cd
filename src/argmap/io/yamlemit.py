"""The writer of new maps: plain data → YAML text in the canonical layout.

:func:`canonical_yaml` lays out every new map (``argmap import``, ``extract``,
``export``, :func:`argmap.io.writing.dumps`); ``argmap fmt`` edits existing
files with ruamel.yaml instead, to keep their comments (:mod:`argmap.io.fmt`).
Both follow the layout rules of :mod:`argmap.io.yamlstyle`. Building a
ruamel.yaml tree and running its pure-Python emitter costs about a
millisecond per node; this module writes the fixed layout directly, in a few
microseconds per node.

It knows the canonical layout of plain data (dicts, lists, str, int, float,
bool, None): block mappings with indent 2, block lists indented 2 under
their key with items at +4, the flow lists of
:data:`argmap.io.yamlstyle.FLOW_LISTS`, and scalars plain, double-quoted or
literal, folded at :data:`argmap.io.yamlstyle.WIDTH`. Where a choice is not
certain from a few quick rules, it asks argmap's ruamel emitter:

* the style of a string that may be plain (plain or double-quoted) is
  decided by that emitter on a one-field document (cached), unless the
  string is an ordinary word or sentence that both YAML readers read as
  plain text, or holds an indicator that rules plain style out;
* numbers, booleans and nulls are written as that emitter writes them in a
  one-field document (cached);
* anything else (empty lists or mappings, lists of lists, unusual keys,
  non-string list items, a literal block that keeps trailing blank lines, a
  flow list that would not fit on its line) raises :class:`Unsupported`,
  and :func:`canonical_yaml` lays the whole document out with that emitter.

The three scalar writers are the ruamel emitter's ``write_plain``,
``write_literal`` and argmap's ``write_double_quoted``
(:func:`argmap.io.yamlstyle._make_emitter`) restated for the one context they
meet here: a block-mapping value or a block-list item, never a root scalar
or a simple key. tests/test_yaml_emit.py checks that what it writes loads
back to the same map and that ``argmap fmt`` leaves it as it is.
"""

from __future__ import annotations

import re
from typing import Any

from argmap.io.yamlstyle import (
    FLOW_LISTS,
    RELATION_FIELDS,
    WIDTH,
    emit_tree,
    fold_needs_backslash,
    fold_span,
    fresh,
    literal_ok,
    natural_key,
    normalize_data,
    plain_ok,
    plain_reads_as_str,
    relation_key,
)

FLOW_LISTS = frozenset(FLOW_LISTS)


class Unsupported(Exception):
    """The data holds something this writer does not lay out with certainty."""


# --------------------------------------------------------------------------- scalar styles

# Words both YAML readers (argmap's, PyYAML's YAML 1.1 and ruamel's 1.2 resolvers) may
# read as something other than a string, when unquoted and without spaces: booleans and
# nulls. Every other word that starts with a letter is a string to all three.
_RESERVED = frozenset(("yes", "no", "on", "off", "true", "false", "null", "y", "n"))

# A letter, then letters, digits, single spaces and punctuation that is no indicator
# inside a scalar (``:`` ``#`` ``[]{}`` and control or special characters excluded).
# Both emitters' analyses allow such a string plain in block context; in flow context
# ``,`` and ``?`` are flow indicators (PyYAML), so they are left out there.
_FAST_BLOCK_PLAIN = re.compile(r"[^\W\d_][\w .,;!?'\"()/%&+=*~$<>@^|\\-]*\Z")
# the same, as single-spaced words (so argmap.io.yamlstyle._plain_ok holds too)
_FAST_BLOCK_WORDS = re.compile(r"[^\W\d_][\w.,;!?'\"()/%&+=*~$<>@^|\\-]*(?: [\w.,;!?'\"()/%&+=*~$<>@^|\\-]+)*\Z")
_FAST_FLOW_PLAIN = re.compile(r"[^\W\d_][\w .;!'\"()/%&+=*~$<>@^|\\-]*\Z")

# Certainly not plain (PyYAML's analysis finds an indicator, so argmap's emitter
# double-quotes): a leading indicator, ``: `` or `` #`` inside, a trailing colon.
_BLOCK_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |\Z)|.*(?:: | #|:\Z)", re.S)
_FLOW_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |\Z)|.*(?:[,?\[\]{}:]| #)", re.S)

_style_cache: dict[tuple[str, bool], str] = {}
_reads_cache: dict[str, bool] = {}
_other_cache: dict[tuple[str, str], str] = {}


def _probe_style(value: str, flow: bool) -> str:
    """ruamel's (argmap's emitter's) choice for a plain candidate: ``""`` or ``'"'``."""
    key = (value, flow)
    style = _style_cache.get(key)
    if style is None:
        from ruamel.yaml.comments import CommentedMap, CommentedSeq
        from ruamel.yaml.scalarstring import PlainScalarString

        tree = CommentedMap()  # built as argmap.io.yamlstyle.fresh builds it
        if flow:
            seq = CommentedSeq([PlainScalarString(value)])
            seq.fa.set_flow_style()
            tree["k"] = seq
            rest = emit_tree(tree)[len("k: [") :]
        else:
            tree["k"] = PlainScalarString(value)
            rest = emit_tree(tree)[len("k:") :]
        first = rest.lstrip(" \n")[:1]
        if first in ("'", "|", ">"):
            raise Unsupported(f"unexpected style {first!r}")
        style = '"' if first == '"' else ""
        _style_cache[key] = style
    return style


def _plain_style(value: str, flow: bool) -> str:
    """Style of a string ruamel is offered as plain: ``""`` (plain) or ``'"'``."""
    if (_FAST_FLOW_PLAIN if flow else _FAST_BLOCK_PLAIN).match(value) and (
        " " in value or value.lower() not in _RESERVED
    ):
        return ""
    if (_FLOW_NOT_PLAIN if flow else _BLOCK_NOT_PLAIN).match(value):
        return '"'
    return _probe_style(value, flow)


def string_style(key: str | None, value: str, flow: bool) -> str:
    """``""`` plain, ``'"'`` double-quoted or ``"|"`` literal: argmap.io.yamlstyle._styled, then the emitter."""
    if "\n" in value:
        if literal_ok(value):
            return '"' if flow else "|"
        return '"'
    if key == "quote" or not plain_ok(value):
        return '"'
    return _plain_style(value, flow)


def reads_as_str(value: str) -> bool:
    """argmap.io.yamlstyle._plain_reads_as_str, with a shortcut for words and sentences."""
    if _FAST_BLOCK_PLAIN.match(value) and (" " in value or value.lower() not in _RESERVED):
        return True
    found = _reads_cache.get(value)
    if found is None:
        found = _reads_cache[value] = plain_reads_as_str(value)
    return found


# --------------------------------------------------------------------------- scalar writers


def _fold(text: str, col: int, indent: int) -> str:
    """Greedy folding of single-spaced words, ``text[0]`` at column ``col``: a line takes
    words while they end within the width, its first word always; a line break
    stands for the space before the word that did not fit; new lines at ``indent``.

    This is where ruamel's write_plain breaks lines after its first word, and where
    argmap's write_double_quoted breaks them when the text has no escapes, no
    double or edge spaces and no word too long for a line of its own (there the
    closing quote counts as part of the last word).
    """
    n = len(text)
    room = WIDTH - col
    if n <= room:
        return text
    parts = []
    nl = "\n" + " " * indent
    full = WIDTH - indent
    p = 0
    while n - p > room:
        cut = text.rfind(" ", p, p + room + 1)
        if cut < 0:
            cut = text.find(" ", p + 1)
            if cut < 0:
                break
        parts.append(text[p:cut])
        parts.append(nl)
        p = cut + 1
        room = full
    parts.append(text[p:])
    return "".join(parts)


def _plain(text: str, col: int, indent: int) -> str:
    """ruamel's write_plain after ``key:`` or ``-`` (``col``: the column after them),
    separating space included. Where ruamel breaks a line after a space, it leaves
    the space at the line end (stripped afterwards): it is left out here."""
    col += 1
    if col + len(text) <= WIDTH:
        return " " + text
    first = text.find(" ")
    if (first if first >= 0 else len(text)) + col > WIDTH and col > indent:
        return "\n" + " " * indent + _fold(text, indent, indent)
    return " " + _fold(text, col, indent)


# what write_double_quoted escapes: '"\\\x85\u2028\u2029\ufeff' and whatever is outside
# \x20-\x7e, \xa0-\ud7ff, \ue000-\ufffd and \U00010000-\U0010ffff (spelt as the
# complement, which compiles in a fraction of the time)
_DQ_BAD = '\x00-\x1f\x7f-\x9f"\\\\\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff'
_DQ_ESCAPE = re.compile(f"[{_DQ_BAD}]")
_DQ_EVENT = re.compile(f"[ {_DQ_BAD}]")
_escapes: dict = {}
_trailing = [False]  # set when a writer may have left blanks at a line end
_TRAILING_WS = re.compile(r"[ \t]+$", re.M)


def _escape(ch: str) -> str:
    if not _escapes:
        from ruamel.yaml.emitter import Emitter

        _escapes.update(Emitter.ESCAPE_REPLACEMENTS)
    if ch in _escapes:
        return "\\" + _escapes[ch]
    if ch <= "\xff":
        return "\\x%02X" % ord(ch)
    if ch <= "\uffff":
        return "\\u%04X" % ord(ch)
    return "\\U%08X" % ord(ch)


def _double(text: str, col: int, indent: int) -> str:
    """argmap's write_double_quoted (argmap.io.yamlstyle._make_emitter), quotes included.

    ``col`` is the column of the opening quote. Positions where the original loop
    does nothing (an ordinary character inside a run being collected) are skipped.
    """
    n = len(text)
    column = col + 1
    if not _DQ_ESCAPE.search(text):
        if column + n + 1 <= WIDTH:
            return '"' + text + '"'
        if "  " not in text and text[0] != " " and text[-1] != " ":
            if max(map(len, text.split(" "))) + indent + 1 <= WIDTH:
                return '"' + _fold(text + '"', column, indent)
    _trailing[0] = True
    out = ['"']
    nl = "\n" + " " * indent
    start = end = 0
    search = _DQ_EVENT.search
    while end <= n:
        ch = text[end] if end < n else None
        if ch is None or _DQ_ESCAPE.match(ch):
            if start < end:
                data = text[start:end]
                column += len(data)
                out.append(data)
                start = end
            if ch is not None:
                data = _escape(ch)
                column += len(data)
                out.append(data)
                start = end + 1
        if (0 < end < n - 1 and (ch == " " or start >= end)
                and (start < end or column > indent + 1)  # never fold a line that holds nothing yet
                and column + fold_span(text, start, end) > WIDTH):
            need_backslash = fold_needs_backslash(text, start, end)
            data = text[start:end] + ("\\" if need_backslash else "")
            if start < end:
                start = end
            out.append(data)
            out.append(nl)
            column = indent
            if text[start] == " ":
                if not need_backslash:
                    start += 1
                else:
                    out.append("\\")
                    column += 1
        end += 1
        if start < end < n:
            found = search(text, end)
            end = found.start() if found else n
    out.append('"')
    return "".join(out)


def _literal(text: str, indent: int) -> str:
    """ruamel's write_literal after the indicator: the lines, each ending in a line break."""
    if text[-1] == "\n" and (len(text) == 1 or text[-2] == "\n"):
        raise Unsupported("a literal block keeping trailing blank lines (ruamel ends the document with '...')")
    hints = ("2" if text[0] == "\n" else "") + ("" if text[-1] == "\n" else "-")
    pad = " " * indent
    lines = text.split("\n")
    if text[-1] == "\n":
        lines.pop()
    return "|" + hints + "\n" + "\n".join(pad + line if line else "" for line in lines)


def _other(value: Any) -> str:
    """A number, boolean or null as ruamel writes it as a mapping value (with its space)."""
    cls = value.__class__
    if cls is bool:  # ruamel's represent_bool, represent_int, RoundTripRepresenter.represent_none
        return " true" if value else " false"
    if cls is int and -(10**40) < value < 10**40:
        return " " + str(value)
    if value is None:
        return ""
    key = (cls.__name__, repr(value))
    found = _other_cache.get(key)
    if found is None:
        if value.__class__ not in (bool, int, float, type(None)):
            raise Unsupported(f"a {type(value).__name__} value")
        text = emit_tree(fresh(None, {"k": value}))
        if not text.startswith("k:") or text.count("\n") != 1:
            raise Unsupported(f"value {value!r}")
        found = _other_cache[key] = text[2:-1]
    return found


def _scalar(key: str | None, value: str, col: int, indent: int) -> str:
    """A string in block context after ``key:`` or ``-``: ``col`` is the column after them."""
    style = string_style(key, value, False)
    if style == "":
        if not value:
            raise Unsupported("an empty plain scalar")
        return _plain(value, col, indent)
    if style == '"':
        return " " + _double(value, col + 1, indent)
    return " " + _literal(value, indent)


# --------------------------------------------------------------------------- structure

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}\Z")


_good_keys: set = set()


def _check_key(key: Any) -> None:
    if key in _good_keys:
        return
    if key.__class__ is not str or not _KEY.match(key) or key.lower() in _RESERVED:
        raise Unsupported(f"key {key!r}")
    _good_keys.add(key)


def _item_key(key: str) -> str | None:
    return key if key in ("supports", "attacks") else None


_flow_items: dict[str, tuple] = {}


def _flow_item(v: str) -> tuple:
    """(text in a flow list, width argmap.io.yamlstyle._flow_fits counts)."""
    found = _flow_items.get(v)
    if found is None:
        extra = 0 if reads_as_str(v) else 2
        style = string_style(None, v, True)
        if style == "":
            text = v
        else:
            # no fold within a line that fits (checked by _flow): escapes only
            text = '"' + _DQ_ESCAPE.sub(lambda m: _escape(m.group()), v) + '"'
        found = _flow_items[v] = (text, len(v) + 2 + extra)
    return found


def _flow(key: str, items: list, col: int) -> str | None:
    """``[a, b]`` when argmap.io.yamlstyle._is_flow_list chooses flow style, else None."""
    if key not in FLOW_LISTS:
        return None
    width = col + len(key) + 4
    parts = []
    for v in items:
        if v.__class__ is not str:
            return None
        text, w = _flow_item(v)
        width += w
        parts.append(text)
    if width > WIDTH:
        return None
    text = "[" + ", ".join(parts) + "]"
    if col + len(key) + 2 + len(text) > WIDTH:
        raise Unsupported("a flow list longer than its line")
    return text


_heads: dict[int, dict[str, str]] = {}


def _head(heads: dict, col: int, key: Any) -> str:
    """``key:`` indented to ``col`` (the key checked to be a plain simple key)."""
    _check_key(key)
    head = heads[key] = " " * col + key + ":"
    return head


def _mapping(out: list, m: dict, col: int, first: str | None) -> None:
    """A block mapping with keys at ``col``; ``first``: the ``- `` its first key follows, if any."""
    if not m:
        raise Unsupported("an empty mapping")
    append = out.append
    heads = _heads.get(col)
    if heads is None:
        heads = _heads[col] = {}
    match = _FAST_BLOCK_WORDS.match
    indent = col + 2
    for k, v in m.items():
        head = heads.get(k) or _head(heads, col, k)
        cls = v.__class__
        if first is not None:
            if cls is dict or cls is list:
                raise Unsupported("a list item whose first value is a collection")
            head = first + head[col:]
            first = None
        if cls is str:
            if k != "quote" and match(v) and (" " in v or v.lower() not in _RESERVED):
                at = col + len(k) + 2  # the column after "key: "
                if at + len(v) <= WIDTH:
                    append(f"{head} {v}\n")
                else:
                    append(f"{head}{_plain(v, at - 1, indent)}\n")
            else:
                append(f"{head}{_scalar(k, v, col + len(k) + 1, indent)}\n")
        elif cls is list:
            if not v:
                raise Unsupported("an empty list")
            flow = _flow(k, v, col)
            if flow is not None:
                append(f"{head} {flow}\n")
            else:
                append(head + "\n")
                _block_list(out, k, v, col)
        elif cls is dict:
            append(head + "\n")
            _mapping(out, v, indent, None)
        else:
            append(f"{head}{_other(v)}\n")


def _block_list(out: list, key: str, items: list, col: int) -> None:
    """The items of ``key``'s block list (``key`` at ``col``): dashes at col + 2."""
    dash = " " * (col + 2) + "-"
    first = dash + " "
    ikey = _item_key(key)
    for v in items:
        cls = v.__class__
        if cls is dict:
            _mapping(out, v, col + 4, first)
        elif cls is str:
            out.append(dash + _scalar(ikey, v, col + 3, col + 4) + "\n")
        else:
            raise Unsupported(f"a {cls.__name__} list item")


def emit(data: Any) -> str:
    """Canonical YAML of plain data already in canonical order (see argmap.io.yamlstyle.fresh);
    raises :class:`Unsupported` where the ruamel path must lay it out."""
    if data.__class__ is not dict:
        raise Unsupported("not a mapping")
    out: list[str] = []
    _trailing[0] = False
    _mapping(out, data, 0, None)
    text = "".join(out)
    if _trailing[0]:  # a line may end in blanks (ruamel's output has them stripped)
        text = _TRAILING_WS.sub("", text)
    if text.endswith("\n") and not text.endswith("\n\n"):
        return text
    return text.rstrip("\n") + "\n"


def canonical_yaml(data: Any) -> str:
    """Plain map data (``map_to_data`` output) → YAML text in the canonical layout.

    Written by :func:`emit`; the rare shapes it raises :class:`Unsupported` for
    (empty lists or mappings, lists of lists, unusual keys...) are laid out by
    ruamel.yaml with argmap's emitter (:func:`argmap.io.yamlstyle.fresh`).
    """
    if isinstance(data, dict) and isinstance(data.get("nodes"), list):
        view = _sorted_view(data)
        if view is not None:
            try:
                return emit(view)
            except Unsupported:
                pass
        data = normalize_data(data)
    try:
        return emit(data)
    except Unsupported:
        return emit_tree(fresh(None, data))


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
