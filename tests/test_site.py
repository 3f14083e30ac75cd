"""argmap site: the index, the pages, the links, determinism and the safe rebuild.

The browser side (search, links clicked in Chromium) is in tests/test_site_browser.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from argmap.cli import app
from conftest import ROOT, SEED_MAP

SITE_DATA = ROOT / "tests" / "data" / "site"
EDITORIAL = SITE_DATA / "parking-editorial.yaml"
CURBS = SITE_DATA / "parking-curbs.json"


def run(*args, cwd: Path | None = None):
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return CliRunner().invoke(app, ["site", *map(str, args)], catch_exceptions=False)
    finally:
        os.chdir(old)


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.rows: list[dict] = []
        self.data = None
        self._in_data = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "tr" and "data-slug" in a:
            self.rows.append(a)
        self._in_data = tag == "script" and a.get("id") == "site-data"

    def handle_data(self, data):
        if self._in_data:
            self.data = json.loads(data)
            self._in_data = False


def parse(html: str) -> Links:
    p = Links()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The seed map and the two parking maps (same article), as one site."""
    out = tmp_path_factory.mktemp("site") / "site"
    r = run(SEED_MAP, SITE_DATA, "-o", out, cwd=ROOT)
    assert r.exit_code == 0, r.output
    return out


def test_the_files_of_a_site(built):
    files = tree(built)
    assert sorted(files) == [
        ".argmap-site", ".nojekyll", "index.html",
        "maps/maps--nato-asia-pacific.html",
        "maps/tests--data--site--parking-curbs.html",
        "maps/tests--data--site--parking-editorial.html",
    ]
    assert files[".nojekyll"] == b""
    # nothing says where the repository was checked out: the same maps give the same site anywhere
    assert not [rel for rel, data in files.items() if str(ROOT).encode() in data]
    assert b'<div class="file">maps/nato-asia-pacific.yaml</div>' in files["index.html"]


def test_the_index_lists_each_map_with_its_facts(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr data-slug=.*?</tr>", index, re.S)
    assert len(rows) == 3
    seed, curbs, editorial = rows  # sorted by file name
    assert "Opportunity knocks for NATO" in seed and "Mirna Galic · Atlantic Council" in seed
    assert "<b>59</b>" in seed and "22 claims" in seed and "1 thesis" in seed and "5 objections" in seed
    assert "no problems" in seed and ">100%<" in seed
    assert "Trade parking minimums for transit passes" in editorial
    assert "The Editorial Board · City Desk" in editorial
    assert "1 recommendation" in editorial and "1 premise" in editorial
    assert "1 warning" in editorial  # AM107: the recommendation has no support
    assert re.search(r"title=\"\d+ of \d+ sentences quoted\">\d+%<", editorial)
    assert "Price the curb by demand" in curbs and "2 claims" in curbs


def test_maps_of_the_same_article_link_to_each_other(built):
    index = (built / "index.html").read_text(encoding="utf-8")
    seed, curbs, editorial = re.findall(r"<tr data-slug=.*?</tr>", index, re.S)
    # the same source text (SHA-256), though only one of them names a url
    assert 'class="related" href="maps/tests--data--site--parking-editorial.html"' in curbs
    assert 'class="related" href="maps/tests--data--site--parking-curbs.html"' in editorial
    assert 'class="related"' not in seed
    page = (built / "maps" / "tests--data--site--parking-curbs.html").read_text(encoding="utf-8")
    assert 'href="tests--data--site--parking-editorial.html"' in page
    assert 'href="../index.html"' in page


def test_the_same_url_links_maps_without_a_readable_text(tmp_path):
    for name in ("a", "b", "c"):
        url = "https://example.org/x" if name != "c" else "https://example.org/y"
        (tmp_path / f"{name}.yaml").write_text(
            f"argmap: 1\ntitle: Map {name}\nsource: {{url: '{url}'}}\n"
            "nodes:\n  - {id: t, kind: thesis, text: Something holds.}\n", encoding="utf-8")
    r = run(tmp_path, "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    a, b, c = re.findall(r"<tr data-slug=.*?</tr>", index, re.S)
    assert 'href="maps/b.html"' in a and 'href="maps/a.html"' in b
    assert 'class="related"' not in c


def test_every_link_is_relative_and_leads_to_a_file(built):
    for rel in ("index.html", *(f"maps/{p.name}" for p in (built / "maps").iterdir())):
        html = (built / rel).read_text(encoding="utf-8")
        links = parse(html)
        assert not links.srcs, f"{rel} loads {links.srcs}"
        for href in links.hrefs:
            if href.startswith("#"):
                continue
            if href.startswith("https://"):  # the source's own url, a link the reader may follow
                assert href == "https://example.org/parking-minimums", href
                continue
            assert not re.match(r"^[a-z]+:|^/", href), f"{rel}: {href} is not relative"
            assert (built / rel).parent.joinpath(href.split("#")[0]).resolve().is_file(), f"{rel}: {href}"
        assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_the_search_index_holds_every_node(built):
    data = parse((built / "index.html").read_text(encoding="utf-8")).data
    assert [m[1] for m in data["maps"]] == [
        "Opportunity knocks for NATO and its partners in the Asia-Pacific",
        "Price the curb by demand",
        "Trade parking minimums for transit passes",
    ]
    by_map = {}
    for i, nid, kind, text in data["nodes"]:
        by_map.setdefault(i, []).append(nid)
    assert len(by_map[0]) == 59 and by_map[1] == ["thesis", "claim-circling", "claim-open-spaces"]
    assert set(by_map[2]) == {"thesis", "claim-cost", "rec-transit-pass", "obj-flood", "premise-minneapolis"}
    assert [1, "claim-circling", "claim", "Free street parking makes drivers circle the block."] in data["nodes"]


def test_each_page_is_the_html_view_with_a_bar(built):
    from argmap.io.loading import load_map
    from argmap.views.html import render_page

    page = (built / "maps" / "maps--nato-asia-pacific.html").read_text(encoding="utf-8")
    assert page.count('<nav id="site-bar"') == 1
    assert '<a id="site-index" href="../index.html"' in page
    loaded = load_map(SEED_MAP)
    view = render_page(loaded)
    assert re.sub(r'<nav id="site-bar".*?</nav>', "", page, count=1, flags=re.S) == view


def test_a_rebuild_is_byte_identical(built, tmp_path):
    before = tree(built)
    r = run(SEED_MAP, SITE_DATA, "-o", built, cwd=ROOT)
    assert r.exit_code == 0, r.output
    assert tree(built) == before
    other = tmp_path / "again"
    r = run(SEED_MAP, SITE_DATA, "-o", other, cwd=ROOT)
    assert r.exit_code == 0, r.output
    assert tree(other) == before
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".site.")], "a staging folder was left"


def test_it_refuses_a_folder_argmap_did_not_write(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "guide.md").write_text("mine\n", encoding="utf-8")
    r = run(EDITORIAL, "-o", docs)
    assert r.exit_code == 2
    assert "was not written by 'argmap site'" in r.output and "--force" in r.output
    assert sorted(p.name for p in docs.iterdir()) == ["guide.md"]
    r = run(EDITORIAL, "-o", docs, "--force")
    assert r.exit_code == 0, r.output
    assert (docs / ".argmap-site").is_file() and not (docs / "guide.md").exists()


def test_an_empty_or_new_folder_is_fine(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run(EDITORIAL, "-o", tmp_path / "empty").exit_code == 0
    assert run(EDITORIAL, "-o", tmp_path / "new" / "deeper").exit_code == 0
    assert (tmp_path / "new" / "deeper" / "index.html").is_file()


def test_it_never_replaces_the_maps_or_the_current_folder(tmp_path):
    shutil.copy(EDITORIAL, tmp_path / "m.yaml")
    shutil.copy(SITE_DATA / "parking.txt", tmp_path / "parking.txt")
    r = run(tmp_path / "m.yaml", "-o", tmp_path, "--force")
    assert r.exit_code == 2 and "holds the map" in r.output
    r = run("m.yaml", "-o", ".", "--force", cwd=tmp_path)
    assert r.exit_code == 2 and "current folder" in r.output
    assert (tmp_path / "m.yaml").is_file()
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    r = run(tmp_path / "m.yaml", "-o", tmp_path / "afile")
    assert r.exit_code == 2 and "not a folder" in r.output


def test_a_failed_build_leaves_the_old_site(tmp_path, monkeypatch):
    from argmap.views import site

    out = tmp_path / "out"
    assert run(EDITORIAL, "-o", out).exit_code == 0
    before = tree(out)

    def broken(stage, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(site, "_swap_in", broken)
    r = run(EDITORIAL, CURBS, "-o", out)
    assert r.exit_code == 2
    assert "No space left on device" in r.output and "left as it was" in r.output
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_swap_without_an_atomic_exchange(tmp_path, monkeypatch):
    from argmap.views import site

    out = tmp_path / "out"
    assert run(EDITORIAL, "-o", out).exit_code == 0
    monkeypatch.setattr(site, "_exchange", lambda a, b: False)
    assert run(EDITORIAL, CURBS, "-o", out).exit_code == 0
    assert len(list((out / "maps").iterdir())) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_exclude_leaves_maps_out(tmp_path):
    r = run(SITE_DATA, "-o", tmp_path / "out", "--exclude", "*.json")
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in (tmp_path / "out" / "maps").iterdir()) == ["parking-editorial.html"]
    r = run(SITE_DATA, "-o", tmp_path / "out", "--exclude", "*/site/parking-e*")
    assert sorted(p.name for p in (tmp_path / "out" / "maps").iterdir()) == ["parking-curbs.html"]


def test_site_takes_the_files_check_takes(tmp_path):
    """The site is built from argmap.io.files.find_maps, the walker check uses."""
    from argmap.io.files import find_maps

    found = [name for name, _ in find_maps([SITE_DATA])]
    r = run(SITE_DATA, "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    assert len(list((tmp_path / "out" / "maps").glob("*.html"))) == len(found)


def test_a_broken_map_is_listed_without_a_page(tmp_path):
    shutil.copy(EDITORIAL, tmp_path / "good.yaml")
    shutil.copy(SITE_DATA / "parking.txt", tmp_path / "parking.txt")
    (tmp_path / "broken.yaml").write_text("argmap: 1\nnodes:\n  - {id: x, kind: nonsense, text: T}\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("just: some settings\n", encoding="utf-8")  # not a map: left out
    r = run(tmp_path, "-o", tmp_path / "out")
    assert r.exit_code == 1
    assert "broken.yaml" in r.output and "1 map listed without a page" in r.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "does not load" in index and "notes" not in index
    assert sorted(p.name for p in (tmp_path / "out" / "maps").iterdir()) == ["good.html"]


def test_a_file_named_that_is_not_a_map_is_left_out_with_a_note(tmp_path):
    shutil.copy(EDITORIAL, tmp_path / "good.yaml")
    shutil.copy(SITE_DATA / "parking.txt", tmp_path / "parking.txt")
    (tmp_path / "notes.yaml").write_text("just: some settings\n", encoding="utf-8")
    r = run(tmp_path / "good.yaml", tmp_path / "notes.yaml", "-o", tmp_path / "out")
    assert r.exit_code == 0
    assert "notes.yaml: not an argmap map" in r.output and "left out of the site" in r.output
    assert sorted(p.name for p in (tmp_path / "out" / "maps").iterdir()) == ["good.html"]


def test_no_maps_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run(tmp_path / "empty", "-o", tmp_path / "out")
    assert r.exit_code == 2 and "no maps found" in r.output
    assert not (tmp_path / "out").exists()
    r = run(cwd=tmp_path)
    assert r.exit_code == 2 and "no maps/ folder" in r.output
    assert run("-", "-o", tmp_path / "out").exit_code == 2


def test_map_text_is_escaped_in_the_index(tmp_path):
    (tmp_path / "evil.yaml").write_text(
        "argmap: 1\ntitle: '<script>alert(1)</script>'\nsource: {author: '<b>x</b>'}\nnodes:\n"
        "  - {id: t, kind: thesis, text: '</script><script>alert(2)</script>'}\n", encoding="utf-8")
    r = run(tmp_path, "-o", tmp_path / "out")
    assert r.exit_code == 0, r.output
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in index and "<b>x</b>" not in index
    assert index.count("<script") == 2  # the data and the code, nothing else


def test_no_progress_bar_off_a_terminal(tmp_path):
    r = run(SITE_DATA, "-o", tmp_path / "out")
    assert r.output.strip().splitlines() == [f"wrote {tmp_path / 'out'}/index.html and 2 map pages"]


def test_a_progress_bar_on_a_terminal(tmp_path):
    """stderr on a pseudo-terminal: the bar (rich) shows the maps counted, then goes away."""
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    env = {**os.environ, "ARGMAP_PROGRESS_AFTER": "0", "COLUMNS": "120"}
    proc = subprocess.run([sys.executable, "-m", "argmap.cli", "site", str(SEED_MAP), str(SITE_DATA),
                           "-o", str(tmp_path / "out")], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=slave, env=env, cwd=ROOT, timeout=120)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    seen = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "building the site" in seen and "3/3" in seen
    assert "wrote " in seen and (tmp_path / "out" / "index.html").is_file()
