"""The flagship map: loads, is faithful to the article, and matches the README."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from argmap.map.graph import build
from argmap.io.loading import load_map
from conftest import ROOT, SEED_MAP, SEED_TEXT


@pytest.fixture(scope="module")
def seed():
    return load_map(SEED_MAP)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_seed_article_is_the_shared_one_unchanged(shared):
    assert SEED_TEXT.read_bytes() == (shared / "seeds" / SEED_TEXT.name).read_bytes()


def test_source_names_author_and_publisher(seed):
    src = seed.map.source
    assert src.author == "Mirna Galic"
    assert src.publisher == "Atlantic Council"
    assert (SEED_MAP.parent / src.path).resolve() == SEED_TEXT.resolve()


def test_every_quote_is_verbatim_in_one_paragraph(seed):
    text = SEED_TEXT.read_text(encoding="utf-8")
    paragraphs = [_norm(p) for p in re.split(r"\n\s*\n", text) if p.strip()]
    quotes = []
    for node in seed.map.nodes:
        assert node.quote, f"{node.id} has no quote"
        q = _norm(node.quote)
        assert any(q in p for p in paragraphs), f"{node.id}: quote not found verbatim in one paragraph"
        quotes.append(q)
    assert len(quotes) == len(set(quotes)), "two nodes quote the same span"


def test_structure_one_thesis_everything_connected_no_cycles(seed):
    g = build(seed.map)
    assert len(g.theses) == 1
    ids = [n.id for n in seed.map.nodes]
    assert len(ids) == len(set(ids))
    assert set(g.reaching(g.theses[0])) == set(ids)
    assert g.support_cycles() == []
    for e in g.edges:
        assert e.target in g.index, f"{e.source} -> {e.target} dangles"


def test_recommendations_have_actors(seed):
    recs = [n for n in seed.map.nodes if n.kind.value == "recommendation"]
    assert 9 <= len(recs) <= 13
    assert all(n.actor for n in recs)


def test_kind_counts_match_readme(seed):
    counts = Counter(n.kind.value for n in seed.map.nodes)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    m = re.search(
        r"(\d+) nodes: (\d+) thesis, (\d+) claims, (\d+) premises, (\d+) recommendations, (\d+) objections", readme
    )
    assert m, "README states the seed map's counts of node kinds"
    total, thesis, claims, premises, recs, objections = map(int, m.groups())
    assert (total, thesis, claims, premises, recs, objections) == (
        len(seed.map.nodes), counts["thesis"], counts["claim"], counts["premise"],
        counts["recommendation"], counts["objection"],
    )
