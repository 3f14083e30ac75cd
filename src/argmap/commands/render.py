"""argmap render: draw maps with Graphviz (SVG, PNG, PDF, or the DOT source)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import List, Optional

import typer

ORDER = 40

SUFFIX = {"svg": ".svg", "png": ".png", "pdf": ".pdf", "dot": ".dot", "html": ".html"}
def expand_maps(paths: list[Path], exclude: tuple[str, ...] = ()) -> list[tuple[Path, bool]]:
    """Files as given; folders searched for maps (argmap.io.files.find_maps). (path, explicit) pairs."""
    from argmap.io.config import load_config
    from argmap.io.files import find_maps

    return [(Path(name), named) for name, named in find_maps(paths, exclude=load_config().exclude + exclude)]


def default_map() -> Path:
    """The map in ./maps when there is exactly one."""
    from argmap.map.errors import UsageError

    folder = Path("maps")
    found = [f for f, _ in expand_maps([folder])] if folder.is_dir() else []
    if len(found) == 1:
        return found[0]
    if not found:
        raise UsageError("give a map file (there is no single map in ./maps to use by default).")
    raise UsageError(f"give a map file: ./maps holds {len(found)} maps, so none is the default.")


def render(
    maps: Optional[List[Path]] = typer.Argument(
        None, metavar="[MAPS]...",
        help="Map files or folders of maps (YAML or JSON). Default: the map in ./maps when there is exactly one.",
    ),
    svg: bool = typer.Option(False, "--svg", help="Write SVG (the default when no format is given)."),
    png: bool = typer.Option(False, "--png", help="Write PNG."),
    pdf: bool = typer.Option(False, "--pdf", help="Write PDF (needs a system Graphviz with cairo, or ARGMAP_DOT)."),
    dot: bool = typer.Option(False, "--dot", help="Write the DOT source (no Graphviz needed)."),
    html: bool = typer.Option(
        False, "--html",
        help="Write one self-contained HTML page: the map beside the article, linked both ways (click a node "
        "to see its passage, a passage to find its node), with coverage, check problems, search, kind "
        "filters and the drafts to review; no network access when viewed (docs/html.md).",
    ),
    output: Optional[Path] = typer.Option(
        None, "-o", "--output",
        help="Where to write: a file ('-' for standard output) when rendering one map in one format, or an "
        "existing folder. Default: next to each map, with the format's suffix.",
    ),
    rankdir: str = typer.Option(
        "auto", "--rankdir",
        help="Where the thesis goes: auto (the default: on top, or on the left when that drawing would be "
        "more than twice as wide as tall), TB (top), LR (left), BT (bottom), RL (right). Fans too wide "
        "either way are folded into rows.",
    ),
    node: Optional[str] = typer.Option(
        None, "--node", metavar="ID", help="Draw only the neighbourhood of this node (see --depth)."
    ),
    depth: Optional[int] = typer.Option(
        None, "--depth", metavar="N", min=0,
        help="With --node: nodes up to N relations away (default 2). Alone: up to N relations from the thesis.",
    ),
    problems: bool = typer.Option(
        False, "--problems", help="Run 'argmap check' and highlight the nodes with findings (red border, rule ids)."
    ),
    wrap: int = typer.Option(32, "--wrap", metavar="CHARS", min=8, max=200, help="Wrap node texts at this width."),
    legend: bool = typer.Option(True, "--legend/--no-legend", help="Draw the legend of kinds and relations."),
    strategy: str = typer.Option(
        "auto", "--strategy",
        help="Layout: auto (by size), full (every relation places nodes; slow on big maps), tree (a spanning "
        "tree places nodes, other relations do not constrain), fast (tree laid out first, other relations "
        "drawn straight over it; for thousands of nodes).",
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", metavar="SECONDS", help="Give up on a Graphviz layout after this many seconds."
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", metavar="GLOB",
        help="Leave out files and folders matching this glob (repeatable), in addition to the exclude "
        "of [tool.argmap] / argmap.toml.",
    ),
):
    """Draw maps with Graphviz: shapes and colours by kind, supports and attacks as different
    arrows, the quote of each node as its SVG tooltip, and a legend.

    Examples: 'argmap render maps/x.yaml --svg' writes maps/x.svg;
    'argmap render maps/x.yaml --png -o -' writes PNG to standard output;
    'argmap render maps/x.yaml --node claim-2 --depth 1' draws one neighbourhood;
    'argmap render maps/ --svg' renders every map in a folder;
    'argmap render maps/x.yaml --html' writes maps/x.html, the map beside its article.

    Every node's SVG group is <g id="node-ID" class="node KIND">, so other tools
    can find it. The layout runs the bundled graphviz-pure binary (or ARGMAP_DOT,
    or a system 'dot'); big maps are laid out by a spanning tree (see --strategy).
    Exit codes: 0 written; 1 a map does not parse or validate; 2 usage error,
    unreadable map, or Graphviz missing, failing or timing out.
    """
    from argmap.map.errors import ArgmapError, UsageError

    formats = [f for f, on in (("svg", svg), ("png", png), ("pdf", pdf), ("dot", dot), ("html", html)) if on] or ["svg"]
    rankdir = rankdir.upper()
    if rankdir not in ("AUTO", "TB", "LR", "BT", "RL"):
        raise UsageError(f"--rankdir must be auto, TB, LR, BT or RL, not {rankdir!r}.")
    strategy = strategy.lower()
    if strategy not in ("auto", "full", "tree", "fast"):
        raise UsageError(f"--strategy must be auto, full, tree or fast, not {strategy!r}.")
    if timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds.")
    items = expand_maps(list(maps), tuple(exclude or ())) if maps else [(default_map(), True)]
    if not items:
        raise UsageError("no maps found in " + ", ".join(str(m) for m in maps) + ".")
    out_dir = None
    if output is not None and str(output) != "-" and output.is_dir():
        out_dir = output
    elif output is not None and (len(items) > 1 or len(formats) > 1):
        raise UsageError("-o names one file: give a folder, or render one map in one format.")

    from argmap.commands import ProgressBar, report_error

    progress = ProgressBar("rendering", len(items))  # once rendering takes "longer than a moment"
    worst = 0
    try:
        for i, (path, _explicit) in enumerate(items):
            progress.update(i, str(path))
            try:
                _render_one(path, formats, output, out_dir, rankdir=rankdir, node=node, depth=depth,
                            problems=problems, wrap=wrap, legend=legend, strategy=strategy, timeout=timeout,
                            log=progress.log)
            except ArgmapError as exc:
                if len(items) == 1:
                    raise
                worst = max(worst, report_error(exc))
    finally:
        progress.stop()
    if worst:
        raise typer.Exit(worst)


def _render_one(path: Path, formats, output, out_dir, *, rankdir, node, depth, problems, wrap, legend,
                strategy, timeout, log) -> None:
    from argmap.checks import run_checks
    from argmap.commands import require_node
    from argmap.views import dot as dotmod
    from argmap.map.errors import UsageError
    from argmap.views.layout import find_binary, run_layout
    from argmap.io.loading import load_map
    from argmap.io.writing import atomic_write
    from argmap.map.diagnostics import plural

    t0 = time.monotonic()
    loaded = load_map(path)
    amap = loaded.map
    diags = run_checks(loaded) if problems else None
    if node is not None:
        require_node(amap, node, path)
        amap = dotmod.neighbourhood(amap, [node], 2 if depth is None else depth)
    elif depth is not None:
        theses = [n.id for n in amap.nodes if n.kind.value == "thesis"]
        if not theses:
            raise UsageError(f"{path}: --depth without --node starts from the thesis, and this map has none.")
        amap = dotmod.neighbourhood(amap, theses, depth)
    built: dict[bool, dotmod.DotResult] = {}

    def drawing(page: bool) -> dotmod.DotResult:  # the page shows the title and the quotes itself
        if page not in built:
            built[page] = dotmod.build(amap, rankdir=rankdir, wrap=wrap, legend=legend, problems=diags,
                                       strategy=strategy, focus=node, page=page)
        return built[page]

    for fmt in formats:
        result = drawing(fmt == "html")
        if fmt == "dot":
            data = result.source.encode("utf-8")
        elif fmt == "html":  # see argmap.views.html
            from argmap.io.config import load_config
            from argmap.views.html import render_page

            data = render_page(loaded, result.source, timeout=timeout, config=load_config(),
                               diagnostics=diags).encode("utf-8")
        else:
            data = run_layout(result.source, fmt, timeout, binary=find_binary(fmt))
        elapsed = time.monotonic() - t0
        if (output is not None and str(output) == "-") or (output is None and str(path) == "-"):
            # a map from standard input is drawn to standard output unless -o says otherwise
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            dest = "standard output"
        else:
            if out_dir is not None:
                target = out_dir / (path.stem + SUFFIX[fmt])
            elif output is not None:
                target = output
            else:
                target = path.with_suffix(SUFFIX[fmt])
            atomic_write(target, data)
            dest = str(target)
        msg = (f"wrote {dest} ({result.nodes:,} nodes, {result.relations:,} relations; "
               f"{result.note}; {elapsed:.1f} s)")
        if diags is not None:
            flagged = len({d.node for d in diags if d.node})
            msg += f"; {plural(flagged, 'node')} with problems highlighted"
        log(msg)


def register(app, wrap):
    app.command("render")(wrap(render))
