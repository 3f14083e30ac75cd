"""argmap.views.layout: real Graphviz runs, SVG parsed; binary resolution, fallback, failures, timeouts."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring

from argmap.views import dot

from argmap.views import layout
from argmap.map.errors import ToolError
from argmap.io.loading import load_map, load_text
from conftest import ROOT, SEED_MAP

MAPS = ROOT / "tests" / "maps" / "render"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
BUNDLED = Path(sys.executable).parent / "graphviz-pure"


def _groups(root, cls: str):
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def _relation_groups(root):
    """The SVG groups of the map's relations (not the legend's sample edges)."""
    return [g for g in _groups(root, "edge") if "legend-item" not in g.get("class").split()]


def _tooltip(g) -> str | None:
    for a in g.iter(f"{SVG}a"):
        return a.get(f"{XLINK}title")
    return None


def _node_text(g) -> str:
    return " ".join("".join(t.itertext()) for t in g.iter(f"{SVG}text"))


def assert_map_svg(svg: str, amap, *, legend: bool = True):
    root = fromstring(svg.encode("utf-8"))
    nodes = {g.get("id"): g for g in _groups(root, "node")}
    for n in amap.nodes:
        g = nodes.get(f"node-{n.id}")
        assert g is not None, f"node {n.id} missing from the SVG"
        assert n.kind.value in g.get("class").split()
        expect = f"\u201c{dot.clean(n.quote)}\u201d" if n.quote else dot.clean(n.text)
        # (a value ending in a backslash gets a space after it: DOT cannot end a string with one)
        assert _tooltip(g) == (expect + " " if expect.endswith("\\") else expect)
        assert n.id in _node_text(g)
        # the label shows the text exactly (its lines joined), whatever characters it holds
        assert " ".join(dot.wrap_lines(n.text, 32)) in _node_text(g)
    if legend:
        key = next(g for g in _groups(root, "cluster") if g.get("id") == "legend")
        assert "Legend" in _node_text(key)
    return root


def assert_safe_svg(root):
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        assert tag not in ("script", "foreignObject", "iframe", "image", "use", "style")
        for name, value in el.attrib.items():
            local = name.rsplit("}", 1)[-1]
            assert not local.lower().startswith("on"), f"event handler {name} on {tag}"
            assert local != "href", f"link {value!r} on {tag}"
            assert "url(" not in value.lower() or value.startswith("url(#")


def test_seed_svg_has_every_node_tooltip_and_legend():
    amap = load_map(SEED_MAP).map
    svg = layout.run_layout(dot.build_dot(amap)).decode("utf-8")
    root = assert_map_svg(svg, amap)
    assert_safe_svg(root)
    edges = _relation_groups(root)
    n_rel = sum(len(n.supports) + len(n.attacks) + len(n.undercuts) for n in amap.nodes)
    assert len({g.get("id") for g in edges if not g.get("class").endswith("member")}) == n_rel
    assert {"supports", "attacks", "undercuts"} <= {c for g in edges for c in g.get("class").split()}


def test_golden_svg_with_the_pinned_binary(golden):
    """Only for the pinned graphviz-pure: other Graphviz versions lay out differently."""
    version = subprocess.run([str(BUNDLED), "-V"], capture_output=True, text=True).stderr
    if "graphviz-pure version 0.2.2" not in version:
        pytest.skip(f"golden SVGs are for graphviz-pure 0.2.2, not {version.strip()!r}")
    for name, path in (("seed", SEED_MAP), ("kinds", MAPS / "kinds.yaml")):
        svg = layout.run_layout(dot.build_dot(load_map(path).map), "svg", binary=layout.Binary(str(BUNDLED), "bundled"))
        golden(ROOT / "tests" / "golden" / "svg" / f"{name}.svg", svg.decode("utf-8"))


def test_hostile_map_gives_valid_safe_svg():
    amap = load_map(MAPS / "hostile.yaml").map
    svg = layout.run_layout(dot.build_dot(amap)).decode("utf-8")
    root = assert_map_svg(svg, amap)
    assert_safe_svg(root)
    text = "".join(root.itertext())
    assert "<script>alert(1)</script>" in text  # shown as text, never as markup
    assert "\U0001f6b2" in text and "\u4e2d\u6587" in text
    assert "<script" not in svg.replace("&lt;script", "")


@pytest.mark.parametrize("strategy", ["tree", "fast"])
def test_big_map_strategies_draw_every_node_and_relation(strategy):
    import random

    rng = random.Random(3)
    lines = ["argmap: 1", "nodes:", "  - {id: n0, kind: thesis, text: top, quote: the top}"]
    for i in range(1, 120):
        targets = {f"n{rng.randrange(i)}"} | {f"n{rng.randrange(120)}" for _ in range(rng.randrange(2))}
        targets.discard(f"n{i}")
        lines.append(f"  - {{id: n{i}, kind: claim, text: node number {i}, supports: [{', '.join(sorted(targets))}]}}")
    amap = load_text("\n".join(lines) + "\n", name="big.yaml").map
    res = dot.build(amap, strategy=strategy)
    assert res.cross_edges > 0
    svg = layout.run_layout(res.source).decode("utf-8")
    root = assert_map_svg(svg, amap)
    edge_ids = {g.get("id") for g in _relation_groups(root)}
    expect = {f"edge-{n.id}->{r.to}" for n in amap.nodes for r in n.supports}
    assert edge_ids == expect
    if strategy == "fast":
        cross = [g for g in _groups(root, "edge") if "cross" in g.get("class").split()]
        assert len(cross) == res.cross_edges
        # drawn straight: one segment (M ... C with collinear control points or L)
        assert all(g.find(f"{SVG}path") is not None for g in cross)


def test_png_and_dot_output():
    src = dot.build_dot(load_map(MAPS / "kinds.yaml").map)
    png = layout.run_layout(src, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    out = layout.run_layout(src, "dot")
    assert b"pos=" in out


def test_pdf_with_system_graphviz(system_dot, monkeypatch):
    monkeypatch.delenv("ARGMAP_DOT", raising=False)
    b = layout.find_binary("pdf")
    assert b.origin == "system"
    pdf = layout.run_layout(dot.build_dot(load_map(MAPS / "kinds.yaml").map), "pdf")
    assert pdf.startswith(b"%PDF")


# --------------------------------------------------------------------------- resolution and failures


@pytest.fixture
def no_bundled(monkeypatch, tmp_path):
    """Hide the bundled binary: a fake interpreter folder, PATH holding only what the test puts there."""
    fake_bin = tmp_path / "venv-bin"
    fake_bin.mkdir()
    path_dir = tmp_path / "path"
    path_dir.mkdir()
    monkeypatch.setattr(sys, "executable", str(fake_bin / "python"))
    monkeypatch.setenv("PATH", str(path_dir))
    monkeypatch.delenv("ARGMAP_DOT", raising=False)
    return path_dir


def test_bundled_binary_is_the_default(monkeypatch):
    monkeypatch.delenv("ARGMAP_DOT", raising=False)
    b = layout.find_binary("svg")
    assert b.origin == "bundled" and Path(b.path) == BUNDLED


def test_fallback_to_system_dot(no_bundled, system_dot):
    (no_bundled / "dot").symlink_to(system_dot)
    b = layout.find_binary("svg")
    assert b.origin == "system" and b.path == str(no_bundled / "dot")
    amap = load_map(SEED_MAP).map
    svg = layout.run_layout(dot.build_dot(amap)).decode("utf-8")
    assert "graphviz-pure" not in svg.split("-->", 1)[0]
    assert_map_svg(svg, amap)
    # the two-pass strategy works with the system dot too
    svg = layout.run_layout(dot.build_dot(amap, strategy="fast")).decode("utf-8")
    assert_map_svg(svg, amap)
    # and so does the escaping of hostile text (Graphviz 2.4x unescapes tooltips the same way)
    hostile = load_map(MAPS / "hostile.yaml").map
    assert_safe_svg(assert_map_svg(layout.run_layout(dot.build_dot(hostile)).decode("utf-8"), hostile))


def test_no_graphviz_at_all(no_bundled):
    with pytest.raises(ToolError) as exc:
        layout.find_binary("svg")
    assert "Graphviz is not available" in exc.value.message and exc.value.exit_code == 2
    with pytest.raises(ToolError, match="PDF output needs a system Graphviz"):
        layout.find_binary("pdf")


def _script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_argmap_dot_is_used_and_checked(monkeypatch, tmp_path):
    monkeypatch.setenv("ARGMAP_DOT", str(BUNDLED))
    assert layout.find_binary("pdf") == layout.Binary(str(BUNDLED), "ARGMAP_DOT")
    monkeypatch.setenv("ARGMAP_DOT", str(tmp_path / "nope"))
    with pytest.raises(ToolError, match="ARGMAP_DOT is set to"):
        layout.find_binary()


def test_failing_binary_gives_one_clear_sentence(monkeypatch, tmp_path):
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", 'echo "Warning: noise" >&2; echo "Error: syntax error in line 1" >&2; exit 1'))
    with pytest.raises(ToolError) as exc:
        layout.run_layout("digraph { a }").decode("utf-8")
    assert exc.value.message.endswith("failed: Error: syntax error in line 1")


def test_timeout(monkeypatch, tmp_path):
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", "exec sleep 10"))
    with pytest.raises(ToolError, match=r"did not finish within 0.3 s; raise --timeout"):
        layout.run_layout("digraph { a }", "svg", 0.3)


def test_a_started_layout_ends_when_closed(monkeypatch, tmp_path):
    """A page whose checks fail after the layout started leaves no binary running: leaving
    the job's block (or close()) ends it and removes its files."""
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", "exec sleep 10"))
    with pytest.raises(RuntimeError):
        with layout.start_layout("digraph { a }", "svg") as job:
            proc = job.running.proc
            assert proc.poll() is None
            raise RuntimeError("the checks failed")
    assert proc.poll() is not None
    assert all(f.closed for f in job.running.files)


def test_binary_that_cannot_run(monkeypatch, tmp_path):
    p = tmp_path / "dot"
    p.write_text("not a program")
    p.chmod(0o644)
    monkeypatch.setenv("ARGMAP_DOT", str(p))
    with pytest.raises(ToolError, match="could not be started"):
        layout.run_layout("digraph { a }").decode("utf-8")


def test_map_text_never_reaches_a_shell(monkeypatch, tmp_path):
    """The binary gets an argument list and the DOT on stdin: record exactly what it receives."""
    log = tmp_path / "args"
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", f'printf "%s\\n" "$@" > {log}; cat > {log}.in; echo "<svg/>"'))
    amap = load_map(MAPS / "hostile.yaml").map
    src = dot.build_dot(amap)
    layout.run_layout(src).decode("utf-8")
    assert log.read_text().splitlines() == ["-Tsvg"]
    assert log.with_suffix(".in").read_text(encoding="utf-8") == src


# --------------------------------------------------------------------------- size of the drawing (issue 18)


def wide_fan(n: int, kids: int = 0, shared: int = 0, seed: int = 1) -> str:
    """A map whose thesis has ``n`` reasons, each with ``kids`` premises, plus ``shared`` premises that
    support two random nodes each (a DAG, as real maps are)."""
    import random

    rng = random.Random(seed)
    lines = ["argmap: 1", "title: A generated wide fan", "nodes:",
             "  - {id: t, kind: thesis, text: 'The thesis of a generated map with a wide fan of reasons.'}"]
    ids = []
    for i in range(n):
        lines.append(f"  - {{id: c{i}, kind: claim, text: 'Reason {i} for the thesis, worded at a typical "
                     f"length.', supports: [t]}}")
        ids.append(f"c{i}")
        for j in range(kids):
            lines.append(f"  - {{id: p{i}-{j}, kind: premise, text: 'Premise {j} of reason {i}, in a few "
                         f"words.', supports: [c{i}]}}")
            ids.append(f"p{i}-{j}")
    for k in range(shared):
        a, b = rng.sample(ids, 2)
        lines.append(f"  - {{id: x{k}, kind: premise, text: 'A premise for two reasons, {k}.', "
                     f"supports: [{a}, {b}]}}")
    return "\n".join(lines) + "\n"


def drawn_size(svg: str) -> tuple[float, float, list[float]]:
    """Width and height in px (96 per inch) at scale 1, and every font size (pt) of the SVG."""
    root = fromstring(svg.encode("utf-8"))
    width, height = (float(root.get(a).removesuffix("pt")) for a in ("width", "height"))
    assert root.get("viewBox").split()[2:] == [f"{width:.2f}", f"{height:.2f}"]  # scale 1
    graph = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "graph")
    assert graph.get("transform").startswith("scale(1 1)")
    return width * 4 / 3, height * 4 / 3, [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]


def _bundled_svg(source: str) -> str:
    return layout.run_layout(source, "svg", binary=layout.Binary(str(BUNDLED), "bundled")).decode("utf-8")


def test_seed_default_svg_meets_the_size_target():
    """Issue 18: about 6:1 (5547 x 956 px) before; now between 1:2.5 and 2.5:1, text of at least
    10 pt at scale 1, longer side at most 2,600 px."""
    res = dot.build(load_map(SEED_MAP).map)
    width, height, sizes = drawn_size(_bundled_svg(res.source))
    assert 1 / 2.5 <= width / height <= 2.5, (width, height)
    assert max(width, height) <= 2600, (width, height)
    assert min(sizes) >= 10
    assert res.rankdir == "LR"  # too wide with the thesis on top, so it goes on the left


@pytest.mark.parametrize("rankdir", ["auto", "TB", "LR"])
@pytest.mark.parametrize("n, kids, shared", [(20, 0, 0), (40, 0, 0), (80, 0, 0), (20, 3, 0), (12, 6, 0),
                                             (30, 3, 15)])
def test_wide_fans_keep_readable_proportions(n, kids, shared, rankdir):
    amap = load_text(wide_fan(n, kids, shared), name="fan.yaml").map
    res = dot.build(amap, rankdir=rankdir)
    svg = _bundled_svg(res.source)
    width, height, sizes = drawn_size(svg)
    assert 1 / 2.5 <= width / height <= 2.5, (width, height, res.note)
    assert min(sizes) >= 10
    assert_map_svg(svg, amap)
    if rankdir != "auto":
        assert res.rankdir == rankdir  # asked for: kept, and the fan folded instead
    assert "wide rows folded" in res.note


def test_a_small_map_keeps_its_natural_layout():
    res = dot.build(load_map(MAPS / "kinds.yaml").map)
    assert res.rankdir == "TB" and res.layers is None and "minlen" not in res.source
    assert "wide rows folded" not in res.note


def _rank_axis(g: dict, rankdir: str) -> dict[str, float]:
    """Each node's coordinate across the ranks in a laid out -Tjson graph."""
    axis = 0 if rankdir in ("LR", "RL") else 1
    return {o["name"]: float(o["pos"].split(",")[axis]) for o in g["objects"] if "nodes" not in o}


@pytest.mark.parametrize("rankdir", ["TB", "LR"])
def test_dot_keeps_the_folded_layers(rankdir):
    """Every edge spans exactly its minlen, so network simplex keeps the layers chosen in Python; loose
    parts (another argument, a node with no relation) are anchored to them too."""
    import json

    text = wide_fan(20, 2, 6) + (
        "  - {id: loose, kind: claim, text: 'An argument of its own.'}\n"
        "  - {id: loose-reason, kind: premise, text: 'Its reason.', supports: [loose]}\n"
        "  - {id: orphan, kind: premise, text: 'A premise with no relation at all.'}\n"
        "  - {id: a1, kind: claim, text: 'One half of a cycle.', supports: [a2, c3]}\n"
        "  - {id: a2, kind: claim, text: 'The other half of the cycle.', supports: [a1]}\n")
    amap = load_text(text, name="fan.yaml").map
    res = dot.build(amap, rankdir=rankdir)
    assert res.layers is not None and max(res.layers.values()) > 2
    g = json.loads(subprocess.run([str(BUNDLED), "-Tjson"], input=res.source.encode("utf-8"), capture_output=True,
                                  check=True).stdout)
    pos = _rank_axis(g, rankdir)
    at = {}
    for name, layer in res.layers.items():
        at.setdefault(layer, set()).add(round(pos[name], 1))
    assert all(len(v) == 1 for v in at.values()), at  # one coordinate per layer
    coords = [next(iter(at[k])) for k in sorted(at)]
    # the thesis's layer first: on top (y grows upwards in Graphviz) or on the left
    assert coords == (sorted(coords) if rankdir == "LR" else sorted(coords, reverse=True))
    assert "constraint=false" in res.source  # the edge that closes the cycle a1 -> a2 -> a1


def test_legend_draws_real_edge_samples():
    """The legend's samples are edges with the map's own colours and dash patterns."""
    amap = load_map(MAPS / "kinds.yaml").map
    root = fromstring(_bundled_svg(dot.build_dot(amap)).encode("utf-8"))

    def stroke(g):
        path = next(g.iter(f"{SVG}path"))
        return path.get("stroke"), path.get("stroke-dasharray"), path.get("stroke-width")

    by_id = {g.get("id"): g for g in _groups(root, "edge")}
    for rel, example in (("supports", "edge-r1->t"), ("attacks", "edge-o1->t"), ("undercuts", "edge-u3->c1->t"),
                         ("linked", "edge-p1->c1")):
        assert stroke(by_id[f"legend-{rel}"]) == stroke(by_id[example]), rel
    assert stroke(by_id["legend-attacks"])[1] and stroke(by_id["legend-undercuts"])[1]  # dashed, dotted
    key = next(g for g in _groups(root, "cluster") if g.get("id") == "legend")
    assert next(key.iter(f"{SVG}path")).get("stroke") == "#bdbdbd"  # a light rounded frame, not a heavy table
    texts = " ".join(_node_text(g) for g in _groups(root, "node") if (g.get("id") or "").startswith("legend-"))
    assert "-->" not in texts and "--|" not in texts
    for word in ("thesis", "claim", "premise", "recommendation", "objection", "supports", "attacks",
                 "undercuts a relation", "linked premises"):
        assert word in texts


def test_drafts_are_dotted_grey_with_a_badge():
    amap = load_map(MAPS / "drafts.yaml").map
    root = fromstring(_bundled_svg(dot.build_dot(amap)).encode("utf-8"))
    nodes = {g.get("id"): g for g in _groups(root, "node")}
    for nid, kind, badge in (("c1", "claim", "draft 0.35"), ("o1", "objection", "draft 0.80")):
        g = nodes[f"node-{nid}"]
        assert g.get("class").split() == ["node", kind, "draft"]
        assert badge in _node_text(g)
        border = next(g.iter(f"{SVG}path"))  # rounded boxes
        assert border.get("stroke") == dot.DRAFT_COLOR and border.get("stroke-dasharray") == "1,5"  # dotted
    assert "draft" not in nodes["node-p1"].get("class").split()
    assert "draft 0.35" in _node_text(nodes["legend-draft"])
    # no drafts, no draft sample in the legend
    plain = fromstring(_bundled_svg(dot.build_dot(load_map(MAPS / "kinds.yaml").map)).encode("utf-8"))
    assert "legend-draft" not in {g.get("id") for g in _groups(plain, "node")}
