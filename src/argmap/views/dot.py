"""ArgumentMap → DOT source: pure, deterministic, testable without Graphviz.

The DOT is built with the ``graphviz`` package (for quoting only; it never
runs a binary here). Conventions other tools rely on (the HTML view, scripts):

* every map node is a DOT node named by its map id, with ``id="node-<id>"``
  (so its SVG ``<g>`` is ``id="node-<id>"``) and ``class="<kind>"`` (SVG:
  ``class="node <kind>"``), its quote (else its text) as the tooltip;
* helper nodes have names starting with ``_`` (map ids start with a letter):
  ``_link<N>`` joins the premises of a linked argument (``id="link-<ref>"``),
  ``_mid<N>`` sits on a relation that is undercut (``id="mid-<ref>"``),
  ``_missing<N>`` stands for a relation target that is not in the map
  (``id="missing-<id>"``), ``_legend`` is the legend (``id="legend"``);
* every relation's arrow into its target has ``id="edge-<ref>"`` (``ref`` as
  in the format: ``source->target``; an undercut ``u->source->target``) and
  ``class`` ``supports``/``attacks``/``undercuts``; the feeder edges of a
  linked argument or an undercut relation have ``class="... member"``.

Map text is escaped: labels are HTML-like labels with ``&<>"'`` escaped,
other attributes have backslashes doubled and quotes escaped, control
characters are dropped and whitespace collapsed, so no text can end a
string, start a new statement or line, or reach a shell.

Big maps: the ``dot`` layout is slow when every relation constrains the
ranks. :func:`choose_strategy` picks, by size:

* ``full``: every relation constrains the layout (small maps);
* ``tree``: a spanning tree of the relations (breadth first from the
  thesis) constrains the ranks, the other relations get ``constraint=false``;
* ``fast``: like ``tree``, and the other relations are written after a
  ``// argmap: drawn after layout`` marker line, so :mod:`argmap.views.layout` lays
  out the tree alone and then draws them as straight lines over the fixed
  layout (two Graphviz passes; the DOT stays valid for any single ``dot``).
"""

from __future__ import annotations

import html
import re
import textwrap
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Iterable

# Marker line of the `fast` strategy (see argmap.views.layout.run_layout).
AFTER_LAYOUT_MARKER = "// argmap: drawn after layout"

STRATEGIES = ("auto", "full", "tree", "fast")
# Size limits of the automatic choice (drawing nodes incl. helpers / edges).
FULL_MAX_NODES = 300
FULL_MAX_EDGES = 450
TREE_MAX_NODES = 1500

# Where the thesis goes -> Graphviz rankdir (edges run from reason to conclusion).
RANKDIR = {"TB": "BT", "BT": "TB", "LR": "RL", "RL": "LR"}

KIND_LABEL = {
    "thesis": "THESIS",
    "claim": "CLAIM",
    "premise": "PREMISE",
    "recommendation": "RECOMMENDATION",
    "objection": "OBJECTION",
}

# shape, style, fill, border, extra attributes
KIND_STYLE = {
    "thesis": {"shape": "box", "style": "rounded,filled,bold", "fillcolor": "#fff2cc", "color": "#b7950b",
               "penwidth": "2", "peripheries": "2"},
    "claim": {"shape": "box", "style": "rounded,filled", "fillcolor": "#dae8fc", "color": "#6c8ebf"},
    "premise": {"shape": "box", "style": "filled", "fillcolor": "#f2f2f2", "color": "#7f7f7f"},
    "recommendation": {"shape": "box", "style": "filled,diagonals", "fillcolor": "#d5e8d4", "color": "#82b366"},
    "objection": {"shape": "box", "style": "rounded,filled,dashed", "fillcolor": "#f8cecc", "color": "#b85450",
                  "penwidth": "1.5"},
}

RELATION_STYLE = {
    "supports": {"color": "#2e7d32", "arrowhead": "normal", "penwidth": "1.4"},
    "attacks": {"color": "#c62828", "arrowhead": "tee", "style": "dashed", "penwidth": "1.4"},
    "undercuts": {"color": "#8e24aa", "arrowhead": "tee", "style": "dotted", "penwidth": "1.6"},
}
RELATION_LEGEND = {
    "supports": ("--&gt;", "supports (solid)"),
    "attacks": ("--|", "attacks (dashed)"),
    "undercuts": ("..|", "undercuts a relation (dotted)"),
    "linked": ("&gt;-o", "linked premises, joined at a dot"),
}
PROBLEM_COLOR = "#d50000"
FOCUS_COLOR = "#1565c0"

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")
_SPACE = re.compile(r"\s+")


# --------------------------------------------------------------------------- escaping


def clean(text: str | None) -> str:
    """Text on one line: control characters dropped, whitespace collapsed."""
    if not text:
        return ""
    return _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()


def html_text(text: str) -> str:
    """Text for inside an HTML-like label (``&<>"'`` escaped)."""
    return html.escape(clean(text), quote=True)


def _esc(text: str, factor: int):
    from graphviz import nohtml

    out = text.replace("\\", "\\" * factor)
    if out.endswith("\\"):
        out += " "  # a backslash before the closing quote would escape it
    return nohtml(out)


def esc_string(text: str):
    """A label-like DOT string (``xlabel``): backslashes doubled, never read as HTML.

    (The ``graphviz`` package escapes the double quotes when it quotes it.)
    """
    return _esc(clean(text), 2)


def esc_tooltip(text: str):
    """A ``tooltip``: Graphviz unescapes tooltips twice, so each backslash is written four times."""
    return _esc(clean(text), 4)


def wrap_lines(text: str, width: int) -> list[str]:
    text = clean(text)
    if not text:
        return [""]
    return textwrap.wrap(text, width=max(8, width), break_long_words=True, break_on_hyphens=False) or [""]


class _Emitter:
    """DOT statements quoted by the ``graphviz`` package, as its ``Digraph`` writes them.

    ``Digraph.node``/``edge`` cost ~0.2 ms each (argument checks on every
    call); on 10,000-node maps that was most of the build. Quoting of the
    recurring plain-text values (styles, kinds) is cached; values marked
    ``NoHtml`` (text from the map) are never cached, so a map text can never
    share a cache entry with an HTML label.
    """

    def __init__(self):
        from graphviz import quoting

        self._quote = quoting.quote
        self._nohtml = quoting.NoHtml
        self._cache: dict[str, str] = {}

    def q(self, value: str) -> str:
        if type(value) is str:
            out = self._cache.get(value)
            if out is None:
                out = self._cache[value] = self._quote(value)
            return out
        return self._quote(value)

    def attrs(self, attrs: dict) -> str:
        label = attrs.get("label")
        parts = [f"label={self.q(label)}"] if label is not None else []
        parts.extend(f"{self.q(k)}={self.q(v)}" for k, v in sorted(attrs.items()) if k != "label" and v is not None)
        return f" [{' '.join(parts)}]" if parts else ""

    def node(self, name: str, attrs: dict) -> str:
        return f"\t{self.q(name)}{self.attrs(attrs)}\n"

    def edge(self, tail: str, head: str, attrs: dict) -> str:
        return f"\t{self.q(tail)} -> {self.q(head)}{self.attrs(attrs)}\n"


# --------------------------------------------------------------------------- the drawing


@dataclass
class DNode:
    name: str
    attrs: dict


@dataclass
class DEdge:
    tail: str
    head: str
    attrs: dict
    constrain: bool = True
    cross: bool = False  # not in the spanning tree (tree/fast strategies)


@dataclass
class DotResult:
    """The DOT source and what was done to build it."""

    source: str
    strategy: str
    nodes: int  # map nodes drawn
    relations: int  # relations drawn (supports, attacks, undercuts)
    helper_nodes: int
    cross_edges: int  # relations not in the spanning tree (tree/fast)
    note: str  # one sentence for the user


def choose_strategy(n_nodes: int, n_edges: int, requested: str = "auto", *, span: int = 0) -> str:
    """Pick the layout strategy.

    ``full`` for small drawings; ``tree`` for the rest of the small ones, and
    up to TREE_MAX_NODES nodes while the relations outside the spanning tree
    are few and short (``span``: the ranks they would cross, an estimate of
    the virtual nodes ``dot`` adds for them); else ``fast``.
    """
    if requested not in STRATEGIES:
        raise ValueError(f"unknown layout strategy {requested!r}; choose one of {', '.join(STRATEGIES)}")
    if requested != "auto":
        return requested
    if n_nodes <= FULL_MAX_NODES and n_edges <= FULL_MAX_EDGES and span <= 2 * FULL_MAX_NODES:
        return "full"
    if n_nodes <= FULL_MAX_NODES or (n_nodes <= TREE_MAX_NODES and span <= n_nodes):
        return "tree"
    return "fast"


def _node_label(node, wrap: int, problems: list | None) -> str:
    kind = node.kind.value
    parts = [f'<FONT POINT-SIZE="9" COLOR="#555555"><B>{KIND_LABEL[kind]}</B> {html_text(node.id)}</FONT>']
    if node.actor and kind == "recommendation":
        for line in wrap_lines(f"actor: {node.actor}", wrap):
            parts.append(f'<FONT POINT-SIZE="10"><I>{html.escape(line, quote=True)}</I></FONT>')
    elif node.actor:
        for line in wrap_lines(f"actor: {node.actor}", wrap):
            parts.append(f'<FONT POINT-SIZE="10"><I>{html.escape(line, quote=True)}</I></FONT>')
    parts.extend(html.escape(line, quote=True) for line in wrap_lines(node.text, wrap))
    if problems:
        rules = sorted({f"{d.rule} {d.name}" for d in problems})
        shown = ", ".join(rules[:2]) + (f" +{len(rules) - 2}" if len(rules) > 2 else "")
        parts.append(f'<FONT POINT-SIZE="9" COLOR="{PROBLEM_COLOR}"><B>problem: {html_text(shown)}</B></FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def _legend_label(kinds: Iterable[str], relations: Iterable[str]) -> str:
    rows = ['<TR><TD COLSPAN="2"><B>Legend</B></TD></TR>']
    for kind in kinds:
        st = KIND_STYLE[kind]
        rows.append(
            f'<TR><TD BGCOLOR="{st["fillcolor"]}" COLOR="{st["color"]}" WIDTH="28"> </TD>'
            f'<TD ALIGN="LEFT">{kind}</TD></TR>'
        )
    for rel in relations:
        arrow, text = RELATION_LEGEND[rel]
        color = RELATION_STYLE.get(rel, RELATION_STYLE["supports"])["color"]
        rows.append(
            f'<TR><TD BORDER="0"><FONT COLOR="{color}"><B>{arrow}</B></FONT></TD>'
            f'<TD ALIGN="LEFT" BORDER="0">{text}</TD></TR>'
        )
    return '<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="2" CELLPADDING="3">' + "".join(rows) + "</TABLE>>"


def _title_label(amap) -> str | None:
    title = clean(amap.title)
    if not title:
        return None
    lines = [f'<FONT POINT-SIZE="16"><B>{html.escape(line, quote=True)}</B></FONT>' for line in wrap_lines(title, 70)]
    src = amap.source
    byline = ", ".join(clean(x) for x in ((src.author, src.publisher) if src else ()) if clean(x))
    if byline:
        lines.append(f'<FONT POINT-SIZE="11" COLOR="#555555">{html_text(byline)}</FONT>')
    return "<" + "<BR/>".join(lines) + ">"


def _tooltip(node, problems: list | None):
    text = clean(node.quote) or clean(node.text)
    if node.quote:
        text = f"\u201c{text}\u201d"
    tip = text.replace("\\", "\\" * 4)
    for d in problems or ():
        tip += "\\n" + f"{d.severity.value}: {clean(d.message)} [{d.rule} {d.name}]".replace("\\", "\\" * 4)
    return _esc(tip, 1)


class _Builder:
    def __init__(self, amap, *, wrap: int, problems: dict, focus: str | None):
        self.amap = amap
        self.wrap = wrap
        self.problems = problems
        self.focus = focus
        self.nodes: dict[str, DNode] = {}
        self.edges: list[DEdge] = []
        self.helper = 0
        self.edge_ids: dict[str, int] = defaultdict(int)
        self.missing: dict[str, str] = {}
        self.mids: dict[str, str] = {}  # relation ref -> DOT name of the node on it
        self.relation_kinds: set[str] = set()
        self.relations = 0
        self.map_nodes = 0

    def _uid(self, base: str) -> str:
        self.edge_ids[base] += 1
        n = self.edge_ids[base]
        return base if n == 1 else f"{base}~{n}"

    def _helper_name(self, prefix: str) -> str:
        self.helper += 1
        return f"_{prefix}{self.helper}"

    def target(self, node_id: str) -> str:
        if node_id in self.nodes and not node_id.startswith("_"):
            return node_id
        if node_id not in self.missing:
            name = self._helper_name("missing")
            self.missing[node_id] = name
            self.nodes[name] = DNode(name, {
                "id": f"missing-{node_id}", "class": "missing",
                "label": f'<<FONT POINT-SIZE="9" COLOR="#555555"><B>MISSING</B></FONT><BR/>{html_text(node_id)}>',
                "shape": "box", "style": "dashed", "color": "#9e9e9e", "fillcolor": "white",
                "tooltip": esc_tooltip(f"'{node_id}' is not a node of this map"),
            })
        return self.missing[node_id]

    def add_nodes(self) -> None:
        for node in self.amap.nodes:
            if node.id in self.nodes:
                continue  # a duplicate id (a check finding): drawn once
            kind = node.kind.value
            probs = self.problems.get(node.id)
            attrs = {"id": f"node-{node.id}", "class": kind, "label": _node_label(node, self.wrap, probs),
                     "tooltip": _tooltip(node, probs)}
            attrs.update(KIND_STYLE[kind])
            if probs:
                attrs.update({"class": f"{kind} problem", "color": PROBLEM_COLOR, "penwidth": "3"})
            if node.id == self.focus:
                attrs.update({"class": attrs["class"] + " focus", "penwidth": "3.5",
                              "color": attrs["color"] if probs else FOCUS_COLOR})
            self.nodes[node.id] = DNode(node.id, attrs)
            self.map_nodes += 1

    def add_relations(self) -> None:
        undercut_refs = {ref for node in self.amap.nodes for ref in node.undercuts}
        for node in self.amap.nodes:
            for kind in ("supports", "attacks"):
                for rel in getattr(node, kind):
                    self.relations += 1
                    self.relation_kinds.add(kind)
                    ref = f"{node.id}->{rel.to}"
                    style = RELATION_STYLE[kind]
                    head = self.target(rel.to)
                    if rel.with_ or ref in undercut_refs:
                        linked = bool(rel.with_)
                        if linked:
                            self.relation_kinds.add("linked")
                        name = self._helper_name("link" if linked else "mid")
                        self.mids.setdefault(ref, name)
                        attrs = {"id": self._uid(f"{'link' if linked else 'mid'}-{ref}"),
                                 "class": f"{'link' if linked else 'mid'} {kind}", "shape": "point",
                                 "width": "0.11" if linked else "0.06", "color": style["color"],
                                 "fillcolor": style["color"], "style": "filled", "label": "",
                                 "tooltip": esc_tooltip(f"{ref} ({kind}{', linked' if linked else ''})")}
                        if rel.scheme:
                            attrs["xlabel"] = esc_string(rel.scheme)
                            attrs["fontsize"] = "9"
                            attrs["fontcolor"] = "#555555"
                            attrs["tooltip"] = esc_tooltip(f"{ref} ({kind}; scheme: {rel.scheme})")
                        self.nodes[name] = DNode(name, attrs)
                        members = [node.id, *rel.with_] if linked else [node.id]
                        for m in members:
                            feeder = dict(style)
                            feeder.update({"id": self._uid(f"edge-{ref}-member-{m}"), "class": f"{kind} member",
                                           "arrowhead": "none"})
                            self.edges.append(DEdge(self.target(m), name, feeder))
                        main = dict(style)
                        main.update({"id": self._uid(f"edge-{ref}"), "class": kind})
                        self.edges.append(DEdge(name, head, main))
                    else:
                        attrs = dict(style)
                        attrs.update({"id": self._uid(f"edge-{ref}"), "class": kind})
                        self.edges.append(DEdge(node.id, head, attrs))

    def add_undercuts(self) -> None:
        pending = []
        for node in self.amap.nodes:
            for ref in node.undercuts:
                pending.append((node.id, ref))
        undercut_refs = {ref for _s, ref in pending}
        # undercuts that are themselves undercut get a node on them first
        for src, ref in pending:
            own = f"{src}->{ref}"
            if own in undercut_refs and own not in self.mids:
                self.mids[own] = self._helper_name("mid")
        for src, ref in pending:
            self.relations += 1
            self.relation_kinds.add("undercuts")
            own = f"{src}->{ref}"
            style = RELATION_STYLE["undercuts"]
            target = self.mids.get(ref)
            if target is None:  # the relation is not in the map: draw to a placeholder
                target = self._helper_name("missing")
                self.nodes[target] = DNode(target, {
                    "id": self._uid(f"missing-{ref}"), "class": "missing", "shape": "box", "style": "dashed",
                    "color": "#9e9e9e", "fillcolor": "white",
                    "label": f'<<FONT POINT-SIZE="9" COLOR="#555555"><B>MISSING RELATION</B></FONT><BR/>{html_text(ref)}>',
                    "tooltip": esc_tooltip(f"the relation {ref} is not in this map"),
                })
            if own in self.mids and self.mids[own] not in self.nodes:
                name = self.mids[own]
                self.nodes[name] = DNode(name, {
                    "id": self._uid(f"mid-{own}"), "class": "mid undercuts", "shape": "point", "width": "0.06",
                    "color": style["color"], "fillcolor": style["color"], "style": "filled", "label": "",
                    "tooltip": esc_tooltip(f"{own} (undercuts)"),
                })
                feeder = dict(style)
                feeder.update({"id": self._uid(f"edge-{own}-member-{src}"), "class": "undercuts member",
                               "arrowhead": "none"})
                self.edges.append(DEdge(self.target(src), name, feeder))
                main = dict(style)
                main.update({"id": self._uid(f"edge-{own}"), "class": "undercuts"})
                self.edges.append(DEdge(name, target, main))
            else:
                attrs = dict(style)
                attrs.update({"id": self._uid(f"edge-{own}"), "class": "undercuts"})
                self.edges.append(DEdge(self.target(src), target, attrs))


def spanning_tree(node_names: list[str], edges: list[DEdge], roots: list[str]) -> tuple[list[bool], int]:
    """A breadth-first spanning forest: which edges are in it, and the span of the others.

    The forest grows from ``roots`` (the theses) against the edge direction
    (from a conclusion to its reasons); nodes it does not reach start new trees,
    nodes without outgoing relations (tops of their own arguments) first. The
    span is the number of tree levels the other edges cross beyond one: about
    the virtual nodes ``dot`` adds to route them when they do not constrain.
    """
    incoming: dict[str, list[int]] = defaultdict(list)
    outgoing: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(edges):
        incoming[e.head].append(i)
        outgoing[e.tail].append(i)
    in_tree = [False] * len(edges)
    depth: dict[str, int] = {}

    def grow(start: str) -> None:
        depth[start] = 0
        queue = deque([start])
        while queue:
            v = queue.popleft()
            for i in incoming.get(v, ()):
                t = edges[i].tail
                if t not in depth:
                    depth[t] = depth[v] + 1
                    in_tree[i] = True
                    queue.append(t)

    for r in roots:
        if r not in depth:
            grow(r)
    for name in node_names:
        if name not in depth and not outgoing.get(name):
            grow(name)
    for name in node_names:
        if name not in depth:
            grow(name)
    span = sum(max(0, abs(depth.get(e.tail, 0) - depth.get(e.head, 0)) - 1)
               for i, e in enumerate(edges) if not in_tree[i])
    return in_tree, span


def build(
    amap,
    *,
    rankdir: str = "TB",
    wrap: int = 32,
    legend: bool = True,
    problems=None,
    strategy: str = "auto",
    focus: str | None = None,
    title: bool = True,
) -> DotResult:
    """Build the DOT of a map; see :func:`build_dot` for the options."""
    import graphviz

    rankdir = rankdir.upper()
    if rankdir not in RANKDIR:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIR)}, not {rankdir!r}")
    by_node: dict[str, list] = defaultdict(list)
    for d in problems or ():
        if getattr(d, "node", None):
            by_node[d.node].append(d)
    b = _Builder(amap, wrap=wrap, problems=by_node, focus=focus)
    b.add_nodes()
    b.add_relations()
    b.add_undercuts()
    roots = [n.id for n in amap.nodes if n.kind.value == "thesis"]
    in_tree, span = spanning_tree(list(b.nodes), b.edges, roots)
    chosen = choose_strategy(len(b.nodes), len(b.edges), strategy, span=span)
    if chosen != "full":
        for e, keep in zip(b.edges, in_tree):
            if not keep:
                e.cross = True
                e.constrain = False
    cross = sum(1 for e in b.edges if e.cross)

    g = graphviz.Digraph("argmap")
    graph_attrs = {
        "rankdir": RANKDIR[rankdir], "newrank": "true", "nodesep": "0.25", "ranksep": "0.45",
        "fontname": "Helvetica", "bgcolor": "white", "outputorder": "edgesfirst",
    }
    if chosen != "full":
        # bound the network simplex and crossing minimisation on big drawings
        graph_attrs.update({"nslimit": "0.05", "nslimit1": "2", "mclimit": "0.1", "searchsize": "10"})
    label = _title_label(amap) if title else None
    if label:
        graph_attrs.update({"label": label, "labelloc": "t", "labeljust": "c"})
    g.attr("graph", **graph_attrs)
    g.attr("node", fontname="Helvetica", fontsize="11", margin="0.12,0.06")
    g.attr("edge", fontname="Helvetica", fontsize="9", arrowsize="0.8")
    em = _Emitter()
    body = g.body
    for n in b.nodes.values():
        body.append(em.node(n.name, n.attrs))
    if legend and b.map_nodes:
        kinds = [k for k in KIND_LABEL if any(x.kind.value == k for x in amap.nodes)]
        rels = [r for r in ("supports", "attacks", "undercuts", "linked") if r in b.relation_kinds]
        body.append(em.node("_legend", {"id": "legend", "class": "legend", "shape": "plaintext", "margin": "0",
                                        "label": _legend_label(kinds, rels), "tooltip": "legend"}))
    late = []
    for e in b.edges:
        attrs = dict(e.attrs)
        if not e.constrain:
            attrs["constraint"] = "false"
        if e.cross:
            attrs["class"] = attrs["class"] + " cross"
        if chosen == "fast" and e.cross:
            # drawn straight over the layout: lighter, so the tree stays readable
            attrs["color"] = attrs["color"] + "99"
            attrs["penwidth"] = "1"
            late.append((e.tail, e.head, attrs))
        else:
            body.append(em.edge(e.tail, e.head, attrs))
    if late:
        body.append(AFTER_LAYOUT_MARKER + "\n")
        for tail, head, attrs in late:
            body.append(em.edge(tail, head, attrs))
    if chosen == "full":
        note = "layout: every relation places the nodes"
    elif chosen == "tree":
        note = (f"layout: a spanning tree of the relations places the nodes; {cross:,} other "
                "relation arrows do not constrain it")
    else:
        note = (f"layout: a spanning tree of the relations is laid out first; {cross:,} other relation "
                "arrows are then drawn straight over it")
    return DotResult(g.source, chosen, b.map_nodes, b.relations, len(b.nodes) - b.map_nodes, cross, note)


def build_dot(
    amap,
    *,
    rankdir: str = "TB",
    wrap: int = 32,
    legend: bool = True,
    problems=None,
    strategy: str = "auto",
    focus: str | None = None,
    title: bool = True,
) -> str:
    """The DOT source of a map.

    ``rankdir`` says where the thesis goes (``TB`` top, ``LR`` left, ``BT``,
    ``RL``); ``wrap`` is the label width in characters; ``problems`` are
    diagnostics whose nodes are highlighted; ``strategy`` is ``auto``,
    ``full``, ``tree`` or ``fast`` (see the module docstring); ``focus`` is a
    node drawn with a thicker border.
    """
    return build(amap, rankdir=rankdir, wrap=wrap, legend=legend, problems=problems, strategy=strategy,
                 focus=focus, title=title).source


# --------------------------------------------------------------------------- neighbourhoods


def _neighbours(amap) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = defaultdict(set)
    for n in amap.nodes:
        for kind in ("supports", "attacks"):
            for rel in getattr(n, kind):
                group = [n.id, *rel.with_]
                for a in group:
                    adj[a].add(rel.to)
                    adj[rel.to].add(a)
                    for b2 in group:
                        if b2 != a:
                            adj[a].add(b2)
        for ref in n.undercuts:
            for other in ref.split("->"):
                adj[n.id].add(other)
                adj[other].add(n.id)
    return adj


def neighbourhood(amap, centres: list[str], depth: int | None):
    """The sub-map of nodes within ``depth`` relations of ``centres`` (all when None)."""
    from argmap.map.model import replace

    keep: set[str] = set(centres)
    if depth is None:
        return amap
    adj = _neighbours(amap)
    frontier = list(centres)
    for _ in range(max(0, depth)):
        nxt = []
        for v in frontier:
            for w in adj.get(v, ()):
                if w not in keep:
                    keep.add(w)
                    nxt.append(w)
        frontier = nxt
    known = {n.id for n in amap.nodes}
    nodes = []
    for n in amap.nodes:
        if n.id not in keep:
            continue
        upd = {}
        for kind in ("supports", "attacks"):
            rels = []
            for rel in getattr(n, kind):
                if rel.to in keep or rel.to not in known:
                    if rel.to not in keep and rel.to not in known:
                        rels.append(rel)  # dangling: still shown as missing
                        continue
                    rels.append(replace(rel, with_=[m for m in rel.with_ if m in keep]))
            upd[kind] = rels
        upd["undercuts"] = [r for r in n.undercuts if all(p in keep or p not in known for p in r.split("->"))]
        nodes.append(replace(n, **upd))
    return replace(amap, nodes=nodes)
