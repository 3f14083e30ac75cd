"""Running some rules in a second process, while the others run.

On a big map the near-duplicate search (AM302) takes about as long as every
other rule together, and it needs nothing but the node texts. On a machine
with a second core it runs in a forked child process while the parent runs
the other rules; the child sends back its problems (plain data, by
:mod:`marshal`) through a pipe, and the parent gives them positions and
severities as it does its own (:data:`argmap.checks.runner.SIDE_RULES`).

The result is the same either way: whenever the child cannot be used (no
``fork`` on this platform, one core, threads running, the child failed or
was killed, a result marshal cannot write, ``ARGMAP_WORKERS=1``) the parent
computes it itself. Only Linux forks here: Windows has no fork, and on macOS
forking a process that has loaded system frameworks is unsafe (Python starts
processes there by spawning, which costs more than it saves). Small maps never fork
(:data:`MIN_ITEMS`): the fork costs more than the work.
"""

from __future__ import annotations

import marshal
import os
import sys
from typing import Any, Callable

MIN_ITEMS = 2000  # below this many texts the work takes a few ms: no fork


def can_fork(items: int) -> bool:
    """Whether a job over ``items`` texts should go to a forked child."""
    if items < MIN_ITEMS or os.environ.get("ARGMAP_WORKERS", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - Linux has it
        cores = os.cpu_count() or 1
    if cores < 2:
        return False
    import threading

    return threading.active_count() == 1  # forking a process with threads is unsafe


class Job:
    """``func(*args)``, computed in a forked child when possible, else on demand here.

    Call :meth:`result` once to get the value; :meth:`close` (also called by
    :meth:`result`) reaps the child. The value must be plain data that
    :mod:`marshal` can write (numbers, strings, tuples, lists, dicts).
    """

    def __init__(self, func: Callable[..., Any], *args: Any, fork: bool = False):
        self._func = func
        self._args = args
        self._pid = 0
        self._fd = -1
        self._status = -1  # the child's exit code, once reaped
        if fork:
            self._start()

    def _start(self) -> None:
        try:
            r, w = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory: compute here instead
            os.close(r)
            os.close(w)
            return
        if pid == 0:  # the child: compute, write, and leave without any cleanup
            code = 1
            try:
                os.close(r)
                data = marshal.dumps(self._func(*self._args))
                view = memoryview(data)
                while view:
                    view = view[os.write(w, view):]
                code = 0
            except BaseException:  # the parent computes it itself
                pass
            finally:
                os._exit(code)
        os.close(w)
        self._pid, self._fd = pid, r

    def _collect(self) -> tuple[bool, Any]:
        """Read the child's answer: ``(True, value)``, or ``(False, None)`` when it gave none."""
        chunks = []
        try:
            while True:
                chunk = os.read(self._fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
        except OSError:
            chunks = None
        finally:
            self.close(wait=chunks is not None)  # after EOF the child is leaving: wait for it
        if chunks is None or self._status != 0:
            return False, None
        try:
            return True, marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return False, None

    def close(self, *, wait: bool = False) -> None:
        """Reap the child (killing it if it still runs, unless ``wait``); safe to call twice."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._pid:
            pid, self._pid = self._pid, 0
            try:
                done, status = os.waitpid(pid, 0 if wait else os.WNOHANG)
                if done == 0:  # still working: nobody wants the answer any more
                    import signal

                    os.kill(pid, signal.SIGKILL)
                    done, status = os.waitpid(pid, 0)
                self._status = os.waitstatus_to_exitcode(status)
            except (ChildProcessError, OSError):  # pragma: no cover - reaped elsewhere
                self._status = -1

    def result(self) -> Any:
        if self._fd >= 0:
            ok, value = self._collect()
            if ok:
                return value
        return self._func(*self._args)
