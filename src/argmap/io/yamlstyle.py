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

import copy
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


def plain_reads_as_str(value: str) -> bool:
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
    return allowed and not analysis.multiline and plain_reads_as_str(value)


_yaml_instance = None


def fold_span(text: str, start: int, pos: int) -> int:
    """Columns the pending text takes up to the end of the next word (and a closing quote)."""
    found = text.find(" ", pos + 1)
    return len(text) + 1 - start if found < 0 else found - start


def fold_needs_backslash(text: str, start: int, end: int) -> bool:
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

        ``write_double_quoted`` is ruamel.yaml 0.19's (MIT licence) with two changes:
        it breaks a line *before* the word that would pass the width (ruamel
        breaks after it), as its plain-scalar writer already does, so quoted and
        plain text fold at the same column; and it never breaks a line that holds
        nothing yet (a word longer than the line after an escape was folded twice,
        and the second fold wrote a stray backslash into the text).
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
                    and (start < end or self.column > (self.indent or 0) + 1)  # never fold an empty line (argmap)
                    and self.column + fold_span(text, start, end) > self.best_width
                    and split
                ):
                    need_backslash = fold_needs_backslash(text, start, end)
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


def ruamel_yaml():
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
    if "\n" in value and literal_ok(value):
        return LiteralScalarString(value)
    if key == "quote" or "\n" in value or not plain_ok(value):
        return DoubleQuotedScalarString(value)
    return PlainScalarString(value)


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


def _flow_fits(key: str, value: list, col: int) -> bool:
    """Whether ``key: [a, b]`` fits on one line at column ``col``."""
    width = col + len(key) + 4 + sum(len(str(v)) + 2 for v in value)
    width += sum(2 for v in value if isinstance(v, str) and not plain_reads_as_str(v))
    return width <= WIDTH


def is_flow_list(key: str | None, value: list, col: int) -> bool:
    return (
        key in FLOW_LISTS
        and all(isinstance(v, str) for v in value)
        and _flow_fits(key, value, col)
    )


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
    buf = io.StringIO()
    ruamel_yaml().dump(tree, buf)
    # ruamel leaves a blank at the end of folded plain lines; literal blocks never
    # hold trailing blanks (see literal_ok), so stripping them is meaning-free
    text = _TRAILING_WS.sub("", buf.getvalue())
    return text.rstrip("\n") + "\n"
