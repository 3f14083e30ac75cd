"""argmap render from the command line: outputs, options, errors, atomic writes."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from defusedxml.ElementTree import fromstring
from typer.testing import CliRunner

from argmap.cli import app
from conftest import ROOT, SEED_MAP

MAPS = ROOT / "tests" / "maps" / "render"
SVG = "{http://www.w3.org/2000/svg}"


def run(*args, **kw):
    return CliRunner().invoke(app, ["render", *map(str, args)], catch_exceptions=False, **kw)


def _node_ids(svg: str) -> set[str]:
    root = fromstring(svg.encode("utf-8"))
    return {g.get("id")[5:] for g in root.iter(f"{SVG}g")
            if "node" in (g.get("class") or "").split() and (g.get("id") or "").startswith("node-")}


@pytest.fixture
def seed_copy(tmp_path):
    p = tmp_path / "seed.yaml"
    shutil.copy(SEED_MAP, p)
    return p


def test_svg_next_to_the_map(seed_copy):
    r = run(seed_copy, "--svg")
    assert r.exit_code == 0, r.output
    out = seed_copy.with_suffix(".svg")
    assert f"wrote {out} (59 nodes" in r.stderr
    assert "layout: every relation places the nodes" in r.stderr
    assert len(_node_ids(out.read_text())) == 59


def test_default_format_is_svg_and_several_formats_at_once(seed_copy):
    assert run(seed_copy).exit_code == 0
    assert seed_copy.with_suffix(".svg").exists()
    r = run(seed_copy, "--png", "--dot")
    assert r.exit_code == 0
    assert seed_copy.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    assert seed_copy.with_suffix(".dot").read_text().startswith("digraph argmap {")


def test_stdout_and_output_file(tmp_path):
    r = run(MAPS / "kinds.yaml", "--svg", "-o", "-")
    assert r.exit_code == 0
    assert r.stdout.lstrip().startswith("<?xml") and "wrote standard output" in r.stderr
    out = tmp_path / "k.svg"
    assert run(MAPS / "kinds.yaml", "-o", out).exit_code == 0
    assert "t" in _node_ids(out.read_text())


def test_node_and_depth(tmp_path):
    out = tmp_path / "n.svg"
    r = run(SEED_MAP, "--node", "claim-tactical-approach", "--depth", "1", "-o", out)
    assert r.exit_code == 0, r.output
    ids = _node_ids(out.read_text())
    assert "claim-tactical-approach" in ids and "thesis" not in ids and len(ids) == 8
    assert 'class="node claim focus"' in out.read_text()
    r = run(SEED_MAP, "--depth", "0", "-o", out)
    assert _node_ids(out.read_text()) == {"thesis"}


def test_unknown_node_is_a_usage_error():
    r = run(SEED_MAP, "--node", "thesiss")
    assert r.exit_code == 2
    assert "there is no node 'thesiss' (did you mean 'thesis'?)" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["--rankdir", "UP"], "--rankdir must be auto, TB, LR, BT or RL"),
    (["--strategy", "magic"], "--strategy must be"),
    (["--timeout", "0"], "--timeout must be a positive"),
    (["--svg", "--png", "-o", "x.svg"], "-o names one file"),
])
def test_bad_options(args, message):
    r = run(SEED_MAP, *args)
    assert r.exit_code == 2 and message in r.stderr


def test_rankdir_lr(tmp_path):
    out = tmp_path / "m.dot"
    assert run(SEED_MAP, "--dot", "--rankdir", "lr", "-o", out).exit_code == 0
    assert "rankdir=RL" in out.read_text()


def test_problems_highlighted(tmp_path):
    out = tmp_path / "d.svg"
    r = run(MAPS / "dangling.yaml", "--problems", "-o", out)
    assert r.exit_code == 0
    assert "2 nodes with problems highlighted" in r.stderr
    svg = out.read_text()
    assert 'class="node claim problem"' in svg and "AM102 dangling&#45;relation" in svg
    r = run(MAPS / "dangling.yaml", "-o", out)
    assert "with problems highlighted" not in r.stderr and 'class="node claim problem"' not in out.read_text()


def test_broken_and_missing_maps(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes:\n  - id: a\n    kind: thesys\n    text: x\n")
    r = run(bad)
    assert r.exit_code == 1 and "is not a node kind" in r.stderr
    r = run(tmp_path / "missing.yaml")
    assert r.exit_code == 2 and "no such file" in r.stderr
    assert not (tmp_path / "bad.svg").exists()


def test_folder_of_maps(tmp_path):
    folder = tmp_path / "maps"
    folder.mkdir()
    for name in ("kinds", "shared"):
        shutil.copy(MAPS / f"{name}.yaml", folder / f"{name}.yaml")
    (folder / "notes.yaml").write_text("just: some config\n")
    r = run(folder, "--svg")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in folder.glob("*.svg")) == ["kinds.svg", "shared.svg"]
    # one broken map: the others are still drawn, the exit code says so
    (folder / "zz-broken.yaml").write_text("argmap: 1\nnodes: 3\n")
    outdir = tmp_path / "out"
    outdir.mkdir()
    r = run(folder, "-o", outdir)
    assert r.exit_code == 1
    assert sorted(p.name for p in outdir.iterdir()) == ["kinds.svg", "shared.svg"]


def test_default_map_from_maps_folder(tmp_path, monkeypatch):
    (tmp_path / "maps").mkdir()
    shutil.copy(MAPS / "kinds.yaml", tmp_path / "maps" / "only.yaml")
    monkeypatch.chdir(tmp_path)
    r = run("--dot")
    assert r.exit_code == 0 and (tmp_path / "maps" / "only.dot").exists()
    shutil.copy(MAPS / "shared.yaml", tmp_path / "maps" / "second.yaml")
    r = run("--dot")
    assert r.exit_code == 2 and "./maps holds 2 maps" in r.stderr


def _script(path: Path, body: str) -> str:
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_failing_layout_keeps_the_previous_file(tmp_path, monkeypatch):
    out = tmp_path / "m.svg"
    out.write_text("previous drawing")
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", 'echo "Error: out of memory" >&2; exit 1'))
    r = run(SEED_MAP, "-o", out)
    assert r.exit_code == 2
    assert r.stderr.strip() == f"argmap: Graphviz ({tmp_path / 'dot'}) failed: Error: out of memory"
    assert out.read_text() == "previous drawing"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_timeout_option(tmp_path, monkeypatch):
    monkeypatch.setenv("ARGMAP_DOT", _script(tmp_path / "dot", "exec sleep 10"))
    r = run(SEED_MAP, "-o", tmp_path / "m.svg", "--timeout", "0.5")
    assert r.exit_code == 2
    assert "did not finish within 0.5 s; raise --timeout" in r.stderr
    assert not (tmp_path / "m.svg").exists()


def test_no_graphviz_exit_code(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("ARGMAP_DOT", raising=False)
    r = run(SEED_MAP, "-o", tmp_path / "m.svg")
    assert r.exit_code == 2
    assert r.stderr.startswith("argmap: Graphviz is not available")
    assert len(r.stderr.strip().splitlines()) == 1
    # the DOT needs no Graphviz
    assert run(SEED_MAP, "--dot", "-o", tmp_path / "m.dot").exit_code == 0


def test_pdf(tmp_path, system_dot, monkeypatch):
    monkeypatch.delenv("ARGMAP_DOT", raising=False)
    out = tmp_path / "m.pdf"
    r = run(SEED_MAP, "--pdf", "-o", out)
    assert r.exit_code == 0 and out.read_bytes().startswith(b"%PDF")


def test_fast_strategy_on_the_seed(tmp_path):
    out = tmp_path / "m.svg"
    r = run(SEED_MAP, "--strategy", "fast", "-o", out)
    assert r.exit_code == 0 and "drawn straight over it" in r.stderr
    assert len(_node_ids(out.read_text())) == 59


def test_installed_script(tmp_path):
    """The console script as users get it (a real process)."""
    exe = Path(sys.executable).parent / "argmap"
    out = tmp_path / "seed.svg"
    p = subprocess.run([str(exe), "render", str(SEED_MAP), "--svg", "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stderr.startswith(f"wrote {out}")
    assert len(_node_ids(out.read_text())) == 59


def test_progress_bar_on_a_terminal_when_it_takes_a_while(tmp_path):
    """Several maps, stderr a terminal: a progress bar appears once rendering takes over half a second."""
    import pty
    import select

    folder = tmp_path / "maps"
    folder.mkdir()
    for i in range(4):
        shutil.copy(MAPS / "kinds.yaml", folder / f"m{i}.yaml")
    exe = Path(sys.executable).parent / "argmap"
    master, slave = pty.openpty()
    # (the bar starts after ARGMAP_PROGRESS_AFTER seconds, 0.5 by default; 0 here to keep the test short)
    p = subprocess.Popen([str(exe), "render", str(folder), "--dot"], stdout=subprocess.PIPE, stderr=slave,
                         env={**os.environ, "COLUMNS": "120", "TERM": "xterm", "ARGMAP_PROGRESS_AFTER": "0"})
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
        elif p.poll() is not None:
            break
    p.wait()
    os.close(master)
    err = b"".join(chunks).decode("utf-8", "replace")
    assert p.returncode == 0
    assert len(list(folder.glob("*.dot"))) == 4
    assert "rendering" in err and "/4" in err  # the bar: "rendering ━━━━ 3/4 ..."
    assert err.count("wrote ") == 4


def test_map_from_stdin_goes_to_stdout(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("-", "--dot", input=SEED_MAP.read_text(encoding="utf-8"))
    assert r.exit_code == 0 and r.stdout.startswith("digraph argmap {")
    assert list(tmp_path.iterdir()) == []
