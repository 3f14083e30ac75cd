"""Atomic writes: a failed, interrupted or impossible write never harms the previous file.

Tests run as root in CI, so nothing here relies on file permissions: failures
are made by failing the system call, by a real full file system (a small
tmpfs, where the machine allows mounting one, and ``/dev/full``), and by
killing a process in the middle of a write.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from argmap.io import writing
from argmap.map.errors import WriteError
from argmap.io.loading import load_map, load_text
from argmap.io.writing import atomic_write, dump, dumps

from conftest import SEED_MAP

OLD = "argmap: 1\nnodes: []\n# the previous file\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def target(tmp_path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(OLD, encoding="utf-8")
    return path


def test_write_new_and_replace(tmp_path, target):
    atomic_write(target, "new content\n")
    assert target.read_text() == "new content\n"
    fresh = tmp_path / "fresh.txt"
    atomic_write(fresh, b"\x00bytes")
    assert fresh.read_bytes() == b"\x00bytes"
    assert leftovers(tmp_path) == []


def test_mode_of_replaced_file_is_kept_and_new_files_follow_umask(tmp_path, target):
    os.chmod(target, 0o640)
    atomic_write(target, "x")
    assert target.stat().st_mode & 0o777 == 0o640
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "new.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o640


@pytest.mark.parametrize("step", ["replace", "fsync", "chmod", "mkstemp"])
def test_failed_step_leaves_previous_file_intact(tmp_path, target, monkeypatch, step):
    def boom(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    if step == "mkstemp":
        monkeypatch.setattr(writing.tempfile, "mkstemp", boom)
    else:
        monkeypatch.setattr(writing.os, step, boom)
    with pytest.raises(WriteError) as info:
        atomic_write(target, "new content that must not appear\n")
    assert info.value.exit_code == 2
    assert str(info.value) == (
        f"{target}: could not be written (Input/output error); the previous file, if any, is unchanged."
    )
    assert target.read_text() == OLD
    assert leftovers(tmp_path) == []


def test_simulated_full_file_system(tmp_path, target, monkeypatch):
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            self.fh.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.fh, name)

    monkeypatch.setattr(writing.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    with pytest.raises(WriteError, match=r"could not be written \(the file system is full\); the previous file"):
        atomic_write(target, "x" * 100_000)
    assert target.read_text() == OLD
    assert leftovers(tmp_path) == []


def test_real_full_file_system_dev_full():
    """/dev/full is a real device whose every write fails with ENOSPC; devices are written directly."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    with pytest.raises(WriteError) as info:
        atomic_write("/dev/full", "x" * 10_000)
    assert str(info.value) == "/dev/full: could not be written (the file system is full)."


def test_devices_are_written_not_replaced():
    atomic_write("/dev/null", "discarded")
    assert Path("/dev/null").is_char_device()


@pytest.fixture
def small_fs(tmp_path):
    """A real 64 KiB tmpfs, where the machine lets us mount one (root with CAP_SYS_ADMIN)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here ({res.stderr.decode().strip() or res.returncode}); "
                    "the simulated and /dev/full tests cover this")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], capture_output=True)


def test_real_full_file_system_small_tmpfs(small_fs):
    target = small_fs / "map.yaml"
    target.write_text(OLD)
    with pytest.raises(WriteError, match="the file system is full"):
        atomic_write(target, "y" * 200_000)
    assert target.read_text() == OLD
    assert leftovers(small_fs) == []


def test_missing_folder(tmp_path):
    with pytest.raises(WriteError) as info:
        atomic_write(tmp_path / "nope" / "out.svg", "x")
    assert str(info.value) == f"{tmp_path / 'nope' / 'out.svg'}: the folder {tmp_path / 'nope'} does not exist; create it first."
    assert not (tmp_path / "nope").exists()


def test_target_is_a_directory(tmp_path):
    (tmp_path / "out.svg").mkdir()
    with pytest.raises(WriteError) as info:
        atomic_write(tmp_path / "out.svg", "x")
    assert str(info.value) == f"{tmp_path / 'out.svg'}: is a directory; give a file path to write to."


def test_parent_is_a_file(tmp_path, target):
    with pytest.raises(WriteError, match="is not a folder"):
        atomic_write(target / "inner.yaml", "x")
    assert target.read_text() == OLD


def test_bad_names_and_text(tmp_path):
    with pytest.raises(WriteError, match="cannot contain a NUL"):
        atomic_write(tmp_path / "a\x00b", "x")
    with pytest.raises(WriteError, match="not valid Unicode"):
        atomic_write(tmp_path / "s.txt", "lone \udc80 surrogate")
    assert not (tmp_path / "s.txt").exists()
    with pytest.raises(WriteError, match="File name too long"):
        atomic_write(tmp_path / ("n" * 300), "x")


def test_symlink_is_replaced_not_written_through(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.svg"
    link.symlink_to(victim)
    atomic_write(link, "<svg/>")
    assert victim.read_text() == "precious"
    assert not link.is_symlink() and link.read_text() == "<svg/>"


def test_keyboard_interrupt_mid_write_leaves_previous_file(tmp_path, target, monkeypatch):
    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(writing.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == OLD
    assert leftovers(tmp_path) == []


SLOW_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from argmap.io import writing
    real_fdopen = os.fdopen

    class Slow:
        def __init__(self, fh):
            self.fh = fh
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            self.fh.close()
        def write(self, data):
            for i in range(0, len(data), 65536):
                self.fh.write(data[i:i + 65536])
                self.fh.flush()
                if i == 65536 * 4:
                    print("half-way", flush=True)
                time.sleep(0.05)
        def __getattr__(self, name):
            return getattr(self.fh, name)

    writing.os.fdopen = lambda fd, mode: Slow(real_fdopen(fd, mode))
    writing.atomic_write(sys.argv[1], "argmap: 1\\nnodes: []\\n" + "# new\\n" * 2_000_000)
    print("done", flush=True)
    """
)


def test_process_killed_mid_write_leaves_previous_file(tmp_path, target):
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITER, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == "half-way"
        stray = leftovers(tmp_path)
        assert len(stray) == 1 and (tmp_path / stray[0]).stat().st_size > 0  # the write is really under way
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_text() == OLD
    assert load_map(target).map.nodes == []


def test_cli_export_killed_mid_write_leaves_previous_file(tmp_path):
    """The installed script, killed while it writes a big export: the old output survives."""
    exe = Path(sys.executable).with_name("argmap")
    if not exe.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    nodes = "".join(
        f"  - id: n{i}\n    kind: claim\n    text: Claim number {i} with some words.\n    supports: [n{i + 1}]\n"
        for i in range(8_000)
    )
    big = tmp_path / "big.yaml"
    big.write_text("argmap: 1\nnodes:\n" + nodes, encoding="utf-8")
    out = tmp_path / "out.json"
    out.write_text('{"previous": true}\n')
    proc = subprocess.Popen([str(exe), "export", str(big), "--to", "json", "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # kill it the moment its temporary file appears (or let it finish): old file or complete new one
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if leftovers(tmp_path):
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.001)
    proc.wait(timeout=30)
    text = out.read_text()
    assert text == '{"previous": true}\n' or len(load_text(text, name="out.json").map.nodes) == 8_000


def test_dump_picks_format_by_suffix(tmp_path):
    amap = load_map(SEED_MAP).map
    dump(amap, tmp_path / "m.json")
    dump(amap, tmp_path / "m.yaml")
    assert (tmp_path / "m.json").read_text().startswith("{\n")
    assert load_map(tmp_path / "m.json").map == amap
    from_yaml = load_map(tmp_path / "m.yaml").map  # argmap fmt's layout sorts relation lists by target
    assert [(n.id, sorted(r.to for r in n.supports)) for n in from_yaml.nodes] == [
        (n.id, sorted(r.to for r in n.supports)) for n in amap.nodes
    ]
    with pytest.raises(ValueError):
        dumps(amap, "toml")
