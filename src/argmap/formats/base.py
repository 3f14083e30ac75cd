"""What every importer shares: a format-neutral graph, kind inference, ids,
quotes located in the source text, and the import summary; and what the
exporters share: the fields a format has no place for, and undercuts drawn
on the node that stands for a relation.

An importer reads its format into a :class:`Graph` (nodes keyed by the
foreign id, relations whose target is a node *or another relation*) and calls
:meth:`Graph.to_result`, which

* gives every node an argmap id (the foreign id when it is a valid argmap id,
  else a short slug of its text),
* turns relations into ``supports``/``attacks`` (linked ones with ``with``),
  relations on relations into ``undercuts`` (``a->b``, right-nested),
* infers the kinds the source does not give (the root claim becomes the
  thesis; the dialectical side is followed through supports and attacks, so
  whatever speaks against the thesis's side is an objection; the rest are
  claims or premises by position),
* locates each node's quote in the source text, when there is one,
* and records in a :class:`Summary` what was mapped how, with counts.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from typing import Any

from argmap.map.diagnostics import plural
from argmap.map.errors import ArgmapError

SUPPORT = "supports"
ATTACK = "attacks"
def _source_meta_fields() -> tuple[str, ...]:
    """A map's source fields besides path and text (title, author...), as the model declares them."""
    from argmap.map.model import SOURCE_ORDER

    return tuple(k for k in SOURCE_ORDER if k not in ("path", "text"))


class ForeignInvalid(ArgmapError):
    """A foreign file whose content is broken or is not the format it claims (exit 1)."""

    exit_code = 1


# --------------------------------------------------------------------------- summary


class Summary:
    """What an import mapped how: ordered lines, each with a count."""

    def __init__(self):
        self._counts: Counter = Counter()
        self._order: list[str] = []
        self.warnings: list[str] = []

    def count(self, message: str, n: int = 1) -> None:
        """Add ``n`` to the line ``message`` (``{n}`` in it is replaced by the count); a line never counted is not shown."""
        if n <= 0:
            return
        if message not in self._counts:
            self._order.append(message)
        self._counts[message] += n

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def get(self, message: str) -> int:
        return self._counts.get(message, 0)

    def items(self) -> list[tuple[str, int]]:
        return [(m, self._counts[m]) for m in self._order]

    def render(self) -> str:
        out = []
        for msg, n in self.items():
            out.append("  " + (msg.replace("{n}", str(n)) if "{n}" in msg else f"{n} {msg}"))
        for w in self.warnings:
            out.append(f"  warning: {w}")
        return "\n".join(out)


@dataclass
class ImportResult:
    map: Any  # argmap.map.model.ArgumentMap
    summary: Summary
    source_text: str | None = None  # the original text, when the input carries one


# --------------------------------------------------------------------------- ids

_ID_OK = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_WORD = re.compile(r"[A-Za-z0-9]+")
_APOS = re.compile(r"(?<=\w)['\u2019](?=\w)")
_UUIDISH = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")


def readable_id(value: str) -> bool:
    """A valid id that is worth keeping (not a UUID, not overly long)."""
    return bool(_ID_OK.match(value)) and len(value) <= 48 and not _UUIDISH.match(value)


def slug(text: str, words: int = 5, fallback: str = "n") -> str:
    """A short, readable id from text: ``Germany produces too much`` → ``germany-produces-too-much``."""
    text = text[:200]
    if "'" in text or "\u2019" in text:
        text = _APOS.sub("", text)
    ascii_text = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    parts = _WORD.findall(ascii_text.lower(), 0)[:words]
    s = "-".join(parts)[:48].strip("-")
    if not s or not s[0].isalpha():
        s = f"{fallback}-{s}" if s else fallback
    return s


class IdMaker:
    """Unique ids: keeps valid foreign ids, slugs the rest, suffixes clashes (-2, -3…)."""

    def __init__(self):
        self.taken: set[str] = set()

    def make(self, foreign: str | None, text: str) -> str:
        base = foreign if foreign is not None and readable_id(foreign) else slug(text)
        cand = base
        i = 2
        while cand in self.taken:
            cand = f"{base}-{i}"
            i += 1
        self.taken.add(cand)
        return cand


# --------------------------------------------------------------------------- quotes

_QUOTE_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ",
}


def _normalized_with_index(text: str) -> tuple[str, list[int]]:
    """Whitespace collapsed, quotes and dashes unified; with each char's index in ``text``."""
    out: list[str] = []
    idx: list[int] = []
    prev_space = True
    for i, ch in enumerate(text):
        ch = _QUOTE_MAP.get(ch, ch)
        if ch.isspace():
            if prev_space:
                continue
            ch = " "
        out.append(ch)
        idx.append(i)
        prev_space = ch == " "
    return "".join(out), idx


def normalize(text: str) -> str:
    return _normalized_with_index(text)[0].strip()


class QuoteLocator:
    """Finds the verbatim span of a source text that a node's text stands for."""

    def __init__(self, source: str):
        self.source = source
        self.norm, self.index = _normalized_with_index(source)
        self.norm_lower = self.norm.lower()
        self.cursor = 0  # quotes mostly follow the text's order: search from the last hit first
        self.norm_cursor = 0

    def _find(self, hay: str, needle: str, cursor: int) -> int:
        pos = hay.find(needle, cursor)
        return pos if pos >= 0 else hay.find(needle, 0, cursor + len(needle))

    def _span(self, start: int, end: int) -> str:
        a = self.index[start]
        b = self.index[end - 1] + 1
        return self.source[a:b].strip()

    def locate(self, fragment: str, *, fuzzy: bool = True) -> tuple[str | None, str]:
        """``(quote, how)``: how is ``exact``, ``normalized``, ``fuzzy`` or ``none``."""
        frag = fragment.strip()
        if not frag:
            return None, "none"
        pos = self._find(self.source, frag, self.cursor)
        if pos >= 0:
            self.cursor = pos + len(frag)
            return frag, "exact"
        nf = normalize(frag)
        pos = self._find(self.norm, nf, self.norm_cursor)
        if pos < 0:
            pos = self._find(self.norm_lower, nf.lower(), self.norm_cursor)
        if pos >= 0:
            self.norm_cursor = pos + len(nf)
            return self._span(pos, pos + len(nf)), "normalized"
        if not fuzzy or len(nf) < 12:
            return None, "none"
        from rapidfuzz import fuzz

        al = fuzz.partial_ratio_alignment(nf.lower(), self.norm_lower, score_cutoff=88)
        if al is None or al.dest_end <= al.dest_start:
            return None, "none"
        span_len = al.dest_end - al.dest_start
        if span_len < 0.8 * len(nf):
            return None, "none"
        return self._span(al.dest_start, al.dest_end), "fuzzy"


# --------------------------------------------------------------------------- graph


@dataclass
class GNode:
    key: str
    text: str
    kind: str | None = None  # when the source says it
    role: str | None = None  # "pro" / "opp" when the source says it
    quote: str | None = None  # verbatim span, when the source gives one
    quote_hint: str | None = None  # text to look for in the source (default: text)
    actor: str | None = None
    tags: list[str] = field(default_factory=list)
    note: str | None = None
    ignore: list[str] = field(default_factory=list)
    id_hint: str | None = None  # a preferred argmap id (e.g. an Argdown title)
    exact: bool = False  # written by argmap's export: its quote (or its lack of one) is the map's own
    answers: list[dict] = field(default_factory=list)  # {reason, question}, in argmap ids (argmap's own exports)


@dataclass
class GRel:
    key: str
    kind: str  # SUPPORT | ATTACK
    premises: list[str]  # node keys, the holder first
    target: str  # a node key or a relation key
    scheme: str | None = None
    roles: dict | None = None  # role -> argmap id (argmap's own exports)


class Graph:
    """Format-neutral argument graph built by importers."""

    def __init__(self):
        self.summary = Summary()
        self.nodes: dict[str, GNode] = {}
        self.rels: dict[str, GRel] = {}
        self.title: str | None = None
        self.source_text: str | None = None
        self.source_meta: dict[str, str] = {}

    # building ---------------------------------------------------------------
    def take_source_meta(self, meta: dict) -> None:
        """The source's title, author... that argmap's export carried (strings only)."""
        for k in _source_meta_fields():
            if isinstance(meta.get(k), str):
                self.source_meta[k] = meta[k]

    def add_node(self, key: str, text: str, **kw) -> GNode:
        if key in self.nodes:
            raise ForeignInvalid(f"node id {key!r} is used twice")
        n = GNode(key, text, **kw)
        self.nodes[key] = n
        return n

    def add_rel(self, key: str, kind: str, premises: list[str], target: str, scheme: str | None = None) -> GRel:
        if key in self.rels or key in self.nodes:
            key = f"{key}#{len(self.rels)}"
        r = GRel(key, kind, list(dict.fromkeys(premises)), target, scheme)
        self.rels[key] = r
        return r

    # conversion -------------------------------------------------------------
    def _rel_ok(self, r: GRel, seen: set[str] | None = None) -> bool:
        """A relation is usable if its premises are nodes and its target is a node or a usable relation."""
        if not r.premises or any(p not in self.nodes for p in r.premises):
            return False
        if r.target in self.nodes:
            return True
        t = self.rels.get(r.target)
        if t is None:
            return False
        seen = seen or set()
        if r.key in seen:
            return False
        seen.add(r.key)
        return self._rel_ok(t, seen)

    def _infer(self, rels: list[GRel]) -> tuple[dict[str, str], str | None]:
        """Dialectical side of every node ("pro"/"opp") and the thesis key."""
        out_node = defaultdict(list)  # node -> relations it is a premise of
        into = defaultdict(list)  # node or rel key -> relations targeting it
        for r in rels:
            for p in r.premises:
                out_node[p].append(r)
            into[r.target].append(r)
        order = list(self.nodes)
        explicit_thesis = [k for k in order if self.nodes[k].kind == "thesis"]
        roots = [k for k in order if not out_node[k]]
        if not roots:  # everything speaks for or against something (e.g. a contradiction): take what supports nothing
            roots = [k for k in order if not any(r.kind == SUPPORT for r in out_node[k])]

        # reach: how many nodes support/attack a root, directly or not
        def reach(root: str) -> int:
            seen = {root}
            q = deque([root])
            while q:
                cur = q.popleft()
                for r in into.get(cur, ()):
                    for p in r.premises:
                        if p not in seen:
                            seen.add(p)
                            q.append(p)
                    if r.key not in seen:
                        seen.add(r.key)
                        q.append(r.key)
            return len(seen)

        thesis = None
        if explicit_thesis:
            thesis = explicit_thesis[0]
        elif roots:
            pos = {k: i for i, k in enumerate(order)}
            thesis = max(roots, key=lambda k: (reach(k), -pos[k]))
        role: dict[str, str] = {}
        rel_side: dict[str, str] = {}

        def flip(s: str) -> str:
            return "opp" if s == "pro" else "pro"

        starts = ([thesis] if thesis else []) + [k for k in roots if k != thesis] + order
        for start in starts:
            if start in role:
                continue
            n = self.nodes[start]
            role[start] = n.role or "pro"
            q = deque([start])
            while q:
                cur = q.popleft()
                side = role.get(cur) or rel_side.get(cur)
                for r in into.get(cur, ()):
                    # a relation into `cur`: its premises are on cur's side when
                    # supporting, on the other side when attacking
                    pside = side if r.kind == SUPPORT else flip(side)
                    if r.key not in rel_side:
                        rel_side[r.key] = pside
                        q.append(r.key)
                    for p in r.premises:
                        if p not in role:
                            role[p] = self.nodes[p].role or pside
                            q.append(p)
                # relations leaving `cur` (cur as a premise): walk to the target too,
                # so nodes only reachable downstream get a side
                if cur in self.nodes:
                    for r in out_node.get(cur, ()):
                        if r.key not in rel_side:
                            rel_side[r.key] = role[cur]
                            q.append(r.key)
                        t = r.target
                        if t in self.nodes and t not in role:
                            role[t] = self.nodes[t].role or (role[cur] if r.kind == SUPPORT else flip(role[cur]))
                            q.append(t)
        return role, thesis

    def to_result(self) -> ImportResult:
        s = self.summary
        good = [r for r in self.rels.values() if self._rel_ok(r)]
        bad = len(self.rels) - len(good)
        if bad:
            s.warn(f"{bad} relation(s) pointing at missing nodes were left out")

        ids = IdMaker()
        wanted = {k: n.id_hint if n.id_hint is not None else k for k, n in self.nodes.items()}
        idmap = {k: ids.make(hint, self.nodes[k].text) for k, hint in wanted.items()}
        s.count("ids made from node texts (the foreign ids are not valid argmap ids or clash)",
                sum(1 for k, hint in wanted.items() if idmap[k] != hint))

        role, thesis = self._infer(good)
        # roles and answers carried by argmap's own exports name nodes by their argmap ids
        renamed = {hint: idmap[k] for k, hint in wanted.items()}

        def rename_ref(ref: str) -> str:
            return "->".join(renamed.get(p, p) for p in ref.split("->"))

        # relation references
        def ref(rk: str) -> str:
            r = self.rels[rk]
            holder = idmap[r.premises[0]]
            if r.target in self.nodes:
                return f"{holder}->{idmap[r.target]}"
            return f"{holder}->{ref(r.target)}"

        supports = defaultdict(list)
        attacks = defaultdict(list)
        undercuts = defaultdict(list)
        for r in good:
            holder = r.premises[0]
            if r.target in self.nodes:
                rel = {"to": idmap[r.target]}
                if len(r.premises) > 1:
                    rel["with"] = [idmap[p] for p in r.premises[1:]]
                    s.count(f"linked {'supports' if r.kind == SUPPORT else 'attacks'} (premises that only work together) kept as 'with' relations")
                if r.scheme:
                    rel["scheme"] = r.scheme
                if r.roles:
                    rel["roles"] = {k: renamed.get(v, v) for k, v in r.roles.items()}
                (supports if r.kind == SUPPORT else attacks)[holder].append(rel)
            else:
                target_ref = ref(r.target)
                if r.kind == SUPPORT:
                    s.warn(
                        f"a support of a relation ({', '.join(idmap[p] for p in r.premises)} → {target_ref}) "
                        "has no counterpart in the map format and was left out"
                    )
                    continue
                for p in r.premises:
                    undercuts[p].append(target_ref)
                if len(r.premises) > 1:
                    s.count("linked undercuts written as one undercut per premise (the format has no linked undercut)")
                if r.scheme:
                    s.count("scheme names of undercuts dropped (undercuts carry no scheme)")

        inferred = Counter()
        out_support = {p for r in good for p in r.premises}
        in_support = {r.target for r in good if r.kind == SUPPORT}
        nodes = []
        for k, n in self.nodes.items():
            kind = n.kind
            if kind is None:
                if k == thesis:
                    kind = "thesis"
                elif role.get(k) == "opp":
                    kind = "objection"
                elif k in in_support or k not in out_support:
                    kind = "claim"
                else:
                    kind = "premise"
                inferred[kind] += 1
            data: dict[str, Any] = {"id": idmap[k], "kind": kind, "text": n.text, "quote": n.quote or None}
            optional = {
                "actor": n.actor,
                "supports": supports[k],
                "attacks": attacks[k],
                "undercuts": list(dict.fromkeys(undercuts[k])),
                "answers": [{"reason": rename_ref(a["reason"]), "question": a["question"]} for a in n.answers],
                "tags": list(dict.fromkeys(n.tags)),
                "note": n.note,
                "ignore": n.ignore,
            }
            data.update((key, value) for key, value in optional.items() if value)
            nodes.append(data)
        if inferred:
            parts = ", ".join(
                plural(inferred[k], k, "theses" if k == "thesis" else None)
                for k in ("thesis", "claim", "premise", "objection")
                if inferred[k]
            )
            s.count(
                "kinds inferred (" + parts + "): the root claim with the most reasons is the thesis, "
                "nodes on the other side of an attack are objections, the rest claims or premises by position",
                sum(inferred.values()),
            )

        text = self.source_text
        if text is not None and not text.strip():
            text = None
        if text is not None:
            loc = QuoteLocator(text)
            how_counts = Counter()
            for data, n in zip(nodes, self.nodes.values()):
                if n.exact:
                    continue
                data["quote"], how = loc.locate(data["quote"] or n.quote_hint or n.text)
                how_counts[how] += 1
            s.count("quotes found verbatim in the source text", how_counts["exact"] + how_counts["normalized"])
            s.count("quotes taken from the closest span of the source text (the node text differs from it slightly)", how_counts["fuzzy"])
            s.count("nodes left without a quote (their text was not found in the source text)", how_counts["none"])
        for data in nodes:
            if data["quote"] is None:
                del data["quote"]
        source = dict(self.source_meta)
        if text is not None:
            source["text"] = text
        payload: dict[str, Any] = {"argmap": 1}
        if self.title:
            payload["title"] = self.title
        if source:
            payload["source"] = source
        payload["nodes"] = nodes
        from argmap.map.model import ValidationError, from_data

        try:
            amap = from_data(payload)
        except ValidationError as exc:  # pragma: no cover - a bug in an importer
            raise ForeignInvalid(f"the imported map is not valid ({exc})") from None
        return ImportResult(amap, s, text)


def apply_carried(gn: GNode, ext: dict, fields: tuple[str, ...] = ("actor", "note", "tags", "ignore")) -> None:
    """Read back onto a node what argmap's export carried in a format's extension data
    (:func:`carried_fields`): its kind, text, answers and ``fields``; values of the wrong
    type, and blank strings, are left out."""
    from argmap.map.model import KINDS

    if ext.get("kind") in KINDS:
        gn.kind = ext["kind"]
        gn.exact = True
    for key in fields:
        value = ext.get(key)
        if key in ("tags", "ignore"):
            if isinstance(value, list):
                setattr(gn, key, [str(x) for x in value])
        elif isinstance(value, str) and value.strip():
            setattr(gn, key, value)
    if isinstance(ext.get("text"), str) and ext["text"].strip():
        gn.text = ext["text"]
    gn.answers = carried_answers(ext.get("answers"))


def carried_answers(value) -> list[dict]:
    """The ``answers`` argmap's exports carry in a format's extension data (malformed items left out)."""
    from argmap.map.model import RELATION_REF_PATTERN

    if not isinstance(value, list):
        return []
    return [{"reason": a["reason"], "question": a["question"]} for a in value
            if isinstance(a, dict) and isinstance(a.get("reason"), str) and isinstance(a.get("question"), str)
            and re.fullmatch(RELATION_REF_PATTERN[1:-1], a["reason"]) and a["question"]]


def carried_roles(value) -> dict | None:
    """The ``roles`` argmap's exports carry in a format's extension data (None if absent or malformed)."""
    from argmap.map.model import ID_PATTERN

    if not isinstance(value, dict) or not value:
        return None
    if not all(isinstance(k, str) and k and isinstance(v, str) and re.fullmatch(ID_PATTERN[1:-1], v)
               for k, v in value.items()):
        return None
    return dict(value)


def index_edges(edges, nodes: dict, src_key: str, dst_key: str, what: str, name: str, summary):
    """Index a node-link format's edges: ``(out, into)`` adjacency lists by node id.

    An entry without both keys is broken content (:class:`ForeignInvalid`); edges naming
    nodes that do not exist are left out and counted in one summary warning.
    """
    into: dict[str, list[str]] = defaultdict(list)
    out: dict[str, list[str]] = defaultdict(list)
    dangling = 0
    for i, e in enumerate(edges):
        if not isinstance(e, dict) or src_key not in e or dst_key not in e:
            raise ForeignInvalid(f"{name}: edge {i + 1} is not {what} edge (it needs '{src_key}' and '{dst_key}').")
        a, b = str(e[src_key]), str(e[dst_key])
        if a not in nodes or b not in nodes:
            dangling += 1
            continue
        out[a].append(b)
        into[b].append(a)
    if dangling:
        summary.warn(f"{dangling} edge(s) name nodes that do not exist and were left out")
    return out, into


# --------------------------------------------------------------------------- export


def source_text_of(loaded) -> str | None:
    """The map's source text: inline, or read from its path (None if unreadable)."""
    from argmap.io.files import resolve_source

    found = resolve_source(loaded, allow_outside=True)
    return found.text if found is not None else None


def source_meta(source) -> dict:
    """The fields of a map's source (title, author...) that are set."""
    return {k: getattr(source, k) for k in _source_meta_fields() if getattr(source, k)} if source is not None else {}


def map_ext(loaded) -> dict:
    """What a foreign format has no place for at the top of a map: its title and source, text included."""
    ext: dict = {}
    if loaded.map.title:
        ext["title"] = loaded.map.title
    if loaded.map.source is not None:
        src = source_meta(loaded.map.source)
        text = source_text_of(loaded)
        if text is not None:
            src["text"] = text
        if src:
            ext["source"] = src
    return ext


def carried_fields(n, *, quote: bool = False, tags: bool = True, **more) -> dict:
    """What a foreign format has no place for on a node (its kind, actor, tags, note...), for the
    format's extension data; ``more`` goes before the answers. :func:`apply_carried` reads it back."""
    ext: dict = {"kind": n.kind.value}
    if " ".join(n.text.split()) != n.text:  # the importers tidy whitespace; keep the exact text
        ext["text"] = n.text
    if quote and n.quote:
        ext["quote"] = n.quote
    if n.actor:
        ext["actor"] = n.actor
    if tags and n.tags:
        ext["tags"] = list(n.tags)
    if n.note is not None:
        ext["note"] = n.note
    if n.ignore:
        ext["ignore"] = list(n.ignore)
    ext.update(more)
    if n.answers:
        ext["answers"] = [{"reason": a.reason, "question": a.question} for a in n.answers]
    return ext


def place_undercuts(undercuts, anchors: dict, place) -> list[str]:
    """Draw undercuts in a format that gives a relation a node of its own (AIF's RA/CA nodes,
    SADFace's schemes, the diagrams' junctions), innermost first, so that undercuts of undercuts
    find their target.

    ``anchors`` maps a relation ref to the node standing for it; ``place(u, anchor)`` draws the
    undercut ``u`` and returns the node standing for it, or None. Returns the notes for the
    export: undercuts that name no relation.
    """
    pending = sorted(undercuts, key=lambda u: u.ref.count("->"))
    progress = True
    while pending and progress:
        progress = False
        rest = []
        for u in pending:
            anchor = anchors.get(u.ref)
            if anchor is None:
                rest.append(u)
                continue
            own = place(u, anchor)
            if own is not None:
                anchors.setdefault(u.own_ref, own)
            progress = True
        pending = rest
    return [f"{len(pending)} undercut(s) name a relation that does not exist and were left out"] if pending else []
