"""The rules stay close to linear on adversarial maps: operations counted, never timed.

Each adversarial shape of ``bench/genadv.py`` (small vocabulary, duplicate
texts, long texts, one-word texts, quotes not found, dense attacks, long
chains, wide fans) is built at two sizes; a counter of the work each
bounded search does (pairs of texts compared, candidate positions of a
quote verified, ...) must stay under ``c·n`` and must not grow faster than
the map. CI runs these, so a change that brings back a quadratic path fails
here whatever the machine's speed.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import genadv  # noqa: E402

from argmap.checks import reasoning  # noqa: E402
from argmap.checks.reasoning import first_near_duplicates, near_duplicate_pairs  # noqa: E402
from conftest import similar_pairs_by_definition

SIZES = (1000, 4000)


def _texts(shape: str, n: int, seed: int = 2) -> list[str]:
    return [node["text"] for node in genadv.generate(n, shape, seed)["nodes"]]


# --------------------------------------------------------------------------- near duplicates (AM302)


@pytest.mark.parametrize("shape", genadv.SHAPES)
def test_near_duplicate_search_compares_at_most_c_n_pairs(shape):
    compared = []
    for n in SIZES:
        stats: dict = {}
        first_near_duplicates(_texts(shape, n), stats=stats)
        compared.append(stats.get("compared", 0))
        # the budget (plus at most one group of GROUP_ALL sets past it)
        assert stats.get("compared", 0) <= 30 * n + reasoning.BUDGET_FLOOR, (shape, n, stats)
    # 4x the nodes: at most ~4x the pairs (all pairs would be 16x)
    assert compared[1] <= 5 * compared[0] + 1000, (shape, compared)


def test_small_vocabulary_is_capped_and_says_so(tmp_path):
    import json

    from argmap.checks.runner import run_checks
    from argmap.io.loading import load_map

    data = genadv.generate(3000, "smallvocab", 1)
    path = tmp_path / "small.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    notes = [d for d in run_checks(load_map(path)) if d.rule == "AM302"]
    assert len(notes) == 1 and notes[0].node is None, notes
    assert "cut short" in notes[0].message and notes[0].extra["approximate"] is True


def test_usual_maps_are_not_capped():
    from genmap import generate

    for shape in ("tree", "mixed"):
        stats: dict = {}
        first_near_duplicates([nd["text"] for nd in generate(4000, shape, seed=3)["nodes"]], stats=stats)
        assert stats["capped"] is False, stats


def _perturb(text: str, rng: random.Random) -> str:
    w = text.rstrip(".").split()
    op = rng.random()
    if op < 0.4 and len(w) > 3:
        i = rng.randrange(len(w) - 1)
        w[i], w[i + 1] = w[i + 1], w[i]
    elif op < 0.7:
        w.insert(rng.randrange(len(w) + 1), rng.choice(w))
    else:
        w[rng.randrange(len(w))] = w[rng.randrange(len(w))]
    return " ".join(w) + "."


def _all_pairs(texts):
    """The exact definition, all pairs compared (the word sets first, as the search does)."""
    from rapidfuzz import fuzz

    from argmap.checks.reasoning import JACCARD, RATIO, _tokens
    from argmap.map.source import normalize

    sets = [set(_tokens(t)) for t in texts]
    norm = [normalize(t).casefold().strip() for t in texts]
    out = set()
    for i in range(len(texts)):
        a = sets[i]
        for j in range(i + 1, len(texts)):
            b = sets[j]
            if not a or not b or 5 * min(len(a), len(b)) < 4 * max(len(a), len(b)):
                continue
            inter = len(a & b)
            if inter >= JACCARD * (len(a) + len(b) - inter) and fuzz.ratio(norm[i], norm[j]) >= RATIO:
                out.add((i, j))
    return out


@pytest.mark.parametrize("shape", ["smallvocab", "longtexts"])
def test_capped_search_keeps_95_percent_of_planted_near_duplicates(shape):
    n = 1200
    rng = random.Random(5)
    texts = _texts(shape, n, seed=3)
    for _ in range(n // 20):
        texts[rng.randrange(n)] = _perturb(texts[rng.randrange(n)], rng)
    stats: dict = {}
    got = {(i, j) for i, j, _ in near_duplicate_pairs(texts, stats=stats)}
    want = _all_pairs(texts)
    assert stats["capped"] is True  # the bounded path is the one under test
    assert len(want) >= 40
    assert got <= want  # approximate means missing some, never inventing one
    assert len(got & want) >= 0.95 * len(want), (len(got), len(want))


def test_word_order_from_a_sample_keeps_the_search_exact():
    """Past 2·SAMPLE texts the word order comes from a sample (words no sampled text holds
    first): still exactly the pairs of the definition, long texts and short ones."""
    rng = random.Random(11)
    vocab = [f"w{k}" for k in range(1500)]
    weights = [1 / (k + 1) for k in range(len(vocab))]  # a few common words, many rare ones
    texts = [" ".join(rng.choices(vocab, weights, k=rng.choice((6, 12, 30, 45)))) + "." for _ in range(700)]
    for _ in range(40):
        texts[rng.randrange(len(texts))] = _perturb(texts[rng.randrange(len(texts))], rng)
    assert len(texts) > 4 * reasoning.SAMPLE
    stats: dict = {}
    got = {(i, j) for i, j, _ in near_duplicate_pairs(texts, stats=stats)}
    want = _all_pairs(texts)
    assert stats["capped"] is False
    assert len(want) >= 30
    assert got == want


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 60), min_size=0, max_size=45), max_size=14),
       st.sampled_from([0.8, 0.9, 1.0, 0.6]))
def test_long_sets_are_joined_exactly_when_not_capped(sets, jaccard):
    """Sets of 20 words and more are keyed by single words (and short ones by pairs): still exact."""
    from argmap.checks.reasoning import _similar_sets

    ranked = [sorted(set(s)) for s in sets]
    want = similar_pairs_by_definition(ranked, jaccard)
    stats: dict = {}
    assert _similar_sets(ranked, jaccard, stats) == want
    assert stats["capped"] is False


# --------------------------------------------------------------------------- every rule, counted by lines run


def _lines_run(func) -> int:
    """Lines of argmap's own code that ``func()`` runs (a count of operations, not a time)."""
    import argmap

    home = str(Path(argmap.__file__).parent)
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    def glob(frame, event, arg):
        return local if frame.f_code.co_filename.startswith(home) else None

    sys.settrace(glob)
    try:
        func()
    finally:
        sys.settrace(None)
    return count


def _work_per_rule(shape: str, n: int) -> dict[str, int]:
    import json

    from argmap.checks.runner import Context, _enabled_rules
    from argmap.io.config import Config
    from argmap.io.loading import load_text

    loaded = load_text(json.dumps(genadv.generate(n, shape, 1)), name="adv.json")
    config = Config(min_coverage=0.5)
    ctx = Context(loaded, config)
    loaded.positions.of(())  # positions are worked out once, for the first diagnostic: not any rule's work
    work = {"graph": (_lines_run(lambda: ctx.graph), 0), "quote spans": (_lines_run(lambda: ctx.quote_spans), 0),
            "coverage": (_lines_run(lambda: ctx.coverage), 0)}
    for r in _enabled_rules(config):
        found: list = []
        work[r.id] = (_lines_run(lambda: found.extend(r.func(ctx))), len(found))
    return work


@pytest.mark.parametrize("shape", genadv.SHAPES)
def test_no_rule_grows_faster_than_n_log_n(shape):
    """4x the nodes: each rule runs at most ~5x the lines (n log n from 500 to 2,000 is 4.9x;
    a quadratic path would be 16x), plus a little per problem it reports (some shapes have
    more problems per node as they grow: 2,000 one-word texts repeat each other more than 500
    do), and at most a few hundred lines per node."""
    small, big = _work_per_rule(shape, 500), _work_per_rule(shape, 2000)
    for what, (lines, problems) in big.items():
        assert lines <= 400 * 2000, (shape, what, lines)
        assert lines <= 5.5 * small[what][0] + 40 * problems + 2000, (shape, what, small[what], lines, problems)


def test_orphan_search_walks_once_for_many_theses():
    from argmap.checks.runner import Context
    from argmap.io.config import Config
    from argmap.io.loading import load_text
    from argmap.checks.structure import orphan_node

    def work(theses: int) -> int:
        import json

        nodes = [{"id": f"t{k}", "kind": "thesis", "text": f"Thesis {k}."} for k in range(theses)]
        nodes += [{"id": f"c{k}", "kind": "claim", "text": f"Claim {k}.",
                   "supports": [f"c{k - 1}" if k else "t0", f"t{k % theses}"]} for k in range(theses * 4)]
        ctx = Context(load_text(json.dumps({"argmap": 1, "nodes": nodes}), name="m.json"), Config())
        ctx.graph
        return _lines_run(lambda: list(orphan_node(ctx)))

    assert work(400) <= 5 * work(100)  # one walk per thesis over a shared chain: 16x


def test_unanswered_objection_looks_at_each_defeater_once():
    import json

    from argmap.checks.reasoning import unanswered_objection
    from argmap.checks.runner import Context
    from argmap.io.config import Config
    from argmap.io.loading import load_text

    def work(k: int) -> int:
        # one objection defeats k recommendations; k premises support it (no attack answers it) and
        # k undercuts aim at those supports: per recommendation, the old message scanned them all
        nodes = [{"id": "thesis", "kind": "thesis", "text": "T."},
                 {"id": "obj", "kind": "objection", "text": "O.", "attacks": [f"r{i}" for i in range(k)]}]
        nodes += [{"id": f"r{i}", "kind": "recommendation", "text": f"R {i}.", "supports": ["thesis"]}
                  for i in range(k)]
        nodes += [{"id": f"s{i}", "kind": "premise", "text": f"S {i}.", "supports": ["obj"]} for i in range(k)]
        nodes += [{"id": f"u{i}", "kind": "premise", "text": f"U {i}.", "undercuts": [f"s{i}->obj"]}
                  for i in range(k)]
        ctx = Context(load_text(json.dumps({"argmap": 1, "nodes": nodes}), name="m.json"), Config())
        ctx.graph
        found: list = []
        lines = _lines_run(lambda: found.extend(unanswered_objection(ctx)))
        assert len(found) == k
        return lines

    assert work(800) <= 5.5 * work(200)


def test_capped_search_gives_the_same_answer_in_every_process():
    """String hashing changes from process to process; the capped search must not (ties between
    equally rare words are broken by the order the words come in)."""
    import subprocess

    code = ("import sys, json; sys.path.insert(0, 'bench'); import genadv; "
            "from argmap.checks.reasoning import first_near_duplicates as f; "
            "t = [x['text'] for x in genadv.generate(1500, 'smallvocab', 4)['nodes']]; st = {}; "
            "r = f(t, stats=st); print(json.dumps([st, [list(p[:2]) for p in r]]))")
    outs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True,
                           env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(outs) == 1, outs
