"""The YAML reader of maps: data plus a line and column for every key, value and item.

PyYAML's C parser (pure-Python fallback) with argmap's resolver, and a
builder (:func:`_yaml_load`) that records positions and refuses anchors and
aliases (the format needs none; this closes "billion laughs" bombs),
duplicate keys and tags other than plain data; ``yes``/``no``/``on`` and
dates are read as strings. It is the one YAML reader of
:mod:`argmap.io.loading`, and gives JSON maps their positions when a
diagnostic needs one.
"""

from __future__ import annotations

import re
from typing import Any

from argmap.map.diagnostics import SYNTAX_ERROR, YAML_ALIAS, Diagnostic, Severity
from argmap.io.files import offset_mark, one_line
from argmap.map.errors import MapInvalid


try:  # the C loader is built into PyYAML's wheels
    import yaml
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - pure-Python fallback
    import yaml
    from yaml import SafeLoader as _BaseLoader


class _AliasRefused(Exception):
    def __init__(self, mark):
        self.mark = mark


class _DuplicateKey(Exception):
    def __init__(self, key, mark, first):
        self.key, self.mark, self.first = key, mark, first


# The only tags a map may carry (explicitly or implicitly): plain data.
_ALLOWED_TAGS = frozenset(
    "tag:yaml.org,2002:" + t for t in ("map", "seq", "str", "int", "float", "bool", "null")
)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:") :] if tag.startswith("tag:yaml.org,2002:") else tag


class _PositionLoader(_BaseLoader):
    """PyYAML's safe loader with argmap's resolver: ``yes``/``no``/``on`` and dates
    stay strings, only ``true``/``false`` (any case) are booleans."""

    yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
        for k, v in _BaseLoader.yaml_implicit_resolvers.items()
    }


_ANCHOR_HINT = re.compile(r"(?<![^\s\[\{,:?-])[&*][^\s,\[\]\{\}]")  # where an anchor or alias may start
_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

_PositionLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# a plain scalar starting with any other character is a string (no wildcard resolvers)
_PositionLoader._typed_first = frozenset(_PositionLoader.yaml_implicit_resolvers)
assert None not in _PositionLoader._typed_first and not _PositionLoader.yaml_path_resolvers


def _resolve(self, kind, value, implicit, _resolve=_PositionLoader.resolve):
    """PyYAML's resolve, answering the common cases (collections, text) without regexes."""
    if kind is yaml.ScalarNode:
        if not implicit[0] or (value and value[0] not in self._typed_first):
            return _STR_TAG
        return _resolve(self, kind, value, implicit)
    return _MAP_TAG if kind is yaml.MappingNode else _SEQ_TAG


_PositionLoader.resolve = _resolve



def _error(message: str, mark) -> Exception:
    return yaml.constructor.ConstructorError(None, None, message, mark)


def position(nodes: dict, data, step=None, *, key: bool = False) -> tuple[int, int] | None:
    """1-based (line, column) of ``data`` itself (``step`` None), of its item ``step``,
    or of the value (or, with ``key=True``, the key) ``step`` of a mapping; None when
    ``data`` was not read by :func:`_yaml_load`. ``nodes`` is its second result."""
    node = nodes.get(id(data))
    if node is None:
        return None
    mark = node.start_mark
    if step is not None:
        if node.__class__ is yaml.MappingNode:
            for k, (key_node, value_node) in zip(data, node.value):  # same order, one to one
                if k == step:
                    mark = key_node.start_mark if key else value_node.start_mark
                    break
        elif isinstance(step, int) and 0 <= step < len(node.value):
            mark = node.value[step].start_mark
    return mark.line + 1, mark.column + 1


def _yaml_load(text: str):
    """YAML text → (data, nodes): the data, and the node each of its dicts and lists was
    read from (keyed by ``id()``), which :func:`position` turns into lines and columns.

    The C parser composes the node tree (tags resolved by argmap's resolver);
    plain loops build the data and the marks, collections in document order
    (several times faster than PyYAML's generator-based constructor). A
    collection met twice (an alias: a bomb or a loop) and a merge key are
    refused at once, and any other anchor afterwards; tags other than plain
    data, collections as keys and duplicate keys are refused with their
    position, and every value a constructor cannot build (``!!int abc``, a
    huge integer, ``!!map`` on a scalar) becomes a ``ConstructorError`` with
    a position, never a stray ``ValueError``.
    """
    loader = _PositionLoader(text)
    try:
        root = loader.get_single_node()
        marks: dict[int, dict] = {}
        if root is None:
            return None, marks
        constructors = loader.yaml_constructors
        ScalarNode, MappingNode, SequenceNode = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
        seen: set[int] = set()
        found: list = []  # the collections met while building one collection's entries

        def build(node):
            tag = node.tag
            cls = node.__class__
            if tag == _STR_TAG and cls is ScalarNode:
                return node.value
            if tag not in _ALLOWED_TAGS:
                raise _error(f"the tag {_short_tag(tag)} is not allowed in maps (remove it)", node.start_mark)
            if tag == _MAP_TAG:
                if cls is not MappingNode:
                    raise _error(f"expected a mapping, but found {node.id}", node.start_mark)
                data: Any = {}
            elif tag == _SEQ_TAG:
                if cls is not SequenceNode:
                    raise _error(f"expected a sequence, but found {node.id}", node.start_mark)
                data = []
            else:
                try:
                    return constructors[tag](loader, node)
                except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
                    why = " (too many digits)" if "digits" in str(exc) else ""
                    raise _error(f"cannot read this value as {_short_tag(tag)}{why}", node.start_mark) from None
            if id(node) in seen:
                raise _AliasRefused(node.start_mark)
            seen.add(id(node))
            found.append((node, data))
            return data

        result = build(root)
        work = found[::-1]
        while work:
            found.clear()
            node, data = work.pop()
            marks[id(data)] = node
            if node.__class__ is MappingNode:
                for key_node, value_node in node.value:
                    if key_node.tag == _MERGE_TAG:
                        raise _AliasRefused(key_node.start_mark)
                    if key_node.__class__ is not ScalarNode:
                        build(key_node)  # a disallowed tag inside is reported first
                        raise yaml.constructor.ConstructorError(
                            "while constructing a mapping", node.start_mark, "found an unhashable key",
                            key_node.start_mark)
                    key = build(key_node)
                    if key in data:
                        raise _DuplicateKey(key, key_node.start_mark, position(marks, data, key, key=True))
                    data[key] = build(value_node)
            else:
                data.extend([build(child) for child in node.value])
            work.extend(reversed(found))  # the first child collection next: document order
        if _ANCHOR_HINT.search(text):
            _check_anchors(text)
        return result, marks
    finally:
        loader.dispose()


def _check_anchors(text: str) -> None:
    """Refuse the first anchor (an alias needs one, so aliases go too), at its position."""
    for event in yaml.parse(text, Loader=_BaseLoader):
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            m = event.start_mark
            raise _AliasRefused(m)


def _reader_error_diag(text: str, name: str, exc) -> "Diagnostic":
    char = exc.character
    if isinstance(char, int):
        what = f"the character U+{char:04X}"
    elif isinstance(char, bytes) and char:
        what = f"the byte 0x{char[0]:02x}"
    else:
        what = "a character"
    reason = str(exc.reason or "").strip()
    if "control" in reason:
        hint = "control characters are not allowed; remove it or write it as an escape in a double-quoted string"
    else:
        hint = reason or "not allowed in YAML"
    in_bytes = _BaseLoader is not yaml.SafeLoader
    return _yaml_diag(name, f"YAML syntax error: {what} is not allowed here ({hint})",
                      offset_mark(text, exc.position or 0, in_bytes=in_bytes))


def _yaml_diag(name: str, message: str, mark, rule=SYNTAX_ERROR) -> Diagnostic:
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return Diagnostic(rule[0], rule[1], Severity.ERROR, message, name, line, col)



def parse_careful(text: str, name: str):
    """YAML text → (data, marks); raises MapInvalid with one diagnostic."""
    try:
        data, marks = _yaml_load(text)
    except _AliasRefused as exc:
        d = _yaml_diag(name, "YAML anchors and aliases are not allowed in maps (write the value out)", exc.mark, YAML_ALIAS)
        raise MapInvalid(d.format(), [d]) from None
    except _DuplicateKey as exc:
        d = _yaml_diag(
            name, f"duplicate key {exc.key!r} (first on line {exc.first[0]}); keys must be unique", exc.mark
        )
        raise MapInvalid(d.format(), [d]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        d = _yaml_diag(name, f"YAML syntax error: {one_line(problem)}", mark)
        raise MapInvalid(d.format(), [d]) from None
    except yaml.reader.ReaderError as exc:
        d = _reader_error_diag(text, name, exc)
        raise MapInvalid(d.format(), [d]) from None
    except yaml.YAMLError as exc:
        d = _yaml_diag(name, f"YAML syntax error: {one_line(str(exc))}", None)
        raise MapInvalid(d.format(), [d]) from None
    except RecursionError:
        d = _yaml_diag(name, "the document is nested too deeply to be a map", None)
        raise MapInvalid(d.format(), [d]) from None
    return data, marks
