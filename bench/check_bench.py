"""Benchmark `argmap check`: whole-process wall time, with a reference run.

    python bench/check_bench.py [--repeat 7] [--sizes 1000,10000] [--out bench/out]

Generates seeded synthetic maps (bench/genmap.py: tree and mixed shapes, YAML
and JSON), then times the installed `argmap check` on each, the shipped seed
map, and `python -c pass` and `argmap --help` as references, all measured in
the same run. Prints the median and best of N runs and the ratio of the
median to `python -c pass`, so figures from a loaded machine can still be
compared. Targets (issue 3): seed map < 0.25 s; 10,000 nodes JSON < 0.5 s,
YAML < 1.0 s; 1,000 nodes at least 4x faster than Argdown's 0.68 s (0.17 s).

    python bench/check_bench.py --baseline 59088b5 [--sizes 1000] [--repeat 9]

also times the `argmap check` of that git revision, installed once into its
own virtual environment under bench/out (with the dependencies it pinned),
on the same maps in the same run, the two runs of each case interleaved so a
change in the machine's load touches both; it prints old, new and new/old,
and marks a map of at most 1,000 nodes whose median is more than 20 % slower
(issue 15). The seed map is the revision's own copy, which both versions read.

    python bench/check_bench.py --rules [--baseline 06867e9] [--repeat 9] [MAP ...]

times just the rules (``run_checks`` on a map loaded beforehand) in process,
per map: CPU and wall time, median and best of N runs. argmap runs its rules
in one process, so the CPU figure is all of their work and revisions compare
like for like. As a yardstick measured
in the same process, ``json.loads`` of the map's own file is timed too (the
"x json" column), so figures from a busy machine stay comparable. With
``--baseline REV`` the rules of that commit (``git archive REV src``) are
timed on the same maps in a second process right after, and the ratio
old / new is printed. Default maps: the 10,000-node tree and mixed maps of
bench/out/maps (generated when missing) and the seed map.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from genmap import generate, write  # noqa: E402
from run import run_env  # noqa: E402

TARGETS = {("seed", "yaml"): 0.25, (10000, "json"): 0.5, (10000, "yaml"): 1.0, (1000, "yaml"): 0.17,
           (1000, "json"): 0.17}


def timed(cmd: list[str], repeat: int, expect: int = 0, *, warm: bool = True) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``repeat`` runs, after one warm-up run unless ``warm`` is False
    (the warm-up also writes the bytecode caches: see :func:`run.run_env`)."""
    times = []
    env = run_env()
    env.update({"GITHUB_ACTIONS": "", "NO_COLOR": "1"})
    if warm:
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        times.append((wall, cpu))
        if r.returncode != expect:
            raise SystemExit(f"{' '.join(cmd)} exited {r.returncode}: {r.stderr.decode()[:500]}")
    return times


def hostile_maps(out: Path) -> dict[str, Path]:
    """Degenerate but valid maps (each gives findings, so check exits 1)."""
    import json
    import random

    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(1)
    maps = {}
    n = 2002  # one node with 10,000 relations to random others
    nodes = [{"id": "t", "kind": "thesis", "text": "The thesis."}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": f"Claim number {i} says something {rng.randint(0, 99)}.",
               "supports": ["t"]} for i in range(1, n)]
    nodes[1]["supports"] = [f"n{rng.randint(1, n - 1)}" for _ in range(5000)]
    nodes[1]["attacks"] = [f"n{rng.randint(1, n - 1)}" for _ in range(5000)]
    maps["2002 nodes, 10k relations on one"] = {"argmap": 1, "nodes": nodes}
    nodes = [{"id": "t", "kind": "thesis", "text": "Same text for all."}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": "Same text for all.", "supports": ["t"]} for i in range(400)]
    maps["400 copies of one text"] = {"argmap": 1, "nodes": nodes}
    k = 2000  # every node supports and attacks itself and its neighbours, undercuts everywhere
    maps["2000 nodes, cycles everywhere"] = {"argmap": 1, "nodes": [
        {"id": f"c{i}", "kind": "thesis" if i == 0 else "claim", "text": f"C{i}.",
         "supports": [f"c{i}", f"c{(i + 1) % k}", {"to": f"c{(i + 2) % k}", "with": [f"c{i}", f"c{(i + 3) % k}"]}],
         "attacks": [f"c{i}", f"c{(i - 1) % k}"],
         "undercuts": [f"c{i}->c{i}", f"c{(i + 1) % k}->c{(i + 2) % k}"]} for i in range(k)]}
    paths = {}
    for label, data in maps.items():
        path = out / ("hostile-" + "-".join(label.replace(",", "").split()) + ".json")
        path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        paths[label] = path
    return paths


def rule_times(paths: list[str], repeat: int) -> dict[str, dict]:
    """In-process time of the rules on each map (loaded once, outside the timing)."""
    os.environ["ARGMAP_WORKERS"] = "1"  # revisions before 2026-12 forked a second process unless told not to
    import gc
    import json

    from argmap.map import source
    from argmap.checks.runner import run_checks
    from argmap.io.config import Config
    from argmap.io.loading import load_map

    out = {}
    for path in paths:
        loaded = load_map(path)
        raw = Path(path).read_text(encoding="utf-8")
        cpu, wall, yard = [], [], []
        count = 0
        for _ in range(repeat):
            source.normalized.cache_clear()  # each run indexes the source afresh
            gc.collect()
            gc.disable()
            try:
                w, c = time.perf_counter(), time.process_time()
                count = len(run_checks(loaded, Config()))
                cpu.append(time.process_time() - c)
                wall.append(time.perf_counter() - w)
                if path.endswith(".json"):
                    c = time.process_time()
                    json.loads(raw)
                    yard.append(time.process_time() - c)
            finally:
                gc.enable()
        out[path] = {"cpu": statistics.median(cpu), "cpu_best": min(cpu), "wall": statistics.median(wall),
                     "wall_best": min(wall), "json": statistics.median(yard) if yard else None, "diagnostics": count,
                     "argmap": str(Path(source.__file__).parent)}
    return out


def default_rule_maps(out: Path) -> list[str]:
    maps = [str(p) for shape in ("tree", "mixed") for p in sorted((out / "maps").glob(f"{shape}-10000-*.json"))
            if p.name.count(".") == 1]  # not the .aif.json / .meta.json beside them
    if not maps:
        for shape in ("tree", "mixed"):
            _, j = write(generate(10_000, shape, 1, source=True), out / f"rules-10000-{shape}-src")
            maps.append(str(j))
    return maps + ["maps/nato-asia-pacific.yaml"]


def rules_main(args) -> int:
    import json
    import tempfile

    paths = [str(p) for p in args.maps] or default_rule_maps(args.out)
    new = rule_times(paths, args.repeat)
    if args.json:
        print(json.dumps(new))
        return 0
    old = None
    if args.baseline:
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "archive", args.baseline, "src"], cwd=ROOT, capture_output=True,
                                     check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            env = dict(os.environ, PYTHONPATH=str(Path(tmp) / "src"))
            r = subprocess.run([sys.executable, __file__, "--rules", "--json", "--repeat", str(args.repeat), *paths],
                               cwd=ROOT, env=env, capture_output=True, text=True)
            if r.returncode != 0:
                raise SystemExit(f"the baseline run failed: {r.stderr[-2000:]}")
            old = json.loads(r.stdout.strip().splitlines()[-1])
    print(f"argmap check rules, in process: {args.repeat} runs per map (median; best in brackets); "
          "'x json' = rule CPU time / json.loads of the same file")
    head = f"{'map':<44} {'cpu ms':>14} {'wall ms':>14} {'x json':>7} {'diags':>6}"
    if old:
        head += f"  {'old cpu ms':>16} {'old/new':>7}"
    print(head)
    for p in paths:
        n = new[p]
        yard = f"{n['cpu'] / n['json']:7.1f}" if n["json"] else f"{'-':>7}"
        line = (f"{Path(p).name:<44} {n['cpu'] * 1000:7.1f} ({n['cpu_best'] * 1000:5.1f}) "
                f"{n['wall'] * 1000:7.1f} ({n['wall_best'] * 1000:5.1f}) {yard} {n['diagnostics']:6d}")
        if old:
            o = old[p]
            line += f"  {o['cpu'] * 1000:8.1f} ({o['cpu_best'] * 1000:5.1f}) {o['cpu'] / n['cpu']:7.2f}"
            if o["diagnostics"] != n["diagnostics"]:
                line += f"  (old: {o['diagnostics']} diagnostics!)"
        print(line)
    if old:
        print(f"baseline {args.baseline}: {next(iter(old.values()))['argmap']}")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs per case (median and best are reported)")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated node counts")
    ap.add_argument("--shapes", default="tree,mixed", help="comma-separated shapes (tree, mixed)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=HERE / "out", help="where generated maps go")
    ap.add_argument("--hostile", action="store_true",
                    help="also time strange-but-valid maps (a node with 10,000 relations, 400 copies of one "
                         "text, self-loops and cycles everywhere); check must stay near-linear on them")
    ap.add_argument("--rules", action="store_true", help="time only the rules, in process (see the module docs)")
    ap.add_argument("--baseline", default=None, metavar="REV",
                    help="also time the check (with --rules: the rules) of this git revision and print old/new")
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # --rules, for the baseline process
    ap.add_argument("maps", nargs="*", type=Path, help="with --rules: the maps to time")
    args = ap.parse_args(argv)
    if args.rules:
        return rules_main(args)
    if args.maps:
        ap.error("maps are given only with --rules")

    argmap = str(Path(sys.executable).parent / "argmap")
    if not Path(argmap).exists():
        raise SystemExit(f"argmap is not installed next to {sys.executable}; run `make` first")
    old_argmap, seed = None, "maps/nato-asia-pacific.yaml"
    if args.baseline:
        old_argmap, seed = baseline_argmap(args.baseline, args.out)
    cases: list[tuple[str, object, str, list[str]]] = []
    cases.append(("python -c pass", "-", "-", [sys.executable, "-c", "pass"]))
    cases.append(("argmap --help", "-", "-", [argmap, "--help"]))
    cases.append(("check seed map", "seed", "yaml", [argmap, "check", seed]))
    cases.append(("check seed --strict --stats", "seed", "yaml", [argmap, "check", "--strict", "--stats", seed]))
    for n in [int(s) for s in args.sizes.split(",") if s]:
        for shape in [s for s in args.shapes.split(",") if s]:
            y, j = write(generate(n, shape, args.seed), args.out / f"map-{n}-{shape}-s{args.seed}")
            for fmt, path in (("json", j), ("yaml", y)):
                cases.append((f"check {n} {shape} {fmt}", n, fmt, [argmap, "check", "--strict", str(path)]))

    if args.hostile:
        for label, path in hostile_maps(args.out).items():
            cases.append((f"check hostile {label}", "-", "-", [argmap, "check", "--strict", str(path)], 1))

    rows = []
    ref = None
    for label, size, fmt, cmd, *expect in cases:
        old_cmd = [old_argmap, *cmd[1:]] if old_argmap and cmd[0] == argmap else None
        runs, old_runs = [], []
        for k in range(args.repeat):  # interleaved, so a change of load touches both; one warm-up each
            runs += timed(cmd, 1, *expect, warm=k == 0)
            if old_cmd:
                old_runs += timed(old_cmd, 1, *expect, warm=k == 0)
        med = statistics.median(w for w, _ in runs)
        best = min(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        if ref is None:
            ref = med
        target = TARGETS.get((size, fmt)) if size != "-" else None
        old_med = statistics.median(w for w, _ in old_runs) if old_runs else None
        rows.append((label, med, best, cpu, med / ref, target, old_med, size))

    try:
        load = os.getloadavg()
        load_s = f"load average {load[0]:.2f} on {os.cpu_count()} CPUs"
    except OSError:  # pragma: no cover
        load_s = ""
    print(f"argmap check benchmark: {args.repeat} runs each, whole process ({load_s})")
    print("wall = elapsed time; cpu = user+system time of the process (less sensitive to a busy machine)")
    head = f"{'case':<30} {'wall med':>9} {'wall best':>9} {'cpu med':>8} {'x pass':>7}"
    print(head + (f" {'old med':>8} {'new/old':>8}" if old_argmap else "") + "  target (wall best)")
    for label, med, best, cpu, ratio, target, old_med, size in rows:
        t = "" if target is None else f"< {target:.2f} s  {'ok' if best < target else 'missed'}"
        line = f"{label:<30} {med:9.3f} {best:9.3f} {cpu:8.3f} {ratio:7.1f}"
        if old_argmap:
            line += f" {old_med:8.3f} {med / old_med:8.2f}" if old_med else f" {'-':>8} {'-':>8}"
            if old_med and (size == "seed" or isinstance(size, int) and size <= 1000):
                t = f"new/old <= 1.20  {'ok' if med / old_med <= 1.2 else 'MISSED'}" + (f"; {t}" if t else "")
        print(f"{line}  {t}")
    if old_argmap:
        print(f"baseline {args.baseline}: {old_argmap}")
    return 0


def baseline_argmap(rev: str, out: Path) -> tuple[str, str]:
    """The ``argmap`` of git revision ``rev``, installed once into its own virtual
    environment under ``out`` (with the dependencies that revision pinned), and the
    path of that revision's seed map."""
    import tempfile

    sha = subprocess.run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.strip()
    home = (out / f"baseline-{sha[:12]}").resolve()
    exe, seed = home / "venv" / "bin" / "argmap", home / "maps" / "nato-asia-pacific.yaml"
    if not exe.exists():
        print(f"installing argmap {sha[:12]} into {home} (once) ...", file=sys.stderr)
        with tempfile.TemporaryDirectory() as tmp:
            archive = subprocess.run(["git", "archive", sha], cwd=ROOT, capture_output=True, check=True).stdout
            subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
            home.mkdir(parents=True, exist_ok=True)
            for folder in ("maps", "seeds"):  # the seed map and the article it quotes
                subprocess.run(["cp", "-r", str(Path(tmp) / folder), str(home)], check=True)
            subprocess.run([sys.executable, "-m", "venv", str(home / "venv")], check=True)
            subprocess.run([str(home / "venv" / "bin" / "python"), "-m", "pip", "install", "-q", tmp], check=True)
    return str(exe), str(seed)


if __name__ == "__main__":
    sys.exit(main())
