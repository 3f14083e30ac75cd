"""The careful YAML loader: data plus a line and column for every key, value and item.

PyYAML's C loader (pure-Python fallback) with a constructor subclass that
records positions, refuses aliases and anchors (the format needs none; this
closes "billion laughs" bombs), duplicate keys and tags other than plain data,
and reads ``yes``/``no``/``on`` and dates as strings. :mod:`argmap.io.loading`
uses it when :mod:`argmap.io.yamlfast` cannot promise the same result, and to
work out positions when a diagnostic needs one; it is a module of its own so
that PyYAML is imported only then.
"""

from __future__ import annotations

import re
from typing import Any

from argmap.map.diagnostics import SYNTAX_ERROR, YAML_ALIAS, Diagnostic, Severity
from argmap.map.errors import MapInvalid
from argmap.io.loading import _offset_mark, _one_line


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
    """Safe loader that records marks, refuses aliases, duplicate keys and unusual tags.

    Every value a constructor cannot build (``!!int abc``, a huge integer,
    ``!!map`` on a scalar...) becomes a ``ConstructorError`` with a position,
    never a stray ``ValueError``.
    """

    yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
        for k, v in _BaseLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream):
        super().__init__(stream)
        self.marks: dict[int, dict] = {}

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _AliasRefused(node.start_mark)
        if node.tag not in _ALLOWED_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, f"the tag {_short_tag(node.tag)} is not allowed in maps (remove it)", node.start_mark
            )
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
            why = " (too many digits)" if "digits" in str(exc) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read this value as {_short_tag(node.tag)}{why}", node.start_mark
            ) from None

    def _mapping(self, node):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a mapping, but found {node.id}", node.start_mark
            )
        data: dict = {}
        yield data
        rec: dict = {"__self__": (node.start_mark.line + 1, node.start_mark.column + 1)}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise _AliasRefused(key_node.start_mark)
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark, "found an unhashable key", key_node.start_mark
                ) from None
            if key in data:
                raise _DuplicateKey(key, key_node.start_mark, rec[key][0])
            data[key] = self.construct_object(value_node, deep=False)
            rec[key] = (
                (key_node.start_mark.line + 1, key_node.start_mark.column + 1),
                (value_node.start_mark.line + 1, value_node.start_mark.column + 1),
            )
        self.marks[id(data)] = rec

    def _sequence(self, node):
        if not isinstance(node, yaml.SequenceNode):
            raise yaml.constructor.ConstructorError(
                None, None, f"expected a sequence, but found {node.id}", node.start_mark
            )
        data: list = []
        yield data
        data.extend(self.construct_object(child, deep=False) for child in node.value)
        self.marks[id(data)] = {
            "__self__": (node.start_mark.line + 1, node.start_mark.column + 1),
            "__items__": [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value],
        }


_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader._mapping)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader._sequence)
_PositionLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)

_ANCHOR_HINT = re.compile(r"(?:^|[\s\[\{,:?-])[&*][^\s,\[\]\{\}]+", re.M)


def _yaml_load(text: str):
    if not _ANCHOR_HINT.search(text):  # no anchor or alias can be in the text
        try:
            return _fast_yaml_load(text)
        except Exception:  # anything unusual: the careful loader below says what and where
            pass
    return _careful_yaml_load(text)


def _careful_yaml_load(text: str):
    """``_PositionLoader`` on the whole text: (data, marks), or its exact error."""
    loader = _PositionLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.marks


class _Unusual(Exception):
    """The fast loader met something only the careful loader reports well."""


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _fast_yaml_load(text: str):
    """The result of ``_PositionLoader`` for plain documents, several times faster.

    The C parser composes the node tree (tags resolved by the same resolver);
    plain Python loops build the data and the same marks, without the
    constructor's generator machinery. Only the happy path is handled: a
    disallowed tag, a merge or non-scalar key, a duplicate key, a value a
    constructor rejects or a node met twice raises :class:`_Unusual`, and the
    caller reruns the careful loader for its exact message and position.
    tests/test_perf_loading.py checks both give equal data and marks.
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
        work: list = []

        def build(node):
            tag = node.tag
            if tag == _STR_TAG:
                if node.__class__ is not ScalarNode:
                    raise _Unusual
                return node.value
            if tag == _MAP_TAG:
                if node.__class__ is not MappingNode:
                    raise _Unusual
                data: Any = {}
            elif tag == _SEQ_TAG:
                if node.__class__ is not SequenceNode:
                    raise _Unusual
                data = []
            elif tag in _ALLOWED_TAGS and node.__class__ is ScalarNode:
                return constructors[tag](loader, node)
            else:
                raise _Unusual
            if id(node) in seen:
                raise _Unusual
            seen.add(id(node))
            work.append((node, data))
            return data

        result = build(root)
        while work:
            node, data = work.pop()
            m = node.start_mark
            if node.__class__ is MappingNode:
                rec: dict = {"__self__": (m.line + 1, m.column + 1)}
                for key_node, value_node in node.value:
                    if key_node.tag == _MERGE_TAG or key_node.__class__ is not ScalarNode:
                        raise _Unusual
                    key = build(key_node)
                    if key in data:
                        raise _Unusual
                    data[key] = build(value_node)
                    km, vm = key_node.start_mark, value_node.start_mark
                    rec[key] = ((km.line + 1, km.column + 1), (vm.line + 1, vm.column + 1))
                marks[id(data)] = rec
            else:
                items = []
                for child in node.value:
                    data.append(build(child))
                    cm = child.start_mark
                    items.append((cm.line + 1, cm.column + 1))
                marks[id(data)] = {"__self__": (m.line + 1, m.column + 1), "__items__": items}
        return result, marks
    finally:
        loader.dispose()


def _check_anchors(text: str, name: str) -> None:
    """Refuse anchors too (aliases are refused while constructing)."""
    if not _ANCHOR_HINT.search(text):
        return
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
                      _offset_mark(text, exc.position or 0, in_bytes=in_bytes))


def _yaml_diag(name: str, message: str, mark, rule=SYNTAX_ERROR) -> Diagnostic:
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return Diagnostic(rule[0], rule[1], Severity.ERROR, message, name, line, col)



def _unclosed_quote(exc) -> tuple | None:
    """(mark, problem) for a quoted string that is never closed: where the quote
    opened, not the end of the file where PyYAML noticed it; None otherwise."""
    if (exc.context == "while scanning a quoted scalar" and exc.context_mark is not None
            and "end of stream" in str(exc.problem or "")):
        return exc.context_mark, "this quoted string is never closed (the file ends inside it); add the closing quote"
    return None


def parse_careful(text: str, name: str):
    """YAML text → (data, marks) by the careful loader; raises MapInvalid with one diagnostic."""
    try:
        data, marks = _yaml_load(text)
        _check_anchors(text, name)
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
        mark, problem = _unclosed_quote(exc) or (mark, problem)
        d = _yaml_diag(name, f"YAML syntax error: {_one_line(problem)}", mark)
        raise MapInvalid(d.format(), [d]) from None
    except yaml.reader.ReaderError as exc:
        d = _reader_error_diag(text, name, exc)
        raise MapInvalid(d.format(), [d]) from None
    except yaml.YAMLError as exc:
        d = _yaml_diag(name, f"YAML syntax error: {_one_line(str(exc))}", None)
        raise MapInvalid(d.format(), [d]) from None
    except RecursionError:
        d = _yaml_diag(name, "the document is nested too deeply to be a map", None)
        raise MapInvalid(d.format(), [d]) from None
    return data, marks
