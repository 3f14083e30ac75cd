"""Property tests: no exception other than ArgmapError escapes any reader or the checks.

Readers: the map loader (``argmap.io.loading.load_text``) and every importer in
``argmap.formats.IMPORTERS``; plus ``run_checks`` over generated valid maps
(and broken-but-loadable ones: dangling relations, duplicate ids, hostile
source paths). The long campaign is ``tests/fuzz/campaign.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from argmap.map.errors import ArgmapError
from argmap.formats import IMPORTERS, resolve
from argmap.io.loading import load_text
from fuzz.strategies import json_like, map_data, texts

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

XML_SNIPPETS = st.sampled_from([
    "<arggraph id='x'>", "</arggraph>", "<edu id='e1'>", "</edu>", "<adu id='a1' type='pro'/>",
    "<adu id='a2' type='opp'/>", "<edge id='c1' src='e1' trg='a1' type='seg'/>",
    "<edge id='c2' src='a1' trg='a2' type='sup'/>", "<edge id='c3' src='a2' trg='c2' type='und'/>",
    "<edge id='c4' src='a2' trg='a1' type='add'/>", "<edge id='c5' src='a1' trg='a1' type='reb'/>",
    "<![CDATA[text]]>", "&amp;", "&lt;", "<?xml version='1.0'?>", "<!-- c -->", "text", "<", ">", "&",
])
ARGDOWN_SNIPPETS = st.sampled_from([
    "[A]: text\n", "<Arg>: text\n", "  + [B]\n", "  - [C]\n", "  +> <D>\n", "  <- [E]\n", "  _> <Arg>\n",
    "(1) premise\n", "(2) premise\n", "----\n", "-- inference {uses: [1]} --\n", "(3) conclusion\n",
    "# Heading\n", "===\ntitle: x\n===\n", "{key: value}\n", "  ", "\n", "[", "]", "<", ">", "#tag ",
    "// comment\n", "/* c */", "[A]\n", "    + [A]\n", "\t- <X>\n",
])


def foreign_text(kind: str):
    if kind == "microtexts":
        return st.lists(XML_SNIPPETS, max_size=25).map("".join) | st.text(max_size=200)
    if kind == "argdown":
        return st.lists(ARGDOWN_SNIPPETS | texts, max_size=25).map("".join)
    return json_like.map(json.dumps) | aif_like().map(json.dumps) | st.text(max_size=200)


@st.composite
def aif_like(draw):
    """Plausible AIF/xAIF/SADFace/Argdown-JSON shapes with hostile values."""
    ids = st.integers(0, 6) | st.text(max_size=3)
    node = st.fixed_dictionaries(
        {"nodeID": ids, "type": st.sampled_from(["I", "RA", "CA", "MA", "L", "YA", "TA", "PA", "X"]) | json_like},
        optional={"text": st.none() | texts | json_like, "scheme": json_like},
    )
    edge = st.fixed_dictionaries({"fromID": ids, "toID": ids}, optional={"edgeID": ids})
    body = {"nodes": draw(st.lists(node, max_size=6)), "edges": draw(st.lists(edge, max_size=8))}
    if draw(st.booleans()):
        body["locutions"] = draw(st.lists(json_like, max_size=2))
    shape = draw(st.sampled_from(["aif", "xaif", "sadface", "argdown"]))
    if shape == "xaif":
        return {"AIF": body, "text": draw(json_like)}
    if shape == "sadface":
        return {"metadata": {"core": draw(json_like)}, "resources": draw(json_like),
                "nodes": [{"id": n["nodeID"], "type": draw(st.sampled_from(["atom", "scheme"])),
                           "text": n.get("text"), "name": draw(json_like)} for n in body["nodes"]],
                "edges": [{"id": e.get("edgeID"), "source_id": e["fromID"], "target_id": e["toID"]}
                          for e in body["edges"]]}
    if shape == "argdown":
        return {"statements": draw(st.dictionaries(st.text(max_size=6), json_like, max_size=3)),
                "arguments": draw(st.dictionaries(st.text(max_size=6), json_like, max_size=3)),
                "relations": draw(st.lists(json_like, max_size=3))}
    return body


@pytest.mark.parametrize("fmt", sorted(IMPORTERS))
def test_importers_raise_only_argmap_errors(fmt, tmp_path):
    importer = resolve(IMPORTERS[fmt])
    kind = "microtexts" if fmt == "microtexts" else "argdown" if fmt == "argdown" else "json"
    suffix = {"microtexts": ".xml", "argdown": ".argdown"}.get(fmt, ".json")

    @SETTINGS
    @given(foreign_text(kind))
    def check(text):
        try:
            importer(tmp_path / f"input{suffix}", text)
        except ArgmapError:
            pass

    check()


@SETTINGS
@given(data=map_data(max_nodes=6))
def test_run_checks_raises_nothing_on_valid_maps(data, tmp_path_factory):
    from argmap.checks.runner import run_checks

    folder = tmp_path_factory.mktemp("map")
    (folder / "article.txt").write_text("Some article. " * 5)
    if "source" in data and "path" in data["source"] and data["source"]["path"].startswith("@"):
        data["source"]["path"] = "article.txt"
    loaded = load_text(json.dumps(data), name=str(folder / "m.json"), path=folder / "m.json")
    try:
        diags = run_checks(loaded)
    except ArgmapError:
        return
    for d in diags:
        assert d.rule and d.message and "\n" not in d.message.strip()


HOSTILE_PATHS = st.sampled_from([
    "/etc/passwd", "../../../../etc/passwd", "..", ".", "", "article.txt/..", "a\x00b", "~/.ssh/id_rsa",
    "/dev/zero", "/dev/stdin", "/proc/self/environ", "C:\\Windows\\win.ini", "file:///etc/passwd",
    "article.txt", "./article.txt", "sub/../article.txt", "link-out", "x" * 5000,
])


@SETTINGS
@given(path=HOSTILE_PATHS)
def test_run_checks_with_hostile_source_paths(path, tmp_path_factory):
    """A map's source.path can only make check read inside the map's home; never a crash or a hang."""
    from argmap.checks.runner import run_checks

    folder = tmp_path_factory.mktemp("home")
    (folder / "article.txt").write_text("Cats are better pets than dogs. They need no walks.")
    link = folder / "link-out"
    if not link.exists():
        link.symlink_to("/etc/passwd")
    data = {"argmap": 1, "source": {"path": path} if path else {}, "nodes": [
        {"id": "t", "kind": "thesis", "text": "T.", "quote": "root:x:0:0"},
    ]}
    loaded = load_text(json.dumps(data), name=str(folder / "m.json"), path=folder / "m.json")
    try:
        diags = run_checks(loaded)
    except ArgmapError:
        return
    secret = Path("/etc/passwd").read_text(errors="replace").splitlines()[0] if Path("/etc/passwd").exists() else ""
    for d in diags:
        assert "\n" not in d.message.strip()
        if secret and path not in ("article.txt", "./article.txt", "sub/../article.txt"):
            assert secret not in d.message, "a message leaked the content of a file outside the map's home"


def test_quote_longer_than_its_source_regression():
    """Found by atheris: a quote longer than the source and nearly equal to it indexed past the text."""
    from argmap.map.source import closest_passage

    text = "Cats are better pets than dogs. They need no walks. But dogs protect the house."
    quote = "They nee^ noats are better pets than dogs. They need no walks. But dogs protect the house. And more."
    p = closest_passage(text, quote)
    assert p is not None and 0 <= p.start < p.end <= len(text)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=120), st.text(min_size=1, max_size=160))
def test_closest_passage_spans_stay_inside_the_text(text, quote):
    from argmap.map.source import closest_passage

    p = closest_passage(text, quote)
    if p is not None:
        assert 0 <= p.start <= p.end <= len(text)


@pytest.mark.parametrize(
    ("fmt", "doc"),
    [
        ("argdown-json", {"statements": {"A": {"members": 5, "tags": 4}}, "arguments": {}}),
        ("argdown-json", {"statements": {}, "arguments": {"B": {"pcs": 3, "members": 3, "tags": 4}},
                          "relations": 3, "sections": 5}),
        ("sadface", {"nodes": [], "resources": 1}),
    ],
)
def test_foreign_json_with_numbers_where_lists_belong(fmt, doc, tmp_path):
    """Found by the hypothesis importer property: a number where a list belongs was a TypeError."""
    try:
        resolve(IMPORTERS[fmt])(tmp_path / "x.json", json.dumps(doc))
    except ArgmapError:
        pass
