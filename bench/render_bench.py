"""How fast `argmap render --svg` draws big maps (issue 4, "Big maps").

Whole processes, timed from outside, on seeded synthetic maps in YAML (what
users keep in git):

* ``mixed``: ``bench/genmap.py``'s tree-like map (a random recursive tree)
  plus about 0.5 random extra relations per node;
* ``random``: statements with 1.5 uniformly random relations per node (80 %
  supports, 20 % attacks), the shape that takes Argdown 532 s at 1,000 nodes.

For each map it prints the wall clock (median, min–max of the runs), the CPU
time (user + sys of argmap and Graphviz), the layout strategy argmap chose
(its own output line), the size of the drawing (px at 96 per inch, and its
proportions: issue 18's target for the seed map is between 1:2.5 and 2.5:1,
at most 2,600 px), the target and a verdict; the seed map too; and, when
the Argdown CLI is installed (``make bench-peers``), ``argdown map -f svg`` of
the same 1,000-node tree-like map in the same run, with the ratio.

    .venv/bin/python bench/render_bench.py                 # 1,000 and 10,000 nodes
    .venv/bin/python bench/render_bench.py --sizes 1000 --runs 5

Figures depend on the machine and its load (printed first): compare the CPU
column when the machine is busy. Nothing here is used by a test.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT / "maps" / "nato-asia-pacific.yaml"
ARGMAP = Path(sys.executable).parent / "argmap"
TARGETS = {1000: 10.0, 10000: 60.0}
SEED_TARGET = 1.0
ARGDOWN_RATIO = 2.0  # argmap must be at least this much faster on the 1,000-node tree-like map

sys.path.insert(0, str(HERE))


def _dump_yaml(data: dict) -> str:
    import yaml

    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False,
                     allow_unicode=True, width=1000, default_flow_style=None)


def random_map(n: int, seed: int = 1, per_node: float = 1.5) -> dict:
    """``n`` statements, ``per_node * n`` uniformly random relations (no self-relations)."""
    rng = random.Random(seed)
    kinds = ["claim"] * 5 + ["premise"] * 4 + ["recommendation"] * 1
    nodes = [{"id": "n0", "kind": "thesis", "text": "Statement 0 is the thesis of this synthetic map."}]
    for i in range(1, n):
        nodes.append({"id": f"n{i}", "kind": rng.choice(kinds),
                      "text": f"Statement {i} of a synthetic map with uniformly random relations."})
    for _ in range(int(per_node * n)):
        a, b = rng.randrange(n), rng.randrange(n)
        while b == a:
            b = rng.randrange(n)
        rel = "supports" if rng.random() < 0.8 else "attacks"
        if rel == "attacks":
            nodes[a]["kind"] = "objection" if nodes[a]["kind"] != "thesis" else "thesis"
        nodes[a].setdefault(rel, [])
        if f"n{b}" not in nodes[a][rel]:
            nodes[a][rel].append(f"n{b}")
    return {"argmap": 1, "title": f"Synthetic map: {n} nodes, uniformly random relations, seed {seed}",
            "nodes": nodes}


def mixed_map(n: int, seed: int = 1) -> dict:
    try:
        from genmap import generate
    except ImportError:  # pragma: no cover - genmap is part of bench/
        raise SystemExit("bench/genmap.py is missing")
    return generate(n, "mixed", seed)


def timed(cmd: list[str], cap: float) -> tuple[float, float, str, int]:
    """Wall seconds, CPU seconds (children), stderr, return code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=cap)
        rc, err = p.returncode, p.stderr
    except subprocess.TimeoutExpired:
        rc, err = -1, f"> {cap:g} s (cap)"
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, err, rc


def measure(cmd: list[str], runs: int, cap: float) -> dict:
    walls, cpus, err, rc = [], [], "", 0
    for i in range(runs):
        wall, cpu, err, rc = timed(cmd, cap)
        if rc != 0:
            return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {rc}"}
        walls.append(wall)
        cpus.append(cpu)
        if wall > 20 and i == 0:
            break  # slow: one run is enough
    m = re.search(r"layout: ([^;]*(?:;[^;]*relation[^;]*)?)", err)
    return {"wall": statistics.median(walls), "min": min(walls), "max": max(walls), "runs": len(walls),
            "cpu": statistics.median(cpus), "strategy": m.group(1) if m else ""}


def drawn(svg: Path) -> str:
    """The SVG's size in px (96 per inch) and its proportions, from its root element."""
    try:
        with open(svg, encoding="utf-8") as fh:
            head = fh.read(2000)
    except OSError:
        return ""
    m = re.search(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"', head)
    if not m:
        return ""
    w, h = (float(v) * 4 / 3 for v in m.groups())
    return f"{w:,.0f} x {h:,.0f} ({w / h:.2f}:1)"


def fmt(m: dict | None) -> str:
    if not m:
        return "n/a"
    if "error" in m:
        return f"failed: {m['error']}"
    spread = f" ({m['min']:.2f}–{m['max']:.2f}, {m['runs']} runs)" if m["runs"] > 1 else " (1 run)"
    return f"{m['wall']:.2f} s{spread}"


def verdict(m: dict | None, target: float) -> str:
    if not m or "error" in m:
        return "?"
    wall_ok, cpu_ok = m["wall"] < target, m["cpu"] < target
    if wall_ok:
        return "yes"
    return "CPU yes, wall no (machine busy)" if cpu_ok else "NO"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated node counts")
    ap.add_argument("--shapes", default="mixed,random", help="mixed (tree-like + cross relations), random")
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (one for runs over 20 s)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cap", type=float, default=600.0, help="give up on one run after this many seconds")
    ap.add_argument("--no-argdown", action="store_true", help="skip the Argdown comparison")
    ap.add_argument("--keep", metavar="DIR", help="write maps and SVGs here (default: a temporary folder)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]

    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="argmap-render-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    load = os.getloadavg()
    print(f"# argmap render benchmark\n\nmachine: {os.cpu_count()} CPUs, load average "
          f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}; python {sys.version.split()[0]}; "
          f"layout binary {Path(sys.executable).parent / 'graphviz-pure'}\n")
    rows = []
    seed_svg = tmp / "seed.svg"
    m = measure([str(ARGMAP), "render", str(SEED), "--svg", "-o", str(seed_svg)], max(args.runs, 3), args.cap)
    m["drawn"] = drawn(seed_svg)
    rows.append(("seed map", "79", m, SEED_TARGET))
    maps: dict[tuple[str, int], Path] = {}
    for shape in shapes:
        for n in sizes:
            data = mixed_map(n, args.seed) if shape == "mixed" else random_map(n, args.seed)
            path = tmp / f"{shape}-{n}.yaml"
            path.write_text(_dump_yaml(data), encoding="utf-8")
            maps[(shape, n)] = path
            rels = sum(len(x.get("supports", [])) + len(x.get("attacks", [])) for x in data["nodes"])
            m = measure([str(ARGMAP), "render", str(path), "--svg", "-o", str(path.with_suffix(".svg"))],
                        args.runs, args.cap)
            m["drawn"] = drawn(path.with_suffix(".svg"))
            rows.append((f"{shape}, {n:,} nodes", f"{rels:,}", m, TARGETS.get(n)))
            print(f"  measured {shape} {n}: {fmt(m)}", file=sys.stderr)

    print("| map | relations | `argmap render --svg` wall | CPU | layout | drawing, px | target | met |")
    print("|---|---|---|---|---|---|---|---|")
    for name, rels, m, target in rows:
        cpu = f"{m['cpu']:.2f} s" if m and "cpu" in m else ""
        strat = m.get("strategy", "") if m else ""
        tgt = f"< {target:g} s" if target else ""
        print(f"| {name} | {rels} | {fmt(m)} | {cpu} | {strat} | {m.get('drawn', '')} | {tgt} | "
              f"{verdict(m, target) if target else ''} |")

    if not args.no_argdown and ("mixed", 1000) in maps:
        try:
            from peers import argdown_bin
        except ImportError:
            argdown_bin = lambda: None  # noqa: E731
        exe = argdown_bin()
        print()
        if exe is None:
            print("Argdown: not installed (make bench-peers); no comparison.")
        else:
            src = maps[("mixed", 1000)]
            ad = src.with_suffix(".argdown")
            p = subprocess.run([str(ARGMAP), "export", str(src), "--to", "argdown", "-o", str(ad)],
                               capture_output=True, text=True)
            if p.returncode != 0:
                print(f"Argdown: could not export the map ({p.stderr.strip()})")
            else:
                out = tmp / "argdown-svg"
                out.mkdir(exist_ok=True)
                am = next(m for name, _r, m, _t in rows if name == "mixed, 1,000 nodes")
                adm = measure([str(exe), "map", "-f", "svg", str(ad), str(out)], args.runs, args.cap)
                print("| 1,000-node tree-like map | wall | CPU |")
                print("|---|---|---|")
                print(f"| `argmap render --svg` | {fmt(am)} | {am.get('cpu', 0):.2f} s |")
                print(f"| `argdown map -f svg` | {fmt(adm)} | {adm.get('cpu', 0):.2f} s |")
                if "wall" in am and "wall" in adm:
                    r_wall, r_cpu = adm["wall"] / am["wall"], adm["cpu"] / max(am["cpu"], 1e-9)
                    ok = "yes" if r_wall >= ARGDOWN_RATIO else "NO"
                    print(f"\nargmap is {r_wall:.1f}x faster by wall clock ({r_cpu:.1f}x by CPU); target "
                          f">= {ARGDOWN_RATIO:g}x: {ok}")
    print(f"\nfiles in {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
