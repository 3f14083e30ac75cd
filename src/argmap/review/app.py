"""The terminal review of ``argmap review``: one draft node at a time (Textual).

Each draft is shown with its kind, confidence, text and relation, and its
quote highlighted in the paragraph of the article it comes from. Every step
(accept, change the kind, retarget, delete, edit the text) is written to the
map file at once, atomically, through :mod:`argmap.review.edit`, so quitting
or Ctrl-C at any point loses nothing that was decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Static

from argmap.map.errors import ArgmapError
from argmap.review import edit

CONTEXT_CHARS = 900  # at most this much of a long paragraph around the quote


@dataclass
class Outcome:
    """What a review did, for the summary printed after it."""

    accepted: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    remaining: int = 0


def quote_context(source: str | None, quote: str | None) -> Text:
    """The paragraph of ``source`` holding ``quote``, the quote highlighted."""
    if not quote:
        return Text("(this node has no quote)", style="dim")
    if source is None:
        return Text(f"“{quote}”  (the article could not be read)", style="dim")
    from argmap.map.source import locate_quote, paragraphs

    span = locate_quote(source, quote)
    if span is None:
        return Text(f"“{quote}”  (not found in the article)", style="dim")
    start, end = span
    para = next(((a, b) for a, b in paragraphs(source) if a <= start < b), (0, len(source)))
    a, b = para
    if b - a > CONTEXT_CHARS:  # a long paragraph: a window around the quote
        pad = max(0, (CONTEXT_CHARS - (end - start)) // 2)
        a, b = max(a, start - pad), min(b, end + pad)
    out = Text()
    out.append(("…" if a > para[0] else "") + source[a:start].lstrip())
    out.append(source[start:end], style="bold reverse")
    out.append(source[end:b].rstrip() + ("…" if b < para[1] else ""))
    return out


class ReviewApp(App):
    """Review the drafts of one map, lowest confidence first."""

    TITLE = "argmap review"
    CSS = """
    #progress { color: $text-muted; padding: 0 1; }
    #node { padding: 1 1 0 1; }
    #context { padding: 1 1; border: round $primary-darken-2; }
    #status { padding: 0 1; color: $warning; }
    #prompt { display: none; }
    #prompt.shown { display: block; }
    """
    BINDINGS = [
        Binding("a", "accept", "Accept"),
        Binding("k", "kind", "Kind"),
        Binding("t", "retarget", "Retarget"),
        Binding("e", "edit_text", "Edit text"),
        Binding("d", "delete", "Delete"),
        Binding("s", "skip", "Skip"),
        Binding("q", "quit_review", "Quit"),
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+c", "stop", "Stop", show=False, priority=True),  # every step is already written
    ]

    def __init__(self, loaded, source_text: str | None = None):
        super().__init__()
        self.loaded = loaded
        self.source_text = source_text
        self.outcome = Outcome()
        self._skipped: set[str] = set()
        self._asking: str | None = None  # "kind" | "retarget" | "text" while the prompt is shown
        self._confirm_delete = False

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(id="progress")
        with VerticalScroll():
            yield Static(id="node")
            yield Static(id="context")
        yield Static(id="status")
        yield Input(id="prompt")
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    @property
    def current(self):
        """The draft under review: the one of lowest confidence not skipped, or None."""
        return next((n for n in edit.drafts(self.loaded.map) if n.id not in self._skipped), None)

    def _show(self, status: str = "") -> None:
        node = self.current
        drafts = edit.drafts(self.loaded.map)
        self.outcome.remaining = len(drafts)
        if node is None:
            self.exit(self.outcome)
            return
        done = len(self.outcome.accepted) + len(self.outcome.deleted) + len(self._skipped)
        self.query_one("#progress", Static).update(
            f"{self.loaded.name} · draft {done + 1} of {done + len(drafts) - len(self._skipped)} · "
            f"lowest confidence first")
        self.query_one("#node", Static).update(self._node_text(node))
        self.query_one("#context", Static).update(quote_context(self.source_text, node.quote))
        self.query_one("#status", Static).update(status)

    def _node_text(self, node) -> Text:
        out = Text()
        out.append(f"{node.kind.value.upper()} ", style="bold")
        out.append(node.id, style="bold cyan")
        out.append(f"   draft {node.draft.confidence:g}", style="dim")
        if node.draft.cues:
            out.append(f" ({', '.join(node.draft.cues)})", style="dim")
        out.append(f"\n{node.text}\n")
        rels = [("supports", r) for r in node.supports] + [("attacks", r) for r in node.attacks]
        if not rels:
            out.append("no relation (it supports or attacks nothing)", style="dim")
        for kind, rel in rels:
            target = self.loaded.map.node(rel.to)
            what = f": {target.text}" if target is not None else " (no such node)"
            scheme = f" [{rel.scheme}]" if rel.scheme else ""
            out.append(f"{kind} {rel.to}{scheme}{what}\n", style="green" if kind == "supports" else "red")
        return out

    # ------------------------------------------------------------------ steps

    def _apply(self, make_text, record: list | None, node_id: str) -> None:
        """Run one step: new text, written at once; the screen shows the next draft."""
        try:
            self.loaded = edit.save(self.loaded, make_text())
        except ArgmapError as exc:
            self._show(f"not done: {exc.message}")
            return
        if record is not None and node_id not in record:
            record.append(node_id)
        self._show()

    def action_accept(self) -> None:
        node = self.current
        if node is not None and not self._asking:
            self._apply(lambda: edit.accept(self.loaded, [node.id]), self.outcome.accepted, node.id)

    def action_skip(self) -> None:
        node = self.current
        if node is not None and not self._asking:
            self._skipped.add(node.id)
            self.outcome.skipped.append(node.id)
            self._show()

    def action_delete(self) -> None:
        node = self.current
        if node is None or self._asking:
            return
        if not self._confirm_delete:
            self._confirm_delete = True
            self._show(f"press d again to delete {node.id!r} and the relations that name it; "
                       "any other key keeps it")
            return
        self._confirm_delete = False
        self._apply(lambda: edit.delete(self.loaded, node.id), self.outcome.deleted, node.id)

    def on_key(self, event) -> None:
        if self._confirm_delete and event.key != "d":
            self._confirm_delete = False
            self._show("kept")

    def action_kind(self) -> None:
        from argmap.map.model import KINDS

        self._ask("kind", f"new kind ({', '.join(KINDS)})", self.current.kind.value if self.current else "")

    def action_retarget(self) -> None:
        node = self.current
        if node is None:
            return
        rel = next((("supports", r) for r in node.supports), None) or next((("attacks", r) for r in node.attacks), None)
        self._ask("retarget", "new target id (start with 'supports ' or 'attacks ' to change the relation)",
                  f"{rel[0]} {rel[1].to}" if rel else "")

    def action_edit_text(self) -> None:
        self._ask("text", "new text", self.current.text if self.current else "")

    def action_cancel(self) -> None:
        self._close_prompt()
        self._show("cancelled")

    def action_quit_review(self) -> None:
        if not self._asking:
            self.exit(self.outcome)

    def action_stop(self) -> None:
        self.exit(self.outcome)

    def _ask(self, what: str, placeholder: str, value: str) -> None:
        if self.current is None or self._asking:
            return
        self._asking = what
        prompt = self.query_one("#prompt", Input)
        prompt.placeholder = placeholder
        prompt.value = value
        prompt.add_class("shown")
        prompt.focus()
        self.query_one("#status", Static).update(f"{placeholder}; Enter to apply, Escape to cancel")

    def _close_prompt(self) -> None:
        self._asking = None
        prompt = self.query_one("#prompt", Input)
        prompt.remove_class("shown")
        prompt.value = ""
        self.set_focus(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        what, value = self._asking, event.value.strip()
        self._close_prompt()
        node = self.current
        if node is None or what is None:
            return
        if what == "kind":
            self._apply(lambda: edit.set_kind(self.loaded, node.id, value.lower()), self.outcome.changed, node.id)
        elif what == "text":
            self._apply(lambda: edit.set_text(self.loaded, node.id, value), self.outcome.changed, node.id)
        elif what == "retarget":
            words = value.split()
            relation = words.pop(0) if len(words) > 1 and words[0] in edit.RELATIONS else None
            if len(words) != 1:
                self._show("give one target id, e.g. 'thesis' or 'attacks claim-2'")
                return
            self._apply(lambda: edit.retarget(self.loaded, node.id, words[0], relation), self.outcome.changed,
                        node.id)
