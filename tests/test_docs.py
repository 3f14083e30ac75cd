"""Docs and --help must not drift apart (sqlite-utils' pattern)."""

from __future__ import annotations

import re

import pytest
import typer

from argmap.cli import app
from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md")))
CLICK = typer.main.get_command(app)
COMMANDS = sorted(CLICK.commands)


def test_every_command_is_in_the_readme():
    for name in COMMANDS:
        assert f"argmap {name}" in README, f"README does not show 'argmap {name}'"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_documented(name):
    cmd = CLICK.commands[name]
    missing = []
    for param in cmd.params:
        longs = [o for o in (*param.opts, *getattr(param, "secondary_opts", ())) if o.startswith("--")]
        if not longs or "--help" in longs:
            continue
        # a flag pair (--x/--no-x) is documented when either side is
        if not any(re.search(re.escape(o) + r"(?![\w-])", DOCS) for o in longs):
            missing.append("/".join(longs))
    assert not missing, f"argmap {name}: options not in README.md or docs/: {missing}"


def test_quick_start_is_exactly_two_commands():
    block = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [ln.split("#")[0].strip() for ln in block.strip().splitlines()]
    assert lines == ["make run", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_stays_short():
    """Issue 15: at most 200 lines; details go to docs/ and bench/RESULTS.md."""
    assert len(README.splitlines()) <= 200
