"""Start-up: what `argmap check` and `argmap --help` import (issue #3).

Every imported module costs start-up time on every run, so the commonest runs
must not import the heavy parts that only some commands or some inputs need.
Each run is a fresh interpreter (`sys.modules` is what the process imported,
listed at exit). No timings here: bench/ measures those.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SEED_MAP

# The console entry point, run as `argmap ARGS...`; sys.modules is written to the file
# named by ARGMAP_MODULES_OUT when the process exits (after main() calls sys.exit).
PROBE = """
import atexit, os, sys
def _dump(out=os.environ["ARGMAP_MODULES_OUT"]):
    with open(out, "w", encoding="utf-8") as fh:
        fh.write("\\n".join(sorted(sys.modules)))
atexit.register(_dump)
sys.argv = ["argmap", *sys.argv[1:]]
from argmap.cli import main
main()
"""

HEAVY = ["rapidfuzz", "pysbd", "ruamel", "networkx", "graphviz", "jsonschema", "defusedxml", "rich", "email", "http"]


def imported(tmp_path, *args: str) -> tuple[subprocess.CompletedProcess, set[str]]:
    out = tmp_path / "modules.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["ARGMAP_MODULES_OUT"] = str(out)
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    return proc, set(out.read_text(encoding="utf-8").split())


def top_level(modules: set[str]) -> set[str]:
    return {m.split(".")[0] for m in modules}


@pytest.fixture(scope="module")
def check_run(tmp_path_factory):
    # the open critical questions of the seed map are notes (AM401); without them the run is clean
    proc, modules = imported(tmp_path_factory.mktemp("check"), "check", "--ignore", "open-question",
                             str(SEED_MAP.relative_to(ROOT)))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == "0 errors, 0 warnings in 1 map.\n"  # a clean run: the case measured
    return modules


@pytest.fixture(scope="module")
def help_run(tmp_path_factory):
    proc, modules = imported(tmp_path_factory.mktemp("help"), "--help")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, modules


@pytest.mark.parametrize("heavy", HEAVY)
def test_a_clean_check_does_not_import(check_run, heavy):
    assert heavy not in top_level(check_run)


@pytest.mark.parametrize("heavy", HEAVY)
def test_help_does_not_import(help_run, heavy):
    assert heavy not in top_level(help_run[1])


def test_a_clean_check_does_not_import_pydantic(check_run):
    # Loading validates with argmap.map.model (msgspec); argmap.map.spec (pydantic) only words schema errors.
    assert "pydantic" not in top_level(check_run)
    assert "pydantic_core" not in top_level(check_run)


def test_a_yaml_map_is_read_by_pyyaml_alone(check_run):
    # One YAML reader: PyYAML's C loader with argmap's constructor (argmap.io.yamlload).
    assert "yaml" in top_level(check_run)
    assert "argmap.io.yamlload" in check_run


def test_a_clean_json_check_does_not_import_pyyaml(tmp_path):
    # JSON is read by json; PyYAML only works out positions when a diagnostic needs one.
    path = tmp_path / "m.json"
    path.write_text('{"argmap": 1, "nodes": [{"id": "t", "kind": "thesis", "text": "Cities should tax empty homes."}]}',
                    encoding="utf-8")
    proc, modules = imported(tmp_path, "check", str(path))
    assert proc.stdout.endswith("0 errors, 0 warnings in 1 map.\n"), proc.stdout + proc.stderr
    assert "yaml" not in top_level(modules) and "argmap.io.yamlload" not in modules


def test_help_does_not_import_pydantic_or_the_core(help_run):
    modules = help_run[1]
    assert "pydantic" not in top_level(modules)
    assert not {"argmap.io.loading", "argmap.map.model", "argmap.checks", "yaml"} & modules


def test_check_imports_only_its_own_command_module(check_run):
    commands = {m for m in check_run if m.startswith("argmap.commands.")}
    assert commands == {"argmap.commands.check"}


def test_help_still_lists_every_command(help_run):
    from argmap import commands

    text = help_run[0].split("Commands:", 1)[1]
    listed = [line.split()[0] for line in text.splitlines() if line.strip()]
    modules = [p.stem.rstrip("_") for p in Path(commands.__file__).parent.glob("*.py") if not p.stem.startswith("_")]
    assert sorted(listed) == sorted(modules)
    # in ORDER: extract first, schema last (each module's ORDER)
    assert listed[0] == "extract" and listed[-1] == "schema"
    assert all(len(line.split(None, 1)) == 2 for line in text.splitlines() if line.strip())  # each with its help


def test_no_config_parsed_when_pyproject_has_no_argmap_table(check_run):
    # the project's own pyproject.toml names the package but holds no [tool.argmap]
    assert "argmap.io.config" in check_run
    assert "tomllib" not in check_run


@pytest.mark.parametrize(
    "text, may",
    [
        ("[tool.argmap]\nselect = ['AM1']\n", True),
        ("[ tool . argmap ]\n", True),
        ('["tool"."argmap"]\n', True),
        ("[tool.argmap.severity]\norphan-node = 'error'\n", True),
        ("tool.argmap.select = ['AM1']\n", True),
        ("[tool]\nargmap = { select = ['AM1'] }\n", True),
        ("[tool]\nargmap.select = ['AM1']\n", True),
        ("tool = { argmap = { select = ['AM1'] } }\n", True),
        ('"\\u0074ool".argmap.select = []\n', True),
        ("[project]\nname = 'argmap'\n\n[project.scripts]\nargmap = 'argmap.cli:main'\n\n[tool.hatch.version]\n", False),
        ("[tool.hatch]\nargmap = 1\n", False),
        ("[project]\nname = 'x'\n", False),
    ],
)
def test_pyproject_prefilter_is_conservative(text, may):
    import tomllib

    from argmap.io.config import _may_hold_argmap_table

    assert _may_hold_argmap_table(text.encode()) is may
    # whenever the file really holds the table, the filter lets it through
    data = tomllib.loads(text)
    holds = isinstance(data.get("tool"), dict) and "argmap" in data["tool"]
    assert not holds or may


def test_clean_colour_summary_is_what_rich_writes():
    """A clean run on a terminal prints its bold summary without importing rich; same bytes."""
    from rich.text import Text

    from argmap.checks.runner import CheckRun, FileResult
    from argmap.views.reporters import _render_rich, text_report

    for files in ([FileResult("a.yaml", "checked")], [FileResult("a.yaml", "checked"), FileResult("b.yaml", "checked")], []):
        run = CheckRun(files)
        plain = text_report(run, color=False)
        rich_text = Text()
        rich_text.append(plain, style="bold")
        assert text_report(run, color=True) == _render_rich(rich_text)
        assert text_report(run, color=True) == f"\x1b[1m{plain[:-1]}\x1b[0m\n"



def test_help_listing_matches_the_built_commands():
    """--help lists commands from their registration only; the text is what the built commands give."""
    import typer
    from typer._click import Context, HelpFormatter
    from typer.core import TyperGroup

    from argmap.cli import app

    def listing(group, width):
        formatter = HelpFormatter(width=width)
        group.format_commands(Context(group, info_name="argmap"), formatter)
        return formatter.getvalue()

    for width in (80, 50, 120):  # the one-line help is cut to the width alike
        lazy = typer.main.get_command(app)  # a fresh group: nothing built yet
        listed = listing(lazy, width)
        assert not lazy.commands._built  # nothing was built for the listing
        built = TyperGroup(name="argmap", commands={name: lazy.commands[name] for name in lazy.commands})
        assert listed == listing(built, width)
        assert listed.split()[:2] == ["Commands:", "extract"]
    assert "check    Check maps: structure, quotes against the source, reasoning." in listing(lazy, 80)
