"""Property tests of the loader: round trips, and no stray exception from any text."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.map.errors import ArgmapError
from argmap.io.files import decode_text
from argmap.io.loading import load_text
from argmap.map.model import map_to_data
from argmap.io.writing import dumps
from fuzz.strategies import json_like, map_data, mutated_map_data

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def unordered(amap) -> dict:
    """A map's data with relation lists sorted: ``argmap fmt`` sorts them by target id."""
    data = map_to_data(amap)
    for node in data["nodes"]:
        for key in ("supports", "attacks"):
            if key in node:
                rels = [r if isinstance(r, str) else {**r, "with": sorted(r.get("with", []))} for r in node[key]]
                node[key] = sorted(rels, key=lambda r: json.dumps(r, sort_keys=True))
        if "undercuts" in node:
            node["undercuts"] = sorted(node["undercuts"])
    return data


@SETTINGS
@given(map_data())
def test_round_trip_map_to_canonical_json_to_map(data):
    first = load_text(json.dumps(data, ensure_ascii=False), name="m.json")
    text = dumps(first.map, "json")
    second = load_text(text, name="m.json")
    assert second.map == first.map
    assert dumps(second.map, "json") == text  # canonical JSON is a fixed point


@SETTINGS
@given(map_data())
def test_round_trip_through_canonical_yaml(data):
    first = load_text(json.dumps(data), name="m.json")
    text = dumps(first.map, "yaml")
    second = load_text(text, name="m.yaml")
    assert unordered(second.map) == unordered(first.map)
    assert dumps(second.map, "yaml") == text  # canonical YAML is a fixed point


@SETTINGS
@given(map_data())
def test_yaml_and_json_of_the_same_data_load_equal(data):
    import yaml

    from_json = load_text(json.dumps(data), name="m.json").map
    # allow_unicode=False: PyYAML writes U+0085 raw, and YAML 1.1 reads it back as a line break
    from_yaml = load_text(yaml.safe_dump(data, allow_unicode=False), name="m.yaml").map
    assert from_json == from_yaml


@SETTINGS
@given(mutated_map_data(), st.sampled_from(["json", "yaml"]))
def test_broken_maps_give_argmap_errors_only(data, fmt):
    import yaml

    text = json.dumps(data) if fmt == "json" else yaml.safe_dump(data, allow_unicode=True)
    try:
        load_text(text, name=f"m.{fmt}")
    except ArgmapError as exc:
        assert exc.exit_code == 1
        for d in exc.diagnostics:
            assert "\n" not in d.format()


@SETTINGS
@given(json_like)
def test_any_json_value_gives_argmap_errors_only(value):
    try:
        load_text(json.dumps(value), name="m.json")
    except ArgmapError:
        pass


@settings(max_examples=1000, deadline=None)
@given(st.text())
def test_any_text_gives_argmap_errors_only(text):
    for name in ("m.yaml", "m.json"):
        try:
            load_text(text, name=name)
        except ArgmapError as exc:
            assert "\n" not in str(exc)


@settings(max_examples=1000, deadline=None)
@given(st.binary())
def test_any_bytes_give_argmap_errors_only(data):
    try:
        text = decode_text(data, "m.yaml", what="map")
    except ArgmapError as exc:
        assert exc.exit_code == 2
        return
    try:
        load_text(text, name="m.yaml")
    except ArgmapError:
        pass


def _paths(obj, pre=()):
    yield pre
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*pre, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*pre, i))


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), json_like, max_size=4), st.sampled_from([None, 0, 2, "\t"]),
       st.booleans(), st.sampled_from([None, (",", ":"), (" , ", " : ")]), st.sampled_from(["\n", "\r\n"]))
def test_json_positions_are_where_the_yaml_reader_puts_them(value, indent, ascii_only, separators, newline):
    """JSON positions come from json's scanner alone; the YAML reader, which reads
    JSON too, is the oracle: every value and key is placed where it places them."""
    from hypothesis import assume

    from argmap.io.loading import JSONPositions, Positions
    from argmap.io.yamlload import _yaml_load

    text = json.dumps(value, indent=indent, ensure_ascii=ascii_only, separators=separators).replace("\n", newline)
    try:
        oracle = Positions(*_yaml_load(text))
    except Exception:  # JSON that YAML does not read alike (e.g. tabs where YAML refuses them)
        assume(False)
    found = JSONPositions(text)
    for path in _paths(json.loads(text)):
        for key in (False, True):
            assert found.of(path, key=key) == oracle.of(path, key=key), (path, key)
    assert found.of(("no such key", 0)) == oracle.of(("no such key", 0))


@SETTINGS
@given(st.dictionaries(st.text(max_size=8), json_like, max_size=4), st.sampled_from([None, False, True]),
       st.sampled_from([2, 4]), st.sampled_from([20, 80]))
def test_yaml_positions_are_where_pyyamls_composer_puts_the_nodes(value, flow, indent, width):
    """The YAML reader keeps libyaml's marks as it builds the data (a mapping's entries flat:
    key, value, key, value); PyYAML's own composer is the oracle: every value, item and
    key is placed where its node starts."""
    import yaml

    from argmap.io.loading import Positions
    from argmap.io.yamlload import _yaml_load

    text = yaml.safe_dump(value, default_flow_style=flow, indent=indent, width=width, allow_unicode=True)
    found = Positions(*_yaml_load(text))

    def where(node):
        return node.start_mark.line + 1, node.start_mark.column + 1

    def walk(node, path):
        assert found.of(path) == where(node), path
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                assert found.of((*path, k.value), key=True) == where(k), (path, k.value)
                walk(v, (*path, k.value))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, (*path, i))

    walk(yaml.compose(text, Loader=yaml.SafeLoader), ())


_WORDS = ["true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "tRue", "nULL", "nul",
          "truer", "t", "f", "n", "N", "~~", "text", "thesis", "nodes", "yes", "No", "on", "OFF", "y", "0", ".5"]


@SETTINGS
@given(st.one_of(st.text(alphabet="0123456789 .+-_:eEtruefalsnNTFxob~<=yYoO", min_size=1, max_size=12),
                 st.sampled_from(_WORDS)))
def test_plain_scalars_read_as_pyyaml_reads_them_with_argmap_resolvers(word):
    """The event loop's shortcuts (a first character no resolver starts with, a space, the
    words of booleans and null) give the value PyYAML's own composer and constructor give
    with argmap's resolvers."""
    import yaml
    from hypothesis import assume

    from argmap.io.yamlload import _PositionLoader, _yaml_load

    text = f"k: {word}\n"
    try:
        expected = yaml.load(text, Loader=_PositionLoader)
    except yaml.YAMLError:
        assume(False)
    assume(isinstance(expected, dict) and "k" in expected)
    assert _yaml_load(text)[0] == expected
