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
    ("drafts", MAPS / "drafts.yaml", {}),
])
def test_golden_tree(name, path, opts, golden):
    golden(GOLDEN / f"{name}.txt", text(load_map(path).map, **opts))


def test_golden_kind_table(golden):
    amap = load_map(SEED_MAP).map
    out = render_text(kind_table(amap, "recommendation"), 100)
    golden(GOLDEN / "seed-kind-recommendation.txt", "\n".join(l.rstrip() for l in out.splitlines()) + "\n")
    assert out.count("NATO allies") >= 2


@pytest.mark.parametrize("width", [80, 100, 160])
def test_kind_table_keeps_ids_whole_and_gives_the_text_the_room(width):
    """Issue 18: every column had the same width; ids broke (rec-partnersh|ip-resources) and the text got
    about 13 characters."""
    amap = load_map(SEED_MAP).map
    out = render_text(kind_table(amap, "recommendation"), width)
    rows = [line for line in out.splitlines() if line.startswith("\u2502 ")]
    cells = [[c.strip() for c in line.strip("\u2502").split("\u2502")] for line in rows]
    ids = {n.id for n in amap.nodes if n.kind.value == "recommendation"}
    assert {c[0] for c in cells if c[0]} == ids  # each id whole, on one line
    head = next(line for line in out.splitlines() if line.startswith("\u2503 id"))
    widths = [len(c) for c in head.strip("\u2503").split("\u2503")]
    assert widths[2] == max(widths) or widths[2] >= 30  # the text takes the spare width
    assert max(len(line) for line in out.splitlines()) <= width
    text = " ".join(c[2] for c in cells)
    assert "claim-partnership-program-constraint" in text.replace("- ", "-")  # ids in relations break at hyphens


def _assert_ids_break_only_after_hyphens(out: str, ids: set[str]) -> None:
    """A line that ends inside an id ends after one of its hyphens; the next line goes on from there."""
    lines = [line.replace("\u2502", " ").replace("\u2514", " ").replace("\u251c", " ").replace("\u2500", " ")
             for line in out.splitlines()]
    for line, following in zip(lines, lines[1:] + [""]):
        words = line.split()
        if not words:
            continue
        last = words[-1].lstrip("+\u2212\u00d7&")
        joined = last + (following.split() or [""])[0].rstrip(":,")
        if last and last.rstrip(":,") not in ids and any(i.startswith(joined) for i in ids):
            assert last.endswith("-"), (last, line)  # an id went on to the next line: after a hyphen


def test_kind_table_at_40_columns_stacks_and_never_breaks_an_id_mid_word():
    amap = load_map(SEED_MAP).map
    out = render_text(kind_table(amap, "recommendation"), 40)
    assert max(len(line) for line in out.splitlines()) <= 40
    _assert_ids_break_only_after_hyphens(out, {n.id for n in amap.nodes})
    assert "rec-prioritize-partnership-fixes" in out  # fits the 40 columns: whole


def test_every_node_shown_once_in_full():
    amap = load_map(SEED_MAP).map
    out = text(amap, width=400)
    for n in amap.nodes:
        head = f" {n.id} [{n.actor}]: " if n.actor else f" {n.id}: "
        full = [line for line in out.splitlines() if head + n.text in line and "see above" not in line]
        assert len(full) == 1, n.id
    assert "(\u2191 see above, under " in out


def test_shared_node_and_cycle():
    out = text(load_map(MAPS / "shared.yaml").map, width=200)
    assert out.count("PREMISE shared: The plan reuses existing roads.\n") == 1
    assert "PREMISE shared: The plan reuses existing roads. (\u2191 see above, under a)" in out
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


def test_repeated_nodes_name_their_full_entry_and_are_cut_only_by_whole_words():
    """Issue 18: "↑ see above" cut texts to a fixed length even where that saved a single letter, and did
    not say where above the full entry is."""
    from argmap.views.tree import _short

    amap = load_map(SEED_MAP).map
    out = text(amap, width=400)
    refs = [line for line in out.splitlines() if "see above" in line]
    assert refs
    texts = {n.id: n.text for n in amap.nodes}
    for line in refs:
        nid, rest = re.search(r"[A-Z]+ ([\w.-]+)(?: \[[^\]]*\])?: (.*) \(\u2191 see above", line).groups()
        under = re.search(r"see above, under ([\w.-]+)\)", line).group(1)
        # the full entry stands right under the node named
        assert re.search(rf"[A-Z]+ {re.escape(under)}\b", out)
        if rest.endswith("\u2026"):
            kept = rest[:-1]
            assert texts[nid].startswith(kept) and texts[nid][len(kept)] == " "  # cut between words
        else:
            assert rest == texts[nid]
    assert _short("x" * 59 + "y") == "x" * 59 + "y"  # nothing to gain: no cut
    assert _short("word " * 11 + "last words") == "word " * 11 + "last\u2026"
    assert _short("a" * 80) == "a" * 80  # one word: never cut inside it


def test_show_node_lists_what_the_node_supports_or_attacks():
    r = show(SEED_MAP, "--node", "claim-tactical-approach", "--depth", "0", "--width", "200", "--no-check")
    assert r.exit_code == 0
    assert ("What it supports or attacks: + claim-constraints-limit, + rec-nato-determine, "
            "+ rec-pair-strategic-thinking") in r.stdout
    r = show(SEED_MAP, "--node", "obj-further-research", "--width", "200", "--no-check")
    assert "What it supports or attacks: \u00d7 premise-japan-paper\u2192claim-partner-constraints" in r.stdout
    r = show(SEED_MAP, "--node", "thesis", "--depth", "0", "--width", "200", "--no-check")
    assert "What it supports or attacks: nothing" in r.stdout


def test_ids_do_not_break_mid_word_at_40_columns():
    from argmap.views.tree import wrap_offsets

    r = show(SEED_MAP, "--width", "40", "--no-check")
    assert max(len(line) for line in r.stdout.splitlines()) <= 40
    _assert_ids_break_only_after_hyphens(r.stdout, {n.id for n in load_map(SEED_MAP).map.nodes})
    assert "CLAIM claim-partnership-\n" in r.stdout.replace("\u2502", "").replace(" \n", "\n")
    plain = "+ CLAIM claim-partnership-program-constraint: NATO's program"
    assert [plain[a:b] for a, b in wrap_offsets(plain, 20)] == [
        "+ CLAIM claim-", "partnership-program-", "constraint: NATO's", "program"]
    word = "abcdefghij-klm"
    assert [word[a:b] for a, b in wrap_offsets(word, 4)] == ["abcd", "efgh", "ij-", "klm"]


def test_drafts_are_dimmed_with_their_confidence():
    amap = load_map(MAPS / "drafts.yaml").map
    out = text(amap, width=200)
    assert "+ CLAIM c1 (draft 0.35): A bike lane makes cycling safer." in out
    assert "\u2212 OBJECTION o1 (draft 0.80): Shops will lose parking." in out
    assert "PREMISE p1: Separated" in out
    coloured = render_text(build_tree(amap), 200, color=True)
    assert "\x1b[2;3m (draft 0.35)" in coloured and "\x1b[2mA bike lane makes cycling safer." in coloured
    table = render_text(kind_table(amap, "claim"), 100)
    assert "draft 0.35" in table


def test_premises_are_not_white():
    """Bold white premises were invisible on light terminals."""
    from argmap.views.tree import KIND_COLOR

    assert "white" not in KIND_COLOR["premise"] and "black" not in KIND_COLOR["premise"]
    out = render_text(build_tree(load_map(MAPS / "kinds.yaml").map), 120, color=True)
    assert "\x1b[1;37mPREMISE" not in out and "\x1b[1;36mPREMISE" in out  # teal, cyan on 16-colour terminals


def test_a_deep_chain_is_linear_output():
    """Guides stop growing past 24 levels: a chain of 400 nodes is 400 short lines (its
    output grew with the square of the depth, and a 10,000-node chain took 85 s and 880 MB)."""
    nodes = ["- {id: n0, kind: thesis, text: Root.}"]
    nodes += [f"- {{id: n{i}, kind: claim, text: Step {i}., supports: [n{i - 1}]}}" for i in range(1, 400)]
    loaded = load_text("argmap: 1\nnodes:\n" + "\n".join(nodes) + "\n")
    text = render_text(build_tree(loaded.map, TreeOptions()), width=200)
    lines = text.splitlines()
    assert len(lines) == 400
    assert max(len(line) for line in lines) < 4 * 24 + 60
    restarts = [int(m) for m in re.findall(r"\(level (\d+)\)", text)]
    assert len(restarts) >= 399 // 25 and all(b - a < 30 for a, b in zip(restarts, restarts[1:]))
    # every node is still shown once in full, in order
    assert [int(m) for m in re.findall(r"Step (\d+)\.", text)] == list(range(1, 400))


def test_a_cycle_below_the_restart_is_still_found():
    nodes = ["- {id: n0, kind: thesis, text: Root.}"]
    nodes += [f"- {{id: n{i}, kind: claim, text: Step {i}., supports: [n{i - 1}]}}" for i in range(1, 41)]
    nodes[5] = "- {id: n5, kind: claim, text: Step 5., supports: [n4, n40]}"  # n5 -> n40 -> ... -> n5
    loaded = load_text("argmap: 1\nnodes:\n" + "\n".join(nodes) + "\n")
    last = render_text(build_tree(loaded.map, TreeOptions()), width=200).splitlines()[-1]
    assert "n5" in last and "cycle" in last


def test_info_findings_are_counted_as_notes_not_problems():
    """The seed map has only info findings (open critical questions): show calls them notes."""
    r = CliRunner().invoke(app, ["show", str(SEED_MAP)], env={"NO_COLOR": "1", "COLUMNS": "100"})
    last = r.output.strip().splitlines()[-1]
    assert r.exit_code == 0
    assert re.fullmatch(r"\d+ notes found by argmap check; run 'argmap check' for details\.", last), last
