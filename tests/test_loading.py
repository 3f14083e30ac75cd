"""The loader: valid maps, every class of invalid input with its exact position, limits."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pytest

from argmap.io import loading
from argmap.map.errors import ArgmapError, MapInvalid, Unreadable, UsageError
from argmap.io.files import read_text
from argmap.io.loading import load_map, load_text, parse_yaml

from conftest import SEED_MAP

NODE = "  - id: a\n    kind: claim\n    text: A claim.\n"


def one(text: str, name: str = "m.yaml") -> str:
    """The single diagnostic a broken map gives, formatted."""
    with pytest.raises(MapInvalid) as info:
        load_text(text, name=name)
    assert info.value.exit_code == 1
    assert len(info.value.diagnostics) == 1, info.value.diagnostics
    return info.value.diagnostics[0].format()


# --------------------------------------------------------------------------- valid maps


def test_seed_map_loads_with_positions():
    loaded = load_map(SEED_MAP)
    assert loaded.fmt == "yaml"
    assert len(loaded.map.nodes) == 59
    lines = loaded.text.splitlines()
    for i, node in enumerate(loaded.map.nodes):
        line, col = loaded.node_position(i)
        # the position of a list item is its first key: "id: <the id>"
        assert lines[line - 1][col - 1 :].startswith(f"id: {node.id}"), (i, line, col)


def test_minimal_map_and_relation_forms():
    text = (
        "argmap: 1\nnodes:\n"
        "  - id: t\n    kind: thesis\n    text: T.\n"
        "  - id: p1\n    kind: premise\n    text: P1.\n"
        "    supports: [t, {to: t, with: [p2], scheme: Expert opinion}]\n"
        "  - id: p2\n    kind: premise\n    text: P2.\n"
        "  - id: u\n    kind: objection\n    text: U.\n    undercuts: [p1->t]\n"
    )
    amap = load_text(text).map
    p1 = amap.node("p1")
    assert [r.to for r in p1.supports] == ["t", "t"]
    assert p1.supports[0].simple and not p1.supports[1].simple
    assert p1.supports[1].with_ == ["p2"] and p1.supports[1].scheme == "Expert opinion"
    assert amap.node("u").undercuts == ["p1->t"]


def test_yaml_and_json_give_equal_maps(tmp_path):
    from argmap.io.writing import dumps

    yaml_loaded = load_map(SEED_MAP)
    path = tmp_path / "seed.json"
    path.write_text(dumps(yaml_loaded.map, "json"), encoding="utf-8")
    json_loaded = load_map(path)
    assert json_loaded.fmt == "json"
    assert json_loaded.map == yaml_loaded.map
    # and the JSON positions resolve too (found on demand with json's scanner)
    assert json_loaded.node_position(3)[0] is not None


def test_yaml_1_2_scalars_stay_strings():
    text = "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: no\n    note: 2024-01-01\n    tags: [yes, off]\n"
    node = load_text(text).map.nodes[0]
    assert node.text == "no" and node.note == "2024-01-01" and node.tags == ["yes", "off"]


def test_format_is_sniffed_for_stdin_and_unknown_suffixes():
    assert load_text('{"argmap": 1, "nodes": []}', name="-").fmt == "json"
    assert load_text("argmap: 1\nnodes: []\n", name="-").fmt == "yaml"


# --------------------------------------------------------------------------- invalid input, exact positions

INVALID = [
    pytest.param(
        "argmap: 1\nnodes: [\n", "m.yaml",
        "m.yaml:3:1: error: YAML syntax error: did not find expected node content [AM001 syntax-error]",
        id="yaml-syntax",
    ),
    pytest.param(
        '{"argmap": 1,\n "nodes": [}', "m.json",
        "m.json:2:12: error: JSON syntax error: Expecting value [AM001 syntax-error]",
        id="json-syntax",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    suports: [b]\n", "m.yaml",
        "m.yaml:6:5: error: unknown field 'suports' in nodes[0] (did you mean 'supports'?) [AM002 schema-error]",
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        "argmap: 1\ntitel: x\nnodes: []\n", "m.yaml",
        "m.yaml:2:1: error: unknown field 'titel' in document (did you mean 'title'?) [AM002 schema-error]",
        id="unknown-top-field",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    supports: [{to: b, wth: [c]}]\n", "m.yaml",
        "m.yaml:6:24: error: unknown field 'wth' in nodes[0].supports[0] (did you mean 'with'?) [AM002 schema-error]",
        id="unknown-relation-field",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: [x]\n", "m.yaml",
        "m.yaml:5:11: error: nodes[0].text: expected text, found a list [AM002 schema-error]",
        id="wrong-type",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    supports: 5\n", "m.yaml",
        "m.yaml:6:15: error: nodes[0].supports: expected a list, found the number 5 [AM002 schema-error]",
        id="wrong-type-list",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - id: a\n    kind: clam\n    text: x\n", "m.yaml",
        "m.yaml:4:11: error: nodes[0].kind: 'clam' is not a node kind (one of thesis, claim, premise, "
        "recommendation, objection); did you mean 'claim'? [AM002 schema-error]",
        id="bad-kind",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - id: 1a\n    kind: claim\n    text: x\n", "m.yaml",
        "m.yaml:3:9: error: nodes[0].id: '1a' is not a valid id (letters, digits, '-', '_', '.'; "
        "starting with a letter) [AM002 schema-error]",
        id="bad-id",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    supports: [b, 2c]\n", "m.yaml",
        "m.yaml:6:19: error: nodes[0].supports[1]: '2c' is not a valid id (letters, digits, '-', '_', '.'; "
        "starting with a letter) [AM002 schema-error]",
        id="bad-relation-target-string-has-no-.to",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    supports: [b, {to: 2c}]\n", "m.yaml",
        "m.yaml:6:24: error: nodes[0].supports[1].to: '2c' is not a valid id (letters, digits, '-', '_', '.'; "
        "starting with a letter) [AM002 schema-error]",
        id="bad-relation-target-mapping-keeps-.to",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    attacks: [b, 3]\n", "m.yaml",
        "m.yaml:6:18: error: nodes[0].attacks[1]: expected a node id or a mapping with 'to' (and 'with', "
        "'scheme'), found the number 3 [AM002 schema-error]",
        id="bad-relation-entry-type",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n" + NODE + "    undercuts: [b]\n", "m.yaml",
        "m.yaml:6:17: error: nodes[0].undercuts[0]: 'b' is not a relation reference like 'source->target' "
        "[AM002 schema-error]",
        id="bad-undercut",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - id: a\n    kind: claim\n", "m.yaml",
        "m.yaml:3:5: error: missing required field 'text' in nodes[0] [AM002 schema-error]",
        id="missing-field",
    ),
    pytest.param(
        "argmap: 1\n", "m.yaml",
        "m.yaml:1:1: error: missing required field 'nodes' in document [AM002 schema-error]",
        id="missing-nodes",
    ),
    pytest.param(
        "argmap: 2\nnodes: []\n", "m.yaml",
        "m.yaml:1:9: error: argmap: format version 2 is not supported (this argmap reads version 1) "
        "[AM002 schema-error]",
        id="version",
    ),
    pytest.param(
        "", "m.yaml",
        "m.yaml:1:1: error: the file is empty; a map needs 'argmap: 1' and 'nodes' [AM002 schema-error]",
        id="empty",
    ),
    pytest.param(
        " \n\t\n  \n", "m.json",
        "m.json:1:1: error: the file is empty; a map needs 'argmap: 1' and 'nodes' [AM002 schema-error]",
        id="whitespace-only",
    ),
    pytest.param(
        "# just a comment\n", "m.yaml",
        "m.yaml:1:1: error: the file is empty (it holds only comments); a map needs 'argmap: 1' and 'nodes' [AM002 schema-error]",
        id="comment-only",
    ),
    pytest.param(
        "- a\n- b\n", "m.yaml",
        "m.yaml:1:1: error: the document is a list, but a map is a mapping with 'argmap: 1' and 'nodes' "
        "[AM002 schema-error]",
        id="not-a-mapping",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\nargmap: 1\n", "m.yaml",
        "m.yaml:3:1: error: duplicate key 'argmap' (first on line 1); keys must be unique [AM001 syntax-error]",
        id="duplicate-key-yaml",
    ),
    pytest.param(
        '{"argmap": 1,\n "nodes": [],\n "argmap": 1}', "m.json",
        "m.json:3:2: error: duplicate key 'argmap'; keys must be unique [AM001 syntax-error]",
        id="duplicate-key-json",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - &n {id: a, kind: claim, text: x}\n  - *n\n", "m.yaml",
        "m.yaml:3:5: error: YAML anchors and aliases are not allowed in maps (write the value out) "
        "[AM003 yaml-alias]",
        id="alias",
    ),
    pytest.param(
        "argmap: 1\nnodes:\n  - &n {id: a, kind: claim, text: x}\n", "m.yaml",
        "m.yaml:3:5: error: YAML anchors and aliases are not allowed in maps (write the value out) "
        "[AM003 yaml-alias]",
        id="anchor-without-alias",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\n<<: {title: x}\n", "m.yaml",
        "m.yaml:3:1: error: YAML anchors and aliases are not allowed in maps (write the value out) "
        "[AM003 yaml-alias]",
        id="merge-key",
    ),
    pytest.param(
        "argmap: !!python/object/apply:os.system [echo pwned]\nnodes: []\n", "m.yaml",
        "m.yaml:1:9: error: YAML syntax error: the tag !!python/object/apply:os.system is not allowed in maps "
        "(remove it) [AM001 syntax-error]",
        id="python-tag",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\ntitle: !!binary aGVsbG8=\n", "m.yaml",
        "m.yaml:3:8: error: YAML syntax error: the tag !!binary is not allowed in maps (remove it) "
        "[AM001 syntax-error]",
        id="binary-tag",
    ),
    pytest.param(
        "argmap: !!int abc\nnodes: []\n", "m.yaml",
        "m.yaml:1:9: error: YAML syntax error: cannot read this value as !!int [AM001 syntax-error]",
        id="bad-explicit-int",
    ),
    pytest.param(
        "argmap: !!map abc\nnodes: []\n", "m.yaml",
        "m.yaml:1:9: error: YAML syntax error: expected a mapping, but found scalar [AM001 syntax-error]",
        id="map-tag-on-scalar",
    ),
    pytest.param(
        "argmap: " + "9" * 5000 + "\nnodes: []\n", "m.yaml",
        "m.yaml:1:9: error: YAML syntax error: cannot read this value as !!int (too many digits) "
        "[AM001 syntax-error]",
        id="huge-int-yaml",
    ),
    pytest.param(
        '{"argmap": ' + "9" * 5000 + ', "nodes": []}', "m.json",
        "m.json:1:1: error: JSON syntax error: a number cannot be read (it has too many digits) "
        "[AM001 syntax-error]",
        id="huge-int-json",
    ),
    pytest.param(
        '{"argmap": 1, "nodes": [],\n "title": "\\udc80"}', "m.json",
        "m.json:2:12: error: JSON syntax error: a lone surrogate escape (\\ud800-\\udfff not in a pair) "
        "is not a character [AM001 syntax-error]",
        id="lone-surrogate-json",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\ntitle: a\x07b\n", "m.yaml",
        "m.yaml:3:9: error: YAML syntax error: the character U+0007 is not allowed here (control characters "
        "are not allowed; remove it or write it as an escape in a double-quoted string) [AM001 syntax-error]",
        id="control-character",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\n1: 2\n", "m.yaml",
        "m.yaml:3:1: error: unknown field 1 in document (field names are text) [AM002 schema-error]",
        id="non-text-key",
    ),
    pytest.param(
        "argmap: 1\nnodes: []\n---\nargmap: 1\n", "m.yaml",
        "m.yaml:3:1: error: YAML syntax error: a map is one YAML document, but a second one starts here [AM001 syntax-error]",
        id="two-documents",
    ),
    pytest.param(
        "argmap: 1\nsource: {path: a.txt, text: b}\nnodes: []\n", "m.yaml",
        "m.yaml:2:9: error: source: give either 'path' or 'text', not both [AM002 schema-error]",
        id="source-path-and-text",
    ),
]


@pytest.mark.parametrize(("text", "name", "expected"), INVALID)
def test_invalid_input_one_diagnostic_with_position(text, name, expected):
    assert one(text, name) == expected


def test_every_schema_problem_is_reported_sorted_by_position():
    text = "argmap: 1\nnodes:\n  - id: 1a\n    kind: clam\n    text: x\n  - id: b\n    kind: claim\n"
    with pytest.raises(MapInvalid) as info:
        load_text(text, name="m.yaml")
    got = [(d.line, d.column, d.node) for d in info.value.diagnostics]
    assert got == [(3, 9, "1a"), (4, 11, "1a"), (6, 5, "b")]
    assert str(info.value) == "m.yaml: 3 schema errors"


def test_json_positions_for_schema_errors():
    text = '{\n  "argmap": 1,\n  "nodes": [\n    {"id": "a", "kind": "clam", "text": "x"}\n  ]\n}\n'
    assert one(text, "m.json").startswith("m.json:4:25: error: nodes[0].kind: 'clam' is not a node kind")


def test_json_positions_count_lines_as_yaml_does():
    """A line separator or NEL inside a JSON string starts a line for the YAML reader
    (and for editors that show them); JSON positions count them the same way."""
    from argmap.io.loading import JSONPositions

    text = '{"a": "one\u2028two\x85three",\r\n "b": [1,\r "c"]}'
    found = JSONPositions(text)
    assert found.of(("a",)) == (1, 7)
    assert found.of(("b",), key=True) == (4, 2)
    assert found.of(("b", 1)) == (5, 2)
    assert found.of(("b", 7)) == found.of(("b",)) == (4, 7)  # no such item: the list itself


# --------------------------------------------------------------------------- bombs and depth


def billion_laughs(levels: int = 9) -> str:
    text = 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels + 1):
        text += f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]\n"
    return text + "argmap: 1\nnodes: []\n"


def test_billion_laughs_rejected_fast():
    start = time.perf_counter()
    message = one(billion_laughs())
    assert time.perf_counter() - start < 2.0  # a hang guard, not a benchmark: it takes ~1 ms
    assert message == (
        "m.yaml:1:5: error: YAML anchors and aliases are not allowed in maps (write the value out) [AM003 yaml-alias]"
    )


@pytest.mark.parametrize("name", ["m.yaml", "m.json"])
def test_deep_nesting_rejected(name):
    start = time.perf_counter()
    message = one("[" * 100_000 + "]" * 100_000, name)
    assert time.perf_counter() - start < 5.0
    assert "nested too deeply" in message or "maximum nesting depth" in message


def test_deep_but_finite_nesting_is_a_schema_error_not_a_crash():
    with pytest.raises(MapInvalid) as info:
        load_text("argmap: 1\nnodes: []\ntitle: " + "[" * 900 + "]" * 900 + "\n", name="m.yaml")
    assert info.value.diagnostics[0].message == "title: expected text, found a list"


# --------------------------------------------------------------------------- reading files


def test_bom_accepted(tmp_path):
    for suffix, body in ((".yaml", "argmap: 1\nnodes: []\n"), (".json", '{"argmap": 1, "nodes": []}')):
        path = tmp_path / f"bom{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + body.encode())
        loaded = load_map(path)
        assert loaded.map.nodes == [] and not loaded.text.startswith("\ufeff")
    assert load_text("\ufeff" + '{"argmap": 1, "nodes": []}', name="x.json").map.argmap == 1


def test_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"argmap: 1\nnodes:\n" + NODE.encode())))
    loaded = load_map("-")
    assert loaded.path is None and loaded.name == "-"
    assert loaded.map.nodes[0].id == "a"


class _CountingStdin:
    def __init__(self):
        self.requested = []

        class Buffer:
            def read(buf, n=-1):
                self.requested.append(n)
                return b"x" * (n if n >= 0 else 10**9)

        self.buffer = Buffer()


def test_stdin_reads_at_most_limit_plus_one(monkeypatch):
    fake = _CountingStdin()
    monkeypatch.setattr(sys, "stdin", fake)
    monkeypatch.setenv("ARGMAP_MAX_BYTES", "1000")
    with pytest.raises(Unreadable) as info:
        load_map("-")
    assert fake.requested == [1001]
    assert str(info.value) == (
        "standard input: map is over the limit of 1,000 bytes (raise it with ARGMAP_MAX_BYTES or max-file-size)."
    )


class _Recorded(io.BytesIO):
    """Bytes that note every read request's size (into the list ``requested``)."""

    def __init__(self, data: bytes, requested: list):
        super().__init__(data)
        self.requested = requested

    def read(self, n=-1):
        self.requested.append(n)
        return super().read(n)


def test_stdin_read_in_pieces_not_in_one_request_of_the_limit(monkeypatch):
    """Under the 50 MB default limit a small piped map is read in requests of at most 64 KiB
    (one read of the limit would set aside 50 MB first)."""
    requested = []
    payload = b"argmap: 1\nnodes: []\n" + b"# pad\n" * 20000

    class Stdin:
        buffer = _Recorded(payload, requested)

    monkeypatch.setattr(sys, "stdin", Stdin())
    assert read_text("-") == payload.decode()
    assert requested and max(requested) <= 1 << 16 and len(requested) == len(payload) // (1 << 16) + 2


def test_size_limit_message(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_text("argmap: 1\nnodes: []\n" + "# padding\n" * 200, encoding="utf-8")
    monkeypatch.setenv("ARGMAP_MAX_BYTES", "1000")
    with pytest.raises(Unreadable) as info:
        load_map(path)
    assert info.value.exit_code == 2
    assert str(info.value) == (
        f"{path}: map is 2,020 bytes, over the limit of 1,000 bytes (raise it with ARGMAP_MAX_BYTES or max-file-size)."
    )
    assert load_map(path, max_bytes=5000).map.argmap == 1


def test_a_file_read_as_big_as_it_is_and_on_when_stat_said_less(tmp_path, monkeypatch):
    """A file is read in one request of its size and one byte more (not of the whole limit);
    a file that is longer than its size said (grown since, or a /proc file of size 0) is read
    on in pieces, and refused when that passes the limit."""
    import builtins

    path = tmp_path / "map.yaml"
    path.write_text("argmap: 1\nnodes: []\n", encoding="utf-8")
    requested = []
    real_open = builtins.open

    def fake_open(file, mode="r", *args, **kwargs):
        if str(file) == str(path) and mode == "rb":  # what a file that grew after the stat gives
            return _Recorded(real_open(file, "rb").read() + b"# grown\n" * extra, requested)
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", fake_open)
    extra = 0
    assert read_text(path) == "argmap: 1\nnodes: []\n"
    assert requested == [21]
    requested.clear()
    extra = 3
    assert read_text(path, max_bytes=10**9).endswith("# grown\n" * 3)
    assert requested[0] == 21 and max(requested[1:]) <= 1 << 16  # read on in pieces, not the whole limit at once
    extra = 200
    with pytest.raises(Unreadable, match="over the limit of 1,000 bytes"):
        read_text(path, max_bytes=1000)
    monkeypatch.undo()
    if Path("/proc/self/status").exists():  # size 0 by stat, text when read
        assert "Pid:" in read_text("/proc/self/status")


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1.5"])
def test_bad_size_limit_setting(monkeypatch, value):
    monkeypatch.setenv("ARGMAP_MAX_BYTES", value)
    with pytest.raises(UsageError, match="ARGMAP_MAX_BYTES must be a positive whole number of bytes"):
        load_map(SEED_MAP)


def test_100_mb_file_rejected_by_stat_without_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:  # sparse: 100 MB by stat, no blocks written
        fh.truncate(100 * 1024 * 1024)

    def no_open(*args, **kwargs):
        raise AssertionError("the file was opened; its size should have been checked first")

    monkeypatch.setattr(loading, "open", no_open, raising=False)
    with pytest.raises(Unreadable, match=r"is 104,857,600 bytes, over the limit of 52,428,800 bytes"):
        load_map(path)


def test_file_growing_after_stat_is_still_capped(tmp_path, monkeypatch):
    """A file that passes the stat check but is longer when read (a FIFO, /dev/zero) reads limit+1 bytes."""
    monkeypatch.setenv("ARGMAP_MAX_BYTES", "4096")
    with pytest.raises(Unreadable, match="over the limit of 4,096 bytes"):
        read_text("/dev/zero", what="map")


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.mkdir(), "{p}: is a directory, not a map."),
        (lambda p: None, "{p}: no such file."),
        (lambda p: p.write_bytes(b"argmap: 1\ntitle: caf\xe9\nnodes: []\n"),
         "{p}: is not UTF-8 text (invalid byte 0xe9 on line 2); convert it to UTF-8 first."),
        (lambda p: p.write_bytes("argmap: 1\nnodes: []\n".encode("utf-16")),
         "{p}: is UTF-16 text, not UTF-8; convert it to UTF-8 first."),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "{p}: is binary data, not a text map."),
    ],
    ids=["directory", "missing", "latin-1", "utf-16", "binary"],
)
def test_unreadable_inputs(tmp_path, make, expected):
    path = tmp_path / "m.yaml"
    make(path)
    with pytest.raises(Unreadable) as info:
        load_map(path)
    assert info.value.exit_code == 2
    assert str(info.value) == expected.format(p=path)


def test_path_inside_a_file_and_nul_in_name(tmp_path):
    f = tmp_path / "file.yaml"
    f.write_text("x")
    with pytest.raises(Unreadable, match="cannot be read"):
        load_map(f / "inner.yaml")
    with pytest.raises(Unreadable, match="cannot contain a NUL"):
        load_map("bad\x00name.yaml")


# --------------------------------------------------------------------------- positions


def test_positions_of_keys_values_and_fallback():
    data, pos = parse_yaml("argmap: 1\nnodes:\n  - id: a\n    kind: claim\n    text: x\n    supports: [b, c]\n", "m")
    assert pos.of(("nodes", 0, "supports", 1)) == (6, 19)
    assert pos.of(("nodes", 0, "kind"), key=True) == (4, 5)
    assert pos.of(("nodes", 0, "kind")) == (4, 11)
    assert pos.of(("nodes", 0, "nonexistent", 3)) == (3, 5)  # deepest known: the node
    assert pos.node(0) == (3, 5)


def test_every_error_is_an_argmap_error():
    """MapInvalid and Unreadable share the base class commands catch."""
    assert issubclass(MapInvalid, ArgmapError) and issubclass(Unreadable, ArgmapError)
    with pytest.raises(ArgmapError):
        load_text(json.dumps({"argmap": 1, "nodes": [{"id": "a"}]}), name="x.json")


@pytest.mark.parametrize(
    "plain, value",
    [("1", 1), ("-7", -7), ("+3", 3), ("1.5", 1.5), (".5", 0.5), ("0x1f", 31), ("1_000", 1000), ("true", True),
     ("FALSE", False), ("yes", "yes"), ("off", "off"), ("null", None), ("~", None), ("", None), ("2024-01-01", "2024-01-01"),
     ("word", "word"), ("NaN words", "NaN words"), ("=x", "=x"), ("<<x", "<<x"), ("'1'", "1"), ('"true"', "true")],
)
def test_scalars_are_typed_as_yaml_1_1_without_booleans_words_and_dates(plain, value):
    from argmap.io.yamlload import _yaml_load

    data = _yaml_load(f"k: {plain}\nl: [{plain}]\n")[0]
    assert data["k"] == value and type(data["k"]) is type(value)
    assert data["l"] == ([value] if plain else [])


@pytest.mark.parametrize(
    "text, expected",
    [
        ("argmap: 1\nnodes: []\n---\nb: 2\n",
         "m.yaml:3:1: error: YAML syntax error: a map is one YAML document, but a second one starts here"),
        ("argmap: *x\n", "m.yaml:1:9: error: YAML syntax error: found undefined alias 'x'"),
        ("? [a]\n: 1\n", "m.yaml:1:3: error: YAML syntax error: found an unhashable key"),
        ("a: &x [*x]\n", "m.yaml:1:4: error: YAML anchors and aliases are not allowed in maps"),
        ("- &a x\n- *a\n", "m.yaml:1:3: error: YAML anchors and aliases are not allowed in maps"),
        ("argmap: !!str {a: 1}\n", "m.yaml:1:9: error: YAML syntax error: expected a scalar node, but found mapping"),
        ("argmap: !!map [1]\n", "m.yaml:1:9: error: YAML syntax error: expected a mapping, but found sequence"),
        ("a: <<\n", "m.yaml:1:4: error: YAML syntax error: the tag !!merge is not allowed in maps (remove it)"),
        ("- <<\n", "m.yaml:1:3: error: YAML syntax error: the tag !!merge is not allowed in maps (remove it)"),
        ("<<\n", "m.yaml:1:1: error: YAML syntax error: the tag !!merge is not allowed in maps (remove it)"),
        ("a: [{<<: 1}]\n", "m.yaml:1:6: error: YAML anchors and aliases are not allowed in maps"),
        # a repeated key after a collection value: the first one's line (its key mark, among the flat marks)
        ("x: 1\nb: {c: 1}\nb: 2\n", "m.yaml:3:1: error: duplicate key 'b' (first on line 2)"),
        ("a: 1\nb: [x, {y: 2}]\na: 2\n", "m.yaml:3:1: error: duplicate key 'a' (first on line 1)"),
    ],
)
def test_the_yaml_reader_refuses_with_a_position(text, expected):
    with pytest.raises(MapInvalid) as info:
        load_text(text, name="m.yaml")
    assert info.value.diagnostics[0].format().startswith(expected)


def test_positions_of_keys_values_and_items():
    from argmap.io.yamlload import _yaml_load, position

    data, marks = _yaml_load("a: 1\nb:\n  - x\n  - {c: d}\n")
    assert position(marks, data) == (1, 1)
    assert position(marks, data, "b", key=True) == (2, 1) and position(marks, data, "b") == (3, 3)
    assert position(marks, data["b"], 1) == (4, 5) and position(marks, data["b"][1], "c") == (4, 9)
    assert position(marks, {}) is None
