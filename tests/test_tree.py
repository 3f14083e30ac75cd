"""argmap show: the tree view as text at a fixed width (golden), and the command's behaviour."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.map.diagnostics import Diagnostic, Severity
from argmap.io.loading import load_map, load_text
from argmap.views.tree import TreeOptions, build_tree, kind_table, render_text
from conftest import ROOT, SEED_MAP

MAPS = ROOT / "tests" / "maps" / "render"
GOLDEN = ROOT / "tests" / "golden" / "tree"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|9[0-7]|4[0-8])(?:;[0-9;]*)?m")  # foreground/background


def text(amap, width=80, **opts) -> str:
    out = render_text(build_tree(amap, TreeOptions(**opts)), width)
    return "\n".join(line.rstrip() for line in out.splitlines()) + "\n"


def show(*args, **kw):
    return CliRunner().invoke(app, ["show", *map(str, args)], catch_exceptions=False, **kw)


@pytest.mark.parametrize("name, path, opts", [
    ("seed", SEED_MAP, {}),
    ("seed-quotes-depth1", SEED_MAP, {"quotes": True, "depth": 1}),
    ("seed-node", SEED_MAP, {"node": "claim-deeper-problem"}),
    ("seed-node-depth", SEED_MAP, {"node": "obj-further-research", "depth": 0}),
    ("kinds", MAPS / "kinds.yaml", {}),
    ("shared-cycle", MAPS / "shared.yaml", {}),
    ("hostile", MAPS / "hostile.yaml", {}),
])
def test_golden_tree(name, path, opts, golden):
    golden(GOLDEN / f"{name}.txt", text(load_map(path).map, **opts))


def test_golden_kind_table(golden):
    amap = load_map(SEED_MAP).map
    out = render_text(kind_table(amap, "recommendation"), 100)
    golden(GOLDEN / "seed-kind-recommendation.txt", "\n".join(l.rstrip() for l in out.splitlines()) + "\n")
    assert out.count("NATO allies") >= 2


def test_every_node_shown_once_in_full():
    amap = load_map(SEED_MAP).map
    out = text(amap, width=400)
    for n in amap.nodes:
        head = f" {n.id} [{n.actor}]: " if n.actor else f" {n.id}: "
        full = [line for line in out.splitlines() if head + n.text in line and "see above" not in line]
        assert len(full) == 1, n.id
    assert "(\u2191 see above)" in out


def test_shared_node_and_cycle():
    out = text(load_map(MAPS / "shared.yaml").map, width=200)
    assert out.count("PREMISE shared: The plan reuses existing roads.\n") == 1
    assert "PREMISE shared: The plan reuses existing roads. (\u2191 see above)" in out
    assert "CLAIM x: X holds because Y holds. (\u21bb cycle: already on this path)" in out
    assert "Not connected to a thesis:" in out and "CLAIM loose:" in out


def test_relation_marks():
    out = text(load_map(MAPS / "kinds.yaml").map, width=200)
    assert "+ CLAIM c1:" in out and "\u2212 OBJECTION o1:" in out
    assert "+ linked (Argument from evidence): together" in out
    assert "& PREMISE p1:" in out and "& PREMISE p2:" in out
    assert "\u00d7 undercuts p1\u2192c1: OBJECTION u1:" in out
    assert "\u00d7 undercuts c1\u2192t: OBJECTION u3:" in out
    assert "REC r1 [the town council]:" in out


def test_long_cycle_and_deep_chain_do_not_hang_or_overflow():
    n = 400
    lines = ["argmap: 1", "nodes:", "  - {id: n0, kind: thesis, text: top, supports: [n1]}"]
    lines += [f"  - {{id: n{i}, kind: claim, text: step {i}, supports: [n{(i + 1) % n}]}}" for i in range(1, n)]
    amap = load_text("\n".join(lines) + "\n", name="loop.yaml").map
    out = text(amap, width=1800, depth=None)
    assert out.count("cycle: already on this path") == 1
    assert "CLAIM n399: step 399" in out and "CLAIM n1: step 1" in out


def test_problem_marks():
    amap = load_map(MAPS / "kinds.yaml").map
    d = Diagnostic("AM107", "unsupported-recommendation", Severity.WARNING, "no node supports it", node="r1")
    loose = Diagnostic("AM201", "source-missing", Severity.ERROR, "no source")
    out = text(amap, width=200, diagnostics=[d, loose])
    assert "REC r1 [the town council]: Fund the lane from the parking budget.\n" in out
    assert "\u26a0 warning AM107 unsupported-recommendation: no node supports it" in out
    assert "2 problems found by argmap check (1 not tied to a node); run 'argmap check' for details." in out


# --------------------------------------------------------------------------- the command


def test_show_marks_check_findings_unless_no_check():
    r = show(MAPS / "dangling.yaml")
    assert r.exit_code == 0
    assert "\u26a0 error AM102 dangling-relation: supports 'nowhere'" in r.stdout
    r = show(MAPS / "dangling.yaml", "--no-check")
    assert "AM102" not in r.stdout and "problems found" not in r.stdout


def test_show_options():
    r = show(SEED_MAP, "--node", "claim-tactical-approach", "--depth", "1", "--quotes", "--width", "100")
    assert r.exit_code == 0
    assert r.stdout.splitlines()[1].startswith("Path to the thesis: claim-tactical-approach +supports\u2192 "
                                               "claim-constraints-limit +supports\u2192 thesis")
    assert "\u2026 2 more below (raise --depth)" in r.stdout
    assert "\u201cThe lack of consensus within NATO" in r.stdout
    r = show(SEED_MAP, "--kind", "recommendation")
    assert r.exit_code == 0 and "11 recommendation nodes" in r.stdout


@pytest.mark.parametrize("args, message", [
    (["--kind", "recomendation"], "did you mean 'recommendation'?"),
    (["--node", "thesiss"], "there is no node 'thesiss' (did you mean 'thesis'?)"),
])
def test_show_usage_errors(args, message):
    r = show(SEED_MAP, *args)
    assert r.exit_code == 2 and message in r.stderr


def test_show_broken_and_missing(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes: [\n")
    assert show(bad).exit_code == 1
    r = show(tmp_path / "nope.yaml")
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_narrow_width_wraps():
    r = show(SEED_MAP, "--width", "40")
    lines = r.stdout.splitlines()
    assert max(len(line) for line in lines) <= 40
    assert len(lines) > 150


def _run_installed(*args, env=None):
    exe = Path(sys.executable).parent / "argmap"
    return subprocess.run([str(exe), "show", *map(str, args)], capture_output=True, text=True, env=env)


def test_piped_output_has_no_colours_and_no_color_is_honoured():
    p = _run_installed(SEED_MAP)
    assert p.returncode == 0 and "THESIS thesis" in p.stdout
    assert not ANSI.search(p.stdout)
    # forced terminal: colours, unless NO_COLOR
    env = {**os.environ, "FORCE_COLOR": "1", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    assert COLOUR.search(_run_installed(SEED_MAP, env=env).stdout)
    env["NO_COLOR"] = "1"
    out = _run_installed(SEED_MAP, env=env).stdout
    assert not COLOUR.search(out)  # bold and dim may stay: NO_COLOR is about colours
    assert "THESIS" in out


def test_colour_output_styles_relations():
    out = render_text(build_tree(load_map(MAPS / "kinds.yaml").map), 120, color=True)
    assert "\x1b[1;32m+ " in out and "\x1b[1;31m\u2212 " in out


def test_map_text_cannot_drive_the_terminal():
    """Escape sequences, carriage returns and bidi overrides in map text never reach the terminal."""
    import json

    evil = "red \x1b[31mALERT\x1b[0m \x1b]0;pwned\x07 back\rspace \u202eoverride \x9bC1"
    data = {"argmap": 1, "title": evil, "nodes": [
        {"id": "t", "kind": "thesis", "text": evil, "quote": evil},
        {"id": "r", "kind": "recommendation", "actor": evil, "text": evil, "supports": ["t"]},
    ]}
    amap = load_text(json.dumps(data), name="evil.json").map
    for out in (text(amap, quotes=True), render_text(kind_table(amap, "recommendation"), 120)):
        assert "\x1b" not in out and "\r" not in out and "\u202e" not in out and "\x9b" not in out
        assert "ALERT" in out
