"""The catalogue of argumentation schemes and their critical questions (``schemes.json`` beside this module).

A reason (a ``supports`` or ``attacks`` relation) may name a scheme:
``{to: rec-x, scheme: practical-reasoning}``. The catalogue says which
premises (roles) the scheme has, which of them are required, and which
critical questions a reader may ask of any argument of that kind; ``argmap
check`` (rules AM4xx, :mod:`argmap.checks.schemes`) reports the questions a
map leaves open. docs/schemes.md is generated from it: ``python -m
argmap.map.schemes``.

* :func:`canonical` finds the scheme a name means. Case, spaces, hyphens,
  underscores and CamelCase do not matter, nor a leading "Argument from":
  ``Practical reasoning``, ``PracticalReasoning`` and ``practical-reasoning``
  are one scheme.
* :func:`near_miss` finds the scheme a name one edit away from a catalogue
  name was probably meant to be (a "did you mean").
* :func:`get`, :func:`all_schemes` and :func:`question` give the entries.

The file is read on first use and kept (JSON: the standard library reads it in
a fraction of a millisecond, where a YAML reader would cost ``check`` its import).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import msgspec
import msgspec.json


class Role(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    premise: str
    required: bool = True


class Question(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str  # as written in the file; Scheme.questions holds the full ids (scheme.question)
    text: str


class Scheme(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    id: str
    name: str
    aif: str  # the name AIFdb's nodesets use
    conclusion: str
    roles: tuple[Role, ...]
    questions: tuple[Question, ...]

    @property
    def required_roles(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles if r.required)

    @property
    def role_ids(self) -> tuple[str, ...]:
        return tuple(r.id for r in self.roles)

    @property
    def question_ids(self) -> tuple[str, ...]:
        """The full, stable ids of the questions: ``practical-reasoning.side-effects``."""
        return tuple(q.id for q in self.questions)


class _Catalogue(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    about: str
    sources: tuple[str, ...]
    schemes: tuple[Scheme, ...]


_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


@cache
def _catalogue() -> _Catalogue:
    raw = msgspec.json.decode(Path(__file__).with_name("schemes.json").read_bytes(), type=_Catalogue)
    schemes = []
    for s in raw.schemes:
        for what in (s.id, *s.role_ids, *(q.id for q in s.questions)):
            if not _ID.match(what):  # pragma: no cover - a broken catalogue file
                raise ValueError(f"schemes.json: {what!r} is not a lowercase, hyphenated id")
        full = tuple(Question(f"{s.id}.{q.id}", q.text) for q in s.questions)
        schemes.append(msgspec.structs.replace(s, questions=full))
    return _Catalogue(raw.about, raw.sources, tuple(schemes))


@cache
def _index() -> dict[str, str]:
    """Normalised name → scheme id, for every id, name and AIF name."""
    out: dict[str, str] = {}
    for s in _catalogue().schemes:
        for name in (s.id, s.name, s.aif):
            out.setdefault(_normal(name), s.id)
    return out


def _normal(name: str) -> str:
    """``Argument from Expert Opinion``, ``ExpertOpinion``, ``expert_opinion`` → ``expert-opinion``."""
    text = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name.strip())
    words = re.split(r"[\s_-]+", text.casefold().strip(" _-"))
    if words[:2] == ["argument", "from"] and len(words) > 2:
        words = words[2:]
    return "-".join(w for w in words if w)


def canonical(name: str) -> str | None:
    """The id of the catalogue scheme ``name`` means, or None."""
    return _index().get(_normal(name))


def near_miss(name: str) -> str | None:
    """The id of the scheme whose name is one edit (insertion, deletion, substitution)
    away from ``name``, when ``name`` itself is none; None otherwise."""
    from rapidfuzz.distance import Levenshtein

    key = _normal(name)
    index = _index()
    if not key or key in index:
        return None
    for known, scheme_id in index.items():
        if Levenshtein.distance(key, known, score_cutoff=1) <= 1:
            return scheme_id
    return None


def get(scheme_id: str) -> Scheme | None:
    """The scheme with this id (not a name: see :func:`canonical`), or None."""
    return _by_id().get(scheme_id)


def all_schemes() -> tuple[Scheme, ...]:
    return _catalogue().schemes


def sources() -> tuple[str, ...]:
    return _catalogue().sources


def question(question_id: str) -> tuple[Scheme, Question] | None:
    """The scheme and question of a full question id (``practical-reasoning.side-effects``)."""
    scheme = get(question_id.split(".", 1)[0])
    if scheme is not None:
        for q in scheme.questions:
            if q.id == question_id:
                return scheme, q
    return None


@cache
def _by_id() -> dict[str, Scheme]:
    return {s.id: s for s in _catalogue().schemes}


# --------------------------------------------------------------------------- docs/schemes.md


def markdown() -> str:
    """docs/schemes.md: the catalogue for readers."""
    lines = [
        "# Argumentation schemes and critical questions",
        "",
        "<!-- Generated by `python -m argmap.map.schemes` (make docs) from src/argmap/map/schemes.json; "
        "do not edit by hand. -->",
        "",
        "A reason (a `supports` or `attacks` relation) may name the scheme of its inference, assign its "
        "premises to the scheme's roles, and nodes may answer the scheme's critical questions "
        "(see [format.md](format.md#schemes-roles-and-answers)):",
        "",
        "```yaml",
        "  - id: p1",
        "    kind: premise",
        "    text: Observers would build momentum for fuller access to exercises.",
        "    supports:",
        "      - to: rec-observers",
        "        scheme: practical-reasoning",
        "        roles: {means: p1, goal: goal-access}",
        "  - id: a1",
        "    kind: claim",
        "    text: Observing costs the partners nothing they would resent.",
        "    answers:",
        "      - reason: p1->rec-observers",
        "        question: practical-reasoning.side-effects",
        "```",
        "",
        "Scheme names match after case-folding, with spaces, hyphens, underscores and CamelCase alike and a "
        "leading \"Argument from\" dropped: `Practical reasoning`, `PracticalReasoning` and "
        "`practical-reasoning` are one scheme. `argmap check` reports the questions a recommendation's "
        "reasons leave open, roles that are missing, answers to nothing, and scheme names outside the "
        "catalogue ([rules.md](rules.md#argumentation-schemes)); `argmap check --stats` lists them per "
        "recommendation. The AIF name is what AIF import and export use.",
        "",
        "Sources (the premises and questions are restated in argmap's own words):",
        "",
        *(f"- {s}" for s in sources()),
        "",
        "| scheme | name | AIF name | roles (required in bold) | questions |",
        "|---|---|---|---|---|",
    ]
    for s in all_schemes():
        roles = ", ".join(f"**{r.id}**" if r.required else r.id for r in s.roles)
        lines.append(f"| [`{s.id}`](#{s.id}) | {s.name} | `{s.aif}` | {roles} | {len(s.questions)} |")
    for s in all_schemes():
        lines += ["", f"## {s.id}", "", f"**{s.name}** (AIF: `{s.aif}`)", "", "Premises:", ""]
        for r in s.roles:
            lines.append(f"- `{r.id}`{'' if r.required else ' (optional)'}: {r.premise}")
        lines += ["", f"Conclusion: {s.conclusion}", "", "Critical questions:", ""]
        for q in s.questions:
            lines.append(f"- `{q.id}`: {q.text}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(markdown())
