"""Regressions found while integrating, each with the input that showed it."""

from __future__ import annotations

from argmap.checks import run_checks
from argmap.io.loading import load_map


def test_tilde_in_source_path_is_not_expanded(tmp_path):
    # '~nosuchuser/...' made pathlib raise RuntimeError (found by the diff property test)
    p = tmp_path / "m.yaml"
    p.write_text(
        "argmap: 1\nsource:\n  path: '~nosuchuser/x.txt'\nnodes:\n"
        "  - id: t\n    kind: thesis\n    text: T\n    quote: q\n",
        encoding="utf-8",
    )
    diags = run_checks(load_map(p))
    assert [(d.rule, d.line, d.column) for d in diags] == [("AM201", 3, 9)]
    assert "~nosuchuser/x.txt" in diags[0].message and "relative to the map file" in diags[0].message
