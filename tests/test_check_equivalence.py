"""The faster check rules report exactly what the old ones did.

``tests/golden/check_equivalence.json`` holds the diagnostics (rule, message,
line, column, node, extra, in order) that the rules gave BEFORE the speed-up
(commit 06867e9), on seeded maps (except 16 "did you mean" passages, rewritten
when the search around a quote's rarest words and the trimming of the words the
alignment takes from neighbouring sentences changed: each differs from the old
one by a word or a few at its ends, at the same similarity): the bench generator's maps (both shapes,
with a source) spiced with near-duplicates, support and attack cycles,
missing, altered, duplicated and multi-paragraph quotes, dangling, linked,
self and implausible relations, duplicate ids, undercuts and ignores; plus
scaled-down versions of bench/check_bench.py's hostile maps. Each map is
checked now and compared with the golden list, diagnostic by diagnostic.

Independent references are computed here as well: near-duplicates by the
all-pairs comparison (the definition the prefix-filtered join must match),
and quote spans by locating each quote on its own.

Regenerate the golden file only from a commit whose rules are trusted:
``python tests/test_check_equivalence.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from argmap.checks.runner import Context, run_checks
from argmap.io.config import Config
from argmap.io.loading import load_text
from conftest import similar_pairs_by_definition

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "check_equivalence.json"
sys.path.insert(0, str(ROOT / "bench"))

from genmap import dump_json, generate  # noqa: E402

# --------------------------------------------------------------------------- maps


def _variant(text: str, rng: random.Random) -> str:
    """A text that nearly (or exactly, or not at all) repeats ``text``."""
    words = text.rstrip(".").split()
    how = rng.choice(("swap", "case", "drop", "same", "letter", "add", "space"))
    if how == "swap" and len(words) > 3:
        k = rng.randrange(len(words) - 1)
        words[k], words[k + 1] = words[k + 1], words[k]
    elif how == "case":
        return text.upper() if rng.random() < 0.5 else text.lower()
    elif how == "drop" and len(words) > 4:
        del words[rng.randrange(len(words))]
    elif how == "same":
        return text
    elif how == "letter":
        k = rng.randrange(len(words))
        words[k] = words[k][:-1] + "x"
    elif how == "add":
        words.insert(rng.randrange(len(words) + 1), rng.choice(("very", "the", "surely", "so")))
    elif how == "space":
        return "  " + text.replace(" ", " \u2014 ", 1) + " "
    return " ".join(words) + "."


def _spice(data: dict, seed: int) -> dict:
    """Add every kind of finding the rules know to a generated map (deterministically)."""
    rng = random.Random(seed)
    nodes = data["nodes"]
    n = len(nodes)
    ids = [nd["id"] for nd in nodes]
    parent = {}
    for nd in nodes:
        for rel in ("supports", "attacks"):
            for t in nd.get(rel, ()):
                parent.setdefault(nd["id"], t)
    # near-duplicate texts: variants of earlier (or later) texts
    for k in rng.sample(range(1, n), max(3, n // 25)):
        nodes[k]["text"] = _variant(nodes[rng.randrange(n)]["text"], rng)
    # support cycles: an ancestor supports its descendant
    for _ in range(max(2, n // 150)):
        b = rng.randrange(1, n)
        chain = [ids[b]]
        while chain[-1] in parent and len(chain) < 6:
            chain.append(parent[chain[-1]])
        a = chain[-1] if chain[-1] != "thesis" else chain[-2] if len(chain) > 1 else None
        if a and a != ids[b]:
            nodes[ids.index(a)].setdefault("supports", []).append(ids[b])
    # attack cycles and unanswered attacks on the thesis and recommendations
    for _ in range(max(2, n // 300)):
        a, b = rng.sample(range(1, n), 2)
        nodes[a].setdefault("attacks", []).append(ids[b])
        nodes[b].setdefault("attacks", []).append(ids[a])
    nodes[rng.randrange(1, n)].setdefault("attacks", []).append("thesis")
    recs = [i for i, nd in enumerate(nodes) if nd["kind"] == "recommendation"]
    for r in recs[:3]:
        nodes[rng.randrange(1, n)].setdefault("attacks", []).append(ids[r])
    # undercuts: of real relations, of missing ones, with unknown ids, of itself, by the thesis
    holders = [i for i, nd in enumerate(nodes) if nd.get("supports")]
    for _ in range(max(3, n // 200)):
        h = rng.choice(holders)
        rel = nodes[h]["supports"][0]
        tgt = rel if isinstance(rel, str) else rel["to"]
        nodes[rng.randrange(1, n)].setdefault("undercuts", []).append(f"{ids[h]}->{tgt}")
    nodes[1].setdefault("undercuts", []).extend([f"{ids[2]}->{ids[3]}", "nosuch->thesis", f"{ids[1]}->{ids[2]}"])
    nodes[0].setdefault("undercuts", []).append(f"{ids[4]}->{ids[5]}")
    # linked relations (with the thesis, with itself, with a missing id), dangling and self relations
    for _ in range(max(3, n // 200)):
        a, b, c = rng.sample(range(1, n), 3)
        nodes[a].setdefault("supports", []).append({"to": ids[b], "with": [ids[c]], "scheme": "example"})
    nodes[6].setdefault("supports", []).append({"to": ids[7], "with": ["thesis", ids[6], "no-such-node"]})
    nodes[8].setdefault("attacks", []).append({"to": ids[8], "with": [ids[9]]})
    nodes[10].setdefault("supports", []).extend([ids[10] + "x", "nowhere", ids[10]])
    nodes[0].setdefault("supports", []).append(ids[11])
    nodes[12].setdefault("attacks", []).append(ids[13])
    nodes[12].setdefault("supports", []).append(ids[13])
    # kinds: a second thesis, an objection supporting a claim, an unsupported recommendation
    nodes[14]["kind"] = "thesis"
    obj = next((i for i, nd in enumerate(nodes) if nd["kind"] == "objection"), None)
    if obj is not None:
        nodes[obj].setdefault("supports", []).append("thesis")
    nodes.append({"id": "rec-lonely", "kind": "recommendation", "text": "Do something nobody argues for.",
                  "supports": ["thesis"]})
    # orphans, duplicate ids, drafts, ignores
    nodes.append({"id": "orphan-1", "kind": "claim", "text": "Nothing links to this one."})
    nodes.append({"id": ids[15], "kind": "claim", "text": "A second node with an id in use.", "supports": ["thesis"]})
    nodes[16]["draft"] = {"confidence": 0.5, "backend": "heuristic"}
    nodes[17]["ignore"] = ["AM302", "orphan-nodes"]
    nodes[18]["ignore"] = ["AM1"]
    # quotes against the source
    src = data.get("source")
    if src is not None:
        text = src["text"]
        text = text.replace(". ", ".\u201d ", 3).replace(" the ", " the\u2014", 5).replace(" of ", "  of\n ", 5)
        src["text"] = text
        quoted = [nd for nd in nodes if nd.get("quote")]
        paras = text.split("\n\n")
        for k in rng.sample(range(len(quoted)), max(8, len(quoted) // 40)):
            q = quoted[k]["quote"]
            how = k % 8
            if how == 0:  # a word dropped: not found, with a did-you-mean
                w = q.split()
                del w[len(w) // 2]
                quoted[k]["quote"] = " ".join(w)
            elif how == 1:  # unrelated: not found, nothing like it
                quoted[k]["quote"] = "Zzyzx qqq wvv xkcd plugh."
            elif how == 2:  # the first letter's case and spacing differ: found
                quoted[k]["quote"] = q[0].swapcase() + q[1:].replace(" ", "   ", 2)
            elif how == 3:  # the same words as another node
                quoted[k]["quote"] = quoted[rng.randrange(len(quoted))]["quote"]
            elif how == 4 and len(paras) > 2:  # across a paragraph break
                p = rng.randrange(len(paras) - 1)
                quoted[k]["quote"] = paras[p].split(". ")[-1] + " " + paras[p + 1].split(". ")[0]
            elif how == 5:
                del quoted[k]["quote"]
            elif how == 6:  # curly quotes and dashes in the quote
                quoted[k]["quote"] = q.replace(" ", " -- ", 1) + "\u201d"
            else:  # a fragment
                quoted[k]["quote"] = " ".join(q.split()[2:5]) or q
    return data


def _hostile(scale: int) -> list[tuple[str, dict]]:
    """bench/check_bench.py's hostile maps, smaller."""
    rng = random.Random(1)
    out = []
    n = scale
    nodes = [{"id": "t", "kind": "thesis", "text": "The thesis."}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": f"Claim number {i} says something {rng.randint(0, 99)}.",
               "supports": ["t"]} for i in range(1, n)]
    nodes[1]["supports"] = [f"n{rng.randint(1, n - 1)}" for _ in range(n)]
    nodes[1]["attacks"] = [f"n{rng.randint(1, n - 1)}" for _ in range(n)]
    out.append(("hostile-many-relations", {"argmap": 1, "nodes": nodes}))
    nodes = [{"id": "t", "kind": "thesis", "text": "Same text for all."}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": "Same text for all.", "supports": ["t"]} for i in range(60)]
    out.append(("hostile-copies", {"argmap": 1, "nodes": nodes}))
    k = scale // 2
    out.append(("hostile-cycles", {"argmap": 1, "nodes": [
        {"id": f"c{i}", "kind": "thesis" if i == 0 else "claim", "text": f"C{i}.",
         "supports": [f"c{i}", f"c{(i + 1) % k}", {"to": f"c{(i + 2) % k}", "with": [f"c{i}", f"c{(i + 3) % k}"]}],
         "attacks": [f"c{i}", f"c{(i - 1) % k}"],
         "undercuts": [f"c{i}->c{i}", f"c{(i + 1) % k}->c{(i + 2) % k}"]} for i in range(k)]}))
    return out


def cases() -> list[tuple[str, dict, dict]]:
    """``(name, map data, config settings)`` of every compared map."""
    out = []
    for n, shape, seed in ((300, "tree", 1), (300, "mixed", 2), (1000, "tree", 3), (1000, "mixed", 4),
                           (2000, "tree", 5), (2000, "mixed", 6)):
        data = _spice(generate(n, shape, seed, source=True), seed)
        out.append((f"gen-{n}-{shape}-s{seed}", data, {}))
    plain = _spice(generate(400, "mixed", 7), 7)  # no source
    out.append(("gen-400-mixed-nosource", plain, {}))
    cov = _spice(generate(300, "tree", 8, source=True), 8)
    out.append(("gen-300-tree-coverage", cov, {"min_coverage": 0.99}))
    out.extend((name, data, {}) for name, data in _hostile(200))
    return out


def _digest(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()[:16]


def _diagnostics(data: dict, settings: dict) -> list[list]:
    loaded = load_text(dump_json(data), name="map.json")
    diags = run_checks(loaded, Config(**settings))
    # the rules the golden file knows (AM4xx, the scheme rules, came after it)
    return [[d.rule, d.message, d.line, d.column, d.node, d.extra] for d in diags if d.rule < "AM4"]


def _golden() -> dict:
    return json.loads(GOLDEN.read_text(encoding="utf-8"))


CASES = cases()


@pytest.mark.parametrize("name,data,settings", CASES, ids=[c[0] for c in CASES])
def test_diagnostics_equal_the_old_rules(name, data, settings):
    want = _golden()[name]
    assert want["digest"] == _digest(data), "the generated map changed (bench/genmap.py?); the golden is for another map"
    got = json.loads(json.dumps(_diagnostics(data, settings)))
    assert len(got) == len(want["diagnostics"])
    for g, w in zip(got, want["diagnostics"]):
        assert g == w
    # the spiced maps really exercise the rules
    assert len({d[0] for d in got}) >= (12 if name.startswith("gen-") and "nosource" not in name else 1)


def test_golden_covers_every_case_and_many_rules():
    golden = _golden()
    assert sorted(golden) == sorted(c[0] for c in CASES)
    rules = {d[0] for g in golden.values() for d in g["diagnostics"]}
    assert {"AM101", "AM102", "AM103", "AM104", "AM105", "AM106", "AM107", "AM108", "AM109", "AM110", "AM111",
            "AM203", "AM204", "AM205", "AM206", "AM301", "AM302"} <= rules


# --------------------------------------------------------------------------- independent references


def _all_pairs(texts: list[str]) -> list[tuple[int, int, float]]:
    """Near-duplicate pairs by comparing every pair (the definition)."""
    import re

    from rapidfuzz import fuzz

    from argmap.checks.reasoning import JACCARD, RATIO
    from argmap.map.source import normalize

    sets = [set(re.findall(r"[^\W_]+", t.casefold())) for t in texts]
    out = []
    for j in range(len(texts)):
        for i in range(j):
            a, b = sets[i], sets[j]
            if not a or not b:
                continue
            inter = len(a & b)
            if inter >= JACCARD * (len(a) + len(b) - inter):
                score = fuzz.ratio(normalize(texts[i]).casefold().strip(), normalize(texts[j]).casefold().strip())
                if score >= RATIO:
                    out.append((i, j, score))
    return sorted(out)


@pytest.mark.parametrize("name", ["gen-300-tree-s1", "gen-1000-mixed-s4", "gen-400-mixed-nosource"])
def test_near_duplicate_join_equals_all_pairs(name):
    from argmap.checks.reasoning import first_near_duplicates, near_duplicate_pairs

    data = next(d for n, d, _ in CASES if n == name)
    texts = [nd["text"] for nd in data["nodes"]]
    want = _all_pairs(texts)
    got = near_duplicate_pairs(texts)
    assert len(want) > 5
    assert [(i, j) for i, j, _ in got] == [(i, j) for i, j, _ in want]
    assert all(abs(a[2] - b[2]) < 1e-9 for a, b in zip(got, want))
    # one warning per later node, against its earliest partner
    earliest = {}
    for i, j, s in want:
        if j not in earliest:
            earliest[j] = (i, s)
    firsts = first_near_duplicates(texts)
    assert [(i, j) for i, j, _ in firsts] == [(earliest[j][0], j) for j in sorted(earliest)]


@pytest.mark.parametrize("name", ["gen-1000-tree-s3", "gen-2000-mixed-s6"])
def test_quote_spans_equal_locating_each_quote(name):
    from argmap.map.source import NormalizedText

    data = next(d for n, d, _ in CASES if n == name)
    loaded = load_text(dump_json(data), name="map.json")
    ctx = Context(loaded, Config())
    text = data["source"]["text"]
    spans = ctx.quote_spans
    alone_index = NormalizedText(text)  # a fresh index, not the one check used
    found = missing = 0
    for node, span in zip(loaded.map.nodes, spans):
        if not node.quote:
            assert span is None
            continue
        alone = alone_index.find(node.quote)  # the first occurrence, searched on its own
        assert (span is None) == (alone is None)
        if span is None:
            missing += 1
        else:
            found += 1
            # the span holds the quote, compared the normalised way
            from argmap.map.source import normalize

            a = " ".join(normalize(text[span[0]:span[1]]).split()).casefold()
            b = " ".join(normalize(node.quote).split()).casefold()
            assert a == b
    assert found > 100 and missing > 3


def write_golden() -> None:
    out = {}
    for name, data, settings in CASES:
        out[name] = {"digest": _digest(data), "settings": settings, "diagnostics": _diagnostics(data, settings)}
    GOLDEN.write_text(json.dumps(out, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, g in out.items():
        print(name, len(g["diagnostics"]), sorted({d[0] for d in g["diagnostics"]}))


if __name__ == "__main__":
    if "--write" in sys.argv:
        write_golden()


# --------------------------------------------------------------------------- the fast paths, one by one

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SPECIALS = " \t\n\r\x0b\x0c\x1c\x85\xa0\u2003\u3000-\u2013\u2014\u2212\u2018\u2019\u201c\u201d`\u00b4\u200b\u00ad\u2026"
_TEXT = st.text(alphabet=st.sampled_from(list(_SPECIALS) + list("ab. _,1é")), max_size=60)


def test_whitespace_list_is_what_re_calls_whitespace():
    import re

    from argmap.map.source import WHITESPACE

    every = {chr(c) for c in range(sys.maxunicode + 1) if re.match(r"\s", chr(c))}
    assert set(WHITESPACE) == every - {" "}


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_special_matches_are_the_regex_matches(text):
    import re

    from argmap.map.source import _SPECIAL_PATTERN, _replacement, _special_matches, normalize

    special = re.compile(_SPECIAL_PATTERN)
    assert [m.span() for m in _special_matches(text)] == [m.span() for m in special.finditer(text)]
    assert normalize(text) == special.sub(lambda m: _replacement(m.group()), text)


_ASCII_TEXT = st.text(alphabet=st.sampled_from([c for c in _SPECIALS if c.isascii()] + list("ab. _,1")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(_ASCII_TEXT)
def test_special_matches_of_ascii_text_are_the_regex_matches(text):
    """ASCII text takes the str.find path of _special_matches."""
    import re

    from argmap.map.source import _SPECIAL_PATTERN, _special_matches

    assert text.isascii()
    special = re.compile(_SPECIAL_PATTERN)
    assert [m.span() for m in _special_matches(text)] == [m.span() for m in special.finditer(text)]


@settings(max_examples=200, deadline=None)
@given(_TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20), st.booleans()), max_size=12))
def test_find_many_equals_finding_each_quote(source, picks):
    from argmap.map.source import NormalizedText

    quotes = []
    for start, length, swap in picks:  # pieces of the source (some found, some not), in and out of order
        q = source[start:start + length]
        quotes.append(q.swapcase() if swap else q)
    quotes.append(None)
    norm = NormalizedText(source)
    fresh = NormalizedText(source)
    got = norm.find_many(quotes)
    for q, span in zip(quotes, got):
        alone = fresh.find(q) if q else None
        assert (span is None) == (alone is None)
        if span is not None:  # found at some occurrence: the span is one of the quote's
            assert _is_occurrence(fresh, span, q)


def _is_occurrence(norm, span, quote) -> bool:
    """Whether ``span`` is the original span of some occurrence of ``quote`` (first letter's case forgiven)."""
    from argmap.map.source import normalize

    q = normalize(quote).strip()
    return any(norm.text[i:i + len(q)] in (q, q[0].swapcase() + q[1:]) and norm.span(i, i + len(q)) == span
               for i in range(len(norm.text) - len(q) + 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\x0b\x85\u2028")), max_size=40))
def test_paragraph_breaks_answer_like_the_regex(text):
    from argmap.map.source import ParagraphBreaks, spans_paragraphs

    breaks = ParagraphBreaks(text)
    for a in range(len(text) + 1):
        for b in range(a, len(text) + 1):
            assert breaks.crosses((a, b)) == spans_paragraphs(text, (a, b))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), _TEXT), max_size=8))
def test_words_of_many_texts_are_the_regex_words(texts):
    from argmap.checks.reasoning import _folded, _tokens

    parts = _folded(texts)
    assert [p.split() for p in parts] == [_tokens(t) for t in texts]
    assert sorted(" ".join(parts).split()) == sorted(w for t in texts for w in _tokens(t))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), max_size=9), max_size=25), st.sampled_from([0.8, 0.5, 0.34, 1.0, 0.9]))
def test_similar_sets_are_all_pairs_above_the_threshold(sets, jaccard):
    from argmap.checks.reasoning import _similar_sets

    ranked = [sorted(set(s)) for s in sets]
    want = similar_pairs_by_definition(ranked, jaccard)
    assert _similar_sets(ranked, jaccard, None) == want


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 9), st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.integers(0, 10)), max_size=20))
def test_support_cycles_equal_tarjan_on_every_graph(n, rels):
    from collections import defaultdict

    from argmap.map.graph import _cycles, build

    lines = ["argmap: 1", "nodes:"]
    for i in range(n):
        lines += [f"  - id: n{i}", "    kind: claim", f"    text: Node {i}."]
        sup = [f"{{to: n{b}, with: [n{c}]}}" if c % 3 == 0 else f"n{b}" for a, b, c in rels if a == i]
        if sup:
            lines.append(f"    supports: [{', '.join(sup)}]")  # ids up to n10: some are unknown
    g = build(load_text("\n".join(lines) + "\n", name="m.yaml").map)
    adj = defaultdict(list)
    for e in g.edges:
        for s in e.sources:
            adj[s].append(e.target)
    assert g.support_cycles() == _cycles(adj, list(g.index))
