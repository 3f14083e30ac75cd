"""Source rules (AM2xx): the source file, quotes against it, coverage."""

from __future__ import annotations

from argmap.checks.rule import ERROR, WARNING, Problem, rule


def _source_at(ctx) -> tuple:
    src = ctx.map.source
    return ("source", "path") if src is not None and src.path is not None else ("source",)


@rule("AM201", "source-unreadable", ERROR, "source")
def source_unreadable(ctx):
    """The map names a source file that does not exist or cannot be read as text.

    ``source.path`` is relative to the map file. Without the source no quote
    can be checked, so this is an error: fix the path, or drop ``source``.
    A file that is binary, not UTF-8 or over ``max-file-size`` counts as
    unreadable.

    Failing example::

        argmap: 1
        source:
          path: no-such-article.txt
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
    Passing example::

        argmap: 1
        source:
          text: Cities should tax empty homes.
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities should tax empty homes
    """
    src = ctx.source
    if src is not None and src.kind in ("missing", "unreadable"):
        yield Problem(src.problem, at=_source_at(ctx))


@rule("AM202", "source-outside-home", ERROR, "source")
def source_outside_home(ctx):
    """``source.path`` leads outside the map's home and is not read.

    The home is the git repository holding the map (found by walking up to
    a ``.git``), or the map's own folder when it is not in a repository. A
    path leaving it through ``..``, an absolute path or a symlink is refused,
    so a pull request cannot make CI read (and show, through "did you mean"
    messages) an arbitrary file such as ``/etc/passwd`` or a CI secret. Allow
    it with ``--allow-outside-source`` or ``allow-outside-source = true``.

    Failing example::

        argmap: 1
        source:
          path: /etc/passwd
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
    Passing example::

        argmap: 1
        source:
          text: Cities should tax empty homes.
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
    """
    src = ctx.source
    if src is not None and src.kind == "outside":
        yield Problem(src.problem, at=_source_at(ctx))


MAX_SUGGESTIONS = 200  # "did you mean" searches per map
MAX_SUGGEST_QUOTE = 2000  # characters
SCAN_BUDGET = 1_000_000  # characters of source searched whole for suggestions per map; then near the quote's words


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@rule("AM203", "quote-not-found", ERROR, "source")
def quote_not_found(ctx):
    """A quote is not found verbatim in the source.

    A quote ties a node to the author's words; one that is not in the text
    misquotes the author. Matching forgives differences of whitespace, curly
    vs straight quotes, dash variants (``-``, ``–``, ``—``, ``--``) and the
    case of the first letter, nothing else. The message shows the closest
    passage of the source as a "did you mean" (only when it is similar
    enough, so no unrelated text of the file is ever shown).

    Failing example::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities must tax them
    Passing example::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: cities should tax them
    """
    src = ctx.source
    if src is None or not src.ok:
        return
    spans = ctx.quote_spans
    suggested = 0
    scanned = 0  # characters searched whole so far
    for i, n in enumerate(ctx.nodes):
        if n.quote and spans[i] is None:
            from argmap.map.source import closest_passage

            # fuzzy matching costs time on long texts: suggest for the first
            # MAX_SUGGESTIONS misquotes of a map, and for quotes of sane length
            p = None
            if suggested < MAX_SUGGESTIONS and len(n.quote) <= MAX_SUGGEST_QUOTE:
                suggested += 1
                whole = scanned + len(src.text) <= SCAN_BUDGET
                scanned += len(src.text) if whole else 0
                p = closest_passage(src.text, n.quote, whole=whole)
                tail = ", nor anything like it"
            else:
                tail = " (no \"did you mean\": too many misquotes in this map, or too long a quote)"
            if p is not None:
                msg = f"quote not found in the source; did you mean \"{p.text}\"? ({p.score:.0f}% similar)"
            else:
                msg = f"quote \"{_short(n.quote)}\" not found in the source{tail}"
            extra = {"suggestion": p.text, "similarity": round(p.score, 1)} if p else {}
            yield Problem(msg, node=i, at=("nodes", i, "quote"), extra=extra)


@rule("AM204", "duplicate-quote", WARNING, "source")
def duplicate_quote(ctx):
    """Two nodes quote the same span of the source.

    Each node should stand for its own statement of the author; two nodes
    on the same words are usually one statement mapped twice, or a quote
    copied to a node it does not fit.

    Failing example::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities should tax them.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            quote: Cities should tax them.
            supports: [thesis]
    Passing example::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities should tax them.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            quote: Empty homes push rents up.
            supports: [thesis]
    """
    first: dict[tuple[int, int], int] = {}
    for i, span in enumerate(ctx.quote_spans):
        if span is None:
            continue
        if span in first:
            j = first[span]
            line = ctx.loaded.positions.of(("nodes", j, "quote"))[0]
            where = f" (line {line})" if line else ""
            yield Problem(f"{ctx.nodes[i].id!r} quotes the same words as {ctx.nodes[j].id!r}{where}",
                          node=i, at=("nodes", i, "quote"))
        else:
            first[span] = i


@rule("AM205", "multi-paragraph-quote", WARNING, "source")
def multi_paragraph_quote(ctx):
    """A quote runs across a paragraph break of the source.

    A node is one statement; a quote spanning two paragraphs usually joins
    two statements that should be two nodes.

    Failing example::

        argmap: 1
        source:
          text: "Empty homes push rents up.\\n\\nCities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: "push rents up. Cities should tax them"
    Passing example::

        argmap: 1
        source:
          text: "Empty homes push rents up.\\n\\nCities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: "Cities should tax them"
    """
    src = ctx.source
    if src is None or not src.ok:
        return
    from argmap.map.source import ParagraphBreaks

    breaks = None
    for i, span in enumerate(ctx.quote_spans):
        if span is None:
            continue
        if breaks is None:
            breaks = ParagraphBreaks(src.text)  # one pass over the source, not one per quote
        if breaks.crosses(span):
            yield Problem(f"the quote of {ctx.nodes[i].id!r} spans more than one paragraph of the source; "
                          "split the node, or quote one paragraph", node=i, at=("nodes", i, "quote"))


@rule("AM206", "low-coverage", WARNING, "source")
def low_coverage(ctx):
    """The quotes cover less of the source than ``min-coverage`` asks.

    Coverage is the share of the source's sentences that some quote
    overlaps; the title, a byline, the author's bio, captions and "further
    reading" lines are not counted. It runs only when ``min-coverage`` is
    set (in the configuration or with ``--min-coverage``); ``argmap check
    --stats`` shows the figure either way. A low figure means parts of the
    article's argument are missing from the map.

    Failing example (with ``min-coverage = 0.9``)::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them. The tax pays for housing."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities should tax them.
    Passing example::

        argmap: 1
        source:
          text: "Empty homes push rents up. Cities should tax them."
        nodes:
          - id: thesis
            kind: thesis
            text: Cities should tax empty homes.
            quote: Cities should tax them.
          - id: rents
            kind: claim
            text: Empty homes push rents up.
            quote: Empty homes push rents up.
            supports: [thesis]
    """
    minimum = ctx.config.min_coverage
    if minimum is None:
        return
    cov = ctx.coverage
    if cov is None or cov.total == 0:
        return
    if cov.ratio + 1e-9 < minimum:
        yield Problem(
            f"the quotes cover {cov.ratio:.0%} of the source's sentences ({cov.covered} of {cov.total}), "
            f"below min-coverage {minimum:.0%}",
            at=_source_at(ctx), extra={"coverage": cov.as_dict()},
        )
