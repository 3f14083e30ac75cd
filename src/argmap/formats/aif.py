"""AIF JSON (AIFdb nodesets) and xAIF: import and export.

Import
------
* I nodes become map nodes; RA nodes supports, CA nodes attacks (several
  premises into one RA/CA: a linked relation); a CA pointing at an RA or CA
  is an undercut; named schemes (``scheme`` or a node text other than the
  defaults) become the relation's ``scheme``: the catalogue id when argmap's
  scheme catalogue knows the name (``PracticalReasoning`` →
  ``practical-reasoning``), else the name as written, noted in the summary.
* MA (rephrase) nodes become supports with their scheme name (``Default
  Rephrase``): the format has no rephrase relation; the summary counts them.
* PA (preference) nodes have no counterpart: counted and left out.
* Dialogical structure: L (locution) nodes give the quotes of the I nodes
  they are anchored to by YA (illocution) nodes, and, when no source text is
  beside the file, the source text itself (the transcript of the locutions);
  TA (transition) and YA nodes themselves are counted and left out.
* Unknown node types are counted and left out with a warning.
* Source text: the ``.txt`` beside the nodeset (AIFdb's layout), an xAIF
  ``text``, the ``argmap`` extension written by argmap's export, or the
  locutions.

Export
------
AIF JSON as AIFdb writes it (``nodes``, ``edges``, ``locutions``): one I node
per map node (the map id is the nodeID), one RA/CA node per relation (the
scheme name as its text, ``Default Inference``/``Default Conflict``
otherwise; a catalogue scheme under its AIFdb name, ``PracticalReasoning``),
an undercut as a CA pointing at the relation's RA/CA node, and each quote as
an L node anchored by an ``Asserting`` YA node. What AIF has no place for
(kinds, actors, tags, notes, answers to critical questions, the map's title
and source; on RA/CA nodes the roles and a scheme's own spelling) goes into
an ``argmap`` key on the nodes and the document, which other AIF tools ignore.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from argmap.formats.base import (
    ATTACK, SUPPORT, ForeignInvalid, Graph, ImportResult, apply_carried, carried_fields, carried_roles, index_edges,
    map_ext, place_undercuts,
)
from argmap.formats.jsonio import load_json, text_beside

DEFAULT_SCHEMES = {"", "RA", "CA", "MA", "PA", "Default Inference", "Default Conflict"}
_SPEAKER = re.compile(r"^(.{1,80}?)\s+:\s+(.*)$", re.S)


class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "p", "div"):
            self.out.append("\n")

    def handle_data(self, data):
        self.out.append(data)


def html_to_text(value: str) -> str:
    if "<" not in value:
        return html.unescape(value)
    p = _TextOnly()
    p.feed(value)
    p.close()
    text = "".join(p.out)
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines()]
    return "\n".join(ln for ln in lines if ln)


def import_xaif(path, text: str) -> ImportResult:
    return _import(path, text, xaif=True)


def import_aif(path, text: str) -> ImportResult:
    return _import(path, text, xaif=False)


def _import(path, text: str, *, xaif: bool) -> ImportResult:
    name = str(path)
    data = load_json(text, name, "an AIF document")
    source_text = None
    if isinstance(data, dict) and isinstance(data.get("AIF"), dict):
        doc = data["AIF"]
        t = data.get("text")
        if isinstance(t, dict):
            t = t.get("txt")
        if isinstance(t, str) and t.strip():
            source_text = html_to_text(t)
    else:
        if xaif:
            raise ForeignInvalid(f"{name}: not an xAIF document (no 'AIF' object at the top).")
        doc = data
    if not isinstance(doc, dict) or not isinstance(doc.get("nodes"), list) or not isinstance(doc.get("edges"), list):
        raise ForeignInvalid(f"{name}: not an AIF document (it needs 'nodes' and 'edges' lists).")
    g = Graph()
    s = g.summary
    ext = data.get("argmap") if isinstance(data, dict) else None
    if isinstance(ext, dict):
        if isinstance(ext.get("title"), str):
            g.title = ext["title"]
        src = ext.get("source")
        if isinstance(src, dict):
            g.take_source_meta(src)
            if isinstance(src.get("text"), str) and src["text"].strip():
                source_text = src["text"]
    if source_text is None:
        source_text = _side_text(Path(name) if name != "-" else None, s)
        if source_text is not None:
            s.count("source text read from the .txt file beside the nodeset", 1)

    types: dict[str, str] = {}
    nodes: dict[str, dict] = {}
    for i, n in enumerate(doc["nodes"]):
        if not isinstance(n, dict) or "nodeID" not in n or "type" not in n:
            raise ForeignInvalid(f"{name}: node {i + 1} is not an AIF node (it needs 'nodeID' and 'type').")
        nid = str(n["nodeID"])
        if nid in nodes:
            raise ForeignInvalid(f"{name}: nodeID {nid!r} is used by two nodes.")
        nodes[nid] = n
        types[nid] = str(n["type"])
    out, into = index_edges(doc["edges"], nodes, "fromID", "toID", "an AIF", name, s)

    counts = Counter(types.values())
    # I nodes
    for nid, n in nodes.items():
        if types[nid] != "I":
            continue
        txt = n.get("text")
        if not isinstance(txt, str) or not txt.strip():
            txt = f"(I node {nid} has no text)"
            s.warn(f"I node {nid} has no text")
        gn = g.add_node(nid, " ".join(txt.split()))
        node_ext = n.get("argmap")
        if node_ext and isinstance(node_ext, dict):
            gn.exact = True  # written by argmap's export: keep its quote as it is
            apply_carried(gn, node_ext)

    # quotes from L nodes anchored by YA nodes (L -> YA -> I)
    anchored = 0
    for nid, t in types.items():
        if t != "YA":
            continue
        ls = [a for a in into.get(nid, ()) if types.get(a) == "L"]
        targets = [b for b in out.get(nid, ()) if types.get(b) == "I"]
        for a in ls:
            ltext = nodes[a].get("text")
            if not isinstance(ltext, str) or not ltext.strip():
                continue
            m = _SPEAKER.match(ltext.strip())
            quote = m.group(2) if m else ltext.strip()
            for b in targets:
                gn = g.nodes[b]
                if gn.quote is None:
                    # argmap's own export writes the quote itself, without a speaker
                    gn.quote = ltext if gn.exact else quote
                    anchored += 1
    s.count("quotes taken from the locutions (L nodes) the I nodes are anchored to", anchored)

    if source_text is None and counts.get("L") and not isinstance(ext, dict):  # argmap's export says when there is none
        lines: dict[str, None] = {}  # the transcript: each locution's text once, in order
        ltexts = {" ".join(n["text"].split()) for nid, n in nodes.items() if types[nid] == "L" and isinstance(n.get("text"), str)}
        reports = 0
        for nid, n in nodes.items():
            if types[nid] == "L" and isinstance(n.get("text"), str):
                t = " ".join(n["text"].split())
                # an analyst's report of another locution ("Chris: Brian Cox : ...") repeats it
                head, sep, rest = t.partition(": ")
                if sep and rest in ltexts and len(head) <= 40:
                    reports += 1
                    continue
                if t:
                    lines[t] = None
        s.count("locutions that report another locution verbatim left out of the transcript", reports)
        source_text = "\n".join(lines) + "\n" if lines else None
        s.count("source text rebuilt from the locutions (L nodes): {n} lines of transcript", len(lines))

    # scheme nodes
    kinds = {"RA": SUPPORT, "CA": ATTACK, "MA": SUPPORT}
    i_nodes = {nid for nid, t in types.items() if t == "I"}
    targets = {nid for nid, t in types.items() if t in ("I", "RA", "CA", "MA")}
    for nid, n in nodes.items():
        t = types[nid]
        if t not in kinds:
            continue
        prem = [a for a in into.get(nid, ()) if a in i_nodes]
        concl = [b for b in out.get(nid, ()) if b in targets]
        if not prem or not concl:
            s.count(f"{t} nodes without a premise or a conclusion left out")
            continue
        name = n.get("scheme") if isinstance(n.get("scheme"), str) else None
        if not name and isinstance(n.get("text"), str):
            name = n["text"].strip()
        ext = n.get("argmap") if isinstance(n.get("argmap"), dict) else {}
        if isinstance(ext.get("scheme"), str) and ext["scheme"].strip():
            scheme = ext["scheme"]  # argmap's export: the map's own spelling
        else:
            scheme = scheme_read(name, t)
            if t != "MA" and scheme is not None:
                _note_scheme(s, name, scheme)
        for j, c in enumerate(concl):
            rel = g.add_rel(nid if j == 0 else f"{nid}#{j}", kinds[t], prem, c, scheme)
            rel.roles = carried_roles(ext.get("roles"))
        if len(concl) > 1:
            s.count(f"{t} nodes with several conclusions split into one relation each")
    s.count("MA (rephrase) nodes kept as supports with scheme 'Default Rephrase' (the format has no rephrase relation)", counts["MA"])
    s.count("PA (preference) nodes left out: the format has no preferences", counts["PA"])
    s.count("L (locution) nodes used only for quotes and source text (the format has no locutions)", counts["L"])
    s.count("YA (illocution) nodes left out (dialogical anchoring; the format has none)", counts["YA"])
    s.count("TA (transition) nodes left out (dialogical transitions; the format has none)", counts["TA"])
    unknown = {t: c for t, c in counts.items() if t not in ("I", "RA", "CA", "MA", "PA", "L", "YA", "TA")}
    for t, c in sorted(unknown.items()):
        s.warn(f"{c} node(s) of unknown type {t!r} left out")
    direct = sum(1 for a in i_nodes for b in out.get(a, ()) if b in i_nodes)
    if direct:
        s.warn(f"{direct} edge(s) join two I nodes directly, without an RA/CA node; left out")
    s.count("I nodes imported as map nodes", counts["I"])
    g.source_text = source_text
    return g.to_result()


def _side_text(path: Path | None, s) -> str | None:
    """The ``.txt`` beside the nodeset. One that is not UTF-8 (AIFdb's us-2016
    corpus has Windows-1252 texts) does not cost the map: it is decoded by
    detection (:func:`decode_guess`) with a warning naming the encoding assumed,
    or, where detection is unsure, left out with a warning saying so."""
    from argmap.map.errors import Unreadable

    try:
        return text_beside(path)
    except Unreadable as refused:
        cand = path.with_suffix(".txt")
        try:
            from argmap.io.files import max_bytes_default

            if cand.stat().st_size > max_bytes_default():
                raise refused from None
            raw = cand.read_bytes()
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        except OSError:
            raise refused from None
        else:
            raise  # not a matter of encoding (too big, a UTF-16/32 byte-order mark...)
    text, encoding = decode_guess(raw)
    if text is None:
        s.warn(f"{cand.name} is not UTF-8, and its encoding cannot be told with confidence, so the map was "
               "imported without it as its source text; convert the file to UTF-8 and import again to keep it.")
        return None
    s.warn(f"{cand.name} is not UTF-8: read as {encoding} (detected by charset-normalizer); if its quotes look "
           "wrong, convert the file to UTF-8 and import again.")
    return text


def decode_guess(raw: bytes) -> tuple[str | None, str | None]:
    """Bytes that are not UTF-8 → (text, encoding assumed), or (None, None) when unsure.

    charset-normalizer picks the encoding. Windows-1252 is preferred when it
    reads the bytes as cleanly (no more "mess") and nearly as coherently as
    the detector's first choice: the texts of AIFdb corpora are English, and
    the first choice is then often a sibling code page (Windows-1250) that
    reads ’ – — alike but turns è into č. Detection is trusted only when the
    text reads as some language (coherence ≥ 0.2) with little mess (≤ 0.2);
    short snippets and binary data are not.
    """
    from charset_normalizer import from_bytes  # imported here: only for such files

    best = from_bytes(raw).best()
    if best is None:
        return None, None
    western = from_bytes(raw, cp_isolation=["cp1252"]).best()
    if western is not None and western.chaos <= best.chaos and western.coherence >= best.coherence - 0.1:
        best = western
    if best.coherence < 0.2 or best.chaos > 0.2:
        return None, None
    names = {"cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251", "latin_1": "ISO-8859-1"}
    return str(best), names.get(best.encoding, best.encoding)


def scheme_read(name: str | None, node_type: str) -> str | None:
    """The map's scheme for the name of an AIF scheme node (RA, CA, MA): the catalogue id when
    argmap's catalogue knows the name (``PracticalReasoning`` → ``practical-reasoning``)."""
    from argmap.map.schemes import canonical

    if node_type == "MA":
        return name or "Default Rephrase"
    if not name or name in DEFAULT_SCHEMES:
        return None
    return canonical(name) or name


def scheme_written(name: str) -> str:
    """The AIF name of a map's scheme: AIFdb's name for a catalogue scheme, else the name as it is."""
    from argmap.map.schemes import canonical, get

    found = canonical(name)
    return get(found).aif if found else name


def _note_scheme(summary, name: str, scheme: str) -> None:
    if scheme != name:
        summary.count(f"scheme node(s) named {name!r} in AIF read as {scheme!r} of argmap's scheme catalogue")
    else:
        from argmap.map.schemes import canonical

        if canonical(name) is None:
            summary.count(f"scheme node(s) named {name!r}, which is not in argmap's scheme catalogue: kept as written")


# --------------------------------------------------------------------------- export


def build_aif(loaded) -> tuple[dict, list[str]]:
    """AIF document (nodes, edges, locutions) and the notes of what it could not carry."""
    from argmap.map.graph import build

    amap = loaded.map
    g = build(amap)
    nodes: list[dict] = []
    edges: list[dict] = []
    locutions: list[dict] = []
    eid = 0

    def edge(a: str, b: str) -> None:
        nonlocal eid
        eid += 1
        edges.append({"edgeID": f"e{eid}", "fromID": a, "toID": b, "formEdgeID": None})

    seen_ids = set()
    for n in amap.nodes:
        if n.id in seen_ids:
            continue
        seen_ids.add(n.id)
        nodes.append({"nodeID": n.id, "text": n.text, "type": "I", "argmap": carried_fields(n)})
        if n.quote:
            nodes.append({"nodeID": f"{n.id}.L", "text": n.quote, "type": "L"})
            nodes.append({"nodeID": f"{n.id}.YA", "text": "Asserting", "type": "YA"})
            edge(f"{n.id}.L", f"{n.id}.YA")
            edge(f"{n.id}.YA", n.id)
            locutions.append({"nodeID": f"{n.id}.L"})
    snode: dict[str, str] = {}  # relation ref -> S node id
    ra = ca = 0
    for e in g.edges:
        if e.kind == "supports":
            ra += 1
            typ = "MA" if e.scheme and "rephrase" in e.scheme.lower() else "RA"
            sid = f"{typ.lower()}{ra}"
        else:
            ca += 1
            typ, sid = "CA", f"ca{ca}"
        name = e.scheme if typ == "MA" else e.scheme and scheme_written(e.scheme)
        node = {"nodeID": sid, "text": name or {"RA": "Default Inference", "CA": "Default Conflict"}[typ], "type": typ}
        if e.scheme:
            node["scheme"] = name
        ext = {}
        if e.scheme and scheme_read(name, node["type"]) != e.scheme:
            ext["scheme"] = e.scheme  # read back as written (a spelling of a catalogue name, "Default Inference")
        roles = getattr(amap.nodes[e.node_index], e.kind)[e.rel_index].roles
        if roles:
            ext["roles"] = dict(roles)
        if ext:
            node["argmap"] = ext
        nodes.append(node)
        for m in e.sources:
            edge(m, sid)
        edge(sid, e.target)
        snode.setdefault(e.ref, sid)

    def undercut(u, target: str) -> str:
        nonlocal ca
        ca += 1
        nodes.append({"nodeID": f"ca{ca}", "text": "Default Conflict", "type": "CA"})
        edge(u.source, f"ca{ca}")
        edge(f"ca{ca}", target)
        return f"ca{ca}"

    notes = place_undercuts(g.undercuts, snode, undercut)
    return {"nodes": nodes, "edges": edges, "locutions": locutions}, notes


def export_aif(loaded):
    doc, notes = build_aif(loaded)
    doc["argmap"] = map_ext(loaded)  # also marks the file as argmap's (no transcript to rebuild)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", notes


def export_xaif(loaded):
    doc, notes = build_aif(loaded)
    aif = {**doc, "participants": [], "schemefulfillments": [], "descriptorfulfillments": []}
    ext = map_ext(loaded)
    out: dict = {"AIF": aif, "text": {"txt": html.escape(ext.get("source", {}).get("text", ""), quote=False)}, "OVA": {}}
    out["argmap"] = ext
    return json.dumps(out, ensure_ascii=False, indent=2) + "\n", notes
