"""Shared fixtures.

Outside parts (``../shared`` data, a system Graphviz, Chromium) may be absent
on a developer's machine: tests that need them skip with a reason there, and
fail instead when the ``CI`` environment variable is set, so CI never passes
by skipping.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED_MAP = ROOT / "maps" / "nato-asia-pacific.yaml"
SEED_TEXT = ROOT / "seeds" / "opportunity-knocks-nato-asia-pacific.txt"


@pytest.fixture(autouse=True)
def _collector_left_on():
    """No code run in process may leave the cyclic garbage collector off: argmap pauses it
    only inside one context (argmap.io.loading.paused_gc), around loading and checking."""
    import gc

    yield
    if not gc.isenabled():
        gc.enable()
        pytest.fail("the test left the garbage collector disabled (see argmap.io.loading.paused_gc)")


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files instead of comparing")


def need(condition: bool, reason: str) -> None:
    """Skip locally, fail under CI, when an outside part is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this cannot be skipped)")
    pytest.skip(reason)


def shared_path() -> Path:
    env = os.environ.get("ARGMAP_SHARED")
    return Path(env) if env else ROOT.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    p = shared_path()
    need((p / "corpora").is_dir(), f"the shared corpora are not at {p} (set ARGMAP_SHARED)")
    return p


@pytest.fixture(scope="session")
def corpora(shared) -> Path:
    return shared / "corpora"


@pytest.fixture(scope="session")
def system_dot() -> str:
    path = shutil.which("dot")
    need(path is not None, "no system Graphviz 'dot' on PATH (apt-get install graphviz)")
    return path


@pytest.fixture
def golden(request):
    """``golden(path, text)``: compare with a golden file, or rewrite it with --update-golden."""
    update = request.config.getoption("--update-golden")

    def check(path: Path, text: str) -> None:
        path = Path(path)
        if update or not path.exists():
            if not update and os.environ.get("CI"):
                pytest.fail(f"golden file {path} is missing")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            return
        assert text == path.read_text(encoding="utf-8"), f"differs from golden file {path} (rerun with --update-golden)"

    return check


def similar_pairs_by_definition(ranked: list[list[int]], jaccard: float) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of non-empty sets with Jaccard similarity >= ``jaccard``,
    by comparing all pairs: the oracle of the near-duplicate search's set join."""
    out = []
    for i in range(len(ranked)):
        for j in range(i + 1, len(ranked)):
            a, b = set(ranked[i]), set(ranked[j])
            inter = len(a & b)
            if a and b and inter >= jaccard * (len(a) + len(b) - inter):
                out.append((i, j))
    return out
