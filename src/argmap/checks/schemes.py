"""Argumentation scheme rules (AM4xx): scheme names, roles and critical questions.

A reason (a ``supports`` or ``attacks`` relation) may name a scheme of the
catalogue (:mod:`argmap.map.schemes`, docs/schemes.md), assign its premises
to the scheme's ``roles``, and any node may ``answer`` one of the scheme's
critical questions for that reason. A node that answers a question and also
undercuts the reason defeats it; otherwise its answer settles the question.

:func:`reasons` works this out once per map for the rules, for ``argmap
check --stats`` (:func:`scheme_stats`, :func:`stats_lines`) and for ``argmap
show --node`` (:func:`open_questions`).
"""

from __future__ import annotations

from functools import partial
from itertools import chain
from typing import Any, NamedTuple

from argmap.checks.rule import ERROR, INFO, WARNING, Problem, rule
from argmap.map.diagnostics import did_you_mean, plural


class Reason(NamedTuple):
    """A relation that names a scheme, with what the map says about its questions."""

    edge: Any  # argmap.map.graph.Edge
    relation: Any  # argmap.map.model.Relation
    scheme: Any  # argmap.map.schemes.Scheme, or None when the name is not in the catalogue
    answered: dict  # question id -> ids of the nodes that answer it
    defeaters: dict  # question id -> ids of the nodes that answer it and undercut the reason

    @property
    def ref(self) -> str:
        return self.edge.ref

    @property
    def open(self) -> list[str]:
        return [q for q in self.scheme.question_ids if q not in self.answered] if self.scheme else []

    @property
    def at(self) -> tuple:
        e = self.edge
        return ("nodes", e.node_index, e.kind, e.rel_index, "scheme")


def reasons(ctx) -> list[Reason]:
    """Every relation of the map that names a scheme, in map order (kept on ``ctx`` for the other rules)."""
    found = ctx.__dict__.get("_scheme_reasons")
    if found is None:
        found = ctx.__dict__["_scheme_reasons"] = _reasons(ctx)
    return found


def _reasons(ctx) -> list[Reason]:
    g = ctx.graph
    named = [e for e in g.edges if e.scheme is not None]
    if not named:
        return []
    from argmap.map.schemes import canonical, get

    answered: dict[tuple[str, str], list[str]] = {}
    for n in ctx.nodes:
        for a in n.answers:
            answered.setdefault((a.reason, a.question), []).append(n.id)
    undercutters: dict[str, set[str]] = {}
    for u in g.undercuts:
        undercutters.setdefault(u.ref, set()).add(u.source)
    out = []
    for e in named:
        scheme_id = canonical(e.scheme)
        scheme = get(scheme_id) if scheme_id else None
        got: dict[str, list[str]] = {}
        defeaters: dict[str, list[str]] = {}
        if scheme is not None:
            for q in scheme.question_ids:
                by = answered.get((e.ref, q))
                if by:
                    got[q] = by
                    beaten = [b for b in by if b in undercutters.get(e.ref, ())]
                    if beaten:
                        defeaters[q] = beaten
        rel = getattr(ctx.nodes[e.node_index], e.kind)[e.rel_index]
        out.append(Reason(e, rel, scheme, got, defeaters))
    return out


def _short(question_id: str) -> str:
    return question_id.split(".", 1)[1]


_close = partial(did_you_mean, form="; did you mean {!r}?")


@rule("AM401", "open-question", INFO, "schemes")
def open_question(ctx):
    """A recommendation's reason leaves critical questions of its scheme open.

    A reason that names a scheme invites that scheme's critical questions
    (docs/schemes.md): for practical reasoning, whether there are better
    ways to the goal, whether the action is feasible, what its side effects
    are. The finding lists the questions of each reason for a recommendation
    that no node answers (``answers:``), so a reader sees what the author
    left unexamined. A question left open is often the honest reading of an
    article; this is a note, not a fault. A reason defeated by an answer
    (a node that answers a question and undercuts the reason) is not
    reported.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: positive-consequences
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: positive-consequences
          - id: vancouver
            kind: premise
            text: Vancouver's tax put thousands of homes back on the market.
            supports: [homes]
            answers:
              - reason: homes->tax
                question: positive-consequences.likelihood
              - reason: homes->tax
                question: positive-consequences.evidence
          - id: no-harm
            kind: premise
            text: Owners who live in their homes pay nothing.
            supports: [tax]
            answers:
              - reason: homes->tax
                question: positive-consequences.opposite-consequences
    """
    kinds = ctx.graph.kinds
    for r in reasons(ctx):
        if r.scheme is None or r.defeaters or kinds.get(r.edge.target) != "recommendation":
            continue
        left = r.open
        if left:
            total = len(r.scheme.questions)
            yield Problem(
                f"reason {r.ref} ({r.scheme.id}) leaves {len(left)} of {total} critical questions open: "
                f"{', '.join(map(_short, left))}",
                node=r.edge.node_index, at=r.at, extra={"reason": r.ref, "scheme": r.scheme.id, "open": left},
            )


@rule("AM402", "missing-role", WARNING, "schemes")
def missing_role(ctx):
    """A reason assigns roles to its premises but leaves a required role of its scheme empty.

    Roles are optional; once a reason names any (``roles: {means: p1}``),
    it has to name every premise its scheme needs, or the reconstruction is
    half done: practical reasoning without a goal says what to do but not
    what for. A role may name the reason's own premises or another node of
    the map that states the premise (a goal shared by several
    recommendations, say).

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
            ignore: [open-question]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: practical-reasoning
                roles: {means: homes}
            ignore: [open-question]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: practical-reasoning
                roles: {means: homes, goal: housing}
            ignore: [open-question]
          - id: housing
            kind: claim
            text: The city wants more homes for the people who need them.
            supports: [tax]
    """
    for r in reasons(ctx):
        roles = r.relation.roles
        if r.scheme is None or not roles:
            continue
        missing = [x for x in r.scheme.required_roles if x not in roles]
        if missing:
            e = r.edge
            need = ", ".join(r.scheme.required_roles)
            yield Problem(
                f"reason {r.ref} ({r.scheme.id}) names roles but not {' or '.join(map(repr, missing))} "
                f"(required: {need})",
                node=e.node_index, at=("nodes", e.node_index, e.kind, e.rel_index, "roles"), key=True,
            )


@rule("AM403", "dangling-answer", ERROR, "schemes")
def dangling_answer(ctx):
    """An answer names a reason or a critical question that does not exist.

    ``answers: [{reason: p1->rec, question: practical-reasoning.side-effects}]``
    names a ``supports`` or ``attacks`` relation by its reference (the node
    that holds it, ``->``, its target) and a question of the scheme that
    relation names (docs/schemes.md). An answer to nothing is a typo or a
    leftover; the question it was meant to settle stays open. The message
    suggests the closest reason or question.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: sign
          - id: listings
            kind: premise
            text: Listings rose wherever such a tax came in.
            supports: [homes]
            answers:
              - reason: homes->tax
                question: sign.strenght
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: sign
          - id: listings
            kind: premise
            text: Listings rose wherever such a tax came in.
            supports: [homes]
            answers:
              - reason: homes->tax
                question: sign.strength
              - reason: homes->tax
                question: sign.other-explanations
    """
    if not any(n.answers for n in ctx.nodes):
        return
    by_ref = {r.ref: r for r in reversed(reasons(ctx))}
    refs = {e.ref for e in ctx.graph.edges}
    from argmap.map.schemes import near_miss, question

    for i, n in enumerate(ctx.nodes):
        for k, a in enumerate(n.answers):
            at = ("nodes", i, "answers", k)
            r = by_ref.get(a.reason)
            if r is None:
                if a.reason in refs:
                    msg = f"answers a question of {a.reason!r}, but that relation names no scheme, so it has no questions"
                else:
                    msg = f"answers {a.reason!r}, but no supports or attacks relation has that reference{_close(a.reason, refs)}"
                yield Problem(msg, node=i, at=(*at, "reason"))
                continue
            if r.scheme is None:
                if near_miss(r.edge.scheme) is None:  # a misspelt name is misspelt-scheme's finding
                    yield Problem(f"answers a question of {a.reason!r}, whose scheme {r.edge.scheme!r} is not in the "
                                  "catalogue (docs/schemes.md), so it has no questions", node=i, at=(*at, "reason"))
                continue
            if a.question in r.scheme.question_ids:
                continue
            found = question(a.question)
            if found is not None:
                msg = f"{a.question!r} is a question of {found[0].id}, but {a.reason} is {r.scheme.id}"
            else:
                msg = f"{r.scheme.id} has no critical question {a.question!r}"
            full = f"{r.scheme.id}.{a.question.rsplit('.', 1)[-1]}"
            hint = f"; did you mean {full!r}?" if full in r.scheme.question_ids else _close(a.question, r.scheme.question_ids)
            yield Problem(msg + (hint or f" (its questions: {', '.join(map(_short, r.scheme.question_ids))})"),
                          node=i, at=(*at, "question"))


@rule("AM404", "unknown-scheme", INFO, "schemes")
def unknown_scheme(ctx):
    """A reason names a scheme that is not in argmap's catalogue.

    The name stays a label of the relation (it is shown, drawn and exported
    as written), but argmap knows no roles or critical questions for it.
    Catalogue names match whatever the case, spaces, hyphens, underscores or
    CamelCase, and with or without a leading "Argument from"; see
    docs/schemes.md for the list.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports:
              - to: thesis
                scheme: Cost comparison
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports:
              - to: thesis
                scheme: Argument from cause to effect
    """
    from argmap.map.schemes import near_miss

    for r in reasons(ctx):
        if r.scheme is None and near_miss(r.edge.scheme) is None:
            yield Problem(f"scheme {r.edge.scheme!r} is not in the catalogue (docs/schemes.md); it stays a label "
                          "without roles or critical questions", node=r.edge.node_index, at=r.at)


@rule("AM405", "misspelt-scheme", WARNING, "schemes")
def misspelt_scheme(ctx):
    """A scheme name one letter away from a catalogue scheme.

    A name one insertion, deletion or substitution away from a catalogue
    name (after case, spaces and hyphens are set aside) is almost certainly
    a typo; as written it is only a label, and the scheme's critical
    questions are not asked.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports:
              - to: thesis
                scheme: cause-to-efect
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            supports:
              - to: thesis
                scheme: cause-to-effect
    """
    from argmap.map.schemes import near_miss

    for r in reasons(ctx):
        if r.scheme is None:
            meant = near_miss(r.edge.scheme)
            if meant is not None:
                yield Problem(f"scheme {r.edge.scheme!r} is not in the catalogue; did you mean {meant!r}?",
                              node=r.edge.node_index, at=r.at)


@rule("AM406", "role-mismatch", WARNING, "schemes")
def role_mismatch(ctx):
    """A role that does not fit: not a role of the scheme, no such node, or the reason's own conclusion.

    ``roles`` maps the premises of a scheme (docs/schemes.md lists each
    scheme's roles) to the nodes that state them. A role the scheme does not
    have is usually a typo; a node id that does not exist loses the premise;
    the relation's target is its conclusion, never one of its premises; and
    roles on a relation that names no scheme have nothing to fill.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
            ignore: [open-question]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: practical-reasoning
                roles: {means: homes, gaol: housing}
            ignore: [open-question, missing-role]
          - id: housing
            kind: claim
            text: The city wants more homes for the people who need them.
            supports: [tax]
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: Cities can bring empty homes back into use.
          - id: tax
            kind: recommendation
            text: Cities should tax empty homes.
            supports: [thesis]
          - id: homes
            kind: claim
            text: The tax would bring empty homes back onto the market.
            supports:
              - to: tax
                scheme: practical-reasoning
                roles: {means: homes, goal: housing}
            ignore: [open-question]
          - id: housing
            kind: claim
            text: The city wants more homes for the people who need them.
            supports: [tax]
    """
    if not any(rel.roles for n in ctx.nodes for rel in chain(n.supports, n.attacks)):
        return
    g = ctx.graph
    by_ref = {(r.edge.node_index, r.edge.kind, r.edge.rel_index): r for r in reasons(ctx)}
    for i, n in enumerate(ctx.nodes):
        for kind in ("supports", "attacks"):
            for j, rel in enumerate(getattr(n, kind)):
                if not rel.roles:
                    continue
                at = ("nodes", i, kind, j, "roles")
                r = by_ref.get((i, kind, j))
                if r is None:
                    yield Problem(f"{n.id}->{rel.to} names roles but no scheme; add 'scheme:' or remove 'roles:'",
                                  node=i, at=at, key=True)
                    continue
                for role, node_id in rel.roles.items():
                    if r.scheme is not None and role not in r.scheme.role_ids:
                        yield Problem(f"{r.scheme.id} has no role {role!r} (its roles: {', '.join(r.scheme.role_ids)})"
                                      f"{_close(role, r.scheme.role_ids)}", node=i, at=(*at, role), key=True)
                    if node_id not in g.index:
                        yield Problem(f"role {role!r} names {node_id!r}, but no node has that id"
                                      f"{_close(node_id, g.index)}", node=i, at=(*at, role))
                    elif node_id == rel.to:
                        yield Problem(f"role {role!r} names {node_id!r}, the conclusion of {r.ref}; a role is "
                                      "one of its premises", node=i, at=(*at, role))


# --------------------------------------------------------------------------- argmap check --stats, argmap show


def scheme_stats(ctx) -> dict | None:
    """For ``check --stats``: per recommendation, its reasons' schemes and open questions; per scheme,
    the questions answered. None when the map names no scheme."""
    found = reasons(ctx)
    if not found:
        return None
    g = ctx.graph
    by_target: dict[str, list[Reason]] = {}
    for r in found:
        by_target.setdefault(r.edge.target, []).append(r)
    recs = []
    for rec in (nid for nid, kind in g.kinds.items() if kind == "recommendation"):
        items = []
        for r in by_target.get(rec, ()):
            item: dict[str, Any] = {"reason": r.ref, "scheme": r.scheme.id if r.scheme else r.edge.scheme,
                                    "in_catalogue": r.scheme is not None, "open": r.open, "answered": list(r.answered)}
            if r.defeaters:
                item["defeated_by"] = sorted({b for by in r.defeaters.values() for b in by})
            items.append(item)
        plain = [e.kind for e in g.children(rec) if e.scheme is None]
        recs.append({"id": rec, "reasons": items, "without_scheme": {"supports": plain.count("supports"),
                                                                     "attacks": plain.count("attacks")}})
    totals: dict[str, dict[str, int]] = {}
    for r in found:
        if r.scheme is not None:
            t = totals.setdefault(r.scheme.id, {"reasons": 0, "questions": 0, "answered": 0})
            t["reasons"] += 1
            t["questions"] += len(r.scheme.questions)
            t["answered"] += len(r.answered)
    return {"reasons": len(found), "schemes": totals, "recommendations": recs}


def stats_lines(stats: dict) -> list[str]:
    """The text report's lines for :func:`scheme_stats`."""
    totals = stats["schemes"]
    asked = sum(t["questions"] for t in totals.values())
    answered = sum(t["answered"] for t in totals.values())
    per = ", ".join(f"{s} {t['answered']}/{t['questions']}" for s, t in totals.items())
    lines = [f"  schemes: {stats['reasons']} {'reasons name' if stats['reasons'] != 1 else 'reason names'} one; "
             f"{answered} of {asked} critical questions answered" + (f" ({per})" if per else "")]
    for rec in stats["recommendations"]:
        lines.append(f"  {rec['id']}:")
        for item in rec["reasons"]:
            source = item["reason"].rsplit("->", 1)[0]
            if not item["in_catalogue"]:
                lines.append(f"    {source} ({item['scheme']}): not in the catalogue, no questions")
                continue
            told = f"open {', '.join(map(_short, item['open']))}" if item["open"] else "none open"
            if item["answered"]:
                told += f"; answered {', '.join(map(_short, item['answered']))}"
            if item.get("defeated_by"):
                told += f"; defeated by {', '.join(item['defeated_by'])}"
            lines.append(f"    {source} ({item['scheme']}): {told}")
        plain = [plural(n, word) for n, word in ((rec["without_scheme"]["supports"], "reason"),
                                                 (rec["without_scheme"]["attacks"], "objection")) if n]
        if plain:
            lines.append(f"    {' and '.join(plain)} without a scheme")
    return lines


def questions(amap) -> dict[str, list[dict]]:
    """The critical questions of the reasons for each node, by target id: for each reason
    that names a catalogue scheme, ``{"reason", "scheme", "defeated_by": [ids], "open":
    [[question id, text]], "answered": [[question id, text, [answering ids]]]}``. The one
    source of what ``show --node`` and the HTML page's questions panel say."""
    from types import SimpleNamespace

    from argmap.map.graph import build
    from argmap.map.schemes import question

    out: dict[str, list[dict]] = {}
    for r in reasons(SimpleNamespace(graph=build(amap), nodes=amap.nodes)):
        if r.scheme is None:
            continue
        out.setdefault(r.edge.target, []).append({
            "reason": r.ref, "scheme": r.scheme.id,
            "defeated_by": sorted({b for by in r.defeaters.values() for b in by}),
            "open": [[q, question(q)[1].text] for q in r.open],
            "answered": [[q, question(q)[1].text, list(by)] for q, by in r.answered.items()],
        })
    return out


def open_questions(amap, node_id: str) -> list[str]:
    """For ``show --node``: one line per reason for ``node_id`` that names a catalogue scheme,
    then its open questions (``?``) and its answered ones (``✓``)."""
    lines = []
    for r in questions(amap).get(node_id, ()):
        head = f"{r['reason']} ({r['scheme']})"
        if r["defeated_by"]:
            lines.append(f"{head}: defeated by {', '.join(r['defeated_by'])}")
            continue
        total = len(r["open"]) + len(r["answered"])
        lines.append(f"{head}: {len(r['open']) or 'no'} of {total} critical questions open")
        lines += [f"  ? {_short(q)}: {text}" for q, text in r["open"]]
        lines += [f"  ✓ {_short(q)}: answered by {', '.join(by)}" for q, _, by in r["answered"]]
    return lines
