"""The corpus of nasty inputs in tests/data/hostile: each file with the message it must produce.

Every ``NAME.expected`` beside a file holds the command to run (``argv:``,
with ``{file}`` for the file), the exit code (``exit:``) and the exact
standard error. The installed script runs in the corpus folder, so messages
name the file as ``NAME``. Regenerate nothing automatically: a changed
message is a reviewed change.
"""

from __future__ import annotations

import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from argmap.map.errors import ArgmapError
from argmap.io.loading import load_map

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
EXE = Path(sys.executable).with_name("argmap")
TIMEOUT = 60


def corpus():
    for expected in sorted(HOSTILE.glob("*.expected")):
        yield pytest.param(expected, id=expected.name[: -len(".expected")])


def parse_expected(path: Path) -> tuple[list[str], int, str]:
    head, code, rest = path.read_text(encoding="utf-8").split("\n", 2)
    assert head.startswith("argv: ") and code.startswith("exit: "), path
    return head[len("argv: "):].split(" "), int(code[len("exit: "):]), rest


def test_every_corpus_file_has_its_expected_message():
    inputs = {p.name for p in HOSTILE.iterdir() if p.suffix in (".yaml", ".json", ".xml")} - {"valid.yaml"}
    described = {p.name[: -len(".expected")] for p in HOSTILE.glob("*.expected")}
    assert inputs == described


@pytest.mark.parametrize("expected_file", list(corpus()))
def test_corpus_message(expected_file: Path, tmp_path):
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    name = expected_file.name[: -len(".expected")]
    argv, code, stderr = parse_expected(expected_file)
    # run on a copy, so a command that wrongly wrote its input could not damage the corpus
    shutil.copy(HOSTILE / name, tmp_path / name)
    before = (tmp_path / name).read_bytes()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    start = time.monotonic()
    res = subprocess.run([str(EXE), *(a.replace("{file}", name) for a in argv)], cwd=tmp_path,
                         capture_output=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    assert res.stderr.decode("utf-8", "replace") == stderr
    assert res.returncode == code
    assert (tmp_path / name).read_bytes() == before
    assert elapsed < TIMEOUT / 2  # bombs are refused quickly, not after expanding


@pytest.mark.parametrize(
    "name", [p.name[: -len(".expected")] for p in sorted(HOSTILE.glob("*.expected"))
             if p.read_text().startswith("argv: export ")],
)
def test_corpus_maps_in_process_raise_only_argmap_errors(name, monkeypatch):
    """The same files through the library: an ArgmapError whose text is the CLI's message."""
    monkeypatch.chdir(HOSTILE)
    argv, code, stderr = parse_expected(HOSTILE / f"{name}.expected")
    with pytest.raises(ArgmapError) as info:
        load_map(name)
    assert info.value.exit_code == code
    diagnostics = getattr(info.value, "diagnostics", None)
    shown = "".join(d.format() + "\n" for d in diagnostics) if diagnostics else f"argmap: {info.value}\n"
    assert shown == stderr


def test_python_tag_did_not_run(tmp_path):
    assert not Path("/tmp/argmap-pwned").exists()


def test_external_dtd_is_never_fetched(tmp_path):
    """An XML file naming an external DTD: the importer must not make a network request for it."""
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<!ENTITY leak SYSTEM "file:///etc/hostname">')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        xml = (HOSTILE / "xml-external-dtd.xml").read_text().replace("127.0.0.1:9", f"127.0.0.1:{port}")
        (tmp_path / "ext.xml").write_text(xml)
        res = subprocess.run([str(EXE), "import", "ext.xml", "-q"], cwd=tmp_path, capture_output=True,
                             timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    finally:
        server.shutdown()
    assert hits == []
    assert "Traceback" not in res.stderr.decode()
    assert res.returncode in (0, 1)
