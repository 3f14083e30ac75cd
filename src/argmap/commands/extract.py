"""argmap extract: draft a map from a plain-text article."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ORDER = 10

DEFAULT_MAX_UNITS = 400


def extract(
    article: Path = typer.Argument(
        ..., metavar="ARTICLE", help="The article: a UTF-8 plain-text file ('-' reads standard input)."
    ),
    output: Optional[Path] = typer.Option(
        None,
        "-o",
        "--output",
        help="Write the draft map here (atomically; YAML, or JSON for a .json name) instead of standard output.",
    ),
    backend: str = typer.Option(
        "heuristic",
        "--backend",
        "-b",
        help="Who labels and links the units: 'heuristic' (offline rules, the default) or 'llm' "
        "(an OpenAI-compatible chat-completions endpoint).",
    ),
    max_units: int = typer.Option(
        DEFAULT_MAX_UNITS,
        "--max-units",
        min=1,
        help="Analyse at most this many candidate units (sentences or clauses), in reading order; "
        "the rest of the article is left out, with a warning.",
    ),
    base_url: Optional[str] = typer.Option(
        None,
        "--base-url",
        envvar="ARGMAP_LLM_BASE_URL",
        help="llm backend: the endpoint's base URL, e.g. https://api.openai.com/v1 or http://127.0.0.1:8080/v1 "
        "(env ARGMAP_LLM_BASE_URL). The key, if any, is read from ARGMAP_LLM_API_KEY.",
    ),
    model: Optional[str] = typer.Option(
        None, "--model", envvar="ARGMAP_LLM_MODEL", help="llm backend: the model name (env ARGMAP_LLM_MODEL)."
    ),
    cache_dir: Optional[Path] = typer.Option(
        None,
        "--cache-dir",
        help="llm backend: where answers are cached (default $ARGMAP_CACHE_DIR, else ~/.cache/argmap).",
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="llm backend: neither read nor write the answer cache."),
    timeout: float = typer.Option(300.0, "--timeout", min=1.0, help="llm backend: seconds to wait for an answer."),
    context: int = typer.Option(
        4096, "--context", min=512,
        help="llm backend: the model's context size in tokens (prompt and answer); requests are planned to fit it.",
    ),
    chunk: Optional[int] = typer.Option(
        None, "--chunk", min=1,
        help="llm backend: send at most this many units per request (default: as many as fit --context); "
        "the answers are merged.",
    ),
    force: bool = typer.Option(
        False, "--force", "-f", help="Replace the output file if it exists (a reviewed map is never overwritten by accident)."
    ),
    progress: Optional[bool] = typer.Option(
        None,
        "--progress/--quiet",
        help="Print progress on standard error (default: only when it is a terminal and the article is long, "
        "or the llm backend is used).",
    ),
):
    """Draft a map from a plain-text ARTICLE, to correct rather than to start from a blank page.

    The article is split into paragraphs, sentences and clauses (titles, bylines
    and captions are set aside); a backend labels each unit as thesis, claim,
    premise, recommendation or objection (or not argument) and links it to one
    other unit; the result is a map with exactly one thesis, everything connected
    and no cycle, so 'argmap check' accepts its structure.

    Every node quotes the exact span of the article it came from, has a short
    'text' to rewrite, and a 'draft' field with the backend's confidence and
    (heuristic) the cues that fired: remove it once the node is reviewed.

    Written to a file (-o), the map refers to the article by a path relative to
    the map's folder; on standard output (or for an article read from standard
    input) the article's text is inlined as 'source.text', so the map is
    self-contained wherever it is saved.

    Examples:

      argmap extract article.txt -o maps/article.yaml

      argmap extract article.txt --backend llm --base-url http://127.0.0.1:8080/v1 --model qwen2.5-7b
    """
    import os
    import sys
    import time
    from collections import Counter

    from argmap.map.errors import ArgmapError, Unreadable, UsageError
    from argmap.extract import BACKENDS, NoArgument, draft
    from argmap.io.files import read_text
    from argmap.io.writing import atomic_write, dumps
    from argmap.map.model import KINDS

    backend = backend.lower()
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}.")
    name = str(article)
    text = read_text(article, what="article")
    if not text.strip():
        raise Unreadable(f"{name}: is empty; there is no article to draft.")
    to_stdout = output is None or str(output) == "-"
    if not to_stdout:
        out = Path(output)
        if name != "-" and out.exists() and out.resolve() == Path(article).resolve():
            raise UsageError(f"{output}: is the article itself; write the map to another file.")
        if out.exists() and not out.is_dir() and not force:
            raise UsageError(f"{output}: already exists; pass --force to replace it with a new draft.")
    if progress is None:
        progress = sys.stderr.isatty() and (backend == "llm" or len(text) > 20_000)

    def say(msg: str) -> None:
        if progress:
            typer.echo(f"argmap extract: {msg}", err=True)

    if to_stdout or name == "-":
        source = {"text": text}
    else:
        rel = os.path.relpath(Path(article).resolve(), Path(output).resolve().parent)
        source = {"path": Path(rel).as_posix()}
    options = {}
    if backend == "llm":
        options = {"base_url": base_url, "model": model, "cache_dir": cache_dir, "use_cache": not no_cache,
                   "timeout": timeout, "context": context, "chunk": chunk}

    def warn(n_units: int) -> None:
        typer.echo(
            f"argmap extract: warning: {name} has {n_units} candidate units; only the first {max_units} are "
            "analysed (raise --max-units to draft all of it).",
            err=True,
        )

    start = time.perf_counter()
    try:
        amap = draft(text, backend=backend, max_units=max_units, source=source, progress=say,
                     on_truncate=warn, **options)
    except NoArgument as exc:
        raise ArgmapError(f"{name}: {exc}; is it a plain-text article?", exit_code=1) from None
    elapsed = time.perf_counter() - start
    fmt = "json" if (not to_stdout and Path(output).suffix.lower() == ".json") else "yaml"
    content = dumps(amap, fmt)
    counts = Counter(n.kind.value for n in amap.nodes)
    summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if k in counts)
    if to_stdout:
        typer.echo(content, nl=False)
    else:
        atomic_write(output, content)
        typer.echo(
            f"wrote {output}: {len(amap.nodes)} draft nodes ({summary}) by the {backend} backend in "
            f"{elapsed:.2f} s; review each node and remove its 'draft' field.",
            err=True,
        )


def register(app, wrap):
    app.command("extract")(wrap(extract))
