"""Reporters: golden files for every format, and the JSON and SARIF schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from argmap.checks.runner import check_paths
from argmap.io.config import Config
from argmap.views.reporters import github_report, json_report, sarif_data, sarif_report, text_report

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "check"
SCHEMAS = ROOT / "tests" / "schemas"
FILES = [
    "tests/maps/invalid/dangling-relation/relations.yaml",
    "tests/maps/invalid/quote-not-found/article-quotes.yaml",
    "tests/maps/invalid/syntax-error/broken.json",
    "tests/maps/valid/json-map.json",
    "tests/maps/article.txt",
    "tests/maps/no-such-map.yaml",
    "tests/maps/invalid/low-coverage/article.toml",
]


@pytest.fixture
def run(monkeypatch):
    monkeypatch.chdir(ROOT)
    return check_paths(FILES, Config(), strict=False, stats=True)


def _sarif_text(run) -> str:
    root_uri = ROOT.as_uri() + "/"
    return sarif_report(run, root=ROOT).replace(root_uri, "file:///ROOT/")


def test_golden_text(run, golden):
    golden(GOLDEN / "report.txt", text_report(run, stats=True))


def test_golden_json(run, golden):
    golden(GOLDEN / "report.json", json_report(run, stats=True))


def test_golden_github(run, golden):
    golden(GOLDEN / "report.github.txt", github_report(run))


def test_golden_sarif(run, golden):
    golden(GOLDEN / "report.sarif", _sarif_text(run))


def test_run_has_every_kind_of_file(run):
    assert [f.status for f in run.files] == ["checked", "checked", "invalid", "checked", "skipped",
                                             "unreadable", "skipped"]
    assert run.exit_code == 2


def test_json_output_validates_against_its_schema(run):
    schema = json.loads((SCHEMAS / "check-output.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    for stats in (True, False):
        jsonschema.validate(json.loads(json_report(run, stats=stats)), schema,
                            cls=jsonschema.Draft202012Validator)
    data = json.loads(json_report(run))
    assert data["summary"]["exit_code"] == 2 and data["summary"]["errors"] == 6


def test_sarif_validates_against_the_official_schema(run):
    schema = json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text())
    data = sarif_data(run, root=ROOT)
    jsonschema.validate(data, schema, cls=jsonschema.Draft4Validator)


def test_sarif_carries_what_github_code_scanning_reads(run):
    data = sarif_data(run, root=ROOT)
    assert data["version"] == "2.1.0" and data["$schema"].endswith("sarif-schema-2.1.0.json")
    (sarif_run,) = data["runs"]
    driver = sarif_run["tool"]["driver"]
    rules = driver["rules"]
    assert driver["name"] == "argmap"
    ids = [r["id"] for r in rules]
    for r in rules:
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert sarif_run["results"], "findings expected"
    for res in sarif_run["results"]:
        assert res["ruleId"] == ids[res["ruleIndex"]]
        loc = res["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/")
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert loc["region"]["startLine"] >= 1
    first = sarif_run["results"][0]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "tests/maps/invalid/dangling-relation/relations.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 13, "startColumn": 16},
    }
    # the unreadable file is a tool notification, and the run is marked failed
    inv = sarif_run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert "no such file" in inv["toolExecutionNotifications"][0]["message"]["text"]


def test_github_escapes_newlines_commas_and_colons():
    from argmap.checks.runner import CheckRun, FileResult
    from argmap.map.diagnostics import Diagnostic, Severity

    d = Diagnostic("AM203", "quote-not-found", Severity.INFO, "50% odd\nline", "a,b:c.yaml", 3, 4)
    out = github_report(CheckRun([FileResult("a,b:c.yaml", "checked", [d])]))
    # (Diagnostic itself flattens line breaks in messages; the reporter escapes what is left)
    assert out.splitlines()[0] == "::notice file=a%2Cb%3Ac.yaml,line=3,col=4,title=AM203 quote-not-found::50%25 odd line"
    from argmap.views.reporters import _gh_escape_data

    assert _gh_escape_data("a\nb\r%") == "a%0Ab%0D%25"


def test_text_colour_respects_the_choice(run, monkeypatch):
    from argmap.views.reporters import use_color

    coloured = text_report(run, color=True)
    assert "\x1b[" in coloured and "\x1b[" not in text_report(run)

    class Tty:
        def isatty(self):
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    assert use_color(Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(Tty()) is False
    assert use_color(Tty(), "always") is True


def _drafts_run(tmp_path, monkeypatch, n=5):
    monkeypatch.chdir(tmp_path)
    nodes = [{"id": "t", "kind": "thesis", "text": "T."}]
    for i in range(n):
        nodes.append({"id": f"c{i}", "kind": "claim", "text": f"Claim {i}.", "supports": ["t"],
                      "draft": {"confidence": round(0.9 - i * 0.1, 2), "cues": ["because"]}})
    (tmp_path / "drafts.json").write_text(json.dumps({"argmap": 1, "nodes": nodes}), encoding="utf-8")
    return check_paths(["drafts.json"], Config(), strict=False)


def test_am110_lists_every_draft_in_json_and_sarif(tmp_path, monkeypatch):
    run = _drafts_run(tmp_path, monkeypatch)
    expected = [{"id": f"c{i}", "confidence": round(0.9 - i * 0.1, 2)} for i in reversed(range(5))]
    data = json.loads(json_report(run))
    jsonschema.validate(data, json.loads((SCHEMAS / "check-output.schema.json").read_text()),
                        cls=jsonschema.Draft202012Validator)
    [am110] = [d for d in data["diagnostics"] if d["rule"] == "AM110"]
    assert "and 2 more" in am110["message"]  # the message names 3; extra has all 5
    assert am110["extra"] == {"drafts": expected}
    # findings without data have no "extra" key (it is optional)
    assert all("extra" not in d for d in data["diagnostics"] if d["rule"] != "AM110")

    sarif = sarif_data(run, root=tmp_path)
    jsonschema.validate(sarif, json.loads((SCHEMAS / "sarif-schema-2.1.0.json").read_text()),
                        cls=jsonschema.Draft4Validator)
    [res] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "AM110"]
    assert res["properties"]["extra"] == {"drafts": expected}
