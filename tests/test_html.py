"""The HTML page of ``argmap render --html``: built in Python, checked as text.

The browser tests (interaction, layout, no network) are in test_html_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, SEED_MAP

# --------------------------------------------------------------------------- helpers (also used by the browser tests)

def page_for(map_path: Path, **kwargs) -> str:
    """The page ``render --html`` writes for a map (real Graphviz layout, the same function)."""
    from argmap.io.loading import load_map
    from argmap.views.html import render_page

    return render_page(load_map(map_path), **kwargs)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


class Outline(HTMLParser):
    """Collects what the tests look at: elements with attributes, scripts, text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._in_script: dict | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "script":
            self._in_script, self._buf = a, []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)
        else:
            self.text.append(data)

    def all(self, tag, **attrs):
        return [a for t, a in self.elements if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def outline(page: str) -> Outline:
    o = Outline()
    o.feed(page)
    o.close()
    return o


def page_data(page: str) -> dict:
    o = outline(page)
    (raw,) = [body for attrs, body in o.scripts if attrs.get("type") == "application/json"]
    return json.loads(raw)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def seed_page() -> str:
    return page_for(SEED_MAP)


HOSTILE = """
argmap: 1
title: "Evil </title><script>window.__pwned = 1</script>"
source:
  text: |
    Intro <b>bold</b> & <script>window.__pwned = 2</script> end.

    Second paragraph says ]]> and </p></article><img src=x onerror="window.__pwned=3">.
  url: "javascript:window.__pwned=4"
  author: "<i onmouseover=alert(1)>A</i>"
nodes:
  - id: t
    kind: thesis
    text: "<img src=x onerror=\\"window.__pwned=5\\"> & </script><script>window.__pwned=6</script>"
    quote: "<script>window.__pwned = 2</script>"
    note: "<a href='javascript:alert(1)'>click</a>"
    tags: ["</script>", "<!--"]
  - id: c
    kind: claim
    text: "Quote with <tags> and \\u2028 separators"
    actor: "<svg onload=alert(1)>"
    quote: "]]> and </p></article><img src=x onerror=\\"window.__pwned=3\\">"
    supports: [t]
"""


# --------------------------------------------------------------------------- pure helpers


def test_script_json_cannot_close_the_script_element():
    from argmap.views.html import script_json

    data = {"a": "</script><!-- <script>", "b": "x & y > z", "c": "\u2028\u2029"}
    text = script_json(data)
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == data


@pytest.mark.parametrize(
    "url, ok",
    [
        ("https://www.atlanticcouncil.org/blogs/new-atlanticist/x/", True),
        ("http://example.org/a?b=c#d", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("//evil.example/x", False),
        ("https://ex ample.org", False),
        ('https://example.org/"onmouseover="x', False),
        ("", False),
        (None, False),
    ],
)
def test_only_http_urls_become_links(url, ok):
    from argmap.views.html import safe_url

    assert (safe_url(url) is not None) is ok


def test_sanitize_svg_drops_active_content_and_tags_nodes():
    from argmap.views.html import sanitize_svg

    svg = """<?xml version="1.0"?>
    <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100pt" height="50pt"
         viewBox="0 0 100 50" onload="alert(1)">
      <style>@import url(https://evil.example/x.css);</style>
      <script>alert(2)</script>
      <g id="graph0" class="graph" transform="scale(1 1) rotate(0) translate(4 46)"><title>G</title>
        <g id="node-a" class="node claim"><title>a</title>
          <g id="a_node-a"><a xlink:href="javascript:alert(3)" xlink:title="the quote">
          <path d="M10,-40C10,-40 30,-40 30,-40 30,-30 10,-30 10,-40" fill="url(https://evil.example/p)"/>
          <text xml:space="preserve" text-anchor="start" x="12" y="-35" font-family="Helvetica,sans-Serif"
                onclick="alert(4)">A &lt;b&gt;</text>
          <text text-anchor="middle" x="20" y="-32"><title>no <b>markup</b> here</title>x</text></a></g></g>
        <g id="node-b" class="node"><title>b</title><ellipse fill="url(#grad)" cx="50" cy="-10" rx="5" ry="2"/></g>
        <g id="node-x" class="node"><title>x</title><g id="a_node-x"><a xlink:title="a junction">
          <polygon points="0,0"/></a></g></g>
        <g id="edge1" class="edge"><title>a&#45;&gt;x</title><path d="M0,0"/></g>
        <g id="edge2" class="edge"><title>x&#45;&gt;b</title><path d="M0,0"/></g>
        <foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>
        <image xlink:href="https://evil.example/i.png"/>
      </g>
    </svg>"""
    info = sanitize_svg(svg, ["a", "b"], {"a": "claim a: A <b>"}, {"a": "draft problem"})
    m = info.markup
    for bad in ("<script", "<style", "onload", "onclick", "javascript:", "evil.example", "foreignObject", "<image",
                "<title", "markup"):
        assert bad not in m, bad
    assert 'url(#grad)' in m  # local paint servers stay
    assert info.nodes == ["a", "b"]
    assert 'data-node="a"' in m and 'data-node="b"' in m and 'data-node="x"' not in m
    assert 'class="node claim draft problem"' in m
    assert 'aria-label="claim a: A &lt;b&gt;"' in m
    assert 'tabindex="0"' in m
    # x is not a map node (a junction, say): it and the edges through it carry the map ids around it
    assert m.count('data-ends="a b"') == 3
    assert "A &lt;b&gt;" in m  # text stays text
    assert 'width="100pt"' not in m and 'viewBox="0 0 100 50"' in m
    # a map node's tooltip wrapper goes (the page shows the quote); a junction keeps its tooltip
    assert 'xlink:title="a junction"' in m and "the quote" not in m and "a_node-a" not in m
    # the font and the kept spaces are the page's CSS, "start" is the default anchor; empty elements
    # stay empty; what is left is well-formed
    assert "font-family" not in m and 'text-anchor="start"' not in m and 'text-anchor="middle"' in m
    assert "xml:space" not in m
    assert "></path>" not in m and "/>" in m
    import xml.dom.minidom

    xml.dom.minidom.parseString(m)
    # node boxes in viewBox units (the graph's translation applied)
    assert info.boxes == {"a": [14.0, 6.0, 20.0, 10.0], "b": [49.0, 34.0, 10.0, 4.0]}


def test_sanitize_svg_keeps_the_drawing_of_drafts():
    """Draft nodes are drawn by the DOT builder (a dotted grey border and a "draft 0.35" badge):
    the page keeps every drawing attribute, so they show as in render --svg."""
    from argmap.views.html import sanitize_svg

    svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g class="graph">
      <g id="node-d" class="node claim draft"><title>d</title>
        <path fill="#dae8fc" stroke="#9e9e9e" stroke-dasharray="1,5" stroke-width="1.5" d="M0,0 L5,5"/>
        <text x="1" y="1" font-size="9.00" fill="#757575">draft 0.35</text></g></g></svg>"""
    m = sanitize_svg(svg, ["d"], classes={"d": "draft"}).markup
    assert 'stroke-dasharray="1,5"' in m and 'stroke="#9e9e9e"' in m and ">draft 0.35</text>" in m
    assert 'class="node claim draft"' in m  # the page's class is not added twice


def _drawing_by_the_rules(svg: bytes, map_ids: set[str]) -> list:
    """What sanitize_svg must keep of a drawing, worked out on ElementTree's reading of it:
    (tag, attributes, text) of each kept element in document order."""
    import xml.etree.ElementTree as ET

    from argmap.views.html import _SVG_ELEMENTS

    ns = "{http://www.w3.org/2000/svg}"
    names = {"{http://www.w3.org/1999/xlink}": "xlink:", "{http://www.w3.org/XML/1998/namespace}": "xml:"}
    kept = []

    def attrs(local, el):
        out = {}
        for name, value in el.attrib.items():
            if name.startswith("{"):
                uri, _, short = name[1:].partition("}")
                if "{" + uri + "}" not in names:
                    continue
                name = names["{" + uri + "}"] + short
            short = name.rpartition(":")[2]
            if short.lower().startswith("on") or short in ("href", "target", "style"):
                continue
            if "url(" in value.lower() and not re.fullmatch(r"\s*url\(#[\w.:-]+\)\s*", value):
                continue
            if local == "text" and (name == "font-family" or (name, value) in (
                    ("text-anchor", "start"), ("xml:space", "preserve"))):
                continue
            out[name] = value
        return out

    def walk(el, node):
        local = el.tag[len(ns):] if el.tag.startswith(ns) else ""
        if local not in _SVG_ELEMENTS or local == "title":
            return
        if local == "g" and node is None and ("node" in el.get("class", "") or "edge" in el.get("class", "")):
            mid = el.get("id", "")[len("node-"):] if el.get("id", "").startswith("node-") else None
            node = mid if mid in map_ids else ""
        unwrap = node and (local == "a" or local == "g" and el.get("id", "").startswith("a_"))
        if not unwrap:
            kept.append((local, attrs(local, el), (el.text or "") if local == "text" else ""))
        for child in el:
            walk(child, node)

    walk(ET.fromstring(svg), None)
    return kept


def _drawing_as_kept(markup: str) -> list:
    """(tag, attributes, text) of each element of sanitize_svg's output, in document order, leaving
    out the attributes the page adds."""
    import xml.etree.ElementTree as ET

    added = {"data-node", "tabindex", "role", "aria-label", "data-ends", "preserveAspectRatio"}
    out = []
    for el in ET.fromstring(markup).iter():
        local = el.tag.rpartition("}")[2]
        attrib = {k.replace("{http://www.w3.org/1999/xlink}", "xlink:").replace(
            "{http://www.w3.org/XML/1998/namespace}", "xml:"): v for k, v in el.attrib.items() if k not in added}
        if local == "svg" and not out:
            attrib.pop("role", None)
        out.append((local, attrib, (el.text or "") if local == "text" else ""))
    return out


@pytest.mark.parametrize("drafted", [False, True])
def test_sanitize_svg_keeps_what_the_rules_keep_of_a_real_drawing(drafted):
    """On Graphviz's own drawing of the seed map (most shapes copied as the parser read them,
    groups written anew), the output holds exactly the elements, attributes and texts the
    rules keep, in the same order; the text attributes and Graphviz's line breaks are gone."""
    import xml.etree.ElementTree as ET

    from argmap.io.loading import load_map
    from argmap.views.html import page_drawing, sanitize_svg

    loaded = load_map(SEED_MAP)
    if drafted:  # drafts: drawn with their own border, and given the page's extra class
        from argmap.map.model import Draft

        for n in loaded.map.nodes[:5]:
            n.draft = Draft(confidence=0.4, backend="heuristic")
    svg = page_drawing(loaded)
    ids = [n.id for n in loaded.map.nodes]
    classes = {i: "draft" for i in ids[:5]} if drafted else {}
    info = sanitize_svg(svg, ids, {i: f"label {i}" for i in ids}, classes)
    m = info.markup
    expected = _drawing_by_the_rules(svg, set(ids))
    expected[0][1].pop("width"), expected[0][1].pop("height")
    got = _drawing_as_kept(m)
    if drafted:  # the page's classes join Graphviz's
        expected = [(t, {**a, "class": " ".join(dict.fromkeys(a["class"].split() + ["draft"]))}
                     if t == "g" and a.get("id", "").startswith("node-") and a["id"][5:] in ids[:5] else a, x)
                    for t, a, x in expected]
    assert got == expected
    assert len(got) > 10 * len(ids)  # a drawing, not an empty shell
    assert sorted(info.nodes) == sorted(ids) and set(info.boxes) == set(ids)
    assert ">\n<" not in m and "font-family" not in m and "xml:space" not in m
    assert m.count('data-node="') == len(ids)
    root = ET.fromstring(m)
    assert root.get("role") == "group" and root.get("width") is None


def test_sanitize_svg_leaves_out_comments_instructions_and_cdata_markup():
    """Comments and processing instructions go; a CDATA section's text stays text. HTML reads an
    XML comment such as <!--> differently (it ends there), so none may reach the page."""
    from argmap.views.html import sanitize_svg

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g class="graph">'
           '<g id="node-a" class="node"><title>a</title><!--><script>alert(1)</script>-->'
           '<path fill="red" d="M0,0 L5,5"/><?xml-stylesheet href="https://evil.example/x.css"?>'
           '<text x="1" y="2">one <!-- two --><![CDATA[</svg><script>alert(2)</script>]]> three</text>'
           '<path fill="blue" d="M1,1 L2,2" onclick="alert(3)"/><polygon fill="URL(https://evil.example/p)" '
           'stroke="url(#ok)" points="0,0 1,1"/></g></g></svg>')
    m = sanitize_svg(svg, ["a"]).markup
    for bad in ("<!--", "<script", "<?", "evil.example", "onclick", "CDATA"):
        assert bad not in m, bad
    assert "one &lt;/svg&gt;&lt;script&gt;alert(2)&lt;/script&gt; three</text>" in m
    assert '<path fill="red" d="M0,0 L5,5"/>' in m and '<path fill="blue" d="M1,1 L2,2"/>' in m
    assert '<polygon stroke="url(#ok)" points="0,0 1,1"/>' in m
    import xml.dom.minidom

    xml.dom.minidom.parseString(m)


@pytest.mark.parametrize("fill", ["u&#114;l(https://evil.example/x)", "url&#40;https://evil.example/x)",
                                  "&#x55;RL(https://evil.example/x)", "url&lpar;https://evil.example/x)"])
def test_sanitize_svg_copies_no_url_spelt_with_references(fill):
    """A value a browser would read as an outside url(...) once it decodes a character reference
    (or a named one, which expat skips under Graphviz's DOCTYPE) is never copied as it stands."""
    from argmap.views.html import sanitize_svg

    svg = ('<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
           '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
           '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g class="graph">'
           f'<g id="node-a" class="node"><title>a</title><path fill="{fill}" d="M0,0 L5,5"/>'
           '<path fill="red" d="M1,1 L2,2"/></g></g></svg>')
    import xml.etree.ElementTree as ET

    m = sanitize_svg(svg, ["a"]).markup
    assert "&lpar;" not in m  # (ElementTree, like the browser, reads the references below)
    values = [v.lower() for el in ET.fromstring(m).iter() for v in el.attrib.values()]
    assert not any("url(" in v for v in values)
    assert '<path fill="red" d="M1,1 L2,2"/>' in m


def test_sanitize_svg_drops_links_and_styles_in_any_case():
    from argmap.views.html import sanitize_svg

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g class="graph">'
           '<g id="node-a" class="node"><title>a</title><path STYLE="fill:red" d="M0,0"/>'
           '<text x="1" y="1" OnClick="alert(1)">t</text></g>'
           '<a HREF="javascript:alert(2)" Target="_top"><text x="2" y="2">l</text></a></g></svg>')
    m = sanitize_svg(svg, ["a"]).markup.lower()
    for bad in ("style", "onclick", "href", "javascript", "target"):
        assert bad not in m, bad


@pytest.mark.parametrize("data", [
    '<?xml version="1.0" encoding="ISO-8859-1"?><svg xmlns="http://www.w3.org/2000/svg"><text>\xe9</text></svg>'
    .encode("latin-1"),
    '<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>'.encode("utf-16"),
])
def test_sanitize_svg_reads_utf8_only(data):
    """Shapes are copied as bytes into a UTF-8 page: a drawing in another encoding is refused with
    the sanitizer's one error, not a crash."""
    from argmap.views.html import sanitize_svg

    with pytest.raises(ValueError, match="the layout did not produce"):
        sanitize_svg(data, [])


def test_sanitize_svg_refuses_entities():
    from defusedxml import DefusedXmlException

    from argmap.views.html import sanitize_svg

    bomb = '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>'
    with pytest.raises(DefusedXmlException):
        sanitize_svg(bomb, [])


def test_article_keeps_paragraphs_and_marks_overlapping_quotes():
    from argmap.views.html import article_html

    text = "First sentence here. Second one follows.\n\nThird <para> & more.\nSame paragraph.\n"
    long_ = (0, text.index("follows.") + len("follows."))  # both sentences
    short = (text.index("Second"), text.index(" follows"))  # inside the long one
    third = (text.index("Third"), text.index("more.") + 5)
    unc = [(text.index("Same"), len(text) - 1)]
    out = article_html(text, {"long": long_, "short": short, "third": third},
                       {"long": "claim", "short": "premise", "third": "thesis"}, unc)
    paras = re.findall(r"<p>(.*?)</p>", out, re.S)
    assert len(paras) == 2
    assert re.sub(r"<[^>]+>", "", paras[0]) == "First sentence here. Second one follows."
    # the overlap lists both nodes, shortest quote first, coloured by that node's kind
    assert '<mark class="q" data-n="short long" data-k="premise" tabindex="0">Second one</mark>' in out
    assert '<mark class="q" data-n="long" data-k="claim" tabindex="0">First sentence here. </mark>' in out
    assert "Third &lt;para&gt; &amp; more." in out
    assert '<span class="unc">Same paragraph.</span>' in out
    assert "\nSame" in re.sub(r"<[^>]+>", "", paras[1])  # the line break inside a paragraph survives


def test_quote_across_a_paragraph_break_is_marked_in_both():
    from argmap.views.html import article_html

    text = "One two.\n\nThree four."
    out = article_html(text, {"n": (4, 17)}, {"n": "claim"})
    assert out.count('data-n="n"') == 2
    assert out.count("<p>") == 2


# --------------------------------------------------------------------------- the seed map's page


def test_seed_page_is_self_contained(seed_page):
    o = outline(seed_page)
    # no element loads anything: no src, no stylesheet links, no external href but http(s) links
    for tag, attrs in o.elements:
        assert "src" not in attrs, (tag, attrs)
        if tag == "link":
            pytest.fail(f"external resource link {attrs}")
        for k, v in attrs.items():
            if k in ("href", "xlink:href") and v:
                assert v.startswith("#") or v.startswith(("https://", "http://")), (tag, attrs)
    assert not re.search(r"@import|url\((?!#)", seed_page), "CSS must not reference outside resources"
    assert "<iframe" not in seed_page and "<object" not in seed_page and "<embed" not in seed_page
    # exactly two scripts: the JSON data and the page's own code, which the CSP allows by hash
    assert len(o.scripts) == 2
    (code,) = [body for attrs, body in o.scripts if "type" not in attrs]
    (meta,) = o.all("meta", **{"http-equiv": "Content-Security-Policy"})
    csp = meta["content"]
    digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "connect-src" not in csp and "font-src" not in csp  # both fall back to 'none'


def test_seed_page_shows_every_node_and_every_quote(seed_page):
    from argmap.io.loading import load_map
    from argmap.map.source import locate_quote, normalize

    loaded = load_map(SEED_MAP)
    o = outline(seed_page)
    drawn = [a["data-node"] for a in o.all("g") if "data-node" in a]
    assert sorted(drawn) == sorted(n.id for n in loaded.map.nodes)
    data = page_data(seed_page)
    assert list(data["nodes"]) == [n.id for n in loaded.map.nodes]  # in the map's order
    text = (SEED_MAP.parent / loaded.map.source.path).read_text(encoding="utf-8")
    marks = {}
    for attrs in o.all("mark"):
        for nid in attrs["data-n"].split():
            marks.setdefault(nid, 0)
            marks[nid] += 1
    import html as _html

    passages: dict[str, str] = {}  # what the page shows as a node's quote when the data leaves it out
    for ids, inner in re.findall(r'<mark class="q" data-n="([^"]*)"[^>]*>(.*?)</mark>', seed_page, re.S):
        for nid in ids.split():
            passages[nid] = passages.get(nid, "") + _html.unescape(inner)
    deduped = 0
    for n in loaded.map.nodes:
        rec = data["nodes"][n.id]
        assert rec["text"] == n.text
        if n.quote and locate_quote(text, n.quote):
            assert n.id in marks, f"{n.id}'s quote is not marked in the article"
        if rec.get("quoteMarked"):  # the quote travels once, as the article's passage
            assert "quote" not in rec and passages[n.id] == n.quote
            deduped += 1
        else:
            assert rec.get("quote") == n.quote
    assert deduped > len(loaded.map.nodes) // 2
    # the article text is all there, paragraph by paragraph
    body = seed_page.split('<div class="body">', 1)[1].split("</article>", 1)[0]
    shown = _html.unescape(re.sub(r"<[^>]+>", "", body))
    assert normalize(" ".join(shown.split())) == normalize(" ".join(text.split()))
    assert body.count("<p") == len([p for p in re.split(r"\n\s*\n", text) if p.strip()])


def test_seed_page_coverage_is_the_check_stats_number(seed_page):
    from argmap.checks.runner import Context
    from argmap.io.config import Config
    from argmap.io.loading import load_map

    cov = Context(load_map(SEED_MAP), Config()).coverage
    m = re.search(r'id="coverage"[^>]*>coverage <b>(\d+)%</b>', seed_page)
    assert m, "no coverage figure in the header"
    assert int(m.group(1)) == round(cov.ratio * 100)
    assert f"{cov.covered} of {cov.total} sentences" in seed_page


def test_uncovered_sentences_are_marked(tmp_path):
    src = write(tmp_path, "a.txt", """
        The first sentence makes the claim. The second sentence is never quoted.

        A third sentence supports it.
    """)
    m = write(tmp_path, "a.yaml", f"""
        argmap: 1
        source: {{path: {src.name}}}
        nodes:
          - {{id: c, kind: claim, text: The claim., quote: "The first sentence makes the claim"}}
          - {{id: p, kind: premise, text: Support., quote: "a third sentence supports it", supports: [c]}}
    """)
    page = page_for(m)
    assert '<span class="unc">The second sentence is never quoted.</span>' in page
    assert re.search(r'coverage <b>67%</b>', page)
    assert '<mark class="q" data-n="p" data-k="premise" tabindex="0">A third sentence supports it</mark>' in page


def test_hostile_map_is_escaped_everywhere(tmp_path):
    m = write(tmp_path, "evil.yaml", HOSTILE)
    page = page_for(m)
    o = outline(page)
    assert len(o.scripts) == 2, "map text opened a script element"
    assert not o.all("img") and not o.all("svg", onload="alert(1)")
    assert not [a for t, a in o.elements if any("javascript:" in (v or "").lower() for v in a.values())]
    assert "window.__pwned=4" not in page.split("<script", 1)[0]  # the javascript: source url is no link
    assert not [a for t, a in o.elements if any(k.startswith("on") for k in a)], "an event handler attribute"
    text = "".join(o.text)
    assert "Evil </title><script>window.__pwned = 1</script>" in text  # shown, as text
    assert "Intro <b>bold</b> & <script>window.__pwned = 2</script> end." in text
    assert "<i onmouseover=alert(1)>A</i>" in text  # the author, in the byline
    data = page_data(page)
    assert data["nodes"]["t"]["tags"] == ["</script>", "<!--"]
    assert data["nodes"]["c"]["actor"] == "<svg onload=alert(1)>"
    # both quotes were still found and marked in the (escaped) article
    marks = {a["data-n"] for a in o.all("mark")}
    assert "t" in marks and "c" in marks


def test_map_without_source_has_no_article(tmp_path):
    m = write(tmp_path, "bare.yaml", """
        argmap: 1
        title: Bare
        nodes:
          - {id: t, kind: thesis, text: A thesis., quote: "some words"}
          - {id: o, kind: objection, text: An objection., attacks: [t]}
    """)
    page = page_for(m)
    o = outline(page)
    assert not o.all("article")
    assert "no-source" in o.all("body")[0]["class"]
    assert "names no source text" in page
    assert 'id="coverage"' not in page
    assert sorted(a["data-node"] for a in o.all("g") if "data-node" in a) == ["o", "t"]


def test_unreadable_source_is_explained_not_fatal(tmp_path):
    m = write(tmp_path, "lost.yaml", """
        argmap: 1
        source: {path: missing.txt}
        nodes:
          - {id: t, kind: thesis, text: A thesis., quote: "some words"}
    """)
    page = page_for(m)
    assert "The article is not shown: source.path &#x27;missing.txt&#x27; does not exist" in page
    assert not outline(page).all("article")


def import_corpus_map(xml: Path, out: Path) -> Path:
    """``argmap import XML --inline-source -o OUT``: a corpus map carrying its original text."""
    from typer.testing import CliRunner

    from argmap.cli import app

    result = CliRunner().invoke(app, ["import", str(xml), "--inline-source", "-q", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("name", ["micro_b001", "micro_k012"])
def test_imported_corpus_map_with_inline_text(tmp_path, corpora, name):
    from argmap.io.loading import load_map
    from argmap.map.source import locate_quote

    m = import_corpus_map(corpora / "microtexts" / f"{name}.xml", tmp_path / f"{name}.yaml")
    loaded = load_map(m)
    text = loaded.map.source.text
    assert text and loaded.map.source.path is None
    page = page_for(m)
    o = outline(page)
    assert len(o.all("article")) == 1
    assert "Source text" in page  # no file path to show
    marked = {nid for a in o.all("mark") for nid in a["data-n"].split()}
    expected = {n.id for n in loaded.map.nodes if n.quote and locate_quote(text, n.quote)}
    assert expected and marked == expected
    assert re.search(r'id="coverage"[^>]*>coverage <b>\d+%</b>', page)
    undercuts = [n for n in loaded.map.nodes if n.undercuts]
    for n in undercuts:  # undercuts show in the data the panel is built from
        assert page_data(page)["nodes"][n.id]["undercuts"] == list(n.undercuts)


def test_problems_are_attached_to_their_nodes(tmp_path):
    src = write(tmp_path, "a.txt", "The only sentence of the article.\n")
    m = write(tmp_path, "p.yaml", f"""
        argmap: 1
        source: {{path: {src.name}}}
        nodes:
          - {{id: t, kind: thesis, text: The thesis., quote: "The only sentence"}}
          - {{id: c, kind: claim, text: A claim., quote: "words the article never says", supports: [nowhere]}}
    """)
    page = page_for(m)
    data = page_data(page)
    rules = {p["name"] for p in data["nodes"]["c"]["problems"]}
    assert rules, "the claim's problems are missing"
    assert any("quote" in r for r in rules) and any("dangling" in r or "relation" in r for r in rules), rules
    assert all(p["severity"] in ("error", "warning", "info") for p in data["nodes"]["c"]["problems"])
    assert re.search(r'class="stat bad"[^>]*><b>\d+</b> error', page)


def test_assets_are_package_data():
    from importlib import resources

    for name in ("page.html", "page.css", "page.js"):
        assert resources.files("argmap.views").joinpath("assets", name).is_file()


def test_wheel_contains_the_assets(tmp_path):
    """hatchling ships everything under src/argmap, the page assets included."""
    import zipfile

    from conftest import need

    try:
        import hatchling  # noqa: F401
    except ImportError:
        need(False, "hatchling (the build backend, in the 'test' extras) is not installed")

    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("argmap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("page.html", "page.css", "page.js"):
        assert f"argmap/views/assets/{name}" in names


# --------------------------------------------------------------------------- the command


def _cli(args):
    from typer.testing import CliRunner

    from argmap.cli import app

    return CliRunner().invoke(app, args)


def test_render_html_writes_next_to_the_map(tmp_path):
    import shutil

    seeds = tmp_path / "seeds"
    maps = tmp_path / "maps"
    seeds.mkdir()
    maps.mkdir()
    shutil.copy(SEED_MAP, maps / SEED_MAP.name)
    shutil.copy(ROOT / "seeds" / "opportunity-knocks-nato-asia-pacific.txt", seeds)
    # not in a repository: ../seeds leaves the map's folder, so the source is not read (as in check)
    result = _cli(["render", str(maps / SEED_MAP.name), "--html"])
    assert result.exit_code == 0, result.output
    page = (maps / "nato-asia-pacific.html").read_text(encoding="utf-8")
    assert not outline(page).all("article") and "leads outside the map" in page
    # in a repository, the source beside the maps folder is read
    (tmp_path / ".git").mkdir()
    result = _cli(["render", str(maps / SEED_MAP.name), "--html"])
    assert result.exit_code == 0, result.output
    page = (maps / "nato-asia-pacific.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert len(outline(page).all("article")) == 1
    assert "wrote" in result.output and "nato-asia-pacific.html" in result.output
    # the drawing is the one render --svg makes (same DOT, minus the title the page shows itself)
    drawn = [a["data-node"] for a in outline(page).all("g") if "data-node" in a]
    assert len(drawn) == 59


def test_render_html_to_a_named_file_and_stdout(tmp_path):
    out = tmp_path / "page.html"
    result = _cli(["render", str(SEED_MAP), "--html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert not list(tmp_path.glob(".page.html.*"))  # no temporary file left behind
    result = _cli(["render", str(SEED_MAP), "--html", "-o", "-"])
    assert result.exit_code == 0
    assert "<!DOCTYPE html>" in result.stdout


def test_render_html_exit_codes(tmp_path):
    missing = _cli(["render", str(tmp_path / "nope.yaml"), "--html"])
    assert missing.exit_code == 2 and "no such file" in missing.output
    bad = write(tmp_path, "bad.yaml", "argmap: 1\nnodes:\n  - {id: x, kind: thesis}\n")
    invalid = _cli(["render", str(bad), "--html"])
    assert invalid.exit_code == 1
    assert not (tmp_path / "bad.html").exists()
    assert "Traceback" not in invalid.output


def test_the_page_lays_out_while_it_checks(tmp_path, monkeypatch):
    """render_page starts the layout binary first, then runs the checks while it draws, and
    only then waits for the drawing: one thread all along (PR_SET_PDEATHSIG follows the thread
    that starts the binary, and preexec_fn is safe only without other threads). The binary reads
    its DOT from a file and writes to one, so no Python copies pipes while the checks run."""
    import threading

    from argmap.io.loading import load_map
    from argmap.views import html, layout

    events = []
    real_popen, real_parts, real_result = layout.subprocess.Popen, html.page_parts, layout.LayoutJob.result

    def popen(cmd, **kw):
        events.append(("start", threading.active_count(), kw.get("stdin"), kw.get("stdout")))
        return real_popen(cmd, **kw)

    def parts(*a, **kw):
        events.append(("checks",))
        return real_parts(*a, **kw)

    def result(self):
        events.append(("wait",))
        return real_result(self)

    monkeypatch.setattr(layout.subprocess, "Popen", popen)
    monkeypatch.setattr(html, "page_parts", parts)
    monkeypatch.setattr(layout.LayoutJob, "result", result)
    page = html.render_page(load_map(SEED_MAP))
    assert 'data-node="thesis"' in page
    assert [e[0] for e in events] == ["start", "checks", "wait"]
    _, threads, stdin, stdout = events[0]
    assert threads == 1
    assert all(hasattr(f, "fileno") and f not in (subprocess.PIPE, None) for f in (stdin, stdout))


def test_node_boxes_from_paths_polygons_and_ellipses():
    """A node's box is that of its first shape, read from Graphviz's points: commas, spaces,
    path commands, and a minus sign that starts a number without a space ("50-60")."""
    from argmap.views.html import sanitize_svg

    svg = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><g id="graph0" class="graph">'
           '<g id="node-a" class="node"><title>a</title><path d="M10,-20C30,40 50-60 70,80Z"/></g>'
           '<g id="node-b" class="node"><title>b</title><polygon points="1,2 3,4 -5,6"/></g>'
           '<g id="node-c" class="node"><title>c</title><ellipse cx="5" cy="5" rx="2" ry="1"/></g>'
           '<g id="node-d" class="node"><title>d</title><path d="M1e"/></g></g></svg>')
    boxes = sanitize_svg(svg, ["a", "b", "c", "d"]).boxes
    assert boxes == {"a": [10.0, -60.0, 60.0, 140.0], "b": [-5.0, 2.0, 8.0, 4.0], "c": [3.0, 4.0, 4.0, 2.0]}
