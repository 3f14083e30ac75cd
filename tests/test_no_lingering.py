"""Nothing argmap starts outlives argmap when it is killed (issue 16).

A CI runner that times out kills the job's processes (SIGTERM, later
SIGKILL). These tests start ``argmap render --svg`` and ``--html`` (which run
the layout binary as a child) and ``argmap check`` on a big map, kill argmap the way a
runner does, and look for any process argmap had started that is still
alive afterwards. Linux only: they read /proc (argmap's guarantee there is
the layout child's PR_SET_PDEATHSIG, see argmap.views.layout).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARGMAP = Path(sys.executable).parent / "argmap"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not Path("/proc/self/stat").exists(),
                                reason="reads /proc; the layout child's parent-death signal is Linux only")


def _stat(pid: int) -> tuple[str, int] | None:
    """(state, parent pid) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()
    return fields[0], int(fields[1])


def _descendants(pid: int) -> set[int]:
    parent_of = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            st = _stat(int(entry))
            if st is not None:
                parent_of[int(entry)] = st[1]
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent_of.items() if pp in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    """The processes of ``pids`` still running (a zombie has ended: it only waits to be reaped)."""
    return {p for p in pids if (st := _stat(p)) is not None and st[0] != "Z"}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _end(pids: set[int]) -> None:
    """Kill what a failing run left behind (the test's own processes), so a failure leaves nothing."""
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def _kill_when_child_runs(cmd: list[str], sig: int, wanted: str, env: dict | None = None,
                          wait_for: float = 60.0) -> tuple[set[int], set[int]]:
    """Start ``cmd``; once a descendant whose command line holds ``wanted`` runs, send ``sig``
    to argmap alone. Returns (its descendants just before, those still alive 3 s after)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + wait_for
        kids: set[int] = set()
        while time.monotonic() < deadline and proc.poll() is None:
            kids = _descendants(proc.pid)
            if any(wanted in _cmdline(k) for k in kids):
                break
            time.sleep(0.02)
        else:
            pytest.fail(f"no {wanted!r} child appeared (argmap exited {proc.returncode})")
        proc.send_signal(sig)
        proc.wait(timeout=30)
        left = _alive(kids)
        end = time.monotonic() + 3.0
        while left and time.monotonic() < end:
            time.sleep(0.05)
            left = _alive(kids)
        _end(left)
        return kids, left
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture()
def slow_dot(tmp_path) -> Path:
    """A stand-in layout binary that never finishes on its own (a layout of a huge map)."""
    script = tmp_path / "slow-dot"
    script.write_text("#!/bin/sh\nexec sleep 600\n")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize("fmt", ["svg", "html"])  # the page makes its article while the layout runs
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_render_leaves_no_layout_process(tmp_path, slow_dot, sig, fmt):
    env = {**os.environ, "ARGMAP_DOT": str(slow_dot)}
    kids, left = _kill_when_child_runs(
        [str(ARGMAP), "render", str(ROOT / "maps" / "nato-asia-pacific.yaml"), f"--{fmt}",
         "-o", str(tmp_path / f"x.{fmt}")],
        sig, "sleep 600", env)
    assert kids
    assert not left, [(p, _cmdline(p)) for p in left]


def test_a_killed_render_of_a_big_map_leaves_no_graphviz(tmp_path):
    sys.path.insert(0, str(ROOT / "bench"))
    from genmap import generate

    path = tmp_path / "big.json"
    path.write_text(json.dumps(generate(4000, "mixed", seed=2)), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "ARGMAP_DOT"}
    kids, left = _kill_when_child_runs([str(ARGMAP), "render", str(path), "--svg", "-o", str(tmp_path / "big.svg")],
                                       signal.SIGKILL, "graphviz-pure", env)
    assert not left, [(p, _cmdline(p)) for p in left]


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_check_of_a_big_map_leaves_nothing_running(tmp_path, sig):
    sys.path.insert(0, str(ROOT / "bench"))
    from genadv import generate

    path = tmp_path / "big.json"
    path.write_text(json.dumps(generate(10_000, "smallvocab", 3)), encoding="utf-8")
    proc = subprocess.Popen([str(ARGMAP), "check", str(path)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        kids: set[int] = set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and proc.poll() is None and not kids:
            kids = _descendants(proc.pid)  # a helper process, if this check starts one
            time.sleep(0.01)
        if proc.poll() is None:
            proc.send_signal(sig)
        proc.wait(timeout=30)
        left = _alive(kids)
        end = time.monotonic() + 3.0  # what it started may end its own work, but not go on much longer
        while left and time.monotonic() < end:
            time.sleep(0.05)
            left = _alive(kids)
        _end(left)
        assert not left, [(p, _cmdline(p)) for p in left]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
