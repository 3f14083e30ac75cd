"""The source text of a map: finding quotes in it, coverage.

* :class:`SourceText` is a map's source as read (``source.text``, or the file
  ``source.path`` names, read by :func:`argmap.io.files.resolve_source`).
* :func:`locate_quote` finds a quote and returns its ``(start, end)`` span in
  the ORIGINAL text, after normalising both sides (see :func:`normalize`).
* :func:`closest_passage` is the "did you mean" for a quote not found
  (rapidfuzz, imported only then).
* :func:`coverage` is the one function computing how much of the source the
  quotes cover, sentence by sentence (pysbd, imported only then).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from functools import lru_cache
from itertools import repeat
from operator import floordiv, itemgetter, sub
from pathlib import Path
from typing import Iterable, Sequence

import msgspec

# --------------------------------------------------------------------------- normalising

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d"
SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"
DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"

# what normalising changes; a lone space needs no change, so it is left out
# (on a long source that keeps the matches, and the work, small)
# (the lookahead lets the regex engine skip ordinary characters quickly)
_SPECIAL_PATTERN = (
    rf"(?=[{DASHES}\s{SINGLE_QUOTES}{DOUBLE_QUOTES}{INVISIBLE}\u2026])"
    rf"(?:\s*[{DASHES}]+\s*|[^\S ]\s*| \s+|[{SINGLE_QUOTES}{DOUBLE_QUOTES}{INVISIBLE}\u2026])"
)
# what re's \s matches, but the space (tests pin this list to re)
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
              "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# Every match of _SPECIAL holds one of these characters or two spaces, and starts
# at it or one space before it; a single character class (no lookahead, no
# alternation) lets the regex engine's fast character-set scan find them, several
# times faster than trying _SPECIAL at every position of a long text.
_START_PATTERN = f"[{DASHES}{WHITESPACE}{SINGLE_QUOTES}{DOUBLE_QUOTES}{INVISIBLE}\u2026]"
_BEFORE_SPACE = frozenset(DASHES + WHITESPACE + " ")  # a space before these starts a match
# the ASCII characters of _START (in an ASCII text, the only ones to look for)
_START_ASCII = "".join(ch for ch in DASHES + WHITESPACE + SINGLE_QUOTES + DOUBLE_QUOTES + INVISIBLE if ch.isascii())
_REPLACE = {**{c: "'" for c in SINGLE_QUOTES}, **{c: '"' for c in DOUBLE_QUOTES},
            **{c: "" for c in INVISIBLE}, "\u2026": "..."}


@lru_cache(maxsize=1)
def _regexes():
    """``(_SPECIAL, _START)``, compiled on first use (nothing compiles at import)."""
    return re.compile(_SPECIAL_PATTERN), re.compile(_START_PATTERN)


def _replacement(piece: str) -> str:
    if piece[0] in _REPLACE and len(piece) == 1:
        return _REPLACE[piece]
    if piece.strip() == "":
        return " "
    return "-"  # a run of dashes, with any spaces around it


def _special_matches(text: str):
    """The matches of ``_SPECIAL.finditer(text)``, found faster on long texts.

    The next match starts at the first character of ``_START`` or the first
    double space, whichever comes first, or one space before such a
    character when it is whitespace or a dash (``" -"``, ``" \\t"``); no
    earlier position can start one. ``_SPECIAL`` is then matched right there.
    """
    special, start = _regexes()
    search, match, find = start.search, special.match, text.find
    end = len(text)
    if text.isascii():
        # Only a few ASCII characters start a match; each is looked for with
        # str.find (a memchr scan), several times faster than the regex's
        # character-set scan. The next position of each is kept until passed.
        nxt = {ch: find(ch) for ch in _START_ASCII if ch in text}
        for ch, at in nxt.items():
            nxt[ch] = at if at >= 0 else end

        def next_start(pos: int) -> int:
            best = end
            for ch, at in nxt.items():
                if at < pos:
                    at = find(ch, pos)
                    nxt[ch] = at = at if at >= 0 else end
                if at < best:
                    best = at
            return best
    else:
        def next_start(pos: int) -> int:
            m = search(text, pos)
            return m.start() if m is not None else end
    pos = 0
    c = d = -1  # next candidate of each kind at or after pos (end: none)
    while pos < end:
        if c < pos:
            c = next_start(pos)
        if d < pos:
            d = find("  ", pos)
            if d < 0:
                d = end
        h = c if c < d else d
        if h >= end:
            return
        if h == c and h > pos and text[h - 1] == " " and text[h] in _BEFORE_SPACE:
            h -= 1
        m = match(text, h)
        if m is None:  # pragma: no cover - cannot happen (see the docstring); stay exact anyway
            for m in special.finditer(text, pos):
                yield m
            return
        yield m
        pos = m.end()


def normalize(text: str) -> str:
    """The form quotes are compared in.

    Whitespace runs become one space; curly quotes become straight ones; a
    run of dashes of any kind (hyphen, en dash, em dash, minus, ``--``) with
    the spaces around it becomes one ``-``; ``…`` becomes ``...``; invisible
    characters (zero-width spaces, soft hyphens) are dropped.
    """
    special, start = _regexes()
    if start.search(text) is None and "  " not in text:
        return text  # nothing to change (the common case for a quote)
    return special.sub(lambda m: _replacement(m.group()), text)


class NormalizedText:
    """A text in normalised form, with a map from normalised offsets back to
    the original text.

    The map is kept as pieces: runs copied unchanged (offsets shift by a
    constant) and replacements (every normalised character of one maps to
    the whole original run it replaced), so building it costs one regex pass.
    """

    __slots__ = ("original", "text", "_norm_starts", "_pieces", "_words", "_lower", "_stats")

    def __init__(self, original: str):
        self.original = original
        out: list[str] = []
        norm_starts: list[int] = []
        pieces: list[tuple[int, int, bool]] = []  # (original start, original end, copied unchanged)
        pos = 0
        n = 0
        for m in _special_matches(original):
            a, b = m.span()
            if a > pos:
                out.append(original[pos:a])
                norm_starts.append(n)
                pieces.append((pos, a, True))
                n += a - pos
            rep = _replacement(m.group())
            if rep:
                out.append(rep)
                norm_starts.append(n)
                pieces.append((a, b, False))
                n += len(rep)
            pos = b
        if pos < len(original):
            out.append(original[pos:])
            norm_starts.append(n)
            pieces.append((pos, len(original), True))
        self.text = "".join(out)
        self._norm_starts = norm_starts
        self._pieces = pieces
        self._words: dict[str, list[int]] | None = None  # word -> where it starts in .text (built on need)
        self._lower: str | None = None  # .text.lower(), for the "did you mean" search (built on need)
        self._stats = {"verified": 0, "scanned": 0}  # work counters (tests count them; nothing else reads them)

    def _orig(self, i: int) -> tuple[int, int]:
        """Original (start, end) of normalised character ``i``."""
        k = bisect_right(self._norm_starts, i) - 1
        a, b, copied = self._pieces[k]
        if copied:
            o = a + (i - self._norm_starts[k])
            return o, o + 1
        return a, b

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original span of normalised characters ``[i, j)``, trimmed of spaces."""
        start, end = self._orig(i)[0], self._orig(j - 1)[1]
        while start < end and self.original[start].isspace():
            start += 1
        while end > start and self.original[end - 1].isspace():
            end -= 1
        return start, end

    def _find_norm(self, q: str, start: int = 0) -> int:
        i = self.text.find(q, start)
        if i < 0 and q[0].isalpha():
            i = self.text.find(q[0].swapcase() + q[1:], start)
        return i

    def find(self, quote: str) -> tuple[int, int] | None:
        """The span of the first occurrence of ``quote`` in the original text, or None."""
        q = normalize(quote).strip()
        if not q:
            return None
        i = self._find_norm(q)
        if i < 0:
            return None
        return self.span(i, i + len(q))

    def lower(self) -> str:
        """``text.lower()``, made once: the "did you mean" search of each misquote compares lower case."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    def words(self) -> dict[str, list[int]]:
        """Where each word (run of letters and digits) of the normalised text starts, in order."""
        if self._words is None:
            index: dict[str, list[int]] = {}
            setdefault = index.setdefault
            for m in re.finditer(_WORD, self.text):
                setdefault(m.group(), []).append(m.start())
            self._words = index
        return self._words

    def _anchored(self, q: str) -> list[int] | None:
        """Every place where ``q`` (or ``q`` with its first letter's case swapped) may start, in order;
        None when ``q`` holds no word to anchor on (then only a scan can tell).

        An occurrence of ``q`` puts each word that ``q`` holds whole (a run of letters and
        digits with something else on both sides, inside ``q``) at a word start of the text,
        at the same offset; the rarest such word gives the fewest candidates. The first letter
        of ``q`` takes no part, so both cases of it are covered.
        """
        best = None
        offset = 0
        words = None
        for m in re.finditer(_WORD, q):
            a, b = m.span()
            if a == 0 or b == len(q):  # may be part of a longer word of the text
                continue
            if words is None:
                words = self.words()
            found = words.get(m.group(), ())
            if best is None or len(found) < len(best):
                best, offset = found, a
                if not found:
                    break
        if best is None:
            return None
        return [p - offset for p in best if p >= offset]

    def _first(self, q: str, hint: int) -> int:
        """Where ``find_many`` takes ``q`` to be in the normalised text, or -1: the first occurrence
        at or after ``hint``, else of the first letter's other case at or after ``hint``, else
        the first occurrence, else the first of the other case."""
        text = self.text
        find = text.find
        swapped = q[0].swapcase() + q[1:] if q[0].isalpha() else None
        if hint:  # most maps follow the article: the next quote is usually close after the last
            i = find(q, hint, hint + len(q) + _NEAR)
            if i >= 0:
                return i
        # the first few quotes away from the previous one are scanned for (as cheap as
        # building the index on a map with few); after that the index answers
        starts = self._anchored(q) if self._words is not None or self._stats["scanned"] >= _SCANS else None
        if starts is None:  # no word held whole, or the index not built yet: scan
            self._stats["scanned"] += 1
            i = -1
            if hint:
                i = find(q, hint)
                if i < 0 and swapped:
                    i = find(swapped, hint)
            if i < 0:
                i = find(q)
                if i < 0 and swapped:
                    i = find(swapped)
            return i
        self._stats["verified"] += len(starts)
        startswith = text.startswith
        at = [c for c in starts if startswith(q, c)]
        other = [c for c in starts if startswith(swapped, c)] if swapped else []
        k = bisect_left(at, hint)
        if k < len(at):
            return at[k]
        k = bisect_left(other, hint)
        if k < len(other):
            return other[k]
        return at[0] if at else other[0] if other else -1

    def find_many(self, quotes: Sequence[str | None]) -> list[tuple[int, int] | None]:
        """Spans of many quotes, fast when they come in reading order.

        Each quote is first looked for after the previous one found (maps
        follow the article), then from the start; the same quote text always
        gets the same span. A quote not found close after the previous one is
        looked for at the places where its rarest whole word starts (an index
        of the text's words, built once), not by scanning the text: quotes
        that are not in the source cost no more than the others.
        """
        out: list[tuple[int, int] | None] = []
        seen: dict[str, tuple[int, int] | None] = {}
        hint = 0
        search = _regexes()[1].search
        starts, pieces = self._norm_starts, self._pieces
        for quote in quotes:
            if not quote:
                out.append(None)
                continue
            if search(quote) is None and "  " not in quote:
                q = quote.strip()  # nothing to normalise (see normalize)
            else:
                q = normalize(quote).strip()
            if not q:
                out.append(None)
                continue
            key = q[0].lower() + q[1:]  # the first letter's case is forgiven
            if key in seen:
                out.append(seen[key])
                continue
            i = self._first(q, hint)
            span = None
            if i >= 0:
                j = i + len(q)
                k = bisect_right(starts, i) - 1
                a, b, copied = pieces[k]
                if copied and j - starts[k] <= b - a:
                    # inside one unchanged run: offsets shift by a constant, and the
                    # quote's ends are no spaces (it is stripped), so nothing to trim
                    o = a + (i - starts[k])
                    span = (o, o + len(q))
                else:
                    span = self.span(i, j)
                hint = j
            seen[key] = span
            out.append(span)
        return out


_WORD = r"[^\W_]+"  # a word of the text, for the quote index: a run of letters and digits
_NEAR = 4000  # characters after the previous quote where the next one is looked for first
_SCANS = 8  # quotes looked for by scanning the whole text before the word index is built


@lru_cache(maxsize=8)
def normalized(text: str) -> NormalizedText:
    """Cached :class:`NormalizedText` of a source (one per source text)."""
    return NormalizedText(text)


def locate_quote(text: str, quote: str) -> tuple[int, int] | None:
    """The ``(start, end)`` character span of ``quote`` in the original ``text``, or None.

    Matching ignores differences of whitespace, curly vs straight quotes,
    dash variants and the case of the quote's first letter (see
    :func:`normalize`). The first occurrence wins.
    """
    return normalized(text).find(quote)


class Passage(msgspec.Struct, frozen=True):
    """The passage of a source closest to a quote that was not found.

    (The classes here are msgspec Structs, not dataclasses: defining them costs
    next to nothing, and this module is imported on every check of a map with a source.)
    """

    start: int
    end: int
    text: str  # the passage, whitespace collapsed
    score: float  # 0..100, rapidfuzz partial ratio


def closest_passage(text: str, quote: str, *, min_score: float = 60.0, max_chars: int = 300,
                    whole: bool = True) -> Passage | None:
    """The source passage most similar to ``quote`` (for "did you mean"), or None.

    Returns None when nothing scores ``min_score`` or more, so an unrelated
    quote never makes argmap print random parts of a file. ``whole=False``
    searches a long source only around the quote's rarest words (see
    :func:`_alignment`): for the many misquotes of a big map.
    """
    norm = normalized(text)
    q = normalize(quote).strip()
    if not q or not norm.text:
        return None
    al = _alignment(q, norm, whole, min_score)
    if al is None:
        return None
    # dest_* index the second argument (the text) even when the quote is the longer string;
    # taking src_* then indexed the text with quote offsets (IndexError, found by fuzzing)
    t = norm.text
    i, j = max(0, min(al.dest_start, len(t))), max(0, min(al.dest_end, len(t)))
    # widen to whole words
    while i > 0 and t[i - 1].isalnum():
        i -= 1
    while j < len(t) and t[j].isalnum():
        j += 1
    i, j = _trim_to_quote(t, i, j, q)
    if j <= i:
        return None
    start, end = norm.span(i, j)
    shown = re.sub(r"\s+", " ", text[start:end]).strip()
    if len(shown) > max_chars:
        shown = shown[: max_chars - 1].rstrip() + "…"
    return Passage(start, end, shown, float(al.score))


_JOINER = r"(?i)\s*(but|and|or|yet|so)\s+"
_SENTENCE_BREAK = re.compile(r"[.!?]\s")
# up to three words of the sentence before, or after, a sentence break
_LEADING_TAIL = re.compile(r"\s*(?:[^\s.!?]+\s+){0,2}[^\s.!?]+[.!?]+\s+(?=\S)")
_TRAILING_HEAD = re.compile(r"[.!?]\s+(?:[^\s.!?]+\s*){1,3}$")


def _trim_to_quote(t: str, i: int, j: int, q: str) -> tuple[int, int]:
    """``t[i:j]`` without what the alignment took from the neighbouring text: the
    end of the sentence before or the start of the one after (a few words across
    a sentence break the quote ``q`` does not have), a leading "but" ("and",
    "or", "yet", "so") and closing punctuation that ``q`` does not have."""
    if not _SENTENCE_BREAK.search(q):  # (unless the quote starts or ends with those words itself)
        words = q.lower().split()
        m = _LEADING_TAIL.match(t, i, j)
        if m and words and m.group().split()[0].lower().strip(".!?") != words[0].strip(".!?"):
            i = m.end()
        m = _TRAILING_HEAD.search(t, i, j)
        if m and words and m.group().split()[-1].lower().strip(".!?") != words[-1].strip(".!?"):
            j = m.start() + 1
    m = re.match(_JOINER, t[i:j])
    if m and not q.lower().startswith(m.group(1).lower()) and m.end() < j - i:
        i += m.end()
    while j > i and (t[j - 1].isspace() or t[j - 1] in ".,;:" and not q.endswith(t[j - 1])):
        j -= 1
    return i, j


_SCAN_SUGGEST = 50_000  # sources up to this long (characters) are searched whole for a "did you mean"
_ANCHOR_WORDS = 6  # on longer ones: the places of this many of the quote's rarest words vote ...
_ANCHOR_PLACES = 64  # (at most this many places of each) ...
_ANCHOR_WINDOWS = 12  # ... for where the quote would start, and this many best-voted windows are scored


def _alignment(q: str, norm: NormalizedText, whole: bool = True, min_score: float = 0.0):
    """rapidfuzz's ``partial_ratio_alignment`` of ``q`` against the normalised text (case ignored),
    or None when it scores below ``min_score`` (rapidfuzz's ``score_cutoff``: below it, and
    below the best window scored so far, a window is given up early).

    With ``whole`` (and always in a short source) the whole text is searched.
    Otherwise, in a long source, scoring every window of the text would cost
    time in proportion to its length for each quote (a map with many
    misquotes of a long article took seconds): each place where one of the
    quote's rarest words stands votes for where the quote would start there
    (the word's place less its offset in the quote, in steps of half the
    quote's length), and only the windows that most of those words agree on
    are scored, as a passage similar enough to suggest shares words with the
    quote, in about the quote's order. (The passage found may then differ
    from the whole search's where two score the same.)
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import ScoreAlignment

    t, ql = norm.lower(), q.lower()  # what processor=str.lower would do to both, on every call
    if whole or len(t) <= _SCAN_SUGGEST:
        return fuzz.partial_ratio_alignment(ql, t, score_cutoff=min_score)
    words = norm.words()
    places: dict[str, tuple[int, int, list[list[int]]]] = {}  # word of q -> (count, offset in q, place lists)
    for m in re.finditer(_WORD, q):
        w = m.group()
        low = w.lower()
        if low not in places:
            lists = [words[v] for v in {w, low, w.capitalize()} if v in words]
            places[low] = (sum(map(len, lists)), m.start(), lists)
    step = len(q) // 2 + 1
    votes: Counter = Counter()  # start of the quote, in steps -> how many of the words put it there
    found_words = [v for v in places.values() if v[0]]  # a word not in the source casts no vote
    for count, offset, lists in sorted(found_words, key=itemgetter(0))[:_ANCHOR_WORDS]:
        starts = set()  # one vote per word and start (in C: a map of 64 places)
        for found in lists:
            starts.update(map(floordiv, map(sub, found[:_ANCHOR_PLACES], repeat(offset)), repeat(step)))
        votes.update(starts)
    chosen = sorted(votes)  # most votes first, then the earliest (a stable sort, in C)
    chosen.sort(key=votes.__getitem__, reverse=True)
    del chosen[_ANCHOR_WINDOWS:]
    merged: list[list[int]] = []  # overlapping windows are scored as one
    for k in sorted(chosen):
        a, b = max(0, (k - 1) * step), min(len(t), (k + 2) * step + len(q))
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    best = None
    cutoff = min_score
    for a, b in merged:
        al = fuzz.partial_ratio_alignment(ql, t[a:b], score_cutoff=cutoff)
        if al is not None and (best is None or al.score > best.score):
            best = ScoreAlignment(al.score, al.src_start, al.src_end, al.dest_start + a, al.dest_end + a)
            cutoff = al.score  # a later window must do better to count
    return best


# --------------------------------------------------------------------------- reading the source


class SourceText(msgspec.Struct):
    """The outcome of reading a map's source."""

    declared: str | None  # source.path as written, None for inline text
    path: Path | None  # the file, when it came from one
    text: str | None  # None when it could not be had
    problem: str | None = None  # one sentence, when text is None
    kind: str | None = None  # "missing" | "unreadable" | "outside"
    title: str | None = None
    author: str | None = None

    @property
    def ok(self) -> bool:
        return self.text is not None


# --------------------------------------------------------------------------- paragraphs, coverage


_PARAGRAPH = r"\S(?:.*?\S)?(?=[^\S\n]*\n[^\S\n]*\n|\s*\Z)"  # the definition (tests hold paragraphs() to it)


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the blank-line separated paragraphs of ``text``, trimmed.

    The matches of ``_PARAGRAPH`` (with ``re.S``), found by splitting at the
    blank lines and trimming each piece: several times faster on a big source
    than trying the lazy pattern at every character. (The pattern runs a
    paragraph of one character on into the next paragraph; so does this.)
    """
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n[^\S\n]*\n", text):
        _trimmed(text, pos, m.start(), pieces)
        pos = m.end()
    _trimmed(text, pos, len(text), pieces)
    out = []
    k = 0
    while k < len(pieces):
        a, b = pieces[k]
        if b - a == 1 and k + 1 < len(pieces):
            k += 1
            b = pieces[k][1]
        out.append((a, b))
        k += 1
    return out


def _trimmed(text: str, a: int, b: int, out: list) -> None:
    piece = text[a:b]
    lead = len(piece) - len(piece.lstrip())
    if lead == len(piece):
        return
    out.append((a + lead, a + len(piece.rstrip())))


def spans_paragraphs(text: str, span: tuple[int, int]) -> bool:
    """Whether a span of ``text`` crosses a paragraph break (a blank line)."""
    return re.search(r"\n[^\S\n]*\n", text[span[0]:span[1]]) is not None


class ParagraphBreaks:
    """The blank lines of a text, to ask of many spans whether they cross one.

    ``ParagraphBreaks(text).crosses(span)`` is ``spans_paragraphs(text, span)``
    with one regex pass over the text in all, instead of one per span.
    """

    __slots__ = ("_starts", "_ends")

    def __init__(self, text: str):
        # each newline followed by a blank line, and the newline ending that blank line
        self._starts = [m.start() for m in re.finditer(r"\n(?=[^\S\n]*\n)", text)]
        find = text.find
        self._ends = [find("\n", p + 1) for p in self._starts]

    def crosses(self, span: tuple[int, int]) -> bool:
        a, b = span
        k = bisect_left(self._starts, a)  # the first break inside the span ends first
        return k < len(self._starts) and self._ends[k] < b


@lru_cache(maxsize=1)
def _patterns() -> dict:
    """The regexes that find non-prose paragraphs (compiled on first use)."""
    return {
        "caption": re.compile(
            r"^(?:image|photo|photograph|picture|caption|credit|credits|illustration|video|graphic|chart|figure|fig\.|map)"
            r"\s*(?:\d+\s*)?[:|\u2014\u2013-]",
            re.I,
        ),
        "byline": re.compile(r"^(?:by|written by|words by|reporting by)\s+\S", re.I),
        "further": re.compile(
            r"^(?:further reading|read more|related(?: reading| articles| content| stories| posts)?|see also|"
            r"more from[^.!?]*|recommended(?: reading)?|more on this(?: topic)?|you may also like)\s*:?\s*$",
            re.I,
        ),
        "bio": re.compile(
            r"^[A-Z][\w\u2019'.-]*(?:\s+[A-Z][\w\u2019'.-]*){1,3}\s+(?:is|was|serves as|has been)\s+(?:a|an|the)\b"
        ),
    }


_END_PUNCT = tuple(".!?\"'\u201d\u2019)")


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", normalize(s)).strip().casefold()


def _squash_could_fit(s: str, size: int) -> bool:
    """False when ``_squash(s)`` is surely longer than ``size``: every character
    that is no whitespace, dash or invisible character stays (a paragraph of a
    long source is not squashed just to learn that it is no title)."""
    def solid(t: str) -> int:
        return len("".join(t.split())) - sum(map(t.count, DASHES + INVISIBLE))

    return solid(s[:2 * size + 64]) <= size and solid(s) <= size  # a long paragraph's head tells


def _squash_head(s: str, size: int) -> str:
    """``_squash(s)[:size]``, squashing no more of a long ``s`` than that needs
    (a cut only changes the last character or two of what it squashes)."""
    k = 2 * size + 64
    while True:
        head = _squash(s[:k])
        if k >= len(s) or len(head) >= size + 4:
            return head[:size]
        k *= 4


def _excluded_reason(para: str, index: int, count: int, title: str | None, author: str | None,
                     in_further: bool) -> str | None:
    one_line = "\n" not in para
    pats = _patterns()
    if title and _squash_could_fit(para, len(t := _squash(title))) and _squash(para) == t:
        return "title"
    if index == 0 and one_line and len(para) < 200 and not para.endswith(_END_PUNCT):
        return "title"
    if one_line and len(para) < 200 and pats["byline"].match(para):
        return "byline"
    if pats["caption"].match(para):
        return "caption"
    if one_line and pats["further"].match(para):
        return "further reading"
    if in_further and one_line and len(para) < 200:
        return "further reading"
    if author and _squash_head(para, len(a := _squash(author) + " ")) == a:
        return "author bio"
    if index >= count * 2 // 3 and index > 0 and pats["bio"].match(para) and len(para) < 600:
        return "author bio"
    return None


class SentenceSpan(msgspec.Struct, frozen=True):
    """One sentence of the source: its span in the original text and whether a quote covers it."""

    start: int
    end: int
    covered: bool
    covered_chars: int  # characters of the sentence inside some quote


class ExcludedSpan(msgspec.Struct, frozen=True):
    start: int
    end: int
    reason: str  # "title", "byline", "author bio", "caption", "further reading"


class Coverage(msgspec.Struct):
    """How much of a source the quotes cover."""

    ratio: float  # covered / total (1.0 when the text has no countable sentence)
    covered: int  # sentences touched by some quote
    total: int  # sentences counted (exclusions left out)
    sentences: list[SentenceSpan] = []  # a new list per instance
    excluded: list[ExcludedSpan] = []
    quotes_found: int = 0
    quotes_missing: int = 0

    @property
    def uncovered(self) -> list[SentenceSpan]:
        return [s for s in self.sentences if not s.covered]

    def as_dict(self) -> dict:
        return {
            "ratio": round(self.ratio, 4), "covered": self.covered, "total": self.total,
            "quotes_found": self.quotes_found, "quotes_missing": self.quotes_missing,
        }


# A paragraph of plain prose that pysbd splits at its full stops and nowhere else: letters,
# digits, single spaces, commas, semicolons, colons, per cent signs, and apostrophes and
# hyphens inside words; every full stop ends a word of letters and is followed by a space
# and a capital letter, or ends the paragraph. pysbd keeps a sentence going after a full
# stop only when a word it knows as an abbreviation stands before it and a lower-case
# letter, a digit, a bracket or the word "I" comes next; when the word is one it puts
# before names or numbers ("Dr.", "St.", "No."), a list numeral ("ii.") or a capital
# letter (an initial); or when single lower-case letters before full stops follow the
# alphabet (a list: "a. ... b."). So those, and "I" after a full stop, send the paragraph
# to pysbd; so do quotes, brackets, question and exclamation marks, ellipses and line
# breaks. tests/test_source.py holds this equal to pysbd on real articles, generated
# prose and generated tricky text.
_PLAIN_CHARS = r"[A-Za-z0-9][A-Za-z0-9,;:% .'\u2019-]*\."  # then: no double space, and see _plain_sentences
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")


@lru_cache(maxsize=1)
def _plain_rules() -> tuple[re.Pattern, frozenset[str]]:
    """The regex of plain paragraphs, compiled (pysbd's many patterns push it out of re's cache), and
    the words after which a full stop may not end a sentence for pysbd: the abbreviations
    it puts before names or numbers, and the roman numerals of its list items."""
    from pysbd.lang.english import English
    from pysbd.lists_item_replacer import ListItemReplacer

    a = English.Abbreviation
    avoid = frozenset(w.strip().lower() for w in (*a.PREPOSITIVE_ABBREVIATIONS, *a.NUMBER_ABBREVIATIONS,
                                                  *ListItemReplacer.ROMAN_NUMERALS, "co"))  # "Co. KG"
    return re.compile(_PLAIN_CHARS), avoid


def _plain_sentences(chunk: str) -> list[tuple[int, int]] | None:
    """The sentences of a plain paragraph (see the comment above) as pysbd finds them, or None."""
    plain, avoid = _plain_rules()
    if plain.fullmatch(chunk) is None or "  " in chunk:
        return None
    for mark in ("'", "\u2019", "-"):  # only inside words
        i = chunk.find(mark)
        while i >= 0:
            if i == 0 or not chunk[i - 1].isascii() or not chunk[i - 1].isalnum() or i + 1 == len(chunk) \
                    or not chunk[i + 1].isascii() or not chunk[i + 1].isalnum():
                return None
            i = chunk.find(mark, i + 1)
    n = len(chunk)
    stops = []
    i = chunk.find(".")
    while i >= 0:  # each full stop: a space and a capital letter after it, or the end
        if i + 1 < n and not (chunk[i + 1] == " " and i + 2 < n and "A" <= chunk[i + 2] <= "Z"):
            return None
        stops.append(i)
        i = chunk.find(".", i + 1)
    out = []
    start = 0
    letters = []  # single lower-case letters ending sentences: pysbd may read them as a list (a. b. c.)
    for i in stops:
        j = i
        while j and chunk[j - 1] in _ASCII_ALNUM:  # the word before the full stop
            j -= 1
        word = chunk[j:i]
        if not word.isalpha() or word.lower() in avoid:
            return None
        if chunk.startswith(" I", i + 1) and not (i + 3 < n and "a" <= chunk[i + 3] <= "z"):
            return None  # "I" after a full stop
        if len(word) == 1:
            if not word.islower():
                return None  # "A." may be an initial
            letters.append(ord(word))
        out.append((start, i + 1))
        start = i + 2
    # two in a row that are neighbours in the alphabet make a list to pysbd; it also compares
    # the first with the last (its index -1)
    if any(abs(a - b) == 1 for a, b in zip(letters, letters[1:] + letters[:1])):
        return None
    return out


def _sentences(text: str, start: int, end: int, segmenter) -> list[tuple[int, int]]:
    chunk = text[start:end]
    plain = _plain_sentences(chunk)
    if plain is not None:
        return [(start + a, start + b) for a, b in plain]
    out = []
    cursor = 0
    for sent in segmenter.segment(chunk):
        s = sent.strip()
        if not s:
            continue
        i = chunk.find(s, cursor)
        if i < 0:  # pysbd altered the text: fall back to what is left
            continue
        out.append((start + i, start + i + len(s)))
        cursor = i + len(s)
    return out


def coverage(
    text: str,
    quotes: Iterable[str] = (),
    *,
    spans: Iterable[tuple[int, int]] | None = None,
    title: str | None = None,
    author: str | None = None,
) -> Coverage:
    """The share of the source's sentences that some quote covers.

    ``quotes`` are located with :func:`locate_quote` (or give their ``spans``
    directly). Paragraphs that are not the article's prose are left out: the
    title (the first line without final punctuation, or equal to ``title``),
    a byline ("By ..."), the author's bio (a paragraph starting with
    ``author``, or a late "Name is a ..." paragraph), captions ("Image: ...",
    "Photo: ...") and "Further reading" lines with the list that follows.
    The rest is split into sentences with pysbd (a paragraph of plain prose,
    which pysbd splits at every full stop, is split there without it: the
    same sentences, without its cost on a big source); a sentence counts as
    covered when any quote overlaps it.
    """
    found: list[tuple[int, int]] = []
    missing = 0
    for q in quotes:
        span = locate_quote(text, q)
        if span is None:
            missing += 1
        else:
            found.append(span)
    if spans is not None:
        found.extend(spans)
    merged: list[list[int]] = []
    for a, b in sorted(found):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    starts = [m[0] for m in merged]

    paras = paragraphs(text)
    excluded: list[ExcludedSpan] = []
    counted: list[tuple[int, int]] = []
    in_further = False
    for k, (a, b) in enumerate(paras):
        reason = _excluded_reason(text[a:b], k, len(paras), title, author, in_further)
        if reason == "further reading":
            in_further = True
        elif reason is None:
            in_further = False
        if reason:
            excluded.append(ExcludedSpan(a, b, reason))
        else:
            counted.append((a, b))

    sentences: list[SentenceSpan] = []
    if counted:
        import pysbd

        seg = pysbd.Segmenter(language="en", clean=False)
        for a, b in counted:
            for s, e in _sentences(text, a, b, seg):
                chars = 0
                k = max(0, bisect_left(starts, s) - 1)
                while k < len(merged) and merged[k][0] < e:
                    lo, hi = max(s, merged[k][0]), min(e, merged[k][1])
                    if hi > lo:
                        chars += len("".join(text[lo:hi].split()))  # the characters that are no whitespace
                    k += 1
                sentences.append(SentenceSpan(s, e, chars > 0, chars))
    covered = sum(1 for s in sentences if s.covered)
    total = len(sentences)
    return Coverage(covered / total if total else 1.0, covered, total, sentences, excluded, len(found), missing)


def quote_spans(text: str, quotes: Sequence[str | None]) -> list[tuple[int, int] | None]:
    """Spans of many quotes at once (see :meth:`NormalizedText.find_many`)."""
    return normalized(text).find_many(quotes)
