"""Discourse connectives and their senses, from the package's own lexicon.

``connectives.txt`` (package data, hand-written) maps each connective to one
sense: cause, result, summary, contrast, concession, addition, enumeration,
example, condition, purpose, alternative, specification or temporal. The
heuristic backend reads a unit's *leading* connectives (``"But of course,
..."`` → contrast, concession) and the movable adverbs *inside* it (``"X,
however, Y"``) through this module; the same lexicon tells
:func:`argmap.extract.assemble.short_text` which opening words to drop from a
node's text.

>>> [(c.text, c.sense) for c in leading("But of course, the tax costs money")]
[('but', 'contrast'), ('of course', 'concession')]
>>> [c.sense for c in leading("For decades, cities have required parking")]
['temporal']
>>> leading("For lasting stability, the council must act")  # a framing adjunct, not a reason
[]
>>> [c.sense for c in inside("The costs, however, are high")]
['contrast']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

SENSES = (
    "cause", "result", "summary", "contrast", "concession", "addition", "enumeration", "example", "condition",
    "purpose", "alternative", "specification", "temporal",
)


@dataclass(frozen=True)
class Connective:
    text: str  # the lexicon entry, lower case ("of course")
    sense: str
    start: int  # span in the unit's text
    end: int


@dataclass(frozen=True)
class _Entry:
    text: str
    sense: str
    inside: bool
    comma: bool


@lru_cache(maxsize=1)
def entries() -> dict[str, _Entry]:
    """The lexicon: connective (lower case, single spaces) → entry."""
    from importlib.resources import files

    out: dict[str, _Entry] = {}
    raw = files("argmap.extract").joinpath("connectives.txt").read_text(encoding="utf-8")
    for n, line in enumerate(raw.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) < 2 or parts[1] not in SENSES:
            raise ValueError(f"connectives.txt:{n}: expected 'connective | sense [| flags]', got {line!r}")
        flags = set(parts[2].split()) if len(parts) > 2 else set()
        key = " ".join(parts[0].lower().split())
        out[key] = _Entry(key, parts[1], "inside" in flags, "comma" in flags)
    return out


def _alternatives(keys) -> str:
    return "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(keys, key=len, reverse=True))


@lru_cache(maxsize=1)
def _lead_rx() -> re.Pattern:
    return re.compile(rf"\W*({_alternatives(entries())})(?=\W|$)(\s*,)?", re.I)


@lru_cache(maxsize=1)
def _inside_rx() -> re.Pattern:
    keys = [k for k, e in entries().items() if e.inside]
    return re.compile(rf"(?:,\s*|\s)({_alternatives(keys)})(?=\s*[,.;]|\s+\w)", re.I)


# "as" is a preposition, not "because", before these; "so" is a degree word before these
_AS_NOT_CAUSE = re.compile(r"as\s+(?:a|an|well|long|far|soon|much|many|to|for|of|if|though|such|part|in|"
                           r"with|\w+ed|\w+en)\b", re.I)
_SO_NOT_RESULT = re.compile(r"so\s+(?:much|many|far|long|that|few|little)\b", re.I)
_SINCE_TIME = re.compile(r"since\s+(?:\d|then|when|the\s+(?:start|beginning|end)|last|january|february|march|april|"
                         r"may|june|july|august|september|october|november|december)", re.I)
_WORDS = re.compile(r"[^\W_]+")


def _accept(entry: _Entry, text: str, m: re.Match, at: int) -> _Entry | None:
    """Checks that keep the ambiguous entries honest; returns the entry to use (or None)."""
    rest = text[m.end(1):]
    if entry.comma and not m.group(2):
        return None
    word = entry.text
    if word == "as" and _AS_NOT_CAUSE.match(text, m.start(1)):
        return None
    if word == "so" and _SO_NOT_RESULT.match(text, m.start(1)):
        return None
    if word == "since" and _SINCE_TIME.match(text, m.start(1)):
        return _Entry("since", "temporal", False, False)
    if word == "for":
        # "for" is a reason only when a clause follows ("for we need ..."); "For lasting stability, X"
        # or "for a decade" frame the sentence and "for the city" is a plain preposition
        head = rest.split(",", 1)
        if len(head) > 1 and len(_WORDS.findall(head[0])) <= 6:
            return None
        if not re.match(r"\s+(?:i|we|you|he|she|it|they|this|that|there|these|those|one|no\s+one|nobody|"
                        r"everyone|people|the\s+\w+\s+(?:is|are|was|were|has|have|can|will|would|must))\b",
                        rest, re.I):
            return None
    if word in ("yes", "true", "sure") and re.match(r"\s*,?\s*(?:for|because|since|as)\b", rest, re.I):
        return None  # "Yes, because ...": affirming, not conceding
    if word == "while" and at > 0:
        return None
    return entry


def leading(text: str, max_chain: int = 2) -> list[Connective]:
    """The connectives a unit opens with, in order ("And furthermore," → addition, addition)."""
    out: list[Connective] = []
    pos = 0
    table = entries()
    rx = _lead_rx()
    while len(out) < max_chain:
        m = rx.match(text, pos)
        if not m:
            break
        entry = table.get(" ".join(m.group(1).lower().split()))
        entry = _accept(entry, text, m, len(out)) if entry else None
        if entry is None:
            break
        out.append(Connective(entry.text, entry.sense, m.start(1), m.end(1)))
        pos = m.end()
    return out


def inside(text: str) -> list[Connective]:
    """The movable adverbs inside a unit ("The costs, however, are high"), not at its start."""
    out = []
    table = entries()
    for m in _inside_rx().finditer(text):
        if m.start(1) == 0 or not text[: m.start()].strip(" \t\n,;:—–-\"'“‘("):
            continue
        entry = table.get(" ".join(m.group(1).lower().split()))
        if entry is None:
            continue
        if entry.text == "thus" and re.match(r"thus\s+far\b", text[m.start(1):], re.I):
            continue
        out.append(Connective(entry.text, entry.sense, m.start(1), m.end(1)))
    return out


def sense_of(connectives: list[Connective], *senses: str) -> Connective | None:
    """The first connective with one of ``senses``."""
    for c in connectives:
        if c.sense in senses:
            return c
    return None
