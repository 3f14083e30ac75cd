"""argmap.map.source: normalising, locating quotes, did-you-mean, coverage, the map's home."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from argmap.io.loading import load_map, load_text
from argmap.io.files import find_home, is_inside, resolve_source
from argmap.map.source import (
    closest_passage,
    coverage,
    locate_quote,
    normalize,
    paragraphs,
)

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "tests" / "maps" / "article.txt"
SEED_MAP = ROOT / "maps" / "nato-asia-pacific.yaml"


def test_normalize_rules():
    assert normalize("a \t\n  b") == "a b"
    assert normalize("“quoted” ‘single’") == "\"quoted\" 'single'"
    assert normalize("countries—Australia") == normalize("countries -- Australia") == "countries-Australia"
    assert normalize("one – two") == "one-two"
    assert normalize("wait…") == "wait..."
    assert normalize("soft\u00adhyphen zero\u200bwidth") == "softhyphen zerowidth"


def test_locate_returns_span_in_original_text():
    text = ARTICLE.read_text(encoding="utf-8")
    quote = "thousands of flats stand empty while rents climb -- in some districts"
    start, end = locate_quote(text, quote)
    assert text[start:end] == "Thousands of flats stand empty while rents climb — in some districts"
    start, end = locate_quote(text, 'Vancouver’s "empty homes tax"')
    assert text[start:end] == "Vancouver's “empty homes tax”"
    assert locate_quote(text, "Vancouver's empty-homes tax") is None
    assert locate_quote(text, "   ") is None
    # only the first letter's case is forgiven
    assert locate_quote(text, "cities are short of homes") is not None
    assert locate_quote(text, "Cities Are short of homes") is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab c\n\t—–-“”‘’'\".,")), min_size=1, max_size=60), st.data())
def test_any_substring_is_found_and_maps_back(text, data):
    i = data.draw(st.integers(0, len(text) - 1))
    j = data.draw(st.integers(i + 1, len(text)))
    quote = text[i:j]
    if not normalize(quote).strip():
        return
    span = locate_quote(text, quote)
    assert span is not None
    start, end = span
    # the span found reads the same as the quote once normalised
    assert normalize(text[start:end]).strip() == normalize(quote).strip() or \
        normalize(text[start:end]).strip()[1:] == normalize(quote).strip()[1:]


def test_closest_passage_did_you_mean_and_threshold():
    text = ARTICLE.read_text(encoding="utf-8")
    p = closest_passage(text, "A tax on empty homes would change the owner's maths")
    assert p is not None and p.text.startswith("A tax on empty homes would change the owners")
    assert text[p.start:p.end].startswith("A tax on empty homes")
    assert p.score > 80
    # something unlike the text shows nothing of it
    assert closest_passage(text, "root:x:0:0:root:/root:/bin/bash") is None


def test_paragraphs_split_on_blank_lines_with_nbsp():
    text = "One.\u00a0\u00a0\n\nTwo\nstill two.\n \nThree."
    assert [text[a:b] for a, b in paragraphs(text)] == ["One.", "Two\nstill two.", "Three."]


def test_coverage_excludes_title_byline_bio_captions_further_reading():
    text = ARTICLE.read_text(encoding="utf-8")
    cov = coverage(text, ["Cities are short of homes.", "But sham lets show up in utility bills and audits"],
                   title="Empty homes and the housing crisis", author="Ana Example")
    reasons = [(e.reason, text[e.start:e.end].split()[0]) for e in cov.excluded]
    assert reasons == [("title", "Empty"), ("byline", "By"), ("author bio", "Ana"),
                       ("further reading", "Further"), ("caption", "Image:")]
    assert (cov.covered, cov.total) == (2, 7)
    assert cov.ratio == pytest.approx(2 / 7)
    covered = [text[s.start:s.end] for s in cov.sentences if s.covered]
    assert covered == ["Cities are short of homes.", "But sham lets show up in utility bills and audits."]
    # spans are offsets into the original text, in order, without overlaps
    ends = [s.end for s in cov.sentences]
    assert all(a.end <= b.start for a, b in zip(cov.sentences, cov.sentences[1:]))
    assert max(ends) < len(text)
    assert cov.quotes_found == 2 and cov.quotes_missing == 0


def test_coverage_of_the_seed_map_is_complete():
    loaded = load_map(SEED_MAP)
    src = resolve_source(loaded)
    cov = coverage(src.text, [n.quote for n in loaded.map.nodes if n.quote], title=src.title, author=src.author)
    assert cov.quotes_missing == 0
    assert cov.total >= 45 and cov.ratio == 1.0
    assert {e.reason for e in cov.excluded} == {"title", "author bio", "further reading", "caption"}


# --------------------------------------------------------------------------- the map's home


def _map(folder: Path, source_path: str) -> Path:
    p = folder / "m.yaml"
    p.write_text(
        f"argmap: 1\nsource:\n  path: {source_path!r}\nnodes:\n  - id: t\n    kind: thesis\n    text: T.\n",
        encoding="utf-8",
    )
    return p


def test_home_is_the_git_repository_or_the_folder(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "maps" / "sub").mkdir(parents=True)
    assert find_home(repo / "maps" / "sub")[0] == repo.resolve()
    loose = tmp_path / "loose"
    loose.mkdir()
    assert find_home(loose)[0] == loose.resolve()


def test_outside_sources_are_refused_unless_allowed(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "maps").mkdir()
    (repo / "seeds").mkdir()
    (repo / "seeds" / "a.txt").write_text("Inside text.", encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET token", encoding="utf-8")
    (repo / "maps" / "link.txt").symlink_to(secret)

    inside = resolve_source(load_map(_map(repo / "maps", "../seeds/a.txt")))
    assert inside.ok and inside.text == "Inside text."
    for path in ("../../secret.txt", str(secret), "link.txt"):
        res = resolve_source(load_map(_map(repo / "maps", path)))
        assert res.kind == "outside" and res.text is None, path
        assert "TOP SECRET" not in res.problem and "--allow-outside-source" in res.problem
        allowed = resolve_source(load_map(_map(repo / "maps", path)), allow_outside=True)
        assert allowed.text == "TOP SECRET token"
    assert is_inside(repo / "maps" / ".." / "seeds" / "a.txt", repo)
    assert not is_inside(repo / "maps" / "link.txt", repo)


def test_missing_and_unreadable_sources(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    (tmp_path / "folder").mkdir()
    res = resolve_source(load_map(_map(tmp_path, "nope.txt")))
    assert res.kind == "missing" and "does not exist" in res.problem
    res = resolve_source(load_map(_map(tmp_path, "latin1.txt")))
    assert res.kind == "unreadable" and "not UTF-8" in res.problem
    res = resolve_source(load_map(_map(tmp_path, "folder")))
    assert res.kind == "unreadable" and "directory" in res.problem
    big = tmp_path / "big.txt"
    big.write_text("x" * 2000, encoding="utf-8")
    res = resolve_source(load_map(_map(tmp_path, "big.txt")), max_bytes=1000)
    assert res.kind == "unreadable" and "limit" in res.problem


def test_inline_source_text_and_no_source():
    loaded = load_text("argmap: 1\nsource:\n  text: Inline words.\nnodes: []\n", name="m.yaml")
    res = resolve_source(loaded)
    assert res.ok and res.text == "Inline words." and res.path is None
    assert resolve_source(load_text("argmap: 1\nnodes: []\n", name="m.yaml")) is None


def test_find_many_reading_order_and_repeats():
    from argmap.map.source import quote_spans

    text = "Alpha beta. Gamma delta. Alpha beta. Epsilon."
    spans = quote_spans(text, ["Gamma delta", "alpha beta", None, "Alpha beta", "nowhere", "Epsilon"])
    # after "Gamma delta" the next "alpha beta" is the later one; the same text keeps its span
    assert spans == [(12, 23), (25, 35), None, (25, 35), None, (37, 44)]
    assert quote_spans(text, ["Alpha beta"]) == [(0, 10)]  # alone: the first occurrence
