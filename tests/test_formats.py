"""Importers and exporters on small fixtures written for these tests (no corpus needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from argmap.formats import EXPORTERS, IMPORTERS, detect, resolve
from argmap.formats.argdown import (
    clean_text,
    data_str,
    escape_text,
    parse_json_doc,
    parse_source,
)
from argmap.formats.base import ForeignInvalid, QuoteLocator, slug
from argmap.io.loading import load_map, load_text
from argmap.io.writing import dumps
from conftest import ROOT, SEED_MAP

DATA = ROOT / "tests" / "data" / "formats"
XAIF = ROOT / "tests" / "data" / "xaif"
GOLDEN = ROOT / "tests" / "golden" / "formats"


def imp(fmt: str, path: Path, text: str | None = None):
    text = path.read_text(encoding="utf-8") if text is None else text
    return resolve(IMPORTERS[fmt])(path, text)


def exp(fmt: str, loaded):
    out = resolve(EXPORTERS[fmt])(loaded)
    return out if isinstance(out, tuple) else (out, [])


def node(amap, node_id):
    n = amap.node(node_id)
    assert n is not None, f"no node {node_id!r} in {[x.id for x in amap.nodes]}"
    return n


def rels(n, field):
    from argmap.map.model import relation_to_data

    return [relation_to_data(r) for r in getattr(n, field)]


# --------------------------------------------------------------------------- Argdown


def test_argdown_source_constructs():
    res = imp("argdown", DATA / "small.argdown")
    m = res.map
    assert m.title == "School uniforms"
    uni = node(m, "Uniforms")
    assert uni.kind.value == "thesis" and uni.tags == ["policy"]
    assert uni.text == "Schools should require uniforms."
    # argument without a premise-conclusion structure: a node with its description
    assert node(m, "Equality").text == "Uniforms hide income differences between pupils."
    assert rels(node(m, "Equality"), "supports") == ["Uniforms"]
    assert rels(node(m, "Costly"), "attacks") == ["Equality"]
    assert node(m, "Costly").kind.value == "objection"
    # undercut of an argument without structure: undercuts its outgoing relation
    assert node(m, "not-at-school").undercuts == ["Expression->Uniforms"]
    # emphasis and links are stripped, the words stay
    assert node(m, "Focus").text == "Uniforms help pupils focus on learning."
    # contradiction: two attacks
    assert rels(node(m, "no-rule"), "attacks") == ["Uniforms"]
    assert rels(uni, "attacks") == ["no-rule"]
    # premise-conclusion structure: a linked support with the inference rule as scheme
    assert rels(node(m, "Distraction"), "supports") == [
        {"to": "Focus", "with": ["less-is-more"], "scheme": "Modus ponens"}
    ]
    # undercut of an argument with a structure: undercuts its inference
    assert node(m, "Doubt").undercuts == ["Distraction->Focus"]
    s = res.summary
    assert s.get("headings (groups) not kept: the map has no groups") == 1
    assert s.get("argument titles/descriptions of premise-conclusion structures not kept (the map has no argument objects)") == 1
    assert s.get("contradictory relations written as two attacks, one each way") == 1


def test_argdown_comments_inside_relation_trees_do_not_end_them():
    doc = parse_source("[A]: a\n  + [B]: b\n  <!--\n  note\n  -->\n  - [C]: c\n  // line comment\n  + [D]: d\n")
    assert sorted((r.type, r.source, r.target) for r in doc.relations) == [
        ("attack", "C", "A"), ("support", "B", "A"), ("support", "D", "A")
    ]


@pytest.mark.parametrize("text,want", [
    ("a // c\nb", "a     \nb"),  # after a space: a comment to the end of the line
    ("  // c\nb", "      \nb"),  # at the start of a line, after spaces
    ("x https://u.v // c", "x https://u.v     "),  # after ":" it is a URL; after a space again a comment
    ("a//b", "a//b"),  # inside a word: text
    ("a /* b\nc */ d", "a     \n     d"),  # block comments keep their line breaks
    ("a <!-- b --> c", "a            c"),
    ("a \\// b", "a \\// b"),  # an escaped character is text, and so is what follows it here
    ("/* never closed\nx", "               \n "),
    ("/* c */ // d\n", "        " + "    \n"),  # a line comment after a block comment at a line's start
])
def test_argdown_comments_blanked_by_their_rules(text, want):
    from argmap.formats.argdown import _strip_comments

    assert _strip_comments(text) == want


def test_argdown_untitled_paragraphs_are_prose_unless_related():
    res = imp("argdown", Path("x.argdown"), "Some prose paragraph.\n\n[T]: A claim.\n  + A reason without a title.\n")
    texts = [n.text for n in res.map.nodes]
    assert texts == ["A claim.", "A reason without a title."]
    assert res.summary.items()[0][1] == 1  # one prose paragraph counted


def test_argdown_clean_text_tags_shortcodes_escapes():
    assert clean_text("Cats are **great** #pets #(good animals)") == ("Cats are great", ["pets", "good animals"])
    assert clean_text("p .^. q .->. r") == ("p ∧ q → r", [])
    assert clean_text(r"a \#b \[c\]")[0] == "a #b [c]"
    assert clean_text("inline #tag stays a word.")[0] == "inline tag stays a word."


def test_argdown_export_escapes_and_data_survive():
    text = "Brackets [x], <y>, {z}, #hash, @at, *star*, _under_, // slashes /* and \\ backslash"
    esc = escape_text(text)
    doc = parse_source(f"[t]: {esc} {data_str({'quote': 'q #1 {x} // [y]', 'kind': 'claim'})}\n")
    st = doc.statements["t"]
    assert st.text == text
    assert st.data == {"quote": "q #1 {x} // [y]", "kind": "claim"}


def test_argdown_json_reads_sections_and_pcs():
    data = {
        "statements": {
            "A": {"members": [{"text": "Claim A. #t", "startLine": 1}], "tags": ["t"]},
            "Untitled 1": {"members": [{"text": "Premise one.", "startLine": 3, "role": "premise"}]},
        },
        "arguments": {
            "Arg": {
                "members": [{"text": "", "startLine": 2}],
                "pcs": [
                    {"title": "Untitled 1", "role": "premise"},
                    {"title": "A", "role": "main-conclusion", "inference": {"inferenceRules": ["MP"]}},
                ],
            }
        },
        "relations": [],
        "sections": [{"title": "S", "children": [{"title": "S2", "children": []}]}],
    }
    doc = parse_json_doc(data, "x.json")
    assert doc.headings == 2
    res = resolve(IMPORTERS["argdown-json"])(Path("x.json"), json.dumps(data))
    m = res.map
    assert rels(node(m, "premise-one"), "supports") == [{"to": "A", "scheme": "MP"}]
    assert node(m, "A").tags == ["t"] and node(m, "A").text == "Claim A."


def test_argdown_roundtrip_of_the_seed_map(tmp_path):
    loaded = load_map(SEED_MAP)
    text, notes = exp("argdown", loaded)
    back = imp("argdown", tmp_path / "seed.argdown", text).map
    assert _canon(back) == _canon(loaded.map, source_of(loaded))
    assert notes == []  # the seed map needs no Argdown data fallback


# --------------------------------------------------------------------------- AIF / xAIF


def test_aif_import_all_node_types():
    res = imp("aif", DATA / "small-aif.json")
    m = res.map
    s = res.summary
    thesis = node(m, "speed-cameras-save-lives")
    assert thesis.kind.value == "thesis"
    crashes = node(m, "crashes-fell-where-cameras-were")
    # two premises into one RA: a linked support
    assert rels(crashes, "supports") == [{"to": "speed-cameras-save-lives", "with": ["drivers-slow-down-near-cameras"]}]
    # a CA on an RA: an undercut of that support, named by its first premise
    assert node(m, "cameras-only-move-crashes-elsewhere").undercuts == [
        "crashes-fell-where-cameras-were->speed-cameras-save-lives"
    ]
    # MA: a support with the rephrase scheme; named RA scheme kept
    assert rels(node(m, "cameras-cut-crashes"), "supports") == [
        {"to": "crashes-fell-where-cameras-were", "scheme": "Default Rephrase"}
    ]
    assert rels(node(m, "drivers-slow-down-near-cameras"), "supports") == [
        {"to": "cameras-cut-crashes", "scheme": "Argument from consequences"}
    ]
    # the quote of an I node comes from the locution anchored to it
    assert crashes.quote == "crashes fell where the cameras went up"
    # dialogical and unknown nodes are counted, not crashed on
    assert s.get("PA (preference) nodes left out: the format has no preferences") == 1
    assert s.get("TA (transition) nodes left out (dialogical transitions; the format has none)") == 1
    assert any("unknown type 'XX'" in w for w in s.warnings)
    assert any("do not exist" in w for w in s.warnings)
    # the text beside the nodeset is the source, and every quote is a span of it
    assert m.source.text.startswith("Ann: crashes fell")
    for n in m.nodes:
        if n.quote:
            assert n.quote in m.source.text


def test_xaif_import_uses_its_text_and_integer_ids():
    res = imp("xaif", XAIF / "small.json")
    m = res.map
    assert [n.id for n in m.nodes] == ["we-should-plant-more-trees", "trees-cool-the-streets"]
    assert rels(node(m, "trees-cool-the-streets"), "supports") == ["we-should-plant-more-trees"]
    assert m.source.text == "Ann we should plant more trees.\nBob trees cool the streets & parks."
    assert node(m, "trees-cool-the-streets").quote == "trees cool the streets"


def test_xaif_wrapper_of_aif_imports_like_the_aif():
    plain = json.loads((DATA / "small-aif.json").read_text())
    wrapped = {"AIF": plain, "text": {"txt": (DATA / "small-aif.txt").read_text()}}
    a = imp("aif", DATA / "small-aif.json").map
    b = imp("xaif", Path("w.json"), json.dumps(wrapped)).map
    assert _canon(a) == _canon(b)


@pytest.mark.parametrize("fmt", ["aif", "xaif", "sadface", "argdown"])
def test_exports_roundtrip_every_fixture(fmt, tmp_path):
    sources = [
        ("argdown", DATA / "small.argdown"),
        ("microtexts", DATA / "small.xml"),
        ("aif", DATA / "small-aif.json"),
        ("sadface", DATA / "small-sadface.json"),
        ("xaif", XAIF / "small.json"),
    ]
    for src_fmt, path in sources:
        amap = imp(src_fmt, path).map
        loaded = load_text(dumps(amap, "yaml"), name="m.yaml")
        text, _notes = exp(fmt, loaded)
        back = imp(fmt, tmp_path / f"x.{fmt}", text).map
        assert _canon(back) == _canon(amap), f"{path.name} through {fmt}"


def test_seed_map_roundtrips_through_every_importable_format(tmp_path):
    loaded = load_map(SEED_MAP)
    for fmt in ("aif", "xaif", "sadface", "argdown"):
        text, notes = exp(fmt, loaded)
        back = imp(fmt, tmp_path / f"x.{fmt}", text).map
        assert _canon(back) == _canon(loaded.map, source_of(loaded)), fmt


# --------------------------------------------------------------------------- microtexts, SADFace


def test_blank_carried_strings_are_left_out_in_every_format():
    """argmap's extension data read back alike by AIF, SADFace and Argdown: a blank actor or
    note is no value (it used to be kept by AIF and SADFace only)."""
    ext = {"kind": "claim", "actor": "  ", "note": " ", "tags": ["t"]}
    aif = {"nodes": [{"nodeID": "a", "text": "A thing.", "type": "I", "argmap": ext}], "edges": []}
    sadface = {"nodes": [{"id": "a", "type": "atom", "text": "A thing.", "metadata": {"argmap": ext}}], "edges": []}
    argdown = '[a]: A thing. {kind: claim, actor: "  ", note: " "}\n'
    for fmt, text in (("aif", json.dumps(aif)), ("sadface", json.dumps(sadface)), ("argdown", argdown)):
        node = resolve(IMPORTERS[fmt])(Path("-"), text).map.nodes[0]
        assert (node.kind.value, node.actor, node.note) == ("claim", None, None), fmt


def test_microtexts_import():
    res = imp("microtexts", DATA / "small.xml")
    m = res.map
    assert m.title == "small_x1: school uniforms (pro)"
    assert node(m, "a2").text == "They hide income differences, which keeps bullying down."  # a joint of two EDUs
    assert node(m, "a1").kind.value == "thesis"
    assert node(m, "a3").kind.value == "objection" and rels(node(m, "a3"), "attacks") == ["a1"]
    assert node(m, "a4").undercuts == ["a3->a1"]
    assert node(m, "a5").undercuts == ["a4->a3->a1"]  # undercut of an undercut, right-nested
    assert rels(node(m, "a6"), "supports") == [{"to": "a2", "scheme": "example"}]
    assert all(n.quote and n.quote in m.source.text for n in m.nodes)


def test_microtexts_add_edge_makes_a_linked_relation():
    xml = (DATA / "small.xml").read_text().replace(
        '<edge id="c14" src="a6" trg="a2" type="exa" />', '<edge id="c14" src="a6" trg="c10" type="add" />'
    )
    m = imp("microtexts", Path("x.xml"), xml).map
    assert rels(node(m, "a2"), "supports") == [{"to": "a1", "with": ["a6"]}]
    assert node(m, "a6").kind.value == "objection"  # the annotated role (opp) decides the side


def test_sadface_import():
    res = imp("sadface", DATA / "small-sadface.json")
    m = res.map
    assert m.title == "Bike lanes"
    assert rels(node(m, "p1"), "supports") == [{"to": "c1", "with": ["p2"]}]
    assert rels(node(m, "p3"), "supports") == [{"to": "c1", "scheme": "Argument from Expert Opinion"}]
    assert node(m, "o1").undercuts == ["p1->c1"]
    assert node(m, "c1").quote == "the city should build bike lanes"


# --------------------------------------------------------------------------- exports


@pytest.mark.parametrize("fmt,suffix", [("argdown", "argdown"), ("aif", "json"), ("xaif", "json"), ("sadface", "json"), ("mermaid", "mmd"), ("graphml", "graphml")])
def test_export_golden(fmt, suffix, golden):
    loaded = load_map(DATA / "small-map.yaml")
    text, _ = exp(fmt, loaded)
    golden(GOLDEN / f"small-map.{fmt}.{suffix}", text)


def test_mermaid_structure():
    loaded = load_map(SEED_MAP)
    text, notes = exp("mermaid", loaded)
    lines = text.splitlines()
    assert "flowchart BT" in lines
    nodes = [ln for ln in lines if ln.strip().startswith("n") and '["' in ln]
    assert len(nodes) == len(loaded.map.nodes)
    # a linked relation and the undercut of it go through a junction node
    assert any(ln.strip().endswith("(( ))") for ln in lines)
    assert any("-.-x" in ln for ln in lines)
    assert not any('"' in ln.split('["', 1)[1][:-len('"]:::claim')] for ln in nodes if ln.endswith(":::claim"))


def test_graphml_is_well_formed_and_complete():
    import defusedxml.ElementTree as ET

    loaded = load_map(SEED_MAP)
    text, _ = exp("graphml", loaded)
    root = ET.fromstring(text.encode())
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    nodes = root.findall(".//g:node", ns)
    edges = root.findall(".//g:edge", ns)
    real = [n for n in nodes if not n.get("id").startswith("_")]
    assert len(real) == len(loaded.map.nodes)
    ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in ids and e.get("target") in ids for e in edges)
    kinds = {d.text for d in root.findall(".//g:node/g:data[@key='kind']", ns)}
    assert {"thesis", "claim", "premise", "recommendation", "objection"} <= kinds


# --------------------------------------------------------------------------- detection and helpers


@pytest.mark.parametrize(
    "name,expected",
    [
        (DATA / "small.argdown", "argdown"),
        (DATA / "small.xml", "microtexts"),
        (DATA / "small-aif.json", "aif"),
        (DATA / "small-sadface.json", "sadface"),
        (XAIF / "small.json", "xaif"),
    ],
)
def test_detect(name, expected):
    assert detect(str(name), name.read_text()) == expected
    assert detect("noext", name.read_text()) == expected


def test_detect_argdown_json_and_map():
    assert detect("x.json", json.dumps({"statements": {}, "arguments": {}})) == "argdown-json"
    assert detect("x.json", json.dumps({"argmap": 1, "nodes": []})) == "argmap"
    assert detect("x.json", "{not json") == "json?"
    assert detect("x.txt", "just some words") is None


def test_slug_and_quote_locator():
    assert slug("Yes, it's annoying and cumbersome to do") == "yes-its-annoying-and-cumbersome"
    assert slug("2016 was a year") == "n-2016-was-a-year"
    loc = QuoteLocator("He said: “the  cameras — work”. Then left.")
    assert loc.locate('the cameras - work') == ("the  cameras — work", "normalized")
    assert loc.locate("nothing like this at all in it") == (None, "none")


# --------------------------------------------------------------------------- broken input


@pytest.mark.parametrize(
    "fmt,text,needle",
    [
        ("aif", '{"nodes": [', "not valid JSON"),
        ("aif", "", "empty"),
        ("aif", '{"nodes": [{"text": "x"}], "edges": []}', "needs 'nodeID' and 'type'"),
        ("aif", '{"foo": 1}', "not an AIF document"),
        ("aif", '{"nodes": [{"nodeID": 1, "type": "I", "text": "a"}, {"nodeID": 1, "type": "I", "text": "b"}], "edges": []}', "used by two nodes"),
        ("xaif", '{"nodes": [], "edges": []}', "not an xAIF document"),
        ("sadface", "[1, 2]", "not a SADFace document"),
        ("sadface", '{"nodes": [{"id": "a"}]}', "needs 'id' and 'type'"),
        ("argdown-json", '{"statements": []}', "not an Argdown JSON export"),
        ("microtexts", "<arggraph id='x'><edu id='e1'>text</edu>", "not well-formed XML"),
        ("microtexts", "<html></html>", "not an arg-microtexts graph"),
        ("microtexts", "<arggraph id='x'><edu id='e1'>t</edu></arggraph>", "no <adu>"),
        (
            "microtexts",
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;">]><arggraph id="a">&y;</arggraph>',
            "entity declarations",
        ),
        (
            "microtexts",
            '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><arggraph id="a">&x;</arggraph>',
            "refused",
        ),
        ("argdown", "===\ntitle: x\n", "never closed"),
        ("argdown", "   \n\n", "no Argdown statements"),
    ],
)
def test_broken_input_is_one_clear_error(fmt, text, needle):
    with pytest.raises(ForeignInvalid) as info:
        resolve(IMPORTERS[fmt])(Path("in.x"), text)
    assert needle in str(info.value)
    assert info.value.exit_code == 1


# --------------------------------------------------------------------------- helpers


def source_of(loaded):
    from argmap.formats.base import source_text_of

    return source_text_of(loaded)


def _canon(amap, source_text: str | None = None) -> dict:
    """A map as plain data, with the source text resolved and relation lists sorted."""
    from argmap.map.model import map_to_data

    d = map_to_data(amap)
    src = dict(d.get("source", {}))
    text = src.pop("text", None)
    src.pop("path", None)
    text = source_text if source_text is not None else text
    if text is not None:
        src["text"] = text
    if src:
        d["source"] = src
    else:
        d.pop("source", None)
    for n in d["nodes"]:
        for k in ("supports", "attacks", "undercuts"):
            if k in n:
                n[k] = sorted(n[k], key=lambda x: json.dumps(x, sort_keys=True))
    return d


# --------------------------------------------------------------------------- no input crashes an importer

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from argmap.map.errors import ArgmapError  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8) | st.sampled_from(["I", "RA", "CA", "L", "YA", "atom", "scheme", "1", "2"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["nodes", "edges", "nodeID", "type", "text", "fromID", "toID", "id", "source_id", "target_id",
                         "name", "AIF", "statements", "arguments", "relations", "members", "pcs", "title", "role",
                         "relationType", "from", "to", "fromType", "toType", "sources", "metadata", "argmap"]),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)


def _survives(fmt: str, text: str) -> None:
    try:
        res = resolve(IMPORTERS[fmt])(Path("fuzz.in"), text)
    except ArgmapError:
        return
    dumps(res.map, "json")  # whatever imports is a valid map


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_json_values, fmt=st.sampled_from(["aif", "xaif", "sadface", "argdown-json"]))
def test_no_json_input_crashes_an_importer(data, fmt):
    _survives(fmt, json.dumps(data))


_argdown_lines = st.lists(
    st.sampled_from(["[A]: a", "[B]", "<X>: x", "<X>", "  + [B]", "  - <X>", "  <_ <Y>", "  _> <X>", "  >< [A]",
                     "(1) [A]", "(2) p", "----", "--", "rule", "# H", "", "===", "title: t", "{k: v}", "#t",
                     "// c", "/* c", "*/", "<!--", "-->", "text *em* [l](u) \\# .^.", "    + deep"]),
    max_size=14,
)


@settings(max_examples=200, deadline=None)
@given(lines=_argdown_lines)
def test_no_argdown_text_crashes_the_importer(lines):
    _survives("argdown", "\n".join(lines) + "\n")


@settings(max_examples=100, deadline=None)
@given(body=st.lists(st.sampled_from([
    '<edu id="e1">x</edu>', '<edu id="e2">y</edu>', '<adu id="a1" type="pro"/>', '<adu id="a2" type="opp"/>',
    '<adu id="a3" type="maybe"/>', '<joint id="j1"/>', '<edge id="c1" src="e1" trg="a1" type="seg"/>',
    '<edge id="c2" src="a2" trg="a1" type="reb"/>', '<edge id="c3" src="a1" trg="c2" type="und"/>',
    '<edge id="c4" src="a2" trg="c3" type="add"/>', '<edge id="c5" src="j1" trg="a2" type="seg"/>',
    '<edge id="c6" src="e2" trg="j1" type="seg"/>', '<edge id="c7" src="a1" trg="a1" type="sup"/>',
    '<edge id="c8" src="a3" trg="zz" type="odd"/>', "<edge/>", "<unclosed>",
]), max_size=10))
def test_no_arggraph_crashes_the_importer(body):
    _survives("microtexts", "<arggraph id='f'>" + "".join(body) + "</arggraph>")


# --------------------------------------------------------------------------- random maps round trip

_KIND_NAMES = ["thesis", "claim", "premise", "recommendation", "objection"]
_tricky = st.lists(
    st.sampled_from(list("abcXYZ 019.,:;'\"-–—’“”()[]<>{}#@*_/\\%+&|~^!?é\n\t") + ["//", "/*", "<!--", ".^.", ".~.", ":~:", "**b**", "(1) "]),
    min_size=1,
    max_size=20,
).map("".join).filter(lambda t: t.strip() != "")


@st.composite
def random_maps(draw):
    from argmap.map.model import from_data

    n = draw(st.integers(min_value=1, max_value=7))
    ids = [f"n{i}" for i in range(n)]
    nodes = []
    for i, nid in enumerate(ids):
        node = {"id": nid, "kind": draw(st.sampled_from(_KIND_NAMES)), "text": draw(_tricky)}
        if draw(st.booleans()):
            node["quote"] = draw(_tricky)
        if draw(st.integers(0, 4)) == 0:
            node["actor"] = draw(_tricky)
        if draw(st.integers(0, 3)) == 0:
            node["tags"] = draw(st.lists(st.sampled_from(["a", "two words", "x-y", "é"]), min_size=1, max_size=2, unique=True))
        if draw(st.integers(0, 4)) == 0:
            node["note"] = draw(_tricky)
        others = [x for x in ids if x != nid]
        for field in ("supports", "attacks"):
            if others and draw(st.integers(0, 2)) == 0:
                to = draw(st.sampled_from(others))
                rel = {"to": to}
                mates = [x for x in others if x != to]
                if mates and draw(st.booleans()):
                    rel["with"] = [draw(st.sampled_from(mates))]
                if draw(st.integers(0, 2)) == 0:
                    rel["scheme"] = draw(_tricky).replace(",", " ").strip() or "s"
                node[field] = [rel if len(rel) > 1 else to]
        nodes.append(node)
    data = {"argmap": 1, "title": draw(_tricky), "nodes": nodes}
    if draw(st.booleans()):
        data["source"] = {"text": draw(_tricky), "author": "A"}
    amap = from_data(data)
    # undercuts of existing relations (and of undercuts), each from a node outside the relation
    from argmap.map.graph import build

    refs = [e.ref for e in build(amap).edges]
    for _ in range(draw(st.integers(0, 2))):
        if not refs:
            break
        ref = draw(st.sampled_from(refs))
        holders = [x for x in ids if x not in ref.split("->")]
        if not holders:
            continue
        u = draw(st.sampled_from(holders))
        node = amap.node(u)
        if ref not in node.undercuts:
            node.undercuts.append(ref)
            refs.append(f"{u}->{ref}")
    return amap


def test_a_scheme_like_a_numbered_premise_survives_argdown():
    # Found by test_random_maps_roundtrip: an inference rule line "(1)" read back as a premise.
    from argmap.map.model import from_data

    data = {"argmap": 1, "nodes": [
        {"id": "n0", "kind": "thesis", "text": "a"},
        {"id": "n1", "kind": "claim", "text": "b", "supports": [{"to": "n0", "scheme": "(1)"}]},
    ]}
    amap = from_data(data)
    loaded = load_text(dumps(amap, "json"), name="m.json")
    text, _ = exp("argdown", loaded)
    assert _canon(imp("argdown", Path("-"), text).map) == _canon(amap)


@pytest.mark.parametrize("where", ["scheme", "text"])
@pytest.mark.parametrize("value", ["a.~.b", ".~.~.", ":~:~:", ".~.~.~.", "x .v.v_. y", "\\.~.~."])
def test_overlapping_shortcodes_survive_argdown(where, value):
    # Found by test_random_maps_roundtrip: of ".~.~." the export escaped only the first
    # shortcode, and the import read the second (".~." after "~") as the symbol "¬".
    from argmap.map.model import from_data

    rel = {"to": "n0", "scheme": value} if where == "scheme" else "n0"
    text = value if where == "text" else "b"
    amap = from_data({"argmap": 1, "nodes": [
        {"id": "n0", "kind": "thesis", "text": "a"},
        {"id": "n1", "kind": "claim", "text": text, "supports": [rel]},
    ]})
    loaded = load_text(dumps(amap, "json"), name="m.json")
    exported, _ = exp("argdown", loaded)
    assert _canon(imp("argdown", Path("-"), exported).map) == _canon(amap)


@pytest.mark.parametrize("title", ["\n\ta", "a\tb", "\ta\n\t\tb"])
def test_tabs_in_front_matter_strings_survive_argdown(title):
    # Found by test_random_maps_roundtrip: the import turned every tab into four spaces before it
    # took the YAML front matter out, so a title holding a tab came back with spaces
    from argmap.map.model import from_data

    amap = from_data({"argmap": 1, "title": title, "nodes": [{"id": "n0", "kind": "thesis", "text": "a"}]})
    exported, _ = exp("argdown", load_text(dumps(amap, "json"), name="m.json"))
    assert imp("argdown", Path("-"), exported).map.title == title


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amap=random_maps(), fmt=st.sampled_from(["aif", "xaif", "sadface", "argdown"]))
def test_random_maps_roundtrip(amap, fmt):
    loaded = load_text(dumps(amap, "json"), name="m.json")
    text, _ = exp(fmt, loaded)
    back = imp(fmt, Path("-"), text).map  # standard input: no text beside it to pick up
    assert _canon(back) == _canon(amap)


def test_place_undercuts_innermost_first_and_notes_the_dangling():
    """Every format with a node per relation places undercuts through one helper: an undercut of
    an undercut finds the node placed for its target whatever the order given, and one that
    names no relation is left out with a note."""
    from types import SimpleNamespace as U

    from argmap.formats.base import place_undercuts

    inner = U(ref="a->b", own_ref="u->a->b")
    outer = U(ref="u->a->b", own_ref="v->u->a->b")
    dangling = U(ref="x->y", own_ref="w->x->y")
    placed = []

    def place(u, anchor):
        placed.append((u.ref, anchor))
        return f"node for {u.own_ref}"

    notes = place_undercuts([outer, dangling, inner], {"a->b": "RA1"}, place)
    assert placed == [("a->b", "RA1"), ("u->a->b", "node for u->a->b")]
    assert notes == ["1 undercut(s) name a relation that does not exist and were left out"]
    assert place_undercuts([inner], {"a->b": "RA1"}, lambda u, a: None) == []
