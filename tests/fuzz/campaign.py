#!/usr/bin/env python
"""Longer fuzzing campaigns, on demand: no exception but ArgmapError escapes a reader or the checks.

Two engines:

* ``atheris`` (coverage-guided, libFuzzer; ``pip install atheris``): mutates
  a seed corpus (the hostile corpus, valid maps and their exports) as bytes
  and keeps inputs that reach new code;
* ``hypothesis``: the structured strategies of the test suite (valid maps,
  mutated maps, JSON-like values, AIF-like documents, XML and Argdown
  fragments), many more examples than the test suite runs.

Targets: ``loader`` (bytes → UTF-8 → YAML and JSON map loading), ``check``
(loading, then every check rule), and ``import-FORMAT`` for every importer.

Examples::

    python tests/fuzz/campaign.py --engine atheris --target loader --runs 100000
    python tests/fuzz/campaign.py --engine hypothesis --target all --runs 20000
    python tests/fuzz/campaign.py --engine atheris --target all --runs 100000 --json figures.json

A crash is saved (atheris: ``crash-*`` files in --artifacts; hypothesis: the
falsifying example is printed) and the exit code is 1. The figures of the
last run (inputs tried per target, crashes) are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent))  # for ``fuzz.strategies``
SEEDS = ROOT / "tests" / "data" / "hostile"
SEED_MAP = ROOT / "maps" / "nato-asia-pacific.yaml"


def importer_names() -> list[str]:
    from argmap.formats import IMPORTERS

    return sorted(IMPORTERS)


def all_targets() -> list[str]:
    return ["loader", "check"] + [f"import-{name}" for name in importer_names()]


# --------------------------------------------------------------------------- the targets


def make_target(name: str):
    """A function of bytes that raises only on a bug (any exception but ArgmapError)."""
    from argmap.map.errors import ArgmapError
    from argmap.io.files import decode_text
    from argmap.io.loading import load_text

    tmp = Path(tempfile.mkdtemp(prefix="argmap-fuzz-"))
    (tmp / "article.txt").write_text("Cats are better pets than dogs. They need no walks.", encoding="utf-8")

    def text_of(data: bytes) -> str | None:
        try:
            return decode_text(data, "input", what="file")
        except ArgmapError:
            return None

    if name == "loader":
        def target(data: bytes) -> None:
            text = text_of(data)
            if text is None:
                return
            for fmt in ("yaml", "json"):
                try:
                    load_text(text, name=f"m.{fmt}", fmt=fmt)
                except ArgmapError:
                    pass
        return target

    if name == "check":
        from argmap.checks.runner import run_checks

        def target(data: bytes) -> None:
            text = text_of(data)
            if text is None:
                return
            try:
                loaded = load_text(text, name=str(tmp / "m.yaml"), path=tmp / "m.yaml")
                run_checks(loaded)
            except ArgmapError:
                pass
        return target

    if name.startswith("import-"):
        from argmap.formats import IMPORTERS, resolve

        fmt = name[len("import-"):]
        importer = resolve(IMPORTERS[fmt])
        suffix = {"microtexts": ".xml", "argdown": ".argdown"}.get(fmt, ".json")
        path = tmp / f"input{suffix}"

        def target(data: bytes) -> None:
            text = text_of(data)
            if text is None:
                return
            try:
                importer(path, text)
            except ArgmapError:
                pass
        return target

    raise SystemExit(f"unknown target {name!r}; choose from: {', '.join(all_targets())}")


# --------------------------------------------------------------------------- seeds


def seed_corpus(folder: Path) -> int:
    """Seeds: the hostile corpus, valid maps, and the seed map in every export format."""
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for p in sorted(SEEDS.iterdir()):
        if p.suffix in (".yaml", ".json", ".xml"):
            (folder / p.name).write_bytes(p.read_bytes()[:64_000])
            n += 1
    (folder / "seed.yaml").write_bytes(SEED_MAP.read_bytes())
    from argmap.formats import EXPORTERS, resolve
    from argmap.io.loading import load_map

    small = load_map(SEEDS / "valid.yaml")
    for fmt, spec in EXPORTERS.items():
        out = resolve(spec)(small)
        text = out[0] if isinstance(out, tuple) else out
        (folder / f"valid.{fmt}").write_text(text, encoding="utf-8")
        n += 1
    (folder / "micro.xml").write_text(
        "<?xml version='1.0'?><arggraph id='m' topic_id='t' stance='pro'>"
        "<edu id='e1'><![CDATA[Cats are better.]]></edu><edu id='e2'><![CDATA[No walks.]]></edu>"
        "<adu id='a1' type='pro'/><adu id='a2' type='opp'/>"
        "<edge id='c1' src='e1' trg='a1' type='seg'/><edge id='c2' src='e2' trg='a2' type='seg'/>"
        "<edge id='c3' src='a2' trg='a1' type='reb'/><edge id='c4' src='a1' trg='c3' type='und'/></arggraph>",
        encoding="utf-8",
    )
    return n + 2


# --------------------------------------------------------------------------- atheris


def run_atheris_child(target: str, runs: int, corpus: str, artifacts: str, max_len: int, timeout: int) -> None:
    import atheris

    with atheris.instrument_imports(include=["argmap", "yaml", "json", "defusedxml", "xml"]):
        import argmap.checks.runner  # noqa: F401
        import argmap.formats  # noqa: F401
        import argmap.io.loading  # noqa: F401
        for name in importer_names():
            from argmap.formats import IMPORTERS

            __import__(IMPORTERS[name].partition(":")[0])
    func = make_target(target)
    atheris.Setup(
        [sys.argv[0], f"-runs={runs}", f"-max_len={max_len}", f"-timeout={timeout}", f"-artifact_prefix={artifacts}/",
         "-print_final_stats=1", corpus],
        func,
    )
    atheris.Fuzz()


def run_atheris(target: str, runs: int, work: Path, max_len: int, timeout: int) -> dict:
    corpus = work / f"corpus-{target}"
    if not corpus.exists():
        seed_corpus(corpus)
    artifacts = work / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    before = set(artifacts.iterdir())
    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", target, "--runs", str(runs), "--corpus", str(corpus),
         "--artifacts", str(artifacts), "--max-len", str(max_len), "--timeout", str(timeout)],
        capture_output=True, text=True,
    )
    elapsed = time.monotonic() - start
    log = proc.stdout + proc.stderr
    done = re.findall(r"Done (\d+) runs", log)
    execs = re.findall(r"stat::number_of_executed_units:\s*(\d+)", log)
    tried = int(done[-1]) if done else int(execs[-1]) if execs else 0
    crashes = sorted(p.name for p in set(artifacts.iterdir()) - before)
    if proc.returncode != 0 and not crashes:
        crashes = [f"exit {proc.returncode}"]
    if crashes:
        tail = "\n".join(log.splitlines()[-60:])
        print(f"--- {target}: crash\n{tail}", file=sys.stderr)
    return {"target": target, "engine": "atheris", "inputs": tried, "seconds": round(elapsed, 1),
            "corpus": len(list(corpus.iterdir())), "crashes": crashes}


# --------------------------------------------------------------------------- hypothesis


def run_hypothesis(target: str, runs: int) -> dict:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from fuzz.strategies import json_like, map_data, mutated_map_data

    func = make_target(target)
    if target in ("loader", "check"):
        def as_json(d):
            return json.dumps(d, ensure_ascii=False).encode()

        def as_yaml(d):
            import yaml

            return yaml.safe_dump(d, allow_unicode=False).encode()

        strategy = st.one_of(
            map_data().map(as_json), map_data().map(as_yaml), mutated_map_data().map(as_json),
            mutated_map_data().map(as_yaml), json_like.map(as_json), st.binary(max_size=400),
            st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
        )
    else:
        sys.path.insert(0, str(ROOT / "tests"))
        from test_hostile_properties import foreign_text

        fmt = target[len("import-"):]
        kind = "microtexts" if fmt == "microtexts" else "argdown" if fmt == "argdown" else "json"
        strategy = foreign_text(kind).map(lambda t: t.encode("utf-8", "surrogatepass"))

    count = 0
    failure: list[str] = []

    @settings(max_examples=runs, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def prop(data):
        nonlocal count
        count += 1
        func(data)

    start = time.monotonic()
    try:
        prop()
    except Exception as exc:  # a bug: hypothesis has shrunk it and prints the example
        failure.append(f"{type(exc).__name__}: {exc}")
    return {"target": target, "engine": "hypothesis", "inputs": count, "seconds": round(time.monotonic() - start, 1),
            "corpus": None, "crashes": failure}


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engine", choices=["atheris", "hypothesis"], default="atheris")
    ap.add_argument("--target", default="all", help=f"one of: all, {', '.join(all_targets())}")
    ap.add_argument("--runs", type=int, default=100_000, help="inputs per target")
    ap.add_argument("--runs-for", action="append", default=[], metavar="TARGET=N",
                    help="a different number of inputs for one target (e.g. import-argdown=20000, a slow one)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "argmap-fuzz",
                    help="folder for the evolving corpora and crash files")
    ap.add_argument("--max-len", type=int, default=8192, help="atheris: longest input in bytes")
    ap.add_argument("--timeout", type=int, default=20, help="atheris: seconds for one input before it is a hang")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--corpus", help=argparse.SUPPRESS)
    ap.add_argument("--artifacts", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args.child:
        run_atheris_child(args.child, args.runs, args.corpus, args.artifacts, args.max_len, args.timeout)
        return 0

    targets = all_targets() if args.target == "all" else [args.target]
    runs_for = {}
    for item in args.runs_for:
        name, _, n = item.partition("=")
        runs_for[name] = int(n)
    results = []
    for target in targets:
        runs = runs_for.get(target, args.runs)
        if args.engine == "atheris":
            res = run_atheris(target, runs, args.work, args.max_len, args.timeout)
        else:
            res = run_hypothesis(target, runs)
        results.append(res)
        print(f"{res['engine']:10} {res['target']:20} {res['inputs']:>9,} inputs {res['seconds']:>8.1f} s  "
              f"crashes: {len(res['crashes'])} {' '.join(res['crashes'])}", flush=True)
    total = sum(r["inputs"] for r in results)
    crashed = sum(len(r["crashes"]) for r in results)
    print(f"{'total':31} {total:>9,} inputs, {crashed} crashes")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "total_inputs": total, "crashes": crashed}, indent=2))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
