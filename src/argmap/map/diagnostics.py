"""Diagnostics: what checks and loaders report, with rule, severity and position."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from enum import Enum

# Characters that must not reach a terminal or a CI log from map content: C0 and C1
# controls (ESC sequences can retitle a terminal, write the clipboard, hide text),
# DEL, and the bidirectional embeddings/overrides/isolates that reorder what is shown
# ("Trojan Source"). Line breaks would let a message start a line of its own, which
# GitHub Actions reads as a workflow command ("::error::...").
# (A pattern string, compiled on first use by re's cache: a clean run never needs it.)
_UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``1 map``, ``2 maps``; ``many`` for words that take more than an ``s``."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def did_you_mean(name: str, options, *, cutoff: float = 0.6, form: str = " (did you mean {!r}?)",
                 otherwise: str = "") -> str:
    """A hint for a message: ``form`` with the option closest to ``name`` (difflib), or ``otherwise``."""
    import difflib

    close = difflib.get_close_matches(name, list(options), n=1, cutoff=cutoff)
    return form.format(close[0]) if close else otherwise


def printable(text: str) -> str:
    """``text`` made safe to print as one line: line breaks and tabs become spaces,
    other controls and bidi marks become visible escapes (``\\x1b``, ``\\u202e``)."""
    if not re.search(_UNPRINTABLE, text):
        return text

    def esc(m: re.Match) -> str:
        ch = m.group(0)
        if ch in "\n\r\t\u2028\u2029\x0b\x0c\x85":
            return " "
        code = ord(ch)
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return re.sub(_UNPRINTABLE, esc, text)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem. ``line`` and ``column`` are 1-based; ``None`` when unknown."""

    rule: str  # e.g. "AM102"
    name: str  # e.g. "dangling-relation"
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    node: str | None = None
    end_line: int | None = None
    end_column: int | None = None
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def __post_init__(self):
        # messages quote map content; keep them one printable line for every reporter
        if isinstance(self.message, str):
            safe = printable(self.message)
            if safe is not self.message:
                object.__setattr__(self, "message", safe)

    def with_(self, **changes) -> "Diagnostic":
        return replace(self, **changes)

    @property
    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        """``file:line:col: severity: message [RULE name]``, one line."""
        return f"{self.location}: {self.severity.value}: {self.message} [{self.rule} {self.name}]"

    def sort_key(self):
        return (self.file or "", self.line or 0, self.column or 0, self.rule)


# Rule ids the loader itself emits (the check registry documents them too).
SYNTAX_ERROR = ("AM001", "syntax-error")
SCHEMA_ERROR = ("AM002", "schema-error")
YAML_ALIAS = ("AM003", "yaml-alias")
