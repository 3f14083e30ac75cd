"""The runtime model (argmap.map.model, msgspec) and the reference model (argmap.map.spec,
pydantic) accept exactly the same data and build the same map.

Loading validates with the fast model and asks the reference one only for the
wording of errors, so a disagreement would mean a map that loads but does not
match the published schema, or the other way round.
"""

from __future__ import annotations

import math
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as SpecInvalid

from argmap.map import spec
from argmap.io.loading import load_map
from argmap.map.model import KINDS, ArgumentMap, ValidationError, from_data, map_to_data

ROOT = Path(__file__).resolve().parents[1]


def _fast(data):
    try:
        return from_data(data)
    except ValidationError:
        return None


def _ref(data):
    try:
        return spec.ArgumentMap.model_validate(data)
    except SpecInvalid:
        return None


def assert_same_verdict(data) -> None:
    fast, ref = _fast(data), _ref(data)
    assert (fast is None) == (ref is None), (
        f"msgspec {'rejects' if fast is None else 'accepts'}, pydantic {'rejects' if ref is None else 'accepts'}: {data!r}"
    )
    if fast is not None:
        assert isinstance(fast, ArgumentMap)
        built = msgspec.to_builtins(fast)
        for node in built["nodes"]:  # the reference keeps bare ids as Relation objects too
            for key in ("supports", "attacks"):
                assert all(isinstance(r, dict) for r in node[key])
        assert built == ref.model_dump(mode="json", by_alias=True)


def mostly(valid, invalid):
    """Valid values nine times in ten: a map is valid often enough for one odd field to decide."""
    return st.sampled_from(range(10)).flatmap(lambda i: invalid if i == 0 else valid)


ids_ok = st.sampled_from(["a", "b", "c-1", "Claim_2", "x.y", "A"])
ids_any = mostly(ids_ok, st.one_of(st.sampled_from(["", "1a", "a b", "a\n", "é", "a->b", "-a"]), st.integers(), st.none()))
texts_ok = st.one_of(st.text(min_size=1, max_size=6), st.sampled_from(["1", "x", "a\n"]))
texts = mostly(texts_ok, st.one_of(st.just(""), st.integers(-2, 2), st.booleans(), st.floats(), st.lists(st.text(max_size=2), max_size=1)))
opt_texts = mostly(st.one_of(texts_ok, st.just("")), st.one_of(st.integers(-2, 2), st.booleans(), st.none(), st.lists(st.just("a"), max_size=1)))
numbers = mostly(
    st.one_of(st.floats(0, 1), st.sampled_from([0, 1])),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-2, 3), st.booleans(), st.sampled_from(["0.5", "1", "", "1e-05"]), st.none()),
)
relation_obj = st.fixed_dictionaries(
    {"to": ids_any},
    optional={
        "with": mostly(st.lists(ids_any, max_size=3), ids_any),
        "scheme": mostly(texts, st.none()),
    },
)
relation_odd = st.fixed_dictionaries({"to": ids_ok}, optional={"with_": st.lists(ids_ok, max_size=1), "extra": st.just(1), "to_": ids_ok})
relations = mostly(st.lists(mostly(st.one_of(ids_any, relation_obj), relation_odd), max_size=3), st.one_of(ids_ok, st.none(), st.just({})))
undercuts = mostly(
    st.lists(mostly(st.sampled_from(["a->b", "a->b->c", "x.y->c-1"]), st.sampled_from(["a-b", "a->b\n", "->b", "a->", "a->b c", "a"])), max_size=2),
    st.one_of(st.none(), st.just("a->b")),
)
str_lists = mostly(st.lists(st.text(max_size=3), max_size=2), st.one_of(st.lists(st.integers(0, 1), min_size=1, max_size=1), st.text(max_size=2), st.none()))
draft = mostly(
    st.fixed_dictionaries(
        {"confidence": numbers},
        optional={"backend": mostly(texts, st.none()), "cues": str_lists},
    ),
    st.one_of(st.fixed_dictionaries({"confidence": st.just(0.5), "extra": st.just(0)}), st.fixed_dictionaries({}, optional={"backend": texts}), st.none(), st.integers()),
)
kinds = mostly(st.sampled_from(KINDS), st.one_of(st.sampled_from(["Claim", "", "thesis ", "warrant"]), st.integers(0, 1), st.none()))
node = st.fixed_dictionaries(
    {"id": ids_any, "kind": kinds, "text": texts},
    optional={
        "quote": mostly(texts, st.none()), "actor": mostly(texts, st.none()), "supports": relations, "attacks": relations,
        "undercuts": undercuts, "tags": str_lists, "note": mostly(opt_texts, st.none()), "ignore": str_lists, "draft": draft,
    },
)
node_odd = st.fixed_dictionaries({"id": ids_ok, "kind": kinds, "text": texts}, optional={"extra": st.just(1), "Text": texts})
source = mostly(
    st.fixed_dictionaries(
        {},
        optional={
            "path": mostly(texts, st.none()), "text": mostly(texts, st.none()), "title": opt_texts, "author": opt_texts,
            "publisher": opt_texts, "url": opt_texts, "published": mostly(opt_texts, st.dates()),
        },
    ),
    st.one_of(st.none(), st.text(max_size=3), st.fixed_dictionaries({"extra": st.just(1)})),
)
maps = st.fixed_dictionaries(
    {"argmap": mostly(st.just(1), st.sampled_from([True, 1.0, 2, 0, "1", None]))},
    optional={"title": opt_texts, "source": source},
).flatmap(
    lambda top: mostly(st.lists(mostly(node, node_odd), max_size=4), st.one_of(st.none(), st.just("x"), st.just({}))).map(
        lambda ns: {**top, "nodes": ns}
    )
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(maps)
def test_both_models_agree_on_generated_data(data):
    assert_same_verdict(data)


def test_the_generator_makes_valid_and_invalid_maps():
    # Guard for the property above: it proves little if nearly every map is rejected by both.
    seen = {True: 0, False: 0}

    @settings(max_examples=400, deadline=None, database=None)
    @given(maps)
    def count(data):
        seen[_ref(data) is not None] += 1

    count()
    assert seen[True] >= 40 and seen[False] >= 40, seen


@settings(max_examples=300, deadline=None)
@given(st.lists(node, min_size=1, max_size=3))
def test_both_models_agree_on_mostly_valid_maps(nodes):
    # Valid top level, so the verdict turns on the nodes alone.
    assert_same_verdict({"argmap": 1, "nodes": nodes})


@pytest.mark.parametrize(
    "value", [1e-05, 0.0, 1, 0, 1.0, True, False, "0.5", math.nan, math.inf, -0.0, 1.0000001, -1e-300]
)
def test_confidence_is_a_number_in_both(value):
    assert_same_verdict({"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "t", "draft": {"confidence": value}}]})


@pytest.mark.parametrize("value", [1, True, 1.0, 2, "1", None])
def test_format_version_is_the_number_one_in_both(value):
    data = {"argmap": value, "nodes": []}
    assert_same_verdict(data)
    assert (_fast(data) is not None) == (value == 1 and type(value) is int)


@pytest.mark.parametrize("value", ["a\n", "a->b\n"])
def test_a_final_line_break_is_not_part_of_an_id_in_both(value):
    data = {"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "t", "undercuts": [value], "supports": [value]}]}
    assert _fast(data) is None and _ref(data) is None


def test_bare_ids_become_relations():
    amap = from_data({"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "t", "supports": ["b", {"to": "c", "with": ["d"]}]}]})
    rels = amap.nodes[0].supports
    assert [r.to for r in rels] == ["b", "c"] and rels[0].simple and rels[1].with_ == ["d"]
    assert map_to_data(amap)["nodes"][0]["supports"] == ["b", {"to": "c", "with": ["d"]}]


def _shipped_and_example_maps():
    paths = [*sorted((ROOT / "maps").glob("*.yaml")), *sorted((ROOT / "tests" / "maps").rglob("*.yaml"))]
    return [p for p in paths if p.is_file()]


@pytest.mark.parametrize("path", _shipped_and_example_maps(), ids=lambda p: str(p.relative_to(ROOT)))
def test_both_models_agree_on_the_example_maps(path):
    from argmap.map.errors import MapInvalid
    from argmap.io.yamlload import _yaml_load

    try:
        data = _yaml_load(path.read_text(encoding="utf-8"))[0]
    except Exception:  # a syntax-error example: loading must say so, not reach the models
        with pytest.raises(MapInvalid):
            load_map(path)
        return
    if isinstance(data, dict):
        assert_same_verdict(data)


_ID_PIECES = st.sampled_from(["a", "Z9", "x_y", "b.c-d", "", " ", "\n", "é", "1", "-", "a b", "\x00", "->"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(_ID_PIECES, min_size=1, max_size=4).map("".join), max_size=6))
def test_ids_matched_together_equal_ids_matched_one_by_one(values):
    from argmap.map.model import _ID_OK, _all_ids

    assert _all_ids(values) == all(_ID_OK(v) is not None for v in values)


def test_the_first_bad_id_is_still_named_by_its_path():
    nodes = [{"id": "n0", "kind": "thesis", "text": "t"}]
    nodes += [{"id": f"n{k}", "kind": "claim", "text": "t", "supports": ["n0"]} for k in range(1, 50)]
    nodes[30]["supports"] = ["n0", {"to": "n1", "with": ["bad id"]}]
    nodes[40]["attacks"] = ["also bad"]
    with pytest.raises(ValidationError, match=r"\$\.nodes\[30\]\.supports\[1\]"):
        from_data({"argmap": 1, "nodes": nodes})
