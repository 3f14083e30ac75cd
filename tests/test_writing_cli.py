"""Every command that writes, through the installed script: impossible targets and failed runs.

A folder that does not exist, a target that is a directory, a target whose
parent is a file: one clear message and exit 2, nothing created. A failing or
hanging layout binary (``ARGMAP_DOT``) and a full file system (``/dev/full``
as the output): the previous output file stays byte for byte as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
VALID = HERE / "data" / "hostile" / "valid.yaml"
EXE = Path(sys.executable).with_name("argmap")
TIMEOUT = 120

ARTICLE = "Cats are better pets than dogs. They need no walks. But dogs protect the house.\n"

WRITERS = [
    pytest.param(["render", "{map}", "--svg", "-o", "{out}"], "out.svg", id="render-svg"),
    pytest.param(["render", "{map}", "--dot", "-o", "{out}"], "out.dot", id="render-dot"),
    pytest.param(["render", "{map}", "--html", "-o", "{out}"], "out.html", id="render-html"),
    pytest.param(["export", "{map}", "--to", "aif", "-o", "{out}"], "out.json", id="export"),
    pytest.param(["import", "{aif}", "-q", "-o", "{out}"], "out.yaml", id="import"),
    pytest.param(["extract", "{article}", "-o", "{out}"], "out.yaml", id="extract"),
    pytest.param(["check", "{map}", "--format", "json", "-o", "{out}"], "out.json", id="check-report"),
]


def run(args, cwd, env=None):
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    try:
        return subprocess.run([str(EXE), *args], capture_output=True, timeout=TIMEOUT, cwd=cwd,
                              env={**os.environ, "NO_COLOR": "1", **(env or {})}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"argmap {' '.join(args)} did not finish in {TIMEOUT} s")


@pytest.fixture
def inputs(tmp_path):
    (tmp_path / "map.yaml").write_bytes(VALID.read_bytes())
    (tmp_path / "article.txt").write_text(ARTICLE)
    res = run(["export", str(tmp_path / "map.yaml"), "--to", "aif", "-o", str(tmp_path / "in.json")], tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    return {"map": tmp_path / "map.yaml", "aif": tmp_path / "in.json", "article": tmp_path / "article.txt"}


def fill(argv, inputs, out):
    return [a.replace("{map}", str(inputs["map"])).replace("{aif}", str(inputs["aif"]))
            .replace("{article}", str(inputs["article"])).replace("{out}", str(out)) for a in argv]


def one_clear_message(res) -> str:
    err = res.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert 1 <= len(lines) <= 2, err
    return err


@pytest.mark.parametrize(("argv", "name"), WRITERS)
def test_folder_does_not_exist(argv, name, inputs, tmp_path):
    out = tmp_path / "no" / "such" / name
    res = run(fill(argv, inputs, out), tmp_path)
    err = one_clear_message(res)
    assert res.returncode == 2, err
    assert "does not exist" in err and str(out.parent) in err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize(("argv", "name"), [w for w in WRITERS if w.values[0][0] != "render"])
def test_target_is_a_directory(argv, name, inputs, tmp_path):
    """(render documents -o FOLDER as "write into this folder", so it is not in this list.)"""
    out = tmp_path / name
    out.mkdir()
    (out / "keep.txt").write_text("keep")
    res = run(fill(argv, inputs, out), tmp_path)
    err = one_clear_message(res)
    assert res.returncode == 2, err
    assert "directory" in err or "folder" in err, err
    assert (out / "keep.txt").read_text() == "keep"


@pytest.mark.parametrize(("argv", "name"), WRITERS)
def test_parent_is_a_file(argv, name, inputs, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file")
    res = run(fill(argv, inputs, blocker / name), tmp_path)
    err = one_clear_message(res)
    assert res.returncode == 2, err
    assert blocker.read_text() == "a file"


@pytest.mark.parametrize(("argv", "name"), WRITERS)
def test_full_file_system(argv, name, inputs, tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    res = run(fill(argv, inputs, "/dev/full"), tmp_path)
    err = res.stderr.decode()
    assert "Traceback" not in err and "internal error" not in err, err
    if res.returncode == 0:  # a command that refuses to write onto what is not a map would say so
        pytest.fail(f"writing onto /dev/full succeeded?\n{err}")
    assert res.returncode == 2, err
    assert "full" in err or "not an argmap map" in err or "--force" in err, err


def fake_dot(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-dot"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("body", "extra", "expect"),
    [
        ('echo "Error: syntax error in line 1" >&2; exit 1', [], "Error: syntax error"),
        ("echo '<svg>half' ; kill -9 $$", [], ""),
        ("sleep 30", ["--timeout", "2"], "did not finish within 2 s"),
    ],
    ids=["layout-fails", "layout-killed", "layout-hangs"],
)
def test_failing_layout_leaves_previous_output(body, extra, expect, inputs, tmp_path):
    out = tmp_path / "map.svg"
    out.write_text("<svg>the previous drawing</svg>\n")
    dot = fake_dot(tmp_path, body)
    res = run(["render", str(inputs["map"]), "--svg", "-o", str(out), *extra], tmp_path, env={"ARGMAP_DOT": str(dot)})
    err = one_clear_message(res)
    assert res.returncode == 2, err
    assert expect in err
    assert out.read_text() == "<svg>the previous drawing</svg>\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
