"""argmap.io.config: [tool.argmap] / argmap.toml, found upward, validated."""

from __future__ import annotations

import pytest

from argmap.io.config import Config, find_config, load_config, parse_coverage, parse_size
from argmap.map.diagnostics import Severity
from argmap.map.errors import UsageError


def test_sizes_and_coverage_values():
    assert parse_size(1000) == 1000
    assert parse_size("10MB") == 10_000_000
    assert parse_size("512 KiB") == 524_288
    assert parse_size("1.5k") == 1500
    for bad in (0, -5, True, "ten", "10 parsecs"):
        with pytest.raises(UsageError):
            parse_size(bad)
    assert parse_coverage(0.6) == 0.6
    assert parse_coverage("60%") == pytest.approx(0.6)
    assert parse_coverage(60) == pytest.approx(0.6)
    for bad in ("lots", 150, -0.1, True):
        with pytest.raises(UsageError):
            parse_coverage(bad)


def test_selection_by_id_prefix_and_name():
    cfg = Config(select=("AM1", "quote-not-found"), ignore=("AM106",))
    assert cfg.enabled("AM101", "duplicate-id")
    assert cfg.enabled("AM203", "quote-not-found")
    assert not cfg.enabled("AM106", "orphan-node")
    assert not cfg.enabled("AM302", "near-duplicate")
    assert Config().enabled("AM302", "near-duplicate")
    cfg = Config(severity={"AM1": "info", "orphan-node": "error", "AM110": "off"})
    assert cfg.severity_for("AM101", "duplicate-id", Severity.ERROR) is Severity.INFO
    assert cfg.severity_for("AM106", "orphan-node", Severity.WARNING) is Severity.ERROR
    assert not cfg.enabled("AM110", "draft-remains")


def test_found_upward_argmap_toml_first_and_stops_at_git(tmp_path):
    repo = tmp_path / "repo"
    deep = repo / "a" / "b"
    deep.mkdir(parents=True)
    (repo / ".git").mkdir()
    (tmp_path / "argmap.toml").write_text("ignore = ['AM1']\n")  # above the repository: not used
    assert find_config(deep) is None
    (repo / "pyproject.toml").write_text("[project]\nname = 'x'\n\n[tool.argmap]\nmin-coverage = '70%'\n")
    cfg = load_config(start=deep)
    assert cfg.min_coverage == pytest.approx(0.7) and cfg.path == repo / "pyproject.toml"
    (repo / "a" / "pyproject.toml").write_text("[project]\nname = 'no argmap table here'\n")
    assert load_config(start=deep).path == repo / "pyproject.toml"
    (repo / "argmap.toml").write_text("max-file-size = '1MB'\nallow_outside_source = true\n")
    cfg = load_config(start=deep)
    assert cfg.path == repo / "argmap.toml" and cfg.max_file_size == 1_000_000 and cfg.allow_outside_source


def test_bad_configuration_is_a_usage_error(tmp_path):
    bad = tmp_path / "argmap.toml"
    for text, words in [
        ("ignore = ['AM1'\n", "not valid TOML"),
        ("min-covrage = 0.5\n", "did you mean 'min-coverage'"),
        ("select = 5\n", "expected a list"),
        ("[severity]\norphan-node = 'fatal'\n", "expected one of error, warning, info, off"),
        ("allow-outside-source = 'yes'\n", "expected true or false"),
    ]:
        bad.write_text(text)
        with pytest.raises(UsageError) as exc:
            load_config(bad)
        assert words in exc.value.message and str(bad) in exc.value.message
    with pytest.raises(UsageError):
        load_config(tmp_path / "missing.toml")


def test_command_line_overrides_merge():
    base = Config(select=("AM1",), ignore=("AM106",), min_coverage=0.5)
    merged = base.merged(select=["AM2"], extend_ignore=["AM203"], min_coverage=0.8, allow_outside_source=True)
    assert merged.select == ("AM2",) and merged.ignore == ("AM106", "AM203")
    assert merged.min_coverage == 0.8 and merged.allow_outside_source
    assert base.merged() == base
