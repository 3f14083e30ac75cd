"""Finding and running the Graphviz layout binary, with clear errors.

Which binary (the first that applies):

1. ``ARGMAP_DOT``, when set: the path (or command name) of a ``dot`` binary;
2. ``graphviz-pure`` next to the running interpreter (the pinned static port
   of Graphviz's ``dot`` that installs with argmap), or on ``PATH``;
3. a system Graphviz ``dot`` on ``PATH``.

PDF needs a Graphviz built with cairo: the bundled port cannot write it, so
``--pdf`` uses ``ARGMAP_DOT`` or a system ``dot``.

The binary runs as an argument list (never through a shell), the DOT on its
standard input, with a time limit. A DOT source with the ``fast`` marker of
:mod:`argmap.views.dot` is laid out in two passes: the spanning tree with ``dot``
(``-Tdot`` keeps the positions), then the remaining relations drawn as
straight lines over the fixed layout (``neato -n2``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from argmap.map.errors import ToolError, UsageError

DEFAULT_TIMEOUT = 120.0
FORMATS = ("svg", "png", "pdf", "dot")
BUNDLED_NAME = "graphviz-pure"
AFTER_LAYOUT_MARKER = "// argmap: drawn after layout"  # the same as argmap.views.dot's


@dataclass(frozen=True)
class Binary:
    path: str
    origin: str  # "ARGMAP_DOT", "bundled" or "system"

    @property
    def bundled(self) -> bool:
        return self.origin == "bundled"


def _bundled() -> str | None:
    exe = BUNDLED_NAME + (".exe" if os.name == "nt" else "")
    here = Path(sys.executable).parent / exe
    if here.is_file() and os.access(here, os.X_OK):
        return str(here)
    return shutil.which(BUNDLED_NAME)


def find_binary(fmt: str = "svg") -> Binary:
    """The layout binary to use for output format ``fmt``; ToolError when there is none."""
    env = os.environ.get("ARGMAP_DOT")
    if env:
        found = shutil.which(env) if not os.path.dirname(env) else (env if os.path.isfile(env) else None)
        if not found:
            raise ToolError(f"ARGMAP_DOT is set to {env!r}, but no such program exists; "
                            "point it at a Graphviz 'dot' binary or unset it.")
        return Binary(found, "ARGMAP_DOT")
    if fmt != "pdf":
        bundled = _bundled()
        if bundled:
            return Binary(bundled, "bundled")
    system = shutil.which("dot")
    if system:
        return Binary(system, "system")
    if fmt == "pdf":
        raise ToolError("PDF output needs a system Graphviz ('dot' on PATH, or ARGMAP_DOT): the bundled "
                        "graphviz-pure cannot write PDF; install Graphviz, or use --svg or --png.")
    raise ToolError("Graphviz is not available: neither the bundled graphviz-pure binary nor a system "
                    "'dot' was found; reinstall argmap (pip install argmap) or install Graphviz, "
                    "or set ARGMAP_DOT to a dot binary.")


class _Pass:
    """One run of the layout binary on ``source``, started at once and waited for by
    :meth:`result`, so the caller can work while it runs (``render --html``).

    The DOT comes from a file and the drawing and any messages go to files: through
    pipes, Python would have to copy them while the binary runs.
    """

    def __init__(self, binary: Binary, args: list[str], source: bytes, deadline: float, timeout: float):
        self.binary, self.deadline, self.timeout = binary, deadline, timeout
        if deadline - time.monotonic() <= 0:
            raise _timeout(timeout)
        self.files = given, self.drawn, self.errs = [tempfile.TemporaryFile() for _ in range(3)]
        given.write(source)
        given.seek(0)
        try:
            self.proc = subprocess.Popen([binary.path, *args], stdin=given, stdout=self.drawn, stderr=self.errs,
                                         **_dies_with_argmap())
        except OSError as exc:
            self.close()
            what = {FileNotFoundError: "not found", PermissionError: "permission denied"}.get(
                type(exc), exc.strerror or str(exc))
            raise ToolError(f"Graphviz binary {binary.path} ({binary.origin}) could not be started: {what}.") from None

    def result(self) -> bytes:
        """What the binary wrote, once it has ended; ToolError when it failed or ran out of time."""
        try:
            try:
                code = self.proc.wait(timeout=max(self.deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                raise _timeout(self.timeout) from None
            self.drawn.seek(0)
            self.errs.seek(0)
            out, err = self.drawn.read(), self.errs.read()
        finally:
            self.close()
        if code != 0 or not out:
            lines = err.decode("utf-8", "replace").strip().splitlines()
            # the last line usually says what went wrong; warnings come first
            reasons = [line for line in lines if not line.lower().startswith("warning")] or lines
            reason = reasons[-1].strip() if reasons else f"exit code {code}, no output"
            raise ToolError(f"Graphviz ({self.binary.path}) failed: {reason[:300]}")
        return out

    def close(self) -> None:
        """End the binary if it still runs, and remove its files."""
        proc = getattr(self, "proc", None)
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait()
        for f in self.files:
            f.close()


def _dies_with_argmap() -> dict:
    """``subprocess`` options that end the layout process when argmap ends, however it ends.

    A CI runner that times out kills argmap (SIGTERM or SIGKILL); without this the
    layout binary would go on for as long as the layout takes, with no parent. On
    Linux the child asks the kernel for SIGKILL when its parent dies
    (``PR_SET_PDEATHSIG``, kept across exec), and exits at once if argmap died
    before it asked. Elsewhere nothing is added (the time limit still applies).
    The signal comes when the *thread* that started the binary ends, and
    ``preexec_fn`` is safe only in a process with one thread: argmap starts the
    layout from its main thread, with no other thread running (``render
    --html`` works while the binary runs, in the same thread, and collects the
    drawing after).
    """
    if not sys.platform.startswith("linux"):
        return {}
    import ctypes
    import signal

    try:
        prctl = ctypes.CDLL("libc.so.6", use_errno=True).prctl
    except (OSError, AttributeError):  # another C library: do without
        return {}
    parent = os.getpid()

    def in_child() -> None:  # runs in the child between fork and exec
        prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        if os.getppid() != parent:  # argmap died before the request took effect
            os._exit(1)

    return {"preexec_fn": in_child}


def _timeout(timeout: float) -> ToolError:
    return ToolError(
        f"the Graphviz layout did not finish within {timeout:g} s; raise --timeout, or draw part of "
        "the map with --node ID --depth N."
    )


class LayoutJob:
    """A layout started by :func:`start_layout`: :meth:`result` waits for the drawing,
    :meth:`close` ends the binary if it still runs (use it as a context manager)."""

    def __init__(self, dot_source: str, fmt: str, timeout: float, binary: Binary | None):
        if fmt not in FORMATS:
            raise UsageError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}.")
        if timeout is None or timeout <= 0:
            raise UsageError("the timeout must be a positive number of seconds.")
        self.fmt, self.timeout = fmt, timeout
        self.binary = binary or find_binary(fmt)
        self.deadline = time.monotonic() + timeout
        marker = dot_source.find("\n" + AFTER_LAYOUT_MARKER)
        self.tail: str | None = None
        if marker < 0:
            self.running = _Pass(self.binary, [f"-T{fmt}"], dot_source.encode("utf-8"), self.deadline, timeout)
            return
        # pass 1: lay out everything above the marker (the spanning tree); -Tdot keeps the positions
        head = dot_source[:marker].rstrip() + "\n}\n"
        tail = dot_source[marker + 1 + len(AFTER_LAYOUT_MARKER):].rstrip()
        self.tail = tail[:-1] if tail.endswith("}") else tail
        self.running = _Pass(self.binary, ["-Tdot"], head.encode("utf-8"), self.deadline, timeout)

    def result(self) -> bytes:
        out = self.running.result()
        if self.tail is None:
            return out
        positioned = out.decode("utf-8").rstrip()
        if not positioned.endswith("}"):
            raise ToolError(f"Graphviz ({self.binary.path}) failed: its positioned DOT output is incomplete.")
        # pass 2: the other relations as straight lines over the fixed positions
        second = positioned[:-1] + "\tgraph [splines=line];\n" + self.tail + "\n}\n"
        self.tail = None
        self.running = _Pass(self.binary, ["-Kneato", "-n2", f"-T{self.fmt}"], second.encode("utf-8"),
                             self.deadline, self.timeout)
        return self.running.result()

    def close(self) -> None:
        self.running.close()

    def __enter__(self) -> LayoutJob:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def start_layout(dot_source: str, fmt: str = "svg", timeout: float = DEFAULT_TIMEOUT, *,
                 binary: Binary | None = None) -> LayoutJob:
    """Start laying out ``dot_source`` in ``fmt`` (svg, png, pdf or dot); the binary runs
    while the caller goes on, until ``.result()`` collects its output."""
    return LayoutJob(dot_source, fmt, timeout, binary)


def run_layout(dot_source: str, fmt: str = "svg", timeout: float = DEFAULT_TIMEOUT, *,
               binary: Binary | None = None) -> bytes:
    """Lay out ``dot_source`` and return the output in ``fmt`` (svg, png, pdf or dot)."""
    with start_layout(dot_source, fmt, timeout, binary=binary) as job:
        return job.result()
