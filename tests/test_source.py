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


_SQUASH_ALPHABET = "aAbß ﬁ\t\n\u00a0-\u2014\u2013\u200b\u00ad\u2026\u201c\u2019."


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_SQUASH_ALPHABET, max_size=300), st.integers(min_value=0, max_value=40))
def test_squash_shortcuts_agree_with_squashing_everything(text, size):
    """The title and author tests squash no more of a long paragraph than they need;
    what they decide is what squashing the whole paragraph decides."""
    from argmap.map.source import _squash, _squash_could_fit, _squash_head

    whole = _squash(text)
    assert _squash_head(text, size) == whole[:size]
    assert _squash_could_fit(text, len(whole))  # never rules out a paragraph that fits
    if not _squash_could_fit(text, size):
        assert len(whole) > size


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


# --------------------------------------------------------------------------- the quote index (issue 16)


def _first_by_scanning(text: str, q: str, hint: int) -> int:
    """The definition of where find_many takes a quote to be (what it did by scanning, before the index)."""
    swapped = q[0].swapcase() + q[1:] if q[0].isalpha() else None
    i = -1
    if hint:
        i = text.find(q, hint)
        if i < 0 and swapped:
            i = text.find(swapped, hint)
    if i < 0:
        i = text.find(q)
        if i < 0 and swapped:
            i = text.find(swapped)
    return i


_PIECES = st.sampled_from(["tax", "Tax", "homes", "a", "A", " ", " ", ", ", ".", "_", "x1", "é", "-"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.lists(_PIECES, min_size=1, max_size=8).map("".join),
       st.integers(0, 50), st.booleans())
def test_indexed_quote_search_finds_what_scanning_finds(text, quote, hint, index_first):
    from argmap.map import source

    q = quote.strip()
    if not q:
        return
    norm = source.NormalizedText(text)
    if index_first:
        norm.words()  # the index answers from the first quote on
    hint = min(hint, len(norm.text))
    assert norm._first(q, hint) == _first_by_scanning(norm.text, q, hint)


def test_quotes_not_found_cost_no_scan_of_the_source_each():
    from argmap.map import source

    words = [f"w{k}" for k in range(500)]
    rng = __import__("random").Random(3)
    text = " ".join(rng.choice(words) for _ in range(20_000))
    # a word the source lacks: no candidate at all
    quotes = [" ".join(rng.choice(words) for _ in range(3)) + f" nowhere{k} w1 w2" for k in range(2000)]
    norm = source.NormalizedText(text)
    assert norm.find_many(quotes) == [None] * len(quotes)
    assert norm._stats["scanned"] <= source._SCANS  # then the index: no more scans
    assert norm._stats["verified"] <= len(quotes)  # candidates checked, not characters scanned
    # only common words: the places of the rarest of them are checked (about 40 each here), no scan
    quotes = [" ".join(rng.choice(words) for _ in range(7)) for _ in range(2000)]
    norm = source.NormalizedText(text)
    assert norm.find_many(quotes) == [None] * len(quotes)
    assert norm._stats["scanned"] <= source._SCANS
    assert norm._stats["verified"] <= 60 * len(quotes)


def test_did_you_mean_near_the_rarest_words_of_a_long_source():
    from argmap.map.source import _SCAN_SUGGEST, closest_passage

    filler = "The council met again and the owners said little about it. " * (_SCAN_SUGGEST // 50)
    text = filler + "Vancouver taxed empty homes at one per cent of their value in 2017. " + filler
    quote = "Vancouver taxes empty homes at one percent of their value"
    whole = closest_passage(text, quote)
    near = closest_passage(text, quote, whole=False)
    assert whole is not None and near is not None
    assert near == whole
    assert closest_passage(text, "Nothing of this sort is in the text at all, zq", whole=False) is None


def test_did_you_mean_cutoff_gives_up_windows_without_changing_the_answer(monkeypatch):
    # _alignment hands rapidfuzz the floor, then the best score so far, as score_cutoff:
    # it must find what the search without any cutoff finds whenever that reaches the floor
    import random

    from rapidfuzz import fuzz

    from argmap.map import source
    from argmap.map.source import _SCAN_SUGGEST, _alignment, normalize

    real = fuzz.partial_ratio_alignment
    rng = random.Random(11)
    vocab = ["owners", "empty", "homes", "tax", "the", "council", "rents", "of", "Vancouver", "value",
             "per", "cent", "a", "levy", "vacant", "city", "and", "in", "housing", "market"]
    sentences = [" ".join(rng.choice(vocab) for _ in range(rng.randint(6, 16))).capitalize() + "."
                 for _ in range(2 * _SCAN_SUGGEST // 60)]
    norm = source.NormalizedText(" ".join(sentences))
    assert len(norm.text) > _SCAN_SUGGEST  # the windowed search runs
    other = ["zebra", "quantum", "orchid", "tax", "glacier", "homes", "violin", "the", "saffron", "lantern"]
    quotes = []
    for s in rng.sample(sentences, 100):
        words = s.rstrip(".").split()
        head = words[: len(words) // 2]
        rng.shuffle(head)  # misquoted: the first half out of order
        words[: len(head)] = head
        quotes.append(" ".join(words))
    # and quotes with few of the source's words: most score below the floor
    quotes += [" ".join(rng.choice(other) for _ in range(rng.randint(5, 12))) for _ in range(20)]
    checked = found = 0
    for q in map(normalize, quotes):
        for whole in (False, True):
            with monkeypatch.context() as m:  # every window scored in full
                m.setattr(fuzz, "partial_ratio_alignment", lambda a, b, score_cutoff=0, real=real: real(a, b))
                plain = _alignment(q, norm, whole)
            cut = _alignment(q, norm, whole, 60.0)
            if plain is None or plain.score < 60:
                assert cut is None
            else:
                assert cut == plain
                found += 1
            checked += 1
    assert checked == 240 and 150 < found < 230, found  # both kinds of answer were checked


# --------------------------------------------------------------------------- coverage without pysbd on plain prose


def _by_pysbd(chunk: str) -> list[tuple[int, int]]:
    import pysbd

    from argmap.map.source import _sentences

    class Only:  # _sentences with the plain path turned off: what pysbd alone gives
        def segment(self, text):
            return pysbd.Segmenter(language="en", clean=False).segment(text)

    from argmap.map import source

    saved = source._plain_sentences
    source._plain_sentences = lambda chunk: None
    try:
        return _sentences(chunk, 0, len(chunk), Only())
    finally:
        source._plain_sentences = saved


_TRICKY = ["tax", "homes", "Owners", "rent", "is", "no", "Dr", "Mr", "St", "etc", "I", "a", "b", "c", "e", "ii", "iv", "xi", "mix",
           "U", "USA", "am", "pm", "Co", "KG", "vs", "fig", "owner's", "long-term", "2017", "3", "per", "cent", "50%",
           "e", "x", "pp", "p", "Jan", "mid", "civic", "TAX", "IV", "Inc", "Ltd", "Ph", "al", "ill", "man", "Yahoo"]
_SEPS = [" ", " ", " ", ", ", "; ", ": ", ". ", ". ", ".  ", "? ", "! ", " - ", "-", "'", " '", "\n", " (", ") ", '"']


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TRICKY), st.sampled_from(_SEPS)), min_size=1, max_size=14),
       st.sampled_from([".", "", "!", "?", ". Then more."]))
def test_plain_paragraphs_split_as_pysbd_splits_them(pieces, end):
    from argmap.map.source import _plain_sentences

    chunk = "".join(w + s for w, s in pieces).strip() + end
    chunk = chunk[0].upper() + chunk[1:] if chunk else chunk
    plain = _plain_sentences(chunk)
    if plain is not None:
        assert plain == _by_pysbd(chunk), chunk


def test_plain_path_takes_plain_prose_and_leaves_the_rest_to_pysbd():
    from argmap.map.source import _plain_sentences

    assert _plain_sentences("Cities should tax empty homes. Rents rise, owners wait.") == [(0, 30), (31, 55)]
    assert _plain_sentences("It is plan a. Then it is plan c.") == [(0, 13), (14, 32)]  # letters, but no list
    # neighbours in the alphabet are a list to pysbd, also the last with the first (its index -1)
    assert _plain_sentences("See a. Then b.") is None
    assert _plain_sentences("Mr c. Then e. Then b.") is None
    for hard in ("Dr. Smith taxes homes.", "It rose 3.5 per cent.", 'He said "no." Then left.', "Tax homes (now).",
                 "Is it so? Yes.", "Wait... Then go.", "See point ii. Then go.", "Two  spaces. Here.",
                 "A line\nbreak.", "No final stop", "Smith and Co. KG sold it.", "We met. I left."):
        assert _plain_sentences(hard) is None, hard


@pytest.mark.parametrize("text_path", [
    Path(__file__).resolve().parents[1] / "seeds" / "opportunity-knocks-nato-asia-pacific.txt",
])
def test_coverage_of_real_articles_equals_pysbd_alone(text_path):
    from argmap.map import source

    text = text_path.read_text(encoding="utf-8")
    for a, b in source.paragraphs(text):
        chunk = text[a:b]
        plain = source._plain_sentences(chunk)
        if plain is not None:
            assert plain == _by_pysbd(chunk)


def test_seed_map_coverage_is_unchanged_by_the_plain_path():
    from argmap.checks.runner import Context
    from argmap.io.config import Config
    from argmap.map import source

    loaded = load_map(Path(__file__).resolve().parents[1] / "maps" / "nato-asia-pacific.yaml")
    fast = Context(loaded, Config()).coverage
    saved = source._plain_sentences
    source._plain_sentences = lambda chunk: None
    try:
        slow = Context(loaded, Config()).coverage
    finally:
        source._plain_sentences = saved
    assert fast == slow
    assert fast.total > 20


def test_coverage_of_a_big_generated_source_equals_pysbd_alone():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    from genmap import generate

    from argmap.map import source

    text = generate(600, "mixed", seed=4, source=True)["source"]["text"]
    fast = source.coverage(text)
    saved = source._plain_sentences
    source._plain_sentences = lambda chunk: None
    try:
        slow = source.coverage(text)
    finally:
        source._plain_sentences = saved
    assert fast == slow and fast.total >= 600


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TRICKY + [w.capitalize() for w in _TRICKY]),
                          st.sampled_from([" ", " ", ", ", ". ", ". ", "; "])), min_size=1, max_size=14))
def test_mostly_plain_paragraphs_split_as_pysbd_splits_them(pieces):
    from argmap.map.source import _plain_sentences

    chunk = "".join(w + s for w, s in pieces).strip().rstrip(".,;") + "."
    chunk = chunk[0].upper() + chunk[1:]
    plain = _plain_sentences(chunk)
    if plain is not None:
        assert plain == _by_pysbd(chunk), chunk


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab. \t\n\r\x0b\x0c\u2028\u00a0")), max_size=40))
def test_paragraphs_are_the_matches_of_the_definition(text):
    import re

    from argmap.map.source import _PARAGRAPH, paragraphs

    assert paragraphs(text) == [m.span() for m in re.finditer(_PARAGRAPH, text, re.S)]
