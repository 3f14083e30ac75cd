"""The YAML reader of maps: data plus a line and column for every key, value and item.

PyYAML's C parser (pure-Python fallback) with argmap's resolver, and a
builder (:func:`_yaml_load`) that keeps the parser's marks for positions and refuses anchors and
aliases (the format needs none; this closes "billion laughs" bombs),
duplicate keys and tags other than plain data; ``yes``/``no``/``on`` and
dates are read as strings. It is the one YAML reader of
:mod:`argmap.io.loading` (which also asks it where a JSON map repeats a key).
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


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"

# the words that are booleans or null: a plain scalar starting like one (t, f, n, ~: no other
# resolver starts so) is one of them or a string, told apart without the resolvers' regexes
_BOOL_TAG, _NULL_TAG = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null"
_BOOLS = ("true", "True", "TRUE", "false", "False", "FALSE")
_WORDS = {**dict.fromkeys(_BOOLS, _BOOL_TAG), **dict.fromkeys(("null", "Null", "NULL", "~"), _NULL_TAG)}
_WORD_FIRST = frozenset("tTfFnN~")

_PositionLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile("^(?:" + "|".join(_BOOLS) + ")$"), sorted({w[0] for w in _BOOLS})
)
# a plain scalar starting with any other character is a string (no wildcard resolvers); so is
# one holding a space (none of the resolvers left matches one: no timestamps)
_PositionLoader._typed_first = frozenset(k for k, v in _PositionLoader.yaml_implicit_resolvers.items() if v)
assert None not in _PositionLoader._typed_first and not _PositionLoader.yaml_path_resolvers
assert all({tag for tag, _ in _PositionLoader.yaml_implicit_resolvers[c]} <= {_BOOL_TAG, _NULL_TAG}
           for c in _WORD_FIRST)


def _error(message: str, mark) -> Exception:
    return yaml.constructor.ConstructorError(None, None, message, mark)


def position(marks: dict, data, step=None, *, key: bool = False) -> tuple[int, int] | None:
    """1-based (line, column) of ``data`` itself (``step`` None), of its item ``step``,
    or of the value (or, with ``key=True``, the key) ``step`` of a mapping; None when
    ``data`` was not read by :func:`_yaml_load`. ``marks`` is its second result."""
    rec = marks.get(id(data))
    if rec is None:
        return None
    mark, items = rec
    if step is not None:
        if data.__class__ is dict:
            for i, k in enumerate(data):  # same order: a key's mark, then its value's
                if k == step:
                    mark = items[2 * i] if key else items[2 * i + 1]
                    break
        elif isinstance(step, int) and 0 <= step < len(items):
            mark = items[step]
    return mark.line + 1, mark.column + 1


_NO_KEY = object()


def _yaml_load(text: str):
    """YAML text → (data, marks): the data, and for each of its dicts and lists (by
    ``id()``) the parser's marks of it and its entries, which :func:`position` turns
    into lines and columns when a diagnostic asks (a mapping's entries: a key's
    mark, then its value's). libyaml makes the marks for every event anyway;
    keeping them costs about 5% of the read (and 11 MB at 10,000 nodes), where
    reading the text a second time for them, for a map with findings, made a
    whole check 10% slower at 1,000 nodes and 18% at 10,000.

    The C parser reads the events; one loop builds the data and the marks in
    document order (no node tree, several times faster than PyYAML's
    constructor), resolving tags as PyYAML's composer does with argmap's
    resolver. An alias and a merge key are refused where they are met, any
    other anchor at the end; tags other than plain data, collections as keys,
    duplicate keys and a second document are refused with their position,
    and every value a constructor cannot build (``!!int abc``, a huge
    integer) becomes a ``ConstructorError`` with a position, never a stray
    ``ValueError``.
    """
    loader = _PositionLoader(text)
    try:
        get = loader.get_event
        get()  # the stream's start
        event = get()
        marks: dict[int, tuple] = {}
        if event.__class__ is yaml.StreamEndEvent:
            return None, marks
        Scalar, MappingStart, SequenceStart = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
        typed_first, resolve, constructors = loader._typed_first, loader.resolve, loader.yaml_constructors
        anchors: dict[str, Any] = {}
        # the open collection: its data (None at the top), what adds a mark to its entries, the
        # key read and waiting for its value, whether it is a list; the ones around it, stacked
        cur, add_mark, key, is_list = None, None, _NO_KEY, False
        stack: list[tuple] = []
        result = None
        while True:
            event = get()
            cls = event.__class__
            if cls is Scalar:
                tag = event.tag
                if tag is None or tag == "!":
                    value = event.value
                    if not event.implicit[0] or " " in value:
                        tag = _STR_TAG
                    elif value[:1] not in typed_first:  # "" is in it: null
                        tag = _STR_TAG
                    elif value[:1] in _WORD_FIRST:
                        tag = _WORDS.get(value, _STR_TAG)
                    else:
                        tag = resolve(yaml.ScalarNode, value, event.implicit)
                if tag == _STR_TAG:
                    value = event.value
                elif tag == _MERGE_TAG and cur is not None and not is_list and key is _NO_KEY:
                    raise _AliasRefused(event.start_mark)  # a merge key (<<) pulls in an alias
                elif tag not in _ALLOWED_TAGS:
                    raise _error(f"the tag {_short_tag(tag)} is not allowed in maps (remove it)", event.start_mark)
                elif tag == _MAP_TAG or tag == _SEQ_TAG:
                    raise _error(f"expected a {'mapping' if tag == _MAP_TAG else 'sequence'}, but found scalar",
                                 event.start_mark)
                else:
                    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
                    try:
                        value = constructors[tag](loader, node)
                    except (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError) as exc:
                        why = " (too many digits)" if "digits" in str(exc) else ""
                        raise _error(f"cannot read this value as {_short_tag(tag)}{why}", event.start_mark) from None
            elif cls is MappingStart or cls is SequenceStart:
                tag = event.tag
                kind = "mapping" if cls is MappingStart else "sequence"
                if tag is not None and tag != "!":
                    if tag not in _ALLOWED_TAGS:
                        raise _error(f"the tag {_short_tag(tag)} is not allowed in maps (remove it)", event.start_mark)
                    if tag != (_MAP_TAG if cls is MappingStart else _SEQ_TAG):
                        expected = {_MAP_TAG: "a mapping", _SEQ_TAG: "a sequence"}.get(tag, "a scalar node")
                        raise _error(f"expected {expected}, but found {kind}", event.start_mark)
                value = {} if cls is MappingStart else []
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                cur, add_mark, key, is_list = stack.pop()
                continue
            elif cls is yaml.AliasEvent:
                if event.anchor not in anchors:
                    raise yaml.composer.ComposerError(None, None, f"found undefined alias {event.anchor!r}",
                                                      event.start_mark)
                raise _AliasRefused(anchors[event.anchor])
            else:  # the document's end
                break
            if event.anchor is not None:
                anchors.setdefault(event.anchor, event.start_mark)
            if cur is None:
                result = value
            elif is_list:
                cur.append(value)
                add_mark(event.start_mark)
            elif key is _NO_KEY:
                if cls is not Scalar:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping", marks[id(cur)][0], "found an unhashable key", event.start_mark)
                if value in cur:
                    raise _DuplicateKey(value, event.start_mark, position(marks, cur, value, key=True))
                key = value
                add_mark(event.start_mark)
            else:
                cur[key] = value
                add_mark(event.start_mark)
                key = _NO_KEY
            if cls is not Scalar:
                items: list = []
                marks[id(value)] = (event.start_mark, items)
                stack.append((cur, add_mark, key, is_list))
                cur, add_mark, key, is_list = value, items.append, _NO_KEY, cls is SequenceStart
        event = get()
        if event.__class__ is not yaml.StreamEndEvent:
            raise yaml.composer.ComposerError(None, None, "a map is one YAML document, but a second one starts here",
                                              event.start_mark)
        if anchors:
            raise _AliasRefused(min(anchors.values(), key=lambda m: m.index))
        return result, marks
    finally:
        loader.dispose()


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


def _unclosed_quote(exc) -> tuple | None:
    """(mark, problem) for a quoted string that is never closed: where the quote
    opened, not the end of the file where PyYAML noticed it; None otherwise."""
    if (exc.context == "while scanning a quoted scalar" and exc.context_mark is not None
            and "end of stream" in str(exc.problem or "")):
        return exc.context_mark, "this quoted string is never closed (the file ends inside it); add the closing quote"
    return None


def parse_careful(text: str, name: str):
    """YAML text → (data, marks) (see :func:`_yaml_load`); raises MapInvalid with one diagnostic."""
    try:
        return _yaml_load(text)
    except _AliasRefused as exc:
        d = _yaml_diag(name, "YAML anchors and aliases are not allowed in maps (write the value out)", exc.mark, YAML_ALIAS)
    except _DuplicateKey as exc:
        d = _yaml_diag(
            name, f"duplicate key {exc.key!r} (first on line {exc.first[0]}); keys must be unique", exc.mark
        )
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        mark, problem = _unclosed_quote(exc) or (mark, problem)
        d = _yaml_diag(name, f"YAML syntax error: {one_line(problem)}", mark)
    except yaml.reader.ReaderError as exc:
        d = _reader_error_diag(text, name, exc)
    except yaml.YAMLError as exc:
        d = _yaml_diag(name, f"YAML syntax error: {one_line(str(exc))}", None)
    except RecursionError:
        d = _yaml_diag(name, "the document is nested too deeply to be a map", None)
    raise MapInvalid(d.format(), [d])
