"""The careful YAML loader: data plus a line and column for every key, value and item.

PyYAML's C loader (pure-Python fallback) with a constructor subclass that
records positions, refuses aliases and anchors (the format needs none; this
closes "billion laughs" bombs), duplicate keys and tags other than plain data,
and reads ``yes``/``no``/``on`` and dates as strings. It is the one YAML
reader of :mod:`argmap.io.loading`, and gives JSON maps their positions when
a diagnostic needs one.
"""

from __future__ import annotations

import re
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
    """``_PositionLoader`` on the whole text: (data, marks), or its exact error."""
    loader = _PositionLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.marks


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
