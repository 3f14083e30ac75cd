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

Double-quoted strings are written by the one writer both paths share
(:func:`argmap.io.yamlstyle.double_quoted`); ``write_plain`` and
``write_literal`` of the ruamel emitter are restated here for the one context
they meet: a block-mapping value or a block-list item, never a root scalar or
a simple key. tests/test_yaml_emit.py checks that what it writes loads back
to the same map and that ``argmap fmt`` leaves it as it is.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from argmap.io.yamlstyle import (
    WIDTH,
    double_quoted,
    emit_tree,
    finish,
    fold,
    fresh,
    is_flow_list,
    item_key,
    normalize_data,
    string_rule,
)


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
_FAST_FLOW_PLAIN = re.compile(r"[^\W\d_][\w .;!'\"()/%&+=*~$<>@^|\\-]*\Z")

# Certainly not plain (PyYAML's analysis finds an indicator, so argmap's emitter
# double-quotes): a leading indicator, ``: `` or `` #`` inside, a trailing colon.
_BLOCK_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |\Z)|.*(?:: | #|:\Z)", re.S)
_FLOW_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`]|[-?:](?: |\Z)|.*(?:[,?\[\]{}:]| #)", re.S)

_other_cache: dict[tuple[str, str], str] = {}


@functools.cache
def _probe_style(value: str, flow: bool) -> str:
    """ruamel's (argmap's emitter's) choice for a plain candidate: ``""`` or ``'"'``.
    (A flow item is asked in a one-item ``tags`` list, which fits on its line
    wherever the item's own flow list does.)"""
    text = emit_tree(fresh(None, {"tags": [value]} if flow else {"k": value}))
    first = text[len("tags: [" if flow else "k:") :].lstrip(" \n")[:1]
    if first in ("'", "|", ">"):
        raise Unsupported(f"unexpected style {first!r}")
    return '"' if first == '"' else ""


def string_style(key: str | None, value: str, flow: bool) -> str:
    """``""`` plain, ``'"'`` double-quoted or ``"|"`` literal: the layout rules
    (:func:`argmap.io.yamlstyle.string_rule`), then the emitter's say on plain."""
    style = string_rule(key, value)
    if style != "":
        return '"' if flow else style
    if (_FAST_FLOW_PLAIN if flow else _FAST_BLOCK_PLAIN).match(value) and (
        " " in value or value.lower() not in _RESERVED
    ):
        return ""
    if (_FLOW_NOT_PLAIN if flow else _BLOCK_NOT_PLAIN).match(value):
        return '"'
    return _probe_style(value, flow)


# --------------------------------------------------------------------------- scalar writers


def _plain(text: str, col: int, indent: int) -> str:
    """ruamel's write_plain after ``key:`` or ``-`` (``col``: the column after them),
    separating space included. Where ruamel breaks a line after a space, it leaves
    the space at the line end (stripped afterwards): it is left out here."""
    col += 1
    if col + len(text) <= WIDTH:
        return " " + text
    first = text.find(" ")
    if (first if first >= 0 else len(text)) + col > WIDTH and col > indent:
        return "\n" + " " * indent + fold(text, indent, indent)
    return " " + fold(text, col, indent)


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
        return " " + double_quoted(value, col + 1, indent)
    return " " + _literal(value, indent)


# --------------------------------------------------------------------------- structure

_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,40}\Z")


@functools.cache
def _head(col: int, key: Any) -> str:
    """``key:`` indented to ``col``, the key checked to be a plain simple key."""
    if key.__class__ is not str or not _KEY.match(key) or key.lower() in _RESERVED:
        raise Unsupported(f"key {key!r}")
    return " " * col + key + ":"


def _flow(key: str, items: list, col: int) -> str | None:
    """``[a, b]`` where :func:`argmap.io.yamlstyle.is_flow_list` chooses flow style, else None."""
    if not is_flow_list(key, items, col):
        return None
    quoted = (v if string_style(None, v, True) == "" else double_quoted(v, 0, 0, split=False) for v in items)
    text = "[" + ", ".join(quoted) + "]"
    if col + len(key) + 2 + len(text) > WIDTH:
        raise Unsupported("a flow list longer than its line")
    return text


def _mapping(out: list, m: dict, col: int, first: str | None) -> None:
    """A block mapping with keys at ``col``; ``first``: the ``- `` its first key follows, if any."""
    if not m:
        raise Unsupported("an empty mapping")
    indent = col + 2
    for k, v in m.items():
        head = _head(col, k)
        cls = v.__class__
        if first is not None:
            if cls is dict or cls is list:
                raise Unsupported("a list item whose first value is a collection")
            head = first + k + ":"
            first = None
        if cls is str:
            out.append(f"{head}{_scalar(k, v, col + len(k) + 1, indent)}\n")
        elif cls is list:
            if not v:
                raise Unsupported("an empty list")
            flow = _flow(k, v, col)
            if flow is not None:
                out.append(f"{head} {flow}\n")
            else:
                out.append(head + "\n")
                _block_list(out, k, v, col)
        elif cls is dict:
            out.append(head + "\n")
            _mapping(out, v, indent, None)
        else:
            out.append(f"{head}{_other(v)}\n")


def _block_list(out: list, key: str, items: list, col: int) -> None:
    """The items of ``key``'s block list (``key`` at ``col``): dashes at col + 2."""
    dash = " " * (col + 2) + "-"
    ikey = item_key(key)
    for v in items:
        cls = v.__class__
        if cls is dict:
            _mapping(out, v, col + 4, dash + " ")
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
    _mapping(out, data, 0, None)
    return finish("".join(out))


def canonical_yaml(data: Any) -> str:
    """Plain map data (``map_to_data`` output) → YAML text in the canonical layout.

    Written by :func:`emit`; the rare shapes it raises :class:`Unsupported` for
    (empty lists or mappings, lists of lists, unusual keys...) are laid out by
    ruamel.yaml with argmap's emitter (:func:`argmap.io.yamlstyle.fresh`).
    """
    data = normalize_data(data)
    try:
        return emit(data)
    except Unsupported:
        return emit_tree(fresh(None, data))
