"""argmap fmt: golden layouts with comments, idempotence, --check/--diff, safety."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.io.fmt import format_text
from argmap.io.yamlemit import canonical_yaml
from argmap.io.yamlstyle import WIDTH, canonical_map_data, natural_key
from argmap.io.loading import load_map, load_text
from argmap.map.model import from_data
from argmap.io.writing import dumps

HERE = Path(__file__).parent
ROOT = HERE.parent
INPUTS = HERE / "maps" / "fmt"
GOLDEN = HERE / "golden" / "fmt"
CASES = sorted(p.name for p in INPUTS.iterdir() if p.suffix in (".yaml", ".json"))

runner = CliRunner()


def run(*args, input=None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def same_map(before, after) -> None:
    """After fmt, the map equals the original with its relation lists sorted."""
    assert after == from_data(canonical_map_data(before))


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("name", CASES)
def test_golden(name, golden):
    text = (INPUTS / name).read_text(encoding="utf-8")
    result = format_text(text, name=name)
    golden(GOLDEN / name, result.text)
    assert result.changed


@pytest.mark.parametrize("name", CASES)
def test_golden_is_idempotent_and_keeps_the_map(name):
    text = (INPUTS / name).read_text(encoding="utf-8")
    once = format_text(text, name=name)
    twice = format_text(once.text, name=name)
    assert twice.text == once.text and not twice.changed
    before, after = load_text(text, name=name).map, load_text(once.text, name=name).map
    if name.endswith(".json"):
        assert after == before  # JSON keeps even the relation order
    else:
        same_map(before, after)


def test_comments_survive():
    text = (INPUTS / "comments.yaml").read_text(encoding="utf-8")
    out = format_text(text, name="comments.yaml").text
    comments = [line.strip() for line in text.splitlines() if "#" in line and not line.strip().startswith(("text", "quote"))]
    for line in text.splitlines():
        if "# " in line:
            comment = line[line.index("# ") :]
            assert comment in out, comment
    assert comments  # the fixture really has comments


def test_layout_rules():
    out = format_text((INPUTS / "comments.yaml").read_text(encoding="utf-8"), name="c.yaml").text
    lines = out.splitlines()
    # field order: argmap first, then title, source, nodes
    top = [line.split(":")[0] for line in lines if line[:1].isalpha()]
    assert top == ["argmap", "title", "source", "nodes"]
    # id first in every node; relations sorted in natural order (c2 before c10)
    assert all(line.startswith("  - id: ") for line in lines if line.startswith("  - "))
    assert "undercuts: [p1->c10, p2->c2]" in out
    i = lines.index("      - c2   # the nearest")
    assert lines[i + 1 : i + 3] == ["      - c10", "      - thesis"]
    assert "with: [p1, p3]" in out
    # quoting: never single quotes; quote always double-quoted; YAML 1.1 words quoted
    assert "'" not in "".join(line for line in lines if not line.lstrip().startswith("#")).replace("’", "").replace("'s", "")
    assert 'quote: "the costs of waiting grow every year"' in out
    assert 'text: "yes"' in out and 'tags: [core, "2024"]' in out
    # empty and null fields dropped, floats canonical
    assert "attacks: []" not in out and "null" not in out and "confidence: 0.5\n" in out
    # long text folded at the width
    assert max(len(line) for line in lines if not line.lstrip().startswith("#")) <= WIDTH


def test_long_relation_lists_go_block_style():
    data = {
        "argmap": 1,
        "nodes": [
            {"id": "a", "kind": "claim", "text": "A", "supports": [f"target-number-{i:02d}" for i in range(6)]},
        ],
    }
    out = canonical_yaml(data)
    assert "    supports:\n      - target-number-00\n" in out
    short = canonical_yaml({"argmap": 1, "nodes": [{"id": "a", "kind": "claim", "text": "A", "supports": ["b", "c"]}]})
    assert "supports: [b, c]" in short


def test_natural_key():
    assert sorted(["c10", "c2", "c1", "b"], key=natural_key) == ["b", "c1", "c2", "c10"]


def test_multiline_and_odd_whitespace_text_round_trips():
    texts = ["line one\nline two\n", "  leading spaces", "double  space inside", "tab\tinside", "trailing \nspace"]
    data = {"argmap": 1, "nodes": [{"id": f"n{i}", "kind": "claim", "text": t} for i, t in enumerate(texts)]}
    out = canonical_yaml(data)
    loaded = load_text(out, name="x.yaml")
    assert [n.text for n in loaded.map.nodes] == texts
    assert format_text(out, name="x.yaml").changed is False


def test_a_map_already_laid_out_is_left_as_it_is_without_the_round_trip(monkeypatch):
    # fmt --check of a formatted file is the usual case: a multi-paragraph source puts blank
    # lines in the text, yet nothing needs ruamel's slow round trip (about 1 ms a node)
    from argmap.io import fmt

    amap = from_data({"argmap": 1, "source": {"text": "First paragraph.\n\nSecond one, # not a comment.\n"},
                      "nodes": [{"id": "t", "kind": "thesis", "text": "First paragraph.", "quote": "First paragraph."}]})
    text = canonical_yaml(canonical_map_data(amap))
    assert "\n\n" in text and "#" in text

    def no_round_trip():
        raise AssertionError("the round trip ran")

    monkeypatch.setattr(fmt, "ruamel_yaml", no_round_trip)
    assert format_text(text, name="m.yaml") == fmt.Formatted(text, False)
    # a comment still takes the round trip, which keeps it
    monkeypatch.undo()
    commented = text.replace("nodes:", "# the nodes\nnodes:")
    assert "# the nodes" in format_text(commented, name="m.yaml").text


def test_canonical_yaml_of_written_maps_is_fmt_clean():
    loaded = load_map(INPUTS / "comments.yaml")
    text = dumps(loaded.map, "yaml")
    assert format_text(text, name="new.yaml").text == text


def test_json_maps_get_canonical_json():
    text = (INPUTS / "machine.json").read_text(encoding="utf-8")
    out = format_text(text, name="machine.json").text
    data = json.loads(out)
    assert list(data) == ["argmap", "nodes"]
    assert data["nodes"][1]["supports"] == ["t", "a"]  # JSON keeps relation order (machine-made maps)
    assert out == dumps(load_text(text, name="m.json").map, "json")
    assert list(data["nodes"][0]) == ["id", "kind", "text"]


# --------------------------------------------------------------------------- the command


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "map.yaml"
    shutil.copy(INPUTS / "comments.yaml", path)
    return path


def test_check_lists_files_and_changes_nothing(messy, tmp_path):
    clean = tmp_path / "clean.yaml"
    clean.write_text(format_text(messy.read_text(), name="x").text)
    before = messy.read_bytes()
    result = run("fmt", "--check", str(tmp_path))
    assert result.exit_code == 1
    assert f"would reformat {messy}" in result.stderr
    assert str(clean) not in result.stderr.replace("would be", "")
    assert messy.read_bytes() == before


def test_diff_shows_the_change_and_writes_nothing(messy):
    before = messy.read_bytes()
    result = run("fmt", "--diff", str(messy))
    assert result.exit_code == 0
    assert "+++ " in result.stdout and "-title: 'Comments, order and quoting'" in result.stdout
    assert messy.read_bytes() == before
    assert run("fmt", "--diff", "--check", str(messy)).exit_code == 1


def test_fmt_rewrites_then_check_passes(messy):
    result = run("fmt", str(messy))
    assert result.exit_code == 0, result.output
    assert "reformatted" in result.stderr
    assert run("fmt", "--check", str(messy)).exit_code == 0
    again = messy.read_text()
    assert run("fmt", str(messy)).exit_code == 0
    assert messy.read_text() == again


def test_broken_map_is_reported_and_left_untouched(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("argmap: 1\nnodes:\n  - id: a\n    kind: clam\n    text:  'x'\n")
    before = bad.read_bytes()
    result = run("fmt", str(bad))
    assert result.exit_code == 1
    assert "bad.yaml:4:11" in result.stderr and "left untouched" in result.stderr
    assert bad.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name != "bad.yaml"]  # no temporary files left


def test_missing_file_is_exit_2(tmp_path):
    result = run("fmt", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2 and "no such file" in result.stderr


def test_no_paths_is_a_usage_error():
    result = run("fmt")
    assert result.exit_code == 2 and "give the maps" in result.stderr


def test_fmt_walks_the_folder_check_walks_and_fails_on_empty_maps(tmp_path, monkeypatch):
    """One walker (argmap.io.files.walk): hidden and excluded files are left out, non-maps found in a
    folder are passed over, an empty map found or named fails (exit 1) and is left untouched."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "maps" / ".hidden").mkdir(parents=True)
    (tmp_path / "maps" / "fixtures").mkdir()
    good = "argmap: 1\nnodes:\n  - id: t\n    kind: thesis\n    text: T\n"
    (tmp_path / "maps" / "a.yaml").write_text(good)
    (tmp_path / "maps" / ".hidden" / "b.yaml").write_text("argmap: 1\nnodes: [\n")
    (tmp_path / "maps" / "fixtures" / "c.yaml").write_text("argmap: 1\nnodes: [\n")
    (tmp_path / "maps" / "workflow.yml").write_text("on: push\n")
    (tmp_path / "maps" / "empty.json").write_text("")
    result = run("fmt", "--check", "maps", "--exclude", "fixtures")
    assert result.exit_code == 1 and "empty.json:1:1: error: the file is empty" in result.stderr, result.stderr
    assert "b.yaml" not in result.stderr and "c.yaml" not in result.stderr and "workflow" not in result.stderr
    assert run("fmt", "maps/empty.json").exit_code == 1
    assert (tmp_path / "maps" / "empty.json").read_text() == ""
    (tmp_path / "argmap.toml").write_text('exclude = ["empty.json", "fixtures"]\n')
    assert run("fmt", "--check", "maps").exit_code == 0


def test_non_map_yaml_is_not_touched(tmp_path):
    other = tmp_path / "workflow.yaml"
    other.write_text("on: push\njobs: {}\n")
    result = run("fmt", str(other))
    assert result.exit_code == 1 and "not an argmap map" in result.stderr
    # folders and --only-maps skip such files quietly (pre-commit hands over every YAML file)
    assert run("fmt", "--check", str(tmp_path)).exit_code == 0
    assert run("fmt", "--check", "--only-maps", str(other)).exit_code == 0
    assert other.read_text() == "on: push\njobs: {}\n"


def test_a_map_under_another_name_needs_force(tmp_path, messy):
    odd = tmp_path / "map.txt"
    shutil.copy(messy, odd)
    before = odd.read_bytes()
    result = run("fmt", str(odd))
    assert result.exit_code == 2 and "--force" in result.stderr
    assert odd.read_bytes() == before
    assert run("fmt", "--force", str(odd)).exit_code == 0
    assert odd.read_bytes() != before


def test_symlinked_map_is_written_through_the_link(tmp_path, messy):
    link = tmp_path / "link.yaml"
    link.symlink_to(messy)
    assert run("fmt", str(link)).exit_code == 0
    assert link.is_symlink()
    assert run("fmt", "--check", str(messy)).exit_code == 0


def test_stdin_to_stdout(messy):
    result = run("fmt", "-", input=messy.read_text())
    assert result.exit_code == 0
    assert result.stdout == format_text(messy.read_text(), name="-").text
    assert run("fmt", "--check", "-", input=messy.read_text()).exit_code == 1
    assert run("fmt", "--check", "-", input=result.stdout).exit_code == 0


def test_failed_write_leaves_the_file(messy, monkeypatch):
    import argmap.io.writing

    before = messy.read_bytes()

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(argmap.io.writing.os, "replace", broken_replace)
    result = run("fmt", str(messy))
    assert result.exit_code == 2 and "could not be written" in result.stderr
    assert messy.read_bytes() == before
    assert [p.name for p in messy.parent.iterdir()] == ["map.yaml"]


def test_installed_script_checks_a_folder(tmp_path, messy):
    exe = Path(sys.executable).parent / "argmap"
    if not exe.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    proc = subprocess.run([str(exe), "fmt", "--check", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "would reformat" in proc.stderr and "Traceback" not in proc.stderr


def test_shipped_maps_are_formatted():
    """CI guard: `argmap fmt --check maps/` passes (the lead formats maps/ last)."""
    result = run("fmt", "--check", str(ROOT / "maps"))
    assert result.exit_code == 0, result.stderr


def test_pre_commit_hook_entry():
    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    entry = hooks["argmap-fmt"]["entry"].split()
    assert entry[:3] == ["argmap", "fmt", "--check"]
    # the hook's own options must be real options of the command
    result = run(*entry[1:], str(INPUTS / "comments.yaml"))
    assert result.exit_code == 1 and "would reformat" in result.stderr
    assert os.path.exists(ROOT / ".pre-commit-hooks.yaml")


def test_crlf_input_gives_lf_output_with_comments():
    text = "argmap: 1\r\nnodes:\r\n  - id: a  # c\r\n    kind: claim\r\n    text: A\r\n"
    out = format_text(text, name="crlf.yaml").text
    assert "\r" not in out and "  - id: a  # c\n" in out


def test_a_list_with_comments_inside_stays_block_style():
    text = "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: A\n    tags:\n      - x  # keep me\n      - y\n"
    assert format_text(text, name="x.yaml").text == text


def test_empty_fields_with_comments_stay_so_the_comments_do():
    text = "argmap: 1\nnodes:\n  - id: a\n    attacks: []  # none yet\n    kind: claim\n    quote:   # to find\n    text: A\n    tags: []\n"
    out = format_text(text, name="x.yaml").text
    assert out == "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: A\n    quote:   # to find\n    attacks: []  # none yet\n"
    assert format_text(out, name="x.yaml").text == out


def test_comment_on_a_relation_that_becomes_simple_is_kept():
    text = "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: A\n    supports:\n      - to: c   # why c\n      - b\n"
    out = format_text(text, name="x.yaml").text
    assert "# why c" in out and out.index("- b") < out.index("- c")
    assert format_text(out, name="x.yaml").text == out


def test_comment_after_a_flow_item_that_ends_a_node_is_kept():
    text = "argmap: 1\nnodes:\n- id: p1\n  kind: thesis\n  text: x\n  attacks:\n  - {to: thesis}\n# before p2\n- id: p2\n  kind: thesis\n  text: y\n"
    out = format_text(text, name="x.yaml").text
    assert "# before p2\n  - id: p2" in out and "attacks: [thesis]" in out
    assert format_text(out, name="x.yaml").text == out
