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
_DROP_ATTRS = frozenset({"href", "target", "style", "requiredExtensions", "systemLanguage"})
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


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def sanitize_svg(svg_text: str, node_ids: Iterable[str], labels: dict[str, str] | None = None) -> SvgInfo:
    """The Graphviz SVG made safe to inline, with map ids on nodes and edges.

    ``node_ids`` are the map's ids: a ``<g class="node">`` whose ``id`` is
    ``node-<id>`` (the convention of :mod:`argmap.views.dot`) becomes selectable.
    """
    import xml.etree.ElementTree as ET

    from defusedxml.ElementTree import fromstring

    ids = set(node_ids)
    labels = labels or {}
    root = fromstring(svg_text.encode("utf-8") if isinstance(svg_text, str) else svg_text)
    if _local(root.tag) != "svg":
        raise ValueError("the layout did not produce an SVG document")

    allowed = {"{%s}%s" % (SVG_NS, t) for t in _SVG_ELEMENTS}

    def clean(elem) -> None:
        for child in list(elem):
            if child.tag not in allowed:  # comments, processing instructions, other elements
                elem.remove(child)
                continue
            clean(child)
        attrib = elem.attrib
        for name, value in list(attrib.items()):
            local = name.rpartition("}")[2]
            if (
                local[:2].lower() == "on"
                or local in _DROP_ATTRS
                or ("(" in value and "url(" in value.lower() and not _LOCAL_URL.fullmatch(value))
            ):
                del attrib[name]

    clean(root)
    # Graphviz draws a white background polygon and titles the graph; both get in the way.
    graph = next((g for g in root if _local(g.tag) == "g" and g.get("class") == "graph"), None)
    for g in [root, graph] if graph is not None else [root]:
        for t in [c for c in g if _local(c.tag) == "title"]:
            g.remove(t)

    name_to_id: dict[str, str] = {}
    found: list[str] = []
    others: dict[str, set[str]] = {}  # non-map nodes (junctions) -> adjacent map ids
    for g in root.iter("{%s}g" % SVG_NS):
        cls = (g.get("class") or "").split()
        if "node" not in cls:
            continue
        title = next((c for c in g if _local(c.tag) == "title"), None)
        gv_name = title.text if title is not None and title.text is not None else ""
        gid = g.get("id") or ""
        mid = gid[len(NODE_ID_PREFIX):] if gid.startswith(NODE_ID_PREFIX) else None
        if mid in ids:
            name_to_id[gv_name] = mid
            found.append(mid)
            g.set("data-node", mid)
            g.set("tabindex", "0")
            g.set("role", "button")
            g.set("focusable", "true")
            g.set("aria-label", labels.get(mid, mid))
            if title is not None:  # the tooltip (the quote) stays on the inner <a>
                g.remove(title)
        else:
            others[gv_name] = set()
    edges = []
    for g in root.iter("{%s}g" % SVG_NS):
        if "edge" not in (g.get("class") or "").split():
            continue
        title = next((c for c in g if _local(c.tag) == "title"), None)
        text = title.text if title is not None and title.text else ""
        sep = "->" if "->" in text else "--"
        tail, _, head = text.partition(sep)
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
            g.set("data-ends", " ".join(dict.fromkeys(ends)))
    for g in root.iter("{%s}g" % SVG_NS):
        if "node" in (g.get("class") or "").split() and g.get("data-node") is None:
            title = next((c for c in g if _local(c.tag) == "title"), None)
            name = title.text if title is not None and title.text else ""
            if others.get(name):
                g.set("data-ends", " ".join(sorted(others[name])))
    for attr in ("width", "height"):
        root.attrib.pop(attr, None)
    root.set("preserveAspectRatio", "xMidYMid meet")
    root.set("role", "group")
    root.set("aria-label", "Argument map")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    markup = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    try:
        _, _, width, height = (float(v) for v in re.split(r"[\s,]+", (root.get("viewBox") or "").strip()))
    except ValueError:
        width = height = 0.0
    return SvgInfo(markup, found, width, height)


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

    svg: str | None  # the Graphviz SVG (raw)
    source_text: str | None = None
    source_problem: str | None = None  # why the source could not be shown
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    coverage: Any = None  # argmap.map.source.Coverage
    diagnostics: list | None = None  # None: checks were not run


def _asset(name: str) -> str:
    return resources.files("argmap.views").joinpath("assets", name).read_text(encoding="utf-8")


def _plural(n: int, kind: str) -> str:
    return plural(n, *KIND_LABELS.get(kind, (kind, kind + "s")))


def _node_label(node) -> str:
    text = node.text if len(node.text) <= 160 else node.text[:159] + "…"
    return f"{node.kind.value} {node.id}: {text}"


def build_page(loaded, parts: PageParts) -> str:
    """The HTML page for a loaded map (pure: no files, no processes)."""
    from argmap import __version__
    from argmap.map.model import KINDS, relation_to_data

    amap = loaded.map
    nodes = amap.nodes
    seen: set[str] = set()
    unique = []
    for n in nodes:  # duplicate ids are a check finding; the page shows the first
        if n.id not in seen:
            seen.add(n.id)
            unique.append(n)
    labels = {n.id: _node_label(n) for n in unique}
    svg_markup = ""
    wide = False
    if parts.svg:
        info = sanitize_svg(parts.svg, [n.id for n in unique], labels)
        svg_markup = info.markup
        wide = info.width > 1.25 * info.height  # printed on a landscape page

    by_node: dict[str, list] = {}
    general = []
    diags = parts.diagnostics or []
    for d in sorted(diags, key=lambda d: (-d.severity.rank, d.line or 0, d.rule)):
        item = {"severity": d.severity.value, "rule": d.rule, "name": d.name, "message": d.message, "line": d.line}
        if d.node and d.node in seen:
            by_node.setdefault(d.node, []).append(item)
        else:
            general.append(item)

    data_nodes = {}
    for n in unique:
        data_nodes[n.id] = {
            "kind": n.kind.value,
            "text": n.text,
            "quote": n.quote,
            "actor": n.actor,
            "supports": [_rel(relation_to_data(r)) for r in n.supports],
            "attacks": [_rel(relation_to_data(r)) for r in n.attacks],
            "undercuts": list(n.undercuts),
            "tags": list(n.tags),
            "note": n.note,
            "draft": ({"confidence": n.draft.confidence, "backend": n.draft.backend} if n.draft else None),
            "problems": by_node.get(n.id, []),
        }
    has_text = parts.source_text is not None
    data = {"nodes": data_nodes, "order": [n.id for n in unique], "hasSource": has_text}

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
    errors = sum(1 for d in diags if d.severity.value == "error")
    warnings = sum(1 for d in diags if d.severity.value == "warning")
    stats = [f'<span class="stat"><b>{len(unique)}</b> nodes</span>']
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
    ov = ['<div class="overview"><p class="hint">Click a node or a highlighted passage; '
          'Tab moves through the nodes, Enter selects, Escape clears.</p>']
    ov.append('<div class="counts">' + "".join(
        f'<span class="kind {k}">{esc(_plural(counts[k], k))}</span>' for k in KINDS if counts[k]) + "</div>")
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

    # -- print index
    index = ["<h2>Nodes</h2><dl>"]
    for n in unique:
        rels = []
        for rel in ("supports", "attacks"):
            targets = [r.to for r in getattr(n, rel)]
            if targets:
                rels.append(f"{rel} {', '.join(targets)}")
        if n.undercuts:
            rels.append("undercuts " + ", ".join(n.undercuts))
        index.append(
            f'<dt><span class="kind {n.kind.value}">{n.kind.value}</span> {esc(n.id)}</dt>'
            f"<dd>{esc(n.text)}{'<br><i>' + esc('; '.join(rels)) + '</i>' if rels else ''}</dd>"
        )
    index.append("</dl>")

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
    body_class = " ".join(c for c, on in (("no-source", not has_text), ("wide-map", wide)) if on)
    values = {
        "kindcss": _kind_css(),
        "csp": csp,
        "version": esc(__version__),
        "title": esc(title),
        "css": _asset("page.css"),
        "bodyclass": body_class,
        "skipto": "article" if has_text else "details",
        "skiplabel": "Skip to the article" if has_text else "Skip to the details",
        "byline": byline,
        "stats": "".join(stats),
        "kinds": kinds_html,
        "svg": svg_markup,
        "overview": "".join(ov),
        "article": article,
        "index": "".join(index),
        "data": script_json(data),
        "js": js,
    }
    return re.sub(r"<!--@(\w+)-->", lambda m: values[m.group(1)], _asset("page.html"))


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


def _rel(value) -> dict:
    return {"to": value} if isinstance(value, str) else value


def _short_url(url: str) -> str:
    m = re.match(r"(?i)https?://(?:www\.)?([^/?#]+)", url)
    return m.group(1) if m else url


# --------------------------------------------------------------------------- orchestration


def page_parts(loaded, svg: str | None, *, config=None, checks: bool = True) -> PageParts:
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


def map_svg(loaded, *, diagnostics=None, timeout: float | None = None, **dot_options) -> str:
    """The map drawn as by ``render --svg``, without the title (the page's header shows it)."""
    from argmap.views.dot import build_dot
    from argmap.views.layout import DEFAULT_TIMEOUT, render_svg

    dot_options.setdefault("title", False)
    return render_svg(build_dot(loaded.map, problems=diagnostics, **dot_options), timeout or DEFAULT_TIMEOUT)


def render_html(loaded, svg: str, *, config=None, checks: bool = True) -> str:
    """The page for a loaded map, given the SVG that ``render --svg`` draws for it."""
    return build_page(loaded, page_parts(loaded, svg, config=config, checks=checks))
