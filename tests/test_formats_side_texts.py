"""Issue 18's import and export items: AIF side texts that are not UTF-8, the
hint for `argmap import article.txt`, and the Argdown export's source article
written as a readable block in the front matter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from argmap.formats import EXPORTERS, IMPORTERS, resolve
from argmap.io.files import read_text
from argmap.io.loading import load_map, load_text
from conftest import ROOT, SEED_MAP

DATA = ROOT / "tests" / "data" / "formats"


def run(*args):
    return CliRunner().invoke(app, [*map(str, args)], catch_exceptions=False)


def imp(fmt: str, path: Path):
    return resolve(IMPORTERS[fmt])(path, read_text(path))


# --------------------------------------------------------------------------- AIF side texts


def test_the_fixtures_are_windows_1252():
    raw = (DATA / "cp1252-aif.txt").read_bytes()
    for byte in (b"\x92", b"\x96", b"\x97", b"\xe8"):  # ’ – — è as the us-2016 corpus has them
        assert byte in raw
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_a_windows_1252_side_text_is_decoded_and_said():
    res = imp("aif", DATA / "cp1252-aif.json")
    text = res.map.source.text
    assert text == (DATA / "cp1252-aif.txt").read_bytes().decode("cp1252")
    assert "that’s the point – the council’s own figures — and the café crème owner" in text
    assert any("cp1252-aif.txt is not UTF-8: read as Windows-1252 (detected by charset-normalizer)" in w
               for w in res.summary.warnings)
    assert res.summary.get("source text read from the .txt file beside the nodeset") == 1
    # the quotes were found in the decoded text, as for a UTF-8 one
    utf8 = imp("aif", DATA / "small-aif.json").map
    assert [n.quote for n in res.map.nodes] == [n.quote for n in utf8.nodes]


def test_an_undecidable_side_text_is_left_out_with_a_warning():
    res = imp("aif", DATA / "unsure-aif.json")
    assert any("unsure-aif.txt is not UTF-8, and its encoding cannot be told with confidence" in w
               and "without it" in w for w in res.summary.warnings)
    assert res.summary.get("source text read from the .txt file beside the nodeset") == 0
    assert len(res.map.nodes) == 5  # the map is there
    # what stands in for the text is argmap's own fallback: the locutions' transcript
    assert res.map.source.text == "Ann : crashes fell where the cameras went up\nBob : they just move the crashes\n"


def test_the_command_imports_and_writes_the_text_as_utf8(tmp_path):
    out = tmp_path / "m.yaml"
    r = run("import", DATA / "cp1252-aif.json", "-o", out)
    assert r.exit_code == 0, r.output
    assert "read as Windows-1252" in r.output
    assert "café crème" in out.with_suffix(".txt").read_text(encoding="utf-8")
    assert run("check", out).exit_code == 0


def test_a_map_file_that_is_not_utf8_is_still_refused(tmp_path):
    p = tmp_path / "nodeset.json"
    p.write_bytes((DATA / "small-aif.json").read_text(encoding="utf-8").replace("Ann", "Ann\u2019s").encode("cp1252"))
    r = run("import", p)
    assert r.exit_code == 2
    assert "not UTF-8" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("text, encoding", [
    ("The moderator said \u2013 and I quote \u2014 that it\u2019s over, and the caf\u00e9 cr\u00e8me is cold.\n" * 2,
     "cp1252"),
    ("Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144. Pan \u0160koda powiedzia\u0142, \u017ce to "
     "\u201edobre\u201d rozwi\u0105zanie dla nas wszystkich.\n", "cp1250"),
    ("\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? \u042d\u0442\u043e "
     "\u0442\u0435\u043a\u0441\u0442 \u043d\u0430 \u0440\u0443\u0441\u0441\u043a\u043e\u043c \u044f\u0437\u044b\u043a\u0435.\n",
     "cp1251"),
])
def test_decode_guess_reads_the_common_code_pages(text, encoding):
    from argmap.formats.aif import decode_guess

    got, name = decode_guess(text.encode(encoding))
    assert got == text
    assert name == {"cp1252": "Windows-1252", "cp1250": "Windows-1250", "cp1251": "Windows-1251"}[encoding]


@pytest.mark.parametrize("raw", [b"\x92\x96", "It\u2019s".encode("cp1252"), bytes(range(128, 256)) * 2])
def test_decode_guess_is_unsure_of_snippets_and_binary(raw):
    from argmap.formats.aif import decode_guess

    assert decode_guess(raw) == (None, None)


def test_charset_normalizer_is_imported_only_for_such_files():
    code = ("import sys; from argmap.formats import aif; from pathlib import Path; from argmap.io.files import read_text;"
            f"p = Path({str(DATA / 'small-aif.json')!r}); aif.import_aif(p, read_text(p));"
            "assert 'charset_normalizer' not in sys.modules, 'imported for a UTF-8 text';"
            f"p = Path({str(DATA / 'cp1252-aif.json')!r}); aif.import_aif(p, read_text(p));"
            "assert 'charset_normalizer' in sys.modules")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# --------------------------------------------------------------------------- import article.txt


def test_importing_an_article_suggests_extract(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("Cities should tax cars. Cars congest streets and foul the air.\n", encoding="utf-8")
    r = run("import", article)
    assert r.exit_code == 2
    assert f"run 'argmap extract {article}'" in r.output and "plain-text article" in r.output
    other = tmp_path / "notes.dat"
    other.write_text("Cities should tax cars.\n", encoding="utf-8")
    r = run("import", other)
    assert r.exit_code == 2 and "--from" in r.output and "argmap extract" in r.output


# --------------------------------------------------------------------------- Argdown front matter


def export_argdown(loaded) -> str:
    text, _ = resolve(EXPORTERS["argdown"])(loaded)
    return text


def front_matter(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines[0] == "==="
    return lines[1:lines.index("===", 1)]


def test_the_source_article_is_a_block_in_the_front_matter():
    loaded = load_map(SEED_MAP)
    text = export_argdown(loaded)
    fm = front_matter(text)
    article = (ROOT / "seeds" / "opportunity-knocks-nato-asia-pacific.txt").read_text(encoding="utf-8")
    assert "    text: |-" in fm or "    text: |" in fm
    # the article's paragraphs are lines of the export, as they are lines of the article
    paragraphs = [p for p in article.split("\n") if p.strip()]
    assert all(("      " + p.rstrip()) in [ln.rstrip() for ln in fm] for p in paragraphs[:5])
    assert max(len(ln) for ln in fm if not ln.startswith("      ")) < 120  # no one long JSON line
    back = resolve(IMPORTERS["argdown"])(Path("-"), text).map
    assert back.source.text == article
    assert back.title == loaded.map.title


@pytest.mark.parametrize("article", [
    "One line without a break at the end.",
    "Two paragraphs.\n\nThe second ends with a break.\n",
    "Trailing blank lines.\n\n\n",
    "  An indented first line.\nAnd a tab\there.\n",
    "A line that is only\n===\nwould close the front matter.\n",
    "Quotes \"here\" and 'there', a # hash, a // slash, a [bracket]: and <angle>.\n",
])
def test_the_front_matter_round_trips_any_article(article):
    loaded = load_text(
        "argmap: 1\ntitle: 'T: x'\nsource: {author: A}\n"
        "nodes:\n  - {id: t, kind: thesis, text: Something holds.}\n", name="m.yaml")
    loaded.map.source.text = article
    text = export_argdown(loaded)
    back = resolve(IMPORTERS["argdown"])(Path("-"), text).map
    assert back.source.text == article
    assert back.source.author == "A" and back.title == "T: x"
    if "\n===\n" in article:  # kept as one JSON string, so the front matter stays closed
        assert any(ln.startswith('argmap: {"title"') for ln in front_matter(text))
