"""The terminal view: a map as a tree rooted at the thesis (rich).

Children of a node are the nodes that support it (``+``, green) or attack it
(``−``, red); a linked argument is one child (``+ linked``) whose members
hang below it; an undercut shows under the reason whose inference it attacks
(``×``). A node reachable by several paths is shown in full once and then as
a reference that names the node under which it stands in full (``↑ see above,
under X``); a cycle is cut the same way (``↻ cycle``), so the walk always
ends. Nodes no thesis reaches follow under their own roots. A node left by
``argmap extract`` and not reviewed yet is dimmed, with ``draft 0.35`` (its
confidence) after its id.

Everything here is a plain function of the map (and optional diagnostics)
returning rich renderables; :func:`render_text` gives plain text at a fixed
width for tests and pipes.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass, field

from argmap.map.diagnostics import plural
from argmap.views.dot import draft_badge  # "draft 0.35": marked as on its badge in the drawing

KIND_SHORT = {
    "thesis": "THESIS",
    "claim": "CLAIM",
    "premise": "PREMISE",
    "recommendation": "REC",
    "objection": "OBJECTION",
}
KIND_COLOR = {
    "thesis": "bold yellow",
    "claim": "bold blue",
    "premise": "bold color(30)",  # a mid teal: reads on light and dark backgrounds (white did not)
    "recommendation": "bold green",
    "objection": "bold magenta",
}
MARK = {"supports": ("+", "bold green"), "attacks": ("\u2212", "bold red"), "undercuts": ("\u00d7", "bold red")}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


@dataclass
class TreeOptions:
    quotes: bool = False
    depth: int | None = None
    node: str | None = None  # root the tree at this node
    diagnostics: list = field(default_factory=list)


@dataclass(frozen=True)
class _Child:
    kind: str  # supports | attacks | undercuts
    node: str | None  # the child node (None for a linked group)
    members: tuple[str, ...] = ()  # linked group: all premises
    scheme: str | None = None


class MapIndex:
    """What the tree needs: nodes by id and the children of each node, in map order."""

    def __init__(self, amap):
        self.amap = amap
        self.nodes: dict = {}
        for n in amap.nodes:
            self.nodes.setdefault(n.id, n)
        self.children: dict[str, list[_Child]] = defaultdict(list)
        self.parents: dict[str, list[tuple[str, str]]] = defaultdict(list)  # id -> [(kind, target)]
        self.undercuts_of: dict[str, list[str]] = defaultdict(list)  # "a->b" -> [undercutter]
        for n in amap.nodes:
            for kind in ("supports", "attacks"):
                for rel in getattr(n, kind):
                    if rel.with_:
                        child = _Child(kind, None, (n.id, *rel.with_), rel.scheme)
                    else:
                        child = _Child(kind, n.id, scheme=rel.scheme)
                    self.children[rel.to].append(child)
                    for m in (n.id, *rel.with_):
                        self.parents[m].append((kind, rel.to))
            for ref in n.undercuts:
                self.undercuts_of[ref].append(n.id)

    def roots(self) -> list[str]:
        """Theses first (map order), then the tops of what no thesis reaches."""
        theses = [i for i, n in self.nodes.items() if n.kind.value == "thesis"]
        reached = self.reach(theses)
        roots = list(theses)
        rest = [i for i in self.nodes if i not in reached]
        tops = [i for i in rest if not any(t in self.nodes for _k, t in self.parents.get(i, ()))]
        for i in [*tops, *rest]:  # the tops, then what they do not reach (cycles)
            if i not in reached:
                roots.append(i)
                reached |= self.reach([i])
        return roots

    def reach(self, roots: list[str]) -> set[str]:
        seen = set(roots)
        queue = deque(roots)
        while queue:
            v = queue.popleft()
            for c in self.children.get(v, ()):
                for m in c.members or (c.node,):
                    if m not in seen:
                        seen.add(m)
                        queue.append(m)
                        for u in self.undercuts_of.get(f"{m}->{v}", ()):
                            if u not in seen:
                                seen.add(u)
                                queue.append(u)
        return seen

    def path_to_thesis(self, start: str) -> list[tuple[str, str]] | None:
        """Shortest chain of relations from ``start`` up to a thesis: [(node, relation to next)...]."""
        prev: dict[str, tuple[str, str]] = {}
        queue = deque([start])
        seen = {start}
        while queue:
            v = queue.popleft()
            node = self.nodes.get(v)
            if node is not None and node.kind.value == "thesis":
                nodes = [v]
                while nodes[-1] != start:
                    nodes.append(prev[nodes[-1]][0])
                nodes.reverse()  # start ... thesis
                return [(n, prev[nodes[i + 1]][1] if i + 1 < len(nodes) else "") for i, n in enumerate(nodes)]
            # up its relations, and from an undercut to the node its relation starts from
            undercut = [("undercuts", ref.split("->")[0]) for ref in node.undercuts] if node is not None else []
            for kind, target in [*self.parents.get(v, ()), *undercut]:
                if target not in seen:
                    seen.add(target)
                    prev[target] = (v, kind)
                    queue.append(target)
        return None


def _problem_index(diagnostics) -> dict[str, list]:
    out: dict[str, list] = defaultdict(list)
    for d in diagnostics or ():
        if d.node:
            out[d.node].append(d)
    return out


# Control characters (ESC would let map text drive the terminal), and bidi overrides that make
# text read differently from what it is; tabs become spaces.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe(text: str) -> str:
    """Map text made safe for a terminal: newlines kept, other control characters dropped."""
    text = str(text)
    if text.isprintable():
        return text
    return _UNSAFE.sub("", text.replace("\t", " ").replace("\r\n", "\n"))


class _Spans:
    """A label as (text, style) parts: what the tree needs of ``rich.text.Text``, without its cost."""

    __slots__ = ("parts",)

    def __init__(self, text: str = "", style: str | None = None):
        self.parts: list[tuple[str, str | None]] = [(safe(text), style)] if text else []

    def append(self, text: str, style: str | None = None) -> "_Spans":
        if text:
            self.parts.append((safe(text), style))
        return self

    def append_text(self, other: "_Spans") -> "_Spans":
        self.parts.extend(other.parts)
        return self

    def copy(self) -> "_Spans":
        c = _Spans()
        c.parts = list(self.parts)
        return c

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.parts)


# a word: no-break spaces do not break it, and a relation mark (+ − × &) stays with the word after it
_WORD = re.compile(r"(?:[+\u2212\u00d7&] )?(?:[^\s]|[\xa0\u2007\u202f])+")


def _cells(text: str) -> int:
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _split_word(word: str, start: int, width: int) -> list[tuple[int, int]]:
    """Cut a word longer than the width into pieces that fit (by terminal cells)."""
    out = []
    a = 0
    while a < len(word):
        b, w = a, 0
        while b < len(word) and w + _cells(word[b]) <= width:
            w += _cells(word[b])
            b += 1
        b = max(b, a + 1)
        out.append((start + a, start + b))
        a = b
    return out


_BREAK_AFTER = re.compile(r"[^-_./]*[-_./]+|[^-_./]+")


def wrap_offsets(plain: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap: (start, end) offsets of each line; newlines start new lines.

    A word longer than a line (a long id) is broken after its hyphens,
    underscores, dots or slashes, filling the current line first; only a
    piece without such a place that is still too long is cut by cells.
    """
    lines: list[tuple[int, int]] = []
    pos = 0
    for para in plain.split("\n"):
        cur: list[int] | None = None  # [start, end, cells]
        for m in _WORD.finditer(para):
            ws, we = pos + m.start(), pos + m.end()
            w = _cells(m.group())
            if cur is not None and cur[2] + (ws - cur[1]) + w <= width:
                cur[1], cur[2] = we, cur[2] + (ws - cur[1]) + w
                continue
            if w <= width:
                if cur is not None:
                    lines.append((cur[0], cur[1]))
                cur = [ws, we, w]
                continue
            for piece in _BREAK_AFTER.finditer(m.group()):
                ps, pe = ws + piece.start(), ws + piece.end()
                pw = _cells(piece.group())
                gap = (ps - cur[1]) if cur is not None else 0
                if cur is not None and cur[2] + gap + pw <= width:
                    cur[1], cur[2] = pe, cur[2] + gap + pw
                    continue
                if cur is not None:
                    lines.append((cur[0], cur[1]))
                if pw > width:
                    cuts = _split_word(piece.group(), ps, width)
                    lines.extend(cuts[:-1])
                    a, b = cuts[-1]
                    cur = [a, b, _cells(plain[a:b])]
                else:
                    cur = [ps, pe, pw]
        lines.append((cur[0], cur[1]) if cur is not None else (pos, pos))
        pos += len(para) + 1
    return lines


def _node_text(idx: MapIndex, node_id: str, problems: dict, *, ref: str | None = None, quotes: bool = False,
               under: str | None = None):
    """One node's label; ``ref`` "seen" (shown in full ``under`` that node, or at the top) or "cycle"."""
    node = idx.nodes.get(node_id)
    t = _Spans()
    if node is None:
        t.append("MISSING ", style="bold red")
        t.append(node_id, style="bold")
        t.append(": not a node of this map", style="red")
        return t
    kind = node.kind.value
    t.append(KIND_SHORT[kind], style=KIND_COLOR[kind])
    t.append(" ")
    t.append(node.id, style="bold")
    if node.actor:
        t.append(f" [{node.actor}]", style="green")
    if node.draft is not None:
        t.append(f" ({draft_badge(node.draft.confidence)})", style="dim italic")
    if ref == "seen":
        t.append(": ")
        t.append(_short(node.text), style="dim")
        t.append(f" (\u2191 see above, under {under})" if under else " (\u2191 see above)", style="dim italic")
    elif ref == "cycle":
        t.append(": ")
        t.append(_short(node.text), style="dim")
        t.append(" (\u21bb cycle: already on this path)", style="bold yellow")
    else:
        t.append(": ")
        t.append(node.text, style="dim" if node.draft is not None else None)
    if ref is None:
        for d in problems.get(node_id, ()):
            t.append("\n")
            sev = d.severity.value
            t.append(f"\u26a0 {sev} {d.rule} {d.name}: ", style=SEVERITY_STYLE.get(sev, "red"))
            t.append(d.message, style=SEVERITY_STYLE.get(sev, "red"))
        if quotes and node.quote:
            t.append("\n")
            t.append(f"\u201c{node.quote}\u201d", style="dim italic")
    return t


def _short(text: str, limit: int = 60) -> str:
    """The text cut at the last word boundary that leaves room for "…" within ``limit`` characters.

    Whole words only: a text just over the limit loses its last word(s), never a few letters.
    """
    text = " ".join(text.split())
    cut = text.rfind(" ", 0, limit) if len(text) > limit else -1
    return text if cut <= 0 else text[:cut].rstrip(" ,;:") + "\u2026"


def _mark(kind: str) -> _Spans:
    sym, style = MARK[kind]
    return _Spans(sym + " ", style)


class _Walker:
    def __init__(self, idx: MapIndex, opts: TreeOptions):
        self.idx = idx
        self.opts = opts
        self.problems = _problem_index(opts.diagnostics)
        self.shown: dict[str, str | None] = {}  # node shown in full -> the node it stands under


class TreeLines:
    """The tree as (first-line guide, continuation guide, label) entries.

    Rendered by rich at the console's width: each label is wrapped to what
    its guides leave (a line-based tree: rich's ``Tree`` took 17 s for a
    10,000-node map, this takes a fraction of it).
    """

    def __init__(self):
        self.entries: list[tuple[str, str, object]] = []

    def add(self, first: str, rest: str, label) -> None:
        self.entries.append((first, rest, label))

    def __rich_console__(self, console, options):
        from rich.segment import Segment

        width = options.max_width
        styles: dict = {}

        def style(name):
            if name is None:
                return None
            st = styles.get(name)
            if st is None:
                st = styles[name] = console.get_style(name)
            return st

        guide = style("dim")
        newline = Segment.line()
        for first, rest, label in self.entries:
            plain = label.plain
            bounds = []
            pos = 0
            for text, name in label.parts:
                bounds.append((pos, pos + len(text), text, name))
                pos += len(text)
            for i, (a, b) in enumerate(wrap_offsets(plain, max(12, width - _cells(first)))):
                prefix = first if i == 0 else rest
                if prefix:
                    yield Segment(prefix, guide)
                for s0, s1, text, name in bounds:
                    if s1 <= a or s0 >= b:
                        continue
                    yield Segment(text[max(a, s0) - s0: min(b, s1) - s0], style(name))
                yield newline


def build_tree(amap, opts: TreeOptions | None = None):
    """A rich renderable: the title, the tree(s), and notes."""
    from rich.console import Group
    from rich.text import Text

    opts = opts or TreeOptions()
    idx = MapIndex(amap)
    walker = _Walker(idx, opts)
    parts = []
    if amap.title:
        parts.append(Text(safe(amap.title), style="bold underline"))
    if opts.node is not None:
        chain = idx.path_to_thesis(opts.node)
        t = Text()
        if chain is None:
            t.append("Path to the thesis: ", style="bold")
            t.append(f"none ({opts.node} does not reach a thesis)", style="yellow")
        else:
            t.append("Path to the thesis: ", style="bold")
            for i, (nid, rel) in enumerate(chain):
                t.append(nid, style="bold" if i == 0 else "")
                if rel:
                    sym, style = MARK[rel]
                    t.append(f" {sym}{rel}\u2192 ", style=style)
        parts.append(t)
        parts.append(_outgoing(idx, opts.node))
        roots = [opts.node]
    else:
        roots = idx.roots()
    theses = {i for i, n in idx.nodes.items() if n.kind.value == "thesis"}
    first_other = True
    tree = TreeLines()
    for r in roots:
        if opts.node is None and r not in theses and first_other:
            parts.append(tree)
            tree = TreeLines()
            parts.append(Text("Not connected to a thesis:" if theses else
                              "This map has no thesis; the tops of its arguments:", style="bold yellow"))
            first_other = False
        _walk(walker, tree, r)
    parts.append(tree)
    if opts.node is not None:
        parts.extend(_open_questions(amap, opts.node))
    if not idx.nodes:
        parts.append(Text("(the map has no nodes)", style="dim"))
    loose = [d for d in opts.diagnostics or () if not d.node]
    if opts.diagnostics:
        problems = sum(1 for d in opts.diagnostics if d.severity.value != "info")
        notes = len(opts.diagnostics) - problems  # info findings, such as open critical questions
        said = [plural(n, word) for n, word in ((problems, "problem"), (notes, "note")) if n]
        style = "red" if problems else "dim"
        t = Text(" and ".join(said) + " found by argmap check", style=f"bold {style}" if problems else style)
        if loose:
            t.append(f" ({len(loose)} not tied to a node)", style=style)
        t.append("; run 'argmap check' for details.", style=style)
        parts.append(t)
    return Group(*parts)


def _outgoing(idx: MapIndex, node_id: str) -> TreeLines:
    """One line: what the node itself supports, attacks and undercuts (the tree below shows the reverse)."""
    t = _Spans("What it supports or attacks: ", "bold")
    items = [(sym, text.replace("->", "\u2192"), style) for sym, text, style in _relations_of(idx.nodes[node_id])]
    if not items:
        t.append("nothing (the top of its argument)", "dim")
    for i, (sym, text, style) in enumerate(items):
        t.append(f"{', ' if i else ''}{sym} {text}", style)
    out = TreeLines()
    out.add("", "", t)
    return out


def _relations_of(node) -> list[tuple[str, str, str]]:
    """What a node supports, attacks and undercuts, in map order: (mark, target, style)."""
    items = []
    for kind in ("supports", "attacks"):
        for rel in getattr(node, kind):
            extra = f" (with {', '.join(rel.with_)})" if rel.with_ else ""
            items.append((MARK[kind][0], f"{rel.to}{extra}", MARK[kind][1]))
    items.extend((MARK["undercuts"][0], ref, MARK["undercuts"][1]) for ref in node.undercuts)
    return items


def _open_questions(amap, node_id: str) -> list:
    """The critical questions the reasons for ``node_id`` leave open (argmap.checks.schemes), if any."""
    from rich.text import Text

    from argmap.checks.schemes import open_questions

    lines = open_questions(amap, node_id)
    if not lines:
        return []
    return [Text(f"Critical questions of the reasons for {node_id}:", style="bold"), Text("\n".join(lines))]


def _undercut_tasks(idx: MapIndex, reason: str, target: str, lvl: int, parent: str | None) -> list:
    tasks = []
    for u in idx.undercuts_of.get(f"{reason}->{target}", ()):
        um = _mark("undercuts")
        um.append(f"undercuts {reason}\u2192{target}: ", style="dim")
        tasks.append(["node", u, lvl, parent, um, []])
    return tasks


_MAX_GUIDE = 4 * 24  # a line is indented at most 24 levels; deeper ones start again at the margin
_RESTART = ("\u21b3 ", "  ")  # with their level in front: a 10,000-node chain stays 10,000 short lines


def _walk(walker: _Walker, out: TreeLines, root: str) -> None:
    """Depth-first, in map order, without recursion (deep maps cannot overflow).

    A task is [what, node id, level, parent id, mark, extra child tasks]; the
    extra children are the undercuts of the relation that led to the node,
    shown under it after its own reasons. The ids on the path from the root
    are a set (an "exit" item on the stack takes a node off it once its
    children are done), so finding a cycle costs the same at any depth, and
    guides stop growing past :data:`_MAX_GUIDE`: the work and the output are
    linear in the number of lines, however deep the map.
    """
    idx, opts = walker.idx, walker.opts
    on_path: set[str] = set()
    # stack items: (task, first guide, continuation guide); (None, id, None) leaves a node's path
    stack: list = [(["node", root, 0, None, None, []], "", "")]
    while stack:
        task, first, rest = stack.pop()
        if task is None:
            on_path.discard(first)
            continue
        what, nid, lvl, parent, mark, extra = task
        label = mark.copy() if mark is not None else _Spans()
        if (first, rest) == _RESTART:
            label = _Spans(f"(level {lvl}) ", "dim").append_text(label)
        children: list = []
        expanded = False
        if what == "more":
            label.append(nid, style="dim italic")
        elif what == "group":
            c = nid
            label.append("linked", style="bold")
            if c.scheme:
                label.append(f" ({c.scheme})", style="italic")
            label.append(": together", style="dim")
            for m in c.members:
                children.append(["node", m, lvl, parent, _Spans("& ", "bold"), []])
        else:
            if nid in on_path:
                label.append_text(_node_text(idx, nid, walker.problems, ref="cycle"))
            elif nid in walker.shown:
                label.append_text(_node_text(idx, nid, walker.problems, ref="seen", under=walker.shown[nid]))
            else:
                label.append_text(_node_text(idx, nid, walker.problems, quotes=opts.quotes))
            if not (nid in on_path or nid in walker.shown or nid not in idx.nodes):
                walker.shown[nid] = parent
                own = idx.children.get(nid, [])
                if opts.depth is not None and lvl >= opts.depth:
                    if own:
                        children.append(["more", f"\u2026 {len(own)} more below (raise --depth)", lvl, parent, None, []])
                else:
                    expanded = True
                    for c in own:
                        if c.members:
                            children.append(["group", c, lvl + 1, nid, _mark(c.kind),
                                             _undercut_tasks(idx, c.members[0], nid, lvl + 1, nid)])
                        else:
                            children.append(["node", c.node, lvl + 1, nid, _mark(c.kind),
                                             _undercut_tasks(idx, c.node, nid, lvl + 2, c.node)])
        children.extend(extra)
        out.add(first, rest, label)
        if expanded:
            on_path.add(nid)
            stack.append((None, nid, None))
        for i in range(len(children) - 1, -1, -1):
            last = i == len(children) - 1
            guides = (rest + ("\u2514\u2500\u2500 " if last else "\u251c\u2500\u2500 "),
                      rest + ("    " if last else "\u2502   "))
            stack.append((children[i], *(guides if len(guides[1]) <= _MAX_GUIDE else _RESTART)))


def kind_table(amap, kind: str, diagnostics=None):
    """A flat table of the nodes of one kind: the id, the actor, and the text with the node's
    relations under it (what it supports or attacks, then what supports or attacks it).

    The columns are sized at the console's width: the id column as wide as the longest id, the
    text the rest; text and ids are wrapped at word boundaries (ids after their hyphens).
    """
    return _KindTable(amap, kind, diagnostics)


def _wrapped(text, width: int):
    """A rich Text wrapped by :func:`wrap_offsets` (long ids break after hyphens, not mid-word)."""
    from rich.text import Text

    return Text("\n").join(text[a:b] for a, b in wrap_offsets(text.plain, max(1, width)))


class _KindTable:
    def __init__(self, amap, kind: str, diagnostics=None):
        self.amap, self.kind, self.diagnostics = amap, kind, diagnostics

    def __rich_console__(self, console, options):
        from rich.cells import cell_len
        from rich.table import Table
        from rich.text import Text

        idx = MapIndex(self.amap)
        problems = _problem_index(self.diagnostics)
        nodes = [n for n in idx.nodes.values() if n.kind.value == self.kind]
        has_actor = self.kind == "recommendation" or any(n.actor for n in nodes)
        columns = 3 if has_actor else 2
        room = max(columns * 4, options.max_width - 3 * columns - 1)  # minus borders and padding
        id_w = max((cell_len(safe(n.id)) for n in nodes), default=2)
        actor_w = 0
        if has_actor:
            longest = max((cell_len(safe(n.actor or "")) for n in nodes), default=5)
            actor_w = max(5, min(longest, (room - id_w) // 4))
        text_w = room - id_w - actor_w
        # too narrow for the whole ids beside a readable text: one column, each node's id above its text
        stacked = text_w < 24
        table = Table(title=plural(len(nodes), f"{self.kind} node"), show_lines=True,
                      title_justify="left")
        if stacked:
            table.add_column("id [actor]: text, and relations", width=options.max_width - 4)
        else:
            table.add_column("id", style="bold", width=id_w)
            if has_actor:
                table.add_column("actor", style="green", width=actor_w)
            table.add_column("text, and relations", width=text_w)
        for n in nodes:
            text = Text(safe(n.text), style="dim" if n.draft is not None else "")
            if n.draft is not None:
                text.append(f"\n{draft_badge(n.draft.confidence)}", style="dim italic")
            for d in problems.get(n.id, ()):
                text.append(f"\n\u26a0 {d.rule} {d.name}", style=SEVERITY_STYLE.get(d.severity.value, "red"))
            outs = [(f"{sym} {target}", style) for sym, target, style in _relations_of(n)]
            ins = [(f"{MARK[c.kind][0]} {' & '.join(c.members) if c.members else c.node}", MARK[c.kind][1])
                   for c in idx.children.get(n.id, ())]
            for head, items in (("it supports/attacks:", outs), ("supported/attacked by:", ins)):
                if items:
                    text.append("\n" + head, style="dim")
                    for i, (item, style) in enumerate(items):
                        text.append(("," if i else "") + " " + safe(item), style=style)
            if stacked:
                head = Text(safe(n.id), style="bold")
                if n.actor:
                    head.append(f" [{safe(n.actor)}]", style="green")
                table.add_row(_wrapped(head.append(": ").append_text(text), options.max_width - 4))
                continue
            row = [_wrapped(Text(safe(n.id)), id_w)]
            if has_actor:
                row.append(_wrapped(Text(safe(n.actor or "")), actor_w))
            row.append(_wrapped(text, text_w))
            table.add_row(*row)
        yield table


def render_text(renderable, width: int = 80, color: bool = False) -> str:
    """Render to a string at a fixed width (plain text unless ``color``)."""
    import io

    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, legacy_windows=False, highlight=False,
                      emoji=False, markup=False)
    console.print(renderable)
    return buf.getvalue()
