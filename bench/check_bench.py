"""Benchmark `argmap check`: whole-process wall time, with a reference run.

    python bench/check_bench.py [--repeat 7] [--sizes 1000,10000] [--out bench/out]

Generates seeded synthetic maps (bench/genmap.py: tree and mixed shapes, YAML
and JSON), then times the installed `argmap check` on each, the shipped seed
map, and `python -c pass` and `argmap --help` as references, all measured in
the same run. Prints the median and best of N runs and the ratio of the
median to `python -c pass`, so figures from a loaded machine can still be
compared. Targets (issue 3): seed map < 0.25 s; 10,000 nodes JSON < 0.5 s,
YAML < 1.0 s; 1,000 nodes at least 4x faster than Argdown's 0.68 s (0.17 s).
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

TARGETS = {("seed", "yaml"): 0.25, (10000, "json"): 0.5, (10000, "yaml"): 1.0, (1000, "yaml"): 0.17,
           (1000, "json"): 0.17}


def timed(cmd: list[str], repeat: int, expect: int = 0) -> list[tuple[float, float]]:
    """(wall, CPU) seconds of ``repeat`` runs, after one warm-up run (which also writes
    the bytecode caches: PYTHONDONTWRITEBYTECODE is dropped, as users do not set it)."""
    times = []
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"GITHUB_ACTIONS": "", "NO_COLOR": "1"})
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
    args = ap.parse_args(argv)

    argmap = str(Path(sys.executable).parent / "argmap")
    if not Path(argmap).exists():
        raise SystemExit(f"argmap is not installed next to {sys.executable}; run `make` first")
    cases: list[tuple[str, object, str, list[str]]] = []
    cases.append(("python -c pass", "-", "-", [sys.executable, "-c", "pass"]))
    cases.append(("argmap --help", "-", "-", [argmap, "--help"]))
    cases.append(("check seed map", "seed", "yaml", [argmap, "check", "maps/nato-asia-pacific.yaml"]))
    cases.append(("check seed --strict --stats", "seed", "yaml",
                  [argmap, "check", "--strict", "--stats", "maps/nato-asia-pacific.yaml"]))
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
        runs = timed(cmd, args.repeat, *expect)
        med = statistics.median(w for w, _ in runs)
        best = min(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        if ref is None:
            ref = med
        target = TARGETS.get((size, fmt)) if size != "-" else None
        rows.append((label, med, best, cpu, med / ref, target))

    try:
        load = os.getloadavg()
        load_s = f"load average {load[0]:.2f} on {os.cpu_count()} CPUs"
    except OSError:  # pragma: no cover
        load_s = ""
    print(f"argmap check benchmark: {args.repeat} runs each, whole process ({load_s})")
    print("wall = elapsed time; cpu = user+system time of the process (less sensitive to a busy machine)")
    print(f"{'case':<30} {'wall med':>9} {'wall best':>9} {'cpu med':>8} {'x pass':>7}  target (wall best)")
    for label, med, best, cpu, ratio, target in rows:
        t = "" if target is None else f"< {target:.2f} s  {'ok' if best < target else 'missed'}"
        print(f"{label:<30} {med:9.3f} {best:9.3f} {cpu:8.3f} {ratio:7.1f}  {t}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
