"""Every command × every reader × every kind of broken input, run as users run argmap.

Each case runs the installed ``argmap`` script in a subprocess with a time
limit (a hang fails the test) and asserts: the documented exit code, one
clear message that names the input, no traceback and no "internal error",
and the input file left byte for byte as it was.

Expected exit codes: 1 for content that is broken (empty, truncated, the
wrong format for its suffix), 2 for input that cannot be read at all
(missing, a directory, binary, not UTF-8), 0 for a valid file that starts
with a UTF-8 byte-order mark. Where a command documents something else, the
row says so (``check`` searches folders; ``extract`` treats an empty article
as a usage error).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT, SEED_MAP

HERE = Path(__file__).resolve().parent
HOSTILE = HERE / "data" / "hostile"
EXE = Path(sys.executable).with_name("argmap")
TIMEOUT = 120  # seconds; generous for a loaded CI machine, but a hang fails

MICRO_XML = """<?xml version='1.0' encoding='UTF-8' ?>
<arggraph id="m1" topic_id="pets" stance="pro">
  <edu id="e1"><![CDATA[Cats are better pets than dogs.]]></edu>
  <edu id="e2"><![CDATA[They need no walks.]]></edu>
  <adu id="a1" type="pro" />
  <adu id="a2" type="pro" />
  <edge id="c1" src="e1" trg="a1" type="seg" />
  <edge id="c2" src="e2" trg="a2" type="seg" />
  <edge id="c3" src="a2" trg="a1" type="sup" />
</arggraph>
"""

ARTICLE = (
    "Cats are better pets than dogs. They need no walks, so busy owners cope. "
    "But dogs protect the house. Still, an alarm does that better.\n"
)


def run(args: list[str], *, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("GITHUB_ACTIONS", None)
    env.pop("ARGMAP_DEBUG", None)
    try:
        return subprocess.run(
            [str(EXE), *args], input=stdin, capture_output=True, timeout=TIMEOUT, cwd=cwd, env=env,
            stdin=None if stdin is not None else subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"argmap {' '.join(args)} did not finish in {TIMEOUT} s")


@pytest.fixture(scope="module")
def valid_inputs(tmp_path_factory) -> dict[str, bytes]:
    """A valid file per reader; the foreign formats are argmap's own exports of a small map."""
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    folder = tmp_path_factory.mktemp("valid")
    source = HOSTILE / "valid.yaml"
    out = {"yaml": source.read_bytes(), "micro": MICRO_XML.encode(), "txt": ARTICLE.encode()}
    for reader, fmt in (("json", "json"), ("argdown", "argdown"), ("aif", "aif"), ("sadface", "sadface")):
        res = run(["export", str(source), "--to", fmt])
        assert res.returncode == 0, res.stderr.decode()
        out[reader] = res.stdout
    return out


SUFFIX = {"yaml": ".yaml", "json": ".json", "argdown": ".argdown", "aif": ".json", "sadface": ".json",
          "micro": ".xml", "txt": ".txt"}
FROM = {"argdown": "argdown", "aif": "aif", "sadface": "sadface", "micro": "microtexts"}
# another reader's valid content: the wrong format for this suffix
WRONG = {"yaml": "aif", "json": "yaml", "argdown": "aif", "aif": "yaml", "sadface": "argdown", "micro": "argdown",
         "txt": None}

RANDOM = random.Random(20261127).randbytes(4096)
# invalid UTF-8 without NUL bytes: the "not UTF-8 text" path rather than "binary"
LATIN1 = {
    "txt": "Le café est bon, car il est chaud. Mais il coûte cher.\n".encode("latin-1"),
    "micro": "<?xml version='1.0'?><arggraph id='x'><edu id='e1'>café</edu></arggraph>".encode("latin-1"),
}
LATIN1_MAP = "argmap: 1\ntitle: Café\nnodes: []\n".encode("latin-1")

CLASSES = ["empty", "whitespace", "truncated", "random-bytes", "latin-1", "bom", "directory", "missing",
           "wrong-format"]
DEFAULT_CODES = {"empty": 1, "whitespace": 1, "truncated": 1, "random-bytes": 2, "latin-1": 2, "bom": 0,
                 "directory": 2, "missing": 2, "wrong-format": 1}


def content(cls: str, reader: str, valid: dict[str, bytes]) -> bytes | None:
    v = valid[reader]
    if cls == "empty":
        return b""
    if cls == "whitespace":
        return b"  \n\t\n   \n"
    if cls == "truncated":
        return v[: len(v) * 2 // 3]
    if cls == "random-bytes":
        return RANDOM
    if cls == "latin-1":
        return LATIN1.get(reader, LATIN1_MAP)
    if cls == "bom":
        return b"\xef\xbb\xbf" + v
    if cls == "wrong-format":
        other = WRONG[reader]
        return valid[other] if other else RANDOM[:64] + b"\x00"
    return None  # directory, missing


@dataclass
class Command:
    name: str  # the argmap command (a row is skipped until it exists)
    argv: list[str]  # with {in}, {out}, {from}, {valid}
    readers: list[str]
    codes: dict[str, int] = field(default_factory=dict)  # overrides of DEFAULT_CODES, documented
    reader_codes: dict[tuple[str, str], int] = field(default_factory=dict)
    stdout_report: bool = False  # messages go to stdout (check's report), not stderr
    xfail: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return " ".join(a for a in self.argv if "{" not in a)


MAP_READERS = ["yaml", "json"]
DIFF_CODES = {"empty": 2, "whitespace": 2, "truncated": 2, "wrong-format": 2}
COMMANDS = [
    Command("check", ["check", "{in}"], MAP_READERS,
            # a named empty file is an empty map (exit 1, like every reader);
            # a folder is searched for maps (an empty one holds none)
            codes={"directory": 0}, stdout_report=True),
    Command("show", ["show", "{in}"], MAP_READERS),
    Command("render", ["render", "{in}", "-o", "{out}.svg"], MAP_READERS),
    Command("export", ["export", "{in}", "--to", "json"], MAP_READERS),
    Command("export", ["export", "{in}", "--to", "aif", "-o", "{out}.json"], MAP_READERS),
    Command("fmt", ["fmt", "{in}"], MAP_READERS, codes={"directory": 0}),  # a folder is searched for maps
    # diff documents exit 1 as "the argument changed" (like diff(1)), so a map that does not load is 2
    Command("diff", ["diff", "{in}", "{valid}"], MAP_READERS, codes=DIFF_CODES),
    Command("diff", ["diff", "{valid}", "{in}"], MAP_READERS, codes=DIFF_CODES),
    Command("import", ["import", "{in}", "-q"], ["argdown", "aif", "sadface", "micro"],
            reader_codes={("argdown", "truncated"): 0}),  # Argdown is line based: half a file is a smaller map
    Command("import", ["import", "{in}", "-q", "--from", "{from}", "-o", "{out}.yaml"],
            ["argdown", "aif", "sadface", "micro"],
            reader_codes={("argdown", "truncated"): 0}),
    # site: a named map that does not load leaves nothing to publish (exit 1, the old site kept)
    Command("site", ["site", "{in}", "-o", "{out}"], MAP_READERS),
    Command("accept", ["accept", "{in}", "--all"], MAP_READERS, codes={"bom": 2}),  # a valid map without drafts: 2
    # review loads the map before it asks for a terminal: a broken map is 1, a valid one without
    # a terminal (as here) 2
    Command("review", ["review", "{in}"], MAP_READERS, codes={"bom": 2}),
    Command("extract", ["extract", "{in}"], ["txt"],
            # an empty article is a usage error (nothing to draft); half an article is still an article
            codes={"empty": 2, "whitespace": 2, "truncated": 0, "wrong-format": 2}),
    Command("extract", ["extract", "{in}", "-o", "{out}.yaml"], ["txt"],
            codes={"empty": 2, "whitespace": 2, "truncated": 0, "wrong-format": 2}),
]


def available_commands() -> set[str]:
    return {p.stem.rstrip("_") for p in (ROOT / "src" / "argmap" / "commands").glob("*.py")
            if not p.name.startswith("__")}


def cases():
    for cmd in COMMANDS:
        for reader in cmd.readers:
            for cls in CLASSES:
                marks = []
                if (reader, cls) in cmd.xfail:
                    marks.append(pytest.mark.xfail(reason=cmd.xfail[reader, cls], strict=True))
                yield pytest.param(cmd, reader, cls, id=f"{cmd.id}-{reader}-{cls}", marks=marks)


def test_every_command_has_a_row():
    """A new command must join the hostile-input matrix."""
    rows = {c.name for c in COMMANDS}
    missing = available_commands() - rows - {"schema", "rule"}  # schema and rule read no input
    assert not missing, f"add rows for {sorted(missing)} to COMMANDS"


def need_command(name: str) -> None:
    if name not in available_commands():
        if os.environ.get("CI"):
            pytest.fail(f"the {name} command does not exist yet")
        pytest.skip(f"the {name} command does not exist yet")


@pytest.mark.parametrize(("cmd", "reader", "cls"), list(cases()))
def test_broken_input(cmd: Command, reader: str, cls: str, valid_inputs, tmp_path):
    need_command(cmd.name)
    path = tmp_path / f"input{SUFFIX[reader]}"
    data = content(cls, reader, valid_inputs)
    if cls == "directory":
        path.mkdir()
    elif data is not None:
        path.write_bytes(data)
    valid = tmp_path / "other.yaml"
    valid.write_bytes(valid_inputs["yaml"])
    args = [a.replace("{in}", str(path)).replace("{out}", str(tmp_path / "out")).replace("{from}", FROM.get(reader, ""))
            .replace("{valid}", str(valid)) for a in cmd.argv]
    res = run(args, cwd=tmp_path)
    out, err = res.stdout.decode("utf-8", "replace"), res.stderr.decode("utf-8", "replace")
    expected = cmd.reader_codes.get((reader, cls), cmd.codes.get(cls, DEFAULT_CODES[cls]))
    context = f"argmap {' '.join(args)}\n--- stdout\n{out[-2000:]}\n--- stderr\n{err[-2000:]}"
    assert "Traceback" not in out + err, context
    assert "internal error" not in out + err, context
    assert res.returncode == expected, context
    if data is not None:
        assert path.read_bytes() == data or (cmd.name == "fmt" and cls == "bom"), "the input was changed"
    if expected != 0 or cls in ("empty", "whitespace"):
        messages = out if cmd.stdout_report else err
        lines = [ln for ln in messages.splitlines() if ln.strip()]
        naming = [ln for ln in lines if str(path) in ln or path.name in ln]
        assert naming, f"no message names the input\n{context}"
        if not cmd.stdout_report:
            assert len(lines) <= 3, f"more than one clear message\n{context}"
    if expected != 0:
        assert not list(tmp_path.glob("out*")), "a failed run wrote an output file"


STDIN_COMMANDS = [
    # standard input is always taken as a map: empty input is an empty map (exit 1), not a skipped file
    Command("check", ["check", "-"], MAP_READERS, stdout_report=True),
    Command("show", ["show", "-"], MAP_READERS),
    Command("export", ["export", "-", "--to", "json"], MAP_READERS),
    Command("fmt", ["fmt", "-"], MAP_READERS),
    Command("import", ["import", "-", "-q", "--from", "aif"], ["aif"]),
    Command("extract", ["extract", "-"], ["txt"], codes={"empty": 2, "whitespace": 2, "truncated": 0}),
]


@pytest.mark.parametrize(
    ("cmd", "cls"),
    [pytest.param(c, cls, id=f"{c.id}-{cls}") for c in STDIN_COMMANDS
     for cls in ("empty", "whitespace", "truncated", "random-bytes", "latin-1", "bom")],
)
def test_broken_standard_input(cmd: Command, cls: str, valid_inputs, tmp_path):
    need_command(cmd.name)
    reader = cmd.readers[0]
    data = content(cls, reader, valid_inputs)
    res = run(cmd.argv, stdin=data, cwd=tmp_path)
    out, err = res.stdout.decode("utf-8", "replace"), res.stderr.decode("utf-8", "replace")
    context = f"argmap {' '.join(cmd.argv)} < {cls}\n--- stdout\n{out[-2000:]}\n--- stderr\n{err[-2000:]}"
    assert "Traceback" not in out + err and "internal error" not in out + err, context
    assert res.returncode == cmd.codes.get(cls, DEFAULT_CODES[cls]), context
    if res.returncode != 0:
        assert (out if cmd.stdout_report else err).strip(), context


def test_big_input_on_stdin_is_capped(tmp_path):
    """An endless stream on standard input is cut at the size limit, with a clear message."""
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    env = {**os.environ, "ARGMAP_MAX_BYTES": "100000"}
    with subprocess.Popen(["yes", "title: x"], stdout=subprocess.PIPE) as yes:
        try:
            res = subprocess.run([str(EXE), "export", "-", "--to", "json"], stdin=yes.stdout,
                                 capture_output=True, timeout=TIMEOUT, env=env)
        finally:
            yes.kill()
    assert res.returncode == 2
    assert res.stderr.decode().strip() == (
        "argmap: standard input: map is over the limit of 100,000 bytes (raise it with ARGMAP_MAX_BYTES "
        "or max-file-size)."
    )


def test_seed_map_still_works_for_every_reading_command(tmp_path):
    """The matrix's counterpart: good input passes through every command that reads a map."""
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    for args in (["check", str(SEED_MAP)], ["export", str(SEED_MAP), "--to", "aif"]):
        res = run(args, cwd=tmp_path)
        assert res.returncode == 0, res.stderr.decode()
