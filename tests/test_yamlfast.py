"""argmap.io.yamlfast: the careful YAML loader's data, faster, or NotFast.

``load(text)`` must return exactly ``_yaml_load(text)[0]`` (values, types,
key order) or raise NotFast; where the careful loader fails, it must raise
NotFast (or fail too), never return data.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from argmap.io.yamlload import _yaml_load
from argmap.io.yamlfast import NotFast, load

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from genmap import dump_yaml, generate  # noqa: E402


def same(a, b) -> bool:
    """Equal values of the same types, dict keys in the same order (NaN equals NaN, -0.0 is not 0.0)."""
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return [(type(k), k) for k in a] == [(type(k), k) for k in b] and all(same(a[k], b[k]) for k in a)
    if type(a) is list:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if type(a) is float:
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


def careful(text: str):
    """(True, data) from the careful loader, or (False, exception)."""
    try:
        return True, _yaml_load(text)[0]
    except Exception as exc:  # any failure: load may not return data then
        return False, exc


def agrees(text: str) -> bool:
    """Check the promise on ``text``; True when the fast path gave data."""
    ok, ref = careful(text)
    try:
        got = load(text)
    except NotFast:
        return False
    assert ok, f"the careful loader fails ({ref!r}) but load returned {got!r} for {text!r}"
    assert same(got, ref), f"load gave {got!r}, the careful loader {ref!r}, for {text!r}"
    return True


# --------------------------------------------------------------------------- maps

_MAP_FILES = sorted(
    p for pattern in ("maps/**/*.yaml", "tests/maps/**/*.yaml", "maps/**/*.yml", "tests/maps/**/*.yml")
    for p in ROOT.glob(pattern)
)


def test_there_are_maps_to_check():
    assert len(_MAP_FILES) > 50


@pytest.mark.parametrize("path", _MAP_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_project_maps(path):
    text = path.read_text(encoding="utf-8")
    agrees(text)


def test_most_project_maps_take_the_fast_path():
    """Not a fast path that always says NotFast: the plain maps go through it."""
    fast = [p for p in _MAP_FILES if agrees(p.read_text(encoding="utf-8"))]
    assert len(fast) >= len(_MAP_FILES) - 5
    for name in ("maps/nato-asia-pacific.yaml", "tests/maps/valid/linked-and-undercut.yaml"):
        assert ROOT / name in fast


@pytest.mark.parametrize("shape", ["tree", "mixed"])
@pytest.mark.parametrize("n,seed", [(1, 0), (7, 1), (300, 2), (2000, 8)])
def test_generated_maps_take_the_fast_path(shape, n, seed):
    text = dump_yaml(generate(n, shape, seed=seed, source=seed % 2 == 0))
    assert agrees(text), "a generated map must not need the careful loader"


def test_benchmark_maps_on_disk():
    # The maps `make bench` times, when it has run; else the size it times, made here.
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench" / "out" / "maps").glob("*.yaml"))]
    if not texts:
        texts = [dump_yaml(generate(10_000, "mixed", seed=8, source=True))]
    for text in texts:
        assert agrees(text), text[:200]


# --------------------------------------------------------------------------- scalars

TRICKY = [
    "yes", "no", "on", "off", "y", "n", "Yes", "NO", "On",
    "~", "null", "Null", "NULL", "nULL", "NuLL", "",
    "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "fAlse",
    "0x1F", "0X1F", "0o17", "0O17", "0b101", "012", "08", "09", "00", "0", "-0", "+0", "+1", "-1", "12",
    "1_000", "1__0", "_1", "1_", "0x_1f", "0b1_0",
    "1e3", "1E3", "1e+3", "1.0e3", "1.0e+3", "1.5E-3", "12e03", "1e400", "1.0e+400", "-1.0e+400",
    "0.5", "-0.5", ".5", "-.5", "+.5", "1.", "-1.", "0.", "1_0.5", "3.14159", "123456789012345678901234567890",
    ".inf", ".Inf", ".INF", "-.inf", "+.inf", ".nan", ".NaN", ".NAN", "-.NaN", ".iNf",
    "2001-12-14", "2001-12-14T21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "1:30", "-1:30", "1:30.5", "190:20:30",
    "=", "<<", "<", "==",
    "a b", "é", "日本", "emoji 🎉", "x: y", "a #b", "a#b", "- x", "? x", "[x]", "{x}", "a, b",
    "@x", "`x", "%x", "!x", "&x", "*x", "|", ">", "'", '"', "\\", "#", ":", "-", "?", ",",
    "a\tb", "\t", "line\nbreak", "trailing ", " leading", "two  spaces",
]


def quote1(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def quote2(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


@pytest.mark.parametrize("s", TRICKY)
@pytest.mark.parametrize("form", ["plain", "single", "double", "key", "flow", "item"])
def test_tricky_scalars(s, form):
    text = {
        "plain": f"v: {s}\n",
        "single": f"v: {quote1(s)}\n",
        "double": f"v: {quote2(s)}\n",
        "key": f"{s}: v\n",
        "flow": f"v: [{s}, {quote1(s)}, {quote2(s)}]\n",
        "item": f"- {s}\n- {quote2(s)}\n",
    }[form]
    agrees(text)


def test_plain_scalars_both_schemas_read_alike_take_the_fast_path():
    text = (
        "argmap: 1\ncount: -12\nratio: 0.75\nwhole: 3.\nflag: true\nother: False\nnothing: ~\nalso: null\n"
        "empty:\ndate: 2001-12-14\nword: yes\nquoted: 'twelve'\nlist: [1, -2, 0.5, 'x', \"0x10\", true, ~]\n"
    )
    assert agrees(text)
    data = load(text)
    assert data["argmap"] == 1 and type(data["argmap"]) is int
    assert data["whole"] == 3.0 and data["flag"] is True and data["nothing"] is None and data["empty"] is None
    assert data["date"] == "2001-12-14" and data["word"] == "yes" and data["list"][4] == "0x10"


@pytest.mark.parametrize(
    "text",
    [
        "v: 012\n", "v: 0o17\n", "v: 1e3\n", "v: 1_000\n", "v: +.5\n", "v: 1:30\n", "v: .nan\n", "v: .inf\n",
        "v: 0x1F\n", "v: 0b101\n", "v: 99999999999999999999999\n",
        "v: '12'\nw: 12\n",  # a quoted number next to the same number written plain
        "v: =\n",
    ],
)
def test_numbers_the_schemas_may_read_differently_are_not_fast(text):
    with pytest.raises(NotFast):
        load(text)


def test_quoted_numbers_alone_take_the_fast_path():
    text = "published: '2024'\nid: \"12\"\nnote: 'null'\nflag: \"true\"\nempty: ''\n"
    assert agrees(text)
    assert load(text) == {"published": "2024", "id": "12", "note": "null", "flag": "true", "empty": ""}


# --------------------------------------------------------------------------- refused constructs

@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",
        "a: &x 1\n",
        "- &x [1]\n- *x\n",
        "a: {b: &x c}\n",
        "base: &b {x: 1}\nother:\n  <<: *b\n",
        "<<: {x: 1}\n",
        "a: 1\na: 2\n",
        "a: 1\n'a': 2\n",
        "a: 1\n\"a\": 2\n",
        "x:\n  a: 1\n  b: 2\n  a: 3\n",
        "- {a: 1, a: 2}\n",
        "a: !!str 12\n",
        "a: !!int '12'\n",
        "a: !custom x\n",
        "a: ! 12\n",
        "!!map {a: 1}\n",
        "a: !!binary aGVsbG8=\n",
        "a: !!set {x, y}\n",
        "a: !!timestamp 2001-12-14\n",
        "--- a\n--- b\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "? [a, b]\n: 1\n",
        "1: a\n",
        "null: a\n",
        "true: a\n",
        "[1, 2]: a\n",
        "a: b: c\n",
        "a: [1, 2\n",
        "a:\n  - b\n - c\n",
        "a: 1\n  b: 2\n",
        "a: x\x85y\n",
        "a: x\u2028y\n",
        "a: x\x01y\n",
        "a: 'x\ty'\n",
        "a:\tb\n",
        "a: 1\rb: 2\r",
        "v: \"\\ud800\"\n",
    ],
)
def test_refused_or_unusual_documents_are_not_fast(text):
    with pytest.raises(NotFast):
        load(text)
    agrees(text)  # and never data where the careful loader fails


def test_not_fast_is_an_exception_the_caller_can_catch():
    assert issubclass(NotFast, Exception)
    with pytest.raises(NotFast) as info:
        load("a: &x 1\n")
    assert "anchor" in str(info.value)


# --------------------------------------------------------------------------- generated documents

_WORDS = st.sampled_from(TRICKY) | st.text(
    alphabet=st.characters(
        codec="utf-8",
        categories=("L", "N", "P", "S", "Zs"),
        include_characters="\t:#-?,[]{}'\"|>!&*%@`\\",
    ),
    max_size=12,
)
_KEYS = st.sampled_from(["id", "kind", "text", "x", "y", "note", "yes", "no", "on", "a b", "é", "1", "true", "~"]) | _WORDS


@st.composite
def scalar(draw, flow: bool = False):
    s = draw(_WORDS)
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "plain":
        return s
    return quote1(s) if style == "single" else quote2(s)


@st.composite
def block_scalar(draw, indent: int):
    header = draw(st.sampled_from(["|", "|-", "|+", ">", ">-", ">+"]))
    lines = draw(st.lists(st.sampled_from(TRICKY[:40]) | _WORDS, min_size=1, max_size=4))
    pad = " " * (indent + 2)
    body = "".join(f"{pad}{line}\n" if line.strip() else "\n" for line in lines)
    trail = draw(st.sampled_from(["", "\n", "\n\n"]))
    return header + "\n" + body + trail


@st.composite
def flow_list(draw):
    items = draw(st.lists(scalar(flow=True), max_size=4))
    return "[" + ", ".join(items) + "]"


@st.composite
def comment(draw):
    return draw(st.sampled_from(["", "", " # note", " #: x", "  # yes: 1"]))


def block_mapping(indent: int, depth: int):
    @st.composite
    def build(draw):
        pad = " " * indent
        out = []
        for _ in range(draw(st.integers(1, 4))):
            k = draw(_KEYS)
            key = draw(st.sampled_from([k, quote1(k), quote2(k)]))
            kind = draw(st.sampled_from(["scalar", "scalar", "flow", "block", "empty"] + (["map", "seq"] if depth else [])))
            if kind == "scalar":
                out.append(f"{pad}{key}: {draw(scalar())}{draw(comment())}\n")
            elif kind == "flow":
                out.append(f"{pad}{key}: {draw(flow_list())}{draw(comment())}\n")
            elif kind == "block":
                out.append(f"{pad}{key}: {draw(block_scalar(indent))}")
            elif kind == "empty":
                out.append(f"{pad}{key}:{draw(comment())}\n")
            elif kind == "map":
                out.append(f"{pad}{key}:\n" + draw(block_mapping(indent + 2, depth - 1)))
            else:
                out.append(f"{pad}{key}:\n" + draw(block_sequence(indent + 2, depth - 1)))
            if draw(st.integers(0, 5)) == 0:
                out.append(draw(st.sampled_from(["\n", f"{pad}# comment\n", "# yes\n"])))
        return "".join(out)

    return build()


def block_sequence(indent: int, depth: int):
    @st.composite
    def build(draw):
        pad = " " * indent
        out = []
        for _ in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["scalar", "flow"] + (["map"] if depth else [])))
            if kind == "scalar":
                out.append(f"{pad}- {draw(scalar())}{draw(comment())}\n")
            elif kind == "flow":
                out.append(f"{pad}- {draw(flow_list())}\n")
            else:
                inner = draw(block_mapping(indent + 2, depth - 1))
                out.append(f"{pad}- " + inner[indent + 2 :])
        return "".join(out)

    return build()


_DOCUMENTS = st.one_of(
    block_mapping(0, 2),
    block_sequence(0, 2),
    st.builds(lambda head, body: head + body, st.sampled_from(["", "---\n", "# head\n---\n", "--- # c\n"]), block_mapping(0, 2)),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_DOCUMENTS)
@example("v: 012\nw: '012'\n")
@example("a: 1\nb: \"1\"\nc: '1.5'\n")
@example("x: |\n  012\n")
@example("x: >-\n  1\n\n  2\n")
def test_generated_documents_agree_or_are_not_fast(text):
    agrees(text)
    agrees(text.replace("\n", "\r\n"))  # Windows line ends


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    block_mapping(0, 1),
    st.sampled_from(
        [
            "dup: 1\ndup: 2\n",
            "anchor: &a x\n",
            "anchor: &a x\nalias: *a\n",
            "tagged: !!str x\n",
            "tagged: !local x\n",
            "<<: {m: 1}\n",
            "---\nsecond: doc\n",
        ]
    ),
)
def test_generated_documents_with_refused_constructs_are_not_fast(body, bad):
    text = body + bad
    with pytest.raises(NotFast):
        load(text)
    agrees(text)


# --------------------------------------------------------------------------- lazy positions

@pytest.mark.parametrize("name", ["maps/nato-asia-pacific.yaml", "tests/maps/invalid/schema-error/example.yaml"])
def test_lazy_positions_over_fast_data_equal_the_careful_ones(name):
    """With the fast path a caller keeps Positions(text=...): the same lines and columns, found later."""
    from argmap.io.loading import Positions

    text = (ROOT / name).read_text(encoding="utf-8")
    data = load(text)
    eager = Positions(*_yaml_load(text))
    lazy = Positions(text=text)
    paths = [(), ("nodes",), ("title",)]
    for i, node in enumerate(data["nodes"]):
        paths.append(("nodes", i))
        paths.extend(("nodes", i, key) for key in node)
    assert len(paths) > 5
    for path in paths:
        assert lazy.of(path) == eager.of(path), path
        assert lazy.of(path, key=True) == eager.of(path, key=True), path
    assert lazy.node(1)[0] > 1


def test_without_the_library_everything_is_not_fast(monkeypatch):
    import argmap.io.yamlfast as yamlfast

    monkeypatch.setattr(yamlfast, "_library", None)
    monkeypatch.setitem(sys.modules, "yaml_rs", None)  # import yaml_rs raises ImportError
    with pytest.raises(NotFast):
        yamlfast.load("a: 1\n")


def test_the_resolver_table_is_the_careful_loaders():
    # yamlfast keeps its own copy so that a plain map needs no PyYAML import.
    from argmap.io.yamlfast import resolvers
    from argmap.io.yamlload import _PositionLoader

    def shape(table):
        return {k: [(tag, rx.pattern, rx.flags) for tag, rx in v] for k, v in table.items() if v}

    assert shape(resolvers()) == shape(_PositionLoader.yaml_implicit_resolvers)
