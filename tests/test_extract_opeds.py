"""argmap extract on op-ed-shaped articles: the parking op-ed, the seed article, and development articles
written for these tests with hand-made gold maps (tests/data/extract/*.yaml)."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest

from argmap.extract import draft
from argmap.io.loading import load_map

from conftest import SEED_MAP, SEED_TEXT

DATA = Path(__file__).parent / "data" / "extract"
ROOT = Path(__file__).resolve().parents[1]
DEV_ARTICLES = ["school-streets", "library-hours"]
LEADING_MARKERS = re.compile(r"^(?:(?:first|second|third|however|yet|of course),|(?:but|and|moreover|furthermore|thus|so(?! that))\b)",
                             re.I)


def check_texts(amap):
    for n in amap.nodes:
        assert "…" not in n.text and "..." not in n.text, n.text
        assert not LEADING_MARKERS.match(n.text), n.text
        assert n.text[0].isupper() or not n.text[0].isalpha(), n.text


@pytest.fixture
def parking(shared):
    path = shared / "articles" / "parking-minimums.txt"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path.read_text(encoding="utf-8")


def test_parking_op_ed(parking):
    amap = draft(parking, source={"path": "parking-minimums.txt"})
    check_texts(amap)
    by_quote = {n.quote: n for n in amap.nodes}
    assert amap.source.author == "the Editorial Board"
    assert amap.source.title == "Cities Should Trade Parking Minimums for Transit Passes"
    # "For decades, ..." is a time frame, not a reason cue; its text keeps it
    decades = next(n for n in amap.nodes if n.quote.startswith("For decades"))
    assert not any(c.startswith("cause:") for c in decades.draft.cues) and decades.text.startswith("For decades,")
    # "... but less of it." is no node of its own
    assert not any(n.text.lower().startswith("less of it") for n in amap.nodes)
    assert any(n.quote.endswith("but less of it") for n in amap.nodes)
    # numbered recommendations lose "First,"/"Second," in text, keep them in quote
    recs = [n for n in amap.nodes if n.kind.value == "recommendation"]
    assert [n.text.split()[0] for n in recs[:3]] == ["Cities", "Cities", "Cities"]
    assert recs[0].quote.startswith("First, cities should")
    # Critics argue ... This concern deserves a serious answer. However, ...
    critics = next(n for n in amap.nodes if n.quote.startswith("Critics argue"))
    assert critics.kind.value == "objection"
    assert not any("This concern deserves" in n.quote for n in amap.nodes)
    rebuttal = by_quote["However, the evidence from cities that have already acted points the other way"]
    assert rebuttal.attacks[0].to == critics.id
    assert rebuttal.text == "The evidence from cities that have already acted points the other way."
    thesis = next(n for n in amap.nodes if n.kind.value == "thesis")
    assert thesis.quote.startswith("Cities should abolish parking minimums")


def test_a_framing_for_stays_in_the_thesis_text():
    text = ("Trade Is Not Enough\n\nThe region has grown rich on trade. Yet, for lasting stability, the council must "
            "build institutions that outlast any single government. Institutions keep promises when leaders change.")
    thesis = next(n for n in draft(text).nodes if n.kind.value == "thesis")
    assert thesis.text == ("For lasting stability, the council must build institutions that outlast any single "
                           "government.")


def test_verbless_tails_are_not_split_off():
    from argmap.extract import segment

    assert [u.text for u in segment("Developers still built parking where tenants wanted it, but less of it.").units] \
        == ["Developers still built parking where tenants wanted it, but less of it"]
    # a real clause after "but" still is
    assert len(segment("The tax costs money, but it pays for itself within a decade.").units) == 2


def _spans(text, nodes):
    out = []
    for n in nodes:
        m = re.search(r"\s*".join(re.escape(t) for t in n.quote.split()), text)
        assert m, n.quote
        out.append((m.start(), m.end(), n))
    return out


def _match(text, gold_nodes, draft_nodes):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from eval_extract import PredUnit, match
    finally:
        sys.path.pop(0)
    g = _spans(text, gold_nodes)
    p = _spans(text, draft_nodes)
    m = match(text, [PredUnit(a, b, "pro", None, None) for a, b, _ in p],
              [PredUnit(a, b, "pro", None, None) for a, b, _ in g])
    return {p[i][2].id: g[j][2] for i, j in m.items()}


@pytest.mark.parametrize("name", DEV_ARTICLES)
def test_development_articles_against_their_gold_maps(name):
    gold = load_map(DATA / f"{name}.yaml").map
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    amap = draft(text, source={"path": f"{name}.txt"})
    check_texts(amap)
    for field in ("title", "author", "published"):
        assert getattr(amap.source, field) == getattr(gold.source, field), field
    matched = _match(text, gold.nodes, amap.nodes)  # draft id -> gold node
    by_id = {n.id: n for n in amap.nodes}
    gold_of = {d: g.id for d, g in matched.items()}
    # the thesis
    thesis = next(n for n in amap.nodes if n.kind.value == "thesis")
    assert gold_of.get(thesis.id) == "thesis"
    # recommendations: all found, and each drafted one is one in the gold map
    gold_recs = {n.id for n in gold.nodes if n.kind.value == "recommendation"}
    draft_recs = [n for n in amap.nodes if n.kind.value == "recommendation"]
    found = {gold_of.get(n.id) for n in draft_recs} & gold_recs
    assert found == gold_recs
    assert len(found) / len(draft_recs) >= 0.6
    # the objection, and the rebuttal that attacks it
    gold_obj = next(n for n in gold.nodes if n.kind.value == "objection")
    obj = next(d for d, g in matched.items() if g.id == gold_obj.id)
    assert by_id[obj].kind.value == "objection"
    gold_reb = next(n for n in gold.nodes if n.attacks and n.attacks[0].to == gold_obj.id)
    reb = next(d for d, g in matched.items() if g.id == gold_reb.id)
    assert by_id[reb].attacks[0].to == obj
    # proposed schemes where the gold map has them
    for g in gold.nodes:
        for r in g.supports:
            if r.scheme:
                d = next(d for d, gg in matched.items() if gg.id == g.id)
                assert by_id[d].supports[0].scheme == r.scheme, (g.id, r.scheme)
                assert f"scheme:{r.scheme}" in by_id[d].draft.cues
    # most gold nodes are found with their kind
    same_kind = sum(1 for d, g in matched.items() if by_id[d].kind == g.kind)
    assert same_kind / len(gold.nodes) >= 0.6


def test_seed_article_meets_the_targets(shared):
    """Recommendations recall ≥ 0.9 and precision ≥ 0.8, claims recall and precision ≥ 0.6 against the
    hand-made map (development data: the rules were tuned with it in view), CPU time < 1 s."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from eval_extract import seed_eval
    finally:
        sys.path.pop(0)
    res = seed_eval(SEED_MAP, "heuristic", {})
    assert res["recommendations"]["recall"] >= 0.9 and res["recommendations"]["precision"] >= 0.8, res
    assert res["claims"]["recall"] >= 0.6 and res["claims"]["precision"] >= 0.6, res
    assert res["cpu_seconds"] < 1.0
    text = SEED_TEXT.read_text(encoding="utf-8")
    t0 = time.process_time()
    amap = draft(text)
    assert time.process_time() - t0 < 1.0
    check_texts(amap)
    schemes = {r.scheme for n in amap.nodes for r in n.supports if r.scheme}
    assert {"expert-opinion", "practical-reasoning"} <= schemes
