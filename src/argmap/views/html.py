"""``argmap render MAP --html``: the map beside the article, in one HTML file.

The page is self-contained: the map's SVG (the same as ``render --svg``), the
article, the CSS and the JavaScript are all inline; a Content-Security-Policy
forbids every network request and every script but the page's own (by hash),
so nothing in a map can run code or phone home.

Pieces, each a plain function of its inputs:

* :func:`sanitize_svg` keeps only drawing elements of the Graphviz SVG, drops
  event attributes, links and external references, and tags each node's
  ``<g>`` with ``data-node`` (its map id), ``tabindex`` and an ``aria-label``,
  and each edge with ``data-ends`` (the map ids it connects);
* :func:`article_html` lays out the source text in its paragraphs, wraps each
  quoted passage in ``<mark data-n="ids">`` and each sentence no quote covers
  (per :func:`argmap.map.source.coverage`, the function behind ``check --stats``)
  in ``<span class="unc">``;
* :func:`build_page` puts it all into ``assets/page.html``; every piece of map
  or article text is escaped, and the node data travels as JSON inside
  ``<script type="application/json">`` with ``<``, ``>`` and ``&`` escaped.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Iterable

from argmap.map.diagnostics import plural

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NODE_ID_PREFIX = "node-"

# Elements Graphviz draws with; anything else (script, foreignObject, image,
# style, use, animate...) is dropped with its content.
_SVG_ELEMENTS = frozenset({
    "svg", "g", "title", "desc", "path", "polygon", "polyline", "ellipse", "circle", "rect", "line",
    "text", "tspan", "a", "defs", "linearGradient", "radialGradient", "stop",
})
_DROP_ATTRS = frozenset({"href", "target", "style", "requiredextensions", "systemlanguage"})  # any case
_LOCAL_URL = re.compile(r"\s*url\(#[\w.:-]+\)\s*")

KIND_LABELS = {
    "thesis": ("thesis", "theses"),
    "claim": ("claim", "claims"),
    "premise": ("premise", "premises"),
    "recommendation": ("recommendation", "recommendations"),
    "objection": ("objection", "objections"),
}


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def script_json(data: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>``, no ``<!--``)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    )


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL, else None (no javascript:, data:, file:)."""
    if not url:
        return None
    u = url.strip()
    if re.match(r"(?i)^https?://[^\s<>\"']+$", u) and not re.search(r"[\x00-\x1f\x7f]", u):
        return u
    return None


# --------------------------------------------------------------------------- SVG


@dataclass
class SvgInfo:
    markup: str
    nodes: list[str] = field(default_factory=list)  # map ids found, in drawing order
    width: float = 0.0  # of the viewBox
    height: float = 0.0
    # map id -> the node's box [x, y, width, height] in viewBox units: the page
    # knows where a node is without asking the browser for a layout
    boxes: dict[str, list[float]] = field(default_factory=dict)


_SVG = SVG_NS + " "  # expat's name of an SVG element: namespace, space, local name
_PREFIXES = ((XLINK_NS + " ", "xlink:"), (XML_NS + " ", "xml:"))
# path commands and separators of a shape's points become spaces, leaving its numbers (one
# character for one: str.translate's fast path); a minus sign then gets a space before it
# ("10-20" is 10 and -20)
_NOT_NUMBER = str.maketrans(dict.fromkeys("MmLlCcSsQqTtZz,", " "))
_TRANSFORM = re.compile(r"(scale|translate)\(\s*([-+\d.eE]+)(?:[\s,]+([-+\d.eE]+))?\s*\)")
_SHAPES = frozenset({"path", "polygon", "polyline", "ellipse", "text"})  # inside nodes and edges
# The attributes Graphviz gives those shapes: a shape that has no other is copied byte for byte
# from the (parsed, so well-formed) drawing; any other element is written anew from its kept
# attributes. The text attributes the page's CSS sets are not among them (_TEXT_DEFAULTS below).
_PLAIN = frozenset({
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "d", "points",
    "cx", "cy", "rx", "ry", "x", "y", "transform", "font-size", "font-weight", "font-style",
    "text-decoration", "baseline-shift",
})
_NO_DEFAULTS: dict[str, str | None] = {}
# The text attributes the page's CSS sets, each with the value that makes it redundant (None: any
# value), left out of every <text>: the font (a stylesheet beats a presentation attribute anyway),
# spaces kept (white-space: pre) and "start", the default anchor. Graphviz writes the ones with a
# fixed value first, in this order.
_TEXT_DEFAULTS: dict[str, str | None] = {"xml:space": "preserve", "text-anchor": "start", "font-family": None}
# a text with these is copied when none of them is left out (xml:space comes from expat under its
# namespace's name, so a text still holding it is written anew)
_PLAIN_TEXT = _PLAIN | _TEXT_DEFAULTS.keys()
# ... and left out of the <text> start tags as Graphviz writes them before the drawing is parsed:
# C-level replaces instead of a Python call per text. A text these miss (another attribute order,
# another font) is written anew without them.
_FIXED_TEXT = [(k.encode(), v.encode()) for k, v in _TEXT_DEFAULTS.items() if v is not None]
_GRAPHVIZ_TEXT = tuple(b"<text " + b"".join(b'%s="%s" ' % kv for kv in _FIXED_TEXT[:m])
                       for m in range(len(_FIXED_TEXT), 0, -1))  # the longest first
_ANY_VALUE_TEXT = [re.compile(rb'<text [^<>]*?( %s="[^"<>]*")' % re.escape(k.encode()))
                   for k, v in _TEXT_DEFAULTS.items() if v is None]
_START_TAG = re.compile(rb"""<[^\s/>]+(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(/?)>""")
_END_TAG = re.compile(rb"</[^\s>]+\s*>")
# what a kept element's end does: nothing (its end tag is copied), cut the copy around its end
# tag (an element whose content stays without it), or end the node or edge group being read
_COPY, _UNWRAP, _ENDS_GROUP = 0, 1, 2
_PLAIN_GROUP = frozenset({"id", "class"})
# What could make a copied value a url(...) once a browser reads it: the text itself, a character
# reference to one of its letters, or a named reference (expat skips an undeclared one in an
# attribute while the browser would read it). Graphviz writes none of these in a drawing of a
# map; in a drawing holding one, every start tag is written anew from expat's values.
# (two searches, each starting at one character: a pattern of both is tried at every position)
_CAREFUL = (re.compile(rb"\((?<=[uU][rR][lL]\()"),
            re.compile(rb"&(?:#0*(?:117|85|114|82|108|76|40);|#[xX]0*(?:75|55|72|52|6[cC]|4[cC]|28);"
                       rb"|(?!(?:amp|lt|gt|quot|apos);)[A-Za-z])"))


_UNSAFE = re.compile(r'[&<>"]').search


def _attr(value: str) -> str:
    """An attribute value for inside double quotes."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _attr_name(name: str) -> str:
    """How an attribute is written: xlink: and xml: names prefixed, "" for one that is dropped
    (another namespace, an event handler, a link, a style)."""
    if " " in name:  # expat's "namespace local"
        for ns, prefix in _PREFIXES:
            if name.startswith(ns):
                name = prefix + name[len(ns):]
                break
        else:
            return ""
    short = name.rpartition(":")[2]
    short = short.lower()  # HTML reads attribute names in any case
    return "" if short[:2] == "on" or short in _DROP_ATTRS else name


@dataclass(slots=True)
class _Group:
    """A node or edge ``<g>`` of the drawing while it is read."""

    mid: str | None  # the map id; None for edges and helper nodes
    head: bytes  # its start tag as written, without the closing ">"
    empty: bool  # written <g/>
    edge: bool = False
    at: int = -1  # where its start tag goes in the output, when written at the end
    title: str = ""  # Graphviz's name of the node, or "tail->head" of the edge
    ends: str = ""  # its data-ends: the map nodes an edge (or a helper node) joins
    box: list[float] | None = None  # x0, y0, x1, y1 of its shapes


class _SvgCleaner:
    """expat handlers of :func:`sanitize_svg`: read, filter and write in one pass.

    The output is the drawing's own bytes, copied in runs, with what is dropped cut out and
    what is changed written anew: ``run`` is where the current copy began (-1: none). A
    shape that :meth:`plain` passes leaves the run going; any other element ends it
    (:meth:`cut`) and says where the next one begins.
    """

    def __init__(self, buf: bytes, parser, ids: set[str], labels: dict[str, str], classes: dict[str, str]):
        self.buf, self.parser = buf, parser
        self.ids, self.labels, self.classes = ids, labels, classes
        self.copy = not any(p.search(buf) for p in _CAREFUL)  # shapes may be copied as read
        self.seen: set[str] = set()
        self.names: dict[str, str] = {}  # attribute name as expat gives it -> as written ("": dropped)
        self.out: list[bytes | None] = []
        self.run = -1
        self.groups: list[_Group] = []
        self.group: _Group | None = None  # the node or edge being read
        self.boxless: _Group | None = None  # the map node being read, until its box is known
        self.stack: list[int] = []  # what the end of each open kept element does (_COPY...)
        self.skip = 0  # depth inside a dropped element
        self.resume = -1  # where the copy goes on after a dropped empty element
        self.title: list[str] | None = None  # text of the <title> being read
        self.root: dict[str, str] = {}
        self.transform = [1.0, 1.0, 0.0, 0.0]  # the graph group's scale x, y and translation x, y
        self.seen_graph = False
        self.locals: dict[str, str] = {}  # element name as expat gives it -> SVG local name ("": other)

    # -- helpers
    def attrs(self, local: str, raw: dict[str, str]) -> list[tuple[str, str]]:
        """The attributes kept, as written, values escaped."""
        kept = []
        names = self.names
        defaults = _TEXT_DEFAULTS if local == "text" else _NO_DEFAULTS
        for name, value in raw.items():
            written = names.get(name)
            if written is None:
                written = names[name] = _attr_name(name)
            if not written or written in defaults and defaults[written] in (None, value):
                continue
            if "(" in value and "url(" in value.lower() and not _LOCAL_URL.fullmatch(value):
                continue
            kept.append((written, _attr(value) if _UNSAFE(value) else value))
        return kept

    @staticmethod
    def head(local: str, attrs: list[tuple[str, str]]) -> bytes:
        """A start tag without its closing ``>``."""
        return ("<" + local + "".join([f' {k}="{v}"' for k, v in attrs])).encode()

    @staticmethod
    def plain(local: str, raw: dict[str, str]) -> bool:
        """Whether a shape has only the attributes Graphviz gives shapes, and so can be copied."""
        return raw.keys() <= _PLAIN or (
            local == "text" and raw.keys() <= _PLAIN_TEXT
            and not any(k in raw and v in (None, raw[k]) for k, v in _TEXT_DEFAULTS.items()))

    def cut(self, at: int) -> None:
        """End the copy at byte ``at``."""
        if self.run >= 0:
            self.out.append(self.buf[self.run:at])
            self.run = -1

    def set_box(self, local: str, raw: dict[str, str]) -> None:
        """The node's box: that of its first shape (Graphviz draws the outline first)."""
        g, self.boxless = self.boxless, None
        if local in ("path", "polygon", "polyline"):
            try:
                points = (raw.get("d") or raw.get("points") or "").translate(_NOT_NUMBER)
                nums = list(map(float, points.replace("-", " -").split()))
            except ValueError:  # not the points Graphviz writes: no box
                return
            xs, ys = nums[0::2], nums[1::2]
        elif local == "ellipse":
            cx, cy = float(raw.get("cx") or 0), float(raw.get("cy") or 0)
            rx, ry = float(raw.get("rx") or 0), float(raw.get("ry") or 0)
            xs, ys = [cx - rx, cx + rx], [cy - ry, cy + ry]
        else:
            self.boxless = g  # a text: the outline may follow
            return
        if xs and ys:
            g.box = [min(xs), min(ys), max(xs), max(ys)]

    # -- expat handlers
    def start(self, name: str, raw: dict[str, str]) -> None:
        if self.skip:
            self.skip += 1
            return
        local = self.locals.get(name)
        if local is None:
            local = self.locals[name] = name[len(_SVG):] if name.startswith(_SVG) else ""
        g = self.group
        if g is not None and local in _SHAPES and self.copy and self.plain(local, raw):
            # most elements: a shape, copied
            if self.boxless is not None:
                self.set_box(local, raw)
            if self.run < 0:
                self.run = self.parser.CurrentByteIndex
            self.stack.append(_COPY)
            return
        buf = self.buf
        at = self.parser.CurrentByteIndex
        self.cut(at)
        tag = _START_TAG.match(buf, at)
        end, empty = tag.end(), bool(tag.group(1))
        if local not in _SVG_ELEMENTS or local == "title":  # dropped with its content
            self.skip, self.resume = 1, (end if empty else -1)  # an empty one's end event follows at once
            if local == "title" and not empty and g is not None and not g.title:
                self.title = []
                self.parser.CharacterDataHandler = self.data
            return
        self.run = end
        if local == "svg" and not self.stack:
            self.root = raw
            attrs = [a for a in self.attrs(local, raw) if a[0] not in ("width", "height")]
            attrs += [("preserveAspectRatio", "xMidYMid meet"), ("role", "group"), ("aria-label", "Argument map")]
            self.out.append(self.head("svg", [("xmlns", SVG_NS), ("xmlns:xlink", XLINK_NS), *attrs]) + b">")
            self.stack.append(_UNWRAP)  # its end: cut, and </svg> written
            return
        if local == "g":
            cls = (raw.get("class") or "").split()
            gid = raw.get("id") or ""
            if g is None and ("node" in cls or "edge" in cls):
                mid = gid[len(NODE_ID_PREFIX):] if "node" in cls and gid.startswith(NODE_ID_PREFIX) else None
                if mid not in self.ids or mid in self.seen:
                    mid = None  # not a map node, or a second drawing of one: not selectable
                extra = self.classes.get(mid) if mid is not None else None
                if extra:
                    merged = _attr(" ".join(dict.fromkeys(cls + extra.split())))
                    head = self.head("g", [(k, merged if k == "class" else v) for k, v in self.attrs(local, raw)])
                elif raw.keys() <= _PLAIN_GROUP:  # its id and class, copied
                    head = buf[at:end - 2 if empty else end - 1]
                else:
                    head = self.head("g", self.attrs(local, raw))
                g = self.group = _Group(mid, head, empty, edge="edge" in cls)
                self.groups.append(g)
                if mid is None:  # edges and helper nodes get data-ends at the end
                    g.at = len(self.out)
                    self.out.append(None)
                else:
                    self.seen.add(mid)
                    self.boxless = g
                    self.out.append(b"".join((head, (
                        f' data-node="{_attr(mid)}" tabindex="0" role="button" '
                        f'aria-label="{_attr(self.labels.get(mid, mid))}"').encode(), b"/>" if empty else b">")))
                self.stack.append(_ENDS_GROUP)
                return
            if g is not None and g.mid is not None and gid.startswith("a_"):
                self.stack.append(_COPY if empty else _UNWRAP)  # a map node's tooltip wrapper: its content stays
                return
            if "graph" in cls and not self.seen_graph:
                self.seen_graph = True
                for what, a, b in _TRANSFORM.findall(raw.get("transform") or ""):
                    x = float(a)
                    y = float(b) if b else (x if what == "scale" else 0.0)
                    if what == "scale":
                        self.transform[0], self.transform[1] = x, y
                    else:
                        self.transform[2], self.transform[3] = x, y
        elif local == "a" and g is not None and g.mid is not None:
            self.stack.append(_COPY if empty else _UNWRAP)
            return
        elif local in _SHAPES and self.boxless is not None:
            self.set_box(local, raw)
        self.out.append(self.head(local, self.attrs(local, raw)) + (b"/>" if empty else b">"))
        self.stack.append(_COPY)

    def end(self, name: str) -> None:
        if self.skip:
            self.skip -= 1
            if not self.skip:  # the dropped element ends: the copy goes on after it
                if self.title is not None:
                    self.group.title = "".join(self.title)
                    self.title = None
                    self.parser.CharacterDataHandler = None
                self.run = self.resume if self.resume >= 0 else _END_TAG.match(self.buf, self.parser.CurrentByteIndex).end()
            return
        what = self.stack.pop()
        if what == _UNWRAP:
            at = self.parser.CurrentByteIndex
            self.cut(at)
            if self.stack:
                self.run = _END_TAG.match(self.buf, at).end()
            else:
                self.out.append(b"</svg>")
        elif what == _ENDS_GROUP:
            self.group = self.boxless = None

    def data(self, text: str) -> None:  # only while a <title> is read
        self.title.append(text)

    def cdata(self) -> None:
        """A CDATA section (Graphviz writes none) being copied: its text is written escaped."""
        if self.run >= 0:
            self.cut(self.parser.CurrentByteIndex)
            self.parser.CharacterDataHandler = self.text

    def cdata_end(self) -> None:
        if self.parser.CharacterDataHandler == self.text:
            self.parser.CharacterDataHandler = None
            self.run = self.parser.CurrentByteIndex + 3  # after "]]>"

    def text(self, text: str) -> None:
        self.out.append(html.escape(text, quote=False).encode())

    def other(self, *_args) -> None:
        """A comment or processing instruction being copied: left out."""
        if self.run >= 0:
            at = self.parser.CurrentByteIndex
            self.cut(at)
            if self.buf.startswith(b"<!--", at):  # XML comments hold no "--": the first "-->" after "<!--" ends it
                self.run = self.buf.index(b"-->", at + 4) + 3
            else:  # <?target ...?>
                self.run = self.buf.index(b"?>", at + 2) + 2

    # -- the end
    def finish(self) -> SvgInfo:
        name_to_id = {g.title: g.mid for g in self.groups if g.mid is not None}
        others: dict[str, set[str]] = {g.title: set() for g in self.groups if g.mid is None and not g.edge}
        edges = []
        for g in self.groups:
            if g.edge:
                sep = "->" if "->" in g.title else "--"
                tail, _, head = g.title.partition(sep)
                # a Graphviz edge title is "tail->head", ports written "name:port"; names
                # of map nodes never contain "->", so the first separator splits it
                tail, head = _strip_port(tail, name_to_id, others), _strip_port(head, name_to_id, others)
                edges.append((g, tail, head))
                for a, b in ((tail, head), (head, tail)):
                    if a in others and b in name_to_id:
                        others[a].add(name_to_id[b])
        for g, tail, head in edges:
            ends: list[str] = []
            for end in (tail, head):
                if end in name_to_id:
                    ends.append(name_to_id[end])
                elif end in others:
                    ends.extend(sorted(others[end]))
            if ends:
                g.ends = " ".join(dict.fromkeys(ends))
        for g in self.groups:
            if g.mid is None and not g.edge and others.get(g.title):
                g.ends = " ".join(sorted(others[g.title]))
            if g.at >= 0:
                self.out[g.at] = b"".join((g.head, f' data-ends="{_attr(g.ends)}"'.encode() if g.ends else b"",
                                           b"/>" if g.empty else b">"))
        try:
            _, _, width, height = (float(v) for v in re.split(r"[\s,]+", (self.root.get("viewBox") or "").strip()))
        except ValueError:
            width = height = 0.0
        sx, sy, tx, ty = self.transform
        boxes = {}
        for g in self.groups:
            if g.mid is not None and g.box is not None:
                x0, y0, x1, y1 = g.box
                boxes[g.mid] = [round(sx * (x0 + tx), 1), round(sy * (y0 + ty), 1),
                                round(sx * (x1 - x0), 1), round(sy * (y1 - y0), 1)]
        found = [g.mid for g in self.groups if g.mid is not None]
        return SvgInfo(b"".join(self.out).decode("utf-8"), found, width, height, boxes)


def sanitize_svg(
    svg_text: str | bytes,
    node_ids: Iterable[str],
    labels: dict[str, str] | None = None,
    classes: dict[str, str] | None = None,
) -> SvgInfo:
    """The Graphviz SVG made safe to inline, with map ids on nodes and edges.

    ``node_ids`` are the map's ids: a ``<g class="node">`` whose ``id`` is
    ``node-<id>`` (the convention of :mod:`argmap.views.dot`) becomes
    selectable: ``data-node``, ``tabindex``, ``role``, an ``aria-label`` from
    ``labels`` and the extra ``classes`` given for its id. Every edge, and every
    helper node (a junction), gets ``data-ends``: the map ids it connects.

    One streaming pass of expat over the text, refusing entity declarations
    and external references as defusedxml does, writing as it reads: only
    drawing elements and their drawing attributes are kept (no script,
    ``foreignObject``, ``image``, ``style``, event attributes, links or outside
    ``url(...)``, comments or processing instructions). A shape that has only
    the attributes Graphviz gives shapes is copied as the parser read it
    (well-formed, its text escaped as Graphviz escaped it); every other kept
    element is written anew from its kept attributes, with its values
    escaped. Left out as well, since the page does their work: the
    ``<title>`` elements (Graphviz's names), the ``<a>`` wrapper that carries a
    map node's tooltip (the page shows the quote itself), the line breaks
    Graphviz writes between elements and the text attributes the page's CSS sets. On a 10,000-node map
    that is a third of the elements.
    """
    import xml.parsers.expat as expat

    from defusedxml.common import EntitiesForbidden, ExternalReferenceForbidden

    def no_entities(name, _param, value, base, sysid, pubid, notation):
        raise EntitiesForbidden(name, value, base, sysid, pubid, notation)

    def no_unparsed_entities(name, base, sysid, pubid, notation):
        raise EntitiesForbidden(name, None, base, sysid, pubid, notation)

    def no_external(context, base, sysid, pubid):
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    if isinstance(svg_text, str):
        svg_text = svg_text.encode("utf-8")
    if svg_text.startswith((b"\xff\xfe", b"\xfe\xff")):  # the parser would read UTF-16; copies are UTF-8
        raise ValueError("the layout did not produce a UTF-8 SVG document")
    # Graphviz puts each element on its own line: the line breaks between them go (expat makes
    # a third fewer calls), and so do the text attributes the page's CSS sets
    buf = svg_text.replace(b">\n<", b"><")
    for prefix in _GRAPHVIZ_TEXT:
        buf = buf.replace(prefix, b"<text ")
    for pattern in _ANY_VALUE_TEXT:  # Graphviz gives every text the same font, and no other element one
        found = pattern.search(buf)
        if found:
            buf = buf.replace(found.group(1), b"")
    parser = expat.ParserCreate("utf-8", " ")  # whatever the document declares: its bytes are copied
    parser.buffer_text = True
    cleaner = _SvgCleaner(buf, parser, set(node_ids), labels or {}, classes or {})
    parser.EntityDeclHandler = no_entities
    parser.UnparsedEntityDeclHandler = no_unparsed_entities
    parser.ExternalEntityRefHandler = no_external
    parser.StartElementHandler = cleaner.start
    parser.EndElementHandler = cleaner.end
    parser.CommentHandler = parser.ProcessingInstructionHandler = cleaner.other
    parser.StartCdataSectionHandler = cleaner.cdata
    parser.EndCdataSectionHandler = cleaner.cdata_end
    try:
        parser.Parse(buf, True)
    except expat.ExpatError as exc:
        raise ValueError(f"the layout did not produce a readable SVG document: {exc}") from None
    if not cleaner.root:
        raise ValueError("the layout did not produce an SVG document")
    return cleaner.finish()


def _strip_port(name: str, name_to_id: dict, others: dict) -> str:
    if name in name_to_id or name in others:
        return name
    base = name.split(":", 1)[0]
    return base if (base in name_to_id or base in others) else name


# --------------------------------------------------------------------------- article


def article_html(
    text: str,
    spans: dict[str, tuple[int, int]],
    kinds: dict[str, str],
    uncovered: Iterable[tuple[int, int]] = (),
    excluded: Iterable[tuple[int, int]] = (),
) -> str:
    """The article as ``<p>`` paragraphs with quoted passages and uncovered sentences marked.

    Where quotes overlap, a ``<mark>`` lists every node quoting it, the
    shortest quote first (a click selects the most specific node; the next
    click the next one).
    """
    from argmap.map.source import paragraphs

    n = len(text)
    # one sorted list of (position, order, what, node): ends sort before starts
    events: list[tuple[int, int, str, str | None]] = []
    for nid, (s, e) in spans.items():
        if e > s:
            events += [(max(0, s), 1, "q", nid), (min(n, e), 0, "q", nid)]
    for what, ranges in (("u", uncovered), ("x", excluded)):
        for s, e in ranges:
            if e > s:
                events += [(max(0, s), 1, what, None), (min(n, e), 0, what, None)]
    events.sort(key=lambda ev: (ev[0], ev[1]))
    length = {nid: e - s for nid, (s, e) in spans.items()}
    active: dict[str, None] = {}
    depth = {"u": 0, "x": 0}
    k = 0

    def advance(pos: int) -> None:
        """Apply every event at or before ``pos``."""
        nonlocal k
        while k < len(events) and events[k][0] <= pos:
            _, start, what, nid = events[k]
            if what == "q":
                if start:
                    active[nid] = None
                else:
                    active.pop(nid, None)
            else:
                depth[what] += 1 if start else -1
            k += 1

    out: list[str] = []
    for ps, pe in paragraphs(text):
        advance(ps)
        aside = depth["x"] > 0
        parts: list[str] = []
        a = ps
        while a < pe:
            b = events[k][0] if k < len(events) and events[k][0] < pe else pe
            if b > a:
                piece = esc(text[a:b])
                if active:
                    ids = sorted(active, key=lambda i: (length[i], i))
                    parts.append(
                        f'<mark class="q" data-n="{esc(" ".join(ids))}" data-k="{esc(kinds.get(ids[0], ""))}" '
                        f'tabindex="0">{piece}</mark>'
                    )
                elif depth["u"] > 0:
                    parts.append(f'<span class="unc">{piece}</span>')
                else:
                    parts.append(piece)
            a = b
            advance(a)
        cls = ' class="aside"' if aside else ""
        out.append(f"<p{cls}>{''.join(parts)}</p>")
    return "\n".join(out)


# --------------------------------------------------------------------------- page


@dataclass
class PageParts:
    """Everything the page shows, computed from a loaded map."""

    svg: bytes | str | None  # the Graphviz SVG (raw)
    source_text: str | None = None
    source_problem: str | None = None  # why the source could not be shown
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    coverage: Any = None  # argmap.map.source.Coverage
    diagnostics: list | None = None  # None: checks were not run


def _asset(name: str) -> str:
    return resources.files("argmap.views").joinpath("assets", name).read_text(encoding="utf-8")


def _plural(n: int, kind: str) -> str:
    return plural(n, *KIND_LABELS.get(kind, (kind, kind + "s")))


def _node_label(node, problems: int = 0) -> str:
    text = node.text if len(node.text) <= 160 else node.text[:159] + "…"
    label = f"{node.kind.value} {node.id}: {text}"
    if node.draft is not None:
        label += f" (draft {draft_confidence(node.draft)})"
    if problems:
        label += f" ({problems} problem{'s' if problems != 1 else ''})"
    return label


def draft_confidence(draft) -> str:
    """A draft's confidence as the page and the drawing show it ("0.35")."""
    return f"{draft.confidence:.2f}"


# The review panel lists at most this many drafts (lowest confidence first);
# a whole drafted map of thousands of nodes is reviewed with argmap review/accept.
REVIEW_LIMIT = 200


@dataclass
class _Prepared:
    """The page without its drawing: what :func:`prepare_page` computes while the layout runs."""

    values: dict[str, str]
    data: dict
    nodes: list  # the map's nodes, duplicates left out
    labels: dict[str, str]
    classes: dict[str, str]

    def page(self, svg: bytes | str | None) -> str:
        """The HTML page, with ``svg`` (the Graphviz SVG, raw) as its drawing."""
        values = dict(self.values)
        wide = False
        if svg:
            info = sanitize_svg(svg, [n.id for n in self.nodes], self.labels, self.classes)
            values["svg"] = info.markup
            wide = info.width > 1.25 * info.height  # printed on a landscape page
            boxes = info.boxes
        else:
            values["svg"], boxes = "", {}
        values["bodyclass"] = " ".join(c for c in (values["bodyclass"], "wide-map" if wide else "") if c)
        nodes = {mid: {**rec, "box": boxes[mid]} if mid in boxes else rec for mid, rec in self.data["nodes"].items()}
        values["data"] = script_json({**self.data, "nodes": nodes})
        return re.sub(r"<!--@(\w+)-->", lambda m: values[m.group(1)], _asset("page.html"))


def build_page(loaded, parts: PageParts) -> str:
    """The HTML page for a loaded map (pure: no files, no processes)."""
    return prepare_page(loaded, parts).page(parts.svg)


def prepare_page(loaded, parts: PageParts) -> _Prepared:
    """Everything of the page but the drawing: header, article, panel, node data.

    The node data is one JSON object, ``{"nodes": {id: {...}}, "hasSource": ...}``
    in the map's order; a node's fields are left out when empty. Its quote is
    left out too when it is the very text of its highlighted passage
    (``"quoteMarked": 1``): the page reads it from the article instead of
    carrying each quoted sentence twice.
    """
    from argmap import __version__
    from argmap.map.model import KINDS, relation_to_data

    amap = loaded.map
    seen: set[str] = set()
    unique = []
    for n in amap.nodes:  # duplicate ids are a check finding; the page shows the first
        if n.id not in seen:
            seen.add(n.id)
            unique.append(n)

    by_node: dict[str, list] = {}
    general = []
    diags = parts.diagnostics or []
    for d in sorted(diags, key=lambda d: (-d.severity.rank, d.line or 0, d.rule)):
        item = {"severity": d.severity.value, "rule": d.rule, "name": d.name, "message": d.message, "line": d.line}
        if d.node and d.node in seen:
            by_node.setdefault(d.node, []).append(item)
        else:
            general.append(item)

    has_text = parts.source_text is not None
    marked = _marked_quotes(parts.source_text, parts.spans, unique) if has_text else set()
    from argmap.checks.schemes import questions

    asked = questions(loaded.map)  # critical questions of the reasons for each node
    data_nodes = {}
    for n in unique:
        rec: dict[str, Any] = {"kind": n.kind.value, "text": n.text}
        if n.id in marked:
            rec["quoteMarked"] = 1
        elif n.quote is not None:
            rec["quote"] = n.quote
        for key, value in (
            ("actor", n.actor),
            ("supports", [relation_to_data(r) for r in n.supports]),
            ("attacks", [relation_to_data(r) for r in n.attacks]),
            ("undercuts", list(n.undercuts)),
            ("tags", list(n.tags)),
            ("note", n.note),
            ("draft", {"confidence": n.draft.confidence, "backend": n.draft.backend} if n.draft else None),
            ("problems", by_node.get(n.id)),
            ("questions", asked.get(n.id)),
        ):
            if value:
                rec[key] = value
        data_nodes[n.id] = rec
    data = {"nodes": data_nodes, "hasSource": has_text}
    labels = {n.id: _node_label(n, len(by_node.get(n.id, ()))) for n in unique}
    classes = {}
    for n in unique:
        extra = " ".join(c for c, on in (("problem", n.id in by_node), ("draft", n.draft is not None)) if on)
        if extra:
            classes[n.id] = extra

    # -- header
    src = amap.source
    title = amap.title or (src.title if src and src.title else None) or loaded.name
    by = []
    if src is not None:
        if src.title and src.title != title:
            by.append(f"<cite>{esc(src.title)}</cite>")
        if src.author:
            by.append(esc(src.author))
        if src.publisher:
            by.append(esc(src.publisher))
        if src.published:
            by.append(esc(src.published))
        url = safe_url(src.url)
        if url:
            by.append(f'<a href="{esc(url)}" rel="noopener noreferrer">{esc(_short_url(url))}</a>')
    byline = f'<p class="byline">{" · ".join(by)}</p>' if by else ""

    counts = {k: 0 for k in KINDS}
    for n in unique:
        counts[n.kind.value] += 1
    drafts = sorted((n for n in unique if n.draft is not None), key=lambda n: n.draft.confidence)
    errors = sum(1 for d in diags if d.severity.value == "error")
    warnings = sum(1 for d in diags if d.severity.value == "warning")
    stats = [f'<span class="stat"><b>{len(unique)}</b> nodes</span>']
    if drafts:
        stats.append(f'<span class="stat draft" title="nodes drafted by argmap extract, not yet reviewed">'
                     f'<b>{len(drafts)}</b> draft{"s" if len(drafts) != 1 else ""}</span>')
    cov = parts.coverage
    if cov is not None and has_text:
        pct = round(cov.ratio * 100)
        stats.append(
            f'<span class="stat" id="coverage" title="{cov.covered} of {cov.total} sentences of the article '
            f'are quoted by some node (argmap check --stats)">coverage <b>{pct}%</b></span>'
        )
    if errors or warnings:
        bits = []
        if errors:
            bits.append(f"<b>{errors}</b> error{'s' if errors != 1 else ''}")
        if warnings:
            bits.append(f"<b>{warnings}</b> warning{'s' if warnings != 1 else ''}")
        stats.append(f'<span class="stat bad" title="findings of argmap check">{", ".join(bits)}</span>')
    elif parts.diagnostics is not None:
        stats.append('<span class="stat" title="findings of argmap check">no problems</span>')

    kinds_html = "".join(
        f'<label class="chip"><input type="checkbox" checked data-kind="{k}" aria-label="show {_plural(2, k).split()[1]}">'
        f'<span class="sw kind {k}"></span>{esc(k)} <span class="note">{counts[k]}</span></label>'
        for k in KINDS if counts[k]
    )
    legend = (
        '<span class="legend" aria-hidden="true"><span><span class="q">quoted</span> by a node</span>'
        '<span><span class="unc">not quoted</span> by any node</span></span>'
        if has_text else ""
    )

    # -- overview in the details panel (shown when nothing is selected)
    ov = ['<div class="overview"><p class="hint">Click a node or a highlighted passage; drag the map to pan, '
          'wheel or pinch to zoom. Tab moves through the nodes, Enter selects, Escape clears.</p>']
    ov.append('<div class="counts">' + "".join(
        f'<span class="kind {k}">{esc(_plural(counts[k], k))}</span>' for k in KINDS if counts[k]) + "</div>")
    if drafts:
        ov.append(_review_panel(drafts))
    if parts.source_problem:
        ov.append(f'<p class="note">The article is not shown: {esc(parts.source_problem)}.</p>')
    elif src is None:
        ov.append('<p class="note">This map names no source text, so there is no article to show.</p>')
    if cov is not None and has_text:
        ov.append(
            f'<p class="note">{cov.covered} of {cov.total} sentences are quoted by some node; '
            f'{cov.quotes_found} quotes found in the text, {cov.quotes_missing} not found.</p>'
        )
    if general:
        ov.append("<h3>Check problems</h3><ul class=\"probs\">" + "".join(
            f'<li><span class="sev {esc(p["severity"])}">{esc(p["severity"])}</span>{esc(p["message"])} '
            f'<span class="nid">[{esc(p["rule"])} {esc(p["name"])}'
            f'{", line " + str(p["line"]) if p["line"] else ""}]</span></li>'
            for p in general) + "</ul>")
    node_problems = sum(len(v) for v in by_node.values())
    if node_problems:
        ov.append(f'<p class="note">{node_problems} more problem{"s" if node_problems != 1 else ""} '
                  'belong to nodes (outlined in red); select a node to see them.</p>')
    ov.append("</div>")

    # -- article
    if has_text:
        kinds = {n.id: n.kind.value for n in unique}
        uncovered = [(s.start, s.end) for s in cov.sentences if not s.covered] if cov is not None else []
        excluded = [(x.start, x.end) for x in cov.excluded] if cov is not None else []
        where = f"<span>Source: {esc(src.path)}</span>" if src is not None and src.path else "<span>Source text</span>"
        article = (
            '<article id="article" aria-label="The article">'
            f'<div class="src-head">{where}{legend}</div><div class="body">'
            + article_html(parts.source_text, parts.spans, kinds, uncovered, excluded) + "</div></article>"
        )
    else:
        article = ""

    js = _asset("page.js")
    if "</script" in js.lower():  # pragma: no cover - a packaging mistake
        raise RuntimeError("page.js must not contain '</script'")
    js_hash = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = (
        "default-src 'none'; "
        f"script-src 'sha256-{js_hash}'; "
        "style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    values = {
        "kindcss": _kind_css(),
        "csp": csp,
        "version": esc(__version__),
        "title": esc(title),
        "css": _asset("page.css"),
        "bodyclass": "no-source" if not has_text else "",
        "skipto": "article" if has_text else "details",
        "skiplabel": "Skip to the article" if has_text else "Skip to the details",
        "byline": byline,
        "stats": "".join(stats),
        "kinds": kinds_html,
        "overview": "".join(ov),
        "article": article,
        "js": js,
    }
    return _Prepared(values, data, unique, labels, classes)


def _marked_quotes(text: str, spans: dict[str, tuple[int, int]], nodes) -> set[str]:
    """Ids whose quote is exactly the text of their highlighted passage (within one paragraph)."""
    from bisect import bisect_right

    from argmap.map.source import paragraphs

    paras = paragraphs(text)
    starts = [ps for ps, _ in paras]
    out = set()
    for n in nodes:
        span = spans.get(n.id)
        if span is None or not n.quote:
            continue
        s, e = span
        i = bisect_right(starts, s) - 1
        if i >= 0 and e <= paras[i][1] and e > s and text[s:e] == n.quote:
            out.add(n.id)
    return out


def _review_panel(drafts: list) -> str:
    """The overview's list of draft nodes, lowest confidence first, each a link that selects it."""
    shown = drafts[:REVIEW_LIMIT]
    items = "".join(
        f'<li><span class="conf">{draft_confidence(n.draft)}</span>'
        f'<span class="kind {n.kind.value}">{n.kind.value}</span> '
        f'<a class="go" href="#{esc(n.id)}" data-go="{esc(n.id)}" title="{esc(n.id)}">{esc(n.text)}</a></li>'
        for n in shown
    )
    more = (f'<p class="note">… and {len(drafts) - len(shown)} more; '
            "<code>argmap check</code> lists them all.</p>" if len(drafts) > len(shown) else "")
    return (
        f'<section class="review" aria-label="Drafts to review"><h3>Drafts to review ({len(drafts)})</h3>'
        '<p class="note">Nodes drafted by <code>argmap extract</code>, lowest confidence first. '
        "Drawn with a dotted grey border; accept them with <code>argmap accept</code>.</p>"
        f'<ol class="drafts">{items}</ol>{more}</section>'
    )


def _kind_css() -> str:
    """The kinds' fill and border colours of the drawing (argmap.views.dot), as CSS variables."""
    from argmap.views.dot import KIND_STYLE

    out = []
    for kind, st in KIND_STYLE.items():
        fill, line = st.get("fillcolor"), st.get("color")
        if fill and re.fullmatch(r"#[0-9A-Fa-f]{3,8}", fill):
            out.append(f"--k-{kind}: {fill};")
        if line and re.fullmatch(r"#[0-9A-Fa-f]{3,8}", line):
            out.append(f"--kl-{kind}: {line};")
    return ":root { " + " ".join(out) + " }" if out else ""


def _short_url(url: str) -> str:
    m = re.match(r"(?i)https?://(?:www\.)?([^/?#]+)", url)
    return m.group(1) if m else url


# --------------------------------------------------------------------------- orchestration


def page_parts(loaded, svg: bytes | str | None = None, *, config=None, checks: bool = True) -> PageParts:
    """Source text, quote spans, coverage and check problems for a loaded map.

    Uses the same :class:`argmap.checks.runner.Context` as ``argmap check``,
    so the source is read under the same rules (``allow-outside-source``,
    ``max-file-size``) and the coverage is the very number ``check --stats``
    prints.
    """
    from argmap.checks.runner import Context, run_checks
    from argmap.io.config import Config

    config = config or Config()
    ctx = Context(loaded, config)
    parts = PageParts(svg=svg)
    src = ctx.source
    if src is not None:
        if src.ok:
            parts.source_text = src.text
            for node, span in zip(loaded.map.nodes, ctx.quote_spans):
                if span is not None and node.id not in parts.spans:
                    parts.spans[node.id] = span
            parts.coverage = ctx.coverage
        else:
            parts.source_problem = src.problem
    if checks:
        parts.diagnostics = run_checks(loaded, config, context=ctx)
    return parts


def render_page(loaded, dot_source: str | None = None, *, timeout: float | None = None, config=None,
                diagnostics: list | None = None) -> str:
    """The page for a loaded map: the one way the page gets its drawing.

    ``dot_source`` is what ``render --svg`` lays out, built for the page
    (``page=True``: no title, no node tooltips; the page shows both itself);
    by default the whole map with ``argmap.views.dot``'s defaults. The layout
    process starts first; while it runs, this one reads the source, finds the
    quotes, runs the checks (unless ``diagnostics`` are given, as with
    ``render --problems``) and writes the article, so the page takes little
    longer than the drawing alone.
    """
    from argmap.views.layout import DEFAULT_TIMEOUT, start_layout

    with start_layout(_page_dot(loaded, dot_source), "svg", timeout or DEFAULT_TIMEOUT) as layout:
        parts = page_parts(loaded, config=config, checks=diagnostics is None)
        if diagnostics is not None:
            parts.diagnostics = diagnostics
        prepared = prepare_page(loaded, parts)
        svg = layout.result()
    return prepared.page(svg)


def page_drawing(loaded, dot_source: str | None = None, *, timeout: float | None = None) -> bytes:
    """The raw Graphviz SVG a page shows (:func:`render_page`, ``argmap site``): ``dot_source``,
    by default the whole map drawn for the page (no title, no node tooltips), laid out."""
    from argmap.views.layout import DEFAULT_TIMEOUT, run_layout

    return run_layout(_page_dot(loaded, dot_source), "svg", timeout or DEFAULT_TIMEOUT)


def _page_dot(loaded, dot_source: str | None) -> str:
    if dot_source is None:
        from argmap.views.dot import build

        dot_source = build(loaded.map, page=True).source
    return dot_source
