"""How fast `argmap render --html` writes the page and how fast Chromium makes it usable (issue 16).

For each map (seeded, generated here):

* ``mixed``: ``bench/genmap.py``'s tree-like map with an article (``--source``)
  and about 0.5 random cross relations per node: the page with its article;
* ``random``: ``bench/render_bench.py``'s statements with 1.5 uniformly random
  relations per node (15,000 cross links at 10,000 nodes), no article. Its
  texts differ only in a number, so the near-duplicate rule (AM302), which the
  page runs with every other check, compares every pair: ``--ignore
  near-duplicate`` tells the page's own cost from that rule's;

it times ``argmap render MAP --svg`` and ``argmap render MAP --html`` as whole
processes (wall, CPU of argmap and Graphviz, peak resident memory of the
biggest of them) and prints the ratio html / svg; then it opens each page in
headless Chromium (Debian's, driven by selenium, as tests/test_html_browser.py)
and measures:

* **ready**: navigation start to the ``ready`` event page.js fires once its
  handlers are bound (``performance.getEntriesByName("ready")``), the issue's
  "interactive";
* **frame**: navigation start to the second animation frame after the load
  event: by then the first view of the map has been drawn.

    .venv/bin/python bench/page_bench.py                     # 1,000 and 10,000 nodes, both shapes
    .venv/bin/python bench/page_bench.py --sizes 1000 --shapes mixed --runs 1

Figures depend on the machine and its load (printed first); the CPU column
holds when the machine is busy. Nothing here is used by a test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARGMAP = Path(sys.executable).parent / "argmap"
CHROMIUM = os.environ.get("ARGMAP_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("ARGMAP_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
READY_TARGET = {1000: 1.0, 10000: 5.0}  # seconds to "ready", issue 16
RATIO_TARGET = 1.2  # render --html / render --svg
MEMORY_TARGET = 1024  # MB

sys.path.insert(0, str(HERE))

def measure(cmd: list[str], runs: int, cap: float, cwd: Path) -> dict:
    """Median wall, CPU and the highest peak memory (MB) of ``runs`` runs (one when a run takes
    over a minute), each started by run.py's runner, so the peak is of the command's processes
    alone (the biggest one: argmap or the layout binary)."""
    from run import run_once

    got = []
    for _ in range(runs):
        o = run_once(cmd, cap, cwd=cwd)
        if o.seconds is None:
            return {"error": f"over the cap of {cap:g} s"}
        if o.code != 0:
            lines = o.stderr.strip().splitlines()
            return {"error": lines[-1] if lines else f"exit {o.code}"}
        got.append(o)
        if o.seconds > 60:
            break
    walls = [o.seconds for o in got]
    return {"wall": statistics.median(walls), "min": min(walls), "max": max(walls), "runs": len(got),
            "cpu": statistics.median(o.cpu for o in got), "rss": max(o.maxrss_kb for o in got) / 1024}


def make_map(shape: str, n: int, seed: int, folder: Path) -> Path:
    if shape == "mixed":
        from genmap import dump_yaml, generate

        text = dump_yaml(generate(n, "mixed", seed, source=True))
    else:
        from render_bench import _dump_yaml, random_map

        text = _dump_yaml(random_map(n, seed))
    path = folder / f"{shape}-{n}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
                "--disable-default-apps", f"--user-data-dir={tempfile.mkdtemp(prefix='argmap-page-bench-')}",
                "--window-size=1366,768"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_window_size(1366, 768)
    driver.set_page_load_timeout(600)
    driver.set_script_timeout(600)
    return driver


def open_page(driver, page: Path) -> tuple[float, float]:
    """Seconds from navigation start to the page's ``ready`` event, and to the first frames after load."""
    driver.get("about:blank")
    driver.get(page.as_uri())
    ready, frame = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        requestAnimationFrame(() => requestAnimationFrame(() => {
          const mark = performance.getEntriesByName('ready')[0];
          done([mark ? mark.startTime : -1, performance.now()]);
        }));""")
    if ready < 0:
        raise RuntimeError(f"{page.name}: the page fired no ready event")
    return ready / 1000, frame / 1000


def spread(values: list[float]) -> str:
    med = statistics.median(values)
    return f"{med:.2f} s" + (f" ({min(values):.2f}–{max(values):.2f})" if len(values) > 1 else "")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated node counts")
    ap.add_argument("--shapes", default="mixed,random", help="mixed (with an article), random (15,000 cross links "
                    "at 10,000 nodes)")
    ap.add_argument("--runs", type=int, default=3, help="runs of each render, and loads of each page")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cap", type=float, default=900.0, help="give up on one render after this many seconds")
    ap.add_argument("--keep", metavar="DIR", help="write maps and pages here (default: a temporary folder)")
    ap.add_argument("--ignore", metavar="RULES", default="",
                    help="rules the page's checks leave out (an argmap.toml in the folder), to tell the page's own "
                    "cost from a slow rule's, e.g. --ignore near-duplicate")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="argmap-page-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    ignored = [r.strip() for r in args.ignore.split(",") if r.strip()]
    config = folder / "argmap.toml"
    if ignored:
        config.write_text(f"ignore = {json.dumps(ignored)}\n", encoding="utf-8")
    elif config.exists():
        config.unlink()

    load = os.getloadavg()
    print(f"# argmap page benchmark\n\nmachine: {os.cpu_count()} CPUs, load average {load[0]:.1f} / {load[1]:.1f} / "
          f"{load[2]:.1f}; python {sys.version.split()[0]}; {CHROMIUM}"
          + (f"; the page's checks ignore {', '.join(ignored)}" if ignored else "") + "\n")
    rows = []
    for shape in shapes:
        for n in sizes:
            path = make_map(shape, n, args.seed, folder)
            svg = measure([str(ARGMAP), "render", str(path), "--svg", "-o", str(path.with_suffix(".svg"))],
                          args.runs, args.cap, folder)
            page = path.with_suffix(".html")
            html = measure([str(ARGMAP), "render", str(path), "--html", "-o", str(page)], args.runs, args.cap, folder)
            rows.append({"shape": shape, "n": n, "svg": svg, "html": html, "page": page})
            print(f"  rendered {shape} {n}", file=sys.stderr)

    driver = browser()
    try:
        for row in rows:
            if "error" in row["html"]:
                continue
            loads = [open_page(driver, row["page"]) for _ in range(args.runs)]
            row["ready"] = [r for r, _ in loads]
            row["frame"] = [f for _, f in loads]
            print(f"  opened {row['shape']} {row['n']}", file=sys.stderr)
    finally:
        driver.quit()

    print("| map | page | `render --svg` | `render --html` | html / svg (wall; CPU) | peak memory | ready | frame |")
    print("|---|---|---|---|---|---|---|---|")
    verdicts = []
    for row in rows:
        svg, html = row["svg"], row["html"]
        name = f"{row['shape']}, {row['n']:,} nodes"
        if "error" in svg or "error" in html:
            print(f"| {name} | | {svg.get('error', '')} | {html.get('error', '')} | | | | |")
            continue
        ratio, cpu_ratio = html["wall"] / svg["wall"], html["cpu"] / max(svg["cpu"], 1e-9)
        rss = max(svg["rss"], html["rss"])
        size = row["page"].stat().st_size / 1e6
        print(f"| {name} | {size:.1f} MB | {spread([svg['wall']])} (CPU {svg['cpu']:.2f} s) | "
              f"{spread([html['wall']])} (CPU {html['cpu']:.2f} s) | {ratio:.2f}; {cpu_ratio:.2f} | {rss:.0f} MB | "
              f"{spread(row['ready'])} | {spread(row['frame'])} |")
        verdicts.append((f"{name}: render --html <= {RATIO_TARGET:g}x render --svg", ratio <= RATIO_TARGET,
                         f"{ratio:.2f}x wall, {cpu_ratio:.2f}x CPU"))
        verdicts.append((f"{name}: peak memory < {MEMORY_TARGET} MB", rss < MEMORY_TARGET, f"{rss:.0f} MB"))
        if row["n"] in READY_TARGET:
            target = READY_TARGET[row["n"]]
            med = statistics.median(row["ready"])
            verdicts.append((f"{name}: ready < {target:g} s", med < target, f"{med:.2f} s"))
    print("\n| target | met | measured |\n|---|---|---|")
    for what, ok, got in verdicts:
        print(f"| {what} | {'yes' if ok else 'NO'} | {got} |")
    print(f"\nfiles in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
