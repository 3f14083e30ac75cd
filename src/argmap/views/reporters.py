"""Reporters for ``argmap check``: plain functions of a check run → text.

* :func:`text_report`: for people; grouped by file, each finding with the
  map line it points at; colours (rich) only when asked (a terminal, no
  ``NO_COLOR``).
* :func:`json_report`: documented and stable (``docs/check.md``; schema in
  ``tests/schemas/check-output.schema.json``), ``"version": 1``.
* :func:`github_report`: GitHub Actions workflow commands (annotations).
* :func:`sarif_report`: SARIF 2.1.0, as GitHub code scanning reads it.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from argmap.map.diagnostics import Diagnostic, Severity, plural

JSON_VERSION = 1
FORMATS = ("text", "json", "github", "sarif")

_SEV_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _version() -> str:
    from argmap import __version__

    return __version__


def summary_line(run) -> str:
    c = run.counts()
    statuses = Counter(f.status for f in run.files)
    checked = statuses["checked"] + statuses["invalid"]
    parts = [plural(c["error"], "error"), plural(c["warning"], "warning")]
    if c["info"]:
        parts.append(plural(c["info"], "note"))
    text = f"{', '.join(parts)} in {plural(checked, 'map')}"
    extra = [f"{statuses[s]} {s}" for s in ("skipped", "unreadable") if statuses[s]]
    if extra:
        text += f" ({', '.join(extra)})"
    return text + "."


# --------------------------------------------------------------------------- text


def _stats_lines(stats: dict) -> list[str]:
    kinds = ", ".join(f"{k} {v}" for k, v in stats["kinds"].items())
    lines = [
        f"  {plural(stats['nodes'], 'node')} ({kinds}); {plural(stats['supports'], 'support')}, "
        f"{plural(stats['attacks'], 'attack')}, {plural(stats['undercuts'], 'undercut')}; "
        f"{plural(stats['quotes'], 'quote')}"
    ]
    cov = stats.get("coverage")
    if cov:
        lines.append(
            f"  coverage {cov['ratio']:.0%}: quotes cover {cov['covered']} of {cov['total']} sentences of the source"
        )
    if stats.get("schemes"):
        from argmap.checks.schemes import stats_lines

        lines += stats_lines(stats["schemes"])
    return lines


def text_report(run, *, color: bool = False, stats: bool = False) -> str:
    """The human report. With ``color``, rich markup is rendered to ANSI."""
    segs: list[tuple[str, str | None]] = []  # (text, style)

    def add(text: str, style: str | None = None) -> None:
        segs.append((text, style))

    for f in run.files:
        if f.status == "skipped":
            add(f"{f.name}", "dim")
            add(f": skipped, {f.note}\n", "dim")
            continue
        if f.status == "unreadable":
            add(f"{f.note}\n", "bold red")
            continue
        if not f.diagnostics and not (stats and f.stats):
            continue
        add(f"{f.name}\n", "bold underline")
        lines = f.text.splitlines() if f.text else []
        for d in f.diagnostics:
            where = f"{d.line or '-'}:{d.column or '-'}"
            add(f"  {where:<8}", "dim")
            add(f"{d.severity.value:<8}", _SEV_STYLE[d.severity.value])
            add(f"{d.message}  ")
            add(f"{d.rule} {d.name}\n", "dim")
            if d.line and 0 < d.line <= len(lines):
                src = lines[d.line - 1].rstrip("\n")
                shown = src[:161].expandtabs(4)  # a prefix: a minified map is one huge line
                if len(shown) > 160:
                    shown = shown[:159] + "…"
                add(f"  {d.line:>6} | ", "dim")
                add(f"{shown}\n")
                if d.column:
                    pad = len(src[: min(d.column - 1, 161)].expandtabs(4))
                    if pad < 160:
                        add("         | ", "dim")
                        add(" " * pad + "^\n", _SEV_STYLE[d.severity.value])
        if stats and f.stats:
            for line in _stats_lines(f.stats):
                add(line + "\n", "dim")
    summary = summary_line(run)
    add(summary + "\n", "bold")
    if not color:
        return "".join(t for t, _ in segs)
    if len(segs) == 1:
        # a clean run is its bold summary line alone: write the bytes rich would (one SGR
        # pair, test_startup_imports compares) without importing rich for it
        return f"\x1b[1m{summary}\x1b[0m\n"
    from rich.text import Text

    out = Text()
    for t, style in segs:
        out.append(t, style=style)
    return _render_rich(out)


def _render_rich(text) -> str:
    import io

    from rich.console import Console

    buf = io.StringIO()
    Console(file=buf, force_terminal=True, color_system="standard", width=10_000, soft_wrap=True,
            highlight=False).print(text, end="")
    return buf.getvalue()


def use_color(stream, choice: str = "auto") -> bool:
    """Colours only on a terminal, never with ``NO_COLOR`` set (unless forced)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


# --------------------------------------------------------------------------- json


def diagnostic_to_dict(d: Diagnostic) -> dict[str, Any]:
    """One diagnostic of the JSON report; ``extra`` (the rule's data, docs/check.md) only when it has some."""
    out = {
        "rule": d.rule,
        "name": d.name,
        "severity": d.severity.value,
        "message": d.message,
        "file": d.file,
        "line": d.line,
        "column": d.column,
        "end_line": d.end_line,
        "end_column": d.end_column,
        "node": d.node,
    }
    if d.extra:
        out["extra"] = dict(d.extra)
    return out


def json_data(run, *, stats: bool = False) -> dict[str, Any]:
    files = []
    for f in run.files:
        c = Counter(d.severity.value for d in f.diagnostics)
        entry: dict[str, Any] = {
            "file": f.name, "status": f.status, "errors": c["error"], "warnings": c["warning"],
            "infos": c["info"], "note": f.note,
        }
        if stats:
            entry["stats"] = f.stats
        files.append(entry)
    counts = run.counts()
    statuses = Counter(f.status for f in run.files)
    return {
        "version": JSON_VERSION,
        "tool": {"name": "argmap", "version": _version()},
        "diagnostics": [diagnostic_to_dict(d) for d in run.diagnostics],
        "files": files,
        "summary": {
            "files": len(run.files),
            "checked": statuses["checked"],
            "invalid": statuses["invalid"],
            "skipped": statuses["skipped"],
            "unreadable": statuses["unreadable"],
            "errors": counts["error"],
            "warnings": counts["warning"],
            "infos": counts["info"],
            "strict": run.strict,
            "exit_code": run.exit_code,
        },
    }


def json_report(run, *, stats: bool = False) -> str:
    import json

    return json.dumps(json_data(run, stats=stats), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- github


def _gh_escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_escape_prop(s: str) -> str:
    return _gh_escape_data(s).replace(":", "%3A").replace(",", "%2C")


_GH_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github_report(run) -> str:
    """One workflow command per finding (``::error file=...,line=...::message``)."""
    out = []
    for f in run.files:
        if f.status == "unreadable":
            out.append(f"::error file={_gh_escape_prop(f.name)},title=argmap::{_gh_escape_data(f.note or '')}")
            continue
        for d in f.diagnostics:
            props = [f"file={_gh_escape_prop(d.file or f.name)}"]
            if d.line:
                props.append(f"line={d.line}")
                if d.column:
                    props.append(f"col={d.column}")
            props.append(f"title={_gh_escape_prop(f'{d.rule} {d.name}')}")
            out.append(f"::{_GH_LEVEL[d.severity.value]} {','.join(props)}::{_gh_escape_data(d.message)}")
    out.append(f"argmap check: {summary_line(run)}")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------- sarif

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(name: str, root: Path) -> tuple[str, str | None]:
    """A URI relative to ``root`` (with base id ``%SRCROOT%``) when possible."""
    if name == "-":
        return "stdin", None
    p = Path(name)
    try:
        rel = p.resolve().relative_to(root)
        from urllib.parse import quote

        return quote(rel.as_posix()), "%SRCROOT%"
    except ValueError:
        return p.resolve().as_uri(), None


def sarif_data(run, *, root: Path | None = None) -> dict[str, Any]:
    from argmap.checks import all_rules

    root = (root or Path.cwd()).resolve()
    rules = all_rules()
    index = {r.id: k for k, r in enumerate(rules)}
    sarif_rules = []
    for r in rules:
        sarif_rules.append({
            "id": r.id,
            "name": "".join(w.capitalize() for w in r.name.split("-")),
            "shortDescription": {"text": r.summary},
            "fullDescription": {"text": r.rationale or r.summary},
            "help": {"text": f"{r.summary} {r.rationale}".strip(),
                     "markdown": f"**{r.id} {r.name}**: {r.summary}\n\n{r.rationale}"},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity.value]},
            "properties": {"tags": [r.family, r.name]},
        })
    results = []
    for d in run.diagnostics:
        uri, base = _uri(d.file or "-", root)
        art: dict[str, Any] = {"uri": uri}
        if base:
            art["uriBaseId"] = base
        region: dict[str, Any] = {"startLine": d.line or 1}
        if d.column:
            region["startColumn"] = d.column
        if d.end_line:
            region["endLine"] = d.end_line
        if d.end_column:
            region["endColumn"] = d.end_column
        res: dict[str, Any] = {
            "ruleId": d.rule,
            "level": _SARIF_LEVEL[d.severity.value],
            "message": {"text": d.message},
            "locations": [{"physicalLocation": {"artifactLocation": art, "region": region}}],
        }
        if d.rule in index:
            res["ruleIndex"] = index[d.rule]
        if d.node:
            res["locations"][0]["logicalLocations"] = [{"name": d.node, "kind": "member"}]
            res["properties"] = {"node": d.node}
        if d.extra:  # the rule's data, as in the JSON report
            res.setdefault("properties", {})["extra"] = dict(d.extra)
        results.append(res)
    notifications = []
    for f in run.files:
        if f.status == "unreadable":
            uri, base = _uri(f.name, root)
            art = {"uri": uri, **({"uriBaseId": base} if base else {})}
            notifications.append({
                "level": "error",
                "message": {"text": f.note or "unreadable"},
                "locations": [{"physicalLocation": {"artifactLocation": art}}],
            })
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "argmap",
                "version": _version(),
                "semanticVersion": _version(),
                "rules": sarif_rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri() + "/"}},
            "invocations": [invocation],
            "results": results,
        }],
    }


def sarif_report(run, *, root: Path | None = None) -> str:
    import json

    return json.dumps(sarif_data(run, root=root), ensure_ascii=False, indent=2) + "\n"


def report(run, fmt: str, *, color: bool = False, stats: bool = False) -> str:
    if fmt == "text":
        return text_report(run, color=color, stats=stats)
    if fmt == "json":
        return json_report(run, stats=stats)
    if fmt == "github":
        return github_report(run)
    if fmt == "sarif":
        return sarif_report(run)
    raise ValueError(f"unknown format {fmt!r}")


__all__ = ["FORMATS", "report", "text_report", "json_report", "github_report", "sarif_report", "Severity"]
