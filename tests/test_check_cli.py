"""argmap check from the command line: paths, formats, exit codes, configuration."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from argmap.cli import app

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "maps" / "nato-asia-pacific.yaml"
ARGMAP = Path(sys.executable).parent / "argmap"

CLEAN = """argmap: 1
nodes:
  - id: thesis
    kind: thesis
    text: Cities should tax empty homes.
  - id: rents
    kind: claim
    text: Empty homes push rents up.
    supports: [thesis]
"""
WARN = CLEAN + """  - id: aside
    kind: claim
    text: An aside.
"""
ERROR = CLEAN.replace("supports: [thesis]", "supports: [thesys]")


def run(args, env=None, input=None):
    runner = CliRunner()
    return runner.invoke(app, ["check", *args], env=env or {"GITHUB_ACTIONS": ""}, input=input,
                         catch_exceptions=False)


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A throwaway repository as the current folder."""
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_seed_map_passes_strict():
    r = run([str(SEED), "--strict"])
    assert r.exit_code == 0, r.output
    # the notes are the critical questions the article leaves open (AM401 open-question)
    assert "0 errors, 0 warnings, 14 notes in 1 map." in r.output
    assert {line.split()[-1] for line in r.output.splitlines() if " info " in line} == {"open-question"}


def test_exit_codes_clean_warning_error_strict(repo):
    clean, warn, err = write(repo / "c.yaml", CLEAN), write(repo / "w.yaml", WARN), write(repo / "e.yaml", ERROR)
    assert run([clean]).exit_code == 0
    assert run([warn]).exit_code == 0
    assert run([warn, "--strict"]).exit_code == 1
    assert run([err]).exit_code == 1
    # several files: the highest code wins
    assert run([clean, warn, err]).exit_code == 1
    assert run([clean, "missing.yaml", err]).exit_code == 2


def test_unparsable_and_invalid_maps_exit_1(repo):
    bad = write(repo / "bad.yaml", "argmap: 1\nnodes: [\n")
    invalid = write(repo / "invalid.yaml", "argmap: 1\nnodes:\n  - id: t\n    kind: thesys\n    text: T.\n")
    r = run(["bad.yaml"])
    assert bad.endswith("bad.yaml") and r.exit_code == 1
    assert r.output.splitlines()[:2] == [
        "bad.yaml", "  3:1     error   YAML syntax error: did not find expected node content  AM001 syntax-error"]
    r = run([invalid, "--format", "json"])
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["files"][0]["status"] == "invalid"
    assert [(d["rule"], d["line"], d["column"]) for d in data["diagnostics"]] == [("AM002", 4, 11)]


def test_unreadable_input_exits_2(repo):
    (repo / "latin1.yaml").write_bytes("argmap: 1\ntitle: caf\xe9\n".encode("latin-1"))
    r = run(["latin1.yaml"])
    assert r.exit_code == 2 and "not UTF-8" in r.output
    r = run(["nope.yaml"])
    assert r.exit_code == 2 and "nope.yaml: no such file or folder." in r.output


def test_usage_errors_exit_2(repo):
    write(repo / "c.yaml", CLEAN)
    assert run(["c.yaml", "--format", "xml"]).exit_code == 2
    r = run(["c.yaml", "--select", "orphan-nod"])
    assert r.exit_code == 2 and "did you mean 'orphan-node'" in r.output
    assert run(["c.yaml", "--min-coverage", "lots"]).exit_code == 2
    write(repo / "argmap.toml", "selekt = ['AM1']\n")
    r = run(["c.yaml"])
    assert r.exit_code == 2 and "unknown key 'selekt'" in r.output and "did you mean 'select'" in r.output


def test_no_path_means_maps_folder(repo):
    r = run([])
    assert r.exit_code == 2 and "no maps/ folder" in r.output
    write(repo / "maps" / "a.yaml", CLEAN)
    write(repo / "maps" / "sub" / "b.json", json.dumps(yaml.safe_load(ERROR)))
    r = run(["--format", "json"])
    data = json.loads(r.output)
    assert [f["file"] for f in data["files"]] == [os.path.join("maps", "a.yaml"), os.path.join("maps", "sub", "b.json")]
    assert r.exit_code == 1


def test_folders_skip_what_is_not_a_map_with_a_note(repo):
    write(repo / "maps" / "a.argmap.yaml", CLEAN)
    write(repo / "maps" / "workflow.yml", "on: push\njobs: {}\n")
    write(repo / "maps" / "package.json", '{"name": "x"}\n')
    write(repo / "maps" / "broken-notes.yaml", "key: [unclosed\n")
    write(repo / "maps" / ".hidden" / "x.yaml", ERROR)
    write(repo / "maps" / "notes.txt", "not even yaml")
    r = run(["maps"])
    assert r.exit_code == 0, r.output
    assert "workflow.yml: skipped, not an argmap map" in r.output
    assert "package.json: skipped, not an argmap map" in r.output
    assert "broken-notes.yaml: skipped, not an argmap map" in r.output
    assert "x.yaml" not in r.output and "notes.txt" not in r.output
    assert "0 errors, 0 warnings in 1 map (3 skipped)." in r.output


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "  # two\n\n# comments", "\ufeff"])
@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_an_empty_map_fails_named_or_found(repo, text, suffix):
    """A map emptied by a bad merge or a truncated write must fail CI (exit 1, AM002 on line 1)."""
    write(repo / "maps" / "a.yaml", CLEAN)
    empty = repo / "maps" / f"emptied{suffix}"
    empty.write_text(text, encoding="utf-8")
    for args in (["maps"], [str(empty)], ["maps/a.yaml", str(empty)]):
        r = run(args)
        assert r.exit_code == 1, (args, r.output)
        assert f"emptied{suffix}:1:1: error: the file is empty" in r.output or \
            f"emptied{suffix}\n  1:1     error   the file is empty" in r.output, r.output
        assert "AM002" in r.output


def test_exclude_leaves_files_and_folders_out(repo):
    write(repo / "maps" / "a.yaml", CLEAN)
    write(repo / "maps" / "fixtures" / "broken.yaml", "argmap: 1\nnodes: [\n")
    write(repo / "maps" / "empty.yml", "")
    write(repo / "maps" / "x.schema.json", "")
    assert run(["maps"]).exit_code == 1
    r = run(["maps", "--exclude", "maps/fixtures", "--exclude", "*.yml", "--exclude", "*.schema.json"])
    assert r.exit_code == 0, r.output
    assert "in 1 map." in r.output
    (repo / "pyproject.toml").write_text('[tool.argmap]\nexclude = ["fixtures", "empty.yml"]\n', encoding="utf-8")
    r = run(["maps", "--exclude", "x.schema.json"])
    assert r.exit_code == 0 and "in 1 map." in r.output, r.output
    r = run(["maps/fixtures/broken.yaml"])  # a named file is excluded too (pre-commit names every file)
    assert r.exit_code == 0, r.output


def test_a_broken_map_is_still_reported_not_skipped(repo):
    write(repo / "maps" / "m.yaml", "argmap: 1\nnodes:\n  - id: t\n    kind: thesis\n    text: [\n")
    r = run(["maps"])
    assert r.exit_code == 1 and "AM001 syntax-error" in r.output


def test_text_format_shows_the_line_and_a_caret(repo):
    write(repo / "e.yaml", ERROR)
    r = run(["e.yaml"])
    assert r.output.splitlines() == [
        "e.yaml",
        "  6:9     warning 'rents' has no path of relations to the thesis 'thesis'; link it (add 'supports: [ID]' "
        "or 'attacks: [ID]', ID a node on a path to the thesis) or delete it  AM106 orphan-node",
        "       6 |   - id: rents",
        "         |         ^",
        "  9:16    error   supports 'thesys', but no node has that id (did you mean 'thesis'?); remove the relation "
        "or restore the node  AM102 dangling-relation",
        "       9 |     supports: [thesys]",
        "         |                ^",
        "1 error, 1 warning in 1 map.",
    ]


def test_stdin(repo):
    r = run(["-"], input=ERROR)
    assert r.exit_code == 1 and "-:9:16" not in r.output and "9:16" in r.output


def test_select_ignore_on_the_command_line(repo):
    write(repo / "e.yaml", ERROR)
    data = json.loads(run(["e.yaml", "-f", "json"]).output)
    assert sorted(d["rule"] for d in data["diagnostics"]) == ["AM102", "AM106"]
    data = json.loads(run(["e.yaml", "-f", "json", "--ignore", "AM102"]).output)
    assert [d["rule"] for d in data["diagnostics"]] == ["AM106"]
    data = json.loads(run(["e.yaml", "-f", "json", "--select", "dangling-relation,AM3"]).output)
    assert [d["rule"] for d in data["diagnostics"]] == ["AM102"]


@pytest.mark.parametrize("name", ["pyproject.toml", "argmap.toml"])
def test_configuration_file_searched_upward(repo, name, monkeypatch):
    write(repo / "maps" / "w.yaml", WARN)
    table = 'ignore = ["AM1"]\n' if name == "argmap.toml" else '[tool.argmap]\nignore = ["AM1"]\n'
    write(repo / name, table)
    sub = repo / "maps"
    monkeypatch.chdir(sub)
    data = json.loads(run(["w.yaml", "-f", "json", "--strict"]).output)
    assert data["diagnostics"] == [] and data["summary"]["exit_code"] == 0


def test_severity_override_makes_warning_an_error(repo):
    write(repo / "w.yaml", WARN)
    write(repo / "pyproject.toml", '[project]\nname = "x"\n\n[tool.argmap.severity]\norphan-node = "error"\n')
    r = run(["w.yaml", "-f", "json"])
    assert r.exit_code == 1
    assert json.loads(r.output)["diagnostics"][0]["severity"] == "error"


def test_min_coverage_and_stats(repo):
    write(repo / "article.txt", "Title line\n\nFirst sentence here. Second sentence here. Third one.\n")
    m = write(repo / "m.yaml", CLEAN.replace("text: Cities should tax empty homes.\n",
                                              "text: Cities should tax empty homes.\n    quote: First sentence here.\n")
              .replace("argmap: 1\n", "argmap: 1\nsource:\n  path: article.txt\n"))
    r = run([m, "--stats", "-f", "json"])
    data = json.loads(r.output)
    assert r.exit_code == 0
    cov = data["files"][0]["stats"]["coverage"]
    assert (cov["covered"], cov["total"]) == (1, 3)
    r = run([m, "--min-coverage", "50%"])
    assert r.exit_code == 0 and "below min-coverage 50%" in r.output
    assert run([m, "--min-coverage", "0.5", "--strict"]).exit_code == 1
    r = run([m, "--stats"])
    assert "coverage 33%: quotes cover 1 of 3 sentences" in r.output


def test_outside_source_refused_then_allowed(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text("The secret says cities should tax empty homes.", encoding="utf-8")
    m = write(repo / "m.yaml", CLEAN.replace("argmap: 1\n", f"argmap: 1\nsource:\n  path: {outside}\n").replace(
        "text: Cities should tax empty homes.\n", "text: Cities should tax empty homes.\n    quote: the secret shouts\n"))
    r = run([m])
    assert r.exit_code == 1 and "AM202 source-outside-home" in r.output
    assert "secret says" not in r.output  # never read, never shown
    r = run([m, "--allow-outside-source"])
    assert r.exit_code == 1 and "AM203 quote-not-found" in r.output and "did you mean" in r.output
    write(repo / "argmap.toml", "allow-outside-source = true\n")
    assert "AM203" in run([m]).output


def test_github_format_is_automatic_under_actions(repo):
    write(repo / "e.yaml", ERROR)
    r = run(["e.yaml"], env={"GITHUB_ACTIONS": "true"})
    assert r.output.splitlines()[1].startswith("::error file=e.yaml,line=9,col=16,title=AM102 dangling-relation::")
    r = run(["e.yaml", "-f", "text"], env={"GITHUB_ACTIONS": "true"})
    assert r.output.startswith("e.yaml\n")


def test_output_file(repo):
    write(repo / "e.yaml", ERROR)
    r = run(["e.yaml", "-f", "sarif", "-o", "out.sarif"])
    assert r.exit_code == 1 and r.output == ""
    data = json.loads((repo / "out.sarif").read_text())
    assert data["version"] == "2.1.0"


def test_colour_only_when_asked(repo):
    write(repo / "e.yaml", ERROR)
    assert "\x1b[" not in run(["e.yaml"]).output
    assert "\x1b[" in run(["e.yaml", "--color", "always"]).output


# --------------------------------------------------------------------------- as users get it


def test_installed_script_seed_map_and_codes():
    need_script = ARGMAP.exists()
    if not need_script:
        pytest.skip("argmap is not installed next to the interpreter")
    r = subprocess.run([str(ARGMAP), "check", str(SEED), "--strict"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stderr == ""
    r = subprocess.run([str(ARGMAP), "check", "/no/such/map.yaml"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr + r.stdout


def test_make_run_first_step_exits_0():
    r = subprocess.run([str(ARGMAP), "check", "maps/nato-asia-pacific.yaml"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_pre_commit_hook_as_shipped(repo):
    """Run the hook's entry the way pre-commit does: entry + the matching staged files."""
    import re

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "argmap-check")
    files_re, exclude_re = re.compile(hook["files"]), re.compile(hook.get("exclude", "^$"))
    write(repo / "maps" / "good.yaml", CLEAN)
    write(repo / ".github" / "workflows" / "ci.yml", "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n")
    write(repo / ".pre-commit-config.yaml", "repos: []\n")
    write(repo / "pyproject.toml", "[project]\nname = 'x'\n")
    staged = ["maps/good.yaml", ".github/workflows/ci.yml", ".pre-commit-config.yaml", "pyproject.toml"]
    files = [f for f in staged if files_re.search(f) and not exclude_re.search(f)]
    assert files == ["maps/good.yaml", ".github/workflows/ci.yml"]
    cmd = hook["entry"].split()
    assert cmd[0] == "argmap"
    env = {**os.environ, "PATH": f"{ARGMAP.parent}{os.pathsep}{os.environ.get('PATH', '')}", "GITHUB_ACTIONS": ""}
    r = subprocess.run([*cmd, *files], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "ci.yml: skipped" in r.stdout
    write(repo / "maps" / "good.yaml", ERROR)
    r = subprocess.run([*cmd, *files], capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "AM102" in r.stdout


def test_every_option_of_check_help_is_documented():
    """docs/check.md and `argmap check --help` must not drift apart."""
    import re

    r = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "200"})
    assert r.exit_code == 0
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]+)", r.output)) - {"--help"}
    assert {"--format", "--strict", "--select", "--ignore", "--stats", "--min-coverage",
            "--allow-outside-source", "--config", "--color", "--output"} <= options
    doc = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    missing = sorted(o for o in options if o not in doc and not (o == "--output" and "-o FILE" in doc))
    assert missing == []


def test_folder_search_does_not_follow_symlinks_out_of_the_repository(repo, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.yaml"
    outside.write_text("argmap: 1\nnodes:\n  - id: t\n    kind: thesis\n    text: SECRET [\n", encoding="utf-8")
    write(repo / "maps" / "good.yaml", CLEAN)
    (repo / "maps" / "evil.yaml").symlink_to(outside)
    (repo / "maps" / "alias.yaml").symlink_to(repo / "maps" / "good.yaml")
    r = run(["maps"])
    assert r.exit_code == 0, r.output
    assert "evil.yaml: skipped, a symlink leading outside the repository" in r.output
    assert "SECRET" not in r.output
    assert "0 errors, 0 warnings in 2 maps (1 skipped)." in r.output


def test_a_folder_without_maps_is_noted(repo):
    (repo / "empty").mkdir()
    r = run(["empty"])
    assert r.exit_code == 0 and "empty: skipped, a folder with no *.yaml, *.yml or *.json file" in r.output


def _yaml_blocks(markdown: str) -> list[str]:
    import re

    return re.findall(r"```yaml\n(.*?)```", markdown, re.S)


def test_documented_ci_job_and_pre_commit_config_work(repo):
    """The GitHub Actions job and pre-commit config in docs/check.md run as written."""
    doc = (ROOT / "docs" / "check.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in _yaml_blocks(doc)]
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b)
    steps = workflow["jobs"]["check"]["steps"]
    commands = [s["run"] for s in steps if "run" in s and s["run"].startswith("argmap ")]
    assert len(commands) == 2
    write(repo / "maps" / "m.yaml", CLEAN)
    env = {**os.environ, "PATH": f"{ARGMAP.parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "GITHUB_ACTIONS": "true"}
    for cmd in commands:
        r = subprocess.run(cmd.split("#")[0], shell=True, capture_output=True, text=True, env=env)
        assert r.returncode == 0, (cmd, r.stdout, r.stderr)
    sarif = json.loads((repo / "argmap.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "argmap.sarif"
    # with a finding, the first step fails the job and prints an annotation
    write(repo / "maps" / "m.yaml", ERROR)
    r = subprocess.run(commands[0].split("#")[0], shell=True, capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "::error file=maps/m.yaml,line=9,col=16" in r.stdout

    pre_commit = next(b for b in blocks if isinstance(b, dict) and "repos" in b)
    hook = pre_commit["repos"][0]["hooks"][0]
    shipped = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert hook["id"] in shipped
    assert hook["args"] == ["--strict"]


def test_a_name_too_long_is_unreadable_not_a_crash(repo):
    r = run(["x" * 5000])
    assert r.exit_code == 2 and "cannot be opened (File name too long)" in r.output


def test_a_fifo_is_refused_without_blocking(repo):
    os.mkfifo(repo / "pipe.yaml")
    r = run(["pipe.yaml"])
    assert r.exit_code == 2 and "pipe.yaml: is not a regular file." in r.output


def test_in_process_check_leaves_the_collector_on(repo):
    """The collector is paused while a map loads and is checked, and on again after."""
    import gc

    write(repo / "maps" / "a.yaml", CLEAN)
    assert gc.isenabled()
    assert run(["maps/a.yaml"]).exit_code == 0
    assert gc.isenabled()


def test_the_console_entry_point_runs_to_completion_under_cprofile(repo):
    """argmap.cli.main ends with SystemExit and no process tricks: a profiler writes its file,
    and the report and exit code are those of the in-process run."""
    write(repo / "maps" / "a.yaml", WARN)
    code = (
        "import cProfile, sys\n"
        "sys.argv = ['argmap', 'check', 'maps/a.yaml']\n"
        "from argmap.cli import main\n"
        "cProfile.run('main()', 'out.prof')\n"
        "print('profiled', file=sys.stderr)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env={**os.environ, "GITHUB_ACTIONS": ""})
    assert "profiled" in r.stderr, r.stderr
    import pstats

    stats = pstats.Stats(str(repo / "out.prof"))
    assert any(func[2] == "check_paths" for func in stats.stats)  # the command's work is in the profile
    assert r.stdout.startswith(run(["maps/a.yaml"]).stdout)
