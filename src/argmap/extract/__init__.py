"""Article → draft argument map.

Pipeline: paragraphs → sentences → candidate units (:mod:`.segment`, exact
spans of the article) → labels and relations from a backend
(:mod:`.heuristic` by default, or :mod:`.llm`) → a map that passes
``argmap check`` structurally (:mod:`.assemble`).

>>> from argmap.extract import draft
>>> amap = draft("We should plant more trees. They cool the city.")
>>> [n.kind.value for n in amap.nodes]
['thesis', 'premise']
"""

from __future__ import annotations

from argmap.extract.base import Backend, Label, Progress
from argmap.extract.segment import Segmentation, Unit, segment

BACKENDS = ("heuristic", "llm")


class NoArgument(Exception):
    """The text holds no candidate unit (empty, or only headings and captions)."""


def get_backend(name: str, **options) -> Backend:
    if name == "heuristic":
        from argmap.extract.heuristic import HeuristicBackend

        return HeuristicBackend()
    if name == "llm":
        from argmap.extract.llm import LLMBackend

        return LLMBackend(**options)
    raise ValueError(f"unknown backend {name!r}; choose one of: {', '.join(BACKENDS)}")


def draft(
    text: str,
    *,
    backend: str | Backend = "heuristic",
    max_units: int | None = None,
    source: dict | None = None,
    progress: Progress | None = None,
    on_truncate=None,
    **backend_options,
):
    """Draft a map of ``text``; raises :class:`NoArgument` when there is nothing to map.

    ``source`` holds the map's ``source`` fields (``path`` or ``text``); the
    title and author found by segmentation are added. ``on_truncate(n)`` is
    called when ``max_units`` cuts the ``n`` candidate units short.
    """
    from argmap.extract.assemble import assemble

    seg = segment(text)
    if progress:
        progress(f"{seg.n_paragraphs} paragraphs, {seg.n_sentences} sentences, {len(seg.units)} candidate units")
    if max_units is not None and len(seg.units) > max_units:
        if on_truncate:
            on_truncate(len(seg.units))
        seg.units = seg.units[:max_units]
    if not seg.units:
        raise NoArgument("no sentences to analyse")
    be = get_backend(backend, **backend_options) if isinstance(backend, str) else backend
    labels = be.label(seg, progress=progress)
    if progress:
        kept = sum(1 for lab in labels if lab.kind)
        progress(f"{be.name} labelled {len(labels)} units; {kept} are argument")
    src = dict(source) if source else None
    if src is not None:
        for key in ("title", "author", "published"):  # found by segmentation, unless given
            if getattr(seg, key) and key not in src:
                src[key] = getattr(seg, key)
    amap = assemble(seg, labels, backend=be.name, source=src)
    if amap is None:
        raise NoArgument("the backend found no argumentative unit")
    return amap


__all__ = ["BACKENDS", "Backend", "Label", "NoArgument", "Segmentation", "Unit", "draft", "get_backend", "segment"]
