"""Argumentation schemes: the catalogue, the AM4xx rules' reading of a map, check --stats, show --node,
and scheme names, roles and answers through AIF, xAIF, SADFace and Argdown."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap.checks import run_checks
from argmap.checks.runner import check_paths
from argmap.checks.schemes import open_questions, stats_lines
from argmap.cli import app
from argmap.formats import EXPORTERS, IMPORTERS, resolve
from argmap.io.loading import load_map, load_text
from argmap.map import schemes
from argmap.map.model import map_to_data
from conftest import ROOT, SEED_MAP

runner = CliRunner()

# --------------------------------------------------------------------------- the catalogue


def test_the_catalogue_has_the_schemes_the_issue_names_with_roles_and_questions():
    ids = [s.id for s in schemes.all_schemes()]
    assert len(ids) == len(set(ids)) >= 11
    for wanted in ("practical-reasoning", "positive-consequences", "negative-consequences", "expert-opinion",
                   "cause-to-effect", "analogy", "example", "sign", "popular-opinion", "precedent", "values"):
        assert wanted in ids
    aif = [s.aif for s in schemes.all_schemes()]
    assert len(aif) == len(set(aif))
    for s in schemes.all_schemes():
        assert s.required_roles, f"{s.id} has no required premise"
        assert len(s.role_ids) == len(set(s.role_ids))
        assert len(s.questions) >= 2 and len(s.question_ids) == len(set(s.question_ids))
        for q in s.questions:
            assert re.fullmatch(rf"{s.id}\.[a-z][a-z0-9]*(-[a-z0-9]+)*", q.id) and q.text.endswith("?")
            assert schemes.question(q.id) == (s, q)
    assert [r.id for r in schemes.get("practical-reasoning").roles] == ["goal", "means", "circumstances"]
    assert schemes.get("practical-reasoning").required_roles == ("goal", "means")
    assert "practical-reasoning.side-effects" in schemes.get("practical-reasoning").question_ids
    assert any("Walton" in s and "2008" in s for s in schemes.sources())
    assert schemes.get("Practical reasoning") is None and schemes.question("practical-reasoning.nope") is None


@pytest.mark.parametrize("name, meant", [
    ("Practical reasoning", "practical-reasoning"), ("PracticalReasoning", "practical-reasoning"),
    ("practical-reasoning", "practical-reasoning"), ("practical_reasoning", "practical-reasoning"),
    ("  PRACTICAL  reasoning ", "practical-reasoning"), ("Argument from expert opinion", "expert-opinion"),
    ("ExpertOpinion", "expert-opinion"), ("argument_from_Expert-Opinion", "expert-opinion"),
    ("CauseToEffect", "cause-to-effect"), ("Argument from Cause to Effect", "cause-to-effect"),
    ("Argument from Example", "example"), ("PopularOpinion", "popular-opinion"), ("Values", "values"),
    ("InconsistentCommitment", None), ("Argument from consequences", None), ("Argument from", None), ("", None),
    ("Cost comparison", None),
])
def test_canonical_names(name, meant):
    assert schemes.canonical(name) == meant


@pytest.mark.parametrize("name, meant", [
    ("practical-reasonin", "practical-reasoning"), ("Practical Reasonning", "practical-reasoning"),
    ("ExpertOpinon", "expert-opinion"), ("cause-to-efect", "cause-to-effect"), ("Value", "values"),
    ("Argument from analogies", None), ("practical-reasoning", None), ("Cost comparison", None), ("", None),
    ("practical-reas", None),
])
def test_near_misses_are_one_edit_away(name, meant):
    assert schemes.near_miss(name) == meant


def test_docs_schemes_md_is_generated_and_fresh():
    """docs/schemes.md must equal what `make docs` prints (run it when this fails)."""
    out = subprocess.run([sys.executable, "-m", "argmap.map.schemes"], capture_output=True, text=True, check=True)
    assert out.stdout == (ROOT / "docs" / "schemes.md").read_text(encoding="utf-8"), (
        "docs/schemes.md is stale: run `make docs`"
    )
    for s in schemes.all_schemes():
        assert f"## {s.id}" in out.stdout and f"`{s.aif}`" in out.stdout


def test_the_catalogue_ships_in_the_package():
    assert (Path(schemes.__file__).parent / "schemes.json").is_file()


# --------------------------------------------------------------------------- what check says

HOMES = """\
argmap: 1
nodes:
  - id: thesis
    kind: thesis
    text: Cities can bring empty homes back into use.
  - id: tax
    kind: recommendation
    text: Cities should tax empty homes.
    supports: [thesis]
  - id: homes
    kind: claim
    text: The tax would bring empty homes back onto the market.
    supports:
      - to: tax
        scheme: {scheme}
        roles: {{means: homes, goal: housing}}
  - id: housing
    kind: claim
    text: The city wants more homes for the people who need them.
    supports: [tax]
    answers:
      - reason: homes->tax
        question: practical-reasoning.side-effects
"""


def _check(text: str):
    return run_checks(load_text(text, name="m.yaml"))


def test_an_answered_question_is_not_open_and_the_rest_are():
    (d,) = _check(HOMES.format(scheme="Practical reasoning"))
    assert (d.rule, d.line, d.severity.value) == ("AM401", 15, "info")
    assert d.extra["open"] == ["practical-reasoning.other-goals", "practical-reasoning.alternatives",
                               "practical-reasoning.best-means", "practical-reasoning.feasibility"]


def test_a_near_miss_is_a_warning_with_its_line_and_a_did_you_mean():
    (d,) = _check(HOMES.format(scheme="PracticalReasonin"))
    assert (d.rule, d.name, d.severity.value, d.line, d.column) == ("AM405", "misspelt-scheme", "warning", 15, 17)
    assert "did you mean 'practical-reasoning'?" in d.message
    # ... alone: the roles and the answer wait until the name is right; a name outside the catalogue is
    # a note, and then an answer to one of its questions answers nothing
    diags = _check(HOMES.format(scheme="Cost comparison"))
    assert [(d.rule, d.severity.value) for d in diags] == [("AM404", "info"), ("AM403", "error")]


def test_an_answer_and_an_undercut_defeat_the_reason():
    text = HOMES.format(scheme="practical-reasoning") + "    undercuts: [homes->tax]\n"
    assert [d.rule for d in _check(text)] == []  # defeated: its other questions are moot
    amap = load_text(text).map
    assert open_questions(amap, "tax") == ["homes->tax (practical-reasoning): defeated by housing"]


def test_open_question_is_configurable_like_any_rule(tmp_path):
    from argmap.io.config import from_dict

    path = tmp_path / "m.yaml"
    path.write_text(HOMES.format(scheme="practical-reasoning"), encoding="utf-8")
    assert check_paths([path], strict=True).exit_code == 0
    config = from_dict({"severity": {"open-question": "warning"}})
    assert check_paths([path], config, strict=True).exit_code == 1
    assert check_paths([path], from_dict({"ignore": ["AM4"]}), strict=True).diagnostics == []


# --------------------------------------------------------------------------- the seed map, --stats, show --node


def test_the_seed_map_names_schemes_and_answers_questions():
    diags = run_checks(load_map(SEED_MAP))
    assert {d.rule for d in diags} == {"AM401"}  # notes only: every scheme, role and answer resolves
    amap = load_map(SEED_MAP).map
    recs = [n.id for n in amap.nodes if n.kind.value == "recommendation"]
    named = {(n.id, r.to) for n in amap.nodes for r in n.supports if r.scheme}
    assert all(any(to == rec for _, to in named) for rec in recs), "every recommendation has a reason with a scheme"
    assert sum(len(n.answers) for n in amap.nodes) >= 15
    roles = [r.roles for n in amap.nodes for r in n.supports if r.roles]
    assert len(roles) >= 7


def test_check_stats_tells_which_questions_each_recommendation_leaves_open():
    result = runner.invoke(app, ["check", str(SEED_MAP), "--stats"])
    assert result.exit_code == 0, result.output
    out = result.output
    amap = load_map(SEED_MAP).map
    for n in amap.nodes:
        if n.kind.value == "recommendation":
            assert f"\n  {n.id}:\n" in out
    assert "claim-observers-momentum (practical-reasoning): open other-goals, feasibility, side-effects; " \
           "answered alternatives, best-means" in out
    assert re.search(r"schemes: 15 reasons name one; \d+ of \d+ critical questions answered \(practical-reasoning", out)


def test_check_stats_json_follows_the_documented_schema():
    result = runner.invoke(app, ["check", str(SEED_MAP), "--stats", "-f", "json"])
    data = json.loads(result.stdout)
    schema = json.loads((ROOT / "tests" / "schemas" / "check-output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    stats = data["files"][0]["stats"]["schemes"]
    assert len(stats["recommendations"]) == 11
    assert stats["schemes"]["positive-consequences"] == {"reasons": 3, "questions": 9, "answered": 6}
    lines = stats_lines(stats)
    assert lines[0].startswith("  schemes: 15 reasons name one;")


def test_stats_leave_maps_without_schemes_as_they_were(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(HOMES.format(scheme="x").replace("        scheme: x\n", "").replace(
        "        roles: {means: homes, goal: housing}\n", "        with: [housing]\n"), encoding="utf-8")
    assert "schemes" not in check_paths([path], stats=True).files[0].stats


def test_show_node_lists_the_open_questions():
    result = runner.invoke(app, ["show", str(SEED_MAP), "--node", "rec-observers", "--width", "200"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Critical questions of the reasons for rec-observers:" in out
    assert "claim-observers-momentum->rec-observers (practical-reasoning): 3 of 5 critical questions open" in out
    assert "  ? side-effects: Would doing A have further consequences" in out
    assert "  ✓ alternatives: answered by claim-consensus-blocks" in out
    # a node without reasons that name a scheme shows no such section
    result = runner.invoke(app, ["show", str(SEED_MAP), "--node", "claim-lower-bar"])
    assert "Critical questions" not in result.output


# --------------------------------------------------------------------------- formats


def _imp(fmt: str, path: Path, text: str):
    return resolve(IMPORTERS[fmt])(path, text)


def _exp(fmt: str, loaded):
    out = resolve(EXPORTERS[fmt])(loaded)
    return out if isinstance(out, tuple) else (out, [])


@pytest.mark.parametrize("nodeset, names", [
    ("412", {"expert-opinion": "ExpertOpinion", "practical-reasoning": "PracticalReasoning"}),
    ("570", {"analogy": "Analogy", "cause-to-effect": "CauseToEffect"}),
    ("258", {"InconsistentCommitment": "InconsistentCommitment"}),
])
@pytest.mark.parametrize("fmt", ["aif", "xaif"])
def test_aifdb_scheme_names_map_to_the_catalogue_and_back(corpora, nodeset, names, fmt):
    path = corpora / "aif" / "araucaria" / f"nodeset{nodeset}.json"
    res = _imp("aif", path, path.read_text(encoding="utf-8"))
    got = {r.scheme for n in res.map.nodes for r in (*n.supports, *n.attacks) if r.scheme}
    assert got == set(names)
    summary = res.summary.render()
    for ours, theirs in names.items():
        if ours == theirs:  # outside the catalogue: kept verbatim, and noted
            assert f"named {theirs!r}, which is not in argmap's scheme catalogue: kept as written" in summary
        else:
            assert f"named {theirs!r} in AIF read as {ours!r}" in summary
    loaded = load_text(json.dumps(map_to_data(res.map)), name="m.json")
    text, _ = _exp(fmt, loaded)
    doc = json.loads(text)
    doc = doc["AIF"] if fmt == "xaif" else doc
    written = {n["scheme"] for n in doc["nodes"] if n["type"] in ("RA", "CA") and "scheme" in n}
    assert written == set(names.values())
    assert not any("argmap" in n for n in doc["nodes"] if n["type"] in ("RA", "CA"))  # plain AIFdb names suffice
    back = _imp(fmt, Path("-"), text).map
    assert map_to_data(back)["nodes"] == map_to_data(res.map)["nodes"]


ROLES_AND_ANSWERS = {
    "argmap": 1,
    "nodes": [
        {"id": "thesis", "kind": "thesis", "text": "Cities can bring empty homes back into use."},
        {"id": "tax", "kind": "recommendation", "text": "Cities should tax empty homes.", "supports": ["thesis"]},
        {"id": "homes", "kind": "claim", "text": "The tax would bring empty homes back onto the market.",
         "supports": [{"to": "tax", "with": ["housing"], "scheme": "Practical reasoning",
                       "roles": {"means": "homes", "goal": "housing"}}]},
        {"id": "housing", "kind": "claim", "text": "The city wants more homes for the people who need them."},
        {"id": "flight", "kind": "objection", "text": "Owners would sell to investors abroad.",
         "attacks": [{"to": "tax", "scheme": "negative-consequences", "roles": {"consequence": "flight"}}]},
        {"id": "rule", "kind": "premise", "text": "Foreign buyers pay the same tax.", "attacks": ["flight"],
         "answers": [{"reason": "flight->tax", "question": "negative-consequences.likelihood"},
                     {"reason": "homes->tax", "question": "practical-reasoning.side-effects"}]},
        {"id": "odd", "kind": "premise", "text": "A label.", "supports": [{"to": "thesis", "scheme": "Default Inference"}]},
    ],
}


@pytest.mark.parametrize("fmt", ["aif", "xaif", "sadface", "argdown"])
def test_roles_answers_and_scheme_spellings_survive_every_format(fmt):
    data = dict(ROLES_AND_ANSWERS)
    if fmt == "sadface":  # SADFace reads a scheme named "Default Inference" as a plain support
        data["nodes"] = data["nodes"][:-1]
    loaded = load_text(json.dumps(data), name="m.json")
    text, notes = _exp(fmt, loaded)
    back = _imp(fmt, Path("-"), text).map
    assert map_to_data(back)["nodes"] == data["nodes"]
    if fmt in ("aif", "xaif"):
        doc = json.loads(text)
        nodes = (doc["AIF"] if fmt == "xaif" else doc)["nodes"]
        ra = next(n for n in nodes if n["type"] == "RA" and n.get("scheme") == "PracticalReasoning")
        assert ra["text"] == "PracticalReasoning" and ra["argmap"]["scheme"] == "Practical reasoning"
    if fmt == "sadface":
        assert "Practical reasoning" in {n.get("name") for n in json.loads(text)["nodes"]}  # SADFace keeps the name
