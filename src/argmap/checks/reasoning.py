"""Reasoning rules (AM3xx): acceptability under grounded semantics, near-duplicates."""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from math import ceil

from argmap.checks.registry import WARNING, Problem, rule

IN, OUT, UNDEC = 1, -1, 0


def grounded(graph) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The grounded labelling of a map's attacks, treated as a Dung framework.

    Arguments are the nodes; ``attacks`` relations are attacks; undercuts
    attack attack-relations. Attacks on attacks are flattened the standard
    way (Boella et al. 2009): an attack R from members m1..mk to target t
    becomes auxiliary arguments X(R,mi) and Y(R) with mi → X(R,mi) → Y(R) → t,
    so Y(R) holds exactly when every member holds; an undercut of R attacks
    Y(R). Supports take no part (Dung frameworks have none), so undercutting
    a support changes nothing here.

    Returns ``(label, info)``: per node id IN (1), OUT (-1) or UNDEC (0); and
    ``info["defeaters"]`` / ``info["undecided"]``: per node id, the nodes whose
    attack on it stands (is IN) / is undecided.
    """
    ids = list(graph.index)
    num: dict[str, int] = {nid: k for k, nid in enumerate(ids)}
    n_args = len(ids)
    attacks: list[list[int]] = [[] for _ in ids]  # attacker -> attacked

    def new_arg() -> int:
        nonlocal n_args
        attacks.append([])
        n_args += 1
        return n_args - 1

    relations = []  # (ref, members, target_kind, target)
    for e in graph.edges:
        if e.kind == "attacks":
            relations.append((e.ref, e.sources, "node", e.target))
    for u in graph.undercuts:
        relations.append((u.own_ref, (u.source,), "rel", u.ref))
    y_of: dict[str, list[int]] = defaultdict(list)
    built = []
    for ref, members, tkind, target in relations:
        if any(m not in num for m in members):
            continue
        y = new_arg()
        for m in members:
            x = new_arg()
            attacks[num[m]].append(x)
            attacks[x].append(y)
        y_of[ref].append(y)
        built.append((y, members[0], tkind, target))
    for y, _source, tkind, target in built:
        if tkind == "node":
            if target in num:
                attacks[y].append(num[target])
        else:
            for ty in y_of.get(target, ()):
                attacks[y].append(ty)
    # grounded labelling by counting undefeated attackers
    pending = [0] * n_args
    for a in range(n_args):
        for b in attacks[a]:
            pending[b] += 1
    label = [UNDEC] * n_args
    queue = deque(a for a in range(n_args) if pending[a] == 0)
    for a in queue:
        label[a] = IN
    while queue:
        a = queue.popleft()
        for b in attacks[a]:
            if label[b] != UNDEC:
                continue
            label[b] = OUT
            for c in attacks[b]:
                if label[c] == UNDEC:
                    pending[c] -= 1
                    if pending[c] == 0:
                        label[c] = IN
                        queue.append(c)
    node_label = {nid: label[num[nid]] for nid in ids}
    # which attackers actually defeat each node (their attack relation is IN)
    defeaters: dict[str, list[str]] = defaultdict(list)
    undecided: dict[str, list[str]] = defaultdict(list)
    for y, source, tkind, target in built:
        if tkind != "node" or target not in num:
            continue
        if label[y] == IN:
            defeaters[target].append(source)
        elif label[y] == UNDEC:
            undecided[target].append(source)
    return node_label, {"defeaters": defeaters, "undecided": undecided}


@rule("AM301", "unanswered-objection", WARNING, "reasoning")
def unanswered_objection(ctx):
    """The thesis or a recommendation is not acceptable: an attack on it stands unanswered.

    The map's attacks are read as a Dung argumentation framework and its
    grounded extension is computed (the conclusions a sceptical reader must
    accept): a node is in when every attack on it comes from a node that is
    out (or from a relation undercut by a node that is in), and out when an
    attacker is in. The thesis and each recommendation should be in; when
    one is not, the message names the objection that defeats it, so the
    analyst can map the author's answer to it (or record that there is none).
    Supports do not rescue a node here: an answer has to attack the
    objection or undercut its attack.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: evasion
            kind: objection
            text: Owners will dodge the tax by renting to friends.
            attacks: [thesis]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: evasion
            kind: objection
            text: Owners will dodge the tax by renting to friends.
            attacks: [thesis]
          - id: audits
            kind: premise
            text: Sham lets show up in tax audits.
            attacks: [evasion]
    """
    g = ctx.graph
    targets = [nid for nid, k in g.kinds.items() if k in ("thesis", "recommendation")]
    if not targets or not any(e.kind == "attacks" for e in g.edges):
        return
    label, info = grounded(g)
    for nid in targets:
        if label[nid] == IN:
            continue
        i = g.index[nid]
        kind = g.kinds[nid]
        what = "the thesis" if kind == "thesis" else "recommendation"
        defeaters = list(dict.fromkeys(info["defeaters"].get(nid, ())))
        if defeaters:
            names = ", ".join(f"{g.kinds.get(d, 'node')} {d!r}" for d in defeaters)
            one = len(defeaters) == 1
            answered = any(e.kind == "attacks" for d in defeaters for e in g.in_edges.get(d, ())) or any(
                u.ref.split("->", 1)[0] in defeaters for u in g.undercuts
            )
            tail = ("every answer to it is itself defeated" if one else "every answer to them is itself defeated") \
                if answered else ("nothing answers it" if one else "nothing answers them")
            msg = f"{what} {nid!r} is not acceptable: {names} {'attacks' if one else 'attack'} it and {tail}"
        else:
            undecided = list(dict.fromkeys(info["undecided"].get(nid, ())))
            names = ", ".join(repr(d) for d in undecided)
            msg = (f"{what} {nid!r} is not acceptable: the attack by {names} is caught in a cycle of attacks "
                   "that nothing settles")
        yield Problem(msg, node=i, at=("nodes", i, "id"), extra={"defeated_by": defeaters})


# --------------------------------------------------------------------------- near-duplicates

_WORD = re.compile(r"[^\W_]+", re.U)
JACCARD = 0.8  # word-set similarity a pair must reach to be compared closely
RATIO = 88.0  # rapidfuzz ratio (0..100) of the normalised texts to report the pair


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def near_duplicate_pairs(
    texts: list[str], jaccard: float = JACCARD, ratio: float = RATIO, *, stats: dict | None = None
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, score)`` with ``i < j`` whose texts nearly repeat each other.

    No all-pairs comparison: a set-similarity join with prefix filtering
    (Bayardo et al., "Scaling up all pairs similarity search", 2007). Words
    are ordered rarest first; two word sets with Jaccard similarity ≥ t must
    share a word among the first ``|x| - ceil(t·|x|) + 1`` of each, so only
    texts sharing such a rare word are compared (and only when their sizes
    allow it). Candidates are confirmed by Jaccard ≥ ``jaccard`` and a
    rapidfuzz ``ratio`` ≥ ``ratio`` on the normalised texts. ``stats``, when
    given, receives the number of pairs compared (``"compared"``).
    """
    token_sets = [set(_WORD.findall(t.casefold())) for t in texts]
    freq = Counter(w for ts in token_sets for w in ts)
    # global order: rarest first (ties in first-seen order); records become sorted rank lists
    rank = {w: r for r, w in enumerate(sorted(freq, key=freq.__getitem__))}
    ordered = [sorted(map(rank.__getitem__, ts)) for ts in token_sets]
    frozen = [frozenset(o) for o in ordered]
    order = sorted(range(len(texts)), key=lambda k: len(ordered[k]))
    index: dict[int, list[int]] = defaultdict(list)
    candidates: list[tuple[int, int]] = []
    compared = 0
    for k in order:  # by size, so every indexed record is no larger than this one
        toks = ordered[k]
        size = len(toks)
        if size == 0:
            continue
        probe = size - ceil(jaccard * size - 1e-9) + 1
        # records come by size, so later partners are at least as large: indexing
        # the shorter "mid-prefix" suffices (Bayardo et al., section 4)
        indexed = size - ceil(2 * jaccard / (1 + jaccard) * size - 1e-9) + 1
        seen: set[int] = set()
        for pos, w in enumerate(toks[:probe]):
            bucket = index.get(w)
            if bucket:
                seen.update(bucket)
            if pos < indexed:
                index[w].append(k)
        if not seen:
            continue
        compared += len(seen)
        a = frozen[k]
        min_size = jaccard * size
        for other in seen:
            b = frozen[other]
            if len(b) < min_size:
                continue
            inter = len(a & b)
            if inter >= jaccard * (len(a) + len(b) - inter):
                candidates.append((min(k, other), max(k, other)))
    if stats is not None:
        stats["compared"] = compared
    if not candidates:
        return []
    from rapidfuzz import fuzz

    from argmap.source import normalize

    out = []
    for i, j in sorted(set(candidates)):
        score = fuzz.ratio(normalize(texts[i]).casefold().strip(), normalize(texts[j]).casefold().strip())
        if score >= ratio:
            out.append((i, j, score))
    return out


def first_near_duplicates(texts: list[str]) -> list[tuple[int, int, float]]:
    """For each text that nearly repeats an earlier one: ``(i, j, score)`` with
    ``i`` the earliest such text (``i < j``), one entry per ``j``, by ``j``.

    The same pair relation as :func:`near_duplicate_pairs`, reported once per
    node, so a map where many nodes share a text gives one warning per copy
    instead of one per pair (which grows with the square of the copies).
    Identical texts are grouped first and the join runs over distinct texts.
    """
    group_of: dict[str, int] = {}
    first: list[int] = []  # first index of each distinct text
    groups = []
    for k, t in enumerate(texts):
        g = group_of.get(t)
        if g is None:
            g = group_of[t] = len(first)
            first.append(k)
        groups.append(g)
    distinct = [texts[k] for k in first]
    best: dict[int, tuple[int, float]] = {}  # group -> (earliest partner node, score)
    for a, b, score in near_duplicate_pairs(distinct):
        for g, h in ((a, b), (b, a)):
            cur = best.get(g)
            if cur is None or first[h] < cur[0]:
                best[g] = (first[h], score)
    has_words = [bool(_WORD.search(t.casefold())) for t in distinct]
    out = []
    for j, g in enumerate(groups):
        cand = best.get(g)
        if first[g] < j and has_words[g]:  # an identical earlier text: 100% similar
            if cand is None or first[g] < cand[0]:
                cand = (first[g], 100.0)
        if cand is not None and cand[0] < j:
            out.append((cand[0], j, cand[1]))
    return out


@rule("AM302", "near-duplicate", WARNING, "reasoning")
def near_duplicate(ctx):
    """Two nodes say nearly the same thing.

    Two nodes with (nearly) the same text are one statement mapped twice:
    the relations of the argument end up split between them. Texts count as
    near duplicates when their word sets overlap by 80% (Jaccard) and their
    characters match 88% (rapidfuzz ratio), after normalising case,
    whitespace, quotes and dashes. Fast on large maps: only texts sharing a
    rare word are compared (a prefix-filtered similarity join). Each node
    is reported once, against the earliest node it nearly repeats, so ten
    copies of a text give nine warnings, not forty-five.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push up rents in cities.
            supports: [thesis]
          - id: rents2
            kind: claim
            text: Empty homes push rents up in cities.
            supports: [thesis]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push up rents in cities.
            supports: [thesis]
          - id: supply
            kind: claim
            text: Empty homes take flats off a short market.
            supports: [thesis]
    """
    nodes = ctx.nodes
    for i, j, score in first_near_duplicates([n.text for n in nodes]):
        line = ctx.line_of(i)
        where = f" (line {line})" if line else ""
        yield Problem(
            f"the text of {nodes[j].id!r} nearly repeats {nodes[i].id!r}{where} ({score:.0f}% similar); "
            "merge them, or say how they differ",
            node=j, at=("nodes", j, "text"), extra={"duplicate_of": nodes[i].id, "similarity": round(score, 1)},
        )
