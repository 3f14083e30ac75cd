"""argmap.views.dot: golden DOT, conventions, strategies, escaping (real Graphviz reads the DOT back)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.views import dot
from argmap.io.loading import load_map, load_text
from conftest import ROOT, SEED_MAP

MAPS = ROOT / "tests" / "maps" / "render"
GOLDEN = ROOT / "tests" / "golden" / "dot"
BUNDLED = Path(sys.executable).parent / "graphviz-pure"


def _canon(source: str) -> dict:
    """Graphviz's own reading of a DOT source (-Tjson without layout: -Tjson needs one; use canon+json)."""
    out = subprocess.run([str(BUNDLED), "-Tjson"], input=source.encode("utf-8"), capture_output=True, check=True)
    return json.loads(out.stdout)


def _nodes(g) -> list[dict]:
    """The nodes among Graphviz's objects (subgraphs, such as the legend's cluster, have "nodes")."""
    return [o for o in g["objects"] if "nodes" not in o]


def _relations(g) -> list[dict]:
    """The edges drawn for the map's relations (not the legend's samples or invisible helpers)."""
    return [e for e in g["edges"] if e.get("id", "").startswith("edge-")]


@pytest.mark.parametrize("name", ["seed", "kinds", "shared", "hostile", "dangling"])
def test_golden_dot(name, golden):
    path = SEED_MAP if name == "seed" else MAPS / f"{name}.yaml"
    golden(GOLDEN / f"{name}.dot", dot.build_dot(load_map(path).map))


def test_page_drawing_has_no_title_and_no_node_tooltips():
    """The HTML page shows the title and a node's quote itself: its DOT carries neither,
    and is otherwise the drawing render --svg lays out."""
    amap = load_map(SEED_MAP).map
    page, plain = _canon(dot.build_dot(amap, page=True)), _canon(dot.build_dot(amap))
    page_nodes, plain_nodes = ({o["name"]: o for o in _nodes(g)} for g in (page, plain))
    assert page_nodes.keys() == plain_nodes.keys()
    for n in amap.nodes:
        assert "tooltip" in plain_nodes[n.id] and "tooltip" not in page_nodes[n.id]
        assert {k: v for k, v in plain_nodes[n.id].items() if k not in ("tooltip", "_gvid")} == \
            {k: v for k, v in page_nodes[n.id].items() if k not in ("tooltip", "_gvid")}
    assert amap.title and amap.title in plain.get("label", "") and amap.title not in page.get("label", "")


def test_golden_dot_options(golden):
    amap = load_map(MAPS / "kinds.yaml").map
    golden(GOLDEN / "kinds-lr-tree.dot", dot.build_dot(amap, rankdir="LR", wrap=20, legend=False, strategy="tree"))
    golden(GOLDEN / "kinds-fast.dot", dot.build_dot(amap, strategy="fast"))


def test_node_conventions_on_the_seed():
    amap = load_map(SEED_MAP).map
    g = _canon(dot.build_dot(amap))
    objs = {o["name"]: o for o in _nodes(g)}
    for n in amap.nodes:
        o = objs[n.id]
        assert o["id"] == f"node-{n.id}"
        assert o["class"] == n.kind.value
        assert o["tooltip"] == f"\u201c{n.quote}\u201d"
    helpers = [name for name in objs if name not in {n.id for n in amap.nodes}]
    assert helpers and all(h.startswith("_") for h in helpers)
    legend = next(o for o in g["objects"] if o["name"] == "cluster_legend")
    assert legend["id"] == "legend" and legend["class"] == "legend"
    assert all(objs[n].get("id", "legend-").startswith("legend-") for n in objs if n.startswith("_legend"))
    # every relation has one arrow into its target with id edge-<ref>
    ids = [e["id"] for e in _relations(g)]
    for n in amap.nodes:
        for kind in ("supports", "attacks"):
            for rel in getattr(n, kind):
                assert f"edge-{n.id}->{rel.to}" in ids
        for ref in n.undercuts:
            assert f"edge-{n.id}->{ref}" in ids
    assert len(ids) == len(set(ids))
    # too wide with the thesis on top (about 6:1), so the thesis goes on the left: edges run right to left
    assert g["rankdir"] == "RL"
    assert _canon(dot.build_dot(amap, rankdir="TB"))["rankdir"] == "BT"  # asked for: thesis on top


def test_kinds_and_relations_drawn_distinctly():
    src = dot.build_dot(load_map(MAPS / "kinds.yaml").map)
    g = _canon(src)
    objs = {o["name"]: o for o in _nodes(g)}
    styles = {objs[n]["class"]: (objs[n]["shape"], objs[n]["style"], objs[n]["fillcolor"]) for n in
              ("t", "c1", "p1", "r1", "o1")}
    assert len(set(styles.values())) == 5
    assert "actor: the town council" in objs["r1"]["label"]
    edges = {e["id"]: e for e in _relations(g)}
    sup, att, und = edges["edge-c1->t"], edges["edge-o1->t"], edges["edge-u3->c1->t"]
    assert sup["class"] == "supports" and att["class"] == "attacks" and und["class"] == "undercuts"
    assert len({(e["color"], e["arrowhead"], e.get("style", "solid")) for e in (sup, att, und)}) == 3
    # linked argument: both premises feed one junction, which points at the conclusion
    link = next(o for o in g["objects"] if o.get("id") == "link-p1->c1")
    feeders = [e for e in _relations(g) if e["class"] == "supports member"]
    assert {objs_name(g, e["tail"]) for e in feeders} >= {"p1", "p2"}
    assert link["xlabel"] == "Argument from evidence"
    # an undercut of an undercut: a point on u1's undercut, attacked by u2
    assert "edge-u2->u1->p1->c1" in edges and "mid-u1->p1->c1" in {o.get("id") for o in g["objects"]}


def objs_name(g, index):
    return g["objects"][index]["name"]


def test_dangling_targets_are_drawn_as_missing():
    g = _canon(dot.build_dot(load_map(MAPS / "dangling.yaml").map))
    missing = {o["id"] for o in _nodes(g) if o.get("class") == "missing"}
    assert missing == {"missing-nowhere", "missing-c1->ghost"}


def test_hostile_text_survives_dot_exactly():
    """Graphviz reads back exactly the text we meant: nothing ends a string or becomes an escape."""
    amap = load_map(MAPS / "hostile.yaml").map
    src = dot.build_dot(amap)
    g = _canon(src)
    objs = {o["name"]: o for o in _nodes(g)}
    for n in amap.nodes:
        o = objs[n.id]
        meant = f"\u201c{dot.clean(n.quote)}\u201d" if n.quote else dot.clean(n.text)
        # DOT keeps backslashes as written; Graphviz unescapes tooltips twice (see argmap.views.dot)
        raw = meant.replace("\\", "\\" * 4)
        assert o["tooltip"] == (raw + " " if raw.endswith("\\") else raw)
        # the label's visible text, with tags removed and entities decoded, holds the words
        import html

        visible = html.unescape(re.sub(r"<[^>]*>", " ", o["label"]))
        for word in dot.clean(n.text).split():
            assert word in visible.replace("  ", " ") or word in visible
    # + a junction, and the legend's parts: no node made up from text
    assert len([o for o in _nodes(g) if not o["name"].startswith("_legend")]) == len(amap.nodes) + 1
    # no line of the DOT starts with text from the map
    for line in src.splitlines():
        assert not line.lstrip().startswith(("digraph {", "node [label=x]", "//", "/*", "a -> b"))


def test_control_characters_and_newlines_do_not_reach_dot():
    src = dot.build_dot(load_map(MAPS / "hostile.yaml").map)
    assert "\u0007" not in src and not any("\t" in line.lstrip("\t") for line in src.splitlines())
    assert "\u202e" not in src  # bidi overrides could make a label read differently from its text


def test_choose_strategy_by_size():
    assert dot.choose_strategy(59, 80) == "full"
    assert dot.choose_strategy(dot.FULL_MAX_NODES + 1, 10) == "tree"
    assert dot.choose_strategy(10, dot.FULL_MAX_EDGES + 1) == "tree"
    assert dot.choose_strategy(dot.TREE_MAX_NODES + 1, 10) == "fast"
    assert dot.choose_strategy(10_000, 15_000, "full") == "full"
    with pytest.raises(ValueError):
        dot.choose_strategy(1, 1, "sideways")
    # relations outside the spanning tree that cross many ranks make the one-pass layouts slow
    assert dot.choose_strategy(1000, 1500, span=273) == "tree"
    assert dot.choose_strategy(1000, 1500, span=4084) == "fast"
    assert dot.choose_strategy(150, 225, span=2 * dot.FULL_MAX_NODES + 1) == "tree"


def test_span_of_the_relations_outside_the_tree():
    # n3 supports n0 directly (tree edge) and n1 (cross edge between neighbouring levels: span 0);
    # n4 sits 3 levels down and also supports n0: 2 levels skipped
    src = """argmap: 1
nodes:
  - {id: n0, kind: thesis, text: top}
  - {id: n1, kind: claim, text: a, supports: [n0]}
  - {id: n2, kind: claim, text: b, supports: [n1]}
  - {id: n3, kind: claim, text: c, supports: [n0, n2]}
  - {id: n4, kind: premise, text: d, supports: [n3x, n0]}
  - {id: n3x, kind: claim, text: e, supports: [n2]}
"""
    res = dot.build(load_text(src, name="s.yaml").map, strategy="tree")
    assert res.cross_edges == 2  # n3->n2 and n4->n3x (n4 hangs below the thesis directly)


def _chain_map(n: int, extra: list[tuple[int, int]]) -> str:
    lines = ["argmap: 1", "nodes:", "  - {id: n0, kind: thesis, text: top}"]
    sup = {i: [f"n{(i - 1) // 2}"] for i in range(1, n)}
    for a, b in extra:
        sup[a].append(f"n{b}")
    for i in range(1, n):
        lines.append(f"  - {{id: n{i}, kind: claim, text: node {i}, supports: [{', '.join(sup[i])}]}}")
    return "\n".join(lines) + "\n"


def test_tree_strategy_constrains_only_a_spanning_tree():
    amap = load_text(_chain_map(15, [(14, 1), (9, 0), (12, 3)]), name="m.yaml").map
    res = dot.build(amap, strategy="tree")
    g = _canon(res.source)
    cross = [e for e in _relations(g) if e.get("constraint") == "false"]
    assert res.cross_edges == len(cross) == 3
    assert all("cross" in e["class"] for e in cross)
    tree = [e for e in _relations(g) if e.get("constraint") != "false"]
    heads = [objs_name(g, e["tail"]) for e in tree]
    assert len(heads) == len(set(heads)) == 14  # every node but the thesis has exactly one tree edge


def test_fast_strategy_puts_cross_edges_after_the_marker():
    amap = load_text(_chain_map(15, [(14, 1), (9, 0)]), name="m.yaml").map
    res = dot.build(amap, strategy="fast", legend=False)
    before, _, after = res.source.partition(dot.AFTER_LAYOUT_MARKER)
    assert after.count(" -> ") == 2 and "constraint=false" in after
    assert before.count(" -> ") == 14
    _canon(res.source)  # still one valid DOT graph for any single dot


def test_problems_are_highlighted():
    from argmap.map.diagnostics import Diagnostic, Severity

    amap = load_map(MAPS / "kinds.yaml").map
    d = Diagnostic("AM107", "unsupported-recommendation", Severity.WARNING, "no reason \\ <b>", node="r1")
    g = _canon(dot.build_dot(amap, problems=[d]))
    r1 = next(o for o in _nodes(g) if o["name"] == "r1")
    assert r1["class"] == "recommendation problem" and r1["color"] == dot.PROBLEM_COLOR
    assert "AM107 unsupported-recommendation" in r1["label"]
    assert "no reason \\\\\\\\ <b> [AM107" in r1["tooltip"]


def test_neighbourhood():
    amap = load_map(SEED_MAP).map
    sub = dot.neighbourhood(amap, ["claim-tactical-approach"], 1)
    ids = {n.id for n in sub.nodes}
    assert ids == {"claim-tactical-approach", "claim-constraints-limit", "claim-no-agreement-on-priority",
                   "obj-bilateral-frameworks", "premise-uneven-progress", "premise-hub-and-spokes",
                   "rec-pair-strategic-thinking", "rec-nato-determine"}
    for n in sub.nodes:
        for rel in n.supports + n.attacks:
            assert rel.to in ids
    assert dot.neighbourhood(amap, ["thesis"], None) is amap
    assert len(dot.neighbourhood(amap, ["thesis"], 0).nodes) == 1


def test_rankdir_and_width_options():
    amap = load_map(MAPS / "kinds.yaml").map
    assert 'rankdir=RL' in dot.build_dot(amap, rankdir="lr")
    assert 'rankdir=BT' in dot.build_dot(amap)  # auto: a small map keeps the thesis on top
    with pytest.raises(ValueError):
        dot.build_dot(amap, rankdir="up")
    narrow = _canon(dot.build_dot(amap, wrap=10))
    t = next(o for o in _nodes(narrow) if o["name"] == "t")
    assert t["label"].count("<BR/>") >= 3


def test_layout_knows_the_marker():
    from argmap.views import layout
    assert layout.AFTER_LAYOUT_MARKER == dot.AFTER_LAYOUT_MARKER


def test_draft_styling_lives_in_the_dot():
    """The HTML page reuses this DOT: drafts are marked here (class, dotted grey border, badge)."""
    from argmap.map.diagnostics import Diagnostic, Severity

    amap = load_map(MAPS / "drafts.yaml").map
    d = Diagnostic("AM110", "draft-remains", Severity.INFO, "draft", node="c1")
    objs = {o["name"]: o for o in _nodes(_canon(dot.build_dot(amap, problems=[d], focus="o1")))}
    assert objs["c1"]["class"] == "claim draft problem" and objs["c1"]["color"] == dot.PROBLEM_COLOR
    assert objs["o1"]["class"] == "objection draft focus"
    assert "dotted" in objs["o1"]["style"] and "dashed" not in objs["o1"]["style"]  # dashed means objection
    assert "draft 0.80" in objs["o1"]["label"] and "draft 0.35" in objs["c1"]["label"]
    assert objs["p1"]["class"] == "premise" and "draft" not in objs["p1"]["label"]
    assert objs["_legend_draft"]["id"] == "legend-draft"


def test_label_sizes_match_graphviz():
    """The sizes the layering works with are those Graphviz gives the boxes (within 5 %)."""
    for path in (SEED_MAP, MAPS / "kinds.yaml", MAPS / "drafts.yaml", MAPS / "dangling.yaml"):
        amap = load_map(path).map
        b = dot._Builder(amap, wrap=32, problems={}, focus=None)
        b.add_nodes()
        b.add_relations()
        b.add_undercuts()
        objs = {o["name"]: o for o in _nodes(_canon(dot.build_dot(amap, legend=False)))}
        for name, (w, h) in b.sizes.items():
            if w < 10:  # points: junctions
                continue
            o = objs[name]
            assert abs(w / (float(o["width"]) * 72) - 1) < 0.05, (name, w, float(o["width"]) * 72)
            assert abs(h / (float(o["height"]) * 72) - 1) < 0.05, (name, h, float(o["height"]) * 72)


def test_layering_breaks_cycles_and_chooses_the_direction():
    from argmap.views import layering

    assert len(layering.break_cycles(["a", "b", "c"], [("a", "b"), ("b", "c"), ("c", "a")], [True] * 3)) == 1
    assert layering.break_cycles(["a", "b", "c"], [("a", "b"), ("b", "c")], [True] * 2) == set()
    names = ["t"] + [f"c{i}" for i in range(30)]
    size = {n: (200.0, 50.0) for n in names}
    edges = [(f"c{i}", "t") for i in range(30)]
    wide = layering.layer(names, size, edges, [True] * 30, horizontal=None)
    assert wide.horizontal and wide.folded  # a column of 30 is too tall too: folded into columns
    assert all(wide.layer[below] == wide.layer[above] + 1 for below, above in wide.stacked.items())
    assert 1 / 2 <= wide.width / wide.height <= 2
    small = layering.layer(names[:4], size, edges[:3], [True] * 3, horizontal=None)
    assert not small.horizontal and not small.folded and set(small.layer.values()) == {0, 1}
    kept = layering.layer(names, size, edges, [True] * 30, horizontal=False, fold=False)
    assert not kept.horizontal and not kept.folded  # big maps: direction only, as asked here
