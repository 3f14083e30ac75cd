"""The writer of new maps (argmap.io.yamlemit) writes what loads back and what fmt keeps.

``canonical_yaml`` lays out every new map. On generated maps (every field,
hard strings, long text that folds), the seed map, every loadable test map
and the imports of the third-party corpora, its output reads back to the
same data, and ``argmap fmt`` (the ruamel round trip of argmap.io.fmt)
leaves it byte for byte as it is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from argmap.io import yamlemit
from argmap.io.fmt import _format_yaml_text
from argmap.io.yamlemit import canonical_yaml
from argmap.io.yamlload import _yaml_load
from argmap.io.yamlstyle import WIDTH, canonical_map_data, normalize_data
from argmap.io.loading import load_map, load_text
from argmap.map.model import KINDS, from_data
from conftest import ROOT, SEED_MAP, need


def fast(data) -> str:
    """The fast writer alone (no fallback): fails the test where it gives up."""
    return yamlemit.emit(normalize_data(data))


def fmt_keeps(data, text: str, *, fmt: bool = True) -> bool:
    """``text`` reads back to ``data`` (relations sorted) and, for data in the documented
    field order, fmt's round trip leaves it as it is."""
    canon = normalize_data(data)
    assert _yaml_load(text)[0] == canon
    return not fmt or _format_yaml_text(text, canon, "t.yaml", fast=False) == text


def assert_same(data, *, fmt: bool = True) -> str:
    import copy

    before = copy.deepcopy(data)
    text = canonical_yaml(data)
    assert data == before  # the writer shares containers with its input, for reading only
    assert fmt_keeps(data, text, fmt=fmt)
    return text


# --------------------------------------------------------------------------- generated maps

IDS = ["thesis", "c1", "c2", "c10", "p1", "p-3", "o.1", "r_4", "yes", "no", "null", "true", "On", "n", "x2024",
       "a" * 40, "e1.5"]
ids = st.sampled_from(IDS)

_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff")
_specials = st.sampled_from(
    list(":#'\"-?[]{},&*!|>%@`~\n\t \\\u2028\u0085\u00a0’—éßЖ中😀\r\x07") + ["\r\n", "- ", "? ", ": ", " #", "  "]
)
_whole = st.sampled_from(
    ["1.5", "true", "null", "~", "yes", "No", "2024-01-01", "0o17", "1e3", "-", "?", ":", "'", '"', "#", "=",
     "<<", ".inf", "a: b", "x #y", "- item", "? key", "", " ", "  ", "\n", "a\n", "a\n\n", "\na", "a\n b", "a \nb"]
)
WORDS = ["word", "longer-word", "a", "NATO’s", "and,", "it's", '"quoted"', "semi;", "end.", "x" * 30, "y" * 85,
         "über", "中文字", "100%", "(aside)", "a/b", "e.g.", "Note:", "key:", "#tag"]
SENTENCE = st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join)
RAGGED = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", "  ", "\n", "\t", '"', "\\"])),
                  min_size=1, max_size=30).map(" ".join)
MIXED = st.lists(st.one_of(_chars, _specials, _whole), min_size=0, max_size=20).map("".join)
PARAGRAPHS = st.lists(SENTENCE, min_size=1, max_size=3).map("\n\n".join)
ANY_TEXT = st.one_of(SENTENCE, SENTENCE, RAGGED, MIXED, _whole, PARAGRAPHS)
TEXT = ANY_TEXT.filter(lambda s: s != "")  # the model's non-empty text fields

relation = st.one_of(
    ids,
    st.fixed_dictionaries({"to": ids}, optional={"with": st.lists(ids, min_size=1, max_size=3), "scheme": TEXT}),
)
undercut = st.tuples(ids, ids).map(lambda t: f"{t[0]}->{t[1]}")


@st.composite
def node(draw, node_id):
    out = {"id": node_id, "kind": draw(st.sampled_from(KINDS)), "text": draw(TEXT)}
    optional = {
        "quote": TEXT,
        "actor": TEXT,
        "supports": st.lists(relation, min_size=1, max_size=6),
        "attacks": st.lists(relation, min_size=1, max_size=3),
        "undercuts": st.lists(undercut, min_size=1, max_size=3),
        "tags": st.lists(ANY_TEXT, min_size=1, max_size=4),
        "note": ANY_TEXT,
        "ignore": st.lists(st.sampled_from(["AM101", "dangling-relation", "orphan-node"]), min_size=1, max_size=2),
        "draft": st.fixed_dictionaries(
            {"confidence": st.one_of(st.floats(0, 1, allow_nan=False), st.sampled_from([0.0, 1.0, 0.5, 1e-05]))},
            optional={"backend": st.sampled_from(["heuristic", "llm", "true"]), "cues": st.lists(ANY_TEXT, min_size=1, max_size=3)},
        ),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            out[key] = draw(strategy)
    return out


@st.composite
def map_data(draw):
    chosen = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    data = {"argmap": 1}
    if draw(st.booleans()):
        data["title"] = draw(ANY_TEXT)
    if draw(st.booleans()):
        source = {}
        if draw(st.booleans()):
            source["path"] = draw(TEXT)
        elif draw(st.booleans()):
            source["text"] = draw(st.one_of(PARAGRAPHS, TEXT))
        for key in ("title", "author", "publisher", "url", "published"):
            if draw(st.booleans()):
                source[key] = draw(st.one_of(ANY_TEXT, st.just("2024-05-01"), st.just("https://example.org/a?b=c#d")))
        if source:
            data["source"] = source
    data["nodes"] = [draw(node(i)) for i in chosen]
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(map_data())
def test_writer_output_loads_back_and_is_fmt_clean(data):
    assert_same(data, fmt=False)  # fields and relations in generated order (canonical_yaml sorts relations)
    amap = from_data(data)
    canon = canonical_map_data(amap)
    text = assert_same(canon)
    note(text)
    # floats in exponent form included: both writers give them a point (1.0e-05)
    again = load_text(text, name="gen.yaml")
    assert canonical_map_data(again.map) == canon


# --------------------------------------------------------------------------- the common case is fast

def test_common_maps_take_the_fast_path():
    long_text = " ".join(["Ordinary", "sentence", "of", "text,", "with", "NATO’s", "words"] * 6) + "."
    data = {
        "argmap": 1,
        "title": "A map: with a colon",
        "source": {"text": "First paragraph of the source.\n\nSecond " + long_text + "\n", "title": "T", "url": "https://x.org/a#b"},
        "nodes": [
            {"id": "thesis", "kind": "thesis", "text": long_text, "quote": long_text},
            {"id": "c2", "kind": "claim", "text": 'He said "no" and left.', "quote": "it's 1.5 times", "supports": ["thesis"],
             "tags": ["economy", "1.5", "true"]},
            {"id": "c10", "kind": "premise", "text": "true", "supports": [{"to": "thesis", "with": ["c2"], "scheme": "expert opinion"}, "c2"],
             "undercuts": ["c2->thesis"], "note": "line one\nline two", "draft": {"confidence": 0.75, "backend": "heuristic", "cues": ["because"]}},
            {"id": "c11", "kind": "objection", "text": "x" * 120 + " " + long_text, "attacks": ["c10"]},
        ],
    }
    text = fast(data)  # raises Unsupported if the fast writer gave up
    assert fmt_keeps(data, text)
    folded = [line for line in text.splitlines() if line.startswith(("    text: Ordinary", "    quote: \"Ordinary", "      "))]
    assert len(folded) >= 6 and all(len(line) <= WIDTH for line in folded if "x" * 120 not in line and "Second" not in line)
    assert "    quote: \"Ordinary sentence" in text and "supports: [thesis]" in text
    assert "      - to: thesis\n        with: [c2]\n" in text
    assert 'tags: [economy, "1.5", "true"]' in text


@pytest.mark.parametrize(
    "text",
    ["", "word", " ".join(["Ordinary", "words,", "NATO’s", "text"] * 12), "tab\tand  double " * 12,
     "x" * 100 + " then a word " + "y" * 100, 'quote " and \\ backslash ' * 10, "\u2028 line sep\x85 " * 9],
)
@pytest.mark.parametrize("column", [4, 60, 86, 90])
def test_the_shared_double_quoted_writer(text, column):
    """yamlstyle.double_quoted, the one double-quoted writer of both writers: it loads
    back as the text, each fold is followed by the indent, folded lines of ordinary
    words stay within the width, and split=False never folds."""
    from argmap.io.yamlstyle import double_quoted

    out = double_quoted(text, column, 6)
    assert _yaml_load("k: " + out)[0] == {"k": text}
    first, *rest = out.split("\n")
    assert all(line.startswith(" " * 6) for line in rest)
    if "\t" not in text and "  " not in text and "\x85" not in text and max(map(len, text.split(" "))) < 40:
        assert all(len(line) <= WIDTH for line in rest)
    assert "\n" not in double_quoted(text, column, 6, split=False)
    data = {"argmap": 1, "tags": [text or "t", "b"]}  # a flow list of both writers
    assert fmt_keeps(data, canonical_yaml(data))


def test_generated_benchmark_map_takes_the_fast_path():
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from genmap import generate

    for shape in ("mixed", "tree"):
        data = canonical_map_data(from_data(generate(400, shape, seed=3, source=True)))
        assert fmt_keeps(data, fast(data))


@pytest.mark.parametrize(
    "value",
    ["plain words", "a: b", "x #y", "#tag", "- item", "1.5", "true", "~", "", "it's", 'say "hi"', "tab\there",
     "two  spaces", " lead", "trail ", "é" * 100, "w " * 60, "a\\b " * 30, '"q" ' * 30, "x" * 200, "a\nb", "a\n\nb\n",
     "\nlead break", "trail blank \nx", "nel\x85x", "bell\x07 " * 20, "emoji 😀 " * 15],
)
@pytest.mark.parametrize("key", ["title", "quote", "tags", "supports"])
def test_scalar_positions(key, value):
    """One hard value as a mapping value, in a flow list, a block list and a relation's scheme."""
    node = {"id": "a", "kind": "claim", "text": "t"}
    if key in ("tags", "supports"):
        node[key] = [value, "b", {"to": "c", "scheme": value}] if key == "supports" else [value, "b"]
        data = {"argmap": 1, "nodes": [node]}
    else:
        data = {"argmap": 1, key: value, "nodes": [dict(node, quote=value or "q")]}
    assert_same(data)
    assert_same({"argmap": 1, "nodes": [dict(node, tags=[value] * 5 if key == "tags" else [value])]})


@pytest.mark.parametrize(
    "value", [0, 1, -7, 2**70, -(2**70), 10**45, True, False, None, 0.0, 0.5, 1.0, 0.1 + 0.2, 1e-05, 5e-324, 1e20, -0.0]
)
def test_numbers_booleans_and_nulls(value):
    data = {"argmap": 1, "title": "t", "nodes": [{"id": "a", "kind": "claim", "text": "t", "draft": {"confidence": value, "backend": None}}]}
    text = fast(data)
    assert fmt_keeps(data, text)


# --------------------------------------------------------------------------- real maps

def _loadable(paths):
    for path in paths:
        try:
            yield path, load_map(path)
        except Exception:  # invalid test maps are there to fail loading
            continue


def test_seed_map():
    loaded = load_map(SEED_MAP)
    data = canonical_map_data(loaded.map)
    assert fmt_keeps(data, fast(data))
    assert canonical_map_data(load_text(canonical_yaml(data), name="seed.yaml").map) == data


def test_every_test_map():
    paths = sorted(p for p in (ROOT / "tests" / "maps").rglob("*") if p.suffix in (".yaml", ".json"))
    seen = 0
    for path, loaded in _loadable(paths):
        data = canonical_map_data(loaded.map)
        assert fmt_keeps(data, fast(data)), path
        assert canonical_map_data(load_text(canonical_yaml(data), name="t.yaml").map) == data, path
        seen += 1
    assert seen >= 20


def test_corpora_imports(corpora: Path):
    need(corpora.is_dir(), f"{corpora} is missing (the third-party corpora)")
    from test_formats_corpora import corpus_files, import_file

    files = corpus_files(corpora)
    need(bool(files), f"no corpus files under {corpora}")
    for path in files:
        _, result = import_file(path)
        data = canonical_map_data(result.map)
        assert fmt_keeps(data, fast(data)), path
        assert canonical_map_data(load_text(canonical_yaml(data), name="c.yaml").map) == data, path
    assert len(files) > 100


def test_a_word_too_long_for_its_line_after_an_escape_is_not_folded_twice():
    # Both writers folded the line holding only the escaped space again, writing "\\" into the text.
    data = {"argmap": 1, "nodes": [{"id": "t", "kind": "thesis",
                                    "text": 'word ' * 11 + '(aside) key: "quoted" ' + "y" * 85}]}
    text = assert_same(data)
    assert "\\\\" not in text
