"""The rule registry: every rule's id, name, default severity and docs.

The rule modules are listed here, one family each (as yamllint's rules
package lists its rules); a module's rules are the functions it marks with
:func:`argmap.checks.rule.rule`, in the order it defines them. A new rule
module is added to :data:`RULE_MODULES`. The rule modules import
:mod:`argmap.checks.rule`, never this module, so there is no import circle.
"""

from __future__ import annotations

import importlib

from argmap.checks.rule import Rule

RULE_MODULES = (
    "argmap.checks.loader_rules",
    "argmap.checks.structure",
    "argmap.checks.quotes",
    "argmap.checks.reasoning",
    "argmap.checks.schemes",
)

RULES: dict[str, Rule] = {}  # id -> rule, in the order of RULE_MODULES and of each module
BY_NAME: dict[str, Rule] = {}


def load_all() -> dict[str, Rule]:
    """Import every rule module (cheap: they import nothing heavy at top level) and collect its rules."""
    if RULES:
        return RULES
    for module in RULE_MODULES:
        for value in list(vars(importlib.import_module(module)).values()):
            r = getattr(value, "rule", None)
            if isinstance(r, Rule) and getattr(value, "__module__", None) == module:
                if r.id in RULES or r.name in BY_NAME:
                    raise ValueError(f"rule {r.id} {r.name} registered twice")
                RULES[r.id] = r
                BY_NAME[r.name] = r
    return RULES


def lookup(spec: str) -> Rule | None:
    load_all()
    return RULES.get(spec.upper()) or BY_NAME.get(spec)


def known(spec: str) -> bool:
    """Whether ``spec`` names a rule, by id, id prefix or name (as a configuration matches it)."""
    from argmap.io.config import _matches

    return any(_matches(spec, r.id, r.name) for r in load_all().values())
