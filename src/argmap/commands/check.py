"""argmap check: find what is broken or inconsistent in maps."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

ORDER = 20


def _split(values: Optional[List[str]]) -> list[str]:
    out: list[str] = []
    for v in values or []:
        out.extend(p.strip() for p in v.replace(" ", ",").split(",") if p.strip())
    return out


def check(
    paths: Optional[List[Path]] = typer.Argument(
        None, metavar="PATH",
        help="Map files or folders (searched for *.yaml, *.yml, *.json maps; other files are skipped "
        "with a note, empty ones are errors); '-' reads standard input. Default: maps/.",
    ),
    exclude: Optional[List[str]] = typer.Option(
        None, "--exclude", metavar="GLOB",
        help="Leave out files and folders matching this glob (repeatable), in addition to the "
        "configuration's exclude; e.g. --exclude 'tests/fixtures' --exclude '*.schema.json'.",
    ),
    fmt: Optional[str] = typer.Option(
        None, "--format", "-f", metavar="FORMAT",
        help="Output: text (for people), json (stable, documented), github (workflow annotations; "
        "the default when GITHUB_ACTIONS is set) or sarif (2.1.0, for code scanning).",
    ),
    strict: bool = typer.Option(False, "--strict", help="Fail (exit 1) on warnings too, not only on errors."),
    select: Optional[List[str]] = typer.Option(
        None, "--select", metavar="RULES",
        help="Run only these rules: ids (AM101), id prefixes (AM1) or names (orphan-node); "
        "comma-separated or repeated. Replaces the configuration's select.",
    ),
    ignore: Optional[List[str]] = typer.Option(
        None, "--ignore", metavar="RULES",
        help="Skip these rules (ids, prefixes or names), in addition to the configuration's ignore.",
    ),
    stats: bool = typer.Option(
        False, "--stats", help="Also report per map: node and relation counts, and the source coverage."
    ),
    min_coverage: Optional[str] = typer.Option(
        None, "--min-coverage", metavar="SHARE",
        help="Report coverage below this share of the source's sentences (0..1 or '60%'); overrides min-coverage.",
    ),
    allow_outside_source: bool = typer.Option(
        False, "--allow-outside-source",
        help="Let source.path point outside the map's git repository (or folder). Off by default, so a "
        "map from a pull request cannot make argmap read other files.",
    ),
    config_path: Optional[Path] = typer.Option(
        None, "--config", metavar="FILE",
        help="Read settings from this TOML file instead of the nearest argmap.toml / pyproject.toml [tool.argmap].",
    ),
    color: str = typer.Option("auto", "--color", metavar="WHEN", help="Colours: auto (on a terminal, unless NO_COLOR), always, never."),
    output: Optional[Path] = typer.Option(
        None, "--output", "-o", metavar="FILE", help="Write the report to this file (atomically) instead of standard output."
    ),
):
    """Check maps: structure, quotes against the source, reasoning.

    Exit codes: 0 no errors (and no warnings with --strict); 1 findings, or a
    map that does not parse or validate; 2 usage error or unreadable input
    (missing file, not UTF-8). With several files the highest code wins.

    Silence one rule for one node inside the map with 'ignore: [rule]' on
    that node. Rules are listed in docs/rules.md.
    """
    from argmap.checks.registry import known
    from argmap.io.config import load_config, parse_coverage
    from argmap.map.diagnostics import did_you_mean
    from argmap.map.errors import UsageError

    from argmap.views.reporters import FORMATS

    if fmt is None:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not {color!r}.")
    sel, ign = _split(select), _split(ignore)
    for spec in sel + ign:
        if not known(spec):
            from argmap.checks.registry import BY_NAME

            raise UsageError(f"unknown rule {spec!r}{did_you_mean(spec, BY_NAME, otherwise='; see docs/rules.md')}.")
    config = load_config(config_path)
    for spec in (*config.select, *config.ignore, *config.severity):
        if not known(spec):
            raise UsageError(f"{config.path}: unknown rule {spec!r} in [tool.argmap]; see docs/rules.md.")
    config = config.merged(
        select=sel or None,
        extend_ignore=ign or None,
        min_coverage=parse_coverage(min_coverage, "--min-coverage") if min_coverage is not None else None,
        allow_outside_source=True if allow_outside_source else None,
        extend_exclude=exclude,
    )

    from argmap.checks.runner import check_paths
    from argmap.views.reporters import report, use_color

    run = check_paths([str(p) for p in paths or []], config, strict=strict, stats=stats)
    if output is not None and str(output) != "-":
        from argmap.io.writing import atomic_write

        atomic_write(output, report(run, fmt, color=False, stats=stats))
    else:
        text = report(run, fmt, color=fmt == "text" and use_color(sys.stdout, color), stats=stats)
        sys.stdout.write(text)
        sys.stdout.flush()
    raise typer.Exit(run.exit_code)


def register(app, wrap):
    app.command("check")(wrap(check))
