"""Files → ArgumentMap, with a line and column for every node and field.

* YAML is read by :mod:`argmap.io.yamlload`: libyaml's events (PyYAML's C parser)
  built into data, refusing aliases and anchors (the format needs none; this
  closes "billion laughs" bombs) and duplicate keys, and reading ``yes``/``no``
  and dates as strings; the parser's marks are kept, and turned into a line
  and column when a diagnostic needs one (:class:`Positions`).
* JSON goes through :mod:`json`; positions are found only when a diagnostic
  needs one, by walking down the text to it with json's own C scanner
  (:class:`JSONPositions`).
* Content problems raise :class:`~argmap.map.errors.MapInvalid` (exit 1) carrying
  diagnostics with positions; unreadable input raises
  :class:`~argmap.map.errors.Unreadable` (exit 2).
"""

from __future__ import annotations

import gc
import json
import os
import re
from bisect import bisect_right
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from argmap.map.diagnostics import SCHEMA_ERROR, SYNTAX_ERROR, Diagnostic, Severity, did_you_mean
from argmap.map.errors import MapInvalid

# --------------------------------------------------------------------------- positions


class Positions:
    """Resolves a data path like ``("nodes", 3, "supports", 0)`` to (line, column).

    Built from the marks the YAML reader kept (:func:`argmap.io.yamlload.position`);
    :class:`JSONPositions` finds them in JSON text.
    """

    def __init__(self, data: Any = None, nodes: dict | None = None):
        self._data = data
        self._nodes = nodes

    def of(self, path: tuple = (), *, key: bool = False) -> tuple[int | None, int | None]:
        """Position of the value at ``path`` (or of its key, with ``key=True``).

        Falls back to the deepest enclosing position that is known.
        """
        if not self._nodes:
            return (None, None)
        from argmap.io.yamlload import position

        obj = self._data
        best = position(self._nodes, obj) or (1, 1)
        for i, step in enumerate(path):
            if isinstance(obj, dict) and step in obj or (
                    isinstance(obj, list) and isinstance(step, int) and 0 <= step < len(obj)):
                found = position(self._nodes, obj, step, key=key and i == len(path) - 1)
                if found is None:
                    break
                best = found
                obj = obj[step]
            else:
                break
        return best

    def node(self, index: int) -> tuple[int | None, int | None]:
        return self.of(("nodes", index))


_JSON_SPACE = re.compile(r"[ \t\n\r]*")


class JSONPositions(Positions):
    """Positions in a JSON text that :func:`json.loads` accepted, found on demand.

    A lookup walks down the path: at each object or array it reads the keys
    and skips the values with json's C scanner, remembering where each entry
    starts, so every container is read once however many lookups go through
    it (10,000 findings on a 10,000-node map cost a pass over the text for each
    level the paths go down: the scanner decodes the values it skips).
    Lines are counted as the YAML reader counts them, so a map reports the
    same positions as JSON and as YAML.
    """

    def __init__(self, text: str):
        super().__init__()
        self._text = text
        self._entries: dict[int, dict] = {}  # start of a container -> its entries
        self._line_starts: list[int] | None = None

    def _entries_at(self, at: int) -> dict:
        """The entries of the object or array starting at ``at``: key (or index) ->
        (start of the key, or of the item, start of the value)."""
        found = self._entries.get(at)
        if found is not None:
            return found
        from json.decoder import scanstring

        text, space, scan = self._text, _JSON_SPACE.match, _json_scanner()
        found = {}
        closing = "}" if text[at] == "{" else "]"
        i = space(text, at + 1).end()
        index = 0
        while text[i] != closing:
            if closing == "}":
                name, colon = scanstring(text, i + 1)
                value = space(text, space(text, colon).end() + 1).end()
                found[name] = (i, value)
            else:
                value = i
                found[index] = (i, value)
                index += 1
            i = space(text, scan(text, value)[1]).end()
            if text[i] == ",":
                i = space(text, i + 1).end()
        self._entries[at] = found
        return found

    def _line_col(self, offset: int) -> tuple[int, int]:
        if self._line_starts is None:
            # the line breaks of the YAML reader: JSON holds no other control character raw
            self._line_starts = [0, *accumulate(map(len, self._text.splitlines(True)))]
        line = bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1

    def of(self, path: tuple = (), *, key: bool = False) -> tuple[int | None, int | None]:
        text = self._text
        at = _JSON_SPACE.match(text).end()
        if at >= len(text):
            return (None, None)
        best = at
        for i, step in enumerate(path):
            if text[at] not in "{[" or (text[at] == "[") != isinstance(step, int):
                break
            entry = self._entries_at(at).get(step)
            if entry is None:
                break
            at = entry[1]
            best = entry[0] if key and i == len(path) - 1 else at
        return self._line_col(best)


@lru_cache(maxsize=1)
def _json_scanner():
    """json's scanner (the C one when built): ``scan(text, at) -> (value, end)``."""
    return json.JSONDecoder().scan_once


# --------------------------------------------------------------------------- YAML

def parse_yaml(text: str, name: str):
    """YAML text → (data, Positions); raises MapInvalid with one diagnostic.

    libyaml's events (PyYAML's C parser) built into data by :mod:`argmap.io.yamlload`,
    which keeps the parser's marks for the positions.
    """
    from argmap.io.yamlload import parse_careful

    data, marks = parse_careful(text, name)
    return data, Positions(data, marks)


class _JSONDuplicate(Exception):
    def __init__(self, key):
        self.key = key


def _json_object(pairs):
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set = set()
        for key, _ in pairs:
            if key in seen:
                raise _JSONDuplicate(key)
            seen.add(key)
    return obj


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate(data: Any) -> bool:
    """True when some string (or key) holds a lone surrogate: not encodable text."""
    stack = [data]
    while stack:
        obj = stack.pop()
        if isinstance(obj, str):
            try:
                obj.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list):
            stack.extend(obj)
    return False


def _json_diag(name: str, message: str, line=None, col=None) -> Diagnostic:
    return Diagnostic(*SYNTAX_ERROR, Severity.ERROR, message, name, line, col)


def parse_json(text: str, name: str):
    """JSON text → (data, Positions); raises MapInvalid with one diagnostic.

    Stricter than :func:`json.loads`: duplicate keys, lone surrogate escapes
    (``"\\ud800"``, which no UTF-8 file can hold) and integers too long to
    convert are refused with a position.
    """
    from argmap.io.files import offset_mark, one_line

    try:
        data = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        d = _json_diag(name, f"JSON syntax error: {exc.msg}", exc.lineno, exc.colno)
        raise MapInvalid(d.format(), [d]) from None
    except _JSONDuplicate as exc:
        from argmap.io.yamlload import _DuplicateKey, _yaml_load

        line = col = None
        try:
            _yaml_load(text)  # the exception carries its own mark
        except _DuplicateKey as dup:
            line, col = dup.mark.line + 1, dup.mark.column + 1
        except Exception:  # positions are best effort
            pass
        d = _json_diag(name, f"duplicate key {exc.key!r}; keys must be unique", line, col)
        raise MapInvalid(d.format(), [d]) from None
    except RecursionError:
        d = _json_diag(name, "the document is nested too deeply to be a map", 1, 1)
        raise MapInvalid(d.format(), [d]) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        why = "it has too many digits" if "digits" in str(exc) else one_line(str(exc))
        d = _json_diag(name, f"JSON syntax error: a number cannot be read ({why})", 1, 1)
        raise MapInvalid(d.format(), [d]) from None
    m = _SURROGATE_ESCAPE.search(text)
    if m and _lone_surrogate(data):
        mark = offset_mark(text, m.start(), in_bytes=False)
        d = _json_diag(
            name,
            "JSON syntax error: a lone surrogate escape (\\ud800-\\udfff not in a pair) is not a character",
            mark.line + 1, mark.column + 1,
        )
        raise MapInvalid(d.format(), [d]) from None
    return data, JSONPositions(text)


# --------------------------------------------------------------------------- validation


@dataclass
class LoadedMap:
    """A validated map with where it came from and the positions of its parts."""

    map: Any  # argmap.map.model.ArgumentMap
    path: Path | None  # None for standard input / strings
    name: str  # how to refer to the file in messages
    text: str
    data: Any
    positions: Positions
    fmt: str  # "yaml" or "json"
    extra: dict = field(default_factory=dict)

    @property
    def base_dir(self) -> Path:
        return self.path.parent if self.path is not None else Path.cwd()

    def node_position(self, index: int) -> tuple[int | None, int | None]:
        return self.positions.node(index)


def _fmt_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "document"


def _context_fields(loc: tuple) -> tuple[str, ...]:
    from argmap.map.spec import fields_at

    return fields_at(loc)


def _kind_of(value: Any) -> str:
    """How a value reads to a person who wrote YAML or JSON."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, str):
        return f"the text {_clip(value)!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return f"a {type(value).__name__}"


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_relation_item(loc: tuple) -> bool:
    return len(loc) >= 2 and isinstance(loc[-1], int) and loc[-2] in ("supports", "attacks")


def _lookup(data: Any, loc: tuple) -> Any:
    obj = data
    for step in loc:
        try:
            obj = obj[step]
        except (KeyError, IndexError, TypeError):
            return None
    return obj


def _schema_loc(err: dict, data: Any) -> tuple:
    """The data path of an error, as the user wrote it.

    A relation written as a plain id (``supports: [x]``) has no ``to`` field,
    so its errors point at the list item, not at ``...supports[1].to``.
    """
    loc = tuple(err.get("loc", ()))
    if len(loc) >= 3 and loc[-1] == "to" and _is_relation_item(loc[:-1]):
        if isinstance(_lookup(data, loc[:-1]), str):
            return loc[:-1]
    return loc


def _schema_message(err: dict, data: Any) -> str:
    loc = _schema_loc(err, data)
    where = _fmt_loc(loc)
    etype = err.get("type", "")
    value = err.get("input")
    if etype == "extra_forbidden":
        name = loc[-1] if loc else "?"
        return f"unknown field {_clip(str(name))!r} in {_fmt_loc(loc[:-1])}" + did_you_mean(
            str(name), _context_fields(loc))
    if etype == "invalid_key":
        return f"unknown field {_clip(repr(value))} in {_fmt_loc(loc[:-1])} (field names are text)"
    if etype == "missing":
        return f"missing required field {loc[-1]!r} in {_fmt_loc(loc[:-1])}"
    if etype == "string_pattern_mismatch":
        if len(loc) >= 2 and loc[-2] == "undercuts":
            return f"{where}: {_clip(str(value))!r} is not a relation reference like 'source->target'"
        return (
            f"{where}: {_clip(str(value))!r} is not a valid id (letters, digits, '-', '_', '.'; starting with a letter)"
        )
    if etype == "enum":
        from argmap.map.model import KINDS

        return f"{where}: {_clip(str(value))!r} is not a node kind (one of {', '.join(KINDS)})" + did_you_mean(
            str(value), KINDS, form="; did you mean {!r}?")
    if etype == "literal_error" and loc == ("argmap",):
        shown = repr(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else _kind_of(value)
        return f"argmap: format version {_clip(shown)} is not supported (this argmap reads version 1)"
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        if _is_relation_item(loc):
            return f"{where}: expected a node id or a mapping with 'to' (and 'with', 'scheme'), found {_kind_of(value)}"
        return f"{where}: expected a mapping, found {_kind_of(value)}"
    if etype == "list_type":
        return f"{where}: expected a list, found {_kind_of(value)}"
    if etype == "string_type":
        return f"{where}: expected text, found {_kind_of(value)}"
    if etype == "string_too_short":
        return f"{where}: must not be empty"
    if etype in ("float_type", "float_parsing", "int_type", "int_parsing"):
        return f"{where}: expected a number, found {_kind_of(value)}"
    text = err.get("msg", "invalid value")
    if text.startswith("Value error, "):
        text = text[len("Value error, ") :]
    return f"{where}: {text[0].lower() + text[1:] if text else text}"


_FOREIGN_NAMES = {
    "aif": "an AIF document",
    "xaif": "an xAIF document",
    "sadface": "a SADFace document",
    "argdown-json": "an Argdown JSON export",
}


def _foreign_format(data: dict) -> str | None:
    """The name of a foreign format ``data`` looks like, for a hint; None for (broken) maps."""
    if isinstance(data.get("argmap"), int) and not isinstance(data.get("argmap"), bool):
        return None
    try:
        from argmap.io.files import detect_json

        kind = detect_json(data)
    except Exception:  # a hint only: any surprise in the detectors means "no hint"
        return None
    return _FOREIGN_NAMES.get(kind or "")


def _spec_errors(data: Any) -> list[dict]:
    """What the reference pydantic models (argmap.map.spec) find wrong with ``data``."""
    from pydantic import ValidationError

    from argmap.map.spec import ArgumentMap

    try:
        ArgumentMap.model_validate(data)
    except ValidationError as exc:
        return exc.errors(include_url=False)
    return []


def validate(data: Any, positions: Positions, name: str):
    """Plain data → ArgumentMap, or MapInvalid with one diagnostic per problem."""
    from argmap.map.model import ValidationError as FastInvalid
    from argmap.map.model import from_data

    if data is None:
        d = Diagnostic(*SCHEMA_ERROR, Severity.ERROR, "the document is empty; a map needs 'argmap: 1' and 'nodes'", name, 1, 1)
        raise MapInvalid(d.format(), [d])
    if not isinstance(data, dict):
        line, col = positions.of(())
        d = Diagnostic(
            *SCHEMA_ERROR, Severity.ERROR,
            f"the document is {_kind_of(data)}, but a map is a mapping with 'argmap: 1' and 'nodes'",
            name, line or 1, col or 1,
        )
        raise MapInvalid(d.format(), [d])
    foreign = _foreign_format(data)
    if "argmap" not in data or foreign:
        line, col = positions.of(())
        msg = "this is not an argmap map: it has no top-level 'argmap: 1'"
        if foreign:
            msg = f"this is not an argmap map but {foreign}; convert it with 'argmap import'"
        d = Diagnostic(*SCHEMA_ERROR, Severity.ERROR, msg, name, line or 1, col or 1)
        raise MapInvalid(d.format(), [d])
    try:
        return from_data(data)
    except FastInvalid as fast:
        errors = _spec_errors(data)
        if not errors:  # the two models disagree: a bug, but the user still gets a position
            errors = [{"type": "value_error", "loc": (), "msg": str(fast), "input": data}]
    diags = []
    for err in errors:
        loc = _schema_loc(err, data)
        key = err.get("type") in ("extra_forbidden", "invalid_key")
        if err.get("type") == "missing":
            line, col = positions.of(loc[:-1])
        else:
            line, col = positions.of(loc, key=key)
        node = None
        if len(loc) >= 2 and loc[0] == "nodes" and isinstance(loc[1], int):
            try:
                node = data["nodes"][loc[1]].get("id")
                node = node if isinstance(node, str) else None
            except Exception:
                node = None
        diags.append(
            Diagnostic(*SCHEMA_ERROR, Severity.ERROR, _schema_message(err, data), name, line, col, node=node)
        )
    diags.sort(key=Diagnostic.sort_key)
    summary = diags[0].format() if len(diags) == 1 else f"{name}: {len(diags)} schema errors"
    raise MapInvalid(summary, diags) from None


def guess_format(name: str, text: str) -> str:
    lower = name.lower()
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if text.lstrip()[:1] in ("{", "[") else "yaml"


@contextmanager
def paused_gc():
    """Pause the cyclic garbage collector while building many acyclic objects.

    Loading a 10,000-node map allocates hundreds of thousands of dicts, lists
    and model objects that all survive; the collector's repeated passes over
    them cost more than the parse itself (a 10,000-node YAML map: 3.0 s with
    it, 1.0 s without). Reference counting still frees everything; the
    collector is back on when the block ends.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def refuse_blank(text: str, name: str) -> None:
    """An empty or comment-only map is an error (AM002 on line 1), never "nothing to check"."""
    from argmap.io.files import is_blank

    if is_blank(text):
        what = "empty" if not text.strip() else "empty (it holds only comments)"
        d = Diagnostic(*SCHEMA_ERROR, Severity.ERROR, f"the file is {what}; a map needs 'argmap: 1' and 'nodes'",
                       name, 1, 1)
        raise MapInvalid(d.format(), [d])


def load_text(text: str, *, name: str = "<string>", fmt: str | None = None, path: Path | None = None) -> LoadedMap:
    if text.startswith("\ufeff"):
        text = text[1:]
    fmt = fmt or guess_format(name, text)
    refuse_blank(text, name)
    with paused_gc():
        data, positions = parse_json(text, name) if fmt == "json" else parse_yaml(text, name)
        amap = validate(data, positions, name)
    return LoadedMap(amap, path, name, text, data, positions, fmt)


def load_map(path: str | os.PathLike, *, max_bytes: int | None = None, fmt: str | None = None) -> LoadedMap:
    """Load a map file, or standard input when ``path`` is ``-``."""
    from argmap.io.files import read_text

    name = str(path)
    text = read_text(path, max_bytes=max_bytes, what="map")
    p = None if name == "-" else Path(path)
    return load_text(text, name=name, fmt=fmt, path=p)
