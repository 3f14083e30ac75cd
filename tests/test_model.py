"""The format's one declaration (argmap.map.model) and what is derived from it (argmap.map.spec).

The pydantic models are built from the msgspec Structs, so they have the same
fields by construction; these tests hold the places where the translation
adds something (strict numbers, the whole-number version, id patterns, the
short form of a relation) to the same verdict as the Structs.
"""

from __future__ import annotations

import math

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError as SpecInvalid

from argmap.map import model, spec
from argmap.map.model import ValidationError, from_data, map_to_data


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
        assert map_to_data(fast) == map_to_data(from_data(ref.model_dump(mode="json", by_alias=True)))


def _node(**fields):
    return {"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "t", **fields}]}


@pytest.mark.parametrize("value", [1e-05, 0.0, 1, 0, 1.0, True, False, "0.5", math.nan, math.inf, -0.0, 1.0000001, -1e-300])
def test_confidence_is_a_number_in_both(value):
    assert_same_verdict(_node(draft={"confidence": value}))


@pytest.mark.parametrize("value", [1, True, 1.0, 2, "1", None])
def test_format_version_is_the_number_one_in_both(value):
    data = {"argmap": value, "nodes": []}
    assert_same_verdict(data)
    assert (_fast(data) is not None) == (value == 1 and type(value) is int)


@pytest.mark.parametrize("value", ["a\n", "a->b\n"])
def test_a_final_line_break_is_not_part_of_an_id_in_both(value):
    data = _node(undercuts=[value], supports=[value])
    assert _fast(data) is None and _ref(data) is None


@pytest.mark.parametrize(
    "fields",
    [
        {"supports": ["b", {"to": "c", "with": ["d"], "scheme": "x", "roles": {"goal": "d"}}]},
        {"supports": [{"to": "c", "roles": {"goal": "d e"}}]},
        {"supports": [{"to": "c", "roles": {"": "d"}}]},
        {"supports": [{"to": "c", "roles": ["d"]}]},
        {"supports": [{"to": "c", "roles": {"goal": 1}}]},
        {"answers": [{"reason": "b->a", "question": "practical-reasoning.side-effects"}]},
        {"answers": [{"reason": "b", "question": "q"}]},
        {"answers": [{"reason": "b->a", "question": ""}]},
        {"answers": [{"reason": "b->a"}]},
        {"answers": [{"reason": "b->a", "question": "q", "by": "x"}]},
        {"answers": ["b->a"]},
        {"supports": [3]},
        {"supports": [{"with": ["b"]}]},
        {"attacks": "b"},
        {"kind": "warrant"},
    ],
)
def test_both_models_agree_on_relation_forms_roles_and_answers(fields):
    assert_same_verdict(_node(**fields))


_ID_PIECES = st.sampled_from(["a", "Z9", "x_y", "b.c-d", "", " ", "\n", "é", "1", "-", "a b", "\x00", "->"])
_ids = st.lists(_ID_PIECES, min_size=1, max_size=3).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"id": _ids, "kind": st.just("claim"), "text": st.just("t")}, optional={
    "supports": st.lists(st.one_of(_ids, st.fixed_dictionaries({"to": _ids}, optional={
        "with": st.lists(_ids, max_size=2), "roles": st.dictionaries(st.sampled_from(["goal", "means"]), _ids, max_size=2)})),
        max_size=2),
    "undercuts": st.lists(st.builds(lambda a, b: f"{a}->{b}", _ids, _ids), max_size=2),
    "answers": st.lists(st.fixed_dictionaries({"reason": st.builds(lambda a, b: f"{a}->{b}", _ids, _ids), "question": _ids}), max_size=2),
}))
def test_both_models_agree_on_ids_everywhere(node):
    # from_data matches ids and references in bulk; pydantic by each field's pattern
    assert_same_verdict({"argmap": 1, "nodes": [node]})


def test_bare_ids_become_relations():
    amap = from_data(_node(supports=["b", {"to": "c", "with": ["d"]}, {"to": "e"}]))
    rels = amap.nodes[0].supports
    assert [r.to for r in rels] == ["b", "c", "e"] and rels[0].simple and rels[1].with_ == ["d"]
    assert map_to_data(amap)["nodes"][0]["supports"] == ["b", {"to": "c", "with": ["d"]}, "e"]


def test_canonical_data_follows_the_declaration_and_drops_empty_fields():
    data = {"argmap": 1, "nodes": [{
        "draft": {"cues": [], "confidence": 1}, "note": "", "tags": [], "answers": [{"question": "q", "reason": "a->b"}],
        "supports": [{"roles": {"goal": "c"}, "to": "b", "with": []}], "text": "t", "kind": "claim", "id": "a", "quote": None,
    }], "title": None}
    out = map_to_data(from_data(data))
    node = out["nodes"][0]
    assert list(out) == ["argmap", "nodes"]
    assert list(node) == ["id", "kind", "text", "supports", "answers", "note", "draft"]
    assert node["supports"] == [{"to": "b", "roles": {"goal": "c"}}] and node["draft"] == {"confidence": 1.0}
    assert list(node["answers"][0]) == list(model.ANSWER_ORDER) == ["reason", "question"]


def test_field_orders_are_the_structs_fields():
    assert model.NODE_ORDER[:3] == ("id", "kind", "text") and model.RELATION_ORDER == ("to", "with", "scheme", "roles")
    for struct, order in [(model.ArgumentMap, model.TOP_ORDER), (model.Node, model.NODE_ORDER), (model.Source, model.SOURCE_ORDER),
                          (model.Relation, model.RELATION_ORDER), (model.Draft, model.DRAFT_ORDER), (model.Answer, model.ANSWER_ORDER)]:
        assert order == tuple(f.encode_name for f in msgspec.structs.fields(struct))
        assert spec.fields_at(_path_to(struct) + ("x",)) == order


def _path_to(struct) -> tuple:
    return {model.ArgumentMap: (), model.Node: ("nodes", 0), model.Source: ("source",), model.Draft: ("nodes", 0, "draft"),
            model.Relation: ("nodes", 0, "attacks", 1), model.Answer: ("nodes", 2, "answers", 0)}[struct]


def test_the_schema_is_derived_from_the_structs():
    schema = spec.json_schema()
    defs = schema["$defs"]
    assert list(schema["properties"]) == list(model.TOP_ORDER)
    assert list(defs["Node"]["properties"]) == list(model.NODE_ORDER)
    item = defs["Node"]["properties"]["supports"]["items"]["anyOf"]
    assert item[0] == {"type": "string", "pattern": model.ID_PATTERN} and item[1] == {"$ref": "#/$defs/Relation"}
    assert defs["Answer"]["properties"]["reason"]["pattern"] == model.RELATION_REF_PATTERN
    assert defs["Draft"]["properties"]["confidence"]["maximum"] == 1.0




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
    nodes[30]["supports"] = ["n0"]
    nodes[35]["answers"] = [{"reason": "n35", "question": "q"}]
    with pytest.raises(ValidationError, match=r"\$\.nodes\[35\]\.answers\[0\]\.reason"):
        from_data({"argmap": 1, "nodes": nodes})


def test_model_does_not_import_spec_or_pydantic():
    import subprocess
    import sys

    code = "import sys, argmap.map.model; print('argmap.map.spec' in sys.modules, 'pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
