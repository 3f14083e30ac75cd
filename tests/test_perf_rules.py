"""Fast paths of the check rules give the results of the slow definitions.

No timing here (that is bench/'s job): these tests pin down *what* the fast
code computes, on generated and degenerate maps, so a speed-up cannot change
a diagnostic.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.checks.reasoning import first_near_duplicates, near_duplicate_pairs
from argmap.checks.runner import run_checks
from argmap.io.loading import load_map

WORDS = "tax homes empty rents cities owners flats market price rise the a of in".split()


def _first_from_pairs(texts):
    """The definition: for each j, the smallest i it forms a near-duplicate pair with."""
    best = {}
    for i, j, s in near_duplicate_pairs(texts):
        if j not in best or i < best[j][0]:
            best[j] = (i, s)
    return sorted(((i, j, s) for j, (i, s) in best.items()), key=lambda t: t[1])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.lists(st.sampled_from(WORDS), min_size=0, max_size=6).map(" ".join),
                          st.sampled_from(["", "...", "tax homes", "Tax  homes", "tax homes"])),
                min_size=1, max_size=30))
def test_first_near_duplicates_is_the_earliest_pair(texts):
    got = first_near_duplicates(texts)
    want = _first_from_pairs(texts)
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    for (_, _, a), (_, _, b) in zip(got, want):
        assert abs(a - b) < 1e-9


def test_many_copies_of_one_text_give_one_warning_per_copy(tmp_path):
    n = 3000
    nodes = [{"id": "t", "kind": "thesis", "text": "Same text for all."}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": "Same text for all.", "supports": ["t"]} for i in range(n)]
    path = tmp_path / "same.json"
    path.write_text(json.dumps({"argmap": 1, "nodes": nodes}), encoding="utf-8")
    diags = [d for d in run_checks(load_map(path)) if d.rule == "AM302"]
    assert len(diags) == n
    assert {d.extra["duplicate_of"] for d in diags} == {"t"}
    assert {d.node for d in diags} == {f"n{i}" for i in range(n)}
