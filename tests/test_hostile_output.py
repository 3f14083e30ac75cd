"""Map content must not drive the terminal or a CI log: no escape sequences, no injected lines.

A map's text may hold ESC sequences (retitle the terminal, write the clipboard,
hide text), bidirectional overrides, and line breaks followed by
``::error::`` (a GitHub Actions workflow command when it starts a line).
Diagnostics and error messages print them as visible escapes on one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from argmap.map.diagnostics import Diagnostic, Severity, printable
from argmap.map.errors import MapInvalid, Unreadable
from argmap.io.loading import load_map

EXE = Path(sys.executable).with_name("argmap")
NASTY = "Cats \x1b[31mRED\x1b[0m \x1b]0;TITLE\x07 \x1b]52;c;ZWNobyBwd25lZA==\x07 safe\u202etxt.exe\n::error::injected\r\x85\u2028x"


def test_printable_escapes_controls_and_bidi():
    assert printable("plain é 😀 עברית 中文") == "plain é 😀 עברית 中文"
    assert printable("a\x1b[31mb") == "a\\x1b[31mb"
    assert printable("x\u202ey\u2066z") == "x\\u202ey\\u2066z"
    assert printable("one\ntwo\r\nthree\tfour") == "one two  three four"


@given(st.text())
def test_printable_is_always_one_safe_line(text):
    out = printable(text)
    assert "\n" not in out and "\r" not in out
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in out)
    assert not any(c in out for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_diagnostics_and_errors_are_sanitized():
    d = Diagnostic("AM203", "quote-not-found", Severity.ERROR, f"quote {NASTY!s} not found", "m.yaml", 2, 3)
    assert "\x1b" not in d.format() and "\n" not in d.format() and "\x07" not in d.format()
    assert "\\x1b]0;TITLE\\x07" in d.message
    assert "\x1b" not in d.with_(message="again \x1b[2J").message
    assert Unreadable(f"{NASTY}: no such file.").message.count("\n") == 0
    assert "\x1b" not in str(MapInvalid("x\x1b[2J"))


def test_loader_messages_about_hostile_content(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"argmap": 1, "nodes": [{"id": "a", "kind": NASTY, "text": "t"}]}))
    with pytest.raises(MapInvalid) as info:
        load_map(path)
    line = info.value.diagnostics[0].format()
    assert "\x1b" not in line and "\n" not in line


@pytest.mark.parametrize("fmt", ["text", "github", "json", "sarif"])
def test_check_report_carries_no_escapes_or_injected_lines(tmp_path, fmt):
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"argmap": 1, "source": {"text": "Cats are better pets."}, "nodes": [
        {"id": "t", "kind": "thesis", "text": NASTY, "quote": NASTY, "tags": [NASTY], "note": NASTY},
    ]}))
    res = subprocess.run([str(EXE), "check", str(path), "--format", fmt, "--color", "never"], capture_output=True,
                         timeout=120, env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
    out = res.stdout.decode() + res.stderr.decode()
    assert res.returncode == 1, out  # the quote is not in the source
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert not any(line.startswith("::error::injected") for line in out.splitlines())
    if fmt == "github":
        assert all(line.startswith("::") or line.startswith("argmap check:") for line in out.splitlines() if line)
