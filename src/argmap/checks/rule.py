"""What a rule is: :class:`Rule`, the :class:`Problem` it yields, and the :func:`rule` decorator.

A rule is a small function ``rule(ctx) -> Iterable[Problem]`` marked with
:func:`rule` in one of the rule modules that :mod:`argmap.checks.registry`
lists. It says *what* is wrong and *where in the data* (a path like
``("nodes", 3, "supports", 0)``); the runner turns problems into
:class:`~argmap.map.diagnostics.Diagnostic` objects, filling in file, line,
column, node and the severity chosen by the configuration.

The docstring of a rule is its documentation (``docs/rules.md`` is generated
from it): a one-line summary, a rationale, then ``Failing example::`` and
``Passing example::`` blocks holding complete maps (tests run them).
"""

from __future__ import annotations

import re
from typing import Any, Callable, Iterable

import msgspec

from argmap.map.diagnostics import Severity

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

FAMILIES = {
    "loader": "Reading the file (reported by the loader)",
    "structure": "Structure",
    "source": "Source and quotes",
    "reasoning": "Reasoning",
    "schemes": "Argumentation schemes",
}


class Problem(msgspec.Struct, frozen=True):
    """What a rule yields: a message and where it is.

    ``at`` is a data path into the map (resolved to line and column by the
    runner); ``node`` is the index of the node the problem belongs to (its
    ``ignore:`` list is honoured and its id reported). ``line``/``column``
    override ``at`` when a rule knows better.
    """

    message: str
    node: int | None = None
    at: tuple = ()
    key: bool = False
    line: int | None = None
    column: int | None = None
    extra: dict = {}  # a new dict per instance


class Rule(msgspec.Struct, frozen=True):
    """A registered rule (msgspec Structs here, not dataclasses: defining them costs next to nothing)."""

    id: str
    name: str
    severity: Severity
    family: str
    func: Callable[[Any], Iterable[Problem]] | None
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0].strip() if self.doc.strip() else self.name

    @property
    def prose(self) -> str:
        """The paragraphs between the summary and the examples, as written."""
        import inspect

        text = inspect.cleandoc(self.doc)
        body = text.split("\n", 1)[1] if "\n" in text else ""
        m = _example_label().search(body)
        return (body[: m.start()] if m else body).strip()

    @property
    def rationale(self) -> str:
        """The paragraphs between the summary and the examples, on one line."""
        return " ".join(self.prose.split())

    def examples(self) -> dict[str, tuple[str, str | None]]:
        """``{"failing": (yaml, config), "passing": (yaml, config)}`` from the docstring.

        A label may name configuration: ``Failing example (with ``min-coverage = 0.9``)::``;
        ``config`` is then that TOML line, else None.
        """
        import inspect
        import textwrap

        text = inspect.cleandoc(self.doc)
        out: dict[str, tuple[str, str | None]] = {}
        for m in _example_label().finditer(text):
            lines = []
            for line in text[m.end():].splitlines()[1:]:
                if line.strip() and not line.startswith((" ", "\t")):
                    break
                lines.append(line)
            out[m.group(1).lower()] = (textwrap.dedent("\n".join(lines)).strip() + "\n", m.group(2))
        return out


_EXAMPLE_LABEL = r"^(Failing|Passing) example(?: \(with ``([^`]+)``\))?::[ \t]*$"


def _example_label() -> re.Pattern:
    """The ``Failing example::`` label pattern; compiled on first use (docs and tests), cached by re."""
    return re.compile(_EXAMPLE_LABEL, re.M)


def rule(rule_id: str, name: str, severity: Severity, family: str):
    """Mark a function as a rule (:mod:`argmap.checks.registry` collects it from its module)."""

    def deco(func):
        runs = getattr(func, "_runs", True)
        func.rule = Rule(rule_id, name, severity, family, func if runs else None, func.__doc__ or "")
        return func

    return deco


def not_run(func):
    """Mark a documented rule that the loader reports (no check function runs)."""
    func._runs = False
    return func
