"""Property tests for argmap diff over generated maps."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.diff import diff_maps
from argmap.io.fmt import format_text
from argmap.io.loading import load_text
from test_fmt_properties import _messy_yaml, map_data

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(data, name="m.json"):
    return load_text(json.dumps(data), name=name)


@SETTINGS
@given(map_data(), st.randoms(use_true_random=False))
def test_layout_order_and_fmt_are_never_changes(data, rnd):
    original = _load(data)
    shuffled = dict(data, nodes=rnd.sample(data["nodes"], len(data["nodes"])))
    for node in shuffled["nodes"]:
        for key in ("supports", "attacks", "undercuts", "tags"):
            if key in node:
                node[key] = rnd.sample(node[key], len(node[key]))
    d = diff_maps(original, _load(shuffled, "shuffled.json"), checks=False)
    assert not d.has_changes, d.summary()
    # (PyYAML's dump, which makes the messy layout, may itself lose a U+2028; so the
    # formatted map is compared with the messy one it came from)
    messy = load_text(_messy_yaml(shuffled, random.Random(rnd.random())), name="messy.yaml")
    formatted = load_text(format_text(messy.text, name="f.yaml").text, name="f.yaml")
    d = diff_maps(messy, formatted, checks=False)
    assert not d.has_changes, d.summary()


@SETTINGS
@given(map_data(), map_data())
def test_diff_is_symmetric(a, b):
    old, new = _load(a, "a.json"), _load(b, "b.json")
    forward = diff_maps(old, new, checks=False)
    back = diff_maps(new, old, checks=False)
    assert forward.has_changes == back.has_changes
    if old.map == new.map:
        assert not forward.has_changes
    assert sorted(n["id"] for n in forward.added) == sorted(n["id"] for n in back.removed)
    assert len(forward.renamed) == len(back.renamed)
    if not forward.renamed:
        assert forward.relations_added == back.relations_removed
    assert len(forward.changed) == len(back.changed)
    assert len(forward.relations_changed) == len(back.relations_changed)


@SETTINGS
@given(map_data())
def test_a_map_equals_itself_with_checks(data):
    loaded = _load(data)
    d = diff_maps(loaded, _load(data, "again.json"))
    assert not d.has_changes and d.checks.introduced == [] and d.checks.fixed == []
