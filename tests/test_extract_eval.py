"""The evaluation script's own logic: the gold reader, matching, metrics, baselines."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("eval_extract", ROOT / "bench" / "eval_extract.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["eval_extract"] = mod
    spec.loader.exec_module(mod)
    return mod


ev = _load()

XML = """<?xml version='1.0' encoding='UTF-8'?>
<arggraph id="t" topic_id="x" stance="pro">
  <edu id="e1"><![CDATA[Yes, it is annoying to sort rubbish.]]></edu>
  <edu id="e2"><![CDATA[Three bags stink in the kitchen.]]></edu>
  <edu id="e3"><![CDATA[But Germany produces too much rubbish]]></edu>
  <edu id="e4"><![CDATA[and resources are lost.]]></edu>
  <edu id="e5"><![CDATA[We should sort rubbish!]]></edu>
  <adu id="a1" type="opp" /><adu id="a2" type="opp" /><adu id="a3" type="pro" />
  <adu id="a4" type="pro" /><adu id="a5" type="pro" />
  <edge id="c6" src="e1" trg="a1" type="seg" /><edge id="c7" src="e2" trg="a2" type="seg" />
  <edge id="c8" src="e3" trg="a3" type="seg" /><edge id="c9" src="e4" trg="a4" type="seg" />
  <edge id="c10" src="e5" trg="a5" type="seg" />
  <edge id="c1" src="a1" trg="a5" type="reb" />
  <edge id="c2" src="a2" trg="a1" type="sup" />
  <edge id="c3" src="a3" trg="c1" type="und" />
  <edge id="c4" src="a4" trg="c3" type="add" />
</arggraph>
"""
TEXT = ("Yes, it is annoying to sort rubbish. Three bags stink in the kitchen. But Germany produces too much "
        "rubbish and resources are lost. We should sort rubbish!")


@pytest.fixture
def gold(tmp_path):
    (tmp_path / "t.xml").write_text(XML, encoding="utf-8")
    (tmp_path / "t.txt").write_text(TEXT, encoding="utf-8")
    return ev.read_gold(tmp_path / "t.xml")


def test_gold_reader_reads_graphs_as_dependency_trees(gold):
    by = {u.id: u for u in gold.units}
    assert gold.central == "a5" and by["a5"].cls == "cc"
    assert (by["a1"].cls, by["a1"].target, by["a1"].rel) == ("opp", "a5", "attack")
    assert (by["a2"].cls, by["a2"].target, by["a2"].rel) == ("opp", "a1", "support")
    # an undercut of a1->a5 attaches to a1; the linked (add) premise joins it
    assert (by["a3"].target, by["a3"].rel) == ("a1", "attack")
    assert (by["a4"].target, by["a4"].rel) == ("a1", "attack")
    assert TEXT[by["a4"].start:by["a4"].end] == "and resources are lost."


def test_perfect_and_trivial_predictions(gold):
    index = {u.id: i for i, u in enumerate(gold.units)}
    perfect = [ev.PredUnit(u.start, u.end, u.cls, index.get(u.target), u.rel) for u in gold.units]
    s = ev.Scores()
    s.add(gold, perfect)
    assert s.row() == {"unit_f1": 1.0, "central_claim": 1.0, "component_macro_f1": 1.0, "attachment": 1.0,
                       "relation_macro_f1": 1.0, "attack_f1": 1.0}
    s = ev.Scores()
    s.add(gold, ev.baseline("first-unit-central-claim", gold.text))
    row = s.row()
    assert row["central_claim"] == 0.0 and row["attack_f1"] == 0.0
    assert 0 < row["unit_f1"] <= 1.0


def test_matching_needs_half_the_tokens_of_the_longer_unit():
    text = "one two three four five six seven eight"
    P = ev.PredUnit
    golds = [P(0, len("one two three four"), "pro", None, None)]
    assert ev.match(text, [P(0, len("one two"), "pro", None, None)], golds) == {0: 0}  # 2 of 4
    assert ev.match(text, [P(0, len("one"), "pro", None, None)], golds) == {}  # 1 of 4
    assert ev.match(text, [P(0, len(text), "pro", None, None)], golds) == {0: 0}  # 4 of 8
    assert ev.match(text, [P(0, len(text) - 6, "pro", None, None)], golds) == {0: 0}
    # one to one: the better of two candidates wins
    two = [P(0, len("one two three"), "pro", None, None), P(0, len("one two three four"), "pro", None, None)]
    assert ev.match(text, two, golds) == {1: 0}


def test_prediction_from_map_reads_sides_by_attack_parity():
    from argmap.extract import draft

    text = ("Yes, it's annoying to separate your rubbish properly all the time. "
            "Three different bin bags stink away in the kitchen. But still Germany produces way too much rubbish. "
            "We Berliners should therefore become pioneers in waste separation!")
    preds = ev.prediction_from_map(text, draft(text))
    assert [p.cls for p in preds] == ["opp", "opp", "pro", "cc"]


def _run(*args):
    return subprocess.run([sys.executable, str(ROOT / "bench" / "eval_extract.py"), *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_script_runs_on_a_tiny_corpus(gold, tmp_path):
    proc = _run("--corpus", tmp_path, "--seed-map", tmp_path / "none.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "heuristic backend" in proc.stdout and "baseline: all-support" in proc.stdout
    assert "baseline: last-unit-central-claim" in proc.stdout
    assert "targets (heuristic backend, judged on all texts" in proc.stdout


def test_an_edu_in_another_letter_case_is_found(tmp_path):
    """A text with an all-caps sentence whose EDU is in lower case (or the reverse) is matched."""
    (tmp_path / "t.xml").write_text(XML, encoding="utf-8")
    (tmp_path / "t.txt").write_text(TEXT.replace("Three bags stink in the kitchen.", "THREE BAGS STINK IN THE KITCHEN."),
                                    encoding="utf-8")
    g = ev.read_gold(tmp_path / "t.xml")
    a2 = next(u for u in g.units if u.id == "a2")
    assert g.text[a2.start:a2.end] == "THREE BAGS STINK IN THE KITCHEN."


def test_unusable_texts_are_skipped_and_reported(gold, tmp_path):
    """An EDU missing from its text, a broken graph, bad XML: skipped with the reason, never a traceback."""
    (tmp_path / "u.xml").write_text(XML, encoding="utf-8")
    (tmp_path / "u.txt").write_text("A quite different text.", encoding="utf-8")
    (tmp_path / "v.xml").write_text(XML.replace('type="reb"', 'type="zzz"'), encoding="utf-8")
    (tmp_path / "v.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "w.xml").write_text("<arggraph><edu", encoding="utf-8")
    (tmp_path / "w.txt").write_text(TEXT, encoding="utf-8")
    for name in ("u", "v", "w"):
        with pytest.raises(ev.GoldError):
            ev.read_gold(tmp_path / f"{name}.xml")
    proc = _run("--corpus", tmp_path, "--seed-map", tmp_path / "none.yaml")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    line = next(l for l in proc.stdout.splitlines() if l.startswith("skipped"))
    assert line.startswith("skipped 3 texts: u: EDU not found in its text")
    assert "v: " in line and "w: not well-formed XML" in line
    assert "1 texts" in proc.stdout  # t is still scored


def test_groups_can_be_held_out(tmp_path):
    for name in ("micro_b001", "micro_b002", "micro_d001"):
        (tmp_path / f"{name}.xml").write_text(XML, encoding="utf-8")
        (tmp_path / f"{name}.txt").write_text(TEXT, encoding="utf-8")
    proc = _run("--corpus", tmp_path, "--seed-map", tmp_path / "none.yaml", "--dev", "micro_b",
                "--heldout", "micro_d", "--json")
    assert proc.returncode == 0, proc.stderr
    import json

    data = json.loads(proc.stdout)
    assert {name: v["texts"] for name, v in data["sets"].items()} == {
        "in-sample (micro_b*)": 2, "held-out (micro_d*)": 1}
    assert data["targets"]["judged_on"] == "held-out (micro_d*)"
    assert set(data["targets"]) >= {"central_claim", "component_macro_f1", "attachment", "relation_macro_f1"}
    # a group cannot be both
    proc = _run("--corpus", tmp_path, "--dev", "micro_b", "--heldout", "micro_b")
    assert proc.returncode == 2 and "both" in proc.stderr
