"""Rules in a second process: same answer, no stray processes.

On a big map a forked child runs the near-duplicate search while the other
rules run (see argmap.checks.background and runner.SIDE_RULES). These tests hold the
child to the answer the parent would compute itself, check that every way
the child can fail falls back to that, and that no child is ever left behind.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from argmap.checks import background
from argmap.checks.background import Job, can_fork
from argmap.checks.reasoning import first_near_duplicates
from argmap.checks import runner
from argmap.checks.runner import check_file, run_checks
from argmap.io.config import Config
from argmap.io.loading import load_text

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only; elsewhere nothing forks")


def _no_children_left() -> bool:
    try:
        pid, _ = os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return pid == 0 and not _children()


def _children() -> list[str]:
    """Pids of live child processes of this process (Linux /proc)."""
    me = str(os.getpid())
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == me and fields[0] != "Z":
            out.append(entry)
    return out


def _texts(n: int) -> list[str]:
    words = ["tax", "homes", "empty", "rents", "cities", "owners", "supply", "flats", "market", "short"]
    out = []
    for k in range(n):
        a, b, c = words[k % 10], words[(k // 10) % 10], words[(k // 100) % 10]
        out.append(f"Node {k} says {a} {b} {c} matter for w{k} and v{k // 2} here.")
    out[n // 2] = out[3].replace("here", "there")  # one near-duplicate pair, far apart
    out[n - 1] = out[7]  # and one exact copy
    return out


def _pid_of_parent_or_fail():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            raise RuntimeError("the child fails")
        return [(1, 2, 3.5)]

    return work


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork path runs on Linux only")
def test_forked_result_equals_the_one_computed_here():
    texts = _texts(3000)
    want = first_near_duplicates(texts)
    assert want, "the fixture must hold near-duplicates, or the test proves nothing"
    job = Job(first_near_duplicates, texts, fork=True)
    assert job._pid > 0, "Job(fork=True) must start a child"
    got = [tuple(t) for t in job.result()]
    assert got == want
    assert job._status == 0
    assert _no_children_left()


def test_a_failing_child_falls_back_to_computing_here():
    job = Job(_pid_of_parent_or_fail(), fork=True)
    assert job._pid > 0
    assert job.result() == [(1, 2, 3.5)]
    assert job._status == 1  # the child failed, the parent answered
    assert _no_children_left()


def _slow_in_the_child(answer):
    """Work that takes 30 s in a child process and none here."""
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            time.sleep(30)
        return answer

    return work


def test_a_killed_child_falls_back_and_is_reaped():
    job = Job(_slow_in_the_child("here"), fork=True)
    os.kill(job._pid, 9)
    assert job.result() == "here"
    assert _no_children_left()


def test_an_abandoned_child_is_killed_at_close():
    job = Job(_slow_in_the_child(1), fork=True)
    pid = job._pid
    start = time.monotonic()
    job.close()
    assert time.monotonic() - start < 5, "close must not wait for a child nobody needs"
    assert job._status == -9
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    job.close()  # twice is fine


def test_a_result_marshal_cannot_write_falls_back():
    job = Job(lambda: object(), fork=True)  # marshal refuses an object: the child exits 1
    value = job.result()
    assert type(value) is object
    assert _no_children_left()


def test_without_fork_nothing_forks(monkeypatch):
    def no_fork():
        raise AssertionError("must not fork")

    monkeypatch.setattr(os, "fork", no_fork)
    assert Job(lambda x: x * 2, 21).result() == 42


def test_fork_failure_computes_here(monkeypatch):
    def failing_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", failing_fork)
    job = Job(lambda: "ok", fork=True)
    assert job._pid == 0
    assert job.result() == "ok"


def test_when_to_fork(monkeypatch):
    monkeypatch.delenv("ARGMAP_WORKERS", raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    assert can_fork(background.MIN_ITEMS)
    assert not can_fork(background.MIN_ITEMS - 1)  # small maps: the fork costs more than the work
    monkeypatch.setenv("ARGMAP_WORKERS", "1")
    assert not can_fork(10**6)
    monkeypatch.delenv("ARGMAP_WORKERS")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not can_fork(10**6)  # one core: nothing to gain
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not can_fork(10**6)  # threads running: forking is unsafe
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    monkeypatch.setattr(sys, "platform", "darwin")
    assert not can_fork(10**6)


def _map_text(texts: list[str]) -> str:
    """A map of these texts, quoting an article made of them (one quote missing, one repeated)."""
    article = "\n\n".join(texts[k] for k in range(0, len(texts), 2))
    lines = ["argmap: 1", "source:", "  text: |"]
    lines += [f"    {line}" if line else "" for line in article.split("\n")]
    lines += ["nodes:", "  - id: t", "    kind: thesis", "    text: The thesis of it all."]
    for k, t in enumerate(texts):
        lines += [f"  - id: n{k}", "    kind: claim", f"    text: {t}", "    supports: [t]"]
        if k % 2 == 0:
            lines.append(f"    quote: {t}")
    lines += ["  - id: missing", "    kind: claim", "    text: A quote the article lacks.",
              "    quote: Words nobody wrote down here.", "    supports: [t]",
              "  - id: again", "    kind: claim", "    text: The same words once more, quoted.",
              f"    quote: {texts[10]}", "    supports: [t]"]
    return "\n".join(lines) + "\n"


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The pids of the children os.fork starts during the test (it still forks)."""
    started: list[int] = []
    real_fork = os.fork

    def counting_fork():
        pid = real_fork()
        if pid:
            started.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counting_fork)
    return started


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork path runs on Linux only")
def test_check_gives_the_same_diagnostics_with_and_without_the_child(monkeypatch, forks):
    loaded = load_text(_map_text(_texts(2500)), name="big.yaml")
    statuses = []
    real_result = Job.result

    def result(job):
        value = real_result(job)
        statuses.append(job._status)
        return value

    monkeypatch.setattr(background, "can_fork", lambda n: True)
    monkeypatch.setattr(Job, "result", result)
    with_child = run_checks(loaded, Config())
    assert len(forks) == 1
    assert statuses == [0], "the child's own answer must be the one used"
    monkeypatch.setattr(background, "can_fork", lambda n: False)
    here = run_checks(loaded, Config())
    assert len(forks) == 1
    assert with_child == here
    near = [d for d in here if d.rule == "AM302"]
    assert len(near) == 2 and {d.node for d in near} == {"n1250", "n2499"}
    assert [d.node for d in here if d.rule == "AM203"] == ["missing"]  # and the parent's own rules
    assert [d.node for d in here if d.rule == "AM204"] == ["again"]
    assert _no_children_left()


def test_a_rule_that_fails_leaves_no_child(monkeypatch, forks):
    from argmap.checks import registry

    loaded = load_text(_map_text(_texts(2500)), name="big.yaml")
    monkeypatch.setattr(background, "can_fork", lambda n: True)
    import msgspec

    def broken(ctx):
        raise RuntimeError("a bug in a rule")
        yield  # pragma: no cover

    monkeypatch.setitem(registry.RULES, "AM101", msgspec.structs.replace(registry.RULES["AM101"], func=broken))
    with pytest.raises(RuntimeError):
        run_checks(loaded, Config())
    assert len(forks) == 1
    assert _no_children_left()


def test_no_child_when_its_rules_are_off(monkeypatch, tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text(_map_text(_texts(2500)), encoding="utf-8")
    monkeypatch.setattr(background, "can_fork", lambda n: True)

    def no_fork():
        raise AssertionError("the rules a child would run are ignored: nothing to fork for")

    monkeypatch.setattr(os, "fork", no_fork)
    result = check_file(str(path), Config(ignore=tuple(runner.SIDE_RULES)))
    assert result.status == "checked"
    assert {d.rule for d in result.diagnostics} == {"AM203", "AM204"}
