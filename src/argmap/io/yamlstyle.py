"""The canonical YAML layout of maps, in one place (see docs/diff-fmt.md).

Shared by the two writers: :mod:`argmap.io.yamlemit` writes new maps
(import, extract, export, :func:`argmap.io.writing.dumps`) and
:mod:`argmap.io.fmt` edits existing files with ruamel.yaml, keeping their
comments. Both import this module; it imports neither.

* fields in the documented order (``TOP_ORDER``, ``SOURCE_ORDER``,
  ``NODE_ORDER``, ``RELATION_ORDER``, ``DRAFT_ORDER`` in :mod:`argmap.map.model`);
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
  under their key.

The ruamel.yaml instance configured with argmap's emitter (:func:`emit_tree`,
:func:`fresh`) is here too: ``fmt`` writes through it, and ``yamlemit`` asks
it the few style questions it cannot answer with certainty.
"""

from __future__ import annotations

import functools
import io
import re
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


# --------------------------------------------------------------------------- plain data


def normalize_data(data: Any) -> Any:
    """Canonical plain data: ``data`` (``map_to_data`` output) with relations sorted.

    For reading only: new containers where relations are sorted, everything else
    shared with ``data`` (no copy). Data that is not a mapping with a list of
    nodes is returned as it is.
    """
    nodes = data.get("nodes") if isinstance(data, dict) else None
    if not isinstance(nodes, list):
        return data
    out_nodes = []
    for node in nodes:
        if isinstance(node, dict):
            node = dict(node)
            for key in RELATION_FIELDS:
                rels = node.get(key)
                if isinstance(rels, list):
                    rels = [_with_sorted(rel) for rel in rels]
                    node[key] = sorted(rels, key=relation_key) if len(rels) > 1 else rels
        out_nodes.append(node)
    return {**data, "nodes": out_nodes}


def _with_sorted(rel: Any) -> Any:
    """A linked relation with its ``with`` list sorted (a new mapping)."""
    if isinstance(rel, dict) and isinstance(rel.get("with"), list):
        return {**rel, "with": sorted(rel["with"], key=natural_key)}
    return rel


def canonical_map_data(amap) -> dict:
    """The canonical plain data of a validated map."""
    from argmap.map.model import map_to_data

    return normalize_data(map_to_data(amap))


# --------------------------------------------------------------------------- YAML emitting


@functools.cache
def _resolvers() -> tuple:
    import yaml

    from argmap.io.yamlload import _PositionLoader

    class _ArgmapResolver(yaml.resolver.Resolver):
        yaml_implicit_resolvers = _PositionLoader.yaml_implicit_resolvers

    return _ArgmapResolver(), yaml.resolver.Resolver()


@functools.cache
def plain_reads_as_str(value: str) -> bool:
    """Whether ``value`` unquoted reads back as a string in argmap's loader *and* in
    plain YAML 1.1 readers (PyYAML's ``safe_load``: ``yes``, ``on``, dates), so
    maps stay portable to other tools."""
    import yaml

    return all(r.resolve(yaml.ScalarNode, value, (True, False)) == "tag:yaml.org,2002:str" for r in _resolvers())


@functools.cache
def _pyyaml_emitter():
    import yaml

    return yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)


def _plain_safe(value: str, flow: bool) -> bool:
    """Plain style only where PyYAML's analysis agrees with ruamel's (a second opinion:
    ruamel 0.19 writes ``[?#]`` in flow context, which no reader accepts) and the
    value reads back as a string."""
    analysis = _pyyaml_emitter().analyze_scalar(value)
    allowed = analysis.allow_flow_plain if flow else analysis.allow_block_plain
    return allowed and not analysis.multiline and plain_reads_as_str(value)


# what the double-quoted writer escapes: '"\\\x85\u2028\u2029\ufeff' and whatever is outside
# \x20-\x7e, \xa0-\ud7ff, \ue000-\ufffd and \U00010000-\U0010ffff (ruamel's rule with
# allow_unicode, spelt as the complement, which compiles in a fraction of the time)
_DQ_BAD = '\x00-\x1f\x7f-\x9f"\\\\\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff'
_DQ_ESCAPE = re.compile(f"[{_DQ_BAD}]")
_DQ_EVENT = re.compile(f"[ {_DQ_BAD}]")  # where the writer's loop has something to decide


@functools.cache
def _escape(ch: str) -> str:
    from ruamel.yaml.emitter import Emitter

    if ch in Emitter.ESCAPE_REPLACEMENTS:
        return "\\" + Emitter.ESCAPE_REPLACEMENTS[ch]
    if ch <= "\xff":
        return "\\x%02X" % ord(ch)
    if ch <= "\uffff":
        return "\\u%04X" % ord(ch)
    return "\\U%08X" % ord(ch)


def _fold_needs_backslash(text: str, start: int, end: int) -> bool:
    """Whether a double-quoted line folded at ``end`` must end in ``\\`` (ruamel's rule)."""
    space_pos = text.find(" ", end)
    if space_pos < 0:
        return True
    newline = text.find("\n", end, space_pos)
    if newline >= 0:
        space_pos = newline
    if space_pos + 1 >= len(text) or (text[space_pos] == "\n" and text[space_pos + 1] != " "):
        return True
    return not (
        '"' not in text[end:space_pos]
        and "'" not in text[end:space_pos]
        and text[space_pos + 1] not in " \n"
        and text[end - 1 : end + 1] != "  "
        and start != end
    )


def fold(text: str, col: int, indent: int) -> str:
    """Greedy folding of single-spaced words, ``text[0]`` at column ``col``: a line takes
    words while they end within the width, its first word always; a line break
    stands for the space before the word that did not fit; new lines at ``indent``.

    This is where ruamel's write_plain breaks lines after its first word, and where
    :func:`double_quoted` breaks them when the text has no escapes, no double or
    edge spaces and no word too long for a line of its own (there the closing
    quote counts as part of the last word).
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


def double_quoted(text: str, column: int, indent: int, split: bool = True) -> str:
    """``text`` double-quoted, quotes included, its opening quote at ``column``; each
    line break of the result is a fold, followed by ``indent`` spaces (``split``
    False: never folded, as for a simple key). The one double-quoted writer of
    both emitters.

    It is ruamel.yaml 0.19's ``write_double_quoted`` (MIT licence) with two changes:
    it breaks a line *before* the word that would pass :data:`WIDTH` (ruamel breaks
    after it), as its plain-scalar writer already does, so quoted and plain text
    fold at the same column; and it never breaks a line that holds nothing yet (a
    word longer than the line after an escape was folded twice, and the second fold
    wrote a stray backslash into the text). Positions where ruamel's loop does
    nothing (an ordinary character inside a run being collected) are skipped.
    """
    n = len(text)
    column += 1
    if not _DQ_ESCAPE.search(text):
        if column + n + 1 <= WIDTH:
            return '"' + text + '"'
        if split and "  " not in text and text[:1] != " " and text[-1:] != " ":
            if max(map(len, text.split(" "))) + indent + 1 <= WIDTH:
                return '"' + fold(text + '"', column, indent)
    out = ['"']
    nl = "\n" + " " * indent
    start = end = 0
    while end <= n:
        ch = text[end] if end < n else None
        if ch is None or _DQ_ESCAPE.match(ch):
            if start < end:
                column += end - start
                out.append(text[start:end])
                start = end
            if ch is not None:
                data = _escape(ch)
                column += len(data)
                out.append(data)
                start = end + 1
        if (
            split
            and 0 < end < n - 1
            and (ch == " " or start >= end)
            and (start < end or column > indent + 1)  # never fold a line that holds nothing yet
            and column + _fold_span(text, start, end) > WIDTH
        ):
            need_backslash = _fold_needs_backslash(text, start, end)
            out.append(text[start:end] + ("\\" if need_backslash else "") + nl)
            start = max(start, end)
            column = indent
            if text[start] == " ":
                if not need_backslash:
                    start += 1  # the line break loads as this space
                else:
                    out.append("\\")
                    column += 1
        end += 1
        if start < end < n:
            found = _DQ_EVENT.search(text, end)
            end = found.start() if found else n
    out.append('"')
    return "".join(out)


def _fold_span(text: str, start: int, pos: int) -> int:
    """Columns the pending text takes up to the end of the next word (and a closing quote)."""
    found = text.find(" ", pos + 1)
    return len(text) + 1 - start if found < 0 else found - start


def _make_emitter():
    from ruamel.yaml.emitter import Emitter

    class CanonicalEmitter(Emitter):
        """Plain where safe for both YAML readers, else double quotes (written by
        :func:`double_quoted`); never single quotes."""

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
            quote_at = self.column + (0 if self.whitespace else 1)  # write_indicator's separating space
            indent = self.indent or 0
            first, *rest = double_quoted(text, quote_at, indent, split).split("\n")
            self.write_indicator(first, True)
            for line in rest:
                self.write_indent()
                self.write_indicator(line[indent:], False)

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


@functools.cache
def ruamel_yaml():
    """The configured ruamel.yaml round-trip instance (built once)."""
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.Emitter = _make_emitter()
    y.Representer = _make_representer()
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    y.allow_unicode = True
    y.preserve_quotes = False
    return y


def string_rule(key: str | None, value: str) -> str:
    """A string's style by the layout rules: ``"|"`` literal, ``'"'`` double-quoted,
    or ``""`` plain where the emitter finds that safe (see :func:`_plain_safe`)."""
    if "\n" in value and literal_ok(value):
        return "|"
    if key == "quote" or "\n" in value or not plain_ok(value):
        return '"'
    return ""


def _styled(key: str | None, value: Any) -> Any:
    """A scalar carrying its canonical style for ruamel."""
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        PlainScalarString,
    )

    if not isinstance(value, str):
        return value
    style = {"|": LiteralScalarString, '"': DoubleQuotedScalarString, "": PlainScalarString}
    return style[string_rule(key, value)](value)


# YAML also breaks lines at NEL, LS and PS: a literal block would turn them into \n
_LITERAL_BAD = re.compile(
    r"[ \t]\n|[ \t]$|\r|\x85|\u2028|\u2029|\ufeff|[^\n\t\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def literal_ok(value: str) -> bool:
    """A literal block keeps the text exactly only without trailing blanks and specials."""
    return not _LITERAL_BAD.search(value) and not value.startswith((" ", "\t")) and value.strip("\n") != ""


def plain_ok(value: str) -> bool:
    """Plain folding turns any run of blanks at a fold into one space: only single spaces."""
    return "  " not in value and "\t" not in value and value == value.strip()


def is_flow_list(key: str | None, value: list, col: int) -> bool:
    """Whether ``key: [a, b]`` is written in flow style: a list of ids or short labels
    that fits on one line at column ``col`` (2 more columns for an item that needs quotes)."""
    if key not in FLOW_LISTS or not all(isinstance(v, str) for v in value):
        return False
    width = col + len(key) + 4 + sum(len(v) + (2 if plain_reads_as_str(v) else 4) for v in value)
    return width <= WIDTH


def item_key(key: str | None) -> str | None:
    """The key that decides the style of a list's items."""
    return key if key in ("supports", "attacks") else None


def child_col(value: Any, col: int) -> int:
    """Column of a value's own keys (dict) or of its key (others), given its key's column."""
    return col + 2 if isinstance(value, dict) else col


def fresh(key: str | None, value: Any, col: int = 0) -> Any:
    """Canonical ruamel tree for plain data (no comments).

    ``col``: for a mapping, the column of its keys; for a list, the column of
    the key that holds it.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        m = CommentedMap()
        for k, v in value.items():
            m[k] = fresh(k, v, child_col(v, col))
        return m
    if isinstance(value, list):
        s = CommentedSeq(fresh(item_key(key), v, col + 4) for v in value)
        if is_flow_list(key, value, col):
            s.fa.set_flow_style()
        else:
            s.fa.set_block_style()
        return s
    return _styled(key, value)


_TRAILING_WS = re.compile(r"[ \t]+$", re.M)


def emit_tree(tree: Any) -> str:
    """YAML text of a ruamel tree, written by argmap's emitter."""
    buf = io.StringIO()
    ruamel_yaml().dump(tree, buf)
    return finish(buf.getvalue())


def finish(text: str) -> str:
    """Emitted text without blanks at line ends, ending in one line break. (ruamel
    leaves a blank at the end of folded plain lines; literal blocks never hold
    trailing blanks (see :func:`literal_ok`), so stripping them is meaning-free.)"""
    if " \n" in text or "\t\n" in text:
        text = _TRAILING_WS.sub("", text)
    return text.rstrip("\n") + "\n"
