"""Diagram exports: Mermaid (a flowchart GitHub renders inside Markdown) and GraphML.

Both draw every map node; a simple relation is an edge. A relation that is
linked (``with``) or undercut needs a point to attach to, so it gets a small
junction node: its premises point at the junction, the junction at the
target, and undercuts point at the junction (as AIF does with RA/CA nodes).
"""

from __future__ import annotations

from argmap.formats.base import place_undercuts

KIND_STYLE = {
    "thesis": "fill:#1f4e79,color:#ffffff,stroke:#12304b,stroke-width:2px",
    "claim": "fill:#dbe9f6,color:#000000,stroke:#1f4e79",
    "premise": "fill:#ffffff,color:#000000,stroke:#5b7fa6",
    "recommendation": "fill:#e2f0d9,color:#000000,stroke:#548235",
    "objection": "fill:#fbe5d6,color:#000000,stroke:#c55a11",
}


def _plan(amap):
    """The junction nodes, all edges, and the notes of what was left out."""
    from argmap.map.graph import build

    g = build(amap)
    undercut_refs = {u.ref for u in g.undercuts}
    junction: dict[str, str] = {}  # relation ref -> junction key
    edges = []  # (from, to, kind, scheme)
    n_j = 0
    for e in g.edges:
        if e.members or e.ref in undercut_refs:
            n_j += 1
            j = f"j{n_j}"
            junction.setdefault(e.ref, j)
            for m in e.sources:
                edges.append((m, j, e.kind + "-in", None))
            edges.append((j, e.target, e.kind, e.scheme))
        else:
            edges.append((e.source, e.target, e.kind, e.scheme))

    def undercut(u, target: str) -> str | None:
        nonlocal n_j
        if u.own_ref not in undercut_refs:
            edges.append((u.source, target, "undercuts", None))
            return None
        n_j += 1  # an undercut that is undercut in turn
        edges.append((u.source, f"j{n_j}", "undercuts-in", None))
        edges.append((f"j{n_j}", target, "undercuts", None))
        return f"j{n_j}"

    notes = place_undercuts(g.undercuts, junction, undercut)
    return sorted(set(junction.values()), key=lambda s: int(s[1:])), edges, notes


# --------------------------------------------------------------------------- Mermaid


_MERMAID_ESCAPES = str.maketrans({'"': "#quot;", "#": "#35;", "<": "#lt;", ">": "#gt;", "\r": " ", "\n": " "})


def _mermaid_label(text: str) -> str:
    return text.translate(_MERMAID_ESCAPES)


def export_mermaid(loaded):
    amap = loaded.map
    junctions, edges, notes = _plan(amap)
    mid: dict[str, str] = {}
    lines = ["flowchart BT"]
    if amap.title:
        lines.insert(0, "---\ntitle: " + _mermaid_label(amap.title).replace(":", "#58;") + "\n---")
    for i, n in enumerate(amap.nodes):
        if n.id in mid:
            continue
        mid[n.id] = f"n{i}"
        lines.append(f'  n{i}["{_mermaid_label(n.text)}"]:::{n.kind.value}')
    for j in junctions:
        mid[j] = j
        lines.append(f"  {j}(( ))")
    arrows = {
        "supports": "-->",
        "attacks": "--x",
        "undercuts": "-.-x",
        "supports-in": "---",
        "attacks-in": "---",
        "undercuts-in": "-.-",
    }
    for a, b, kind, scheme in edges:
        if a not in mid or b not in mid:
            continue
        label = f"|{_mermaid_label(scheme)}|" if scheme else ""
        lines.append(f"  {mid[a]} {arrows[kind]}{label} {mid[b]}")
    for kind, style in KIND_STYLE.items():
        lines.append(f"  classDef {kind} {style}")
    return "\n".join(lines) + "\n", notes


# --------------------------------------------------------------------------- GraphML

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
NODE_KEYS = ("kind", "text", "quote", "actor", "tags", "note")
EDGE_KEYS = ("relation", "scheme")


def export_graphml(loaded):
    import xml.etree.ElementTree as ET

    amap = loaded.map
    junctions, edges, notes = _plan(amap)
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for k in NODE_KEYS + ("title",):
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": k, "for": "graph" if k == "title" else "node", "attr.name": k, "attr.type": "string"})
    for k in EDGE_KEYS:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key", {"id": k, "for": "edge", "attr.name": k, "attr.type": "string"})
    graph = ET.SubElement(root, f"{{{GRAPHML_NS}}}graph", {"id": "argmap", "edgedefault": "directed"})

    def data(parent, key: str, text: str) -> None:
        ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = text

    if amap.title:
        data(graph, "title", amap.title)
    seen = set()
    for n in amap.nodes:
        if n.id in seen:
            continue
        seen.add(n.id)
        el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": n.id})
        values = (n.kind.value, n.text, n.quote, n.actor, ", ".join(n.tags) if n.tags else None, n.note)
        for k, value in zip(NODE_KEYS, values):
            if value is not None:
                data(el, k, value)
    for j in junctions:
        data(ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": f"_{j}"}), "kind", "relation")
    names = {j: f"_{j}" for j in junctions}
    for i, (a, b, kind, scheme) in enumerate(edges):
        el = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge", {"id": f"e{i + 1}", "source": names.get(a, a), "target": names.get(b, b)})
        data(el, "relation", kind.replace("-in", "-premise"))
        if scheme:
            data(el, "scheme", scheme)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n", notes
