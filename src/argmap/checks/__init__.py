"""``argmap check``: rules over a loaded map, and running them over paths.

* :func:`run_checks` runs the enabled rules over one loaded map and returns
  sorted diagnostics with file, line, column, node and severity filled in.
* :func:`check_paths` checks files and folders and returns a
  :class:`~argmap.checks.runner.CheckRun` (per-file results and the exit code).

Rules live one family per module (``structure``, ``quotes``, ``reasoning``;
``loader_rules`` documents what the loader reports), registered in
:mod:`argmap.checks.registry`. ``python -m argmap.checks.docs`` prints
``docs/rules.md`` from their docstrings.
"""

from __future__ import annotations

from argmap.checks.runner import check_paths, run_checks

__all__ = ["run_checks", "check_paths", "all_rules"]


def all_rules():
    """Every registered rule, by id, in id order."""
    from argmap.checks.registry import load_all

    rules = load_all()
    return [rules[k] for k in sorted(rules)]
