"""Property tests: fmt is idempotent and never changes the map (generated maps)."""

from __future__ import annotations

import random
import re

import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from argmap.io.fmt import _format_yaml_text, format_text
from argmap.io.yamlemit import canonical_yaml
from argmap.io.yamlstyle import canonical_map_data
from argmap.io.loading import load_text
from argmap.map.model import KINDS, NODE_ORDER, from_data

IDS = ["thesis", "c1", "c2", "c10", "p1", "p2", "p-3", "o.1", "r_4", "yes", "null", "x2024"]

# printable text of any script, plus the characters that make YAML quoting hard
_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
_specials = st.sampled_from(list(":#'\"-?[]{},&*!|>%@`\n\t  \\\u2028\u00a0’—") + ["\r\n"])
TEXT = st.lists(st.one_of(_chars, _specials, st.sampled_from(["yes", "1.5", "null", "~", "2024-01-01", " - "])), min_size=1, max_size=40).map("".join)
LONG = st.lists(st.sampled_from(["word", "longer-word", "a", "NATO’s", "and,", "x" * 30, " ", "  "]), min_size=1, max_size=60).map(" ".join)
SOME_TEXT = st.one_of(TEXT, LONG).filter(lambda s: s != "")

ids = st.sampled_from(IDS)
relation = st.one_of(
    ids,
    st.fixed_dictionaries({"to": ids}, optional={"with": st.lists(ids, min_size=1, max_size=3), "scheme": SOME_TEXT}),
)
undercut = st.tuples(ids, ids).map(lambda t: f"{t[0]}->{t[1]}")


@st.composite
def node(draw, node_id):
    out = {"id": node_id, "kind": draw(st.sampled_from(KINDS)), "text": draw(SOME_TEXT)}
    optional = {
        "quote": SOME_TEXT,
        "actor": SOME_TEXT,
        "supports": st.lists(relation, max_size=4),
        "attacks": st.lists(relation, max_size=3),
        "undercuts": st.lists(undercut, max_size=2),
        "tags": st.lists(TEXT, max_size=3),
        "note": st.one_of(st.none(), TEXT),
        "ignore": st.lists(st.sampled_from(["AM101", "dangling-relation"]), max_size=2),
        "draft": st.fixed_dictionaries(
            {"confidence": st.floats(0, 1, allow_nan=False)},
            optional={"backend": st.sampled_from(["heuristic", "llm"]), "cues": st.lists(TEXT, max_size=2)},
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            out[key] = draw(strategy)
    return out


@st.composite
def map_data(draw):
    chosen = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    data = {"argmap": 1, "nodes": [draw(node(i)) for i in chosen]}
    if draw(st.booleans()):
        data["title"] = draw(SOME_TEXT)
    if draw(st.booleans()):
        data["source"] = draw(
            st.fixed_dictionaries({}, optional={"path": SOME_TEXT, "author": TEXT, "published": st.just("2024-05-01")})
        )
    return data


def _valid(data):
    return from_data(data)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(map_data())
def test_canonical_yaml_loads_back_and_is_fmt_clean(data):
    amap = _valid(data)
    text = canonical_yaml(canonical_map_data(amap))
    loaded = load_text(text, name="gen.yaml")
    assert loaded.map == from_data(canonical_map_data(amap))
    assert format_text(text, name="gen.yaml").text == text
    # the comment-keeping path lays out a comment-free map exactly as the fast path does
    assert _format_yaml_text(text, canonical_map_data(loaded.map), "gen.yaml", fast=False) == text


_ID_LINE = re.compile(r'^(- |  )"?id"?: "?[A-Za-z][A-Za-z0-9_.-]*"?$')
_NODE_START = re.compile(r'^- "?(%s)"?: ' % "|".join(NODE_ORDER))


def _messy_yaml(data, rnd: random.Random) -> str:
    """The same map in an arbitrary layout: shuffled fields, random style and width, comments."""

    def shuffle(obj):
        if isinstance(obj, dict):
            items = list(obj.items())
            rnd.shuffle(items)
            return {k: shuffle(v) for k, v in items}
        if isinstance(obj, list):
            return [shuffle(v) for v in obj]
        return obj

    text = yaml.safe_dump(
        shuffle(data),
        sort_keys=False,
        allow_unicode=rnd.random() < 0.5,
        default_flow_style=rnd.choice([False, None]),
        width=rnd.choice([20, 60, 1000]),
        default_style=rnd.choice([None, None, '"']),
    )
    lines = text.splitlines()
    out = ["# a header comment"]
    for line in lines:
        # node items are the only block list at column 0, so a comment fits before each
        if rnd.random() < 0.5 and (_NODE_START.match(line) or line.startswith("nodes:")):
            out.append("# a comment before a node")
        if rnd.random() < 0.5 and _ID_LINE.match(line):
            line += "  # an end-of-line comment"
        out.append(line)
    return "\n".join(out) + "\n"


@SETTINGS
@given(map_data(), st.randoms(use_true_random=False))
def test_fmt_is_idempotent_and_meaning_preserving(data, rnd):
    amap = _valid(data)
    text = _messy_yaml(canonical_map_data(amap) if rnd.random() < 0.2 else data, rnd)
    note(text)
    before = load_text(text, name="messy.yaml")
    once = format_text(text, name="messy.yaml")
    after = load_text(once.text, name="messy.yaml")
    assert after.map == from_data(canonical_map_data(before.map))
    assert [n.id for n in after.map.nodes] == [n.id for n in before.map.nodes]
    assert "# a header comment" in once.text
    for comment in ("# a comment before a node", "# an end-of-line comment"):
        assert once.text.count(comment) == text.count(comment)
    twice = format_text(once.text, name="messy.yaml")
    assert twice.text == once.text and not twice.changed


@SETTINGS
@given(map_data())
def test_json_fmt_is_idempotent_and_meaning_preserving(data):
    import json

    amap = _valid(data)
    text = json.dumps(data, ensure_ascii=True)
    once = format_text(text, name="m.json")
    assert load_text(once.text, name="m.json").map == amap
    assert format_text(once.text, name="m.json").text == once.text
