"""Reasoning rules (AM3xx): acceptability under grounded semantics, near-duplicates."""

from __future__ import annotations

import re
from collections import Counter, defaultdict, deque
from itertools import chain, combinations, compress, count, repeat
from math import ceil
from operator import itemgetter

from argmap.checks.rule import WARNING, Problem, rule

IN, OUT, UNDEC = 1, -1, 0


def grounded(graph, *, shortcut: bool = True) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The grounded labelling of a map's attacks, treated as a Dung framework.

    Arguments are the nodes; ``attacks`` relations are attacks; undercuts
    attack attack-relations. Attacks on attacks are flattened the standard
    way (Boella et al. 2009): an attack R from members m1..mk to target t
    becomes auxiliary arguments X(R,mi) and Y(R) with mi → X(R,mi) → Y(R) → t,
    so Y(R) holds exactly when every member holds; an undercut of R attacks
    Y(R). (An attack with one member that nothing undercuts needs no
    auxiliaries: its Y(R) is labelled as its member is, so the member attacks t.) Supports take no part (Dung frameworks have none), so undercutting
    a support changes nothing here.

    Returns ``(label, info)``: per node id IN (1), OUT (-1) or UNDEC (0); and
    ``info["defeaters"]`` / ``info["undecided"]``: per node id, the nodes whose
    attack on it stands (is IN) / is undecided. ``shortcut=False`` builds the
    auxiliaries for every attack (the tests hold both ways equal).
    """
    index = graph.index
    relations = []  # (ref, members, target_kind, target), only those whose members all exist
    for e in graph.edges:
        if e.kind == "attacks":
            if not e.members:  # the holder of a relation always exists
                relations.append((f"{e.source}->{e.target}", (e.source,), "node", e.target))
            elif all(m in index for m in e.members):
                relations.append((f"{e.source}->{e.target}", e.members, "node", e.target))
    for u in graph.undercuts:
        relations.append((f"{u.source}->{u.ref}", (u.source,), "rel", u.ref))
    # Only nodes taking part in some attack get an argument: any other node has
    # no attacker (so it is IN) and attacks nothing (so it changes no label).
    num: dict[str, int] = {}
    attacks: list[list[int]] = []  # attacker -> attacked

    def node_arg(nid: str) -> int:
        k = num.get(nid)
        if k is None:
            k = num[nid] = len(attacks)
            attacks.append([])
        return k

    y_of: dict[str, list[int]] = defaultdict(list)
    built = []
    undercut = {u.ref for u in graph.undercuts}  # the relations something undercuts
    for ref, members, tkind, target in relations:
        if shortcut and len(members) == 1 and tkind == "node" and ref not in undercut:
            # Y(R) has the one attacker X(R,m), which has the one attacker m: Y is
            # in, out or undecided exactly when m is, so m attacks the target itself
            y = node_arg(members[0])
        else:
            y = len(attacks)
            attacks.append([])
            for m in members:
                x = len(attacks)
                attacks.append([y])
                attacks[node_arg(m)].append(x)
            y_of[ref].append(y)
        built.append((y, members[0], tkind, target))
    for y, _source, tkind, target in built:
        if tkind == "node":
            if target in index:
                attacks[y].append(node_arg(target))
        else:
            for ty in y_of.get(target, ()):
                attacks[y].append(ty)
    n_args = len(attacks)
    # grounded labelling by counting undefeated attackers
    pending = [0] * n_args
    for targets in attacks:
        for b in targets:
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
    node_label = dict.fromkeys(index, IN)
    for nid, k in num.items():
        node_label[nid] = label[k]
    # which attackers actually defeat each node (their attack relation is IN)
    defeaters: dict[str, list[str]] = defaultdict(list)
    undecided: dict[str, list[str]] = defaultdict(list)
    for y, source, tkind, target in built:
        if tkind != "node" or target not in index:
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
    undercut_sources = {u.ref.split("->", 1)[0] for u in g.undercuts}  # once, not once per target
    answered_memo: dict[str, bool] = {}

    def is_answered(d: str) -> bool:
        """Whether something attacks ``d`` or undercuts a relation of it (once per node, however
        many targets ``d`` defeats)."""
        a = answered_memo.get(d)
        if a is None:
            a = answered_memo[d] = d in undercut_sources or any(e.kind == "attacks" for e in g.in_edges.get(d, ()))
        return a

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
            answered = any(map(is_answered, defeaters))
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

_WORD_PATTERN = r"[^\W_]+"  # a word: letters and digits
JACCARD = 0.8  # word-set similarity a pair must reach to be compared closely
RATIO = 88.0  # rapidfuzz ratio (0..100) of the normalised texts to report the pair


def _tokens(text: str) -> list[str]:
    return re.findall(_WORD_PATTERN, text.casefold())


def _folded(texts: list[str]) -> list[str]:
    """Each text's words (as :func:`_tokens` finds them) separated by whitespace.

    An ASCII text is folded with one ``bytes.translate`` (letters to lower case,
    every other character to a space), each text on its own: folding them joined
    made four copies of all the texts at once, fresh memory a new process pays
    for page by page.
    """
    return [t.encode("ascii").translate(_ASCII_FOLD).decode("ascii") if t.isascii() else " ".join(_tokens(t))
            for t in texts]


# ASCII letters and digits in lower case (casefold, on ASCII), every other character a space
_ASCII_FOLD = bytes(ord(chr(c).lower()) if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def near_duplicate_pairs(
    texts: list[str], jaccard: float = JACCARD, ratio: float = RATIO, *, stats: dict | None = None
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, score)`` with ``i < j`` whose texts nearly repeat each other.

    No all-pairs comparison: a set-similarity join with prefix filtering
    (Bayardo et al., "Scaling up all pairs similarity search", 2007), in its
    two-token form (Wang et al., "Can we beat the prefix filtering?", 2012).
    Words are ordered rarest first (as a sample of the texts tells, see
    :func:`_ranked_word_sets`; any fixed order keeps the join exact). Two
    word sets sharing ``o`` words share the first two of them (in that
    order) inside the first ``|x| - o + 2`` words of each, and a Jaccard
    similarity ≥ t needs ``o ≥ ceil(t·|x|)``; so only texts whose prefixes
    share a *pair* of words are compared (pairs of rare words almost never
    repeat by chance), and tiny texts that could match on one word are
    compared when they share one.
    Candidates are confirmed by Jaccard ≥ ``jaccard`` and a rapidfuzz
    ``ratio`` ≥ ``ratio`` on the normalised texts. ``stats``, when given,
    receives the number of pairs compared (``"compared"``).
    """
    return _scored_pairs(texts, _ranked_word_sets(_folded(texts)), jaccard, ratio, stats)


def _scored_pairs(texts, ranked, jaccard, ratio, stats) -> list[tuple[int, int, float]]:
    candidates = _similar_sets(ranked, jaccard, stats)
    if not candidates:
        return []
    from rapidfuzz import fuzz

    from argmap.map.source import normalize

    folded: dict[int, str] = {}

    def norm(k: int) -> str:
        f = folded.get(k)
        if f is None:
            f = folded[k] = normalize(texts[k]).casefold().strip()
        return f

    out = []
    score_of = fuzz.ratio
    for i, j in candidates:
        score = score_of(norm(i), norm(j))
        if score >= ratio:
            out.append((i, j, score))
    return out


def _ranked_word_sets(parts: list[str]) -> list[list[int]]:
    """Each text's set of words (``parts``: :func:`_folded`) as a sorted list of word
    ranks, rarest word first.

    Any fixed order of the words keeps the join exact (see :func:`_similar_sets`);
    rarest first prunes best. The order comes from a sample spread over the map
    (every ``n // SAMPLE``-th text: 128 to 255 of them, every text of a map of
    fewer than 256): first the words no sampled text holds, which are rare
    (ranked below zero, the one met last first), then the others by how many
    sampled texts hold them, fewest first (ties in the order they first come).
    So each word is numbered straight into its rank as it is read, and a text's
    ranks are sorted as numbers, in C. Counting every text first took a second
    pass over every word: 42 ms against 33 ms for the ranks of 1,000 texts of
    180 words.
    """
    step = max(1, len(parts) // SAMPLE)
    # each sampled text's words once, in the order they come (a dict, not a set: the order
    # breaks ties between equally rare words, and must not change from run to run)
    held = Counter(chain.from_iterable(dict.fromkeys(part.split()) for part in parts[::step]))
    rank = {w: r for r, w in enumerate(sorted(held, key=held.__getitem__))}
    setdefault, unseen = rank.setdefault, count(-1, -1)
    return [sorted(set(map(setdefault, part.split(), unseen))) for part in parts]


SAMPLE = 128  # texts whose words are counted to order the vocabulary (see _ranked_word_sets)
# Bounds of the candidate search (see _similar_sets)
SINGLE_FROM = 20  # sets of this many words or more are keyed by single prefix words
GROUP_ALL = 48  # a key shared by at most this many sets: every pair of them is compared
WINDOW = 3  # in a larger group, each set is compared with the next WINDOW sets in two word orders
BUDGET_PER_TEXT = 16  # at most about BUDGET_PER_TEXT * n + BUDGET_FLOOR pairs of short texts are compared
BUDGET_FLOOR = 20_000
TOP_PAIRED = 4  # long sets are also keyed by the pairs of this many rarest words
PEEK = 16  # a pair's first check: are all but `slack` of these many more words of one set in the other?
PAIR_WORDS = 16  # comparing a pair costs about as much as intersecting this many words more


def _groups(keys: list, owners: list[int], first_pairs: float):
    """The owners of each key held by two or more of them (``owners`` aligned with
    ``keys``, increasing), smallest groups first, ties in the order keys first come.

    A caller usually stops after the smallest groups, so they are gathered in
    rounds: first the groups that make about ``first_pairs`` pairs in all, then
    four times as many more, then the rest; each round is one pass over ``keys``
    in C, and Python touches only the owners of the groups it hands out.
    """
    holders = Counter(keys)  # key -> how many sets hold it
    if len(holders) == len(keys):  # no key starts two prefixes
        return
    shared = sorted(compress(holders.items(), map((1).__lt__, holders.values())), key=itemgetter(1))
    start = 0
    for limit in (first_pairs, 4 * first_pairs, float("inf")):
        end, made = start, 0.0
        while end < len(shared) and made <= limit:
            c = shared[end][1]
            made += min(c * (c - 1) / 2, 2 * WINDOW * c)  # about the pairs a group makes
            end += 1
        groups = {key: [] for key, _ in shared[start:end]}
        for key, k in compress(zip(keys, owners), map(groups.__contains__, keys)):
            groups[key].append(k)
        yield from groups.values()
        start = end


def _similar_sets(ranked: list[list[int]], jaccard: float, stats: dict | None) -> list[tuple[int, int]]:
    """Sorted pairs ``(i, j)``, ``i < j``, whose word sets have Jaccard similarity ≥ ``jaccard``.

    Exactly the pairs passing ``inter >= jaccard * (|a| + |b| - inter)``
    (``0 < jaccard <= 1``) as long as no key is shared by more than
    ``GROUP_ALL`` sets and the budget holds (then ``stats["capped"]`` is
    False). Such a pair shares ``inter >= ceil(jaccard·|x|)`` words for
    either set ``x``, so its ``k`` first shared words (in word order) lie
    in the prefix of ``|x| - ceil(jaccard·|x|) + k`` words of each (the
    prefix holds all but ``inter - k`` of the words of ``x``, so it cannot
    skip one of them).
    Keys: sets smaller than ``SINGLE_FROM / jaccard`` words are keyed by the
    *pairs* of words of their prefix (``k = 2``: pairs of rare words almost
    never repeat by chance), sets of ``SINGLE_FROM`` words or more by the
    single words of their prefix (``k = 1``: a long text would have too many
    pairs); a pair of sets that can reach ``jaccard`` has sizes within a
    factor ``jaccard``, so both are keyed the same way at least once. With
    ``inter == 1`` both sets have at most ``1/jaccard`` words: those are
    keyed by their word.

    Bounded work on any input: a key shared by more than ``GROUP_ALL`` sets
    (texts drawn from a small vocabulary) compares each set only with its
    ``WINDOW`` neighbours in that group sorted by word ranks (sets sharing
    their rarest words sit together), and no more than ``BUDGET_PER_TEXT·n +
    BUDGET_FLOOR`` pairs are compared in all, smallest groups first. When
    either bound cuts the search, ``stats["capped"]`` is True and some
    similar pairs may be missed. ``stats["compared"]`` counts the distinct
    pairs whose sets were intersected.
    """
    n = len(ranked)
    sizes = list(map(len, ranked))
    pair_len: dict[int, int] = {}  # set size -> prefix length keyed by pairs (0: none)
    single_len: dict[int, int] = {}  # set size -> prefix length keyed by single words (0: none)
    small_sizes = set()  # sizes where one shared word can be enough
    for size in set(sizes):
        need = ceil(jaccard * size - 1e-9)
        pair_len[size] = min(size, size - need + 2) if jaccard * size < SINGLE_FROM + 1 else 0
        single_len[size] = size - need + 1 if size >= SINGLE_FROM else 0
        if size and jaccard * size <= 1 + 1e-9:
            small_sizes.add(size)
    keys: list = []
    counts: list[int] = []  # keys per set, aligned with ranked
    if any(pair_len.values()):
        prefixes = list(map(list.__getitem__, ranked, map(slice, repeat(None), map(pair_len.__getitem__, sizes))))
        keys.extend(chain.from_iterable(map(combinations, prefixes, repeat(2))))
        plens = list(map(len, prefixes))
        c2 = [k * (k - 1) // 2 for k in range(max(plens) + 1)]  # pairs in a prefix of k words
        counts = list(map(c2.__getitem__, plens))
    else:
        counts = [0] * n
    owners = list(chain.from_iterable(map(repeat, range(n), counts)))  # aligned with keys
    if any(single_len.values()):  # long sets: their rarest words (ints: no clash with the tuples of pairs)
        for k, size in enumerate(sizes):
            m = single_len[size]
            if m:
                keys += ranked[k][:m]
                owners += repeat(k, m)
                if not pair_len[size]:
                    # and the pairs of their TOP_PAIRED rarest words: not needed for exactness, but
                    # such keys are rare, so these groups come first and stay small (near duplicates
                    # share their rarest words) when the single words are too common to compare all
                    top = list(combinations(ranked[k][:TOP_PAIRED], 2))
                    keys.extend(top)
                    owners.extend(repeat(k, len(top)))
    if small_sizes:  # sets so small that one shared word can be enough
        for k, size in enumerate(sizes):
            if size in small_sizes:
                keys.extend(("w", w) for w in ranked[k])
                owners.extend(repeat(k, size))
    pairs: set[tuple[int, int]] = set()
    budget = BUDGET_PER_TEXT * n + BUDGET_FLOOR  # in comparisons of two texts of PAIR_WORDS words
    spent = 0.0
    capped = False
    add, update = pairs.add, pairs.update

    def reversed_ranks(k: int) -> list[int]:
        return ranked[k][::-1]

    for ks in _groups(keys, owners, budget * 2 * PAIR_WORDS / (PAIR_WORDS + sum(sizes) / max(n, 1))):
        if spent >= budget:  # the rarest keys come first: they tell sets apart best
            capped = True
            break
        before = len(pairs)
        if len(ks) <= GROUP_ALL:
            ks.sort()  # (two increasing runs when a long set's top pair meets sets keyed by pairs)
            update(combinations(ks, 2))  # each pair is (i, j) with i < j
        else:
            capped = True
            # neighbours in word order, rarest words first and then commonest first: two sets
            # differing in one word share all the words before it, or all the words after it
            for order in (sorted(ks, key=ranked.__getitem__), sorted(ks, key=reversed_ranks)):
                for x, i in enumerate(order):
                    for j in order[x + 1:x + 1 + WINDOW]:
                        add((i, j) if i < j else (j, i))
        # a pair costs about a fixed overhead plus the words of its smaller set
        spent += (len(pairs) - before) * (PAIR_WORDS + min(map(sizes.__getitem__, ks))) / (2 * PAIR_WORDS)
    if stats is not None:
        stats["compared"] = len(pairs)
        stats["capped"] = capped
    out = []
    b, j_of_b = set(), -1
    # by j, so one set is built at a time (each set of a long text is a few KB of fresh memory)
    for i, j in sorted(pairs, key=itemgetter(1)):
        if j != j_of_b:
            b, j_of_b = set(ranked[j]), j
        # at most `slack` words of i are not in j; a look at i's first words rules most pairs out
        slack = sizes[i] - ceil(jaccard * (sizes[i] + sizes[j]) / (1 + jaccard) - 1e-9)
        if slack < 0 or len(b.intersection(ranked[i][:slack + PEEK])) < min(sizes[i], slack + PEEK) - slack:
            continue
        inter = len(b.intersection(ranked[i]))
        if inter >= jaccard * (sizes[i] + sizes[j] - inter):
            out.append((i, j))
    out.sort()
    return out


def first_near_duplicates(texts: list[str], *, stats: dict | None = None) -> list[tuple[int, int, float]]:
    """For each text that nearly repeats an earlier one: ``(i, j, score)`` with
    ``i`` the earliest such text (``i < j``), one entry per ``j``, by ``j``.

    The same pair relation as :func:`near_duplicate_pairs`, reported once per
    node, so a map where many nodes share a text gives one warning per copy
    instead of one per pair (which grows with the square of the copies).
    Identical texts are grouped first and the join runs over distinct texts.
    ``stats`` as for :func:`near_duplicate_pairs` (``"capped"``: the search
    was bounded, see :func:`_similar_sets`).
    """
    n = len(texts)
    first_of = dict(zip(reversed(texts), range(n - 1, -1, -1)))  # text -> its first index
    if len(first_of) == n:  # every text differs: each is its own group
        first: list[int] = list(range(n))
        groups = first
        distinct = texts
    else:
        group_of: dict[str, int] = {}
        first = []  # first index of each distinct text
        groups = []
        for k, t in enumerate(texts):
            g = group_of.get(t)
            if g is None:
                g = group_of[t] = len(first)
                first.append(k)
            groups.append(g)
        distinct = [texts[k] for k in first]
    ranked = _ranked_word_sets(_folded(distinct))
    best: dict[int, tuple[int, float]] = {}  # group -> (earliest partner node, score)
    for a, b, score in _scored_pairs(distinct, ranked, JACCARD, RATIO, stats):
        for g, h in ((a, b), (b, a)):
            cur = best.get(g)
            if cur is None or first[h] < cur[0]:
                best[g] = (first[h], score)
    if groups is first:  # no repeated text: only the pairs count
        return [(best[j][0], j, best[j][1]) for j in sorted(best) if best[j][0] < j]
    out = []
    for j, g in enumerate(groups):
        cand = best.get(g)
        if first[g] < j and ranked[g]:  # an identical earlier text (with a word): 100% similar
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
    whitespace, quotes and dashes. Each node is reported once, against the
    earliest node it nearly repeats, so ten copies of a text give nine
    warnings, not forty-five.

    Fast on large maps, and bounded on any map: only texts whose rarest
    words coincide are compared (a prefix-filtered similarity join), and
    the work grows linearly with the number of nodes. On usual maps the
    search is exact. When the texts share most of their words (a long map
    drawn from a small vocabulary), each text is compared only with its
    closest neighbours in word order and the number of pairs compared is
    capped; the search is then approximate, and one warning without a node
    says so (a near duplicate may go unreported).

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
    stats: dict = {}
    for i, j, score in first_near_duplicates([n.text for n in nodes], stats=stats):
        line = ctx.line_of(i)
        where = f" (line {line})" if line else ""
        yield Problem(
            f"the text of {nodes[j].id!r} nearly repeats {nodes[i].id!r}{where} ({score:.0f}% similar); "
            "merge them, or say how they differ",
            node=j, at=("nodes", j, "text"), extra={"duplicate_of": nodes[i].id, "similarity": round(score, 1)},
        )
    if stats.get("capped"):
        yield Problem(
            f"the near-duplicate search was cut short: the texts share too many words to compare every "
            f"similar pair ({stats['compared']:,} pairs compared for {len(nodes):,} nodes), so a near "
            "duplicate may be missing from this report",
            line=1, column=1,  # the whole map: no need to work out positions (a pass over a JSON map) for it
            extra={"compared": stats["compared"], "approximate": True},
        )
