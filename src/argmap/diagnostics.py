"""Diagnostics: what checks and loaders report, with rule, severity and position."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum


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
