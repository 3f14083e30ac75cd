"""argmap rule: a rule's summary, rationale and examples from its docstring (as `ruff rule`)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from argmap.checks import all_rules
from argmap.checks.registry import lookup
from argmap.cli import app


def run(*args):
    return CliRunner().invoke(app, ["rule", *args])


@pytest.mark.parametrize("spec", ["AM106", "am106", "orphan-node"])
def test_a_rule_by_id_or_name(spec):
    r = run(spec)
    assert r.exit_code == 0, r.output
    rule = lookup("AM106")
    lines = r.output.splitlines()
    assert lines[0] == "AM106 orphan-node"
    assert "Default severity: warning." in lines
    assert rule.summary in lines
    assert " ".join(r.output.split()).count("An orphan takes no part in the argument") == 1  # the rationale
    failing, passing = rule.examples()["failing"][0], rule.examples()["passing"][0]
    assert "Failing example:" in lines and "Passing example:" in lines
    for block in (failing, passing):
        assert "\n".join("    " + ln if ln else "" for ln in block.rstrip("\n").splitlines()) in r.output


def test_the_examples_shown_are_the_ones_that_run_as_tests():
    r = run("draft-remains")
    assert "      - id: rents" in r.output and "``" not in r.output  # docstring literals shown as `x`


def test_a_configured_example_names_its_configuration():
    with_config = [x for x in all_rules() if any(c for _y, c in x.examples().values())]
    assert with_config, "some rule documents an example with configuration"
    r = run(with_config[0].id)
    assert "example (with " in r.output


def test_a_loader_rule_says_so():
    r = run("AM001")
    assert r.exit_code == 0 and "Default severity: error (reported by the loader)." in r.output


def test_all_lists_every_rule_once():
    r = run("--all")
    assert r.exit_code == 0
    rows = [ln for ln in r.output.splitlines() if ln.startswith("AM")]
    assert [ln.split()[0] for ln in rows] == [x.id for x in all_rules()]
    row = next(ln for ln in rows if ln.startswith("AM110"))
    assert row.split()[1:3] == ["draft-remains", "warning"]
    assert "AM001  syntax-error" in r.output and "error*" in r.output


@pytest.mark.parametrize("args, message", [
    (("orphan-nod",), "there is no rule 'orphan-nod'; did you mean 'orphan-node'?"),
    (("AM1100",), "did you mean 'AM110'?"),
    (("nonsense-words-here",), "'argmap rule --all' lists them."),
    ((), "give a rule id or name"),
    (("AM106", "--all"), "give a rule or --all, not both."),
])
def test_unknown_or_missing_is_a_usage_error(args, message):
    r = run(*args)
    assert r.exit_code == 2
    assert message in r.output and "Traceback" not in r.output
