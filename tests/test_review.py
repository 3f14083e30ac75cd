"""argmap review: the terminal review, driven key by key with Textual's Pilot.

After every step the map file on disk is read back: each decision is written
at once (so Ctrl-C loses nothing), comments kept.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app as cli_app
from argmap.io.loading import load_map

textual = pytest.importorskip("textual")  # a dependency of argmap: present wherever argmap is installed

from argmap.commands.review import summary  # noqa: E402
from argmap.review.app import ReviewApp, quote_context  # noqa: E402

ARTICLE = """Empty Homes

Cities should tax empty homes. Rents keep climbing while flats stand dark.

Empty homes push rents up, because every empty flat is one fewer on the market. Owners will dodge the tax, critics say. But audits catch sham lets.
"""

MAP = """\
argmap: 1
source:
  path: article.txt
nodes:
  # the thesis
  - id: thesis
    kind: thesis
    text: Cities should tax empty homes.
    quote: "Cities should tax empty homes"
    draft:
      confidence: 0.6
  - id: rents
    kind: claim
    text: Empty homes push rents up.
    quote: "Empty homes push rents up"
    supports: [thesis]
    draft:
      confidence: 0.35
      cues: ["support:because"]
  # the objection
  - id: dodge
    kind: claim
    text: Owners will dodge the tax.
    quote: "Owners will dodge the tax"
    supports: [thesis]
    draft:
      confidence: 0.5
  - id: audits
    kind: premise
    text: Audits catch sham lets.
    quote: "audits catch sham lets"
    attacks: [dodge]
"""


@pytest.fixture
def mapfile(tmp_path) -> Path:
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    p = tmp_path / "m.yaml"
    p.write_text(MAP, encoding="utf-8")
    return p


def drive(mapfile: Path, steps):
    """Run the review of ``mapfile``; ``steps`` is a list of (keys, check) where
    check(text_on_disk, app) runs after the keys are pressed. The outcome."""

    async def main():
        app = ReviewApp(load_map(mapfile), ARTICLE)
        async with app.run_test(size=(100, 40)) as pilot:
            for keys, check in steps:
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
                check(mapfile.read_text(encoding="utf-8"), app)
        return app.return_value if app.return_value is not None else app.outcome

    return asyncio.run(main())


def drafts_on_disk(text: str) -> list[str]:
    from argmap.io.loading import load_text

    return [n.id for n in load_text(text).map.nodes if n.draft is not None]


def shown(app) -> str:
    return str(app.query_one("#node").render()) + "\n" + str(app.query_one("#context").render())


def test_accept_skip_and_quit_write_after_every_step(mapfile):
    def first(text, app):  # lowest confidence first: rents (0.35)
        assert text == MAP
        assert "CLAIM rents" in shown(app) and "draft 0.35" in shown(app)
        assert "supports thesis: Cities should tax empty homes." in shown(app)

    def after_accept(text, app):
        assert text == MAP.replace("    draft:\n      confidence: 0.35\n      cues: [\"support:because\"]\n", "")
        assert "CLAIM dodge" in shown(app)  # next: dodge (0.5)

    def after_skip(text, app):
        assert drafts_on_disk(text) == ["thesis", "dodge"]  # skipping writes nothing
        assert "THESIS thesis" in shown(app)

    outcome = drive(mapfile, [((), first), (("a",), after_accept), (("s",), after_skip),
                              (("q",), lambda text, app: None)])
    assert outcome.accepted == ["rents"] and outcome.skipped == ["dodge"] and outcome.remaining == 2
    assert summary(outcome, "m.yaml") == "reviewed m.yaml: 1 accepted, 0 deleted, 0 changed, 1 skipped; 2 drafts remain."
    assert "# the thesis" in mapfile.read_text() and "# the objection" in mapfile.read_text()


def test_the_quote_is_highlighted_in_its_paragraph():
    ctx = quote_context(ARTICLE, "Owners will dodge the tax")
    assert ctx.plain.startswith("Empty homes push rents up, because")  # the whole paragraph, not the title
    assert "Cities should" not in ctx.plain
    (span,) = [s for s in ctx.spans if "reverse" in str(s.style)]
    assert ctx.plain[span.start:span.end] == "Owners will dodge the tax"
    assert "not found in the article" in quote_context(ARTICLE, "nothing like this").plain
    assert "could not be read" in quote_context(None, "x").plain


def test_change_kind_then_retarget_then_accept(mapfile):
    def kind_prompt(text, app):
        assert app.query_one("#prompt").has_class("shown")
        assert text == MAP

    def kind_changed(text, app):
        node = load_map(mapfile).map.node("rents")
        assert node.kind.value == "premise" and node.draft is not None  # still a draft: still under review
        assert text == MAP.replace("    kind: claim\n    text: Empty homes push", "    kind: premise\n    text: Empty homes push")

    def retargeted(text, app):
        node = load_map(mapfile).map.node("rents")
        assert [r.to for r in node.attacks] == ["dodge"] and node.supports == []

    def accepted(text, app):
        assert drafts_on_disk(text) == ["thesis", "dodge"]

    clear = ["end"] + ["backspace"] * 30
    outcome = drive(mapfile, [
        (("k",), kind_prompt),
        ((*clear, *"premise", "enter"), kind_changed),
        (("t", *clear, *"attacks dodge", "enter"), retargeted),
        (("a",), accepted),
        (("q",), lambda text, app: None),
    ])
    assert outcome.changed == ["rents"] and outcome.accepted == ["rents"]


def test_edit_text_and_escape(mapfile):
    def cancelled(text, app):
        assert text == MAP and not app.query_one("#prompt").has_class("shown")

    def edited(text, app):
        assert "    text: Empty homes push rents up for everyone.\n" in text
        assert text.count("\n") == MAP.count("\n")

    drive(mapfile, [
        (("e", "x", "escape"), cancelled),
        (("e", "end", "backspace", *" for everyone.", "enter"), edited),
        (("q",), lambda text, app: None),
    ])


def test_delete_needs_a_second_press_and_removes_what_names_the_node(mapfile):
    after_accept = MAP.replace("    draft:\n      confidence: 0.35\n      cues: [\"support:because\"]\n", "")

    def asked(text, app):
        assert text == after_accept
        assert "press d again" in str(app.query_one("#status").render())

    def kept(text, app):
        assert text == after_accept

    def deleted(text, app):
        amap = load_map(mapfile).map
        assert amap.node("dodge") is None
        assert amap.node("audits").attacks == []  # the relation that named it went too
        assert "# the objection" in text  # the comment before the deleted node stays

    outcome = drive(mapfile, [
        (("a",), lambda text, app: None),  # accept rents; dodge is next
        (("d",), asked),
        (("x",), kept),
        (("d", "d"), deleted),
        (("q",), lambda text, app: None),
    ])
    assert outcome.deleted == ["dodge"]


def test_a_refused_step_says_why_and_writes_nothing(mapfile):
    def refused(text, app):
        assert text == MAP
        assert "not done:" in str(app.query_one("#status").render())
        assert "not a node kind" in str(app.query_one("#status").render())

    drive(mapfile, [((("k", "end", *["backspace"] * 10, *"reason", "enter")), refused),
                    (("q",), lambda text, app: None)])


def test_ctrl_c_stops_at_once_and_keeps_what_was_decided(mapfile):
    outcome = drive(mapfile, [(("a", "e", "x", "ctrl+c"), lambda text, app: None)])  # even in the middle of an edit
    assert outcome.accepted == ["rents"]
    assert drafts_on_disk(mapfile.read_text()) == ["thesis", "dodge"]


def test_the_review_ends_when_no_draft_is_left(mapfile):
    outcome = drive(mapfile, [(("a", "a", "a"), lambda text, app: None)])
    assert outcome.accepted == ["rents", "dodge", "thesis"] and outcome.remaining == 0
    assert drafts_on_disk(mapfile.read_text()) == []


def test_without_a_terminal_it_points_at_accept(mapfile):
    r = CliRunner().invoke(cli_app, ["review", str(mapfile)])
    assert r.exit_code == 2
    assert "argmap review needs an interactive terminal; without one, accept drafts with 'argmap accept" in r.output
    assert mapfile.read_text() == MAP
