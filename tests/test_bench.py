"""The benchmark harness's own logic: statistics, table cells, targets, and a tiny end-to-end run.

No assertion here depends on how fast anything is: the harness's figures are
reported, never tested.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


run = _load("bench_run", BENCH / "run.py")
peers = sys.modules["peers"]
PY = sys.executable


def M(*times, status="ok", note="", cap=None):
    return run.Measure(times=list(times), status=status, note=note, cap=cap)


# --------------------------------------------------------------------------- statistics and cells


def test_median_and_spread():
    m = M(0.3, 0.1, 0.2, 0.5)
    assert m.median == pytest.approx(0.25)
    assert (m.lo, m.hi, m.n) == (0.1, 0.5, 4)
    assert M(status="cap", cap=120).median is None


@pytest.mark.parametrize(
    "t, text",
    [(0.0123, "0.012 s"), (0.1234, "0.123 s"), (0.999, "0.999 s"), (1.234, "1.23 s"), (12.34, "12.3 s"), (532.2, "532 s")],
)
def test_fmt_seconds(t, text):
    assert run.fmt_seconds(t) == text


def test_fmt_measure_cells():
    assert run.fmt_measure(M(0.2, 0.1, 0.3)) == "0.200 s (0.100–0.300 s, n=3)"
    assert run.fmt_measure(M(42.0)) == "42.0 s (n=1)"
    assert run.fmt_measure(M(status="cap", cap=120)) == "> 120 s (cap)"
    assert run.fmt_measure(run.na("`argmap check` (issue 3) not there yet")).startswith("not available: `argmap check`")
    assert run.fmt_measure(M(status="fail", note="exit 2: boom")) == "failed: exit 2: boom"
    assert run.fmt_measure(M(0.5, 0.5, note="exit 1")).endswith("⚠ exit 1")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss is in KB and counted at exec on Linux")
def test_peak_memory_is_the_run_s_own_however_big_the_bench():
    # Linux counts the memory of the process that starts a program into its peak: a run is
    # started by a small runner, so 300 MB held here do not show in a run of `python -c pass`
    held = bytearray(300 << 20)
    held[::4096] = bytes(len(held[::4096]))  # touched: resident
    o = run.run_once([sys.executable, "-c", "pass"], 30)
    assert o.code == 0 and o.seconds > 0
    assert 0 < o.maxrss_kb < 60 * 1024, o.maxrss_kb
    del held


def test_a_runner_that_gives_no_figures_fails_the_figure(monkeypatch):
    monkeypatch.setattr(run, "_RUNNER", "import sys; sys.exit('runner broke')")
    o = run.run_once([PY, "-c", "pass"], 30)
    assert o.code == run.RUNNER_FAILED and o.stderr == "the runner failed: runner broke"
    m = run.measure([PY, "-c", "pass"], runs=1, cap=30, ok_codes=(0, 1))  # not even a job taking exit 1 counts it
    assert (m.status, m.note) == ("fail", "the runner failed: runner broke")


def test_run_once_passes_on_the_output_and_a_command_that_cannot_start(tmp_path):
    o = run.run_once([sys.executable, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"], 30)
    assert (o.code, o.stdout, o.stderr) == (3, "out\n", "err\n")
    o = run.run_once([tmp_path / "no-such-program"], 30)
    assert o.code == 127 and "no-such-program" in o.stderr


def test_runs_write_bytecode_caches_as_an_installed_argmap_has_them(monkeypatch):
    probe = [sys.executable, "-c", "import sys; print(sys.dont_write_bytecode)"]
    assert run.run_once(probe, 30, env={"PYTHONDONTWRITEBYTECODE": "1"}).stdout.strip() == "False"
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")  # inherited from the bench's environment
    assert run.run_once(probe, 30).stdout.strip() == "False"


def test_ratio_and_growth():
    assert run.ratio(M(0.1, 0.1), M(0.68, 0.68)) == "6.8× faster"
    assert run.ratio(M(1.0), M(0.5)) == "2.0× slower"
    assert run.ratio(M(2.0), M(status="cap", cap=120)) == "> 60.0× faster"
    assert run.ratio(run.na("x"), M(1.0)) == ""
    with_cpu = run.ratio(run.Measure(times=[1.0], cpu=[0.2]), run.Measure(times=[3.0], cpu=[0.1]))
    assert with_cpu == "3.0× faster (CPU: 2.0× slower)"
    assert run.growth(M(0.1), M(0.9)) == pytest.approx(9.0)
    assert run.growth(M(0.1), M(status="cap", cap=60)) is None


def test_md_table_escapes_pipes_and_pads_rows():
    table = run.md_table(["a", "b"], [["x|y"], ["1", "2"]])
    lines = table.splitlines()
    assert lines[0] == "| a | b |"
    assert lines[1] == "|---|---|"
    assert lines[2] == "| x\\|y |  |"
    assert lines[3] == "| 1 | 2 |"


def test_parse_sizes():
    assert run.parse_sizes("10000,100, 1_000") == [100, 1000, 10000]
    with pytest.raises(Exception):
        run.parse_sizes("many")
    with pytest.raises(Exception):
        run.parse_sizes("1")


# --------------------------------------------------------------------------- running processes


def test_measure_drops_warmup_and_counts_runs():
    m = run.measure([PY, "-c", "pass"], runs=3, cap=60)
    assert m.status == "ok" and m.n == 3
    assert all(t > 0 for t in m.times)


def test_measure_records_cpu_time_of_each_run():
    m = run.measure([PY, "-c", "sum(range(3_000_000))"], runs=2, cap=60)
    assert len(m.cpu) == 2 and all(c > 0 for c in m.cpu)
    assert " · CPU " in run.fmt_measure(m)


def test_measure_reports_failure_with_first_stderr_line():
    m = run.measure([PY, "-c", "import sys; sys.exit('it broke\\nmore')"], runs=2, cap=60)
    assert m.status == "fail"
    assert m.note == "exit 1: it broke"


def test_measure_accepts_listed_exit_codes_and_notes_them():
    m = run.measure([PY, "-c", "import sys; sys.exit(1)"], runs=1, cap=60, ok_codes=(0, 1))
    assert m.status == "ok" and m.note == "exit 1"


def test_measure_stops_at_the_cap_and_kills_the_process_group(tmp_path):
    marker = tmp_path / "child-survived"
    # the child sleeps, then writes a file: if the process group weren't killed, the file would appear
    child = tmp_path / "child.py"
    child.write_text(f"import time\ntime.sleep(1.5)\nopen({str(marker)!r}, 'w').write('x')\n")
    code = f"import subprocess, sys, time; subprocess.Popen([sys.executable, {str(child)!r}]); time.sleep(30)"
    m = run.measure([PY, "-c", code], runs=1, cap=0.5)
    assert m.status == "cap" and m.cap == 0.5
    assert run.fmt_measure(m) == "> 0.500 s (cap)"
    import time

    time.sleep(2)
    assert not marker.exists()


def test_measure_together_takes_the_runs_in_turn(tmp_path):
    log = tmp_path / "order"
    a, b = ([PY, "-c", f"open({str(log)!r}, 'a').write({c!r})"] for c in "ab")
    ma, mb = run.measure_together([(a, {}), (b, {})], runs=2, cap=60)
    assert log.read_text() == "ababab"  # a warm-up of each, then two rounds
    assert (ma.status, ma.n, mb.status, mb.n) == ("ok", 2, "ok", 2)
    # each command with its own options (the environment arguebuf's render is given, say)
    probe = [PY, "-c", "import os, sys; sys.exit(0 if os.environ.get('ARGMAP_PROBE') == 'x' else 5)"]
    env = {**os.environ, "ARGMAP_PROBE": "x"}
    with_env, without = run.measure_together([(probe, {"env": env}), (probe, {})], runs=1, cap=60)
    assert (with_env.status, without.status, without.note) == ("ok", "fail", "exit 5: no output")
    with pytest.raises(TypeError, match="unknown options"):
        run.measure_together([(probe, {"verfy": None})], runs=1, cap=60)


def test_measure_together_goes_on_with_the_others_when_one_fails(tmp_path):
    log = tmp_path / "order"
    fails = [PY, "-c", f"open({str(log)!r}, 'a').write('a'); raise SystemExit('broke')"]
    fine = [PY, "-c", f"open({str(log)!r}, 'a').write('b')"]
    ma, mb = run.measure_together([(fails, {}), (fine, {"ok_codes": (0,)})], runs=2, cap=60)
    assert log.read_text() == "abbb"
    assert (ma.status, ma.note) == ("fail", "exit 1: broke")
    assert (mb.status, mb.n) == ("ok", 2)


def test_measure_verify_can_fail_a_run(tmp_path):
    out = tmp_path / "x.svg"
    m = run.measure([PY, "-c", f"open({str(out)!r}, 'w').write('not svg')"], runs=1, cap=60, verify=run.svg_written(out))
    assert m.status == "fail" and "not SVG" in m.note


def test_bench_skips_larger_sizes_after_a_cap(tmp_path):
    b = run.Bench(runs=1, cap=3.0, workdir=tmp_path)
    slow = [PY, "-c", "import time; time.sleep(10)"]
    assert b.run("Argdown", "map-svg", "random", 1000, slow, "").status == "cap"
    skipped = b.run("Argdown", "map-svg", "random", 10000, slow, "")
    assert skipped.status == "skip" and "1,000" in skipped.note
    # another shape is not affected
    assert b.run("Argdown", "map-svg", "tree", 10000, [PY, "-c", "pass"], "").status == "ok"
    assert b.run("argmap", "render", "tree", 100, None, "not there yet").status == "na"


def test_bench_skips_a_peer_run_that_linear_growth_puts_over_the_cap(tmp_path):
    b = run.Bench(runs=1, cap=120, workdir=tmp_path)
    b.results[("Argdown", "help", None, None)] = M(2.0)
    b.results[("Argdown", "map-svg", "tree", 1000)] = M(15.0)  # 2 + 13 * 10 = 132 s > 120 s
    b.results[("Argdown", "json", "tree", 1000)] = M(4.0)  # 2 + 2 * 10 = 22 s: run it
    b.results[("argmap", "render", "tree", 1000)] = M(15.0)  # argmap is never predicted, always run
    why = b.predicted_over_cap("Argdown", "map-svg", "tree", 10000)
    assert why and "132 s" in why and "1,000 nodes took 15.0 s" in why
    assert b.predicted_over_cap("Argdown", "json", "tree", 10000) is None
    assert b.predicted_over_cap("argmap", "render", "tree", 10000) is None
    m = b.run("Argdown", "map-svg", "tree", 10000, [PY, "-c", "raise SystemExit(9)"], "")
    assert m.status == "skip" and m.note == why
    # measured in turn with another figure: the skipped one is recorded as such, the other is run
    ours, peer = b.run_together([("argmap", "check-yaml", "tree", 10000, [PY, "-c", "pass"], "", {}),
                                 ("Argdown", "map-svg", "tree", 10000, [PY, "-c", "raise SystemExit(9)"], "", {})])
    assert (ours.status, ours.n) == ("ok", 1) and (peer.status, peer.note) == ("skip", why)
    assert b.get("argmap", "check-yaml", "tree", 10000) is ours and b.get("Argdown", "map-svg", "tree", 10000) is peer


# --------------------------------------------------------------------------- targets and report


def _bench_with(tmp_path, results):
    b = run.Bench(runs=1, cap=120, workdir=tmp_path)
    b.results.update(results)
    return b


def test_targets_met_missed_and_unmeasured(tmp_path):
    A = run.ARGMAP
    b = _bench_with(tmp_path, {
        (A, "help", None, None): M(0.12),
        (A, "check-seed", None, None): M(0.31),
        (A, "check-json", "tree", 1000): M(0.05),
        (A, "check-json", "tree", 10000): M(0.45),
        (A, "check-yaml", "tree", 1000): M(0.10),
        (A, "check-yaml", "tree", 10000): M(1.5),
        (A, "render", "tree", 1000): M(4.0),
        (A, "render", "tree", 10000): M(status="cap", cap=120),
        (run.ARGDOWN, "json", "tree", 1000): M(0.68),
    })
    t = {x.what: x for x in run.evaluate_targets(b, ["tree"])}
    assert t["`argmap --help`"].met is True
    assert t["`argmap check` of the seed map"].met is False
    assert t["`argmap check` JSON, 10,000 nodes, tree"].met is True
    assert t["`argmap check` YAML, 10,000 nodes, tree"].met is False
    assert t["`argmap check` JSON growth 1,000 → 10,000 nodes, tree"].met is True  # 9×
    assert t["`argmap check` YAML growth 1,000 → 10,000 nodes, tree"].met is False  # 15×
    assert t["`argmap render --svg`, 1,000 nodes, tree"].met is True
    assert t["`argmap render --svg`, 10,000 nodes, tree"].met is False  # over the cap, which is over 60 s
    assert t["`argmap render --svg` of the seed map"].met is None
    assert t["`argmap check` (YAML) vs `argdown json`, 1,000 nodes, tree"].met is True  # 6.8×
    assert t["`argmap check` (YAML) vs `argdown json`, 1,000 nodes, tree"].measured == "6.8× faster"


def test_targets_by_cpu_time_beside_wall_clock(tmp_path):
    A = run.ARGMAP
    b = _bench_with(tmp_path, {
        (A, "help", None, None): run.Measure(times=[0.4], cpu=[0.1]),  # a busy machine: slow wall clock, little CPU
        (A, "check-yaml", "tree", 1000): run.Measure(times=[0.5], cpu=[0.1]),
        (run.ARGDOWN, "json", "tree", 1000): run.Measure(times=[1.0], cpu=[0.9]),
    })
    t = {x.what: x for x in run.evaluate_targets(b, ["tree"])}
    help_t = t["`argmap --help`"]
    assert (help_t.met, help_t.cpu_met, help_t.cpu_measured) == (False, True, "0.100 s")
    vs = t["`argmap check` (YAML) vs `argdown json`, 1,000 nodes, tree"]
    assert (vs.measured, vs.met, vs.cpu_measured, vs.cpu_met) == ("2.0× faster", False, "9.0× faster", True)


def test_report_names_missed_targets_and_growth(tmp_path):
    A = run.ARGMAP
    b = _bench_with(tmp_path, {
        ("python", "pass", None, None): M(0.02),
        (A, "help", None, None): M(0.2),
        (A, "check-yaml", "tree", 1000): M(0.1),
        (A, "check-yaml", "tree", 10000): M(0.8),
        (run.ARGDOWN, "json", "tree", 1000): M(0.7),
        (run.ARGDOWN, "json", "tree", 10000): M(status="cap", cap=120),
        (A, "html", "adv:fan", 1000): M(0.3),
        (A, "html", "adv:fan", 10000): M(2.7),
    })
    targets = run.evaluate_targets(b, ["tree"])
    inp = run.Inputs("tree", 1000)
    report = run.render_report(b, meta={"k": "v"}, sizes=[1000, 10000], shapes=["tree"], inputs=[inp],
                               targets=targets, imports=[])
    assert "| argmap | `argmap --help` | 0.200 s (n=1) |  |" in report
    assert "**Missed in this run:** `argmap --help`: 0.200 s (limit < 0.150 s)" in report
    assert "| argmap | check (YAML) | tree | 0.100 s (n=1) | 0.800 s (n=1) | 8.0× |" in report
    assert "| Argdown | argdown json | tree | 0.700 s (n=1) | > 120 s (cap) | > cap |" in report
    # the adversarial runs are named by their command, not "None"
    assert "| argmap | render --html (JSON) | adv:fan | 0.300 s (n=1) | 2.70 s (n=1) | 9.0× |" in report
    assert "| None |" not in report
    assert "| tree 1,000 | check (YAML) | 0.100 s (n=1) | argdown json: 0.700 s (n=1) | 7.0× faster |" in report


def test_importtime_tree_orders_parents_first():
    # importtime prints children before their parent (post-order)
    rows = [
        (5.0, 5.0, 2, "c"),
        (8.0, 3.0, 1, "b"),
        (4.0, 4.0, 1, "d"),
        (20.0, 8.0, 0, "a"),
        (30.0, 30.0, 0, "z"),
    ]
    tree = run._as_tree(rows)
    assert [(d, m) for _, _, d, m in tree] == [(0, "z"), (0, "a"), (1, "b"), (2, "c"), (1, "d")]


# --------------------------------------------------------------------------- peers


def test_peers_missing_are_none(tmp_path, monkeypatch):
    monkeypatch.setattr(peers, "ARGDOWN_DIR", tmp_path / "argdown")
    monkeypatch.setattr(peers, "ARGUEBUF_VENV", tmp_path / "venv")
    assert peers.argdown_bin() is None
    assert peers.arguebuf_python() is None
    v = peers.installed_versions()
    assert v["argdown"] is None and v["arguebuf"] is None


# --------------------------------------------------------------------------- end to end


def _tiny_genmap():
    """A stand-in generator for this test only: the harness's job is what it does with any generator."""

    def generate(n, shape, seed):
        nodes = [{"id": "t", "kind": "thesis", "text": "A thesis."}]
        for i in range(1, n):
            nodes.append({"id": f"c{i}", "kind": "claim", "text": f"Claim {i}.", "supports": ["t" if i < 3 else f"c{i // 2}"]})
        if shape == "random":
            nodes[-1]["attacks"] = ["c1"]
        return {"argmap": 1, "title": f"{shape} {n}", "nodes": nodes}

    mod = types.ModuleType("genmap")
    mod.__file__ = __file__
    mod.generate = generate
    mod.SHAPES = ("tree", "random")
    return mod


def test_quick_run_end_to_end(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "genmap", _tiny_genmap())
    out = tmp_path / "RESULTS.md"
    data = tmp_path / "results.json"
    rc = run.main(["--quick", "--no-peers", "--only", "startup,check", "--sizes", "12", "--out", str(out), "--workdir", str(tmp_path / "w"),
                   "--json", str(data)])
    assert rc == 0
    report = out.read_text(encoding="utf-8")
    assert report == capsys.readouterr().out
    assert report.startswith("# argmap benchmark results")
    assert "| python | `python -c pass` |" in report
    assert "| tree 12 | 12 | 11 | 0 |" in report  # the inputs table: nodes, relations, quotes of the generated map
    assert "| random 12 | 12 | 12 | 0 |" in report
    assert (tmp_path / "w" / "maps").is_dir()
    yamls = sorted(p.name for p in (tmp_path / "w" / "maps").glob("*.yaml"))
    assert len(yamls) == 2 and yamls[0].startswith("random-12-")
    import json

    results = json.loads(data.read_text(encoding="utf-8"))
    keys = {(r["tool"], r["task"], r["shape"], r["nodes"]) for r in results["results"]}
    assert ("argmap", "help", None, None) in keys
    assert ("argmap", "check-yaml", "tree", 12) in keys
    assert not any(k[0] in ("Argdown", "arguebuf") for k in keys)
    # every argmap figure is either measured or says why not; none crashed the harness
    for r in results["results"]:
        assert r["status"] in ("ok", "na", "cap", "skip", "fail")
        if r["status"] != "ok":
            assert r["note"]


def test_script_runs_and_explains_its_options():
    r = subprocess.run([PY, str(BENCH / "run.py"), "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    for opt in ("--quick", "--sizes", "--runs", "--cap", "--no-peers", "--out", "--only"):
        assert opt in r.stdout
    r = subprocess.run([PY, str(BENCH / "run.py"), "--sizes", "x"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--sizes" in r.stderr
    r = subprocess.run([PY, str(BENCH / "run.py"), "--only", "check,bogus"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "bogus" in r.stderr


def test_script_quick_run_with_the_real_generator(tmp_path):
    if not (BENCH / "genmap.py").exists():
        pytest.skip("bench/genmap.py is not there")
    out = tmp_path / "R.md"
    r = subprocess.run(
        [PY, str(BENCH / "run.py"), "--quick", "--no-peers", "--only", "check", "--sizes", "20",
         "--out", str(out), "--workdir", str(tmp_path / "w")],
        capture_output=True, text=True, timeout=300,
    )
    assert r.returncode == 0, r.stderr
    report = out.read_text(encoding="utf-8")
    shapes = _load("bench_genmap", BENCH / "genmap.py").SHAPES
    assert shapes
    for shape in shapes:
        assert f"| {shape} 20 | 20 |" in report
    assert "| check (YAML) |" in report and "| check (JSON) |" in report


# --------------------------------------------------------------------------- adversarial maps (issue 16)


def test_run_once_reports_cpu_and_peak_memory_of_that_run_alone():
    # in a fresh interpreter: Linux counts the spawning process's memory at exec as a floor of a
    # child's peak, and this test process is big (the benchmark's is small)
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import run; py = sys.executable; "
        "big = run.run_once([py, '-c', 'b = bytearray(300 << 20); b[::4096] = bytes(len(b[::4096]))'], 60); "
        "small = run.run_once([py, '-c', 'pass'], 60); "
        "print(json.dumps([big.code, big.maxrss_kb, big.cpu, small.code, small.maxrss_kb]))"
    )
    import json

    r = subprocess.run([PY, "-c", code, str(BENCH)], capture_output=True, text=True, timeout=120, check=True)
    big_code, big_kb, big_cpu, small_code, small_kb = json.loads(r.stdout)
    assert big_code == 0 and small_code == 0
    assert big_kb > 300 * 1024  # the 300 MB it touched
    assert 0 < small_kb < 150 * 1024  # its own peak, not the largest child so far
    assert big_cpu > 0


def test_quick_adversarial_run_end_to_end(tmp_path):
    out = tmp_path / "RESULTS.md"
    rc = run.main(["--quick", "--no-peers", "--only", "adversarial", "--adv-sizes", "12", "--adv-shapes",
                   "smallvocab,chain", "--out", str(out), "--workdir", str(tmp_path / "w")])
    assert rc == 0
    report = out.read_text(encoding="utf-8")
    assert "## Adversarial maps (issue 16)" in report
    assert "| smallvocab 12 | 12 | 11 | 12 |" in report
    for label in ("`check` (JSON)", "`check` (YAML)", "`check --stats` (JSON)", "`show` (JSON)", "`render --svg` (JSON)",
                  "`render --html` (JSON)", "`fmt --check` (YAML)", "`export --to argdown` (JSON)", "`diff YAML JSON` (YAML)"):
        assert f"| chain 12 | {label} |" in report, label
    assert "the YAML parse" in report and "the JSON parse" in report and " MB |" in report
    assert "### Targets (issue 16)" in report  # (no 10,000-node map here: the rows say not measured)
    assert "processes left after argmap is killed" in report


def test_adversarial_targets_verdicts():
    b = run.Bench(runs=1, cap=10, workdir=Path("."))
    inp = run.Inputs("adv:chain", 10000)
    small = run.Inputs("adv:chain", 1000)
    ok = lambda t, cpu=None, rss=None: run.Measure(times=[t], cpu=[cpu or t], rss=[rss or 1000])  # noqa: E731
    b.results[(run.ARGMAP, "check-json", "adv:chain", 10000)] = ok(0.8)
    b.results[(run.ARGMAP, "check-yaml", "adv:chain", 10000)] = ok(1.9)
    b.results[(run.REFERENCE, "yaml-parse", "adv:chain", 10000)] = ok(1.0)  # limit max(1.5, 2 x 1.0) = 2.0
    b.results[(run.ARGMAP, "stats", "adv:chain", 10000)] = ok(1.6)
    b.results[(run.ARGMAP, "svg", "adv:chain", 10000)] = ok(10.0, rss=1100 * 1024)
    b.results[(run.ARGMAP, "html", "adv:chain", 10000)] = ok(11.0)
    b.results[(run.ARGMAP, "check-json", "adv:chain", 1000)] = ok(0.2)
    b.results[(run.ARGDOWN, "json", "adv:chain", 1000)] = ok(0.5)
    got = {t.what: t for t in run.evaluate_adv_targets(b, [inp, small])}
    assert got["`check` JSON, 10,000 nodes, chain"].met is True
    assert got["`check` YAML, 10,000 nodes, chain"].met is True
    assert got["`check --stats`, 10,000 nodes, chain"].met is False
    assert got["`render --html` vs `render --svg`, 10,000 nodes, chain"].met is True
    assert got["`check` JSON vs `argdown json`, 1,000 nodes, chain"].met is False  # 2.5x, not 3x
    peak = got["peak memory, any command, any 10,000-node map"]
    assert peak.met is False and "render --svg" in peak.measured


def test_a_killed_benchmark_ends_the_run_it_was_timing(tmp_path):
    import os
    import signal
    import time

    marker = tmp_path / "child.pid"
    sleeper = tmp_path / "sleeper.py"
    sleeper.write_text(f"import os, time\nopen({str(marker)!r}, 'w').write(str(os.getpid()))\ntime.sleep(600)\n")
    bench = tmp_path / "bench.py"
    bench.write_text(f"import signal, sys\nsys.path.insert(0, {str(BENCH)!r})\nimport run\n"
                     "signal.signal(signal.SIGTERM, run._exit_on_sigterm)\n"
                     f"run.run_once([sys.executable, {str(sleeper)!r}], 600)\n")
    p = subprocess.Popen([PY, str(bench)])
    deadline = time.monotonic() + 30
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline, "the timed run did not start"
        time.sleep(0.05)
    child = int(marker.read_text())
    p.send_signal(signal.SIGTERM)
    p.wait(timeout=30)
    end = time.monotonic() + 5
    while time.monotonic() < end:
        stat = Path(f"/proc/{child}/stat")
        if not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return
        time.sleep(0.05)
    os.kill(child, signal.SIGKILL)
    raise AssertionError("the timed run outlived the benchmark")
