"""Running the rules: over one loaded map, and over files and folders."""

from __future__ import annotations

import os
from collections import Counter
from functools import cached_property
from pathlib import Path
from typing import Iterable

import msgspec

from argmap.checks.registry import Rule, load_all
from argmap.io.config import Config, _matches
from argmap.map.diagnostics import Diagnostic, Severity



class Context:
    """What rules see: the loaded map, the configuration, and lazily built indexes."""

    def __init__(self, loaded, config: Config):
        self.loaded = loaded
        self.map = loaded.map
        self.config = config
        self.nodes = loaded.map.nodes

    @cached_property
    def graph(self):
        from argmap.map.graph import build

        return build(self.map)

    @cached_property
    def rule_names(self) -> list[str]:
        """The names of every rule, for rules that check rule names (a node's ``ignore:``)."""
        from argmap.checks.registry import BY_NAME, load_all

        load_all()
        return list(BY_NAME)

    def known_rule(self, spec: str) -> bool:
        """Whether ``spec`` names a rule, by id, id prefix or name."""
        from argmap.checks.registry import known

        return known(spec)

    def line_of(self, node_index: int) -> int | None:
        return self.loaded.positions.node(node_index)[0]

    @cached_property
    def source(self):
        """The :class:`argmap.map.source.SourceText`, or None when the map names no source."""
        src = getattr(self.map, "source", None)
        if src is None or (src.path is None and src.text is None):
            return None
        from argmap.io.files import resolve_source

        return resolve_source(
            self.loaded,
            allow_outside=self.config.allow_outside_source,
            max_bytes=self.config.max_file_size,
        )

    @cached_property
    def quote_spans(self) -> list[tuple[int, int] | None]:
        """Per node index: the span of its quote in the source (None: no quote or not found)."""
        src = self.source
        if src is None or not src.ok:
            return [None] * len(self.nodes)
        from argmap.map.source import normalized

        return normalized(src.text).find_many([n.quote for n in self.nodes])

    @cached_property
    def coverage(self):
        src = self.source
        if src is None or not src.ok:
            return None
        from argmap.map.source import coverage

        spans = [s for s in self.quote_spans if s is not None]
        return coverage(src.text, spans=spans, title=src.title, author=src.author)


def _enabled_rules(config: Config) -> list[Rule]:
    rules = load_all()
    return [r for r in rules.values() if r.func is not None and config.enabled(r.id, r.name)]


def _ignored_by_node(node, r: Rule) -> bool:
    return any(_matches(spec, r.id, r.name) for spec in node.ignore)


def run_checks(loaded, config: Config | None = None, *, context: Context | None = None) -> list[Diagnostic]:
    """Run the enabled rules over one loaded map; diagnostics sorted by position.

    File, line, column and node are filled in from ``loaded.positions``;
    severities come from the configuration; a node's ``ignore:`` list
    silences the rules it names for problems belonging to that node.
    """
    config = config or Config()
    ctx = context or Context(loaded, config)
    out = _diagnostics(loaded, config, [(r, r.func(ctx)) for r in _enabled_rules(config)])
    out.sort(key=Diagnostic.sort_key)  # so the order the rules ran in does not show
    return out


def _diagnostics(loaded, config: Config, found) -> list[Diagnostic]:
    """``(rule, problems)`` pairs → diagnostics with positions, severities and node ignores."""
    nodes = loaded.map.nodes
    out: list[Diagnostic] = []
    for r, problems in found:
        severity = config.severity_for(r.id, r.name, r.severity)
        for p in problems:
            node_id = None
            if p.node is not None:
                node = nodes[p.node]
                if node.ignore and _ignored_by_node(node, r):
                    continue
                node_id = node.id
            if p.line is not None:
                line, col = p.line, p.column
            elif p.at:
                line, col = loaded.positions.of(p.at, key=p.key)
            elif p.node is not None:
                line, col = loaded.positions.node(p.node)
            else:
                line, col = loaded.positions.of(())
            out.append(Diagnostic(r.id, r.name, severity, p.message, loaded.name, line, col, node=node_id,
                                  extra=p.extra))
    return out


# --------------------------------------------------------------------------- files and folders


class FileResult(msgspec.Struct):
    """The outcome for one file."""

    name: str
    status: str  # "checked" | "invalid" | "unreadable" | "skipped"
    diagnostics: list[Diagnostic] = []  # a new list per instance
    note: str | None = None  # why skipped / unreadable
    text: str | None = None  # the file's text, for showing source lines
    stats: dict | None = None

    def exit_code(self, strict: bool = False) -> int:
        if self.status == "unreadable":
            return 2
        if self.status == "invalid":
            return 1
        for d in self.diagnostics:
            if d.severity is Severity.ERROR or (strict and d.severity is Severity.WARNING):
                return 1
        return 0


class CheckRun(msgspec.Struct):
    """The outcome of a check run (msgspec Structs, not dataclasses: cheap to define at start-up)."""

    files: list[FileResult]
    strict: bool = False

    @property
    def exit_code(self) -> int:
        return max((f.exit_code(self.strict) for f in self.files), default=0)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return [d for f in self.files for d in f.diagnostics]

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for d in self.diagnostics:
            c[d.severity.value] += 1
        return c


def check_file(name: str, config: Config, *, explicit: bool = True, stats: bool = False) -> FileResult:
    """Load and check one file; never raises for a problem of the input."""
    from argmap.io.files import read_text
    from argmap.io.loading import paused_gc
    from argmap.map.errors import Unreadable

    path = None if name == "-" else Path(name)
    try:
        if path is not None and not path.exists() and not path.is_symlink():
            return FileResult(name, "unreadable", note=f"{name}: no such file or folder.")
    except (OSError, ValueError) as exc:  # a name too long, or holding a NUL
        return FileResult(name, "unreadable", note=f"{name[:200]}: cannot be opened ({getattr(exc, 'strerror', None) or exc}).")
    if path is not None and not explicit and path.is_symlink() and not config.allow_outside_source:
        from argmap.io.files import find_home, is_inside

        if not is_inside(path, find_home(path.parent)[0]):
            return FileResult(name, "skipped", note="a symlink leading outside the repository; not followed "
                              "(name it explicitly, or use --allow-outside-source)")
    if path is not None and path.exists() and not path.is_file() and not path.is_dir():
        # a FIFO, socket or device: reading it could block or never end
        return FileResult(name, "unreadable", note=f"{name}: is not a regular file.")
    try:
        text = read_text(name, max_bytes=config.max_file_size, what="map")
    except Unreadable as exc:
        return FileResult(name, "unreadable", note=exc.message)
    with paused_gc():
        return _check_text(name, path, text, config, stats=stats)


def _check_text(name: str, path: Path | None, text: str, config: Config, *, stats: bool) -> FileResult:
    from argmap.io.files import is_map_text
    from argmap.io.loading import load_text
    from argmap.map.errors import MapInvalid

    if name != "-" and not is_map_text(text, name):
        return FileResult(name, "skipped", note="not an argmap map (no top-level 'argmap' key)", text=text)
    try:
        loaded = load_text(text, name=name, path=path)
    except MapInvalid as exc:
        return FileResult(name, "invalid", list(exc.diagnostics), text=text)
    ctx = Context(loaded, config)
    diags = run_checks(loaded, config, context=ctx)
    result = FileResult(name, "checked", diags, text=text)
    if stats:
        result.stats = map_stats(ctx)
    return result


def map_stats(ctx: Context) -> dict:
    g = ctx.graph
    out = {
        "nodes": len(ctx.nodes),
        "kinds": dict(Counter(n.kind.value for n in ctx.nodes)),  # in the order the kinds first appear
        "supports": sum(1 for e in g.edges if e.kind == "supports"),
        "attacks": sum(1 for e in g.edges if e.kind == "attacks"),
        "undercuts": len(g.undercuts),
        "quotes": sum(1 for n in ctx.nodes if n.quote),
    }
    src = ctx.source
    if src is not None and src.ok:
        cov = ctx.coverage
        out["coverage"] = cov.as_dict()
    from argmap.checks.schemes import scheme_stats

    schemes = scheme_stats(ctx)
    if schemes:
        out["schemes"] = schemes
    return out


def check_paths(
    paths: Iterable[str | os.PathLike] | None,
    config: Config | None = None,
    *,
    strict: bool = False,
    stats: bool = False,
) -> CheckRun:
    """Check files and folders; folders are searched for ``*.yaml``, ``*.yml``,
    ``*.json`` maps (:func:`argmap.io.files.walk`, leaving out ``config.exclude``;
    files that are not maps are skipped with a note, empty ones are errors).

    With no paths, ``maps/`` in the current folder is checked. The run's
    :attr:`CheckRun.exit_code` is the highest of the files' codes: 0 clean,
    1 problems (errors, or warnings when ``strict``), 2 unreadable input.
    """
    from argmap.map.errors import UsageError

    config = config or Config()
    paths = list(paths or [])
    if not paths:
        if not Path("maps").is_dir():
            raise UsageError("no paths given and there is no maps/ folder here; name the maps or folders to check.")
        paths = ["maps"]
    from argmap.io.files import walk

    files = []
    done: set[str] = set()
    for p in paths:
        found = walk([p], exclude=config.exclude)
        if not found and Path(p).is_dir():
            files.append(FileResult(str(p), "skipped", note="a folder with no *.yaml, *.yml or *.json file"))
        for name, explicit in found:
            if name in done:
                continue
            done.add(name)
            files.append(check_file(name, config, explicit=explicit, stats=stats))
    return CheckRun(files, strict)
