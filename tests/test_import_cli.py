"""``argmap import`` and ``argmap export --to <foreign>`` as users run them (the installed script)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.checks import run_checks
from argmap.map.diagnostics import Severity
from argmap.io.loading import load_map
from conftest import ROOT, SEED_MAP

DATA = ROOT / "tests" / "data" / "formats"
XAIF = ROOT / "tests" / "data" / "xaif"


def _script() -> str:
    exe = Path(sys.executable).parent / "argmap"
    return str(exe) if exe.exists() else shutil.which("argmap")


def run(*args, input=None, cwd=ROOT):
    return subprocess.run([_script(), *map(str, args)], capture_output=True, text=True, input=input, timeout=60, cwd=cwd)


def one_clear_error(r, code: int) -> str:
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("argmap: "), r.stderr
    return lines[0]


# --------------------------------------------------------------------------- happy paths


def test_import_to_stdout_with_summary_on_stderr():
    r = run("import", DATA / "small.xml")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("argmap: 1\n")
    assert "imported" in r.stderr and "(microtexts)" in r.stderr and "6 nodes" in r.stderr
    assert "und edges → undercuts" in r.stderr
    r = run("import", DATA / "small.xml", "-q")
    assert r.returncode == 0 and r.stderr == ""


def test_import_writes_the_source_text_beside_the_map_and_check_finds_the_quotes(tmp_path):
    out = tmp_path / "maps" / "micro.yaml"
    out.parent.mkdir()
    r = run("import", DATA / "small.xml", "-o", out)
    assert r.returncode == 0, r.stderr
    beside = out.with_suffix(".txt")
    assert beside.read_text(encoding="utf-8") == (DATA / "small.txt").read_text(encoding="utf-8")
    loaded = load_map(out)
    assert loaded.map.source.path == "micro.txt" and loaded.map.source.text is None
    diags = run_checks(loaded)
    assert not [d for d in diags if d.severity == Severity.ERROR], [d.format() for d in diags]
    # a second import over the map it wrote is fine (same text beside)
    assert run("import", DATA / "small.xml", "-o", out, "-q").returncode == 0
    # the map passes `argmap check` as a user runs it
    r = run("check", out)
    assert r.returncode == 0, r.stdout + r.stderr


def test_import_json_output_and_inline_source(tmp_path):
    out = tmp_path / "m.json"
    r = run("import", DATA / "small-aif.json", "-o", out, "--inline-source", "-q")
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["argmap"] == 1 and data["source"]["text"].startswith("Ann:")
    assert not out.with_suffix(".txt").exists()


def test_import_from_stdin_needs_a_format_or_content():
    text = (DATA / "small-sadface.json").read_text(encoding="utf-8")
    r = run("import", "-", input=text)
    assert r.returncode == 0, r.stderr
    assert "title: Bike lanes" in r.stdout
    r = run("import", "-", "--from", "sadface", input=text)
    assert r.returncode == 0


def test_import_argdown_then_export_argdown_then_import_again(tmp_path):
    first = tmp_path / "a.yaml"
    assert run("import", DATA / "small.argdown", "-o", first, "-q").returncode == 0
    ad = tmp_path / "a.argdown"
    r = run("export", first, "--to", "argdown", "-o", ad)
    assert r.returncode == 0, r.stderr
    second = tmp_path / "b.yaml"
    assert run("import", ad, "-o", second, "-q").returncode == 0
    assert load_map(first).map.nodes == load_map(second).map.nodes


@pytest.mark.parametrize("fmt", ["argdown", "aif", "xaif", "sadface", "mermaid", "graphml", "json", "yaml"])
def test_export_every_format_from_the_cli(fmt, tmp_path):
    r = run("export", SEED_MAP, "--to", fmt)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    out = tmp_path / f"seed.{fmt}"
    r = run("export", SEED_MAP, "--to", fmt, "-o", out)
    assert r.returncode == 0 and out.read_text(encoding="utf-8").strip()


def test_export_says_what_argdown_cannot_draw(tmp_path):
    r = run("export", DATA / "small-map.yaml", "--to", "argdown")
    assert r.returncode == 0
    assert "argmap: note: the undercut rotas->shifts->thesis has no Argdown form" in r.stderr


# --------------------------------------------------------------------------- refusing to overwrite


def test_import_refuses_to_overwrite_a_file_that_is_not_a_map(tmp_path):
    target = tmp_path / "notes.yaml"
    target.write_text("shopping: [milk, eggs]\n", encoding="utf-8")
    msg = one_clear_error(run("import", DATA / "small.xml", "-o", target), 2)
    assert "refusing to overwrite" in msg and "--force" in msg
    assert target.read_text(encoding="utf-8") == "shopping: [milk, eggs]\n"
    r = run("import", DATA / "small.xml", "-o", target, "--force", "-q")
    assert r.returncode == 0 and load_map(target).map.nodes


def test_import_overwrites_an_existing_map(tmp_path):
    target = tmp_path / "old.yaml"
    shutil.copy(SEED_MAP, target)
    r = run("import", DATA / "small-sadface.json", "-o", target, "--inline-source", "-q")
    assert r.returncode == 0, r.stderr
    assert load_map(target).map.title == "Bike lanes"


def test_import_refuses_to_replace_other_text_beside_the_map(tmp_path):
    target = tmp_path / "m.yaml"
    (tmp_path / "m.txt").write_text("my own notes\n", encoding="utf-8")
    msg = one_clear_error(run("import", DATA / "small.xml", "-o", target), 2)
    assert "m.txt" in msg and "--inline-source" in msg
    assert (tmp_path / "m.txt").read_text(encoding="utf-8") == "my own notes\n"
    assert not target.exists()
    assert run("import", DATA / "small.xml", "-o", target, "--inline-source", "-q").returncode == 0


def test_import_refuses_to_write_over_its_input(tmp_path):
    src = tmp_path / "in.json"
    shutil.copy(DATA / "small-sadface.json", src)
    msg = one_clear_error(run("import", src, "-o", src), 2)
    assert "own input" in msg


# --------------------------------------------------------------------------- broken input


def test_truncated_json_is_exit_1(tmp_path):
    p = tmp_path / "cut.json"
    p.write_text((DATA / "small-aif.json").read_text(encoding="utf-8")[:300], encoding="utf-8")
    msg = one_clear_error(run("import", p), 1)
    assert "not valid JSON" in msg and "truncated" in msg


def test_truncated_xml_is_exit_1(tmp_path):
    p = tmp_path / "cut.xml"
    p.write_text((DATA / "small.xml").read_text(encoding="utf-8")[:400], encoding="utf-8")
    msg = one_clear_error(run("import", p), 1)
    assert "not well-formed XML" in msg


def test_not_utf8_is_exit_2(tmp_path):
    p = tmp_path / "latin1.argdown"
    p.write_bytes("[T]: Café crème\n".encode("latin-1"))
    msg = one_clear_error(run("import", p), 2)
    assert "not UTF-8" in msg


def test_binary_and_missing_and_directory_are_exit_2(tmp_path):
    p = tmp_path / "x.json"
    p.write_bytes(b"\x00\x01\x02binary")
    assert "binary" in one_clear_error(run("import", p), 2)
    assert "no such file" in one_clear_error(run("import", tmp_path / "nope.json"), 2)
    assert "directory" in one_clear_error(run("import", tmp_path), 2)


def test_wrong_format_named_is_exit_1():
    msg = one_clear_error(run("import", DATA / "small-sadface.json", "--from", "aif"), 1)
    assert "not an AIF document" in msg or "needs 'nodeID'" in msg
    msg = one_clear_error(run("import", DATA / "small-aif.json", "--from", "microtexts"), 1)
    assert "not well-formed XML" in msg


def test_unknown_format_and_undetectable_input_are_usage_errors(tmp_path):
    assert "unknown import format 'ova'" in one_clear_error(run("import", DATA / "small.xml", "--from", "ova"), 2)
    p = tmp_path / "words.txt"
    p.write_text("just words, nothing else\n", encoding="utf-8")
    assert "--from" in one_clear_error(run("import", p), 2)


def test_unrecognised_json_and_argmap_maps_are_refused(tmp_path):
    p = tmp_path / "other.json"
    p.write_text('{"hello": "world"}', encoding="utf-8")
    assert "not a format argmap imports" in one_clear_error(run("import", p), 1)
    q = tmp_path / "map.json"
    q.write_text(json.dumps({"argmap": 1, "nodes": []}), encoding="utf-8")
    assert "already an argmap map" in one_clear_error(run("import", q), 2)


def test_unknown_node_type_imports_with_a_warning():
    r = run("import", DATA / "small-aif.json")
    assert r.returncode == 0
    assert "warning: 1 node(s) of unknown type 'XX' left out" in r.stderr


def test_xml_entity_bomb_is_refused(tmp_path):
    p = tmp_path / "bomb.xml"
    p.write_text(
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        "<arggraph id='x'>&lol2;</arggraph>",
        encoding="utf-8",
    )
    assert "refused" in one_clear_error(run("import", p), 1)


def test_import_help_lists_formats_and_options():
    r = run("import", "--help")
    assert r.returncode == 0
    for word in ("--from", "--output", "--inline-source", "--force", "--quiet", "argdown", "xaif", "microtexts"):
        assert word in r.stdout


def test_help_and_docs_name_every_format():
    """The --help texts and docs/formats.md do not drift from the registries."""
    from argmap.commands.import_ import FORMATS_HELP
    from argmap.formats import EXPORT_LIMITS, EXPORTERS, IMPORTERS

    assert [f.strip() for f in FORMATS_HELP.split(",")] == list(IMPORTERS)
    r = run("export", "--help")
    assert r.returncode == 0
    for fmt in EXPORTERS:
        assert fmt in r.stdout, fmt
    assert set(EXPORT_LIMITS) == set(EXPORTERS)
    docs = (ROOT / "docs" / "formats.md").read_text(encoding="utf-8")
    for fmt in set(IMPORTERS) | set(EXPORTERS):
        assert f"`{fmt}`" in docs, fmt
