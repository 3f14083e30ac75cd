"""The fast YAML loader gives exactly what the careful one gives (data and marks).

``argmap.io.yamlload._fast_yaml_load`` handles plain documents only and raises
for anything unusual; ``_yaml_load`` then reruns the careful
``_PositionLoader``. These tests compare the two on generated documents, the
shipped maps and documents with the unusual things (tags, merge keys,
duplicate keys, anchors), so the fast path can never change a result.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.io.yamlload import _careful_yaml_load, _fast_yaml_load, _Unusual, _yaml_load

ROOT = Path(__file__).resolve().parents[1]


_slow = _careful_yaml_load


def _flat(data, marks):
    """Marks in document order (ids differ between two loads)."""
    out = []

    def walk(x):
        if isinstance(x, (dict, list)):
            out.append(marks.get(id(x)))
            for v in x.values() if isinstance(x, dict) else x:
                walk(v)

    walk(data)
    return out, len(marks)


def _plain(exc):
    mark = getattr(exc, "mark", None) or getattr(exc, "problem_mark", None)
    where = (mark.line, mark.column) if mark is not None else None
    return re.sub(r" at 0x[0-9a-f]+", "", str(exc)), where


def _same(text):
    try:
        slow = _slow(text)
    except Exception as exc:  # the careful loader refuses: the public loader must refuse the same way
        with pytest.raises(type(exc)) as info:
            _yaml_load(text)
        assert _plain(info.value) == _plain(exc)
        return
    try:
        fast = _fast_yaml_load(text)
    except _Unusual:
        fast = _yaml_load(text)
    assert fast[0] == slow[0]
    assert repr(fast[0]) == repr(slow[0])  # same types (True vs 1, 1.0 vs 1)
    assert _flat(*fast) == _flat(*slow)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=False),
    st.text(max_size=30), st.sampled_from(["yes", "no", "on", "2024-01-01", "0x1f", "1_000", ".inf", "~", "null",
                                           "True", "FALSE", "0o17", "+12", "1e3", "- a", "a: b", "#x", "'q'"]),
)
keys = st.one_of(st.text(max_size=12), st.integers(-5, 5), st.booleans(), st.none())
documents = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=5),
                                                          st.dictionaries(keys, inner, max_size=5)), max_leaves=40)


@settings(max_examples=300, deadline=None)
@given(documents, st.sampled_from([None, True, False]), st.integers(20, 200))
def test_fast_loader_equals_careful_loader(doc, flow, width):
    _same(yaml.safe_dump(doc, default_flow_style=flow, width=width, allow_unicode=True, sort_keys=False))


@pytest.mark.parametrize("path", sorted((ROOT / "maps").glob("*.yaml")) + sorted((ROOT / "tests" / "maps").rglob("*.yaml")),
                         ids=lambda p: p.name)
def test_fast_loader_on_shipped_and_example_maps(path):
    _same(path.read_text(encoding="utf-8"))


UNUSUAL = [
    "a: !!python/object:os.system x\n",
    "a: !!int abc\n",
    "a: !!map x\n",
    "a: !!str [1]\n",
    "<<: {a: 1}\nb: 2\n",
    "? [a]\n: 1\n",
    "a: 1\na: 2\n",
    "a: &x 1\nb: *x\n",
    "- &x [1]\n- *x\n",
    "a: !custom 1\n",
    "a: 1\n---\nb: 2\n",
    "a: [1, 2\n",
    "",
    "# only a comment\n",
    "a: 99999999999999999999999999999999999999999999999999\n",
    "a: !!float x\n",
    "[" * 200 + "]" * 200 + "\n",
    "a:\n  - b: c\n    d: [e, {f: g}]\n  -\n  - ''\n",
]


@pytest.mark.parametrize("text", UNUSUAL)
def test_fast_loader_leaves_the_unusual_to_the_careful_loader(text):
    _same(text)


def test_the_fast_path_is_taken_for_plain_maps():
    text = (ROOT / "maps" / "nato-asia-pacific.yaml").read_text(encoding="utf-8")
    data, marks = _fast_yaml_load(text)  # raises _Unusual if it fell back
    assert data["nodes"] and len(marks) > len(data["nodes"])
