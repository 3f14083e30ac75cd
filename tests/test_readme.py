"""Every statement in the README holds on a fresh clone: its example commands run.

The README's ``sh`` blocks hold the tour of the commands. Each ``argmap ...``
line is run, in order, in a copy of the repository's maps and seeds (so the
commands that write files write there), with the exit code the README promises:
0, unless the line's comment says ``exit 1``. A line whose comment says
``(interactive)`` needs a terminal and is run without one, where argmap must
refuse it cleanly (exit 2) rather than hang.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ARGMAP = Path(sys.executable).with_name("argmap")


def readme_commands() -> list[tuple[str, int]]:
    """(command line, expected exit code) for each argmap line of the README's sh blocks."""
    out = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command, _, comment = line.partition("#")
            command = command.strip()
            if not command.startswith("argmap "):
                continue
            if "(interactive)" in comment:
                expected = 2
            else:
                expected = 1 if re.search(r"\bexit 1\b", comment) else 0
            out.append((command, expected))
    return out


COMMANDS = readme_commands()


def test_the_readme_has_a_tour():
    names = {shlex.split(c)[1] for c, _ in COMMANDS}
    assert {"extract", "check", "show", "render", "diff", "fmt", "import", "export", "site"} <= names


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """The parts of a fresh clone the tour uses, as a git repository (for `diff --rev`)."""
    root = tmp_path_factory.mktemp("clone")
    for folder in ("maps", "seeds"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("*.svg", "*.html", "*.png"))
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "clone"]):
        subprocess.run(["git", *args], cwd=root, check=True, env=env)
    return root


def _run_in_order():
    # each command may use what an earlier one wrote (extract -> accept; export -> import)
    return [pytest.param(i, c, e, id=c[:60]) for i, (c, e) in enumerate(COMMANDS)]


@pytest.mark.parametrize("index,command,expected", _run_in_order())
def test_readme_command_runs(clone, index, command, expected):
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    env["NO_COLOR"] = "1"
    proc = subprocess.run(
        [str(ARGMAP), *shlex.split(command)[1:]], cwd=clone, env=env, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == expected, (
        f"README: `{command}` exited {proc.returncode}, expected {expected}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    )
    assert "Traceback" not in proc.stderr
