"""The GitHub Action's own logic (action.yml -> action/argmap_action.py), without GitHub:
a real git repository with a base and a head revision, the real argmap command,
and a stand-in for the one function that calls the GitHub API."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

SITE_DATA = ROOT / "tests" / "data" / "site"


def _load_action():
    spec = importlib.util.spec_from_file_location("argmap_action", ROOT / "action" / "argmap_action.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["argmap_action"] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


act = _load_action()


@pytest.fixture(autouse=True)
def _argmap_on_path(monkeypatch):
    """The action runs the installed 'argmap' command: this interpreter's."""
    monkeypatch.setenv("PATH", str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout.strip()


MAP_B = """argmap: 1
title: Bus lanes
nodes:
  - {id: t, kind: thesis, text: Cities should paint bus lanes.}
  - {id: c, kind: claim, text: Buses get stuck in traffic., supports: [t]}
"""
MAP_D = """argmap: 1
title: Free buses <b>now</b>
nodes:
  - {id: t, kind: thesis, text: Buses should be free.}
"""


@pytest.fixture
def repo(tmp_path) -> tuple[Path, str]:
    """A repository whose HEAD changes one map's argument, removes one, adds one,
    reformats one, and touches a JSON file that is not a map; returns (repo, base sha)."""
    r = tmp_path / "repo"
    (r / "maps").mkdir(parents=True)
    git(r, "init", "-q", "-b", "main")
    shutil.copy(SITE_DATA / "parking-editorial.yaml", r / "maps" / "a.yaml")
    shutil.copy(SITE_DATA / "parking.txt", r / "maps" / "parking.txt")
    (r / "maps" / "b.yaml").write_text(MAP_B, encoding="utf-8")
    shutil.copy(SITE_DATA / "parking-curbs.json", r / "maps" / "c.json")
    (r / "maps" / "settings.json").write_text('{"colour": "blue"}\n', encoding="utf-8")
    (r / "other.yaml").write_text(MAP_B, encoding="utf-8")  # outside the paths: never mentioned
    git(r, "add", ".")
    git(r, "commit", "-qm", "base")
    base = git(r, "rev-parse", "HEAD")
    a = (r / "maps" / "a.yaml").read_text(encoding="utf-8")
    (r / "maps" / "a.yaml").write_text(a.replace("Streets would flood with parked cars.",
                                                 "Streets would fill with parked cars."), encoding="utf-8")
    (r / "maps" / "b.yaml").unlink()
    (r / "maps" / "d.yaml").write_text(MAP_D, encoding="utf-8")
    c = json.loads((r / "maps" / "c.json").read_text(encoding="utf-8"))
    (r / "maps" / "c.json").write_text(json.dumps(c, indent=1), encoding="utf-8")  # layout only
    (r / "maps" / "settings.json").write_text('{"colour": "red"}\n', encoding="utf-8")
    (r / "other.yaml").write_text(MAP_B.replace("paint", "build"), encoding="utf-8")
    git(r, "add", "-A")
    git(r, "commit", "-qm", "head")
    return r, base


def event_file(tmp_path: Path, *, fork: bool = False, number: int = 7, base: str = "0" * 40) -> Path:
    ev = {
        "number": number,
        "repository": {"full_name": "team/maps"},
        "pull_request": {
            "number": number,
            "base": {"sha": base, "repo": {"full_name": "team/maps"}},
            "head": {"sha": "f" * 40, "repo": {"full_name": "someone/maps" if fork else "team/maps"}},
        },
    }
    p = tmp_path / "event.json"
    p.write_text(json.dumps(ev), encoding="utf-8")
    return p


class FakeGitHub:
    """Stands in for github_request: keeps comments, records every call."""

    def __init__(self, comments=None, fail: str | None = None):
        self.comments = list(comments or [])
        self.calls: list[tuple] = []
        self.fail = fail
        self.next_id = 1000

    def __call__(self, method, url, token, body=None):
        self.calls.append((method, url, token, body))
        if self.fail:
            raise act.GitHubError(self.fail)
        path = url.split("://", 1)[1].split("/", 1)[1]
        if method == "GET":
            page = int(url.rsplit("page=", 1)[1])
            return 200, self.comments[(page - 1) * 100: page * 100]
        if method == "POST":
            self.next_id += 1
            self.comments.append({"id": self.next_id, "body": body["body"]})
            return 201, self.comments[-1]
        if method == "PATCH":
            cid = int(path.rsplit("/", 1)[1])
            c = next(c for c in self.comments if c["id"] == cid)
            c["body"] = body["body"]
            return 200, c
        raise AssertionError(method)


def env_for(tmp_path, base, **extra) -> dict:
    return {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event_file(tmp_path, base=base, fork=extra.pop("fork", False))),
        "GITHUB_REPOSITORY": "team/maps",
        "GITHUB_API_URL": "https://api.example.test",
        "INPUT_PATHS": "maps",
        "INPUT_TOKEN": "t0ken",
        **extra,
    }


# --------------------------------------------------------------------------- the comment


def test_the_comment_covers_added_removed_and_changed_maps(repo):
    r, base = repo
    changes = act.collect_changes(base, ["maps"], cwd=str(r))
    body = act.comment_body(changes)
    assert body.startswith(act.MARKER + "\n### argmap: maps 1 added, 1 removed, 1 changed\n")
    assert "**Maps added**\n\n- `maps/d.yaml` — *Free buses \\<b\\>now\\</b\\>*: 1 node" in body
    assert "**Maps removed**\n\n- `maps/b.yaml` — *Bus lanes*: 2 nodes" in body
    # the changed map: argmap diff --format markdown against the base revision
    assert "**argmap diff** `maps/a.yaml`: 1 node changed" in body
    assert "- Streets would flood with parked cars.\n    + Streets would fill with parked cars." in body
    assert "Layout or order only, the argument is the same: `maps/c.json`" in body
    assert "settings.json" not in body and "other.yaml" not in body
    assert "<b>" not in body  # map text is escaped


def test_nothing_changed(repo):
    r, _ = repo
    head = git(r, "rev-parse", "HEAD")
    changes = act.collect_changes(head, ["maps"], cwd=str(r))
    assert changes.empty
    assert "No map was added, removed or changed." in act.comment_body(changes)


def test_a_map_that_no_longer_loads_is_reported(repo):
    r, _ = repo
    head = git(r, "rev-parse", "HEAD")
    (r / "maps" / "d.yaml").write_text("argmap: 1\nnodes: [oops\n", encoding="utf-8")
    git(r, "commit", "-qam", "break d")
    changes = act.collect_changes(head, ["maps"], cwd=str(r))
    assert len(changes.problems) == 1 and changes.problems[0].startswith("- `maps/d.yaml`: ")
    assert "Could not compare" in act.comment_body(changes)


def test_the_comment_is_created_then_updated_in_place(repo, tmp_path, monkeypatch, capsys):
    r, base = repo
    hub = FakeGitHub(comments=[{"id": 1, "body": "LGTM"}])
    env = env_for(tmp_path, base, GITHUB_STEP_SUMMARY=str(tmp_path / "summary.md"))
    assert act.cmd_diff_comment(env, request=hub, cwd=str(r)) == 0  # a changed argument does not fail
    assert [c[0] for c in hub.calls] == ["GET", "POST"]
    assert hub.calls[1][1] == "https://api.example.test/repos/team/maps/issues/7/comments"
    assert all(c[2] == "t0ken" for c in hub.calls)
    assert "::notice::argmap diff comment: created." in capsys.readouterr().out
    assert "Maps changed" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    ours = hub.comments[-1]["id"]

    # a new push changes the argument again: the same comment is edited
    a = (r / "maps" / "a.yaml").read_text(encoding="utf-8")
    (r / "maps" / "a.yaml").write_text(a.replace("Offer every household", "Give every household"), encoding="utf-8")
    git(r, "commit", "-qam", "push 2")
    hub.calls.clear()
    assert act.cmd_diff_comment(env, request=hub, cwd=str(r)) == 0
    assert [c[0] for c in hub.calls] == ["GET", "PATCH"]
    assert hub.calls[1][1] == f"https://api.example.test/repos/team/maps/issues/comments/{ours}"
    assert len(hub.comments) == 2 and "Give every household" in hub.comments[-1]["body"]

    hub.calls.clear()  # the same again: nothing to edit
    assert act.cmd_diff_comment(env, request=hub, cwd=str(r)) == 0
    assert [c[0] for c in hub.calls] == ["GET"]


def test_the_comment_is_found_on_a_later_page():
    old = [{"id": i, "body": f"comment {i}"} for i in range(150)]
    old[120]["body"] = act.MARKER + "\nold"
    hub = FakeGitHub(comments=old)
    assert act.upsert_comment("https://api", "o/r", 3, "t", act.MARKER + "\nnew", request=hub) == "updated"
    assert [c[0] for c in hub.calls] == ["GET", "GET", "PATCH"] and "page=2" in hub.calls[1][1]
    assert old[120]["body"].endswith("new") and len(hub.comments) == 150


def test_no_comment_is_created_when_nothing_changed(repo, tmp_path):
    r, _ = repo
    head = git(r, "rev-parse", "HEAD")
    hub = FakeGitHub()
    assert act.cmd_diff_comment(env_for(tmp_path, head), request=hub, cwd=str(r)) == 0
    assert [c[0] for c in hub.calls] == ["GET"] and hub.comments == []
    # but an earlier comment is brought up to date
    hub = FakeGitHub(comments=[{"id": 5, "body": act.MARKER + "\nstale"}])
    assert act.cmd_diff_comment(env_for(tmp_path, head), request=hub, cwd=str(r)) == 0
    assert "No map was added, removed or changed." in hub.comments[0]["body"]


def test_pull_requests_from_forks_are_skipped_with_a_notice(repo, tmp_path, capsys):
    r, base = repo
    hub = FakeGitHub()
    assert act.cmd_diff_comment(env_for(tmp_path, base, fork=True), request=hub, cwd=str(r)) == 0
    assert hub.calls == []
    out = capsys.readouterr().out
    assert out.startswith("::notice::") and "from a fork" in out


def test_other_events_are_skipped(tmp_path, capsys):
    hub = FakeGitHub()
    assert act.cmd_diff_comment({"GITHUB_EVENT_NAME": "push"}, request=hub) == 0
    assert hub.calls == [] and "not a pull request" in capsys.readouterr().out


def test_a_refused_comment_names_the_permission(repo, tmp_path, capsys):
    r, base = repo
    hub = FakeGitHub(fail="GET https://api/...: HTTP 403 Resource not accessible by integration")
    assert act.cmd_diff_comment(env_for(tmp_path, base), request=hub, cwd=str(r)) == 1
    out = capsys.readouterr().out
    assert "::error::" in out and "pull-requests: write" in out


def test_a_missing_base_commit_is_fetched(repo, tmp_path):
    r, base = repo
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{r}", str(clone)], check=True)
    assert subprocess.run(["git", "cat-file", "-e", f"{base}^{{commit}}"], cwd=clone).returncode != 0
    hub = FakeGitHub()
    assert act.cmd_diff_comment(env_for(tmp_path, base), request=hub, cwd=str(clone)) == 0
    assert "Maps removed" in hub.comments[0]["body"]


# --------------------------------------------------------------------------- check and sarif


def test_check_step_annotates_and_fails_on_findings(tmp_path, monkeypatch, capfd):
    shutil.copy(SITE_DATA / "parking-editorial.yaml", tmp_path / "a.yaml")
    shutil.copy(SITE_DATA / "parking.txt", tmp_path / "parking.txt")
    monkeypatch.chdir(tmp_path)
    assert act.cmd_check({"INPUT_PATHS": "a.yaml", "INPUT_STRICT": "false"}) == 0  # a warning only
    assert "::warning file=a.yaml,line=19" in capfd.readouterr().out
    assert act.cmd_check({"INPUT_PATHS": "a.yaml", "INPUT_STRICT": "true"}) == 1
    (tmp_path / "bad.yaml").write_text("argmap: 1\nnodes:\n  - {id: t, kind: thesis, text: T, supports: [nope]}\n",
                                       encoding="utf-8")
    assert act.cmd_check({"INPUT_PATHS": "a.yaml\nbad.yaml"}) == 1
    assert "::error file=bad.yaml" in capfd.readouterr().out


def test_sarif_step_writes_the_report_and_does_not_fail(tmp_path, monkeypatch):
    (tmp_path / "bad.yaml").write_text("argmap: 1\nnodes:\n  - {id: t, kind: thesis, text: T, supports: [nope]}\n",
                                       encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "r.sarif"
    assert act.cmd_sarif({"INPUT_PATHS": "bad.yaml", "INPUT_SARIF_FILE": str(out)}) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["version"] == "2.1.0" and report["runs"][0]["results"]


def test_inputs():
    assert act.input_paths({"INPUT_PATHS": " maps\n docs/maps  "}) == ["maps", "docs/maps"]
    assert act.input_paths({}) == ["maps"]
    assert act.input_flag("strict", {"INPUT_STRICT": "True"}) is True
    assert act.input_flag("strict", {}) is False
    with pytest.raises(SystemExit, match="must be true or false"):
        act.input_flag("strict", {"INPUT_STRICT": "maybe"})


def test_action_yml_wires_the_script():
    spec = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert spec["runs"]["using"] == "composite"
    assert {"paths", "strict", "sarif", "diff-comment"} <= set(spec["inputs"])
    steps = spec["runs"]["steps"]
    assert steps[0]["uses"].startswith("actions/setup-python@")
    install = steps[1]
    assert install["env"]["ARGMAP_ACTION_PATH"] == "${{ github.action_path }}" and "$ARGMAP_ACTION_PATH" in install["run"]
    runs = [s.get("run", "") for s in steps]
    for sub in ("check", "sarif", "diff-comment"):
        assert any(r.endswith(f"/action/argmap_action.py\" {sub}") for r in runs), sub
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif@"))
    assert upload["if"] == "inputs.sarif == 'true'"
    assert steps[-1]["run"].endswith("argmap_action.py\" check")  # the failing step comes last
    for s in steps:  # inputs reach scripts through the environment, never pasted into the shell
        assert "${{" not in s.get("run", ""), s
