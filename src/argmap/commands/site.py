"""argmap site: a static site of every map under some folders."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

ORDER = 45


def site(
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="[PATH]...",
        help="Map files or folders, the same files 'argmap check' takes (*.yaml, *.yml, *.json maps; "
        "other files are left out). Default: maps/.",
    ),
    output: Path = typer.Option(
        Path("site"), "-o", "--output", metavar="FOLDER",
        help="The site's folder (default: site/). It is replaced whole, so it must be empty, new, or "
        "written by 'argmap site' before.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Replace the -o folder even though 'argmap site' did not write it (its files are lost)."
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", metavar="GLOB",
        help="Leave out maps whose path matches this glob (such as 'drafts/*' or '*.draft.yaml'); repeatable.",
    ),
    title: str = typer.Option("Argument maps", "--title", help="The title of the index page."),
    config_path: Optional[Path] = typer.Option(
        None, "--config", metavar="FILE",
        help="Read check settings from this TOML file instead of the nearest argmap.toml / pyproject.toml [tool.argmap].",
    ),
    timeout: float = typer.Option(
        120.0, "--timeout", metavar="SECONDS", help="Give up on one map's Graphviz layout after this many seconds."
    ),
):
    """Write a static site of all maps: an index (title, source, node counts,
    check status, coverage, maps of the same article, a search over the nodes
    of all maps) and one page per map (the 'render --html' page).

    The site needs no network and no server: open index.html from disk or
    publish the folder on GitHub Pages (relative links, a .nojekyll file). The
    same maps give byte-identical files. The folder is built beside -o and then
    swapped in, so a failed build leaves the old site as it was.

    Example: 'argmap site maps/ -o site/'.

    Exit codes: 0 site written (check findings are shown in the index, they do
    not fail the build); 1 some maps do not parse or validate (listed without a
    page; no site at all when no map loads); 2 usage error, no maps found,
    unreadable input, or an -o folder that argmap did not write (without --force).
    """
    from argmap.commands import ProgressBar
    from argmap.io.config import load_config
    from argmap.map.diagnostics import plural
    from argmap.map.errors import UsageError
    from argmap.views.site import check_target, collect, site_files, write_site

    if timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds.")
    names = [str(p) for p in paths or []]
    if not names:
        if not Path("maps").is_dir():
            raise UsageError("no paths given and there is no maps/ folder here; name the maps or folders to publish.")
        names = ["maps"]
    if "-" in names:
        raise UsageError("a site is built from files; standard input ('-') cannot be published.")
    check_target(output, force=force)  # before the work: say at once when -o is not ours
    config = load_config(config_path)

    progress = ProgressBar("building the site")  # once the build takes "longer than a moment"
    done = 0

    def started(count: int) -> None:
        progress.total = count

    def advanced(name: str) -> None:
        nonlocal done
        done += 1
        progress.update(done, name)

    def skipped(name: str, why: str) -> None:
        progress.log(f"argmap: {name}: {why}; left out of the site.")

    try:
        entries = collect(names, config, exclude=exclude or (), timeout=timeout, on_start=started,
                          on_map=advanced, on_skip=skipped)
    finally:
        progress.stop()
    if not entries:
        raise UsageError("no maps found in " + ", ".join(names) + "; no site written.")
    broken = [e for e in entries if e.status != "checked"]
    for e in broken:
        problem = e.problem or "does not load"
        typer.echo(f"argmap: {problem if problem.startswith(e.name) else e.name + ': ' + problem}", err=True)
    worst = max((2 if e.status == "unreadable" else 1 for e in broken), default=0)
    if len(broken) == len(entries):  # nothing to publish: keep the old site, if any
        typer.echo("argmap: no map loads, so no site was written.", err=True)
        raise typer.Exit(worst)
    write_site(output, site_files(entries, title=title), force=force, maps=[e.name for e in entries])
    pages = len(entries) - len(broken)
    typer.echo(f"wrote {output}/index.html and {plural(pages, 'map page')}"
               + (f"; {plural(len(broken), 'map')} listed without a page (above)" if broken else ""), err=True)
    raise typer.Exit(worst)


def register(app, wrap):
    app.command("site")(wrap(site))
