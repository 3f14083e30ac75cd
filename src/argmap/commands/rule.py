"""argmap rule: explain a check rule (as `ruff rule` does)."""

from __future__ import annotations

from typing import Optional

import typer

ORDER = 25


def rule(
    name: Optional[str] = typer.Argument(None, metavar="[ID|NAME]", help="A rule id (AM106) or name (orphan-node)."),
    all_: bool = typer.Option(False, "--all", help="List every rule: id, name, default severity, summary."),
):
    """Explain a check rule: its summary, why it matters, and a failing and a
    passing example (the text of docs/rules.md).

    Exit codes: 0 shown; 2 no such rule, or neither a rule nor --all given.

    Examples: 'argmap rule AM106', 'argmap rule orphan-node', 'argmap rule --all'.
    """
    from argmap.checks import all_rules
    from argmap.checks.registry import lookup
    from argmap.map.errors import UsageError

    if all_:
        if name is not None:
            raise UsageError("give a rule or --all, not both.")
        rules = all_rules()
        width = max(len(r.name) for r in rules)
        for r in rules:
            sev = r.severity.value + ("*" if r.func is None else "")
            typer.echo(f"{r.id}  {r.name:<{width}}  {sev:<8}  {_plain(r.summary)}")
        typer.echo("(* reported by the loader while reading the file; cannot be silenced)")
        return
    if name is None:
        raise UsageError("give a rule id or name (e.g. 'argmap rule AM106'), or --all to list them.")
    found = lookup(name.strip())
    if found is None:
        from argmap.map.diagnostics import did_you_mean

        rules, form = all_rules(), "; did you mean {!r}?"
        by_id = did_you_mean(name.upper(), [r.id for r in rules], form=form, otherwise="; 'argmap rule --all' lists them.")
        hint = did_you_mean(name, [r.name for r in rules], form=form, otherwise=by_id)
        raise UsageError(f"there is no rule {name!r}{hint}")
    typer.echo(_explain(found))


def _explain(r) -> str:
    """A rule as plain text: heading, severity, summary, rationale, examples."""
    import textwrap

    kind = " (reported by the loader)" if r.func is None else ""
    out = [f"{r.id} {r.name}", "", f"Default severity: {r.severity.value}{kind}.", "", _plain(r.summary), ""]
    if r.rationale:
        out += [textwrap.fill(_plain(r.rationale), 80), ""]
    for label, (yaml_text, config) in r.examples().items():
        head = f"{label.capitalize()} example" + (f" (with {config})" if config else "") + ":"
        out += [head, "", textwrap.indent(yaml_text.rstrip("\n"), "    "), ""]
    return "\n".join(out).rstrip("\n")


def _plain(text: str) -> str:
    """The docstrings' ``literal`` marks as the single backquotes of Markdown."""
    return text.replace("``", "`")


def register(app, wrap):
    app.command("rule")(wrap(rule))
