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
  (``id="missing-<id>"``), ``_legend...`` are the parts of the legend, the
  cluster ``id="legend"`` (ids ``legend-...``, class ``legend-item``);
* every relation's arrow into its target has ``id="edge-<ref>"`` (``ref`` as
  in the format: ``source->target``; an undercut ``u->source->target``) and
  ``class`` ``supports``/``attacks``/``undercuts``; the feeder edges of a
  linked argument or an undercut relation have ``class="... member"``;
* a node with a ``draft:`` block has ``class="<kind> draft"``, a dotted grey
  border and a ``draft 0.35`` badge (its confidence) beside its kind and id.

Sizes: every label is sized here as Graphviz will size it (:func:`text_width`),
so :mod:`argmap.views.layering` can choose the direction and fold wide fans
before ``dot`` runs (``--rankdir auto``); folded ranks are written as
``minlen`` on edges. No text is under 10 pt.

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

from argmap.views import layering

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
    "supports": "supports",
    "attacks": "attacks",
    "undercuts": "undercuts a relation",
    "linked": "linked premises",
}
# A node with a draft: block (left by argmap extract, not reviewed yet): dotted grey border
# (dashed already means an objection) and a "draft 0.35" badge with its confidence.
DRAFT_COLOR = "#8a8a8a"
DRAFT_BADGE = "#616161"
STACK_WEIGHT = 10  # how hard a folded node is pulled under the node it is stacked under
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


# --------------------------------------------------------------------------- label sizes

TEXT_SIZE = 11  # node text, in points
SMALL_SIZE = 10  # kind and id, actor, problems, badges, legend: the smallest text drawn
MARGIN = (0.12 * 72, 0.06 * 72)  # node margin (x, y), points
# Helvetica's advance widths in thousandths of the font size, as Graphviz estimates a label
# without a font library; other characters count 556, wide (East Asian) ones 1000.
_GLYPH_GROUPS = {
    191: "'", 222: "ijl", 260: "|", 278: " !,./:;I[\\]ft", 333: "()-`r", 334: "{}", 355: '"', 389: "*",
    469: "^", 500: "Jcksvxyz", 556: "#$0123456789?L_abdeghnopqu", 584: "+<=>~", 611: "FTZ",
    667: "&ABEKPSVXY", 722: "CDHNRUw", 778: "GOQ", 833: "Mm", 889: "%", 944: "W", 1015: "@",
}
_GLYPH = {c: w for w, cs in _GLYPH_GROUPS.items() for c in cs}


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of Helvetica text in points, as Graphviz will size it (within a few %).

    Bold is about 10 % wider in lower case and 4 % in capitals.
    """
    if text.isascii() and text.isprintable():
        units = sum(map(_GLYPH.__getitem__, text))
    else:
        import unicodedata

        units = sum(_GLYPH.get(c) or (1000 if unicodedata.east_asian_width(c) in "WF" else 556) for c in text)
    if bold:
        lower = sum(1 for c in text if c.islower())
        units *= 1.04 + 0.06 * lower / max(1, len(text))
    return units * size / 1000


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
    rankdir: str = "TB"  # where the thesis went: TB, LR, BT or RL (auto resolved)
    layers: dict[str, int] | None = None  # the rank of each DOT node when folded (0: the thesis's)


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


def _node_label(node, wrap: int, problems: list | None) -> tuple[str, float, float]:
    """The HTML-like label of a map node, and the (width, height) of its box in points."""
    kind = node.kind.value
    header = (f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="#555555"><B>{KIND_LABEL[kind]}</B> '
              f'{html_text(node.id)}</FONT>')
    header_w = text_width(KIND_LABEL[kind], SMALL_SIZE, True) + text_width(" " + clean(node.id), SMALL_SIZE)
    lines: list[tuple[str, float, float]] = []  # (markup, width, height)
    if node.actor:
        for line in wrap_lines(f"actor: {node.actor}", wrap):
            lines.append((f'<FONT POINT-SIZE="{SMALL_SIZE}"><I>{html.escape(line, quote=True)}</I></FONT>',
                          text_width(line, SMALL_SIZE), SMALL_SIZE))
    lines.extend((html.escape(line, quote=True), text_width(line, TEXT_SIZE), TEXT_SIZE)
                 for line in wrap_lines(node.text, wrap))
    if problems:
        rules = sorted({f"{d.rule} {d.name}" for d in problems})
        shown = f"problem: {', '.join(rules[:2])}" + (f" +{len(rules) - 2}" if len(rules) > 2 else "")
        lines.append((f'<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="{PROBLEM_COLOR}"><B>{html_text(shown)}</B></FONT>',
                      text_width(clean(shown), SMALL_SIZE, True), SMALL_SIZE))
    text_w = max(w for _m, w, _h in lines)
    text_h = sum(h for _m, _w, h in lines)
    if node.draft is None:
        label = "<" + "<BR/>".join([header] + [m for m, _w, _h in lines]) + ">"
        width, height = max(header_w, text_w), SMALL_SIZE + text_h
    else:  # the kind and id, then the badge, above the text
        badge = draft_badge(node.draft.confidence)
        label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
                 f'<TD ALIGN="LEFT">{header}</TD><TD WIDTH="6"></TD>'
                 f'<TD BGCOLOR="{DRAFT_BADGE}" CELLPADDING="2"><FONT POINT-SIZE="{SMALL_SIZE}" COLOR="#ffffff">'
                 f'<B>{badge}</B></FONT></TD></TR>'
                 f'<TR><TD COLSPAN="3">{"<BR/>".join(m for m, _w, _h in lines)}</TD></TR></TABLE>>')
        width = max(header_w + 6 + text_width(badge, SMALL_SIZE, True) + 4, text_w)
        height = SMALL_SIZE + 8 + text_h
    extra = 8 if kind == "thesis" else 0  # the second periphery
    return label, max(54.0, width + 2 * MARGIN[0]) + extra, max(36.0, height + 2 * MARGIN[1]) + extra


def draft_badge(confidence: float) -> str:
    """The badge of a draft node: ``draft 0.35``."""
    return f"draft {confidence:.2f}"


def _title_label(amap) -> tuple[str, float, float] | None:
    """The drawing's title (and byline) as an HTML-like label, with its (width, height) in points."""
    title = clean(amap.title)
    if not title:
        return None
    rows = [(f'<FONT POINT-SIZE="16"><B>{html.escape(line, quote=True)}</B></FONT>', text_width(line, 16, True), 16)
            for line in wrap_lines(title, 70)]
    src = amap.source
    byline = ", ".join(clean(x) for x in ((src.author, src.publisher) if src else ()) if clean(x))
    if byline:
        rows.append((f'<FONT POINT-SIZE="11" COLOR="#555555">{html_text(byline)}</FONT>', text_width(byline, 11), 11))
    return ("<" + "<BR/>".join(m for m, _w, _h in rows) + ">", max(w for _m, w, _h in rows),
            sum(h for _m, _w, h in rows) + 8)


@dataclass
class _Legend:
    """The legend: a cluster of kind swatches above real samples of the relations."""

    rows: list[list[tuple[str, dict, float, float]]]  # per row: (DOT name, attributes, width, height)
    edges: list[tuple[str, str, dict]]
    units: list[list[list[str]]]  # per row, its items in reading order (an item: its nodes, first to last)

    @property
    def top(self) -> str:
        """A node of its first row (put in the thesis's rank)."""
        return self.rows[0][0][0]

    def sizes(self) -> list[list[tuple[float, float]]]:
        return [[(w, h) for _n, _a, w, h in row] for row in self.rows]

    def body(self, em: _Emitter, gv_rankdir: str) -> str:
        out = ["\tsubgraph cluster_legend {\n", "\t\tgraph" + em.attrs({
            "id": "legend", "class": "legend", "label": "<<B>Legend</B>>", "fontsize": str(SMALL_SIZE),
            # rankdir BT (thesis on top) turns the cluster upside down: its bottom label shows on top
            "labelloc": "b" if gv_rankdir == "BT" else "t", "labeljust": "r" if gv_rankdir == "RL" else "l",
            "style": "rounded", "color": "#bdbdbd", "margin": "8"}) + "\n"]
        out.append("\t\tnode" + em.attrs({"fontsize": str(SMALL_SIZE), "width": "0", "height": "0"}) + "\n")
        for row in self.rows:
            out.extend("\t" + em.node(name, attrs) for name, attrs, _w, _h in row)
            out.append("\t\t{rank=same; " + "; ".join(em.q(name) for name, *_ in row) + "}\n")
        out.extend("\t" + em.edge(t, h, attrs) for t, h, attrs in self.edges)
        # invisible edges keep the items in reading order: a row runs left to right, or (ranks as
        # columns) bottom to top, so there it is chained from its last item
        for units in self.units:
            units = units[::-1] if gv_rankdir in ("LR", "RL") else units
            out.extend("\t" + em.edge(a[-1], b[0], {"style": "invis"}) for a, b in zip(units, units[1:]))
        out.append("\t}\n")
        return "".join(out)


def _legend(kinds: list[str], relations: list[str], draft: bool) -> _Legend:
    """Swatches of the kinds (and of a draft) in one row, samples of the relations in the next.

    The samples are edges with the same attributes as the map's, from an
    invisible point to their name. Every part is in the cluster ``legend``,
    with DOT names starting ``_legend`` and ids ``legend-...``.
    """
    rows: list[list[tuple[str, dict, float, float]]] = [[], []]
    edges: list[tuple[str, str, dict]] = []
    units: list[list[list[str]]] = [[], []]
    pad = (0.08 * 72, 0.04 * 72)
    for kind in kinds:
        attrs = dict(KIND_STYLE[kind], id=f"legend-{kind}", label=kind, margin="0.08,0.04")
        attrs["class"] = "legend-item"
        extra = 8 if kind == "thesis" else 0
        rows[0].append((f"_legend_{kind}", attrs, text_width(kind, SMALL_SIZE) + 2 * pad[0] + extra,
                        SMALL_SIZE + 2 * pad[1] + extra))
    if draft:
        badge, words = draft_badge(0.35), "not reviewed yet (confidence)"
        label = ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
                 f'<TD BGCOLOR="{DRAFT_BADGE}" CELLPADDING="2"><FONT COLOR="#ffffff"><B>{badge}</B></FONT></TD>'
                 f'<TD WIDTH="6"></TD><TD>{words}</TD></TR></TABLE>>')
        rows[0].append(("_legend_draft", {"id": "legend-draft", "class": "legend-item", "shape": "box",
                                          "style": "filled,dotted", "fillcolor": "white", "color": DRAFT_COLOR,
                                          "penwidth": "1.8", "label": label, "margin": "0.08,0.04"},
                        text_width(badge, SMALL_SIZE, True) + 10 + text_width(words, SMALL_SIZE) + 2 * pad[0],
                        SMALL_SIZE + 4 + 2 * pad[1]))
    units[0] = [[name] for name, *_ in rows[0]]
    for rel in relations:
        style = RELATION_STYLE["supports" if rel == "linked" else rel]
        start, name = f"_legend_{rel}_from", f"_legend_{rel}"
        rows[1].append((start, {"shape": "point", "style": "invis", "width": "0.45"}, 32.4, 0.0))
        sample = dict(style, id=f"legend-{rel}", tailclip="false")
        sample["class"] = "legend-item"
        if rel == "linked":  # the premises' line ends at a dot, from which the arrow goes on
            junction = f"_legend_{rel}_dot"
            rows[1].append((junction, {"shape": "point", "width": "0.11", "color": style["color"],
                                       "fillcolor": style["color"], "style": "filled", "label": "",
                                       "id": f"legend-{rel}-dot", "class": "legend-item"}, 8.0, 8.0))
            edges.append((start, junction, dict(sample, arrowhead="none", id=f"legend-{rel}-member")))
            start = junction
        text = RELATION_LEGEND[rel]
        rows[1].append((name, {"shape": "plaintext", "label": text, "margin": "0.05,0", "id": f"legend-{rel}-name",
                               "class": "legend-item"},
                        text_width(text, SMALL_SIZE) + 7.2, SMALL_SIZE))
        edges.append((start, name, sample))
        units[1].append([f"_legend_{rel}_from", name])
    rows = [r for r in rows if r]
    if len(rows) == 2:  # the samples below the swatches
        edges.append((rows[1][0][0], rows[0][0][0], {"style": "invis"}))
    return _Legend(rows, edges, [u for u in units if u])


def _tooltip(node, problems: list | None):
    text = clean(node.quote) or clean(node.text)
    if node.quote:
        text = f"\u201c{text}\u201d"
    tip = text.replace("\\", "\\" * 4)
    for d in problems or ():
        tip += "\\n" + f"{d.severity.value}: {clean(d.message)} [{d.rule} {d.name}]".replace("\\", "\\" * 4)
    return _esc(tip, 1)


def _missing_size(head: str, name: str) -> tuple[float, float]:
    width = max(text_width(head, SMALL_SIZE, True), text_width(clean(name), TEXT_SIZE))
    return max(54.0, width + 2 * MARGIN[0]), max(36.0, SMALL_SIZE + TEXT_SIZE + 2 * MARGIN[1])


class _Builder:
    def __init__(self, amap, *, wrap: int, problems: dict, focus: str | None, tooltips: bool = True):
        self.amap = amap
        self.tooltips = tooltips
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
        self.sizes: dict[str, tuple[float, float]] = {}  # DOT name -> (width, height) in points
        self.drafts = 0

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
                "label": (f'<<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="#555555"><B>MISSING</B></FONT><BR/>'
                          f'{html_text(node_id)}>'),
                "shape": "box", "style": "dashed", "color": "#9e9e9e", "fillcolor": "white",
                "tooltip": esc_tooltip(f"'{node_id}' is not a node of this map"),
            })
            self.sizes[name] = _missing_size("MISSING", node_id)
        return self.missing[node_id]

    def add_nodes(self) -> None:
        for node in self.amap.nodes:
            if node.id in self.nodes:
                continue  # a duplicate id (a check finding): drawn once
            kind = node.kind.value
            probs = self.problems.get(node.id)
            label, width, height = _node_label(node, self.wrap, probs)
            attrs = {"id": f"node-{node.id}", "class": kind, "label": label}
            if self.tooltips:
                attrs["tooltip"] = _tooltip(node, probs)
            attrs.update(KIND_STYLE[kind])
            if node.draft is not None:
                self.drafts += 1
                style = [p for p in attrs["style"].split(",") if p not in ("dashed", "bold")]
                attrs.update({"class": f"{kind} draft", "style": ",".join(style + ["dotted"]),
                              "color": DRAFT_COLOR, "penwidth": "1.8"})
            if probs:
                attrs.update({"class": attrs["class"] + " problem", "color": PROBLEM_COLOR, "penwidth": "3"})
            if node.id == self.focus:
                attrs.update({"class": attrs["class"] + " focus", "penwidth": "3.5",
                              "color": attrs["color"] if probs else FOCUS_COLOR})
            self.nodes[node.id] = DNode(node.id, attrs)
            self.sizes[node.id] = (width, height)
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
                            attrs["fontsize"] = str(SMALL_SIZE)
                            attrs["fontcolor"] = "#555555"
                            attrs["tooltip"] = esc_tooltip(f"{ref} ({kind}; scheme: {rel.scheme})")
                        self.nodes[name] = DNode(name, attrs)
                        self.sizes[name] = (8.0, 8.0) if linked else (4.3, 4.3)
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
                    "label": (f'<<FONT POINT-SIZE="{SMALL_SIZE}" COLOR="#555555"><B>MISSING RELATION</B></FONT>'
                              f'<BR/>{html_text(ref)}>'),
                    "tooltip": esc_tooltip(f"the relation {ref} is not in this map"),
                })
                self.sizes[target] = _missing_size("MISSING RELATION", ref)
            if own in self.mids and self.mids[own] not in self.nodes:
                name = self.mids[own]
                self.nodes[name] = DNode(name, {
                    "id": self._uid(f"mid-{own}"), "class": "mid undercuts", "shape": "point", "width": "0.06",
                    "color": style["color"], "fillcolor": style["color"], "style": "filled", "label": "",
                    "tooltip": esc_tooltip(f"{own} (undercuts)"),
                })
                self.sizes[name] = (4.3, 4.3)
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


def _pin_layers(names: list[str], placed: list[DEdge], lay, roots: list[str]):
    """Write the chosen layers into the DOT: ``minlen`` on long edges, anchors for loose parts.

    Edges that close a cycle stop constraining. Each connected part of the
    drawing other than the first has its top node put in the rank of a node
    already placed (``rank=same``), or, where no placed node has that layer,
    an invisible edge of the right ``minlen`` to the nearest one above.
    Returns the rank=same groups ({anchor: [nodes]}) and the invisible edges
    (tail, head, minlen).
    """
    parent = {n: n for n in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    layer = lay.layer
    for i, e in enumerate(placed):
        if i in lay.cycle_edges:
            e.constrain = False
        elif e.constrain:
            span = layer[e.tail] - layer[e.head]
            if span > 1:
                e.attrs["minlen"] = str(span)
            parent[find(e.tail)] = find(e.head)
    tops: dict[str, str] = {}  # component -> its top node (first in map order at its lowest layer)
    for n in names:
        c = find(n)
        if c not in tops or layer[n] < layer[tops[c]]:
            tops[c] = n
    first = next((r for r in roots if r in parent), None) or min(tops.values(), key=lambda n: layer[n])
    main = find(first)
    placed_at: dict[int, str] = {}
    for n in names:
        if find(n) == main:
            placed_at.setdefault(layer[n], n)
    same: dict[str, list[str]] = {}
    anchors: list[tuple[str, str, int]] = []
    members: dict[str, list[str]] = defaultdict(list)
    for n in names:
        members[find(n)].append(n)
    order = {n: i for i, n in enumerate(names)}
    for c, top in sorted(tops.items(), key=lambda ct: (layer[ct[1]], order[ct[1]])):
        if c == main:
            continue
        k = layer[top]
        above = [x for x in placed_at if x < k]
        if k in placed_at:
            same.setdefault(placed_at[k], []).append(top)
        elif above:
            anchors.append((top, placed_at[max(above)], k - max(above)))
        else:  # everything placed lies below: hang it from the top instead
            j = min(placed_at)
            anchors.append((placed_at[j], top, j - k))
        for n in members[c]:
            placed_at.setdefault(layer[n], n)
    return same, anchors


def build(
    amap,
    *,
    rankdir: str = "auto",
    wrap: int = 32,
    legend: bool = True,
    problems=None,
    strategy: str = "auto",
    focus: str | None = None,
    page: bool = False,
) -> DotResult:
    """Build the DOT of a map; see :func:`build_dot` for the options."""
    import graphviz

    rankdir = rankdir.upper()
    if rankdir not in RANKDIR and rankdir != "AUTO":
        raise ValueError(f"rankdir must be auto or one of {', '.join(RANKDIR)}, not {rankdir!r}")
    by_node: dict[str, list] = defaultdict(list)
    for d in problems or ():
        if getattr(d, "node", None):
            by_node[d.node].append(d)
    b = _Builder(amap, wrap=wrap, problems=by_node, focus=focus, tooltips=not page)
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

    heading = None if page else _title_label(amap)
    key = None
    if legend and b.map_nodes:
        kinds = [k for k in KIND_LABEL if any(x.kind.value == k for x in amap.nodes)]
        rels = [r for r in ("supports", "attacks", "undercuts", "linked") if r in b.relation_kinds]
        key = _legend(kinds, rels, b.drafts > 0)
    # the direction and the ranks (argmap.views.layering); edges drawn after the layout do not count
    placed = [e for e in b.edges if not (chosen == "fast" and e.cross)]
    lay = layering.layer(list(b.nodes), b.sizes, [(e.tail, e.head) for e in placed],
                         [e.constrain for e in placed],
                         horizontal=None if rankdir == "AUTO" else rankdir in ("LR", "RL"),
                         reserve=key.sizes() if key else (), title=heading[1:] if heading else (0.0, 0.0),
                         fold=chosen == "full")
    if rankdir == "AUTO":
        rankdir = "LR" if lay.horizontal else "TB"
    same, anchors = _pin_layers(list(b.nodes), placed, lay, roots) if lay.folded else ({}, [])
    if key:
        top = next((r for r in roots if r in b.nodes), None) or next(n for n in b.nodes if lay.layer[n] == 0)
        same.setdefault(top, []).append(key.top)

    g = graphviz.Digraph("argmap")
    gv_rankdir = RANKDIR[rankdir]
    graph_attrs = {
        "rankdir": gv_rankdir, "newrank": "true", "nodesep": "0.25", "ranksep": "0.45",
        "fontname": "Helvetica", "bgcolor": "white", "outputorder": "edgesfirst",
    }
    if chosen != "full":
        # bound the network simplex and crossing minimisation on big drawings
        graph_attrs.update({"nslimit": "0.05", "nslimit1": "2", "mclimit": "0.1", "searchsize": "10"})
    if heading:
        graph_attrs.update({"label": heading[0], "labelloc": "t", "labeljust": "c"})
    g.attr("graph", **graph_attrs)
    g.attr("node", fontname="Helvetica", fontsize=str(TEXT_SIZE), margin="0.12,0.06")
    g.attr("edge", fontname="Helvetica", fontsize=str(SMALL_SIZE), arrowsize="0.8")
    em = _Emitter()
    body = g.body
    for n in b.nodes.values():
        body.append(em.node(n.name, n.attrs))
    if key:
        body.append(key.body(em, gv_rankdir))
    for anchor, others in same.items():
        body.append("\t{rank=same; " + "; ".join(em.q(n) for n in (anchor, *others)) + "}\n")
    for tail, head, minlen in anchors:
        body.append(em.edge(tail, head, {"style": "invis", "minlen": str(minlen)}))
    for below, above in lay.stacked.items():  # folded rows line up in columns
        if lay.layer[below] == lay.layer[above] + 1:
            body.append(em.edge(below, above, {"style": "invis", "weight": str(STACK_WEIGHT)}))
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
    if lay.folded:
        note += f"; wide rows folded ({max(lay.layer.values()) + 1} ranks)"
    return DotResult(g.source, chosen, b.map_nodes, b.relations, len(b.nodes) - b.map_nodes, cross, note,
                     rankdir, lay.layer if lay.folded else None)


def build_dot(
    amap,
    *,
    rankdir: str = "auto",
    wrap: int = 32,
    legend: bool = True,
    problems=None,
    strategy: str = "auto",
    focus: str | None = None,
    page: bool = False,
) -> str:
    """The DOT source of a map.

    ``rankdir`` says where the thesis goes (``TB`` top, ``LR`` left, ``BT``,
    ``RL``); ``wrap`` is the label width in characters; ``problems`` are
    diagnostics whose nodes are highlighted; ``strategy`` is ``auto``,
    ``full``, ``tree`` or ``fast`` (see the module docstring); ``focus`` is a
    node drawn with a thicker border. ``page`` draws it for the HTML page
    (:mod:`argmap.views.html`): without the title, which the page's header
    shows, and without node tooltips, since the page shows a node's quote
    when it is selected.
    """
    return build(amap, rankdir=rankdir, wrap=wrap, legend=legend, problems=problems, strategy=strategy,
                 focus=focus, page=page).source


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
