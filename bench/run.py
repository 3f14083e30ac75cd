"""argmap's benchmark: argmap measured beside Argdown and arguebuf on the same maps.

``make bench`` (or ``python bench/run.py``) generates seeded synthetic maps
(``bench/genmap.py``) of 100, 1,000 and 10,000 nodes in two shapes, writes
each as argmap YAML, argmap JSON, Argdown source and AIF JSON (the last two
with ``argmap export``), then times whole processes, several runs each:

* start-up: ``python -c pass``, ``argmap --help``, ``argmap check`` of the
  seed map (and ``argdown --help``, ``import arguebuf`` beside them);
* ``argmap check`` of the YAML and the JSON file, beside ``argdown json`` of
  the Argdown file (the runs of the three taken in turn) and arguebuf's load
  of the AIF file;
* ``argmap render --svg``, beside ``argdown map -f svg`` and arguebuf's
  DOT dump and SVG render;
* ``argmap import`` of the AIF file, beside arguebuf's AIF load;
* ``argmap extract`` of the seed article.

It prints a Markdown table (median, min–max and run count of each figure,
the ratio to the peer, and the target from issue 8 with a verdict), how each
figure grows from 1,000 to 10,000 nodes, and the ``python -X importtime``
breakdown of start-up; and writes the same to ``bench/RESULTS.md``.

A command that isn't there (yet) is reported as "not available: ...", a peer
that isn't installed likewise (``make bench-peers`` installs them), and a
run longer than the time cap (``--cap``, 120 s) as "> cap"; larger inputs of
the same task, tool and shape are then skipped. No figure here is ever used
in a test's assertion.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import peers  # noqa: E402  (bench/peers.py)

SEED_MAP = ROOT / "maps" / "nato-asia-pacific.yaml"
SEED_TEXT = ROOT / "seeds" / "opportunity-knocks-nato-asia-pacific.txt"
DEFAULT_SIZES = (100, 1000, 10000)
QUICK_SIZES = (30,)
DEFAULT_SEED = 8
DEFAULT_CAP = 120.0
DEFAULT_RUNS = 5
LONG_RUN = 2.0  # a first run longer than this (s): 3 runs in all, the first one counted
VERY_LONG_RUN = 20.0  # longer than this: that single run is the figure

ARGMAP = "argmap"
ARGDOWN = "Argdown"
ARGUEBUF = "arguebuf"


# --------------------------------------------------------------------------- statistics


@dataclass
class Measure:
    """The timings of one command: whole-process wall-clock seconds."""

    times: list[float] = field(default_factory=list)
    status: str = "ok"  # ok | cap | na | fail | skip
    note: str = ""
    cap: float | None = None
    cpu: list[float] = field(default_factory=list)  # user + sys seconds of the process and its children, per run
    rss: list[int] = field(default_factory=list)  # peak resident memory (KB) of the process and its children, per run

    @property
    def peak_rss(self) -> int | None:
        """The highest peak memory of any run (KB), or None when not known."""
        return max(self.rss) if self.rss and max(self.rss) > 0 else None

    @property
    def cpu_median(self) -> float | None:
        return statistics.median(self.cpu) if self.ok and self.cpu else None

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.times)

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.ok else None

    @property
    def lo(self) -> float | None:
        return min(self.times) if self.ok else None

    @property
    def hi(self) -> float | None:
        return max(self.times) if self.ok else None

    @property
    def n(self) -> int:
        return len(self.times)

    def to_json(self) -> dict:
        return {
            "status": self.status,
            "times": [round(t, 4) for t in self.times],
            "median": None if self.median is None else round(self.median, 4),
            "cpu": [round(t, 4) for t in self.cpu],
            "peak_rss_kb": self.peak_rss,
            "note": self.note,
        }


def na(note: str) -> Measure:
    return Measure(status="na", note=note)


def fmt_seconds(t: float) -> str:
    """Seconds with about three significant digits: 0.123 s, 1.23 s, 12.3 s, 123 s."""
    if t < 0.0995:
        return f"{t:.3f} s"
    if t < 9.995:
        return f"{t:.2f} s" if t >= 1 else f"{t:.3f} s"
    if t < 99.95:
        return f"{t:.1f} s"
    return f"{t:.0f} s"


def fmt_measure(m: Measure | None) -> str:
    """One table cell: `median (min–max, n=N)`, or why there is no figure."""
    if m is None:
        return ""
    if m.status == "ok" and m.times:
        if m.n == 1:
            cell = f"{fmt_seconds(m.median)} (n=1)"
        else:
            cell = f"{fmt_seconds(m.median)} ({fmt_seconds(m.lo).removesuffix(' s')}–{fmt_seconds(m.hi)}, n={m.n})"
        if m.cpu_median is not None:
            cell += f" · CPU {fmt_seconds(m.cpu_median)}"
        return cell + (f" ⚠ {m.note}" if m.note else "")
    if m.status == "cap":
        return f"> {fmt_seconds(m.cap or 0)} (cap)"
    if m.status == "skip":
        return f"skipped: {m.note}"
    if m.status == "na":
        return f"not available: {m.note}"
    return f"failed: {m.note}"


def ratio(argmap: Measure | None, peer: Measure | None) -> str:
    """How many times faster argmap is than the peer (peer / argmap), as a cell."""
    if argmap is None or peer is None or not argmap.ok:
        return ""
    if peer.status == "cap" and peer.cap:
        return f"> {peer.cap / argmap.median:.1f}× faster"
    if not peer.ok or argmap.median <= 0:
        return ""
    def say(r: float) -> str:
        return f"{r:.1f}× faster" if r >= 1 else f"{1 / r:.1f}× slower"

    cell = say(peer.median / argmap.median)
    if argmap.cpu_median and peer.cpu_median:
        cell += f" (CPU: {say(peer.cpu_median / argmap.cpu_median)})"
    return cell


def growth(small: Measure | None, big: Measure | None) -> float | None:
    if small is None or big is None or not small.ok or not big.ok or small.median <= 0:
        return None
    return big.median / small.median


def md_table(header: list[str], rows: list[list[str]]) -> str:
    """A GitHub Markdown table; `|` inside cells is escaped."""

    def cell(s: str) -> str:
        return str(s).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(cell(h) for h in header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        r = list(r) + [""] * (len(header) - len(r))
        out.append("| " + " | ".join(cell(c) for c in r) + " |")
    return "\n".join(out)


# --------------------------------------------------------------------------- running


@dataclass
class Outcome:
    seconds: float | None  # None: hit the cap
    code: int
    stdout: str
    stderr: str
    cpu: float = 0.0  # user + sys of the process and the children it waited for
    maxrss_kb: int = 0  # peak resident memory of the process and the children it waited for (KB)


def run_env(env: dict | None = None) -> dict:
    """The environment of a measured run: ``env`` (default: this process's) without
    PYTHONDONTWRITEBYTECODE, so the warm-up run writes the bytecode caches an installed
    argmap has (with it set and a cache stale, every run would compile the changed modules again)."""
    return {k: v for k, v in (os.environ if env is None else env).items() if k != "PYTHONDONTWRITEBYTECODE"}


# Each measured command is started by this small runner (a fresh `python -S`), so the peak memory
# is the command's own: Linux counts the memory of the process that starts a program into that
# program's peak (at exec), and a child of the bench would start with all of the bench's. The
# runner times the command, reaps it and prints one JSON object: wall and CPU seconds (of the
# command and the children it waited for), peak resident memory, exit code and output.
RUNNER_FAILED = -1000  # the exit code of a run whose runner gave no figures
_RUNNER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
try:
    p = subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, capture_output=True)
    code, out, err = p.returncode, p.stdout, p.stderr
except OSError as exc:
    code, out, err = 127, b"", str(exc).encode()
wall = time.perf_counter() - t
r = resource.getrusage(resource.RUSAGE_CHILDREN)
json.dump({"wall": wall, "cpu": r.ru_utime + r.ru_stime, "rss": r.ru_maxrss, "code": code,
           "out": out.decode("utf-8", "replace"), "err": err.decode("utf-8", "replace")}, sys.stdout)
"""


def run_once(cmd: list[str], cap: float, cwd: Path | None = None, env: dict | None = None) -> Outcome:
    """Run one whole process (through :data:`_RUNNER`); on the cap, kill its process group (the
    runner, the command and any children of it, e.g. `dot`)."""
    p = subprocess.Popen(
        [sys.executable, "-S", "-c", _RUNNER, *map(str, cmd)],
        cwd=cwd,
        env=run_env(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = p.communicate(timeout=cap)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.communicate()
        return Outcome(None, -9, "", "")
    except BaseException:  # Ctrl-C, or SIGTERM (see main): the run's process group goes too
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        raise
    try:
        r = json.loads(out)
    except ValueError:  # the runner itself failed: no exit code a job accepts
        return Outcome(0.0, RUNNER_FAILED, "", "the runner failed: " + (first_line(err.decode("utf-8", "replace"))
                                                                      or f"exit {p.returncode}"))
    return Outcome(r["wall"], r["code"], r["out"], r["err"], r["cpu"], r["rss"])


def first_line(text: str, limit: int = 160) -> str:
    for line in text.splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 1] + "…"
    return ""


class _Series:
    """The runs of one command, counted as :func:`measure` counts them."""

    def __init__(self, *, runs: int, cap: float, ok_codes: tuple[int, ...] = (0,), verify=None, warmup: bool = True):
        self.cap, self.ok_codes, self.verify = cap, ok_codes, verify
        self.times: list[float] = []
        self.cpu: list[float] = []
        self.rss: list[int] = []
        self.note = ""
        self.first = warmup
        self.target = max(1, runs)
        self.final: Measure | None = None  # set when the series ended early (cap, failure, one very long run)

    @property
    def done(self) -> bool:
        return self.final is not None or len(self.times) >= self.target

    def add(self, o: Outcome) -> None:
        if o.seconds is None:
            self.final = Measure(times=self.times, status="cap", cap=self.cap, note=f"a run took longer than the "
                                 f"{self.cap:g} s cap", cpu=self.cpu, rss=self.rss)
            return
        self.rss.append(o.maxrss_kb)  # every run's peak counts, the warm-up's too
        if o.code not in self.ok_codes:
            why = first_line(o.stderr) or first_line(o.stdout) or "no output"
            self.final = Measure(status="fail", note=why if o.code == RUNNER_FAILED else f"exit {o.code}: {why}")
            return
        if self.verify is not None:
            problem = self.verify(o)
            if problem:
                self.final = Measure(status="fail", note=problem)
                return
        if o.code != 0 and not self.note:
            self.note = f"exit {o.code}"
        if self.first:
            self.first = False
            if o.seconds > VERY_LONG_RUN:
                self.final = Measure(times=[o.seconds], note=self.note, cpu=[o.cpu], rss=self.rss)
            elif o.seconds > LONG_RUN:
                self.times.append(o.seconds)
                self.cpu.append(o.cpu)
                self.target = min(self.target, 3)
            return
        self.times.append(o.seconds)
        self.cpu.append(o.cpu)

    def measure(self) -> Measure:
        if self.final is not None:
            return self.final
        return Measure(times=self.times, note=self.note, cpu=self.cpu, rss=self.rss)


def measure(
    cmd: list[str],
    *,
    runs: int,
    cap: float,
    ok_codes: tuple[int, ...] = (0,),
    verify=None,
    cwd: Path | None = None,
    env: dict | None = None,
    warmup: bool = True,
) -> Measure:
    """Median and spread of whole-process runs of `cmd`.

    The first run warms caches and is dropped, unless it took longer than
    LONG_RUN seconds: then it counts and there are 3 runs in all (1 above
    VERY_LONG_RUN), so a slow task can't eat the time budget. `verify(outcome)`
    may return a reason the run did not do its job (e.g. no SVG written).
    With `warmup=False` (the --quick mode) every run counts.
    """
    return measure_together([(cmd, {"ok_codes": ok_codes, "verify": verify})], runs=runs, cap=cap, cwd=cwd, env=env,
                            warmup=warmup)[0]


_JOB_OPTIONS = frozenset({"ok_codes", "verify", "cwd", "env"})  # what measure_together takes per command


def measure_together(jobs: list[tuple[list[str], dict]], *, runs: int, cap: float, cwd: Path | None = None,
                     env: dict | None = None, warmup: bool = True) -> list[Measure]:
    """:func:`measure` of several commands, their runs taken in turn (one run of each, then
    the next round), so a ratio of their figures is not moved by the machine slowing down
    or speeding up between them. ``jobs``: ``(cmd, options)``, the options ``ok_codes``,
    ``verify``, ``cwd`` and ``env`` of :func:`measure` (``cwd`` and ``env`` default to these)."""
    for _, kw in jobs:
        if kw.keys() - _JOB_OPTIONS:
            raise TypeError(f"unknown options {sorted(kw.keys() - _JOB_OPTIONS)}")
    series = [_Series(runs=runs, cap=cap, warmup=warmup, ok_codes=kw.get("ok_codes", (0,)), verify=kw.get("verify"))
              for _, kw in jobs]
    while not all(s.done for s in series):
        for (cmd, kw), s in zip(jobs, series):
            if not s.done:
                s.add(run_once(cmd, cap, cwd=kw.get("cwd", cwd), env=kw.get("env", env)))
    return [s.measure() for s in series]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- argmap's commands


class Argmap:
    """How to run argmap's commands, and which of them exist yet."""

    def __init__(self, exe: Path, cap: float):
        self.exe = exe
        self.cap = cap
        self._help: dict[str, str | None] = {}

    def help(self, command: str) -> str | None:
        """`argmap COMMAND --help` text, or None when the command doesn't exist."""
        if command not in self._help:
            o = run_once([self.exe, command, "--help"], 60)
            self._help[command] = o.stdout if o.code == 0 else None
        return self._help[command]

    def has(self, command: str) -> bool:
        return self.help(command) is not None

    def formats(self, kind: str) -> set[str]:
        """Names in argmap.formats.EXPORTERS / IMPORTERS of the installed argmap."""
        code = f"import json, argmap.formats as f; print(json.dumps(sorted(f.{kind})))"
        o = run_once([self.python, "-c", code], 60)
        try:
            return set(json.loads(o.stdout)) if o.code == 0 else set()
        except ValueError:
            return set()

    @property
    def python(self) -> Path:
        return self.exe.parent / "python"

    def check(self, path: Path) -> list[str] | None:
        return [self.exe, "check", path] if self.has("check") else None

    def render_svg(self, path: Path, out: Path) -> list[str] | None:
        h = self.help("render")
        if h is None or "--svg" not in h:
            return None
        cmd = [self.exe, "render", path, "--svg"]
        if "--output" in h:
            cmd += ["--output", out]
        elif " -o" in h:
            cmd += ["-o", out]
        return cmd

    def render_dot(self, path: Path, out: Path) -> list[str] | None:
        h = self.help("render")
        if h is None or "--dot" not in h:
            return None
        cmd = [self.exe, "render", path, "--dot"]
        if "--output" in h:
            cmd += ["--output", out]
        return cmd

    def import_aif(self, path: Path, out: Path) -> list[str] | None:
        h = self.help("import")
        if h is None:
            return None
        cmd = [self.exe, "import", path]
        if "--from" in h:
            cmd += ["--from", "aif"]
        if "--output" in h:
            cmd += ["--output", out]
        elif " -o" in h:
            cmd += ["-o", out]
        if "--force" in h:
            cmd += ["--force"]
        return cmd

    def extract(self, article: Path, out: Path) -> list[str] | None:
        h = self.help("extract")
        if h is None:
            return None
        cmd = [self.exe, "extract", article]
        if "--output" in h:
            cmd += ["--output", out]
        elif " -o" in h:
            cmd += ["-o", out]
        if "--force" in h:  # the second run overwrites the first run's draft
            cmd += ["--force"]
        return cmd

    def export(self, path: Path, fmt: str, out: Path) -> tuple[bool, str]:
        o = run_once([self.exe, "export", path, "--to", fmt, "-o", out], self.cap)
        if o.seconds is None:
            return False, f"argmap export --to {fmt} took longer than {self.cap:g} s"
        if o.code != 0 or not out.exists():
            why = first_line(o.stderr) or f"exit {o.code}"
            if "unknown export format" in why:
                return False, f"`argmap export --to {fmt}` (issue 5) not there yet"
            return False, f"argmap export --to {fmt} failed: {why}"
        return True, ""


def find_argmap() -> Path | None:
    cand = Path(sys.executable).parent / "argmap"
    if cand.exists():
        return cand
    w = shutil.which("argmap")
    return Path(w) if w else None


# --------------------------------------------------------------------------- inputs


@dataclass
class Inputs:
    shape: str
    n: int
    yaml: Path | None = None
    json: Path | None = None
    argdown: Path | None = None
    aif: Path | None = None
    notes: dict[str, str] = field(default_factory=dict)


def load_genmap():
    """bench/genmap.py (the generator is its own module), or a reason it can't be used."""
    try:
        import genmap  # noqa: PLC0415
    except ImportError as exc:
        return None, f"bench/genmap.py is not importable ({exc})"
    if not hasattr(genmap, "generate"):
        return None, "bench/genmap.py has no generate(n, shape, seed)"
    return genmap, ""


def genmap_shapes(genmap) -> list[str]:
    shapes = getattr(genmap, "SHAPES", None)
    if shapes:
        return list(shapes)
    return ["tree", "random"]


def node_count(data: dict) -> int:
    return len(data.get("nodes", []))


def relation_count(data: dict) -> int:
    total = 0
    for node in data.get("nodes", []):
        for key in ("supports", "attacks", "undercuts"):
            total += len(node.get(key) or [])
    return total


def cached_map(stem: Path, generate) -> tuple[Path, Path]:
    """``stem``.yaml and .json (and .meta.json with its counts), written from ``generate()``
    unless both are there already; other files of the same shape and size in the folder
    (an older generator's or seed's) are removed first."""
    from argmap.io.writing import dumps_json_data  # noqa: PLC0415
    from argmap.io.yamlemit import canonical_yaml  # noqa: PLC0415

    yaml_p, json_p = stem.with_suffix(".yaml"), stem.with_suffix(".json")
    if not (yaml_p.exists() and json_p.exists()):
        shape_size = stem.name.rsplit("-", 1)[0]
        for stale in stem.parent.glob(f"{shape_size}-*"):
            if not stale.name.startswith(stem.name):
                stale.unlink()
        data = generate()
        json_p.write_text(dumps_json_data(data), encoding="utf-8")
        yaml_p.write_text(canonical_yaml(data), encoding="utf-8")
        meta = {"nodes": node_count(data), "relations": relation_count(data),
                "quotes": sum(1 for node in data.get("nodes", []) if node.get("quote"))}
        stem.with_suffix(".meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return yaml_p, json_p


def prepare_inputs(genmap, am: Argmap, shape: str, n: int, seed: int, workdir: Path, source: bool = True) -> Inputs:
    """Write the map of (shape, n, seed) as YAML and JSON, and export Argdown and AIF from it.

    Files are cached in `workdir`, keyed by the generator's source, the seed
    and argmap's version, so a rerun doesn't redo a 10,000-node export.
    """
    import inspect  # noqa: PLC0415

    source = source and "source" in inspect.signature(genmap.generate).parameters
    key_src = Path(genmap.__file__).read_bytes() + f"{shape}/{n}/{seed}/{source}".encode()
    key = hashlib.sha256(key_src).hexdigest()[:12]
    d = workdir / "maps"
    d.mkdir(parents=True, exist_ok=True)
    stem = d / f"{shape}-{n}-{key}"
    inp = Inputs(shape, n)
    inp.yaml, inp.json = cached_map(
        stem, lambda: genmap.generate(n, shape, seed, source=True) if source else genmap.generate(n, shape, seed))
    for fmt, suffix, attr in (("argdown", ".argdown", "argdown"), ("aif", ".aif.json", "aif")):
        p = Path(str(stem) + suffix)
        if not p.exists():
            ok, why = am.export(inp.json, fmt, p)
            if not ok:
                inp.notes[attr] = why
                continue
        setattr(inp, attr, p)
    return inp


def input_meta(inp: Inputs) -> dict:
    if inp.json is None:
        return {}
    p = inp.json.with_suffix(".meta.json")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# --------------------------------------------------------------------------- the benchmark

# The tasks measured per map, and which peer figures stand beside each.
# (task key, label, [(peer tool, peer task key), ...])
COMPARISONS: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("check-yaml", "check (YAML)", [(ARGDOWN, "json"), (ARGUEBUF, "load")]),
    ("check-json", "check (JSON)", [(ARGDOWN, "json"), (ARGUEBUF, "load")]),
    ("render", "render --svg", [(ARGDOWN, "map-svg"), (ARGUEBUF, "svg")]),
    ("dot", "DOT source", [(ARGUEBUF, "dot")]),
    ("import", "import (AIF → YAML)", [(ARGUEBUF, "load")]),
    ("import-json", "import (AIF → JSON)", [(ARGUEBUF, "load")]),
]

PEER_STARTUP = {ARGDOWN: "help", ARGUEBUF: "import"}  # start-up figures of each peer (bench_startup)

PEER_LABELS = {
    (ARGDOWN, "json"): "argdown json",
    (ARGDOWN, "map-svg"): "argdown map -f svg",
    (ARGDOWN, "help"): "argdown --help",
    (ARGUEBUF, "load"): "AIF load",
    (ARGUEBUF, "dot"): "AIF load + DOT dump",
    (ARGUEBUF, "svg"): "AIF load + DOT + SVG render",
    (ARGUEBUF, "import"): "python -c 'import arguebuf'",
}


Key = tuple  # (tool, task, shape or None, n or None)

# --only: groups of tasks, each with its peer figures
GROUPS = ("startup", "seed", "check", "render", "import", "adversarial")


@dataclass
class Bench:
    runs: int
    cap: float
    workdir: Path
    use_peers: bool = True
    warmup: bool = True
    groups: frozenset[str] = frozenset(GROUPS)
    results: dict[Key, Measure] = field(default_factory=dict)
    adv_runs: int = 3  # runs per figure on the adversarial maps (--adv-runs)
    adv_cap: float = 60.0  # their time cap (--adv-cap)

    def wants(self, group: str) -> bool:
        return group in self.groups

    def record(self, tool: str, task: str, shape: str | None, n: int | None, m: Measure) -> Measure:
        self.results[(tool, task, shape, n)] = m
        where = "" if shape is None else f"{shape} {n:,}"
        log(f"  {tool:9} {task:12} {where:14} {fmt_measure(m)}")
        return m

    def get(self, tool: str, task: str, shape: str | None = None, n: int | None = None) -> Measure | None:
        return self.results.get((tool, task, shape, n))

    def capped_below(self, tool: str, task: str, shape: str | None, n: int | None) -> int | None:
        """The smallest size below n at which this tool/task/shape already hit the cap."""
        if n is None:
            return None
        sizes = [k[3] for k, m in self.results.items()
                 if k[:3] == (tool, task, shape) and k[3] is not None and k[3] < n and m.status in ("cap", "skip")]
        return min(sizes) if sizes else None

    def predicted_over_cap(self, tool: str, task: str, shape: str | None, n: int | None) -> str | None:
        """Why a peer's run at n would surely pass the cap, judged from a smaller size; else None.

        The bound is linear growth past start-up, s + (t_small - s) * n / n_small,
        with s the tool's own start-up figure: drawing or parsing 10 times the
        nodes takes at least 10 times the work. Only peers are skipped this way;
        argmap's own figures are always run.
        """
        if n is None or tool == ARGMAP:
            return None
        start = self.get(tool, PEER_STARTUP.get(tool, ""))
        s = start.median if start is not None and start.ok else 0.0
        for (t, k, sh, small), m in sorted(self.results.items(), key=lambda kv: -(kv[0][3] or 0)):
            if (t, k, sh) != (tool, task, shape) or small is None or small >= n or not m.ok:
                continue
            bound = s + max(m.median - s, 0.0) * n / small
            if bound > self.cap:
                return (f"{small:,} nodes took {fmt_seconds(m.median)}, so {n:,} would take at least "
                        f"{fmt_seconds(bound)} (linear growth), over the {self.cap:g} s cap")
            return None
        return None

    def _skip(self, tool: str, task: str, shape: str | None, n: int | None, cmd, why_na: str) -> Measure | None:
        """Why a figure is not measured (missing, capped at a smaller size, surely over the cap); None: measure it."""
        if cmd is None:
            return na(why_na)
        below = self.capped_below(tool, task, shape, n)
        if below is not None:
            return Measure(status="skip", note=f"> cap at {below:,} nodes")
        predicted = self.predicted_over_cap(tool, task, shape, n)
        if predicted is not None:
            return Measure(status="skip", note=predicted)
        return None

    def run(self, tool: str, task: str, shape: str | None, n: int | None, cmd, why_na: str, **kw) -> Measure:
        """Measure `cmd` and record it, or record why not: missing, capped at a smaller size, or surely over the cap."""
        return self.run_together([(tool, task, shape, n, cmd, why_na, kw)])[0]

    def run_together(self, jobs: list[tuple], *, runs: int | None = None, cap: float | None = None) -> list[Measure]:
        """:meth:`run` of several figures, ``(tool, task, shape, n, cmd, why_na, {"ok_codes":
        ..., "verify": ...})`` each, their runs taken in turn (:func:`measure_together`):
        a command and a peer's beside it, so their ratio is of the same moments."""
        out = [self._skip(*job[:6]) for job in jobs]
        todo = [k for k, m in enumerate(out) if m is None]
        measured = measure_together([(jobs[k][4], jobs[k][6]) for k in todo], runs=runs or self.runs,
                                    cap=cap or self.cap, warmup=self.warmup)
        for k, m in zip(todo, measured):
            out[k] = m
        return [self.record(*job[:4], m) for job, m in zip(jobs, out)]


def svg_written(path: Path):
    def verify(o: Outcome) -> str | None:
        if not path.exists() or path.stat().st_size == 0:
            return f"no SVG written at {path.name}"
        if b"<svg" not in path.read_bytes()[:8192]:
            return f"{path.name} is not SVG"
        return None

    return verify


def file_written(path: Path):
    def verify(o: Outcome) -> str | None:
        return None if path.exists() and path.stat().st_size > 0 else f"{path.name} was not written"

    return verify


def clean(*paths: Path) -> None:
    for p in paths:
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def graphviz_pure() -> Path | None:
    """The pinned Graphviz port argmap renders with (beside the running interpreter)."""
    p = Path(sys.executable).parent / "graphviz-pure"
    return p if p.exists() else None


def arguebuf_layout(workdir: Path) -> tuple[dict | None, str]:
    """The environment in which arguebuf's render finds `dot`, and what that `dot` is.

    arguebuf renders through the `graphviz` package, which runs whatever `dot`
    is on PATH. We put argmap's own layout binary (graphviz-pure, a port of
    Graphviz 16.1) first on PATH under that name, so both tools are laid out by
    the same Graphviz and the comparison is of the tools, not of two Graphviz
    versions (the system's Graphviz 2.43 also aborts on arguebuf's
    `splines=ortho` output for maps with cross relations). Without
    graphviz-pure, the system `dot` is used.
    """
    gp = graphviz_pure()
    if gp is not None:
        d = workdir / "gv-bin"
        d.mkdir(parents=True, exist_ok=True)
        link = d / "dot"
        if not link.exists() or link.resolve() != gp.resolve():
            clean(link)
            link.symlink_to(gp)
        env = dict(os.environ)
        env["PATH"] = f"{d}{os.pathsep}{env.get('PATH', '')}"
        return env, "graphviz-pure (argmap's Graphviz 16.1 port)"
    if peers.system_dot():
        return dict(os.environ), "the system dot"
    return None, "no dot"


NOT_INSTALLED = {ARGDOWN: "Argdown CLI not installed (make bench-peers)", ARGUEBUF: "arguebuf not installed (make bench-peers)"}
NO_ARGMAP = "no argmap executable found"


def bench_startup(b: Bench, am: Argmap | None) -> None:
    log("start-up")
    b.record("python", "pass", None, None, measure([sys.executable, "-c", "pass"], runs=b.runs, cap=b.cap, warmup=b.warmup))
    b.run(ARGMAP, "help", None, None, [am.exe, "--help"] if am else None, NO_ARGMAP)
    b.run(ARGMAP, "check-seed", None, None, am.check(SEED_MAP) if am else None,
          "`argmap check` (issue 3) not there yet" if am else NO_ARGMAP, ok_codes=(0, 1))
    if b.use_peers:
        exe = peers.argdown_bin()
        b.run(ARGDOWN, "help", None, None, [exe, "--help"] if exe else None, NOT_INSTALLED[ARGDOWN])
        py = peers.arguebuf_python()
        b.run(ARGUEBUF, "import", None, None, [py, "-c", "import arguebuf"] if py else None, NOT_INSTALLED[ARGUEBUF])


def bench_seed_tasks(b: Bench, am: Argmap | None) -> None:
    log("seed map and article")
    out = b.workdir / "out"
    out.mkdir(parents=True, exist_ok=True)
    svg = out / "seed.svg"
    clean(svg)
    cmd = am.render_svg(SEED_MAP, svg) if am else None
    b.run(ARGMAP, "render-seed", None, None, cmd, "`argmap render --svg` (issue 4) not there yet" if am else NO_ARGMAP,
          verify=svg_written(svg) if cmd and svg in cmd else None)
    drafted = out / "seed-extracted.yaml"
    clean(drafted)
    cmd = am.extract(SEED_TEXT, drafted) if am else None
    b.run(ARGMAP, "extract-seed", None, None, cmd, "`argmap extract` (issue 6) not there yet" if am else NO_ARGMAP,
          ok_codes=(0, 1))


def check_with_peer(b: Bench, am: Argmap, inp: Inputs, out: Path, *, runs: int | None = None,
                    cap: float | None = None) -> None:
    """`argmap check` of the YAML and the JSON map and `argdown json` of the same map, their
    runs taken in turn (:meth:`Bench.run_together`): the issues set ratios between them."""
    n, shape = inp.n, inp.shape
    why = "`argmap check` (issue 3) not there yet"
    jobs = [(ARGMAP, "check-yaml", shape, n, am.check(inp.yaml), why, {"ok_codes": (0, 1)}),
            (ARGMAP, "check-json", shape, n, am.check(inp.json), why, {"ok_codes": (0, 1)})]
    if b.use_peers:
        exe = peers.argdown_bin()
        if exe is None or inp.argdown is None:
            why = NOT_INSTALLED[ARGDOWN] if exe is None else inp.notes.get("argdown", "no argdown file")
            jobs.append((ARGDOWN, "json", shape, n, None, why, {}))
        else:
            ajson = out / f"{inp.argdown.name.removesuffix('.argdown')}.json"
            clean(ajson)
            jobs.append((ARGDOWN, "json", shape, n, [exe, "json", inp.argdown, out], "", {"verify": file_written(ajson)}))
    b.run_together(jobs, runs=runs, cap=cap)


def bench_size(b: Bench, am: Argmap, inp: Inputs) -> None:
    n, shape = inp.n, inp.shape
    out = b.workdir / "out"
    out.mkdir(parents=True, exist_ok=True)
    log(f"{shape} {n:,} nodes")
    stem = f"{shape}-{n}"

    def missing(kind: str) -> str:
        return inp.notes.get(kind, f"no {kind} file")

    # argmap (`check` in turn with `argdown json` of the same map)
    if b.wants("check"):
        check_with_peer(b, am, inp, out)
    if b.wants("render"):
        bench_size_render(b, am, inp, out, stem)
    if b.wants("import"):
        for task, suffix in (("import", ".yaml"), ("import-json", ".json")):
            imported = out / f"{stem}.imported{suffix}"
            clean(imported)
            if inp.aif is None:
                b.record(ARGMAP, task, shape, n, na(missing("aif")))
            else:
                b.run(ARGMAP, task, shape, n, am.import_aif(inp.aif, imported), "`argmap import` (issue 5) not there yet",
                      verify=file_written(imported))

    if not b.use_peers:
        return
    # Argdown
    exe = peers.argdown_bin()
    if b.wants("render"):
        if exe is None or inp.argdown is None:
            b.record(ARGDOWN, "map-svg", shape, n, na(NOT_INSTALLED[ARGDOWN] if exe is None else missing("argdown")))
        else:
            asvg = out / f"{inp.argdown.name.removesuffix('.argdown')}.svg"
            clean(asvg)
            b.run(ARGDOWN, "map-svg", shape, n, [exe, "map", "-f", "svg", inp.argdown, out], "", verify=svg_written(asvg))
    # arguebuf
    py = peers.arguebuf_python()
    tasks = (["load"] if b.wants("check") or b.wants("import") else []) + (["dot", "svg"] if b.wants("render") else [])
    if py is None or inp.aif is None:
        why = NOT_INSTALLED[ARGUEBUF] if py is None else missing("aif")
        for task in tasks:
            b.record(ARGUEBUF, task, shape, n, na(why))
    else:
        drv = [py, "-c", peers.ARGUEBUF_DRIVER]
        gv_env, _ = arguebuf_layout(b.workdir)
        if "load" in tasks:
            b.run(ARGUEBUF, "load", shape, n, drv + ["load", inp.aif, "-"], "")
        bdot, bsvg = out / f"{stem}.arguebuf.dot", out / f"{stem}.arguebuf.svg"
        clean(bdot, bsvg)
        if "dot" in tasks:
            b.run(ARGUEBUF, "dot", shape, n, drv + ["dot", inp.aif, bdot], "", verify=file_written(bdot))
            b.run(ARGUEBUF, "svg", shape, n, drv + ["svg", inp.aif, bsvg] if gv_env else None,
                  "no Graphviz `dot` for arguebuf's render", verify=svg_written(bsvg), env=gv_env)


def bench_size_render(b: Bench, am: Argmap, inp: Inputs, out: Path, stem: str) -> None:
    n, shape = inp.n, inp.shape
    svg = out / f"{stem}.argmap.svg"
    clean(svg)
    cmd = am.render_svg(inp.yaml, svg)
    b.run(ARGMAP, "render", shape, n, cmd, "`argmap render --svg` (issue 4) not there yet",
          verify=svg_written(svg) if cmd and svg in cmd else None)
    dot = out / f"{stem}.argmap.views.dot"
    clean(dot)
    b.run(ARGMAP, "dot", shape, n, am.render_dot(inp.yaml, dot), "`argmap render --dot` not there yet")



# --------------------------------------------------------------------------- adversarial maps (issue 16)

ADV_SIZES = (1000, 10000)
QUICK_ADV_SIZES = (30,)
ADV_RUNS = 3
ADV_CAP = 60.0
# (task, label, the file it runs on, ok exit codes): every command, on maps shaped to hit the worst case
ADV_TASKS: list[tuple[str, str, str, tuple[int, ...]]] = [
    ("check-json", "check", "json", (0, 1)),
    ("check-yaml", "check", "yaml", (0, 1)),
    ("stats", "check --stats", "json", (0, 1)),
    ("show", "show", "json", (0, 1)),
    ("svg", "render --svg", "json", (0,)),
    ("html", "render --html", "json", (0,)),
    ("fmt", "fmt --check", "yaml", (0, 1)),
    ("export", "export --to argdown", "json", (0,)),
    ("diff", "diff YAML JSON", "yaml", (0, 1)),
]
YAML_PARSE = ("import sys, yaml; "
              "yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))")
JSON_PARSE = "import sys, json; json.load(open(sys.argv[1], encoding='utf-8'))"
REFERENCE = "python"  # the tool name of the reference parses


def _task_label(tool: str, task: str) -> str:
    """The growth table's name for a task: the comparison's, the adversarial run's or the peer's."""
    if tool == ARGMAP:
        labels = {t: label for t, label, _ in COMPARISONS}
        labels.update({t: f"{label} ({fmt.upper()})" for t, label, fmt, _ in ADV_TASKS})
        return labels.get(task, task)
    return PEER_LABELS.get((tool, task), task)


def adv_shape(shape: str) -> str:
    return f"adv:{shape}"


def load_genadv():
    try:
        import genadv  # noqa: PLC0415
    except ImportError as exc:
        return None, f"bench/genadv.py is not importable ({exc})"
    return genadv, ""


def prepare_adv_inputs(genadv, am: Argmap, shape: str, n: int, seed: int, workdir: Path, want_argdown: bool) -> Inputs:
    """The adversarial map (shape, n) as JSON and YAML (and Argdown for the peer), cached in `workdir`."""

    import genmap  # noqa: PLC0415  (genadv builds on it)

    key_src = Path(genadv.__file__).read_bytes() + Path(genmap.__file__).read_bytes() + f"{shape}/{n}/{seed}".encode()
    key = hashlib.sha256(key_src).hexdigest()[:12]
    d = workdir / "adv"
    d.mkdir(parents=True, exist_ok=True)
    stem = d / f"{shape}-{n}-{key}"
    inp = Inputs(adv_shape(shape), n)
    inp.yaml, inp.json = cached_map(stem, lambda: genadv.generate(n, shape, seed))
    if want_argdown:
        p = Path(str(stem) + ".argdown")
        if not p.exists():
            ok, why = am.export(inp.json, "argdown", p)
            if not ok:
                inp.notes["argdown"] = why
        if p.exists():
            inp.argdown = p
    return inp


def adv_command(am: Argmap, task: str, inp: Inputs, out: Path) -> tuple[list | None, Path | None]:
    """The argmap command of an adversarial task, and the file it writes (to verify), if any
    (`check` itself is measured with the peer: :func:`check_with_peer`)."""
    stem = out / f"{inp.shape.split(':')[1]}-{inp.n}"
    if task == "stats":
        return [am.exe, "check", "--stats", inp.json], None
    if task == "show":
        return [am.exe, "show", "--no-check", "--width", "100", inp.json], None
    if task == "svg":
        return [am.exe, "render", inp.json, "--svg", "-o", stem.with_suffix(".svg")], stem.with_suffix(".svg")
    if task == "html":
        return [am.exe, "render", inp.json, "--html", "-o", stem.with_suffix(".html")], stem.with_suffix(".html")
    if task == "fmt":
        return [am.exe, "fmt", "--check", inp.yaml], None
    if task == "export":
        return [am.exe, "export", inp.json, "--to", "argdown", "-o", stem.with_suffix(".argdown")], stem.with_suffix(".argdown")
    if task == "diff":
        return [am.exe, "diff", inp.yaml, inp.json], None
    raise ValueError(task)


def bench_adversarial(b: Bench, am: Argmap, inp: Inputs) -> None:
    """Every command on one adversarial map, and the references beside them (measured in this run)."""
    n, shape = inp.n, inp.shape
    out = b.workdir / "out" / "adv"
    out.mkdir(parents=True, exist_ok=True)
    log(f"{shape} {n:,} nodes")
    runs, cap = b.adv_runs, b.adv_cap
    py = sys.executable
    b.record(REFERENCE, "yaml-parse", shape, n, measure([py, "-c", YAML_PARSE, inp.yaml], runs=runs, cap=cap, warmup=b.warmup))
    b.record(REFERENCE, "json-parse", shape, n, measure([py, "-c", JSON_PARSE, inp.json], runs=runs, cap=cap, warmup=b.warmup))
    # `check` in turn with `argdown json` (the 1,000-node ratio is a target), then the other commands
    check_with_peer(b, am, inp, out, runs=max(runs, b.runs), cap=max(cap, b.cap))
    for task, _label, _fmt, ok_codes in ADV_TASKS:
        if b.get(ARGMAP, task, shape, n) is not None:
            continue
        cmd, written = adv_command(am, task, inp, out)
        if written is not None:
            clean(written)
        b.run_together([(ARGMAP, task, shape, n, cmd, "", {"ok_codes": ok_codes,
                                                           "verify": file_written(written) if written else None})],
                       runs=runs, cap=cap)


def _mb(kb: int | None) -> str:
    return "" if not kb else f"{kb / 1024:.0f} MB"


def adv_report(b: Bench, inputs: list[Inputs]) -> list[str]:
    """The adversarial section: inputs, then per map every command with its peak memory and
    its ratio to the reference parse of the same file."""
    parts = ["## Adversarial maps (issue 16)", "",
             "Maps of `bench/genadv.py`, each shaped to hit one worst case (see its docstring): the same map as "
             "JSON and as YAML. Every argmap command runs on them as a whole process; \"peak memory\" is the "
             "highest resident memory of argmap and the processes it started, over the runs (each run is "
             "started by a small runner process, whose few MB are the least any figure can be: Linux counts "
             "the memory of the starting process into a program's peak). The "
             "reference is measured in the same run on the same file: a bare `yaml.CSafeLoader` parse for a "
             "command on the YAML, `json.load` for one on the JSON (both in a fresh `python`); `argdown json` "
             "stands beside `check` when the peer is installed, their runs taken in turn (one of each, then the "
             "next round), so the ratio is of the same moments of the machine.", ""]
    rows = []
    for inp in inputs:
        mi = input_meta(inp)
        rows.append([f"{inp.shape.split(':')[1]} {inp.n:,}", str(mi.get("nodes", "?")), str(mi.get("relations", "?")),
                     str(mi.get("quotes", "?")),
                     *[f"{p.stat().st_size / 1e6:.2f} MB" if p and p.exists() else "" for p in (inp.yaml, inp.json)]])
    parts += [md_table(["map", "nodes", "relations", "quotes", "YAML", "JSON"], rows), ""]
    rows = []
    for inp in inputs:
        ref = {"yaml": b.get(REFERENCE, "yaml-parse", inp.shape, inp.n), "json": b.get(REFERENCE, "json-parse", inp.shape, inp.n)}
        peer = b.get(ARGDOWN, "json", inp.shape, inp.n)
        for task, label, fmt, _ in ADV_TASKS:
            m = b.get(ARGMAP, task, inp.shape, inp.n)
            if m is None:
                continue
            r = ref[fmt]
            cell = ""
            if m.ok and r is not None and r.ok and r.median > 0:
                cell = f"{m.median / r.median:.1f}× the {fmt.upper()} parse ({fmt_seconds(r.median)})"
            if task.startswith("check") and peer is not None and (peer.ok or peer.status == "cap"):
                cell += f"; {ratio(m, peer)} than argdown json"
            rows.append([f"{inp.shape.split(':')[1]} {inp.n:,}", f"`{label}` ({fmt.upper()})", fmt_measure(m),
                         _mb(m.peak_rss), cell])
    parts += [md_table(["map", "command", "argmap", "peak memory", "vs reference"], rows), ""]
    return parts


def evaluate_adv_targets(b: Bench, inputs: list[Inputs]) -> list[Target]:
    """The targets of issue 16 against this run's adversarial figures (wall clock; CPU time beside it)."""
    out: list[Target] = []
    big = [inp for inp in inputs if inp.n == 10000]
    small = [inp for inp in inputs if inp.n == 1000]

    def add(what: str, limit_text: str, m: Measure | None, limit: float) -> None:
        if m is None or not m.ok:
            met = False if (m is not None and m.status in ("cap", "skip")) else None
            out.append(Target(what, limit_text, "not measured" if m is None else fmt_measure(m), met, cpu_met=met))
            return
        c = m.cpu_median
        out.append(Target(what, limit_text, fmt_seconds(m.median), m.median < limit,
                          "" if c is None else fmt_seconds(c), None if c is None else c < limit))

    for inp in big:
        name = inp.shape.split(":")[1]
        add(f"`check` JSON, 10,000 nodes, {name}", "< 1.0 s", b.get(ARGMAP, "check-json", inp.shape, 10000), 1.0)
    for inp in big:
        name = inp.shape.split(":")[1]
        ref = b.get(REFERENCE, "yaml-parse", inp.shape, 10000)
        limit = max(1.5, 2 * ref.median) if ref is not None and ref.ok else 1.5
        add(f"`check` YAML, 10,000 nodes, {name}", f"< {fmt_seconds(limit)} (1.5 s, or 2× the CSafeLoader parse)",
            b.get(ARGMAP, "check-yaml", inp.shape, 10000), limit)
    for inp in small:
        name = inp.shape.split(":")[1]
        p = b.get(ARGDOWN, "json", inp.shape, 1000)
        for task in ("check-json", "check-yaml"):
            a = b.get(ARGMAP, task, inp.shape, 1000)
            what = f"`check` {task[-4:].upper()} vs `argdown json`, 1,000 nodes, {name}"
            if a is None or not a.ok or p is None or not p.ok:
                out.append(Target(what, "≥ 3× faster", "not measured (peer not installed: make bench-peers)"
                                  if p is None or p.status == "na" else "not measured", None))
                continue
            r = p.median / a.median
            t = Target(what, "≥ 3× faster", f"{r:.1f}× faster", r >= 3)
            if a.cpu_median and p.cpu_median:
                rc = p.cpu_median / a.cpu_median
                t.cpu_measured, t.cpu_met = f"{rc:.1f}× faster", rc >= 3
            out.append(t)
    for inp in big:
        name = inp.shape.split(":")[1]
        h, v = b.get(ARGMAP, "html", inp.shape, 10000), b.get(ARGMAP, "svg", inp.shape, 10000)
        what = f"`render --html` vs `render --svg`, 10,000 nodes, {name}"
        if h is None or v is None or not h.ok or not v.ok:
            out.append(Target(what, "≤ 1.2×", "not measured", None))
            continue
        r = h.median / v.median
        t = Target(what, "≤ 1.2×", f"{r:.2f}×", r <= 1.2)
        if h.cpu_median and v.cpu_median:
            t.cpu_measured, t.cpu_met = f"{h.cpu_median / v.cpu_median:.2f}×", h.cpu_median / v.cpu_median <= 1.2
        out.append(t)
    out.append(Target("page interactive, 1,000 and 10,000 nodes", "< 1 s, < 5 s",
                      "not measured here (headless Chromium: bench/page_bench.py)", None))
    for inp in big:
        name = inp.shape.split(":")[1]
        add(f"`check --stats`, 10,000 nodes, {name}", "< 1.5 s", b.get(ARGMAP, "stats", inp.shape, 10000), 1.5)
    peaks = [(m.peak_rss, t, inp, m) for inp in big for t, _, _, _ in ADV_TASKS
             if (m := b.get(ARGMAP, t, inp.shape, 10000)) is not None and m.peak_rss]
    if peaks:
        kb, task, inp, m = max(peaks, key=lambda x: x[0])
        label = next(label for t, label, _, _ in ADV_TASKS if t == task)
        out.append(Target("peak memory, any command, any 10,000-node map", "< 1 GB",
                          f"{_mb(m.peak_rss)} (`{label}`, {inp.shape.split(':')[1]})", kb < 1024 * 1024))
        capped = [f"`{label}` {inp.shape.split(':')[1]}" for inp in big for t, label, _, _ in ADV_TASKS
                  if (m := b.get(ARGMAP, t, inp.shape, 10000)) is not None and m.status in ("cap", "skip")]
        if capped:
            out.append(Target("peak memory of the runs stopped at the cap", "< 1 GB",
                              "not known: " + ", ".join(capped), False))
    else:
        out.append(Target("peak memory, any command, any 10,000-node map", "< 1 GB", "not measured", None))
    out.append(Target("processes left after argmap is killed", "none",
                      "not measured here: tests/test_no_lingering.py kills render and check and looks", None))
    return out


# --------------------------------------------------------------------------- targets


@dataclass
class Target:
    what: str
    limit: str
    measured: str
    met: bool | None  # None: not measured
    cpu_measured: str = ""  # the same figure from CPU time (user + sys), which a busy machine inflates far less
    cpu_met: bool | None = None


def evaluate_targets(b: Bench, shapes: list[str]) -> list[Target]:
    """The targets of issue 8, against this run's figures (wall clock; CPU time beside it)."""
    out: list[Target] = []

    def under(what: str, m: Measure | None, limit: float) -> None:
        lim = f"< {fmt_seconds(limit)}"
        if m is None or not m.ok:
            met = False if (m is not None and m.status in ("cap", "skip") and b.cap >= limit) else None
            out.append(Target(what, lim, "not measured" if m is None else fmt_measure(m), met, cpu_met=met))
            return
        c = m.cpu_median
        out.append(Target(what, lim, fmt_seconds(m.median), m.median < limit,
                          "" if c is None else fmt_seconds(c), None if c is None else c < limit))

    def times_faster(r: float) -> str:
        return f"{r:.1f}× faster" if r >= 1 else f"{1 / r:.1f}× slower"

    under("`argmap --help`", b.get(ARGMAP, "help"), 0.15)
    under("`argmap check` of the seed map", b.get(ARGMAP, "check-seed"), 0.25)
    for shape in shapes:
        under(f"`argmap check` JSON, 10,000 nodes, {shape}", b.get(ARGMAP, "check-json", shape, 10000), 0.5)
        under(f"`argmap check` YAML, 10,000 nodes, {shape}", b.get(ARGMAP, "check-yaml", shape, 10000), 1.0)
    for shape in shapes:
        for task in ("check-json", "check-yaml"):
            small, big = b.get(ARGMAP, task, shape, 1000), b.get(ARGMAP, task, shape, 10000)
            g = growth(small, big)
            t = Target(f"`argmap check` {task[-4:].upper()} growth 1,000 → 10,000 nodes, {shape}", "≤ 12×",
                       "not measured" if g is None else f"{g:.1f}×", None if g is None else g <= 12)
            if g is not None and small.cpu_median and big.cpu_median:
                gc = big.cpu_median / small.cpu_median
                t.cpu_measured, t.cpu_met = f"{gc:.1f}×", gc <= 12
            out.append(t)
    under("`argmap render --svg` of the seed map", b.get(ARGMAP, "render-seed"), 1.0)
    for shape in shapes:
        under(f"`argmap render --svg`, 1,000 nodes, {shape}", b.get(ARGMAP, "render", shape, 1000), 10.0)
        under(f"`argmap render --svg`, 10,000 nodes, {shape}", b.get(ARGMAP, "render", shape, 10000), 60.0)
    for shape in shapes:
        for task in ("check-yaml", "check-json"):
            a, p = b.get(ARGMAP, task, shape, 1000), b.get(ARGDOWN, "json", shape, 1000)
            what = f"`argmap check` ({task[-4:].upper()}) vs `argdown json`, 1,000 nodes, {shape}"
            if a is None or not a.ok or p is None or not (p.ok or p.status == "cap"):
                side = "argmap" if a is None or not a.ok else "Argdown"
                out.append(Target(what, "≥ 4× faster", f"not measured (no {side} figure)", None))
                continue
            capped = p.status == "cap"
            r = (p.cap if capped else p.median) / a.median
            t = Target(what, "≥ 4× faster", ("> " if capped else "") + times_faster(r),
                       True if r >= 4 else (None if capped else False))
            if not capped and a.cpu_median and p.cpu_median:
                rc = p.cpu_median / a.cpu_median
                t.cpu_measured, t.cpu_met = times_faster(rc), rc >= 4
            out.append(t)
    return out


# --------------------------------------------------------------------------- import-time breakdown


def importtime(python: Path, argv: list[str], runs: int = 5, min_ms: float = 5.0, limit: int = 40,
               max_depth: int = 2) -> list[tuple[float, float, int, str]]:
    """`python -X importtime` of the argmap CLI with `argv`: (cumulative ms, self ms, depth, module), min over runs.

    Lines below `min_ms` cumulative, or nested deeper than `max_depth`, are
    dropped; top-level imports come most expensive first, each followed by
    what it imported, so the costs can be read top-down.
    """
    code = "import sys; sys.argv = ['argmap'] + sys.argv[1:]; from argmap.cli import main; main()"
    best: dict[str, list[float]] = {}
    order: list[tuple[str, int]] = []
    for _ in range(max(1, runs)):
        o = run_once([python, "-X", "importtime", "-c", code, *argv], 120, cwd=ROOT)
        for line in o.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            parts = line[len("import time:"):].split("|")
            if len(parts) != 3:
                continue
            try:
                self_us, cum_us = int(parts[0]), int(parts[1])
            except ValueError:
                continue
            name = parts[2].rstrip()
            mod = name.strip()
            depth = (len(name) - len(name.lstrip()) - 1) // 2
            if mod not in best:
                best[mod] = [cum_us, self_us]
                order.append((mod, depth))
            else:
                best[mod][0] = min(best[mod][0], cum_us)
                best[mod][1] = min(best[mod][1], self_us)
    rows = [(best[m][0] / 1000, best[m][1] / 1000, d, m) for m, d in order if best[m][0] / 1000 >= min_ms]
    # importtime prints children before parents: show parents first, like a tree
    tree = [r for r in _as_tree(rows) if r[2] <= max_depth]
    return tree[:limit]


def _as_tree(rows: list[tuple[float, float, int, str]]) -> list[tuple[float, float, int, str]]:
    """Reorder importtime lines (post-order) into pre-order, top-level entries by cost."""
    roots: list[tuple[tuple, list]] = []
    stack: list[tuple[tuple, list]] = []
    pending: dict[int, list] = {}
    for row in rows:
        depth = row[2]
        children = []
        for d in sorted([d for d in pending if d > depth]):
            children.extend(pending.pop(d))
        node = (row, children)
        pending.setdefault(depth, []).append(node)
    for d in sorted(pending):
        roots.extend(pending[d])
    del stack
    out: list[tuple[float, float, int, str]] = []

    def walk(node, depth):
        row, children = node
        out.append((row[0], row[1], depth, row[3]))
        for c in sorted(children, key=lambda c: -c[0][0]):
            walk(c, depth + 1)

    for r in sorted(roots, key=lambda n: -n[0][0]):
        walk(r, 0)
    return out


def importtime_block(title: str, rows: list[tuple[float, float, int, str]]) -> str:
    lines = [f"{title} (ms, minimum over runs; cumulative / self; imports under 5 ms and deeper than 2 levels omitted):",
             "", "```"]
    for cum, self_ms, depth, mod in rows:
        lines.append(f"{cum:7.1f} {self_ms:6.1f}  {'  ' * depth}{mod}")
    lines.append("```")
    return "\n".join(lines)


# --------------------------------------------------------------------------- report


def git_commit() -> str:
    o = run_once(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], 30)
    return o.stdout.strip() if o.code == 0 else "unknown"


def argmap_version(am: Argmap | None) -> str:
    if am is None:
        return "not installed"
    o = run_once([am.exe, "--version"], 30)
    return o.stdout.strip() or "unknown"


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def render_report(b: Bench, *, meta: dict, sizes: list[int], shapes: list[str], inputs: list[Inputs],
                  targets: list[Target], imports: list[str], adv_inputs: list[Inputs] | None = None,
                  adv_targets: list[Target] | None = None) -> str:
    """The whole Markdown report: settings, tables, growth, targets, import times."""
    parts: list[str] = [
        "# argmap benchmark results",
        "",
        "Written by `python bench/run.py` (`make bench`); rerun it to reproduce. Every figure is a whole process, "
        "wall clock: the median (min–max, number of runs). A warm-up run is dropped; a task whose first run "
        f"takes over {LONG_RUN:g} s gets 3 runs in all (the first counted), over {VERY_LONG_RUN:g} s just that one. "
        "\"> cap\" means a run was stopped at the time cap, and larger maps of that task, tool and shape are "
        "then skipped. \"N× faster\" is the peer's time divided by argmap's.",
        "",
        md_table(["", ""], [[k, v] for k, v in meta.items()]),
        "",
    ]
    if b.get("python", "pass") is not None:
        parts += ["## Start-up", ""]
    base_help = b.get(ARGMAP, "help")
    rows = [["python", "`python -c pass`", fmt_measure(b.get("python", "pass")), ""],
            [ARGMAP, "`argmap --help`", fmt_measure(base_help), ""],
            [ARGMAP, "`argmap check` of the seed map (59 nodes)", fmt_measure(b.get(ARGMAP, "check-seed")), ""]]
    if b.use_peers:
        rows.append([ARGDOWN, "`argdown --help`", fmt_measure(b.get(ARGDOWN, "help")), ratio(base_help, b.get(ARGDOWN, "help"))])
        rows.append([ARGUEBUF, "`python -c 'import arguebuf'`", fmt_measure(b.get(ARGUEBUF, "import")),
                     ratio(base_help, b.get(ARGUEBUF, "import"))])
    if b.get("python", "pass") is not None:
        parts += [md_table(["tool", "command", "time", "argmap --help vs peer"], rows), ""]
    if b.get(ARGMAP, "render-seed") is not None:
        parts += ["## Seed map and article", ""]
        parts += [md_table(["command", "input", "time"], [
        ["`argmap render --svg`", "maps/nato-asia-pacific.yaml (59 nodes)", fmt_measure(b.get(ARGMAP, "render-seed"))],
        ["`argmap extract`", "seeds/opportunity-knocks-nato-asia-pacific.txt", fmt_measure(b.get(ARGMAP, "extract-seed"))],
        ]), ""]

    if inputs:
        parts += ["## By size", "", "Inputs (one seeded map per row; the same map in each format):", ""]
        inp_rows = []
        for inp in inputs:
            mi = input_meta(inp)
            cells = []
            for kind in ("yaml", "json", "argdown", "aif"):
                path = getattr(inp, kind)
                cells.append(f"{path.stat().st_size / 1e6:.2f} MB" if path and path.exists() else f"missing: {inp.notes.get(kind, 'not written')}")
            inp_rows.append([f"{inp.shape} {inp.n:,}", str(mi.get("nodes", "?")), str(mi.get("relations", "?")),
                             str(mi.get("quotes", "?")), *cells])
        parts += [md_table(["map", "nodes", "relations", "quotes", "YAML", "JSON", "Argdown", "AIF"], inp_rows), ""]
        header = ["map", "task", "argmap"]
        if b.use_peers:
            header += ["Argdown", "argmap vs Argdown", "arguebuf", "argmap vs arguebuf"]
        rows = []
        for inp in inputs:
            for task, label, peer_list in COMPARISONS:
                a = b.get(ARGMAP, task, inp.shape, inp.n)
                if a is None:
                    continue
                row = [f"{inp.shape} {inp.n:,}", label, fmt_measure(a)]
                if b.use_peers:
                    for tool in (ARGDOWN, ARGUEBUF):
                        ptask = next((t for (pt, t) in peer_list if pt == tool), None)
                        pm = b.get(tool, ptask, inp.shape, inp.n) if ptask else None
                        if pm is None:
                            row += ["", ""]
                        else:
                            row += [f"{PEER_LABELS[(tool, ptask)]}: {fmt_measure(pm)}", ratio(a, pm)]
                if a.status == "na" and all(c == "" for c in row[3::2]):
                    continue  # nothing to show on either side
                rows.append(row)
        parts += [md_table(header, rows), ""]
        if b.use_peers:
            parts += [
                "What is compared: `argdown json` parses the Argdown file, checks it and writes its JSON: Argdown's "
                "checking pass, beside `argmap check` (their runs taken in turn, so their ratio is of the same moments of "
                "the machine). arguebuf has no checker; its AIF load (parse and build the "
                "graph) stands beside `argmap check` and `argmap import` of the same AIF file (which also writes the "
                "map: YAML in the canonical layout, or JSON). `argdown map -f svg` "
                "and arguebuf's load + DOT dump + Graphviz render stand beside `argmap render --svg`.",
                "",
            ]

    if 1000 in sizes and 10000 in sizes:
        parts += ["## Growth from 1,000 to 10,000 nodes", ""]
        rows = []
        seen = []
        for (tool, task, shape, n) in b.results:
            if shape is not None and (tool, task, shape) not in seen:
                seen.append((tool, task, shape))
        for tool, task, shape in seen:
            small, big = b.get(tool, task, shape, 1000), b.get(tool, task, shape, 10000)
            if small is None or big is None or (small.status == "na" and big.status == "na"):
                continue
            g = growth(small, big)
            cell = f"{g:.1f}×" if g is not None else ("> cap" if big.status in ("cap", "skip") else "")
            label = _task_label(tool, task)
            rows.append([tool, label, shape, fmt_measure(small), fmt_measure(big), cell])
        parts += [md_table(["tool", "task", "shape", "1,000 nodes", "10,000 nodes", "growth"], rows), ""]

    def verdict(met: bool | None, measured: str = "x") -> str:
        if not measured:
            return ""
        return "met" if met else ("**MISSED**" if met is False else "not measured")

    if adv_inputs:
        parts += adv_report(b, adv_inputs)
        if adv_targets:
            parts += ["### Targets (issue 16)", "",
                      "Verdicts on wall-clock medians; the CPU columns as below.", "",
                      md_table(["target", "limit", "measured (wall)", "verdict", "CPU time", "by CPU time"],
                               [[t.what, t.limit, t.measured, verdict(t.met), t.cpu_measured,
                                 verdict(t.cpu_met, t.cpu_measured)] for t in adv_targets]), ""]
            missed = [t for t in adv_targets if t.met is False]
            parts += [("**Missed in this run (issue 16):** " + "; ".join(f"{t.what}: {t.measured}" for t in missed) + ".")
                      if missed else "No target of issue 16 was missed in this run.", ""]
    if not targets:
        if imports:
            parts += ["## Start-up imports", "", "`python -X importtime`, run through argmap's entry point:", "", *imports, ""]
        return "\n".join(parts).rstrip() + "\n"
    parts += ["## Targets (issue 8)", ""]

    rows = [[t.what, t.limit, t.measured, verdict(t.met), t.cpu_measured, verdict(t.cpu_met, t.cpu_measured)] for t in targets]
    parts += [
        "Verdicts are on wall-clock medians, as the issue sets them. The CPU columns give the same figure from "
        "CPU time (user + sys of the process and its children): on a machine busy with other work, wall clock "
        "grows with the load while CPU time stays close to what an idle machine shows.",
        "",
        md_table(["target", "limit", "measured (wall)", "verdict", "CPU time", "by CPU time"], rows),
        "",
    ]
    missed = [t for t in targets if t.met is False]
    if missed:
        parts += ["**Missed in this run:** " + "; ".join(f"{t.what}: {t.measured} (limit {t.limit})" for t in missed) + ".", ""]
    else:
        parts += ["No target was missed in this run.", ""]
    unmeasured = [t for t in targets if t.met is None]
    if unmeasured:
        parts += [f"Not measured in this run: {len(unmeasured)} target(s) (a command or peer not available, or a size not run).", ""]

    if imports:
        parts += ["## Start-up imports", "", "`python -X importtime`, run through argmap's entry point:", "", *imports, ""]
    return "\n".join(parts).rstrip() + "\n"


# --------------------------------------------------------------------------- main


def threading_main() -> bool:
    import threading  # noqa: PLC0415

    return threading.current_thread() is threading.main_thread()


def parse_sizes(text: str) -> list[int]:
    """`100,1000,10_000` → [100, 1000, 10000]."""
    try:
        sizes = [int(x.strip().replace("_", "")) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"node counts separated by commas, e.g. 100,1000; got {text!r}") from None
    if not sizes or any(s < 2 for s in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 2 nodes")
    return sorted(set(sizes))


def parse_groups(text: str) -> list[str]:
    groups = [g.strip() for g in text.split(",") if g.strip()]
    bad = [g for g in groups if g not in GROUPS]
    if bad or not groups:
        raise argparse.ArgumentTypeError(f"unknown group(s) {', '.join(bad) or text!r}; choose from {', '.join(GROUPS)}")
    return groups


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Time argmap beside Argdown and arguebuf on the same seeded synthetic maps; "
        "print a Markdown table and write it to bench/RESULTS.md.",
    )
    ap.add_argument("--sizes", type=parse_sizes, default=None,
                    help="node counts to generate, comma-separated (default 100,1000,10000; --quick: 30)")
    ap.add_argument("--shapes", default=None,
                    help="map shapes, comma-separated (default: every shape bench/genmap.py offers)")
    ap.add_argument("--runs", type=int, default=None, help=f"timed runs per figure after a warm-up (default {DEFAULT_RUNS}; --quick: 1)")
    ap.add_argument("--cap", type=float, default=None, help=f"time cap per run in seconds (default {DEFAULT_CAP:g}; --quick: 20)")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"generator seed (default {DEFAULT_SEED})")
    ap.add_argument("--quick", action="store_true", help="a smoke run: one small size, one run each without warm-up, no import-time breakdown")
    ap.add_argument("--only", type=parse_groups, default=None,
                    help=f"measure only these groups, comma-separated: {', '.join(GROUPS)} (default: all)")
    ap.add_argument("--no-source", action="store_true",
                    help="generate maps without a source text and quotes (default: each map carries its article "
                         "inline and every node quotes it, so `argmap check` verifies quotes as on real maps)")
    ap.add_argument("--no-peers", action="store_true", help="measure argmap alone, even when the peers are installed")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md", help="where to write the Markdown (default bench/RESULTS.md); '-' for none")
    ap.add_argument("--workdir", type=Path, default=HERE / "out", help="generated maps and outputs (default bench/out, git-ignored)")
    ap.add_argument("--json", type=Path, default=None, help="also write every figure as JSON here")
    ap.add_argument("--adv-sizes", type=parse_sizes, default=None,
                    help="node counts of the adversarial maps (bench/genadv.py; default 1000,10000; --quick: 30)")
    ap.add_argument("--adv-shapes", default=None, help="adversarial shapes, comma-separated (default: all of bench/genadv.py)")
    ap.add_argument("--adv-runs", type=int, default=None, help=f"timed runs per adversarial figure (default {ADV_RUNS}; --quick: 1)")
    ap.add_argument("--adv-cap", type=float, default=None, help=f"time cap per adversarial run in seconds (default {ADV_CAP:g})")
    return ap


def _exit_on_sigterm(signum, frame):  # so a killed benchmark ends the run it was timing (run_once)
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if threading_main():
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(DEFAULT_SIZES))
    runs = args.runs if args.runs is not None else (1 if args.quick else DEFAULT_RUNS)
    cap = args.cap if args.cap is not None else (20.0 if args.quick else DEFAULT_CAP)
    if runs < 1 or cap <= 0:
        print("bench/run.py: --runs must be at least 1 and --cap positive.", file=sys.stderr)
        return 2
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.time()
    load_start = loadavg()
    commit_start = git_commit()

    exe = find_argmap()
    am = Argmap(exe, cap) if exe else None
    b = Bench(runs=runs, cap=cap, workdir=workdir, use_peers=not args.no_peers, warmup=not args.quick,
              groups=frozenset(args.only or GROUPS),
              adv_runs=args.adv_runs if args.adv_runs is not None else (1 if args.quick else ADV_RUNS),
              adv_cap=args.adv_cap if args.adv_cap is not None else (20.0 if args.quick else ADV_CAP))

    genmap, why = load_genmap()
    shapes = [s.strip() for s in args.shapes.split(",")] if args.shapes else (genmap_shapes(genmap) if genmap else ["tree", "random"])

    if b.wants("startup"):
        bench_startup(b, am)
    if b.wants("seed"):
        bench_seed_tasks(b, am)
    inputs: list[Inputs] = []
    if genmap is None:
        log(f"no synthetic maps: {why}")
    elif am is None:
        log("no synthetic maps: argmap is not installed")
    elif not ({"check", "render", "import"} & b.groups):
        pass
    else:
        for n in sizes:
            for shape in shapes:
                log(f"generating {shape} {n:,}")
                try:
                    inp = prepare_inputs(genmap, am, shape, n, args.seed, workdir, source=not args.no_source)
                except Exception as exc:  # the generator is someone else's module: say what broke, go on
                    log(f"  could not generate {shape} {n:,}: {type(exc).__name__}: {exc}")
                    continue
                inputs.append(inp)
                bench_size(b, am, inp)

    adv_inputs: list[Inputs] = []
    if b.wants("adversarial"):
        genadv, why = load_genadv()
        if genadv is None or am is None:
            log(f"no adversarial maps: {why or 'argmap is not installed'}")
        else:
            adv_sizes = args.adv_sizes or (list(QUICK_ADV_SIZES) if args.quick else list(ADV_SIZES))
            adv_shapes = [x.strip() for x in args.adv_shapes.split(",")] if args.adv_shapes else list(genadv.SHAPES)
            want_argdown = b.use_peers and peers.argdown_bin() is not None
            for n in adv_sizes:
                for shape in adv_shapes:
                    log(f"generating adversarial {shape} {n:,}")
                    try:
                        inp = prepare_adv_inputs(genadv, am, shape, n, args.seed, workdir, want_argdown)
                    except Exception as exc:  # say what broke, go on
                        log(f"  could not generate {shape} {n:,}: {type(exc).__name__}: {exc}")
                        continue
                    adv_inputs.append(inp)
                    bench_adversarial(b, am, inp)

    imports: list[str] = []
    if am is not None and not args.quick and b.wants("startup"):
        log("import-time breakdown")
        imports.append(importtime_block("`argmap --help`", importtime(am.python, ["--help"], runs=10)))
        if am.has("check"):
            imports.append("")
            imports.append(importtime_block("`argmap check` of the seed map", importtime(am.python, ["check", str(SEED_MAP)], runs=10)))
        imports.append("")
        imports.append(importtime_block("`argmap export --to json` of the seed map",
                                        importtime(am.python, ["export", str(SEED_MAP), "--to", "json"], runs=10)))

    targets = evaluate_targets(b, shapes) if b.groups - {"adversarial"} else []
    adv_targets = evaluate_adv_targets(b, adv_inputs) if adv_inputs else []
    versions = peers.installed_versions() if b.use_peers else {}
    meta = {
        "date (UTC)": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "argmap": f"{argmap_version(am)} (commit {commit_start}"
                  + (f" at the start, {git_commit()} at the end: argmap is installed editable, so later runs may "
                     "include changes made meanwhile)" if git_commit() != commit_start else ")"),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores; load average {load_start} at start, {loadavg()} at end",
        "Python": platform.python_version(),
        "peers": (f"Argdown CLI {versions.get('argdown') or 'not installed'} (Node {versions.get('node') or '-'}); "
                  f"arguebuf {versions.get('arguebuf') or 'not installed'} (its SVG render laid out by {arguebuf_layout(workdir)[1]})")
        if b.use_peers else "not measured (--no-peers)",
        "settings": f"sizes {', '.join(f'{s:,}' for s in sizes)}; shapes {', '.join(shapes)}; seed {args.seed}; "
                    f"{runs} run(s) per figure; cap {cap:g} s",
        "duration": f"{time.time() - started:.0f} s",
    }
    if adv_inputs:
        meta["adversarial maps"] = (f"sizes {', '.join(sorted({f'{i.n:,}' for i in adv_inputs}, key=lambda x: int(x.replace(',', ''))))}; "
                                    f"shapes {', '.join(dict.fromkeys(i.shape.split(':')[1] for i in adv_inputs))}; "
                                    f"{b.adv_runs} run(s) per figure; cap {b.adv_cap:g} s (`check`, in turn with "
                                    f"`argdown json`: {max(b.adv_runs, b.runs)} runs, cap {max(b.adv_cap, b.cap):g} s)")
    report = render_report(b, meta=meta, sizes=sizes, shapes=shapes, inputs=inputs, targets=targets, imports=imports,
                           adv_inputs=adv_inputs, adv_targets=adv_targets)
    sys.stdout.write(report)
    if str(args.out) != "-":
        args.out.write_text(report, encoding="utf-8")
        log(f"wrote {args.out}")
    if args.json:
        data = {
            "meta": meta,
            "results": [{"tool": k[0], "task": k[1], "shape": k[2], "nodes": k[3], **m.to_json()} for k, m in b.results.items()],
            "targets": [t.__dict__ for t in targets],
            "targets_issue_16": [t.__dict__ for t in adv_targets],
        }
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
