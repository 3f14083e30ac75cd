"""Labels → a format-v1 map that passes ``argmap check`` structurally.

Whatever a backend returns, the map assembled here has exactly one thesis,
every node connected to it, no dangling relation and no support cycle:

* units labelled "not argumentative" are dropped, and relations that pointed
  at them are passed on to what they pointed at;
* more than one thesis: the most confident stays, the others become claims
  supporting it; no thesis: the most confident claim or recommendation
  (else the first unit) is promoted;
* a missing, unknown or self target, or one that would close a cycle, is
  replaced by the thesis (the cue ``relinked`` says so).
"""

from __future__ import annotations

import re
import unicodedata

from argmap.extract.base import Label
from argmap.extract.segment import Segmentation, Unit, words
from argmap.map.model import KINDS

PREFIX = {"thesis": "thesis", "claim": "claim", "premise": "premise", "recommendation": "rec", "objection": "obj"}
_STOP = {
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for", "with", "by", "at", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "their", "they",
    "them", "there", "which", "who", "what", "when", "where", "while", "would", "could", "should", "may", "might",
    "must", "will", "can", "has", "have", "had", "do", "does", "did", "not", "no", "so", "than", "then", "also",
    "more", "most", "such", "both", "all", "any", "some", "very", "just", "still", "yet", "however", "because",
    "since", "if", "into", "about", "over", "our", "we", "you", "your", "his", "her", "he", "she", "i", "my",
    "one", "only", "even", "other", "own", "same", "too", "up", "out", "first", "therefore", "thus", "hence",
    "yes", "of", "course", "admittedly", "furthermore", "moreover", "besides", "plus", "s", "t", "many", "much",
}
# Opening connectives a node's text drops: they tie the sentence to its neighbours in the article,
# and the map shows that tie as a relation. Conditions, purposes and time frames stay: they are
# part of what the sentence says ("If X, Y"; "For decades, X").
_DROPPED_SENSES = ("cause", "result", "summary", "contrast", "concession", "addition", "enumeration", "example",
                   "alternative", "specification")
# ... but not those that head a noun phrase: "Due to the many random factors, X" keeps its reason
_PREPOSITIONS = {"due to", "owing to", "in view of", "such as", "in particular", "especially", "particularly",
                 "above all", "not least", "given"}


def drop_leading_connectives(text: str) -> str:
    """The text without the discourse connectives it opens with ("Yet, for stability, X" → "for stability, X")."""
    from argmap.extract import lexicon

    t = text
    for _ in range(4):
        lead = lexicon.leading(t, max_chain=1)
        if not lead or lead[0].sense not in _DROPPED_SENSES or lead[0].text in _PREPOSITIONS:
            break
        rest = re.sub(r"^[\s,;:]+", "", t[lead[0].end:])
        if not lexicon._WORDS.search(rest):
            break
        t = rest
    return t


def short_text(quote: str) -> str:
    """A reading text for a node: the quote without its opening connectives and dash asides.

    The heuristic backend cannot paraphrase; the analyst rewrites ``text``. It is
    never cut short (no "…"): a node's text is always a whole statement.
    """
    t = re.sub(r"\s+", " ", quote).strip()
    t = drop_leading_connectives(t).strip() or t
    t = re.sub(r"\s*[—–]\s*[^—–]{1,120}?\s*[—–]\s*", " ", t)  # drop dash parentheticals
    t = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s+", " ", t)).strip(" ,;:")
    if not re.search(r"[.!?…]$", t):
        t += "."
    return t[:1].upper() + t[1:]


def _ascii(word: str) -> str:
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")


def _slug(text: str, n: int = 4) -> str:
    ws = [_ascii(w.lower()) for w in words(text)]
    content = [re.sub(r"[^a-z0-9]", "", w) for w in ws if w.lower() not in _STOP]
    content = [w for w in content if w and not w.isdigit()] or [re.sub(r"[^a-z0-9]", "", w) for w in ws]
    slug = "-".join(w for w in content[:n] if w)
    return slug or "unit"


def make_ids(units: list[Unit], kinds: list[str]) -> list[str]:
    ids: list[str] = []
    used: set[str] = set()
    for u, k in zip(units, kinds):
        base = "thesis" if k == "thesis" else f"{PREFIX[k]}-{_slug(drop_leading_connectives(u.text))}"
        cand = base
        i = 2
        while cand in used:
            cand = f"{base}-{i}"
            i += 1
        used.add(cand)
        ids.append(cand)
    return ids


def assemble(seg: Segmentation, labels: list[Label], *, backend: str, source: dict | None = None):
    """Build the draft :class:`~argmap.map.model.ArgumentMap` (see module docstring)."""
    from argmap.map.model import ArgumentMap, Draft, Node, NodeKind, Relation, Source, from_data, map_to_data

    by_id = {u.id: u for u in seg.units}
    lab = {l.unit: l for l in labels if l.unit in by_id}
    order = [u.id for u in seg.units]
    # targets of dropped (non-argumentative) units pass on to their own target
    raw_target = {uid: lab[uid].target for uid in order if uid in lab}
    kept = [uid for uid in order if uid in lab and lab[uid].kind in KINDS]
    kept_set = set(kept)
    extra_cues: dict[str, list[str]] = {uid: [] for uid in kept}

    def resolve(t: str | None) -> str | None:
        seen = set()
        while t is not None and t not in kept_set:
            if t in seen or t not in raw_target:
                return None
            seen.add(t)
            t = raw_target[t]
        return t

    if not kept:
        return None
    kinds = {uid: lab[uid].kind for uid in kept}
    theses = [uid for uid in kept if kinds[uid] == "thesis"]
    if theses:
        thesis = max(theses, key=lambda u: (lab[u].confidence, -order.index(u)))
    else:
        cands = [u for u in kept if kinds[u] in ("claim", "recommendation")] or kept
        thesis = max(cands, key=lambda u: (lab[u].confidence, -order.index(u)))
        extra_cues[thesis].append("promoted-to-thesis")
    for uid in theses:
        if uid != thesis:
            kinds[uid] = "claim"
            extra_cues[uid].append("demoted-from-thesis")
    kinds[thesis] = "thesis"

    target: dict[str, str | None] = {}
    rel: dict[str, str] = {}
    for uid in kept:
        if uid == thesis:
            target[uid] = None
            continue
        t = resolve(lab[uid].target)
        r = lab[uid].relation if lab[uid].relation in ("supports", "attacks") else None
        if r is None:
            r = "attacks" if kinds[uid] == "objection" else "supports"
        if t is None or t == uid:
            if lab[uid].target is not None:
                extra_cues[uid].append("relinked")
            t = thesis
        target[uid] = t
        rel[uid] = r
    # break cycles: walk each chain; a chain that does not reach the thesis is cut
    for uid in kept:
        if uid == thesis:
            continue
        seen = [uid]
        t = target[uid]
        while t is not None and t != thesis:
            if t in seen:
                target[uid] = thesis
                extra_cues[uid].append("relinked")
                break
            seen.append(t)
            t = target[t]

    units = [by_id[uid] for uid in kept]
    ids = make_ids(units, [kinds[u] for u in kept])
    node_id = dict(zip(kept, ids))
    nodes = []
    for uid, nid in zip(kept, ids):
        label = lab[uid]
        u = by_id[uid]
        kwargs = {}
        if target[uid] is not None:
            scheme = label.scheme if rel[uid] == "supports" else None
            kwargs[rel[uid]] = [Relation(to=node_id[target[uid]], scheme=scheme)]
        actor = label.actor if kinds[uid] == "recommendation" and label.actor else None
        cues = list(dict.fromkeys([*label.cues, *extra_cues[uid]]))
        if label.scheme and target[uid] is not None and rel[uid] == "supports":
            # listed in the draft block, so accepting the node accepts the proposed scheme with it
            cues.append(f"scheme:{label.scheme}")
        nodes.append(
            Node(
                id=nid,
                kind=NodeKind(kinds[uid]),
                text=short_text(u.text),
                quote=u.text,
                actor=actor,
                draft=Draft(confidence=round(float(label.confidence), 2), backend=backend, cues=cues),
                **kwargs,
            )
        )
    src = Source(**source) if source else None
    # Built directly, so validated here: a draft that is not a valid map is a bug, caught at once.
    return from_data(map_to_data(ArgumentMap(argmap=1, title=seg.title, source=src, nodes=nodes)))
