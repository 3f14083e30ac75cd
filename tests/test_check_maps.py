"""Example maps per rule (check-jsonschema's pattern): one test per file.

``tests/maps/valid/*`` must check clean (no diagnostic at all, so also under
``--strict``); each ``tests/maps/invalid/<rule>/<case>.(yaml|json)`` must give
exactly the diagnostics in ``<case>.expected`` (``line:col: severity: message
[RULE name]``). A ``<case>.toml`` beside a map holds its configuration.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from argmap.checks import all_rules
from argmap.checks.runner import check_file
from argmap.io.config import Config, from_dict

ROOT = Path(__file__).resolve().parents[1]
MAPS = Path("tests/maps")  # relative: messages and positions name files as users do
VALID = sorted(p for p in (ROOT / MAPS / "valid").iterdir() if p.suffix in (".yaml", ".json"))
INVALID = sorted(p for p in (ROOT / MAPS / "invalid").rglob("*") if p.suffix in (".yaml", ".json"))


def _config(path: Path) -> Config:
    toml = path.with_suffix(".toml")
    return from_dict(tomllib.loads(toml.read_text()), str(toml)) if toml.exists() else Config()


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.fixture(autouse=True)
def _at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_map_is_clean(path):
    result = check_file(_rel(path), _config(path))
    assert result.status == "checked"
    assert [d.format() for d in result.diagnostics] == []
    assert result.exit_code(strict=True) == 0


@pytest.mark.parametrize("path", INVALID, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_invalid_map_gives_exact_diagnostics(path):
    name = _rel(path)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    result = check_file(name, _config(path))
    got = [d.format() for d in result.diagnostics]
    assert all(g.startswith(name + ":") for g in got)
    assert [g[len(name) + 1:] for g in got] == expected
    # the folder names the rule the case is about; it must be among the findings
    rule = path.parent.name
    assert any(f"{rule}]" in line for line in expected)
    # a strict run fails on any finding but notes (info)
    assert result.exit_code(strict=True) == (0 if all(": info: " in line for line in expected) else 1)


def test_every_rule_has_a_failing_and_a_passing_example_file():
    names = {r.name for r in all_rules()}
    failing = {p.parent.name for p in INVALID}
    passing = {p.stem for p in VALID}
    assert names - failing == set()
    assert names - passing == set()
    assert failing - names == set(), "invalid/<folder> must be named after a rule"
