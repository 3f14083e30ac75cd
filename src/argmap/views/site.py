"""``argmap site``: a static site of every map under some folders.

The site is one folder::

    index.html          every map: title, source, node counts, check status,
                        coverage, maps of the same article; a search over the
                        nodes of all maps (an inline JSON index, no network)
    maps/SLUG.html      one page per map: the ``render --html`` page, with a
                        bar linking back to the index and to maps of the same
                        article
    .nojekyll           GitHub Pages serves the files as they are
    .argmap-site        the marker: argmap wrote this folder and may replace it

Pieces:

* :func:`collect` checks and loads the maps (the same files and the same
  checks as ``argmap check``) and draws each one: a list of :class:`MapEntry`;
* :func:`site_files` turns the entries into ``{relative path: bytes}``, pure
  and deterministic (sorted, no timestamps), so a rebuild of the same input
  gives byte-identical files;
* :func:`write_site` writes them into a new sibling folder and swaps it in
  (nothing half-written is ever visible under the output name), refusing to
  replace a folder argmap did not write unless ``force``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from argmap.map.diagnostics import plural

MARKER = ".argmap-site"
MARKER_TEXT = (
    "This folder was written by 'argmap site'. The next 'argmap site -o' into it\n"
    "replaces it whole: do not keep other files here.\n"
)
PAGES = "maps"  # the folder of the map pages, inside the site


# --------------------------------------------------------------------------- one map


@dataclass
class MapEntry:
    """One map of the site, as the index shows it (and its page, once drawn)."""

    name: str  # the file, as the walker named it
    shown: str = ""  # the file as the site shows it: relative to the maps' common folder
    slug: str = ""  # the page is maps/SLUG.html ("" for a map that does not load)
    status: str = "checked"  # "checked" | "invalid" | "unreadable"
    title: str = ""
    author: str | None = None
    publisher: str | None = None
    url: str | None = None  # source.url
    text_sha256: str | None = None  # of the source text, when it could be read
    kinds: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    coverage: tuple[int, int] | None = None  # (covered, total) sentences
    problem: str | None = None  # why it has no page, or why its drawing is missing
    nodes: list[tuple[str, str, str]] = field(default_factory=list)  # (id, kind, text) for the search
    page: str | None = None  # the map's HTML page, before the site's bar is added
    related: list[str] = field(default_factory=list)  # slugs of maps of the same article

    @property
    def coverage_ratio(self) -> float | None:
        if self.coverage is None:
            return None
        covered, total = self.coverage
        return covered / total if total else 1.0


def collect(
    paths: Iterable[str | os.PathLike],
    config=None,
    *,
    exclude: Iterable[str] = (),
    timeout: float | None = None,
    on_start: Callable[[int], None] | None = None,
    on_map: Callable[[str], None] | None = None,
    on_skip: Callable[[str, str], None] | None = None,
) -> list[MapEntry]:
    """Check, load and draw every map under ``paths``; files that are not maps are left out.

    ``on_start(count)`` is called once the files are known and ``on_map(name)``
    after each one (a progress bar); ``on_skip(name, why)`` for a file named
    explicitly that is not a map (an empty file, say). Checks run through the same runner as
    ``argmap check`` (its ``check_file``), so the status shown is the one
    ``check`` reports.
    """
    from argmap.checks.runner import check_file
    from argmap.io.config import Config

    config = config or Config()
    from argmap.io.files import find_maps

    exclude = (*config.exclude, *exclude)
    files = [(n, e) for n, e in find_maps(paths, exclude=exclude) if n != "-"]
    if on_start is not None:
        on_start(len(files))
    entries = []
    for name, explicit in files:
        result = check_file(name, config, explicit=explicit)
        if result.status != "skipped":
            entries.append(_entry(name, result, config, timeout))
        elif explicit and on_skip is not None:
            on_skip(name, result.note or "not a map")
        if on_map is not None:
            on_map(name)
    entries.sort(key=lambda e: e.name)
    _assign_slugs(entries)
    _link_related(entries)
    return entries


def _entry(name: str, result, config, timeout: float | None) -> MapEntry:
    from argmap.map.errors import ArgmapError
    from argmap.map.model import KINDS

    entry = MapEntry(name=name, status=result.status, title=Path(name).stem)
    if result.status != "checked":
        first = next(iter(result.diagnostics), None)
        entry.problem = result.note or (first.format() if first is not None else "does not load")
        return entry
    from argmap.io.loading import load_text
    from argmap.views.html import build_page, page_drawing, page_parts

    loaded = load_text(result.text, name=name, path=Path(name))
    amap = loaded.map
    src = amap.source
    entry.title = amap.title or (src.title if src is not None and src.title else None) or Path(name).stem
    if src is not None:
        entry.author, entry.publisher, entry.url = src.author, src.publisher, src.url
    counts = Counter(n.kind.value for n in amap.nodes)
    entry.kinds = {k: counts[k] for k in KINDS if counts[k]}
    severities = Counter(d.severity.value for d in result.diagnostics)
    entry.errors, entry.warnings = severities["error"], severities["warning"]
    seen: set[str] = set()
    for n in amap.nodes:
        if n.id not in seen:
            seen.add(n.id)
            entry.nodes.append((n.id, n.kind.value, n.text))
    try:
        svg = page_drawing(loaded, timeout=timeout)
    except ArgmapError as exc:  # Graphviz missing or failing: the page still shows the article
        svg = None
        entry.problem = f"the drawing is missing: {exc.message}"
    parts = page_parts(loaded, svg, config=config, checks=False)
    parts.diagnostics = list(result.diagnostics)  # the checks already ran (check_file), same config
    if parts.source_text is not None:
        entry.text_sha256 = hashlib.sha256(parts.source_text.encode("utf-8")).hexdigest()
    if parts.coverage is not None:
        entry.coverage = (parts.coverage.covered, parts.coverage.total)
    entry.page = build_page(loaded, parts)
    return entry


def _slugify(name: str) -> str:
    stem = re.sub(r"\.(ya?ml|json)$", "", Path(name).as_posix(), flags=re.I)
    stem = stem.lstrip("./")
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem.replace("/", "--")).strip("-.").lower()
    return slug or "map"


def _assign_slugs(entries: list[MapEntry]) -> None:
    """Each map's shown path, relative to the maps' common folder (so the site does
    not depend on where the repository is checked out), and a unique page name
    from it for each map that loads."""
    if not entries:
        return
    base = os.path.commonpath([os.path.dirname(os.path.abspath(e.name)) for e in entries])
    for e in entries:
        e.shown = Path(os.path.relpath(os.path.abspath(e.name), base)).as_posix()
    taken: set[str] = set()
    for e in entries:  # entries are sorted by name, so the numbering is stable
        if e.status != "checked":
            continue
        slug = _slugify(e.shown)
        candidate, i = slug, 2
        while candidate in taken:
            candidate, i = f"{slug}-{i}", i + 1
        taken.add(candidate)
        e.slug = candidate


def _link_related(entries: list[MapEntry]) -> None:
    """Maps of the same article: the same ``source.url``, or the same SHA-256 of the source text."""
    ok = [e for e in entries if e.status == "checked"]
    for e in ok:
        e.related = sorted(
            o.slug for o in ok
            if o is not e and ((e.url and o.url == e.url) or (e.text_sha256 and o.text_sha256 == e.text_sha256))
        )


# --------------------------------------------------------------------------- the files


def _asset(name: str) -> str:
    return resources.files("argmap.views").joinpath("assets", name).read_text(encoding="utf-8")


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"<!--@(\w+)-->", lambda m: values[m.group(1)], template)


def _status_html(e: MapEntry) -> str:
    from argmap.views.html import esc

    if e.status != "checked":
        return f'<span class="bad" title="{esc(e.problem or "")}">does not load</span>'
    bits = []
    if e.errors:
        bits.append(f'<span class="bad">{plural(e.errors, "error")}</span>')
    if e.warnings:
        bits.append(f'<span class="warn">{plural(e.warnings, "warning")}</span>')
    return ", ".join(bits) or '<span class="ok">no problems</span>'


def _index_html(entries: list[MapEntry], title: str) -> str:
    from argmap import __version__
    from argmap.views.html import esc, script_json

    by_slug = {e.slug: e for e in entries if e.slug}
    rows = []
    for e in entries:
        link = (f'<a class="map" href="{PAGES}/{esc(e.slug)}.html">{esc(e.title)}</a>' if e.slug
                else f'<span class="map">{esc(e.title)}</span>')
        source = " · ".join(esc(x) for x in (e.author, e.publisher) if x) or '<span class="none">—</span>'
        kinds = " ".join(f'<span class="kind {esc(k)}">{esc(plural(v, k, "theses" if k == "thesis" else None))}</span>'
                         for k, v in e.kinds.items())
        total = sum(e.kinds.values())
        nodes = (f'<b>{total}</b> {kinds}' if e.status == "checked" else '<span class="none">—</span>')
        ratio = e.coverage_ratio
        cov = (f'<span title="{e.coverage[0]} of {e.coverage[1]} sentences quoted">{round(ratio * 100)}%</span>'
               if ratio is not None else '<span class="none">—</span>')
        related = ", ".join(f'<a class="related" href="{PAGES}/{esc(s)}.html">{esc(by_slug[s].title)}</a>'
                            for s in e.related) or '<span class="none">—</span>'
        rows.append(
            f'<tr data-slug="{esc(e.slug)}"><td>{link}<div class="file">{esc(e.shown)}</div></td>'
            f"<td>{source}</td><td>{nodes}</td><td>{_status_html(e)}</td><td>{cov}</td><td>{related}</td></tr>"
        )
    ok = [e for e in entries if e.slug]
    data = {
        "maps": [[f"{PAGES}/{e.slug}.html", e.title] for e in ok],
        "nodes": [[i, nid, kind, text] for i, e in enumerate(ok) for nid, kind, text in e.nodes],
    }
    js = _asset("site.js")
    if "</script" in js.lower():  # pragma: no cover - a packaging mistake
        raise RuntimeError("site.js must not contain '</script'")
    js_hash = base64.b64encode(hashlib.sha256(js.encode("utf-8")).digest()).decode("ascii")
    csp = (f"default-src 'none'; script-src 'sha256-{js_hash}'; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    problems = sum(1 for e in entries if e.status != "checked" or e.errors)
    summary = plural(len(entries), "map") + f", {plural(sum(len(e.nodes) for e in ok), 'node')}"
    if problems:
        summary += f"; {problems} with errors"
    return _fill(_asset("site.html"), {
        "csp": csp,
        "version": esc(__version__),
        "title": esc(title),
        "css": _asset("site.css"),
        "summary": esc(summary),
        "rows": "\n".join(rows),
        "data": script_json(data),
        "js": js,
    })


_BAR_STYLE = "font-size:13px;line-height:1.4;display:flex;gap:0 1em;flex-wrap:wrap;margin:0 0 2px"
_LINK_STYLE = "color:inherit;text-decoration:underline"


def _map_page(e: MapEntry, by_slug: dict[str, MapEntry]) -> str:
    """The map's page with a line above its title: back to the index, maps of the same article.

    The line goes inside the page's header (its ``titles`` block), so the
    page's own layout (a grid of header and main) is unchanged; a page
    without that block gets it at the top of its body.
    """
    from argmap.views.html import esc

    bar = [f'<a id="site-index" href="../index.html" style="{_LINK_STYLE}">← All maps</a>']
    if e.related:
        links = ", ".join(f'<a class="related" href="{esc(s)}.html" style="{_LINK_STYLE}">{esc(by_slug[s].title)}</a>'
                          for s in e.related)
        bar.append(f"<span>Same article: {links}</span>")
    if e.problem:
        bar.append(f'<span style="color:#b91c1c">{esc(e.problem)}</span>')
    nav = f'<nav id="site-bar" aria-label="Site" style="{_BAR_STYLE}">{"".join(bar)}</nav>'
    page = e.page or ""
    m = re.search(r'<div class="titles">', page) or re.search(r"<body[^>]*>", page)
    if m is None:  # pragma: no cover - the page template always has a body
        return nav + page
    return page[: m.end()] + nav + page[m.end():]


def site_files(entries: list[MapEntry], *, title: str = "Argument maps") -> dict[str, bytes]:
    """Every file of the site, by relative path (pure: the same entries give the same bytes)."""
    by_slug = {e.slug: e for e in entries if e.slug}
    files = {
        ".nojekyll": b"",
        MARKER: MARKER_TEXT.encode("utf-8"),
        "index.html": _index_html(entries, title).encode("utf-8"),
    }
    for slug, e in sorted(by_slug.items()):
        files[f"{PAGES}/{slug}.html"] = _map_page(e, by_slug).encode("utf-8")
    return dict(sorted(files.items()))


# --------------------------------------------------------------------------- writing


def check_target(out: Path, *, force: bool, maps: Iterable[str] = ()) -> None:
    """Raise UsageError when ``out`` must not be replaced by a site."""
    from argmap.map.errors import UsageError

    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageError(f"{out} exists and is not a folder; give -o a folder for the site.")
    here = Path.cwd().resolve()
    target = out.resolve()
    if target == here or target in here.parents:
        raise UsageError(f"{out} is the current folder or holds it; give -o a folder of its own, such as site/.")
    for name in maps:
        p = Path(name).resolve()
        if target in p.parents:
            raise UsageError(f"{out} holds the map {name}; the site would replace it. Give -o another folder.")
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()) and not force:
        raise UsageError(
            f"{out} is not empty and was not written by 'argmap site' (it has no {MARKER} file); "
            "give another -o folder, or --force to replace it with the site."
        )


def write_site(out: str | os.PathLike, files: dict[str, bytes], *, force: bool = False,
               maps: Iterable[str] = ()) -> None:
    """Write the site into a new folder beside ``out``, then put it in ``out``'s place.

    Until the swap ``out`` is left as it was; after it, ``out`` holds the new
    site whole. (On Linux the swap is one atomic exchange; elsewhere two
    renames, with the old folder moved aside first.) A failure removes the new
    folder and leaves ``out`` untouched.
    """
    from argmap.map.errors import WriteError

    out = Path(out)
    check_target(out, force=force, maps=maps)
    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as exc:
        raise WriteError(f"cannot create the site beside {out}: {exc.strerror or exc}.") from None
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(stage, 0o777 & ~umask)
        for rel, data in files.items():
            dest = stage / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _swap_in(stage, out)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise WriteError(f"cannot write the site to {out}: {exc.strerror or exc}; {out} was left as it was.") from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _swap_in(stage: Path, out: Path) -> None:
    if not out.exists():
        os.rename(stage, out)
        return
    if _exchange(stage, out):  # stage now holds the old site
        shutil.rmtree(stage, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=stage.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(stage, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where that is not available."""
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange)
    return rc == 0
