"""Structure rules (AM1xx): ids, relations, cycles, the thesis, reach, kinds."""

from __future__ import annotations

from itertools import chain

from argmap.checks.rule import ERROR, WARNING, Problem, rule
from argmap.map.diagnostics import did_you_mean


def _at(i: int, kind: str, j: int, members: tuple, scheme) -> tuple:
    """Where a relation's target is written: the list item itself for a bare id,
    its ``to:`` for a relation with ``with`` or ``scheme``."""
    return ("nodes", i, kind, j) if not members and scheme is None else ("nodes", i, kind, j, "to")


def _close_id(ctx, name: str) -> str:
    ids = ctx.graph.index
    if len(ids) <= 5000:
        return did_you_mean(name, ids, cutoff=0.75)
    from rapidfuzz import process

    hit = process.extractOne(name, list(ids), score_cutoff=85)
    return f" (did you mean {hit[0]!r}?)" if hit else ""


@rule("AM101", "duplicate-id", ERROR, "structure")
def duplicate_id(ctx):
    """Two nodes share an id.

    Relations name nodes by id, so a repeated id makes every relation to it
    ambiguous. argmap never merges the two: each repeat is reported at its
    ``id:`` line, naming the line of the first.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: thesis
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    first: dict[str, int] = {}
    for i, n in enumerate(ctx.nodes):
        if n.id in first:
            line = ctx.line_of(first[n.id])
            where = f" on line {line}" if line else ""
            yield Problem(f"duplicate id {n.id!r}; it is already used by node {first[n.id] + 1}{where}",
                          node=i, at=("nodes", i, "id"))
        else:
            first[n.id] = i


@rule("AM102", "dangling-relation", ERROR, "structure")
def dangling_relation(ctx):
    """A relation names a node (or, for an undercut, a relation) that does not exist.

    A reference to nothing is a typo or a leftover of a deleted node; the
    argument it was meant to carry is silently lost. The message suggests
    the closest existing id, and otherwise says to remove the relation or
    restore the node.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesys]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    g = ctx.graph
    ids = g.index
    edges = g.edges
    # the usual case, asked of whole sets at once: every target and co-premise exists
    named = {e.target for e in edges}
    named.update(chain.from_iterable(e.members for e in edges if e.members))
    if not named <= ids.keys():
        for _source, target, kind, members, scheme, i, j in edges:
            if target not in ids:
                yield Problem(f"{kind} {target!r}, but no node has that id{_close_id(ctx, target)}; "
                              "remove the relation or restore the node",
                              node=i, at=_at(i, kind, j, members, scheme))
            for k, m in enumerate(members[1:]):
                if m not in ids:
                    yield Problem(f"{kind} {target!r} with {m!r}, but no node has that id{_close_id(ctx, m)}; "
                                  "remove it from 'with' or restore the node",
                                  node=i, at=("nodes", i, kind, j, "with", k))
    refs = None
    for u in g.undercuts:
        parts = u.ref.split("->")
        missing = [p for p in parts if p not in ids]
        at = ("nodes", u.node_index, "undercuts", u.rel_index)
        if missing:
            yield Problem(f"undercuts {u.ref!r}, but no node has the id {missing[0]!r}{_close_id(ctx, missing[0])}; "
                          "remove the undercut or restore the node",
                          node=u.node_index, at=at)
            continue
        if refs is None:
            refs = g.relation_refs()
        if u.ref not in refs:
            src, _, tgt = u.ref.partition("->")
            yield Problem(
                f"undercuts {u.ref!r}, but {src!r} has no supports, attacks or undercuts relation to {tgt!r}",
                node=u.node_index, at=at,
            )


@rule("AM103", "self-relation", ERROR, "structure")
def self_relation(ctx):
    """A node supports, attacks or undercuts itself.

    A statement cannot be a reason for or against itself; this is almost
    always a copy-and-paste slip. Covers a node that is its own target, that
    lists itself or its target in ``with``, and an undercut of the
    undercutting node's own relation.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [rents, thesis]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    g = ctx.graph
    for source, target, kind, members, scheme, i, j in g.edges:
        if target == source:
            yield Problem(f"{source!r} {kind} itself", node=i, at=_at(i, kind, j, members, scheme))
        if members:
            for k, m in enumerate(members[1:]):
                if m == source or m == target:
                    yield Problem(f"{source!r} {kind} {target!r} with {m!r}, which is "
                                  f"{'the node itself' if m == source else 'the target itself'}",
                                  node=i, at=("nodes", i, kind, j, "with", k))
    for u in g.undercuts:
        if u.source in u.ref.split("->"):
            yield Problem(f"{u.source!r} undercuts {u.ref!r}, a relation it takes part in itself",
                          node=u.node_index, at=("nodes", u.node_index, "undercuts", u.rel_index))


@rule("AM104", "circular-support", ERROR, "structure")
def circular_support(ctx):
    """Nodes support each other in a circle (A supports B ... supports A).

    Circular support is begging the question: no statement in the circle
    gets a reason from outside it. The whole cycle is reported, once per
    circle, at the relation that starts it.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: a
            kind: claim
            text: Homes are left empty.
            supports: [thesis, b]
          - id: b
            kind: claim
            text: Owners expect prices to rise.
            supports: [a]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: a
            kind: claim
            text: Homes are left empty.
            supports: [thesis]
          - id: b
            kind: claim
            text: Owners expect prices to rise.
            supports: [a]
    """
    g = ctx.graph
    for cycle in g.support_cycles():
        if len(cycle) <= 2:  # a node supporting itself: self-relation
            continue
        a, b = cycle[0], cycle[1]
        edge = next((e for e in g.out_edges.get(a, ()) if e.kind == "supports" and e.target == b), None)
        text = " → ".join(cycle)
        if edge is None:
            idx = g.index.get(a)
            yield Problem(f"circular support: {text}", node=idx)
        else:
            holder = edge.node_index
            yield Problem(f"circular support: {text}", node=holder,
                          at=("nodes", holder, "supports", edge.rel_index))


@rule("AM105", "thesis-count", ERROR, "structure")
def thesis_count(ctx):
    """The map does not have exactly one thesis.

    Every other node is read as a reason for or against the thesis, and
    ``orphan-node``, the tree view and renders start from it. With none the
    map has no conclusion; with several it is two maps in one file.

    Failing example::

        argmap: 1
        nodes:
          - id: taxes
            kind: claim
            text: Cities should tax empty homes.
    Passing example::

        argmap: 1
        nodes:
          - id: taxes
            kind: thesis
            text: Cities should tax empty homes.
    """
    theses = [i for i, k in enumerate(ctx.graph.node_kinds) if k == "thesis"]
    if not theses:
        yield Problem("the map has no thesis; give its main conclusion 'kind: thesis'", at=("nodes",), key=True)
        return
    first = theses[0]
    line = ctx.line_of(first) if len(theses) > 1 else None
    for i in theses[1:]:
        yield Problem(
            f"a second thesis {ctx.nodes[i].id!r}; a map has exactly one (the first is "
            f"{ctx.nodes[first].id!r}{f' on line {line}' if line else ''}); make this one a claim",
            node=i, at=("nodes", i, "kind"),
        )


_LINKS = ("supports: [ID]' or 'attacks: [ID]", "attacks: [ID]' or 'supports: [ID]")  # an objection attacks


@rule("AM106", "orphan-node", WARNING, "structure")
def orphan_node(ctx):
    """A node has no path of relations to the thesis.

    An orphan takes no part in the argument: either a relation is missing
    or the node does not belong in this map. Any relation counts as a path
    (supports, attacks, being a linked co-premise, undercutting a relation
    that reaches the thesis). Not reported when the map has no thesis. The
    message says how to mend it: link the node with ``supports: [ID]`` or
    ``attacks: [ID]`` (ID a node that reaches the thesis), or delete it.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    g = ctx.graph
    theses = g.theses
    if not theses:
        return
    kinds = g.kinds
    reach = g.reaching(*theses)  # one walk from all of them (one per thesis grew with theses × nodes)
    for nid, i in g.index.items():
        if nid not in reach:
            yield Problem(f"{nid!r} has no path of relations to the thesis {theses[0]!r}; link it (add "
                          f"'{_LINKS[kinds[nid] == 'objection']}', ID a node on a path to the thesis) or delete it",
                          node=i, at=("nodes", i, "id"))


@rule("AM107", "unsupported-recommendation", WARNING, "structure")
def unsupported_recommendation(ctx):
    """A recommendation that nothing supports.

    A recommendation is a call to act; without a reason supporting it the
    map records the author's advice but not why to follow it.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rec
            kind: recommendation
            text: Set the tax at 1% of the home's value.
            supports: [thesis]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rec
            kind: recommendation
            text: Set the tax at 1% of the home's value.
            supports: [thesis]
          - id: why
            kind: premise
            text: A 1% tax makes holding an empty home cost more than letting it.
            supports: [rec]
    """
    g = ctx.graph
    kinds = g.kinds
    for nid, i in g.index.items():
        if kinds[nid] != "recommendation":
            continue
        if not any(e.kind == "supports" for e in g.in_edges.get(nid, ())):
            yield Problem(f"recommendation {nid!r} has no reason: no node supports it", node=i, at=("nodes", i, "id"))


@rule("AM108", "support-and-attack", ERROR, "structure")
def support_and_attack(ctx):
    """A node both supports and attacks the same node.

    A statement cannot be a reason for and against the same conclusion at
    once; one of the two relations is a mistake (often an objection that was
    also listed under ``supports``).

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: evasion
            kind: objection
            text: Owners will dodge the tax by renting to friends.
            supports: [thesis]
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
    supports = set()
    attacks = []
    for e in g.edges:
        if e.kind == "supports":
            supports.add((e.source, e.target))
        else:
            attacks.append(e)
    for source, target, _kind, members, scheme, i, j in attacks:
        if (source, target) in supports:
            yield Problem(f"{source!r} both supports and attacks {target!r}; keep the one that is meant",
                          node=i, at=_at(i, "attacks", j, members, scheme))


@rule("AM109", "implausible-relation", WARNING, "structure")
def implausible_relation(ctx):
    """A relation that makes no sense for the kinds of the nodes involved.

    The list is kept small: (1) the thesis is the conclusion of the map, so
    it supports, attacks or undercuts nothing and is no linked co-premise
    (make it a claim, or turn the relation around); (2) an objection speaks
    against something, so it supports only another objection (an objection
    that supports a claim, premise, recommendation or the thesis is a
    reason, not an objection: change its kind). An objection supporting the
    very node it attacks is ``support-and-attack``.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            supports: [rents]
          - id: rents
            kind: claim
            text: Empty homes push rents up.
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    g = ctx.graph
    kinds = g.kinds
    node_kinds = g.node_kinds
    for source, target, kind, members, scheme, i, j in g.edges:
        src_kind = node_kinds[i]
        if not members and src_kind != "thesis" and src_kind != "objection":
            continue  # nothing below can apply
        base = ("nodes", i, kind, j)
        at = _at(i, kind, j, members, scheme)
        if src_kind == "thesis":
            yield Problem(f"the thesis {source!r} {kind} {target!r}; the thesis is the map's conclusion, "
                          "not a reason: make it a claim or turn the relation around", node=i, at=at)
        for k, m in enumerate(members[1:]):
            if kinds.get(m) == "thesis":
                yield Problem(f"the thesis {m!r} is a linked co-premise of {source!r} → {target!r}; "
                              "the thesis is the map's conclusion, not a reason", node=i,
                              at=(*base, "with", k))
        tgt_kind = kinds.get(target)
        if kind == "supports" and src_kind == "objection" and tgt_kind and tgt_kind != "objection":
            yield Problem(f"objection {source!r} supports {tgt_kind} {target!r}; an objection speaks against "
                          "something: make it attack, or change its kind", node=i, at=at)
    for u in g.undercuts:
        i = u.node_index
        if node_kinds[i] == "thesis":
            yield Problem(f"the thesis {u.source!r} undercuts {u.ref!r}; the thesis is the map's conclusion, "
                          "not a reason: make it a claim", node=i, at=("nodes", i, "undercuts", u.rel_index))


@rule("AM110", "draft-remains", WARNING, "structure")
def draft_remains(ctx):
    """Nodes still carry the ``draft:`` metadata that ``argmap extract`` left.

    Extracted nodes are guesses; the analyst reviews each one (``argmap
    review``) and accepts it, which removes its ``draft:`` block (``argmap
    accept``). Whatever still has one has not been reviewed. One finding per
    map, at the draft of lowest confidence: the message names how many drafts
    remain and the first few ids, lowest confidence first, so that the other
    findings of a fresh draft are not buried; the diagnostic's extra data
    (``drafts``: the id and confidence of each) lists them all. A node's
    ``ignore: [draft-remains]`` leaves it out of the list.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            draft:
              confidence: 0.62
              backend: heuristic
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
            draft:
              confidence: 0.35
              backend: heuristic
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports: [thesis]
    """
    from argmap.io.config import _matches

    drafts = [(n.draft.confidence, i, n.id) for i, n in enumerate(ctx.nodes)
              if n.draft is not None and not any(_matches(s, "AM110", "draft-remains") for s in n.ignore)]
    if not drafts:
        return
    drafts.sort(key=lambda d: (d[0], d[1]))  # lowest confidence first, then file order
    listed = [f"{nid!r} ({conf:g})" for conf, _i, nid in drafts[:DRAFTS_NAMED]]
    if len(drafts) == 1:
        conf, i, nid = drafts[0]
        msg = (f"{nid!r} is still a draft of argmap extract (confidence {conf:g}); review it "
               f"('argmap review') or accept it ('argmap accept MAP {nid}')")
    else:
        more = len(drafts) - len(listed)
        names = ", ".join(listed) + (f" and {more} more" if more else "")
        msg = (f"{len(drafts)} nodes are still drafts of argmap extract, lowest confidence first: {names}; "
               "review them ('argmap review') or accept them ('argmap accept')")
    first = drafts[0][1]
    yield Problem(msg, at=("nodes", first, "draft"), key=True,
                  extra={"drafts": [{"id": nid, "confidence": conf} for conf, _i, nid in drafts]})


DRAFTS_NAMED = 3  # how many draft ids the AM110 message names


@rule("AM111", "unknown-ignore", WARNING, "structure")
def unknown_ignore(ctx):
    """A node's ``ignore:`` list names no known rule.

    A misspelt rule name silences nothing, so the finding it was meant for
    keeps coming back, or a reader believes a rule is silenced when it is
    not. Use a rule id (``AM106``), an id prefix (``AM1``) or a name
    (``orphan-node``).

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: aside
            kind: claim
            text: The author once lived in Vienna.
            ignore: [orphan-nodes]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: aside
            kind: claim
            text: The author once lived in Vienna.
            ignore: [orphan-node]
    """
    for i, n in enumerate(ctx.nodes):
        if not n.ignore:
            continue
        for k, spec in enumerate(n.ignore):
            if not ctx.known_rule(spec):
                hint = did_you_mean(spec, ctx.rule_names)
                yield Problem(f"ignore {spec!r} names no rule{hint}", node=i, at=("nodes", i, "ignore", k))
