"""Issue 18's check items and issue 17's AM110: the hints a user reads.

AM102 says to remove the relation or restore the node; AM106 says how to link
an orphan or delete it; a "did you mean" quote does not take a neighbouring
"but" or full stop; an unclosed YAML quote is reported where it opened; AM110
is one finding per map, its drafts listed lowest confidence first.
"""

from __future__ import annotations

import pytest

from argmap.checks import run_checks
from argmap.io.loading import load_text
from argmap.map.errors import MapInvalid
from argmap.map.source import closest_passage

BASE = """argmap: 1
nodes:
  - id: thesis
    kind: thesis
    text: Cities should tax empty homes.
"""


def _diags(text: str, rule: str):
    return [d for d in run_checks(load_text(text, name="m.yaml")) if d.rule == rule]


def test_dangling_relation_says_remove_or_restore():
    text = BASE + "  - id: rents\n    kind: claim\n    text: Rents rise.\n    supports: [thesis, gone]\n"
    (d,) = _diags(text, "AM102")
    assert d.message == "supports 'gone', but no node has that id; remove the relation or restore the node"
    assert (d.line, d.column) == (9, 24)


def test_dangling_co_premise_says_remove_it_from_with():
    text = BASE + ("  - id: rents\n    kind: claim\n    text: Rents rise.\n"
                   "    supports:\n      - to: thesis\n        with: [gone]\n")
    (d,) = _diags(text, "AM102")
    assert d.message.endswith("but no node has that id; remove it from 'with' or restore the node")


def test_orphan_says_how_to_link_or_delete():
    text = BASE + "  - id: rents\n    kind: claim\n    text: Rents rise.\n  - id: obj\n    kind: objection\n    text: No.\n"
    d1, d2 = _diags(text, "AM106")
    assert d1.message == ("'rents' has no path of relations to the thesis 'thesis'; link it (add 'supports: [ID]' "
                          "or 'attacks: [ID]', ID a node on a path to the thesis) or delete it")
    assert "(add 'attacks: [ID]' or 'supports: [ID]'" in d2.message  # an objection attacks first


SOURCE = ("These parking minimums were meant to keep streets clear of cars, but they have become one "
          "of the most expensive mistakes in American urban policy. Buffalo acted in 2017.")


@pytest.mark.parametrize("quote, want", [
    # the alignment reached into "…cars, but" and the closing full stop
    ("they have become ones of", "they have become one of"),
    ("tub they have become ones of", "they have become one of"),
    ("buts they have become ones of", "but they have become one of"),  # the quote's own (misspelt) "but" stays
    ("they have become one of the most expensive mistake in American urban policy",
     "they have become one of the most expensive mistakes in American urban policy"),
])
def test_suggestion_takes_no_neighbouring_but_or_full_stop(quote, want):
    p = closest_passage(SOURCE, quote)
    assert p is not None and p.text.startswith(want)  # where it ends is the alignment's choice
    assert not p.text.endswith((".", ","))


def test_suggestion_keeps_a_full_stop_the_quote_has():
    p = closest_passage(SOURCE, "expensive mistakes in Amercan urban policy.")
    assert p is not None and p.text.endswith("urban policy.")


def test_suggestion_drops_a_leading_and_found_by_alignment():
    text = ("NATO needs a clear and strategic approach to relations between the partners. "
            "Exchanges follow.")
    p = closest_passage(text, "holistic and approach to relations")
    assert p is not None and not p.text.lower().startswith("and ")
    p = closest_passage(text, "exchanges of visits betweens the partners")
    assert p is not None and not p.text.endswith(".")


@pytest.mark.parametrize("quote,want", [
    ("Free buses get people out", "Free buses also get people"),  # not "collect. Free buses ..."
    ("what it cost to collect", "what they cost to collect"),  # not "... collect. Free"
    # the quote's own sentence break stays, and so do the quote's first and last words
    ("money compared to what they cost to collect. Free", "money compared with what they cost to collect. Free"),
    ("what they cost to collect Free buses also", "what they cost to collect. Free buses also"),
    ("to collect Free buses also get people", "to collect. Free buses also get people"),
])
def test_suggestion_takes_no_words_of_the_neighbouring_sentences(quote, want):
    text = ("Cities should make buses free. Fares bring in little money compared with what they cost to "
            "collect. Free buses also get people out of cars, which cuts traffic and pollution.")
    p = closest_passage(text, quote)
    assert p is not None and p.text == want


def test_suggestion_in_a_long_source_found_where_the_quote_s_words_agree():
    """Past the whole-source budget, a long source is searched around the places where the
    quote's rarest words would put its start. Each of those words stands alone thirty
    times before the passage (the first dozen places of each word held no passage, and an
    earlier search stopped there): the places vote, and the one window most of them agree
    on is the passage, found as the whole search finds it (without the neighbouring
    sentences' words that the alignment takes at equal score)."""
    from argmap.map.source import _SCAN_SUGGEST

    filler = "Plain words fill this sentence about nothing in particular. "
    passage = "Rofeingde rose by banks of their guvoer after tieltoba vovoruel."
    words = passage.rstrip(".").split()
    lone = [f"{w} stands alone here. " for w in words] * 30  # every word of the quote, 30 times
    text = "".join(lone) + filler * (_SCAN_SUGGEST // len(filler)) + passage + " " + filler * 20
    assert len(text) > _SCAN_SUGGEST
    quote = "Rofeingde rose by the banks of their guvoer after tieltoba vovoruel"
    whole = closest_passage(text, quote)
    near = closest_passage(text, quote, whole=False)
    assert whole is not None and near is not None
    assert near.text == whole.text == passage.rstrip(".") and near.score == whole.score


def test_suggestion_in_a_long_source_despite_misspelt_words():
    """Words of the quote that the source does not hold (misspelt, say) cast no vote and take
    no place from the words that do."""
    from argmap.map.source import _SCAN_SUGGEST

    filler = "Plain words fill this sentence about nothing in particular. "
    passage = "Rofeingde rose by banks of their guvoer after tieltoba vovoruel."
    text = filler * (_SCAN_SUGGEST // len(filler)) + passage + " " + filler * 20
    quote = "Rofeingdx rosx by bankx of thexr guvoex aftex tieltoba vovoruel"  # six words the text lacks
    whole = closest_passage(text, quote)
    near = closest_passage(text, quote, whole=False)
    assert whole is not None and near is not None and near.score == whole.score


@pytest.mark.parametrize("quote_char", ['"', "'"])
def test_unclosed_quote_is_reported_where_it_opened(quote_char):
    text = BASE.replace("text: Cities", f"text: {quote_char}Cities") + "  - id: a\n    kind: claim\n    text: x\n"
    with pytest.raises(MapInvalid) as err:
        load_text(text, name="m.yaml")
    (d,) = err.value.diagnostics
    assert (d.line, d.column) == (5, 11)
    assert d.message == ("YAML syntax error: this quoted string is never closed (the file ends inside it); "
                         "add the closing quote")


def test_other_quoted_scalar_errors_keep_their_position():
    text = BASE.replace("text: Cities should tax empty homes.", 'text: "bad \\q escape"')
    with pytest.raises(MapInvalid) as err:
        load_text(text, name="m.yaml")
    (d,) = err.value.diagnostics
    assert "never closed" not in d.message and d.line == 5


DRAFTS = BASE.replace("homes.\n", "homes.\n    draft: {confidence: 0.9}\n", 1) + "".join(
    f"  - id: n{i}\n    kind: claim\n    text: Reason {i}.\n    supports: [thesis]\n    draft: {{confidence: {c}}}\n"
    for i, c in enumerate([0.5, 0.3, 0.7, 0.3, 0.6]))


def test_draft_remains_is_one_finding_per_map_lowest_confidence_first():
    (d,) = _diags(DRAFTS, "AM110")
    assert d.message == ("6 nodes are still drafts of argmap extract, lowest confidence first: 'n1' (0.3), "
                         "'n3' (0.3), 'n0' (0.5) and 3 more; review them ('argmap review') or accept them "
                         "('argmap accept')")
    assert d.line == 16  # the draft of lowest confidence (n1; n3 ties and comes later in the file)
    assert d.node is None  # the finding is about the map
    assert [x["id"] for x in d.extra["drafts"]] == ["n1", "n3", "n0", "n4", "n2", "thesis"]
    assert [x["confidence"] for x in d.extra["drafts"]] == [0.3, 0.3, 0.5, 0.6, 0.7, 0.9]


def test_a_node_that_ignores_draft_remains_is_left_out():
    text = DRAFTS.replace("    draft: {confidence: 0.3}\n", "    ignore: [AM110]\n    draft: {confidence: 0.3}\n")
    (d,) = _diags(text, "AM110")
    assert [x["id"] for x in d.extra["drafts"]] == ["n0", "n4", "n2", "thesis"]
    only = BASE + "  - id: a\n    kind: claim\n    text: A.\n    supports: [thesis]\n    ignore: [draft-remains]\n" \
        "    draft: {confidence: 0.2}\n"
    assert _diags(only, "AM110") == []
