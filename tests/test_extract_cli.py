"""`argmap extract` as users run it: options, outputs, errors, exit codes."""

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
from argmap.io.loading import load_map

from conftest import ROOT, SEED_TEXT

DATA = Path(__file__).parent / "data" / "extract"
BIKE = DATA / "bike-lanes.txt"


def run(*args, input=None):
    return CliRunner().invoke(app, ["extract", *map(str, args)], input=input, catch_exceptions=False)


def test_writes_a_loadable_map_with_a_relative_source_path(tmp_path):
    (tmp_path / "articles").mkdir()
    (tmp_path / "maps").mkdir()
    article = tmp_path / "articles" / "bike.txt"
    shutil.copy(BIKE, article)
    out = tmp_path / "maps" / "bike.yaml"
    res = run(article, "-o", out)
    assert res.exit_code == 0, res.output
    assert "wrote" in res.output and "draft nodes" in res.output
    loaded = load_map(out)
    src = loaded.map.source
    assert src.path == "../articles/bike.txt" and src.text is None
    assert (out.parent / src.path).resolve() == article.resolve()
    assert src.title == "Why the city should build protected bike lanes now" and src.author == "Jane Doe"
    text = article.read_text(encoding="utf-8")
    assert all(n.quote in text for n in loaded.map.nodes)


def test_stdout_inlines_the_source_text():
    res = run(BIKE)
    assert res.exit_code == 0
    import yaml

    data = yaml.safe_load(res.stdout)
    assert data["argmap"] == 1
    assert data["source"]["text"] == BIKE.read_text(encoding="utf-8")
    assert "path" not in data["source"]
    assert sum(1 for n in data["nodes"] if n["kind"] == "thesis") == 1


def test_stdin_input():
    res = run("-", input="We should plant more trees. They cool the streets in summer.")
    assert res.exit_code == 0, res.output
    assert "kind: thesis" in res.stdout and "text: We should plant more trees." in res.stdout


def test_json_output_by_suffix(tmp_path):
    out = tmp_path / "bike.json"
    shutil.copy(BIKE, tmp_path / "bike.txt")
    assert run(tmp_path / "bike.txt", "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["source"]["path"] == "bike.txt"
    assert load_map(out).map.nodes


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"   \n\n  \n", "is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\u00e9 au lait should be cheaper.".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unusable_input_is_one_clear_sentence(tmp_path, content, message):
    f = tmp_path / "article.txt"
    f.write_bytes(content)
    res = run(f)
    assert res.exit_code == 2
    assert message in res.output and "Traceback" not in res.output
    assert res.output.count("\n") == 1


def test_missing_file_and_directory(tmp_path):
    res = run(tmp_path / "nope.txt")
    assert res.exit_code == 2 and "no such file" in res.output
    res = run(tmp_path)
    assert res.exit_code == 2 and "directory" in res.output


def test_text_without_sentences_is_exit_1(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Further reading\n\nImage: a photo of a bridge\n", encoding="utf-8")
    res = run(f)
    assert res.exit_code == 1
    assert "plain-text article" in res.output


def test_usage_errors(tmp_path, monkeypatch):
    monkeypatch.delenv("ARGMAP_LLM_BASE_URL", raising=False)
    monkeypatch.delenv("ARGMAP_LLM_MODEL", raising=False)
    res = run(BIKE, "--backend", "magic")
    assert res.exit_code == 2 and "unknown backend 'magic'" in res.output
    res = run(BIKE, "--backend", "llm")
    assert res.exit_code == 2 and "--base-url" in res.output
    res = run(BIKE, "--max-units", "0")
    assert res.exit_code == 2
    res = run(BIKE, "-o", tmp_path / "missing-folder" / "x.yaml")
    assert res.exit_code == 2 and "does not exist" in res.output


def test_max_units_warns_and_cuts(tmp_path):
    out = tmp_path / "m.yaml"
    shutil.copy(BIKE, tmp_path / "bike.txt")
    res = run(tmp_path / "bike.txt", "--max-units", "3", "-o", out)
    assert res.exit_code == 0
    assert "only the first 3 are analysed" in res.output
    assert len(load_map(out).map.nodes) == 3


def test_progress_on_request():
    res = run(BIKE, "--progress")
    assert "argmap extract: 4 paragraphs" in res.stderr
    res = run(BIKE, "--quiet")
    assert res.stderr == ""


def test_help_explains_the_options():
    res = CliRunner().invoke(app, ["extract", "--help"])
    assert res.exit_code == 0
    for option in ("--output", "--backend", "--max-units", "--base-url", "--model", "--cache-dir", "--no-cache",
                   "--timeout", "--progress", "--force", "ARGMAP_LLM_API_KEY"):
        assert option in res.output


def test_docs_mention_every_option():
    doc = (ROOT / "docs" / "extract.md").read_text(encoding="utf-8")
    for option in ("--output", "--backend", "--max-units", "--base-url", "--model", "--cache-dir", "--no-cache",
                   "--timeout", "--progress", "--force", "ARGMAP_LLM_API_KEY"):
        assert option in doc, option


def test_installed_script_drafts_the_seed_article(tmp_path, shared):
    exe = Path(sys.executable).parent / "argmap"
    if not exe.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    shutil.copy(SEED_TEXT, tmp_path / "seed.txt")
    proc = subprocess.run(
        [str(exe), "extract", "seed.txt", "-o", "seed.yaml"], cwd=tmp_path, capture_output=True, text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    loaded = load_map(tmp_path / "seed.yaml")
    assert loaded.map.source.path == "seed.txt"
    assert loaded.map.title == "Opportunity knocks for NATO and its partners in the Asia-Pacific"
    # and argmap check finds no error in it (warnings: drafts remain, reasoning)
    proc = subprocess.run([str(exe), "check", "seed.yaml"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_help_does_not_import_the_segmenter():
    code = "import sys, argmap.cli; print('pysbd' in sys.modules, 'argmap.extract' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ})
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_never_overwrites_by_accident(tmp_path):
    article = tmp_path / "a.txt"
    shutil.copy(BIKE, article)
    res = run(article, "-o", article, "--force")
    assert res.exit_code == 2 and "is the article itself" in res.output
    assert article.read_text(encoding="utf-8") == BIKE.read_text(encoding="utf-8")
    out = tmp_path / "a.yaml"
    out.write_text("reviewed: true\n", encoding="utf-8")
    res = run(article, "-o", out)
    assert res.exit_code == 2 and "--force" in res.output
    assert out.read_text(encoding="utf-8") == "reviewed: true\n"
    assert run(article, "-o", out, "--force").exit_code == 0
    assert load_map(out).map.nodes
