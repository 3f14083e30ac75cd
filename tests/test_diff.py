"""argmap diff: golden diffs of representative edits, renames, --rev, formats, exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.diff import diff_maps, to_json
from argmap.io.fmt import format_text
from argmap.io.loading import load_map, load_text

HERE = Path(__file__).parent
ROOT = HERE.parent
MAPS = HERE / "maps" / "diff"
GOLDEN = HERE / "golden" / "diff"
REL = MAPS.relative_to(ROOT)

# (case, old, new, exit code)
CASES = [
    ("reword-claim", "base", "reword", 1),
    ("rename-id", "base", "rename", 1),
    ("add-objection", "base", "objection", 1),
    ("remove-objection", "objection", "base", 1),
    ("move-premise", "base", "move", 1),
    ("reorder-only", "base", "reorder", 0),
]
EXT = {"text": "txt", "json": "json", "markdown": "md"}

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


@pytest.fixture(autouse=True)
def _in_root(monkeypatch):
    monkeypatch.chdir(ROOT)  # relative names in the golden output


def load(name: str):
    return load_map(REL / f"{name}.yaml")


# --------------------------------------------------------------------------- golden diffs


@pytest.mark.parametrize("fmt", list(EXT))
@pytest.mark.parametrize("case,old,new,code", CASES, ids=[c[0] for c in CASES])
def test_golden(case, old, new, code, fmt, golden):
    result = run("diff", str(REL / f"{old}.yaml"), str(REL / f"{new}.yaml"), "--format", fmt)
    assert result.exit_code == code, result.stderr
    assert result.stderr == ""
    golden(GOLDEN / f"{case}.{EXT[fmt]}", result.stdout)


def test_reword_is_a_text_change():
    d = diff_maps(load("base"), load("reword"))
    assert [(c.id, [f.field for f in c.fields]) for c in d.changed] == [("fewer-cars", ["text"])]
    assert not (d.added or d.removed or d.renamed or d.relations_added or d.relations_removed)


def test_rename_is_not_remove_plus_add():
    d = diff_maps(load("base"), load("rename"))
    assert [(r.old, r.new, r.by) for r in d.renamed] == [("fares-cost", "fare-revenue", "quote")]
    assert not (d.added or d.removed or d.changed or d.relations_added or d.relations_removed)


def test_add_objection_reports_node_relation_and_problems():
    d = diff_maps(load("base"), load("objection"))
    assert [n["id"] for n in d.added] == ["who-pays"]
    assert [r.describe() for r in d.relations_added] == ["who-pays attacks thesis"]
    introduced = {(p.rule, p.node) for p in d.checks.introduced}
    assert ("AM203", "who-pays") in introduced and ("AM301", "thesis") in introduced
    assert d.checks.fixed == []


def test_removing_it_again_fixes_those_problems():
    forward = diff_maps(load("base"), load("objection"))
    back = diff_maps(load("objection"), load("base"))
    assert {(p.rule, p.node) for p in back.checks.fixed} == {(p.rule, p.node) for p in forward.checks.introduced}
    assert back.checks.introduced == []
    assert [n["id"] for n in back.removed] == ["who-pays"]


def test_move_premise_is_one_relation_removed_and_one_added():
    d = diff_maps(load("base"), load("move"))
    assert [r.describe() for r in d.relations_removed] == ["less-traffic supports fewer-cars"]
    assert [r.describe() for r in d.relations_added] == ["less-traffic supports thesis"]
    assert not (d.changed or d.added or d.removed)


def test_reordering_and_reformatting_is_no_change():
    d = diff_maps(load("base"), load("reorder"))
    assert not d.has_changes
    assert d.checks.introduced == [] and d.checks.fixed == []


def test_fmt_output_is_never_a_change():
    text = (HERE / "maps" / "fmt" / "comments.yaml").read_text(encoding="utf-8")
    before = load_text(text, name="a.yaml")
    after = load_text(format_text(text, name="a.yaml").text, name="b.yaml")
    assert not diff_maps(before, after, checks=False).has_changes


# --------------------------------------------------------------------------- finer points


def _map(nodes, **top):
    return load_text(json.dumps({"argmap": 1, **top, "nodes": nodes}), name="m.json")


def test_rename_by_near_identical_text():
    old = _map([{"id": "a", "kind": "claim", "text": "Free buses get people out of their cars."}])
    new = _map([{"id": "b", "kind": "claim", "text": "Free buses get people out of their car."}])
    d = diff_maps(old, new, checks=False)
    assert [(r.old, r.new, r.by) for r in d.renamed] == [("a", "b", "text")]
    assert [(c.id, c.old_id, [f.field for f in c.fields]) for c in d.changed] == [("b", "a", ["text"])]


def test_different_text_is_remove_plus_add():
    old = _map([{"id": "a", "kind": "claim", "text": "Free buses get people out of their cars."}])
    new = _map([{"id": "b", "kind": "claim", "text": "Trams are better than buses."}])
    d = diff_maps(old, new, checks=False)
    assert d.renamed == [] and [n["id"] for n in d.added] == ["b"] and [n["id"] for n in d.removed] == ["a"]


def test_renames_are_one_to_one_best_match_first():
    q = {"kind": "premise", "quote": "the same words"}
    old = _map([{"id": "x", "text": "Alpha beta gamma.", **q}, {"id": "y", "text": "Delta epsilon.", **q}])
    new = _map([{"id": "x2", "text": "Delta epsilon.", **q}, {"id": "y2", "text": "Alpha beta gamma.", **q}])
    d = diff_maps(old, new, checks=False)
    assert sorted((r.old, r.new) for r in d.renamed) == [("x", "y2"), ("y", "x2")]


def test_renamed_ids_are_followed_in_relations_and_undercuts():
    old = _map([
        {"id": "c", "kind": "thesis", "text": "C"},
        {"id": "p", "kind": "premise", "text": "P", "quote": "q1", "supports": ["c"]},
        {"id": "u", "kind": "objection", "text": "U", "undercuts": ["p->c"]},
    ])
    new = _map([
        {"id": "c", "kind": "thesis", "text": "C"},
        {"id": "p-new", "kind": "premise", "text": "P", "quote": "q1", "supports": ["c"]},
        {"id": "u", "kind": "objection", "text": "U", "undercuts": ["p-new->c"]},
    ])
    d = diff_maps(old, new, checks=False)
    assert [(r.old, r.new) for r in d.renamed] == [("p", "p-new")]
    assert d.relations_added == [] and d.relations_removed == []


def test_linked_relation_held_by_another_member_is_the_same():
    base = [{"id": "c", "kind": "thesis", "text": "C"}]
    old = _map(base + [
        {"id": "p1", "kind": "premise", "text": "P1", "supports": [{"to": "c", "with": ["p2"]}]},
        {"id": "p2", "kind": "premise", "text": "P2"},
    ])
    new = _map(base + [
        {"id": "p1", "kind": "premise", "text": "P1"},
        {"id": "p2", "kind": "premise", "text": "P2", "supports": [{"to": "c", "with": ["p1"]}]},
    ])
    assert not diff_maps(old, new, checks=False).has_changes
    unlinked = _map(base + [
        {"id": "p1", "kind": "premise", "text": "P1", "supports": ["c"]},
        {"id": "p2", "kind": "premise", "text": "P2", "supports": ["c"]},
    ])
    d = diff_maps(old, unlinked, checks=False)
    assert [r.describe() for r in d.relations_removed] == ["p1 + p2 supports c (jointly)"]
    assert [r.describe() for r in d.relations_added] == ["p1 supports c", "p2 supports c"]


def test_field_changes_tags_order_ignored_title_and_source_reported():
    old = _map([{"id": "a", "kind": "claim", "text": "A", "tags": ["x", "y"], "actor": "NATO"}], title="T")
    new = _map([{"id": "a", "kind": "recommendation", "text": "A", "tags": ["y", "x"]}], title="T2",
               source={"text": "S"})
    d = diff_maps(old, new, checks=False)
    assert [(f.field, f.old, f.new) for f in d.changed[0].fields] == [
        ("kind", "claim", "recommendation"), ("actor", "NATO", None)]
    assert [(f.field, f.new) for f in d.map_fields] == [("title", "T2"), ("source.text", "S")]
    assert d.summary() == "1 node changed, 2 map fields changed"


def test_markdown_escapes_map_text():
    old = _map([{"id": "a", "kind": "claim", "text": "A"}])
    new = _map([{"id": "a", "kind": "claim", "text": "A"}, {"id": "b", "kind": "claim", "text": "<script>*x*</script> | `y`"}])
    from argmap.diff import render_markdown

    md = render_markdown(diff_maps(old, new, checks=False))
    assert "<script>" not in md and "\\<script\\>" in md and "\\*x\\*" in md and "\\|" in md
    assert md.startswith("**argmap diff** `m.json`: 1 node added\n")
    assert "<details><summary>Details</summary>" in md and md.rstrip().endswith("</details>")


def test_json_schema_is_stable_and_documented():
    data = to_json(diff_maps(load("base"), load("objection")))
    assert list(data) == ["argmap_diff", "old", "new", "changed", "summary", "map", "nodes", "relations", "checks"]
    assert list(data["nodes"]) == ["added", "removed", "renamed", "changed"]
    assert list(data["checks"]) == ["ran", "introduced", "fixed", "note"]
    doc = (ROOT / "docs" / "diff-fmt.md").read_text(encoding="utf-8")
    keys = set(data) | set(data["summary"]) | set(data["nodes"]) | set(data["checks"])
    keys |= set(data["checks"]["introduced"][0]) | set(data["relations"]["added"][0])
    keys |= {"old_id", "fields", "field", "by", "similarity"}
    spans = " ".join(re.findall(r"`([^`\n]+)`", doc))
    missing = sorted(k for k in keys if not re.search(rf"(?<![\w-]){re.escape(k)}(?![\w-])", spans))
    assert not missing, f"docs/diff-fmt.md does not document {missing}"


def test_no_checks():
    result = run("diff", str(REL / "base.yaml"), str(REL / "objection.yaml"), "--no-checks", "-f", "json")
    data = json.loads(result.stdout)
    assert result.exit_code == 1 and data["checks"]["ran"] is False and data["summary"]["problems_introduced"] == 0


# --------------------------------------------------------------------------- errors and exit codes


def test_usage_errors():
    base = str(REL / "base.yaml")
    assert run("diff", base).exit_code == 2
    r = run("diff", base, base, "--rev", "HEAD")
    assert r.exit_code == 2 and "one map" in r.stderr
    r = run("diff", base, base, "--format", "html")
    assert r.exit_code == 2 and "unknown format" in r.stderr


def test_missing_and_broken_maps_are_errors(tmp_path):
    base = str(REL / "base.yaml")
    r = run("diff", base, str(tmp_path / "nope.yaml"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes:\n  - id: a\n    kind: nonsense\n    text: A\n")
    r = run("diff", base, str(bad))
    assert r.exit_code == 2
    assert "bad.yaml:4:11" in r.stderr and "does not load as a map" in r.stderr
    assert "Traceback" not in r.stderr


def test_stdin_as_new():
    r = run("diff", str(REL / "base.yaml"), "-", input=(MAPS / "reword.yaml").read_text())
    assert r.exit_code == 1 and "1 node changed" in r.stdout


# --------------------------------------------------------------------------- --rev


def _git(*args, cwd):
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false", *args],
        cwd=cwd, check=True, capture_output=True,
    )


@pytest.fixture
def repo(tmp_path, monkeypatch):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    work = tmp_path / "repo"
    (work / "maps").mkdir(parents=True)
    shutil.copy(MAPS / "article.txt", work / "maps" / "article.txt")
    shutil.copy(MAPS / "base.yaml", work / "maps" / "m.yaml")
    _git("init", "-q", cwd=work)
    _git("add", ".", cwd=work)
    _git("commit", "-q", "-m", "base", cwd=work)
    return work


def test_rev_compares_with_the_working_copy(repo, monkeypatch):
    monkeypatch.chdir(repo)
    r = run("diff", "maps/m.yaml", "--rev", "HEAD")
    assert r.exit_code == 0 and "no argument changes" in r.stdout
    shutil.copy(MAPS / "objection.yaml", repo / "maps" / "m.yaml")
    r = run("diff", "maps/m.yaml", "--rev", "HEAD", "-f", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1
    assert data["old"] == "HEAD:maps/m.yaml" and data["new"] == "maps/m.yaml"
    assert [n["id"] for n in data["nodes"]["added"]] == ["who-pays"]
    assert {p["rule"] for p in data["checks"]["introduced"]} == {"AM203", "AM301"}
    # from another folder, too (git runs in the map's folder)
    monkeypatch.chdir(repo.parent)
    assert run("diff", str(repo / "maps" / "m.yaml"), "--rev", "HEAD").exit_code == 1


def test_rev_errors(repo, tmp_path, monkeypatch):
    monkeypatch.chdir(repo)
    r = run("diff", "maps/m.yaml", "--rev", "no-such-branch")
    assert r.exit_code == 2 and "unknown git revision 'no-such-branch'" in r.stderr
    shutil.copy(MAPS / "base.yaml", repo / "maps" / "new.yaml")
    r = run("diff", "maps/new.yaml", "--rev", "HEAD")
    assert r.exit_code == 2 and "does not exist at revision 'HEAD'" in r.stderr
    r = run("diff", "maps/m.yaml", "--rev", "--output=/tmp/x")
    assert r.exit_code == 2 and "not a git revision" in r.stderr
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(MAPS / "base.yaml", outside / "m.yaml")
    r = run("diff", str(outside / "m.yaml"), "--rev", "HEAD")
    assert r.exit_code == 2 and "not inside a git repository" in r.stderr
    assert "Traceback" not in r.stderr


def test_rev_without_git(repo, monkeypatch):
    monkeypatch.chdir(repo)
    monkeypatch.setenv("PATH", str(repo))  # no git on PATH
    r = run("diff", "maps/m.yaml", "--rev", "HEAD")
    assert r.exit_code == 2 and "git is not installed" in r.stderr


def test_installed_script(repo):
    exe = Path(sys.executable).parent / "argmap"
    if not exe.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    shutil.copy(MAPS / "move.yaml", repo / "maps" / "m.yaml")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.run([str(exe), "diff", "maps/m.yaml", "--rev", "HEAD", "-f", "markdown"],
                          cwd=repo, capture_output=True, text=True, env=env)
    assert proc.returncode == 1, proc.stderr
    assert re.match(r"\*\*argmap diff\*\* `maps/m.yaml`: 1 relation added, 1 removed\n", proc.stdout)


def test_documented_github_actions_job():
    """The workflow in docs/diff-fmt.md is valid YAML and uses real options."""
    import yaml

    doc = (ROOT / "docs" / "diff-fmt.md").read_text(encoding="utf-8")
    section = doc[doc.index("(GitHub Actions)") :]
    block = section[section.index("```yaml\n") + 8 : section.index("\n```", section.index("```yaml\n"))]
    workflow = yaml.safe_load(block)
    trigger = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert trigger["pull_request"]["paths"] == ["maps/**"]
    assert workflow["permissions"]["pull-requests"] == "write"
    steps = workflow["jobs"]["diff"]["steps"]
    script = "\n".join(s.get("run", "") for s in steps)
    assert 'argmap diff "$map" --rev "$BASE" --format markdown' in script
    assert "gh pr comment" in script
    help_text = run("diff", "--help").stdout
    for option in ("--rev", "--format", "--no-checks"):
        assert option in help_text


def test_changed_words_are_emphasised():
    from argmap.diff import _word_diff

    left, right = _word_diff("Free buses get people out", "Free buses draw drivers out")
    assert left.plain == "Free buses get people out" and right.plain == "Free buses draw drivers out"
    marked = [left.plain[s.start : s.end] for s in left.spans if "reverse" in str(s.style)]
    assert marked == ["get people"]
    assert [right.plain[s.start : s.end] for s in right.spans if "reverse" in str(s.style)] == ["draw drivers"]


# --------------------------------------------------------------------------- fields of the format (issue 19)


def test_compared_fields_are_the_models():
    from argmap.diff import MAP_FIELDS, NODE_FIELDS, RELATION_FIELDS
    from argmap.map.model import NODE_ORDER, RELATION_ORDER, TOP_ORDER

    # every node field is either the id, a relation list, or compared as a field
    assert set(NODE_ORDER) == {"id", "supports", "attacks", "undercuts", *NODE_FIELDS}
    assert {"answers", "tags", "draft"} <= set(NODE_FIELDS)
    assert set(RELATION_ORDER) == {"to", "with", *RELATION_FIELDS} and {"scheme", "roles"} <= set(RELATION_FIELDS)
    assert set(TOP_ORDER) == {"argmap", "nodes", "source", *MAP_FIELDS}


def _schemes_map(scheme="practical-reasoning", roles=None, answers=None, goal="g"):
    rel = {"to": "rec", "with": ["m"], "scheme": scheme}
    if roles is not None:
        rel["roles"] = roles
    a = {"id": "a", "kind": "premise", "text": "They can afford it.", "quote": "afford"}
    if answers is not None:
        a["answers"] = answers
    return _map([
        {"id": "rec", "kind": "recommendation", "text": "Do X."},
        {"id": goal, "kind": "premise", "text": "The goal is G.", "quote": "goal G", "supports": [rel]},
        {"id": "m", "kind": "premise", "text": "X brings about G."},
        a,
    ])


def test_scheme_change_is_a_relation_changed():
    d = diff_maps(_schemes_map(), _schemes_map(scheme="a.~.b"), checks=False)
    assert d.relations_added == [] and d.relations_removed == []
    [c] = d.relations_changed
    assert (c.relation.kind, c.relation.sources, c.relation.target) == ("supports", ("g", "m"), "rec")
    assert [(f.field, f.old, f.new) for f in c.fields] == [("scheme", "practical-reasoning", "a.~.b")]
    assert d.has_changes and d.summary() == "1 relation changed"
    data = to_json(d)
    assert data["summary"]["relations_changed"] == 1
    assert data["relations"]["changed"] == [{"kind": "supports", "from": ["g", "m"], "to": "rec", "fields": [
        {"field": "scheme", "old": "practical-reasoning", "new": "a.~.b"}]}]


def test_roles_change_in_every_format():
    from argmap.diff import render_markdown, render_text
    from rich.console import Console

    old = _schemes_map(roles={"goal": "g", "means": "m"})
    new = _schemes_map(roles={"goal": "m", "means": "g"})
    d = diff_maps(old, new, checks=False)
    [c] = d.relations_changed
    assert [(f.field, f.old, f.new) for f in c.fields] == [
        ("roles", {"goal": "g", "means": "m"}, {"goal": "m", "means": "g"})]
    console = Console(width=200, record=True, color_system=None)
    render_text(d, console)
    text = console.export_text()
    assert "Relations changed\n  ~ g + m supports rec (jointly)\n      roles: goal: g, means: m → goal: m, means: g" in text
    md = render_markdown(d)
    assert "**Relations changed**\n\n- `g` + `m` supports `rec` (jointly)\n  - roles: goal: g, means: m → goal: m, means: g" in md
    # roles added to a relation that had none
    d = diff_maps(_schemes_map(), new, checks=False)
    assert [(f.field, f.old) for f in d.relations_changed[0].fields] == [("roles", None)]
    # a new relation shows its scheme and roles
    assert to_json(diff_maps(_map([]), new, checks=False))["relations"]["added"][0] == {
        "kind": "supports", "from": ["g", "m"], "to": "rec", "scheme": "practical-reasoning",
        "roles": {"goal": "m", "means": "g"}}


def test_answers_are_compared_order_ignored_renames_followed():
    q1 = {"reason": "g->rec", "question": "Are there other means?"}
    q2 = {"reason": "g->rec", "question": "Is it feasible?"}
    d = diff_maps(_schemes_map(answers=[q1]), _schemes_map(answers=[q1, q2]), checks=False)
    assert [(c.id, [(f.field, f.old, f.new) for f in c.fields]) for c in d.changed] == [
        ("a", [("answers", [q1], [q1, q2])])]
    assert "answers: [{reason: g->rec, question: Are there other means?}] → [{reason: g->rec, question: " \
        "Are there other means?}, {reason: g->rec, question: Is it feasible?}]" in _text(d)
    assert not diff_maps(_schemes_map(answers=[q1, q2]), _schemes_map(answers=[q2, q1]), checks=False).has_changes
    # the goal premise renamed (same quote): its answers' reasons and roles follow it
    old = _schemes_map(roles={"goal": "g", "means": "m"}, answers=[q1])
    new = _schemes_map(roles={"goal": "g2", "means": "m"}, goal="g2",
                       answers=[dict(q1, reason="g2->rec")])
    d = diff_maps(old, new, checks=False)
    assert [(r.old, r.new) for r in d.renamed] == [("g", "g2")]
    assert not (d.changed or d.relations_added or d.relations_removed or d.relations_changed)


def _text(d) -> str:
    from argmap.diff import render_text
    from rich.console import Console

    console = Console(width=300, record=True, color_system=None)
    render_text(d, console)
    return console.export_text()


def test_relation_changed_and_added_together():
    # the same relation twice: the scheme change is paired with the closest one
    old = _map([{"id": "c", "kind": "thesis", "text": "C"},
                {"id": "p", "kind": "premise", "text": "P", "supports": [{"to": "c", "scheme": "x"}]}])
    new = _map([{"id": "c", "kind": "thesis", "text": "C"},
                {"id": "p", "kind": "premise", "text": "P", "supports": [{"to": "c", "scheme": "y"}, "c"]}])
    d = diff_maps(old, new, checks=False)
    assert [r.describe() for r in d.relations_added] == ["p supports c"] and d.relations_removed == []
    assert [(f.field, f.old, f.new) for f in d.relations_changed[0].fields] == [("scheme", "x", "y")]
    assert d.summary() == "1 relation added, 1 changed"
