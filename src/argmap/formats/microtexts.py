"""arg-microtexts ``arggraph`` XML (Peldszus & Stede): import.

* EDUs give the text (joints join adjacent EDUs); ADUs become map nodes with
  the text of their EDUs; the ADU's role (``pro``/``opp``) decides which side
  it is on, so opponent ADUs become objections.
* ``sup`` → supports, ``exa`` → supports with scheme ``example`` (argument
  from example, as AIFdb's ``Example`` is read), ``reb`` → attacks, ``und`` (an attack on an
  edge) → an undercut of that relation, ``add`` → an additional premise of the
  relation it points at (a linked relation).
* The text beside the file (``micro_b001.txt``) becomes the map's source
  text; without it, the EDUs joined by spaces.

XML is parsed with defusedxml: DTDs with entities and external references are
refused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from argmap.formats.base import ATTACK, SUPPORT, ForeignInvalid, Graph, ImportResult
from argmap.formats.jsonio import text_beside

EDGE_TYPES = ("seg", "sup", "exa", "add", "reb", "und")


def parse_xml(text: str, name: str):
    import defusedxml.ElementTree as DET
    from defusedxml import DefusedXmlException
    from xml.etree.ElementTree import ParseError

    if not text.strip():
        raise ForeignInvalid(f"{name}: the file is empty, not XML.")
    try:
        return DET.fromstring(text.encode("utf-8"))
    except DefusedXmlException as exc:
        raise ForeignInvalid(f"{name}: XML with entity declarations or external references is refused ({type(exc).__name__}).") from None
    except ParseError as exc:
        line, col = getattr(exc, "position", (None, None))
        where = f"{name}:{line}:{(col or 0) + 1}" if line else name
        raise ForeignInvalid(f"{where}: not well-formed XML ({str(exc).split(':')[0]}); is the file truncated?") from None
    except (LookupError, ValueError) as exc:  # encoding="UTF-9" or "UTF-7" (found by fuzzing)
        raise ForeignInvalid(f"{name}: the XML declares an encoding argmap cannot read ({exc}); "
                             "save it as UTF-8.") from None


def import_microtexts(path, text: str) -> ImportResult:
    name = str(path)
    root = parse_xml(text, name)
    if root.tag != "arggraph":
        raise ForeignInvalid(f"{name}: not an arg-microtexts graph (the root element is <{root.tag}>, not <arggraph>).")
    g = Graph()
    s = g.summary
    edus: dict[str, str] = {}
    order: list[str] = []
    for e in root.iter("edu"):
        eid = e.get("id")
        if not eid:
            raise ForeignInvalid(f"{name}: an <edu> has no id.")
        edus[eid] = " ".join((e.text or "").split())
        order.append(eid)
    adus: dict[str, str] = {}
    for a in root.iter("adu"):
        aid = a.get("id")
        if not aid:
            raise ForeignInvalid(f"{name}: an <adu> has no id.")
        typ = a.get("type")
        if typ not in ("pro", "opp"):
            s.warn(f"ADU {aid} has type {typ!r}, not pro or opp; its side is inferred")
            typ = None
        adus[aid] = typ
    if not adus:
        raise ForeignInvalid(f"{name}: the arggraph has no <adu> elements.")
    edges = []
    for e in root.iter("edge"):
        eid, src, trg, typ = e.get("id"), e.get("src"), e.get("trg"), e.get("type")
        if not eid or not src or not trg:
            raise ForeignInvalid(f"{name}: an <edge> lacks id, src or trg.")
        if typ not in EDGE_TYPES:
            s.warn(f"edge {eid} has unknown type {typ!r}; left out")
            continue
        edges.append((eid, src, trg, typ))
    # segmentation: EDU/joint -> ADU
    seg_into: dict[str, list[str]] = defaultdict(list)
    for eid, src, trg, typ in edges:
        if typ == "seg":
            seg_into[trg].append(src)

    def edus_of(unit: str, depth: int = 0) -> list[str]:
        if unit in edus:
            return [unit]
        if depth > 10:
            return []
        out = []
        for u in seg_into.get(unit, ()):
            out.extend(edus_of(u, depth + 1))
        return out

    pos = {e: i for i, e in enumerate(order)}
    adu_order = []
    for aid, role in adus.items():
        parts = sorted(set(edus_of(aid)), key=lambda e: pos.get(e, 0))
        if not parts:
            s.warn(f"ADU {aid} is not linked to any EDU; its id stands for its text")
        txt = " ".join(edus[p] for p in parts) or f"(ADU {aid})"
        adu_order.append((min((pos[p] for p in parts), default=len(pos)), aid, txt, role))
        if len(parts) > 1:
            s.count("ADUs made of several EDUs (joined into one node)")
    for _, aid, txt, role in sorted(adu_order):
        g.add_node(aid, txt, role=role)
    arg_edges = {eid: (src, trg, typ) for eid, src, trg, typ in edges if typ != "seg"}
    # relations
    for eid, (src, trg, typ) in arg_edges.items():
        if typ == "add":
            continue
        kind = SUPPORT if typ in ("sup", "exa") else ATTACK
        scheme = "example" if typ == "exa" else None
        if src not in adus:
            s.warn(f"edge {eid} starts at {src}, which is not an ADU; left out")
            continue
        g.add_rel(eid, kind, [src], trg, scheme)
    for eid, (src, trg, typ) in arg_edges.items():
        if typ != "add":
            continue
        rel = g.rels.get(trg)
        if rel is None or src not in adus:
            s.warn(f"'add' edge {eid} does not point from an ADU to a relation; left out")
            continue
        rel.premises.append(src)
    counts = Counter(typ for *_, typ in edges)
    for typ, label in (("sup", "sup edges → supports"), ("exa", "exa edges → supports with scheme 'example'"),
                       ("reb", "reb edges → attacks"), ("und", "und edges → undercuts (attacks on a relation)"),
                       ("add", "add edges → additional premises of linked relations")):
        s.count(label, counts[typ])
    g.title = root.get("id")
    topic = root.get("topic_id")
    stance = root.get("stance")
    if topic:
        g.title = f"{g.title or 'arggraph'}: {topic.replace('_', ' ')}" + (f" ({stance})" if stance else "")
    src_text = text_beside(Path(name) if name != "-" else None)
    if src_text is None:
        src_text = " ".join(edus[e] for e in order)
        s.count("no .txt beside the file: source text made from the EDUs joined by spaces", 1)
    else:
        s.count("source text read from the .txt file beside the graph", 1)
    g.source_text = src_text
    return g.to_result()
