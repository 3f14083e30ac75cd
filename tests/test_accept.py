"""argmap accept, and the review steps of argmap.review.edit: the file after each step.

A map in the canonical layout (what extract and fmt write) changes only where
a step changes it: comments and every other byte stay. Errors are one
sentence with the documented exit code, and leave the file as it was.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.io.loading import load_map, load_text
from argmap.map.model import map_to_data
from argmap.review import edit

HERE = Path(__file__).resolve().parent

MAP = """\
# A map with comments everywhere
argmap: 1
title: Empty homes
nodes:
  # first comes the thesis
  - id: thesis  # the conclusion
    kind: thesis
    text: Cities should tax empty homes.
    draft:  # extract's guess
      confidence: 0.6
      backend: heuristic
  # the reasons
  - id: rents
    kind: claim
    text: Empty homes push rents up.
    supports:
      - to: thesis
        scheme: practical-reasoning  # proposed by extract
    draft:
      confidence: 0.35
      backend: heuristic
      cues: ["scheme:practical-reasoning"]
  # --- objections ---
  - id: dodge
    kind: objection
    text: Owners will dodge the tax.
    attacks: [thesis]  # the main worry
    draft:
      confidence: 0.5
      backend: heuristic
    # after dodge
  - id: audits
    kind: premise
    text: Audits catch sham lets.
    attacks: [dodge]
# the end
"""


def lines_without(text: str, *ranges: tuple[int, int]) -> str:
    """``text`` without the 1-based, inclusive line ranges."""
    drop = {n for a, b in ranges for n in range(a, b + 1)}
    return "".join(line for n, line in enumerate(text.splitlines(True), 1) if n not in drop)


@pytest.fixture
def mapfile(tmp_path) -> Path:
    p = tmp_path / "m.yaml"
    p.write_text(MAP, encoding="utf-8")
    return p


def run(*args):
    return CliRunner().invoke(app, ["accept", *map(str, args)])


def test_the_map_is_canonical_so_bytes_outside_the_blocks_can_stay():
    from argmap.io.fmt import format_text

    assert format_text(MAP, name="m.yaml").text == MAP


def test_accept_named_ids_removes_only_their_draft_blocks(mapfile):
    r = run(mapfile, "rents")
    assert r.exit_code == 0, r.output
    assert mapfile.read_text() == lines_without(MAP, (19, 22))
    assert "accepted 1 draft in" in r.output and "2 drafts remain (lowest confidence: 'dodge', 0.5)" in r.output
    r = run(mapfile, "thesis", "dodge")
    assert r.exit_code == 0, r.output
    assert mapfile.read_text() == lines_without(MAP, (9, 11), (19, 22), (28, 30))
    assert "no drafts remain" in r.output


def test_accept_all_keeps_every_comment_and_the_proposed_scheme(mapfile):
    r = run(mapfile, "--all")
    assert r.exit_code == 0, r.output
    text = mapfile.read_text()
    assert text == lines_without(MAP, (9, 11), (19, 22), (28, 30))
    for comment in ["# the reasons", "# --- objections ---", "# after dodge", "# the end", "# the main worry",
                    "# proposed by extract", "# the conclusion"]:
        assert comment in text
    assert "# extract's guess" not in text  # the comment on the removed draft: line goes with it
    amap = load_text(text).map
    assert all(n.draft is None for n in amap.nodes)
    assert amap.node("rents").supports[0].scheme == "practical-reasoning"


def test_min_confidence_accepts_those_at_or_above(mapfile):
    r = run(mapfile, "--min-confidence", "0.5")
    assert r.exit_code == 0, r.output
    amap = load_map(mapfile).map
    assert [n.id for n in amap.nodes if n.draft is not None] == ["rents"]
    assert mapfile.read_text() == lines_without(MAP, (9, 11), (28, 30))


def test_ids_and_min_confidence_add_up(mapfile):
    assert run(mapfile, "rents", "--min-confidence", "0.6").exit_code == 0
    assert [n.id for n in load_map(mapfile).map.nodes if n.draft is not None] == ["dodge"]


@pytest.mark.parametrize("args, code, message", [
    ((), 2, "say which drafts to accept: their ids, --all, or --min-confidence X."),
    (("rentz",), 1, "there is no node 'rentz' (did you mean 'rents'?)."),
    (("audits",), 2, "'audits' is not a draft (it has no 'draft:' block)."),
    (("--min-confidence", "0.9"), 2, "has confidence 0.9 or more (the highest is 0.6); nothing accepted."),
    (("--min-confidence", "2"), 2, "Invalid value for '--min-confidence'"),
])
def test_errors_are_one_sentence_and_leave_the_file(mapfile, args, code, message):
    r = run(mapfile, *args)
    assert r.exit_code == code
    assert message in r.output
    assert "Traceback" not in r.output
    assert mapfile.read_text() == MAP


def test_a_map_without_drafts_is_a_usage_error(tmp_path):
    p = tmp_path / "m.yaml"
    p.write_text("argmap: 1\nnodes:\n  - id: t\n    kind: thesis\n    text: T.\n")
    r = run(p, "--all")
    assert r.exit_code == 2 and "has no draft nodes; nothing to accept." in r.output


def test_standard_input_and_a_broken_map(tmp_path):
    assert run("-", "--all").exit_code == 2
    p = tmp_path / "m.yaml"
    p.write_text("argmap: 1\nnodes: [\n")
    r = run(p, "--all")
    assert r.exit_code == 1 and "AM001" in r.output
    assert p.read_text() == "argmap: 1\nnodes: [\n"


def test_a_json_map_is_rewritten_as_canonical_json(tmp_path):
    data = map_to_data(load_text(MAP).map)
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data))  # one line: not the canonical layout
    assert run(p, "--all").exit_code == 0
    for node in data["nodes"]:
        node.pop("draft", None)
    assert p.read_text() == json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def test_an_extracted_draft_accepted_whole_is_the_same_map_without_drafts(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text((HERE / "data" / "extract" / "bike-lanes.txt").read_text(encoding="utf-8"))
    out = tmp_path / "a.yaml"
    r = CliRunner().invoke(app, ["extract", str(article), "-o", str(out)])
    assert r.exit_code == 0, r.output
    before = load_map(out)
    assert sum(n.draft is not None for n in before.map.nodes) > 3
    assert run(out, "--all").exit_code == 0
    after = load_map(out)
    want = map_to_data(before.map)
    for node in want["nodes"]:
        del node["draft"]
    assert map_to_data(after.map) == want
    # nothing but the draft blocks went: every other line is there, in order
    kept = iter(before.text.splitlines())
    assert all(any(line == k for k in kept) for line in after.text.splitlines())
    check = CliRunner().invoke(app, ["check", str(out), "--format", "json"])
    assert "AM110" not in check.output


# --------------------------------------------------------------------------- the other review steps


def loaded_map(tmp_path) -> object:
    p = tmp_path / "m.yaml"
    p.write_text(MAP, encoding="utf-8")
    return load_map(p)


def test_set_kind_and_text_change_one_line(tmp_path):
    loaded = loaded_map(tmp_path)
    assert edit.set_kind(loaded, "rents", "premise") == MAP.replace("    kind: claim\n", "    kind: premise\n")
    assert edit.set_text(loaded, "audits", "  Audits  find sham lets. ") == MAP.replace(
        "Audits catch sham lets.", "Audits find sham lets.")
    with pytest.raises(Exception, match="not a node kind"):
        edit.set_kind(loaded, "rents", "reason")
    with pytest.raises(Exception, match="cannot be empty"):
        edit.set_text(loaded, "rents", "  ")


def test_retarget_keeps_the_scheme_and_can_change_the_relation(tmp_path):
    loaded = loaded_map(tmp_path)
    text = edit.retarget(loaded, "rents", "dodge", "attacks")
    node = load_text(text).map.node("rents")
    assert node.supports == [] and node.attacks[0].to == "dodge" and node.attacks[0].scheme == "practical-reasoning"
    text = edit.retarget(loaded, "audits", "thesis")
    assert text == MAP.replace("    attacks: [dodge]\n", "    attacks: [thesis]\n")
    with pytest.raises(Exception, match="did you mean 'thesis'"):
        edit.retarget(loaded, "audits", "thesys")


def test_delete_removes_the_node_and_what_names_it_keeping_the_comments_around(tmp_path):
    loaded = loaded_map(tmp_path)
    text = edit.delete(loaded, "dodge")
    assert text == lines_without(MAP, (24, 30), (35, 35))
    assert "# --- objections ---" in text and "# after dodge" in text
    text = edit.delete(loaded, "thesis")  # the first node: the comments after it come before the next one
    assert text.startswith("# A map with comments everywhere\nargmap: 1\ntitle: Empty homes\nnodes:\n"
                           "  # first comes the thesis\n  # the reasons\n  - id: rents\n")
    amap = load_text(text).map
    assert amap.node("rents").supports == [] and amap.node("dodge").attacks == []


def test_delete_drops_co_premises_and_undercuts_that_name_the_node():
    text = """argmap: 1
nodes:
  - id: t
    kind: thesis
    text: T.
  - id: a
    kind: premise
    text: A.
    supports:
      - to: t
        with: [b, c]
  - id: b
    kind: premise
    text: B.
  - id: c
    kind: premise
    text: C.
  - id: u
    kind: objection
    text: U.
    undercuts: [a->t]
  - id: v
    kind: objection
    text: V.
    undercuts: [a->t]
    attacks: [a]
"""
    loaded = load_text(text, name="m.yaml")
    amap = load_text(edit.delete(loaded, "b")).map
    assert amap.node("a").supports[0].with_ == ["c"]
    amap = load_text(edit.delete(loaded, "a")).map
    assert amap.node("u").undercuts == [] and amap.node("v").undercuts == [] and amap.node("v").attacks == []


def test_save_writes_atomically_and_reloads(tmp_path):
    loaded = loaded_map(tmp_path)
    again = edit.save(loaded, edit.accept(loaded, ["rents"]))
    assert again.map.node("rents").draft is None
    assert loaded.path.read_text() == again.text
    assert list(tmp_path.iterdir()) == [loaded.path]  # no temporary file left behind


def test_drafts_lowest_confidence_first(tmp_path):
    assert [n.id for n in edit.drafts(loaded_map(tmp_path).map)] == ["rents", "dodge", "thesis"]
