"""The wheel, installed as a user installs it: built with the project's build
backend (hatchling), installed with pip into a fresh virtual environment, and
run from there on a copy of the seed map, far from this source tree.

Dependencies come from local wheels where pip's configuration has them
(``--no-index --find-links``); otherwise from the package registry. Without
either (no network, no local wheels) the test skips locally and fails under
``CI``: it is marked ``install`` and never skipped there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, SEED_MAP, SEED_TEXT, need

pytestmark = pytest.mark.install


def _pip_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin/ folder of a fresh virtual environment with the argmap wheel installed."""
    try:
        import hatchling  # noqa: F401
    except ImportError:
        need(False, "hatchling (the build backend, in the 'test' extras) is not installed")
    work = tmp_path_factory.mktemp("install")
    wheels = work / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(ROOT)],
        capture_output=True, text=True, env=_pip_env())
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("argmap-*.whl")

    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = str(bindir / "python")
    # local wheels only, where pip's configuration has them all ...
    links = [str(wheels), *os.environ.get("PIP_FIND_LINKS", "").split()]
    offline = [python, "-m", "pip", "install", "-q", "--no-index",
               *(a for link in links if link for a in ("--find-links", link)), str(wheel)]
    r = subprocess.run(offline, capture_output=True, text=True, env=_pip_env())
    if r.returncode != 0:  # ... else the registry, as a user's pip would
        r = subprocess.run([python, "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True,
                           env=_pip_env())
        need(r.returncode == 0 or "Could not find a version" not in r.stderr and "connection" not in r.stderr.lower(),
             f"the wheel's dependencies cannot be installed here (no local wheels, no registry): {r.stderr[-300:]}")
        assert r.returncode == 0, r.stderr
    return bindir


@pytest.fixture
def workdir(tmp_path) -> Path:
    """The seed map and its article, in a git repository of their own (the map's home)."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "maps").mkdir()
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED_MAP, tmp_path / "maps" / SEED_MAP.name)
    shutil.copy(SEED_TEXT, tmp_path / "seeds" / SEED_TEXT.name)
    return tmp_path


def argmap(bindir: Path, *args, cwd: Path) -> subprocess.CompletedProcess:
    env = _pip_env()
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    env.pop("ARGMAP_DOT", None)  # the layout binary must come with the install (graphviz-pure)
    return subprocess.run([str(bindir / "argmap"), *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=300)


def test_the_installed_package_is_the_wheel(installed, workdir):
    r = subprocess.run([str(installed / "python"), "-c", "import argmap, sys; print(argmap.__file__)"],
                       cwd=workdir, capture_output=True, text=True, env=_pip_env())
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()).is_relative_to(installed.parent), r.stdout
    assert not Path(r.stdout.strip()).is_relative_to(ROOT / "src")


def test_help(installed, workdir):
    r = argmap(installed, "--help", cwd=workdir)
    assert r.returncode == 0, r.stderr
    for command in ("check", "render", "site"):
        assert command in r.stdout


def test_check(installed, workdir):
    r = argmap(installed, "check", "maps/", cwd=workdir)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 errors, 0 warnings" in r.stdout


def test_render_svg(installed, workdir):
    r = argmap(installed, "render", "maps/nato-asia-pacific.yaml", "--svg", cwd=workdir)
    assert r.returncode == 0, r.stderr
    svg = (workdir / "maps" / "nato-asia-pacific.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and re.search(r'id="node(-|&#45;)thesis"', svg)


def test_render_html(installed, workdir):
    r = argmap(installed, "render", "maps/nato-asia-pacific.yaml", "--html", cwd=workdir)
    assert r.returncode == 0, r.stderr
    page = (workdir / "maps" / "nato-asia-pacific.html").read_text(encoding="utf-8")
    assert "<svg" in page and "Mirna Galic" in page and 'id="argmap-data"' in page


def test_site(installed, workdir):
    r = argmap(installed, "site", "maps/", "-o", "site", cwd=workdir)
    assert r.returncode == 0, r.stderr
    assert (workdir / "site" / ".nojekyll").is_file()
    index = (workdir / "site" / "index.html").read_text(encoding="utf-8")
    assert "Opportunity knocks for NATO" in index and "no problems" in index and 'href="maps/nato-asia-pacific.html"' in index
    assert "<svg" in (workdir / "site" / "maps" / "nato-asia-pacific.html").read_text(encoding="utf-8")
