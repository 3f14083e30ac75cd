"""Configuration: ``[tool.argmap]`` in ``pyproject.toml``, or an ``argmap.toml``.

The file is searched upward from the current folder: in each folder an
``argmap.toml`` wins over a ``pyproject.toml``; a ``pyproject.toml`` without a
``[tool.argmap]`` table is passed over. The search stops at the first folder
that holds a ``.git`` (the repository root) or at the filesystem root.

Keys (``argmap.toml`` takes them at the top level or under ``[tool.argmap]``)::

    [tool.argmap]
    select = ["AM1", "quote-not-found"]   # rules to run: ids, id prefixes or names (default: all)
    ignore = ["near-duplicate"]           # rules to skip (wins over select)
    min-coverage = 0.6                    # coverage below this is a finding (0..1, or "60%")
    allow-outside-source = false          # let source.path leave the map's home
    max-file-size = "50MB"                # largest map or source read (bytes, or "10MB", "512KiB")
    exclude = ["tests/fixtures", "*.schema.json"]  # files and folders check, fmt and render leave out

    [tool.argmap.severity]                # change a rule's severity: error, warning, info, off
    orphan-node = "error"
    AM302 = "info"

Unknown keys and bad values are usage errors (exit 2) naming the file and key.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Iterable

import msgspec

from argmap.map.diagnostics import Severity, did_you_mean
from argmap.map.errors import UsageError

KEYS = ("select", "ignore", "severity", "min-coverage", "allow-outside-source", "max-file-size", "exclude")
LEVELS = ("error", "warning", "info", "off")


class Config(msgspec.Struct, frozen=True):
    """Settings for ``argmap check`` and the commands that read sources and maps.

    (A msgspec Struct, not a dataclass: defining it costs next to nothing at start-up.)
    """

    select: tuple[str, ...] = ()  # empty: every rule
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = {}  # rule id or name -> level (a new dict per instance)
    min_coverage: float | None = None
    allow_outside_source: bool = False
    max_file_size: int | None = None  # None: the loader's default
    exclude: tuple[str, ...] = ()  # globs of files and folders to leave out (argmap.io.files.excluded)
    path: Path | None = None  # the file the settings came from

    # -- rule selection ---------------------------------------------------

    def enabled(self, rule_id: str, rule_name: str) -> bool:
        """Whether a rule runs: selected (or no select given), not ignored, not 'off'."""
        if self.select and not any(_matches(s, rule_id, rule_name) for s in self.select):
            return False
        if any(_matches(s, rule_id, rule_name) for s in self.ignore):
            return False
        return self.level_override(rule_id, rule_name) != "off"

    def level_override(self, rule_id: str, rule_name: str) -> str | None:
        best = None
        best_len = -1
        for key, level in self.severity.items():
            if _matches(key, rule_id, rule_name):
                # the most specific key wins: a full id or name over a prefix
                spec = 1000 if key in (rule_id, rule_name) else len(key)
                if spec > best_len:
                    best, best_len = level, spec
        return best

    def severity_for(self, rule_id: str, rule_name: str, default: Severity) -> Severity:
        level = self.level_override(rule_id, rule_name)
        if level is None or level == "off":
            return default
        return Severity(level)

    def merged(
        self,
        *,
        select: Iterable[str] | None = None,
        extend_ignore: Iterable[str] | None = None,
        min_coverage: float | None = None,
        allow_outside_source: bool | None = None,
        extend_exclude: Iterable[str] | None = None,
    ) -> "Config":
        """A copy with command-line settings applied over the file's."""
        changes: dict[str, Any] = {}
        if select:
            changes["select"] = tuple(select)
        if extend_ignore:
            changes["ignore"] = self.ignore + tuple(extend_ignore)
        if min_coverage is not None:
            changes["min_coverage"] = min_coverage
        if allow_outside_source is not None:
            changes["allow_outside_source"] = allow_outside_source
        if extend_exclude:
            changes["exclude"] = self.exclude + tuple(extend_exclude)
        return msgspec.structs.replace(self, **changes)


def _matches(spec: str, rule_id: str, rule_name: str) -> bool:
    """A spec names a rule by id (``AM101``), id prefix (``AM1``, ``AM``) or name."""
    if spec == rule_name:
        return True
    s = spec.upper()
    return bool(s) and s[:2] == "AM" and rule_id.startswith(s)


# --------------------------------------------------------------------------- parsing

_SIZE = r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$"  # compiled on first use (re caches it)
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
          "g": 1000**3, "gb": 1000**3, "gib": 1024**3, "ki": 1024, "mi": 1024**2, "gi": 1024**3}


def parse_size(value: Any, where: str = "max-file-size") -> int:
    """``1000``, ``"10MB"``, ``"512KiB"`` → bytes."""
    if isinstance(value, bool):
        raise UsageError(f"{where}: expected a size in bytes (like 10000000 or \"10MB\"), not {value!r}.")
    if isinstance(value, int):
        if value <= 0:
            raise UsageError(f"{where}: must be a positive number of bytes, not {value}.")
        return value
    if isinstance(value, str):
        m = re.match(_SIZE, value, re.I)
        if m:
            n = float(m.group(1)) * _UNITS[(m.group(2) or "").lower()]
            if n >= 1:
                return int(n)
    raise UsageError(f"{where}: expected a size in bytes (like 10000000 or \"10MB\"), not {value!r}.")


def parse_coverage(value: Any, where: str = "min-coverage") -> float:
    """``0.6``, ``60``, ``"60%"`` → 0.6."""
    v: float | None = None
    if isinstance(value, bool):
        v = None
    elif isinstance(value, (int, float)):
        v = float(value)
        if v > 1:
            v = v / 100.0
    elif isinstance(value, str):
        s = value.strip()
        try:
            v = float(s[:-1]) / 100.0 if s.endswith("%") else float(s)
            if not s.endswith("%") and v > 1:
                v = v / 100.0
        except ValueError:
            v = None
    if v is None or not (0.0 <= v <= 1.0):
        raise UsageError(f"{where}: expected a share between 0 and 1 (or a percentage like \"60%\"), not {value!r}.")
    return v


def _str_list(value: Any, where: str, example: str = '["AM101", "orphan-node"]', what: str = "rule ids or names"
              ) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [v for v in re.split(r"[,\s]+", value) if v]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UsageError(f"{where}: expected a list of {what}, like {example}.")
    return tuple(v.strip() for v in value if v.strip())


def from_dict(data: dict, where: str = "configuration", path: Path | None = None) -> Config:
    """Validate a ``[tool.argmap]`` table into a Config (UsageError on problems)."""
    if not isinstance(data, dict):
        raise UsageError(f"{where}: [tool.argmap] must be a table.")
    kwargs: dict[str, Any] = {"path": path}
    for key, value in data.items():
        norm = key.replace("_", "-")
        if norm not in KEYS:
            hint = did_you_mean(norm, KEYS, otherwise=f" (known keys: {', '.join(KEYS)})")
            raise UsageError(f"{where}: unknown key {key!r}{hint}.")
        at = f"{where}: {key}"
        if norm == "select":
            kwargs["select"] = _str_list(value, at)
        elif norm == "ignore":
            kwargs["ignore"] = _str_list(value, at)
        elif norm == "severity":
            if not isinstance(value, dict):
                raise UsageError(f"{at}: expected a table like {{ orphan-node = \"error\" }}.")
            sev = {}
            for rule, level in value.items():
                if not isinstance(level, str) or level.lower() not in LEVELS:
                    raise UsageError(f"{at}.{rule}: expected one of {', '.join(LEVELS)}, not {level!r}.")
                sev[str(rule)] = level.lower()
            kwargs["severity"] = sev
        elif norm == "min-coverage":
            kwargs["min_coverage"] = parse_coverage(value, at)
        elif norm == "allow-outside-source":
            if not isinstance(value, bool):
                raise UsageError(f"{at}: expected true or false, not {value!r}.")
            kwargs["allow_outside_source"] = value
        elif norm == "max-file-size":
            kwargs["max_file_size"] = parse_size(value, at)
        elif norm == "exclude":
            kwargs["exclude"] = _str_list(value, at, '["tests/fixtures", "*.schema.json"]', "file or folder globs")
    return Config(**kwargs)


def _read_toml(path: Path) -> dict:
    import tomllib

    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: is not valid TOML ({exc}).") from None
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def _may_hold_argmap_table(raw: bytes) -> bool:
    """Whether a ``pyproject.toml`` can hold ``[tool.argmap]``, without parsing it.

    Conservative: true for a ``tool.argmap`` header or dotted key (quoted or
    spaced), a bare ``[tool]`` table or ``tool = {...}`` (an ``argmap`` key may
    follow), and any ``\\u`` escape (a key spelled with escapes). Only when this
    is false is the file passed over unread, so tomllib is not even imported.
    """
    if b"argmap" not in raw:
        return False
    return re.search(
        rb"""tool["']?[ \t]*\.[ \t]*["']?argmap|^[ \t]*\[[ \t]*["']?tool["']?[ \t]*\]|^[ \t]*["']?tool["']?[ \t]*=|\\[uU]""",
        raw,
        re.M,
    ) is not None


def find_config(start: Path | None = None) -> tuple[Path, dict] | None:
    """The nearest configuration file and its ``[tool.argmap]`` table, or None."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        own = folder / "argmap.toml"
        if own.is_file():
            data = _read_toml(own)
            table = data.get("tool", {}).get("argmap") if isinstance(data.get("tool"), dict) else None
            if table is None:
                table = {k: v for k, v in data.items() if k != "tool"}
            return own, table
        py = folder / "pyproject.toml"
        if py.is_file():
            # cheap test first: most pyproject files have no [tool.argmap]
            try:
                raw = py.read_bytes()
            except OSError:
                raw = b""
            if _may_hold_argmap_table(raw):
                data = _read_toml(py)
                tool = data.get("tool")
                if isinstance(tool, dict) and "argmap" in tool:
                    return py, tool["argmap"]
        if (folder / ".git").exists():
            break
    return None


def load_config(path: str | os.PathLike | None = None, *, start: Path | None = None) -> Config:
    """Load the configuration: from ``path`` when given, else the nearest file, else defaults."""
    if path is not None:
        p = Path(path)
        if not p.is_file():
            raise UsageError(f"{p}: no such configuration file.")
        data = _read_toml(p)
        tool = data.get("tool")
        if isinstance(tool, dict) and "argmap" in tool:
            table = tool["argmap"]
        elif p.name == "pyproject.toml":
            table = {}
        else:
            table = {k: v for k, v in data.items() if k != "tool"}
        return from_dict(table, str(p), p)
    found = find_config(start)
    if found is None:
        return Config()
    p, table = found
    where = f"{p} [tool.argmap]" if p.name == "pyproject.toml" else str(p)
    return from_dict(table, where, p)
