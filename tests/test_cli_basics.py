"""The installed script as users get it, plus export/schema basics."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from argmap import __version__
from argmap.cli import app
from conftest import ROOT, SEED_MAP

runner = CliRunner()


def _script() -> str:
    exe = Path(sys.executable).parent / "argmap"
    return str(exe) if exe.exists() else shutil.which("argmap")


def run(*args, input=None):
    return subprocess.run([_script(), *args], capture_output=True, text=True, input=input, timeout=60, cwd=ROOT)


def test_installed_script_help_and_version():
    r = run("--help")
    assert r.returncode == 0
    for cmd in ("check", "show", "render", "export", "schema"):
        assert cmd in r.stdout
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"argmap {__version__}"


def test_installed_script_export_json_is_canonical():
    r = run("export", str(SEED_MAP), "--to", "json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert list(data)[:2] == ["argmap", "title"] and data["argmap"] == 1
    assert "’" in r.stdout  # UTF-8 unescaped
    assert r.stdout.startswith('{\n  "argmap": 1,\n')
    node = data["nodes"][0]
    order = ["id", "kind", "text", "quote", "actor", "supports", "attacks", "undercuts", "tags", "note"]
    keys = [k for k in node]
    assert keys == [k for k in order if k in node]


def test_export_json_golden(golden):
    r = runner.invoke(app, ["export", str(SEED_MAP), "--to", "json"])
    assert r.exit_code == 0
    golden(ROOT / "tests" / "golden" / "export" / "nato-asia-pacific.json", r.stdout)


def test_export_from_stdin_and_yaml_json_equal(tmp_path):
    from argmap.io.loading import load_map

    r = run("export", "-", "--to", "json", input=SEED_MAP.read_text(encoding="utf-8"))
    assert r.returncode == 0, r.stderr
    p = tmp_path / "seed.json"
    p.write_text(r.stdout, encoding="utf-8")
    assert load_map(p).map == load_map(SEED_MAP).map


def test_export_to_file_is_written(tmp_path):
    out = tmp_path / "x.json"
    r = runner.invoke(app, ["export", str(SEED_MAP), "--to", "json", "-o", str(out)])
    assert r.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["argmap"] == 1


def test_unknown_export_format_is_a_usage_error():
    r = run("export", str(SEED_MAP), "--to", "nope")
    assert r.returncode == 2
    assert "unknown export format 'nope'" in r.stderr and "Traceback" not in r.stderr


def test_broken_map_gives_position_and_exit_1(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("argmap: 1\nnodes:\n  - id: a\n    kind: clam\n    text: x\n", encoding="utf-8")
    r = run("export", str(p), "--to", "json")
    assert r.returncode == 1
    assert f"{p}:4:11: error:" in r.stderr and "did you mean 'claim'" in r.stderr


def test_missing_file_exit_2():
    r = run("export", "no/such/map.yaml", "--to", "json")
    assert r.returncode == 2
    assert r.stderr.strip() == "argmap: no/such/map.yaml: no such file."


def test_schema_is_valid_and_validates_the_seed_map():
    r = runner.invoke(app, ["schema"])
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    data = json.loads(runner.invoke(app, ["export", str(SEED_MAP), "--to", "json"]).stdout)
    jsonschema.validate(data, schema)
    bad = dict(data, nodes=[dict(data["nodes"][0], qoute="x")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    linked = dict(data, nodes=[dict(data["nodes"][0], supports=[{"to": "thesis", "with": ["a"]}])])
    jsonschema.validate(linked, schema)


def test_python_api_round_trip(tmp_path):
    import argmap

    from argmap.io.yamlstyle import canonical_map_data

    loaded = argmap.load(SEED_MAP)
    out = tmp_path / "copy.yaml"
    argmap.dump(loaded.map, out)
    # the canonical form sorts relation lists, so compare meaning, not list order
    assert canonical_map_data(argmap.load(out).map) == canonical_map_data(loaded.map)
    assert argmap.loads(argmap.dumps(loaded.map, "json"), fmt="json").map == loaded.map


def test_no_color_and_no_traceback_env(tmp_path):
    env = dict(os.environ, NO_COLOR="1")
    r = subprocess.run([_script(), "export", str(tmp_path), "--to", "json"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "is a directory" in r.stderr and "\x1b[" not in r.stderr


def test_the_console_script_keeps_output_exit_codes_and_atexit(tmp_path):
    # argmap.cli.run (the console script) ends with os._exit after flushing and running atexit handlers.
    import subprocess
    import sys

    probe = (
        "import atexit, sys\n"
        "flag = sys.argv[1]\n"
        "def done():\n"
        "    with open(flag, 'w') as fh:\n"
        "        fh.write('ran')\n"
        "atexit.register(done)\n"
        "sys.argv = ['argmap', *sys.argv[2:]]\n"
        "from argmap.cli import run\n"
        "run()\n"
    )
    root = Path(__file__).resolve().parents[1]
    flag = tmp_path / "flag"
    big = subprocess.run([sys.executable, "-c", probe, str(flag), "export", "maps/nato-asia-pacific.yaml", "--to", "aif"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert big.returncode == 0 and flag.read_text() == "ran"
    assert len(big.stdout) > 65536 and json.loads(big.stdout)  # more than a pipe buffer, all of it
    missing = subprocess.run([sys.executable, "-c", probe, str(flag), "check", "no-such-map.yaml"],
                             cwd=root, capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "no such file" in missing.stdout + missing.stderr
    bad = subprocess.run([sys.executable, "-c", probe, str(flag), "no-such-command"],
                         cwd=root, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "No such command" in bad.stderr


def test_main_in_process_leaves_the_collector_on(monkeypatch, capsys):
    import gc

    from argmap import cli

    monkeypatch.setattr(sys, "argv", ["argmap", "check", str(SEED_MAP)])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 0
    assert "0 errors" in capsys.readouterr().out
    assert gc.isenabled()
