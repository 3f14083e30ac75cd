"""Install and locate the peer tools that bench/run.py measures beside argmap.

The peers live in ``bench/peers/`` (git-ignored), apart from argmap's own
environment, so installing them can never change argmap's dependencies:

* the Argdown CLI, ``@argdown/cli`` (npm) in ``bench/peers/argdown``; version
  1.7.5 because 2.x needs Node 22;
* arguebuf (PyPI) in its own virtual environment ``bench/peers/arguebuf-venv``.

Usage::

    python bench/peers.py install   # what `make bench-peers` runs
    python bench/peers.py status    # what is installed, and does it run

Nothing in argmap's tests needs the peers; the harness reports a peer that is
missing as "not available" and measures argmap alone.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = Path(os.environ.get("ARGMAP_BENCH_PEERS", HERE / "peers"))

ARGDOWN_PACKAGE = "@argdown/cli"
ARGDOWN_VERSION = "1.7.5"
ARGUEBUF_VERSION = "2.7.2"

ARGDOWN_DIR = PEERS / "argdown"
ARGUEBUF_VENV = PEERS / "arguebuf-venv"

# The arguebuf side of the benchmark, run as `python -c ARGUEBUF_DRIVER TASK IN OUT`
# with the peer venv's interpreter: whole processes, like every other figure.
#   load: read the AIF file into an arguebuf Graph (its AIF load);
#   dot:  load, then dump Graphviz DOT source (arguebuf.dump.graphviz) to OUT;
#   svg:  load, dump, and render SVG with arguebuf.render.graphviz (Graphviz `dot`).
# arguebuf's DOT dump returns None above `max_nodes` (1,000 by default); the
# harness lifts that limit so every size is really drawn.
ARGUEBUF_DRIVER = r"""
import sys
task, src, out = sys.argv[1], sys.argv[2], sys.argv[3]
import arguebuf as ab
graph = ab.load.file(src)
if task == "load":
    print(len(graph.nodes))
    raise SystemExit(0)
dot = ab.dump.graphviz(graph, max_nodes=10**9)
if task == "dot":
    with open(out, "w", encoding="utf-8") as fh:
        fh.write(dot.source)
    raise SystemExit(0)
if task == "svg":
    ab.render.graphviz(dot, out)
    raise SystemExit(0)
raise SystemExit("unknown task " + task)
"""


class PeerError(Exception):
    """An install step failed; the message says which and what to do."""


def argdown_bin() -> Path | None:
    """The installed Argdown CLI, or None."""
    p = ARGDOWN_DIR / "node_modules" / ".bin" / "argdown"
    return p if p.exists() and shutil.which("node") else None


def arguebuf_python() -> Path | None:
    """The interpreter of the arguebuf venv, or None when arguebuf isn't installed there."""
    py = ARGUEBUF_VENV / "bin" / "python"
    if not py.exists():
        return None
    if not list((ARGUEBUF_VENV / "lib").glob("python3*/site-packages/arguebuf/__init__.py")):
        return None
    return py


def system_dot() -> str | None:
    """arguebuf renders through the `graphviz` Python package, which runs the system `dot`."""
    return shutil.which("dot")


def installed_versions() -> dict[str, str | None]:
    """Versions of the installed peers (None when missing), read from their package metadata."""
    import json

    out: dict[str, str | None] = {"argdown": None, "arguebuf": None, "node": None, "dot": None}
    pkg = ARGDOWN_DIR / "node_modules" / "@argdown" / "cli" / "package.json"
    if pkg.exists():
        out["argdown"] = json.loads(pkg.read_text(encoding="utf-8")).get("version")
    metas = list((ARGUEBUF_VENV / "lib").glob("python3*/site-packages/arguebuf-*.dist-info"))
    if metas:
        out["arguebuf"] = metas[0].name.removeprefix("arguebuf-").removesuffix(".dist-info")
    node = shutil.which("node")
    if node:
        r = subprocess.run([node, "--version"], capture_output=True, text=True)
        out["node"] = r.stdout.strip() or None
    dot = system_dot()
    if dot:
        r = subprocess.run([dot, "-V"], capture_output=True, text=True)
        out["dot"] = (r.stderr or r.stdout).strip() or None
    return out


def _run(cmd: list[str], what: str, cwd: Path | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    r = subprocess.run(cmd, cwd=cwd)
    if r.returncode != 0:
        raise PeerError(f"{what} failed (exit {r.returncode}); see the output above.")


def install_argdown() -> Path:
    npm = shutil.which("npm")
    if not npm or not shutil.which("node"):
        raise PeerError("the Argdown CLI needs Node.js and npm (Node 20 works for @argdown/cli 1.7.5); install them first.")
    ARGDOWN_DIR.mkdir(parents=True, exist_ok=True)
    if installed_versions()["argdown"] == ARGDOWN_VERSION:
        print(f"Argdown CLI {ARGDOWN_VERSION} already in {ARGDOWN_DIR}")
    else:
        _run(
            [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "--prefix", str(ARGDOWN_DIR),
             f"{ARGDOWN_PACKAGE}@{ARGDOWN_VERSION}"],
            "npm install of the Argdown CLI",
        )
    exe = argdown_bin()
    if exe is None:
        raise PeerError(f"npm finished but {ARGDOWN_DIR}/node_modules/.bin/argdown is missing.")
    return exe


def install_arguebuf() -> Path:
    if installed_versions()["arguebuf"] == ARGUEBUF_VERSION and arguebuf_python():
        print(f"arguebuf {ARGUEBUF_VERSION} already in {ARGUEBUF_VENV}")
    else:
        if not (ARGUEBUF_VENV / "bin" / "python").exists():
            print(f"+ creating the virtual environment {ARGUEBUF_VENV}", flush=True)
            venv.EnvBuilder(with_pip=True, clear=False).create(ARGUEBUF_VENV)
        _run(
            [str(ARGUEBUF_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet",
             "--disable-pip-version-check", f"arguebuf=={ARGUEBUF_VERSION}"],
            "pip install of arguebuf",
        )
    py = arguebuf_python()
    if py is None:
        raise PeerError(f"pip finished but arguebuf is not importable from {ARGUEBUF_VENV}.")
    return py


def smoke() -> list[str]:
    """Run each installed peer once on a tiny input; return a line per peer."""
    import tempfile

    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        exe = argdown_bin()
        if exe:
            (t / "a.argdown").write_text("[T]: A thesis.\n  <+ <R>: A reason.\n", encoding="utf-8")
            r = subprocess.run([str(exe), "json", str(t / "a.argdown"), str(t)], capture_output=True, text=True)
            ok = r.returncode == 0 and (t / "a.json").exists()
            lines.append(f"argdown json: {'ok' if ok else 'FAILED: ' + (r.stderr or r.stdout).strip()[:200]}")
        else:
            lines.append("argdown: not installed")
        py = arguebuf_python()
        if py:
            import json

            aif = {
                "nodes": [
                    {"nodeID": "1", "text": "A thesis.", "type": "I"},
                    {"nodeID": "2", "text": "A reason.", "type": "I"},
                    {"nodeID": "3", "text": "Default Inference", "type": "RA"},
                ],
                "edges": [{"edgeID": "a", "fromID": "2", "toID": "3"}, {"edgeID": "b", "fromID": "3", "toID": "1"}],
                "locutions": [],
            }
            (t / "a.json").write_text(json.dumps(aif), encoding="utf-8")
            r = subprocess.run(
                [str(py), "-c", ARGUEBUF_DRIVER, "dot", str(t / "a.json"), str(t / "a.dot")],
                capture_output=True, text=True,
            )
            ok = r.returncode == 0 and (t / "a.dot").exists()
            lines.append(f"arguebuf load+dot: {'ok' if ok else 'FAILED: ' + r.stderr.strip()[-300:]}")
        else:
            lines.append("arguebuf: not installed")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Install or inspect the peer tools for bench/run.py.")
    ap.add_argument("action", choices=["install", "status"], help="install: npm/pip-install the peers into bench/peers/; status: show what is there")
    ap.add_argument("--only", choices=["argdown", "arguebuf"], help="install just one peer")
    args = ap.parse_args(argv)
    if args.action == "install":
        failed = []
        for name, fn in (("argdown", install_argdown), ("arguebuf", install_arguebuf)):
            if args.only and args.only != name:
                continue
            try:
                fn()
            except PeerError as exc:
                print(f"peers: {exc}", file=sys.stderr)
                failed.append(name)
        for line in smoke():
            print(line)
        if not system_dot():
            print("note: no system `dot` on PATH: arguebuf's SVG render (via the graphviz package) will be skipped.")
        return 2 if failed else 0
    versions = installed_versions()
    for k, v in versions.items():
        print(f"{k}: {v or 'not installed'}")
    for line in smoke():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
