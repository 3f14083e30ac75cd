"""Article text → paragraphs → sentences → candidate argumentative units.

Sentences come from pysbd (a well-kept rule-based segmenter, imported only
here). Every unit keeps its character span in the article, so a quote is
always ``article[start:end]``: an exact span, never re-typed text.

What is *not* argument is set aside before any labelling: the title (a first
line without final punctuation), headings, bylines ("X is a senior fellow
at ..."), captions and credits ("Image: ...", "Photo: ..."), and "Further
reading"-style furniture.

Sentences are split further into clauses at a small, general set of
discourse boundaries (", but", ", since", "; ", ", which ...") when both
sides are long enough to be statements of their own; this is what the
elementary units of argument-mining corpora look like (one claim per unit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# Clause boundaries: the regex matches the separator; the new unit starts at
# group "start". Both sides must have at least MIN_CLAUSE_WORDS words.
MIN_CLAUSE_WORDS = 4
_SPLITS = [
    # adversative and concessive connectives after a comma
    re.compile(r",\s+(?P<start>(?:but(?!\s+(?:only|not|rather)\b)|yet|whereas|although|though|even though|even if|while|then again)\b)", re.I),
    # causal / consequential connectives after a comma
    # (not "as" + participle or "as well/such/if": "..., as recommended in the report, ...")
    re.compile(
        r",\s+(?P<start>(?:since|because|as(?!\s+(?:\w+ed|\w+en|well|such|if|though|of|to|for|in|with|part|a|an)\b)"
        r"|for|so|so that|which|unless|otherwise|thus|hence|therefore)\b)(?![,])",
        re.I,
    ),
    # "and"/"or" + a new subject after a comma: ", and the ..." ", and we ..."
    re.compile(
        r",\s+(?P<start>(?:and|or)\s+(?:also\s+|then\s+)?"
        r"(?:the|this|that|these|those|it|they|we|you|i|he|she|there|their|our|its|one|many|most|some|all|no|every|a|an)\b)",
        re.I,
    ),
    # bare subordinators between clauses
    re.compile(r"\s(?P<start>(?:unless|because|whereas)\s)", re.I),
    # a bare "but" between clauses
    re.compile(r"\s(?P<start>but\s+(?!also\b|only\b|not\b|rather\b))", re.I),
    # "and" / "but" + a modal verb phrase: "... and should also consult ..."
    re.compile(r"\s(?P<start>(?:and|but)\s+(?:should|must|ought|need|would|could|will)\b)", re.I),
    # ", in general, however, ...": a short lead-in before a contrast adverb starts a clause
    re.compile(r",\s+(?P<start>(?:[^\W\d]+\s+){0,2}[^\W\d]+,\s+(?:however|nevertheless|nonetheless)\b)", re.I),
    # semicolons and colons-with-clause
    re.compile(r";\s+(?P<start>\S)"),
]

# Paragraph-level furniture that is never argument.
_CAPTION = re.compile(
    r"^(?:(?:image|photo|photograph|picture|caption|credit|credits|source|figure|fig\.|video|illustration)"
    r"(?:\s+(?:credit|credits|by|courtesy|source))?\s*[:|]"
    r"|(?:photo|image|illustration)\s+(?:by|courtesy)\b"
    r"|(?:read more|related|related reading|further reading|see also|subscribe|follow us|share this|"
    r"advertisement|more from|recommended)\s*[:.]?\s*$)",
    re.I,
)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE = re.compile(
    rf"(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
    rf"|(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH})\s+(?P<y2>\d{{4}})",
    re.I,
)
# "By Jane Doe", "By the Editorial Board", "By Jane Doe | March 3, 2024"
_BY = re.compile(
    r"^by\s+(?P<name>(?:the\s+)?[A-Z][\w.'’-]+(?:\s+(?:and\s+|&\s+|de\s+|van\s+|von\s+)?[A-Z][\w.'’-]+){0,4})"
    r"\s*(?:(?:[|,·•—–-]|\bon\b)\s*(?:published\s*:?\s*|updated\s*:?\s*)?(?P<date>[^\n]{6,30}))?\s*$",
    re.I,
)
# a paragraph that is only a date: "March 3, 2024", "Published: 3 March 2024"
_DATELINE = re.compile(r"^(?:(?:published|posted|updated|first\s+published)(?:\s+on)?\s*:?\s*)?(?P<date>[^\n]{6,30})$", re.I)


def parse_date(text: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from "March 3, 2024", "3 March 2024" or "2024-03-03"; None otherwise."""
    m = _DATE.fullmatch(text.strip().rstrip("."))
    if not m:
        return None
    if m.group("iso"):
        return m.group("iso")
    month, day, year = (m.group("m1"), m.group("d1"), m.group("y1")) if m.group("m1") else (
        m.group("m2"), m.group("d2"), m.group("y2"))
    key = month.lower().rstrip(".")[:3]
    number = next((i + 1 for i, name in enumerate(_MONTHS) if name.startswith(key)), None)
    if number is None or not 1 <= int(day) <= 31:
        return None
    return f"{int(year):04d}-{number:02d}-{int(day):02d}"


_BYLINE = re.compile(
    r"^(?:by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*$|"
    r"[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}\s+(?:is|was|has been)\s+(?:a|an|the)\s+[^.]*?"
    r"\b(?:fellow|professor|director|editor|author|journalist|researcher|analyst|writer|correspondent|"
    r"member|lecturer|student|chair|scholar|president|founder|columnist|contributor|head|expert)\b)"
)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


@dataclass(frozen=True)
class Unit:
    """A candidate argumentative unit: an exact span of the article."""

    id: str  # u1, u2, ... in reading order
    start: int
    end: int
    text: str  # == article[start:end]
    paragraph: int  # index of its paragraph among argumentative paragraphs
    sentence: int  # index of its sentence in the document
    clause: int  # 0 for the first clause of a sentence


@dataclass
class Segmentation:
    text: str
    title: str | None
    units: list[Unit]
    skipped: list[tuple[int, int, str]] = field(default_factory=list)  # (start, end, why)
    n_paragraphs: int = 0
    n_sentences: int = 0
    author: str | None = None  # from a byline, when there is one
    published: str | None = None  # ISO date from a byline or dateline, when there is one


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of blank-line separated blocks, trimmed of surrounding whitespace."""
    return [m.span() for m in re.finditer(r"\S(?:.*?\S)?(?=\s*\n\s*\n|\s*$)", text, re.S)]


_BULLET = re.compile(r"(?:[-*•·–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Strip whitespace, a leading list bullet and trailing separators (, ; : . —) from a span."""
    while start < end and text[start].isspace():
        start += 1
    m = _BULLET.match(text, start, end)
    if m:
        start = m.end()
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.–—-"):
        end -= 1
    return start, end


def _is_heading(block: str) -> bool:
    stripped = block.strip()
    if "\n" in stripped:
        return False
    if re.search(r"[.!?\"”’)]$", stripped):
        return False
    return len(words(stripped)) <= 20


_segmenter = None


def _sentences(block: str) -> list[tuple[int, int]]:
    global _segmenter
    if _segmenter is None:
        import pysbd

        _segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    # Hard-wrapped lines are one flow of text: pysbd would end a sentence at every line break,
    # so it sees line breaks as spaces (same length, so offsets hold), except before list items.
    flowed = re.sub(
        r"\r?\n(?![ \t]*(?:[-*•·]|\(?\d{1,2}[.)])[ \t])", lambda m: " " * len(m.group()), block
    )
    spans = []
    for s in _segmenter.segment(flowed):
        # pysbd can glue sentences that lack a space after the period ("certainty.Alternative")
        start = s.start
        for m in re.finditer(r"(?<=[a-z][.!?])(?=[A-Z][a-z])", s.sent):
            spans.append((start, s.start + m.start()))
            start = s.start + m.start()
        spans.append((start, s.end))
    return spans


# A sentence that opens with a subordinate clause of reason or concession
# ("Although X, Y"; "Since X, Y") holds two units: it is cut at the first
# comma that leaves both sides long enough. Conditions ("If X, Y") stay
# whole: the condition is part of the claim, not a reason for it.
_FRONTED = re.compile(
    r"^\W*(?:(?:and|but|yet|so)\s+)?(?:although|though|even\s+though|even\s+if|since|because|as|while|whilst|"
    r"whereas|given\s+that|considering\s+that|despite|in\s+spite\s+of|due\s+to)\b",
    re.I,
)


_AUX = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|has|have|had|do|does|did|will|would|can|could|shall|should|may|might|"
    r"must|ought|need|needs|needed|get|gets|got|seems?|make|makes|made|keep|keeps|kept|take|takes|took|give|gives|"
    r"gave|go|goes|went|come|comes|came|know|knows|knew|say|says|said|see|sees|saw|find|finds|found|become|"
    r"becomes|became|remain|remains|cost|costs|lead|leads|led|mean|means|meant|pay|pays|paid|let|lets|put|puts|"
    r"leave|leaves|left|bring|brings|brought|hold|holds|held|stand|stands|stood|run|runs|ran|show|shows|want|"
    r"wants|like|likes|use|uses|work|works|help|helps|build|builds|built|offer|offers|point|points)\b|"
    r"['’](?:s|re|ve|d|ll|m)\b|n['’]t\b|\b[a-z]{3,}ed\b",
    re.I,
)
_SUBJECT_THEN_WORD = re.compile(
    r"\b(?:i|we|you|they|he|she|it|there|who|which|that|this|these|those)\s+[a-z]{2,}"
    r"|\b[a-z]{3,}s\s+(?!(?:of|and|or|in|on|at|for|to|with|from|by|the|a|an|than|as)\b)[a-z]{3,}(?<!ly)\b",  # "centres dominate"
    re.I,
)


def has_verb(clause: str) -> bool:
    """A rough test that a clause has a verb of its own: an auxiliary or a frequent verb, a past form in
    -ed, or a word after a subject pronoun. "but less of it" has none, so it is not cut off."""
    return bool(_AUX.search(clause) or _SUBJECT_THEN_WORD.search(clause))


def _clauses(sentence: str) -> list[int]:
    """Offsets (within the sentence) where a new clause unit starts."""
    cuts: set[int] = set()
    if _FRONTED.match(sentence) and not re.match(r"\W*as\s+(?:a|an|the|well|long|far|soon|much|many|to|for|of)\b",
                                                   sentence, re.I):
        for m in re.finditer(r",\s+(?=\S)", sentence):
            if re.match(r"(?:and|or|but)\b", sentence[m.end():], re.I):
                continue  # a second subordinate clause joined to the first ("Although X, and Y, Z")
            if len(words(sentence[: m.start()])) >= MIN_CLAUSE_WORDS + 1 and len(words(sentence[m.end():])) >= MIN_CLAUSE_WORDS:
                cuts.add(m.end())
                break
    for rx in _SPLITS:
        for m in rx.finditer(sentence):
            cuts.add(m.start("start"))
    accepted: list[int] = []
    prev = 0
    ordered = sorted(cuts)
    for k, cut in enumerate(ordered):
        if (sentence[:cut].count("—") + sentence[:cut].count(" – ")) % 2 or sentence[:cut].count("(") > sentence[:cut].count(")"):
            continue  # never cut inside a parenthesis or a pair of dashes
        if re.match(r"but\s+also\b", sentence[cut:], re.I) and re.search(r"\bnot\s+only\b", sentence[:cut], re.I):
            continue  # "not only X, but also Y" is one statement
        left = sentence[prev:cut]
        right = sentence[cut:]
        piece = sentence[cut:ordered[k + 1]] if k + 1 < len(ordered) else right
        if (len(words(left)) >= MIN_CLAUSE_WORDS and len(words(right)) >= MIN_CLAUSE_WORDS
                and has_verb(re.sub(r"^\W*\w+", "", piece))):
            # the right side needs a verb-like word beyond its connective to be a clause;
            # approximate: at least MIN_CLAUSE_WORDS words until the next accepted cut
            accepted.append(cut)
            prev = cut
    # drop cuts that leave a too-short tail
    while accepted and len(words(sentence[accepted[-1]:])) < MIN_CLAUSE_WORDS:
        accepted.pop()
    return accepted


def segment(text: str, *, split_clauses: bool = True) -> Segmentation:
    """Split an article into candidate units (exact spans), setting aside non-argument."""
    paras = _paragraphs(text)
    title = None
    author = None
    published = None
    skipped: list[tuple[int, int, str]] = []
    units: list[Unit] = []
    n_sent = 0
    kept_paras = 0
    for pi, (ps, pe) in enumerate(paras):
        block = text[ps:pe]
        first_line = block.split("\n", 1)[0].strip()
        if _CAPTION.match(first_line):
            skipped.append((ps, pe, "caption or page furniture"))
            continue
        if len(paras) > 1 and "\n" not in block.strip():
            by = _BY.match(block.strip())
            date = parse_date(by.group("date")) if by and by.group("date") else None
            if by and (date or not by.group("date")):
                skipped.append((ps, pe, "byline"))
                author = author or by.group("name").strip()
                published = published or date
                continue
            dl = _DATELINE.match(block.strip())
            if dl and parse_date(dl.group("date")):
                skipped.append((ps, pe, "dateline"))
                published = published or parse_date(dl.group("date"))
                continue
        if len(paras) > 1 and _is_heading(block):
            if pi == 0 and title is None and len(paras) > 1:
                title = block.strip()
                skipped.append((ps, pe, "title"))
            else:
                skipped.append((ps, pe, "heading"))
            continue
        byline = _BYLINE.match(block)
        if byline and len(words(block)) <= 60:
            skipped.append((ps, pe, "byline"))
            if author is None:
                name = re.match(r"(?:by\s+)?(.*?)(?:\s+(?:is|was|has been)\s|$)", block.strip(), re.I)
                author = name.group(1).strip() if name else None
            continue
        para_index = kept_paras
        kept_paras += 1
        for ss, se in _sentences(block):
            s0, s1 = _trim(text, ps + ss, ps + se)
            if s1 <= s0 or not words(text[s0:s1]):
                continue
            cuts = _clauses(text[s0:s1]) if split_clauses else []
            bounds = [0, *cuts, s1 - s0]
            for ci, (a, b) in enumerate(zip(bounds, bounds[1:])):
                u0, u1 = _trim(text, s0 + a, s0 + b)
                if u1 <= u0 or not words(text[u0:u1]):
                    continue
                units.append(Unit(f"u{len(units) + 1}", u0, u1, text[u0:u1], para_index, n_sent, ci))
            n_sent += 1
    return Segmentation(text, title, units, skipped, kept_paras, n_sent, author, published)
