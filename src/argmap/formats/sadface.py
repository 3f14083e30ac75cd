"""SADFace JSON (Simon Wells): import and export.

* ``atom`` nodes are map nodes; a ``scheme`` node joins the atoms pointing at
  it (its premises) to the node it points at: ``support`` (and any other
  scheme name) → supports, with the name kept as ``scheme`` unless it is the
  plain ``support``; ``conflict``/``attack``/``rebuttal``/``undercut`` →
  attacks; a scheme pointing at another scheme is an undercut.
* An atom's ``sources`` give its quote, and a ``text`` resource the source text.
* Export writes SADFace 0.2 with deterministic UUIDs (version 5, from the map
  title and node id); what SADFace has no place for (kind, actor, tags,
  note, answers to critical questions, the argmap id) goes into each atom's
  ``metadata.argmap``, a reason's roles into its scheme node's. Scheme names
  are kept as written.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter

from argmap.formats.base import (
    ATTACK, SUPPORT, ForeignInvalid, Graph, ImportResult, apply_carried, carried_fields, carried_roles, index_edges,
    place_undercuts, source_meta, source_text_of,
)
from argmap.formats.jsonio import load_json

ATTACK_NAMES = {"conflict", "attack", "rebuttal", "rebut", "undercut", "undercutter", "default conflict"}
SUPPORT_NAMES = {"support", "default support", "inference", "default inference"}
NS = uuid.UUID("6f1c6b1e-3c51-4d1b-9a53-5a3ad0c0a5e1")


def import_sadface(path, text: str) -> ImportResult:
    name = str(path)
    data = load_json(text, name, "a SADFace document")
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise ForeignInvalid(f"{name}: not a SADFace document (it needs a 'nodes' list).")
    edges_in = data.get("edges", [])
    if not isinstance(edges_in, list):
        raise ForeignInvalid(f"{name}: 'edges' is not a list.")
    g = Graph()
    s = g.summary
    core = (data.get("metadata") or {}).get("core") if isinstance(data.get("metadata"), dict) else None
    if isinstance(core, dict):
        if isinstance(core.get("title"), str) and core["title"].strip():
            g.title = core["title"]
        dropped = [k for k in ("description", "notes") if isinstance(core.get(k), str) and core[k].strip()]
        if dropped:
            s.count("document metadata fields not kept (" + ", ".join(dropped) + "): the format has no place for them", len(dropped))
    resources = {}
    for r in data.get("resources") if isinstance(data.get("resources"), list) else []:
        if isinstance(r, dict) and isinstance(r.get("content"), str) and r.get("type", "text") == "text":
            resources[str(r.get("id"))] = r["content"]
    if resources:
        if len(resources) > 1:
            s.count("text resources found; only the first is kept as the source text", len(resources))
        g.source_text = next(iter(resources.values()))
        meta = next(r for r in data.get("resources") if isinstance(r, dict) and isinstance(r.get("content"), str))
        rmeta = (meta.get("metadata") or {}).get("argmap") if isinstance(meta.get("metadata"), dict) else None
        if isinstance(rmeta, dict):
            g.take_source_meta(rmeta)
    types: dict[str, str] = {}
    nodes: dict[str, dict] = {}
    for i, n in enumerate(data["nodes"]):
        if not isinstance(n, dict) or "id" not in n or "type" not in n:
            raise ForeignInvalid(f"{name}: node {i + 1} is not a SADFace node (it needs 'id' and 'type').")
        nid = str(n["id"])
        if nid in nodes:
            raise ForeignInvalid(f"{name}: node id {nid!r} is used twice.")
        nodes[nid] = n
        types[nid] = str(n["type"])
    out, into = index_edges(edges_in, nodes, "source_id", "target_id", "a SADFace", name, s)
    counts = Counter(types.values())
    for nid, n in nodes.items():
        if types[nid] != "atom":
            continue
        txt = n.get("text")
        if not isinstance(txt, str) or not txt.strip():
            txt = f"(atom {nid} has no text)"
            s.warn(f"atom {nid} has no text")
        meta = n.get("metadata") if isinstance(n.get("metadata"), dict) else {}
        ext = meta.get("argmap") if isinstance(meta.get("argmap"), dict) else {}
        gn = g.add_node(nid, " ".join(txt.split()), id_hint=ext.get("id") if isinstance(ext.get("id"), str) else None)
        apply_carried(gn, ext)
        srcs = n.get("sources")
        if isinstance(srcs, list) and srcs and isinstance(srcs[0], dict) and isinstance(srcs[0].get("text"), str):
            gn.quote = srcs[0]["text"]
            if len(srcs) > 1:
                s.count("atoms with several sources: the first is kept as the quote")
    schemes = Counter()
    for nid, n in nodes.items():
        if types[nid] != "scheme":
            continue
        nm = n.get("name")
        nm = nm.strip() if isinstance(nm, str) else ""
        low = nm.lower()
        kind = ATTACK if low in ATTACK_NAMES else SUPPORT
        smeta = n.get("metadata") if isinstance(n.get("metadata"), dict) else {}
        sext = smeta.get("argmap") if isinstance(smeta.get("argmap"), dict) else {}
        if sext.get("relation") == "attacks":
            kind = ATTACK
        scheme = None if (low in ATTACK_NAMES or low in SUPPORT_NAMES or not nm) else nm
        prem = [a for a in into.get(nid, ()) if types.get(a) == "atom"]
        concl = [b for b in out.get(nid, ()) if types.get(b) in ("atom", "scheme")]
        if not prem or not concl:
            s.count("scheme nodes without a premise or a conclusion left out")
            continue
        for j, c in enumerate(concl):
            rel = g.add_rel(nid if j == 0 else f"{nid}#{j}", kind, prem, c, scheme)
            rel.roles = carried_roles(sext.get("roles"))
        schemes[nm or "(unnamed)"] += 1
    for nm, c in sorted(schemes.items()):
        s.count(f"scheme nodes named {nm!r}", c)
    unknown = {t: c for t, c in counts.items() if t not in ("atom", "scheme")}
    for t, c in sorted(unknown.items()):
        s.warn(f"{c} node(s) of unknown type {t!r} left out")
    s.count("atoms imported as map nodes", counts.get("atom", 0))
    return g.to_result()


def export_sadface(loaded):
    from argmap.map.graph import build

    amap = loaded.map
    g = build(amap)
    seed = amap.title or "argmap"

    def uid(*parts: str) -> str:
        return str(uuid.uuid5(NS, "\x1f".join((seed,) + parts)))

    resources = []
    text = source_text_of(loaded)
    res_id = None
    if text is not None:
        res_id = uid("resource")
        rmeta = source_meta(amap.source)
        resources.append({"id": res_id, "content": text, "type": "text", "metadata": {"argmap": rmeta} if rmeta else {}})
    nodes = []
    ids = {}
    for n in amap.nodes:
        if n.id in ids:
            continue
        ids[n.id] = uid("node", n.id)
        ext = {"id": n.id, **carried_fields(n)}
        sources = []
        if n.quote:
            src = {"resource_id": res_id, "text": n.quote}
            if text is not None:
                off = text.find(n.quote)
                if off >= 0:
                    src["offset"] = off
                    src["length"] = len(n.quote)
            sources.append(src)
        nodes.append({"id": ids[n.id], "metadata": {"argmap": ext}, "sources": sources, "text": n.text, "type": "atom"})
    edges = []

    def edge(a: str, b: str) -> None:
        edges.append({"id": uid("edge", a, b), "source_id": a, "target_id": b})

    snode = {}
    for e in g.edges:
        sid = uid("scheme", e.kind, e.ref, str(e.node_index), str(e.rel_index))
        name = e.scheme or ("support" if e.kind == "supports" else "conflict")
        meta: dict = {}
        if e.kind == "attacks" and e.scheme:
            meta = {"argmap": {"relation": "attacks"}}  # a named attack scheme
        roles = getattr(amap.nodes[e.node_index], e.kind)[e.rel_index].roles
        if roles:
            meta.setdefault("argmap", {})["roles"] = dict(roles)
        nodes.append({"id": sid, "metadata": meta, "name": name, "type": "scheme"})
        for m in e.sources:
            if m in ids:
                edge(ids[m], sid)
        if e.target in ids:
            edge(sid, ids[e.target])
        snode.setdefault(e.ref, sid)

    def undercut(u, target: str) -> str:
        sid = uid("undercut", u.own_ref)
        nodes.append({"id": sid, "metadata": {}, "name": "conflict", "type": "scheme"})
        edge(ids[u.source], sid)  # the node holding an undercut is a map node: it has an id
        edge(sid, target)
        return sid

    notes = place_undercuts(g.undercuts, snode, undercut)
    core = {"id": uid("document"), "version": "0.2", "title": amap.title or ""}
    doc = {"edges": edges, "metadata": {"core": core}, "nodes": nodes, "resources": resources}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n", notes
