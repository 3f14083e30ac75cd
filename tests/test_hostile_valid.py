"""Strange but valid maps: every command finishes on them, without a traceback.

Text in any script (Arabic, Hebrew, CJK, Devanagari, combining marks, emoji
ZWJ sequences), bidirectional overrides, very long texts, 10,000 relations on
one node, self-loops and cycles everywhere. These are maps a user may really
write (or a tool may produce), so each command must finish with 0 or, where
it finds problems (``check``), 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from argmap.io.loading import load_map

EXE = Path(sys.executable).with_name("argmap")
TIMEOUT = 300  # seconds; a hang fails

SCRIPTS = {
    "arabic": "الحجة الأولى تقول إن القطط أفضل من الكلاب.",
    "hebrew": "הטענה היא שחתולים טובים יותר מכלבים.",
    "chinese": "猫比狗更好，因为它们不需要散步。",
    "japanese": "猫は犬よりも良いペットです。",
    "hindi": "बिल्लियाँ कुत्तों से बेहतर पालतू जानवर हैं।",
    "thai": "แมวเป็นสัตว์เลี้ยงที่ดีกว่าสุนัข",
    "emoji": "Cats 🐈‍⬛ beat dogs 🐕‍🦺 👩🏽‍🔬 🏳️‍🌈 — obviously 💯.",
    "combining": "Ćà̧t̷s̶ ẓ̌a̅l̈g̃o ",
    "bidi": "safe\u202etxt.exe\u202c and \u2067isolated\u2069 and \u200fRLM\u200e",
    "zero-width": "in\u200bvis\u200cible\u200d\ufeffjoin\u2060ers",
    "separators": "line\u2028separator and paragraph\u2029separator",
    "markup": "<script>alert(1)</script> & \"quotes\" 'single' ]]> {{x}} $(rm -rf /) `id` %s %n \\N",
}


def write(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def maps(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("strange")
    out = {}
    # any script, inline source holding every text, so quotes match
    article = " ".join(SCRIPTS.values())
    nodes = [{"id": "thesis", "kind": "thesis", "text": SCRIPTS["arabic"], "quote": SCRIPTS["arabic"]}]
    for i, (name, text) in enumerate(SCRIPTS.items()):
        if name == "arabic":
            continue
        nodes.append({"id": f"n-{name}", "kind": "premise" if i % 2 else "objection", "text": text,
                      "quote": text, "actor": text[:10], "tags": [text[:5], name], "note": text,
                      ("supports" if i % 2 else "attacks"): ["thesis"]})
    out["scripts"] = write(folder / "scripts.json", {"argmap": 1, "title": SCRIPTS["emoji"] + SCRIPTS["bidi"],
                                                      "source": {"text": article}, "nodes": nodes})
    # very long texts: a 100,000-character text and source, a 50,000-character quote, a 5,000-character title
    long_text = ("The argument goes on and on, clause after clause; " * 2000)[:100_000]
    out["long"] = write(folder / "long.json", {"argmap": 1, "title": "T" * 5000, "source": {"text": long_text},
                                               "nodes": [{"id": "t", "kind": "thesis", "text": long_text,
                                                          "quote": long_text[:50_000]},
                                                         {"id": "p", "kind": "premise", "text": "x " * 20_000,
                                                          "supports": ["t"]}]})
    # 10,000 relations on one node: a hub that supports 5,000 nodes, and those 5,000 attack it back
    n = 10_000
    nodes = [{"id": "hub", "kind": "thesis", "text": "Hub.", "supports": [f"n{i}" for i in range(n // 2)]}]
    nodes += [{"id": f"n{i}", "kind": "claim", "text": f"Claim {i}.", "attacks": ["hub"]} for i in range(n // 2)]
    out["hub"] = write(folder / "hub.json", {"argmap": 1, "nodes": nodes})
    # the same relation 10,000 times on one node
    out["repeated"] = write(folder / "repeated.json", {"argmap": 1, "nodes": [
        {"id": "a", "kind": "thesis", "text": "A."},
        {"id": "b", "kind": "claim", "text": "B.", "supports": ["a"] * n, "attacks": [{"to": "a", "with": ["b"]}] * 100},
    ]})
    # self-loops and cycles everywhere: every node supports and attacks itself and its neighbours
    k = 300
    nodes = []
    for i in range(k):
        nodes.append({"id": f"c{i}", "kind": "thesis" if i == 0 else "claim", "text": f"C{i}.",
                      "supports": [f"c{i}", f"c{(i + 1) % k}", {"to": f"c{(i + 2) % k}", "with": [f"c{i}", f"c{(i + 3) % k}"]}],
                      "attacks": [f"c{i}", f"c{(i - 1) % k}"],
                      "undercuts": [f"c{i}->c{i}", f"c{(i + 1) % k}->c{(i + 2) % k}", f"c{i}->c{i}->c{i}"]})
    out["cycles"] = write(folder / "cycles.json", {"argmap": 1, "nodes": nodes})
    # empty but valid
    out["empty"] = write(folder / "empty.json", {"argmap": 1, "nodes": []})
    for path in out.values():
        load_map(path)  # they are valid maps
    return out


def run(args, cwd):
    if not EXE.exists():
        pytest.skip("argmap is not installed next to this interpreter")
    start = time.monotonic()
    try:
        res = subprocess.run([str(EXE), *args], capture_output=True, timeout=TIMEOUT, cwd=cwd,
                             env={**os.environ, "NO_COLOR": "1"}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        pytest.fail(f"argmap {' '.join(args)} did not finish in {TIMEOUT} s")
    return res, time.monotonic() - start


def available(name: str) -> bool:
    root = Path(__file__).resolve().parents[1] / "src" / "argmap" / "commands"
    return (root / f"{name}.py").exists() or (root / f"{name}_.py").exists()


COMMANDS = [
    ("check", ["check", "{map}"], {0, 1}),
    ("show", ["show", "{map}"], {0}),
    ("render", ["render", "{map}", "--svg", "-o", "{out}.svg"], {0}),
    ("render", ["render", "{map}", "--dot", "-o", "{out}.dot"], {0}),
    ("render", ["render", "{map}", "--html", "-o", "{out}.html"], {0}),
    ("fmt", ["fmt", "{map}"], {0}),
    ("diff", ["diff", "{map}", "{map}"], {0}),
    ("export", ["export", "{map}", "--to", "yaml", "-o", "{out}.yaml"], {0}),
    ("export", ["export", "{map}", "--to", "argdown", "-o", "{out}.argdown"], {0}),
    ("export", ["export", "{map}", "--to", "aif", "-o", "{out}.aif.json"], {0}),
    ("export", ["export", "{map}", "--to", "xaif", "-o", "{out}.xaif.json"], {0}),
    ("export", ["export", "{map}", "--to", "sadface", "-o", "{out}.sadface.json"], {0}),
    ("export", ["export", "{map}", "--to", "mermaid", "-o", "{out}.mmd"], {0}),
    ("export", ["export", "{map}", "--to", "graphml", "-o", "{out}.graphml"], {0}),
]
MAPS = ["scripts", "long", "hub", "repeated", "cycles", "empty"]


@pytest.mark.parametrize("which", MAPS)
@pytest.mark.parametrize(("name", "argv", "codes"), COMMANDS, ids=[" ".join(c[1][:1] + c[1][2:4]) for c in COMMANDS])
def test_every_command_finishes(name, argv, codes, which, maps, tmp_path):
    if not available(name):
        if os.environ.get("CI"):
            pytest.fail(f"the {name} command does not exist yet")
        pytest.skip(f"the {name} command does not exist yet")
    src = maps[which]
    path = tmp_path / src.name
    path.write_bytes(src.read_bytes())
    args = [a.replace("{map}", str(path)).replace("{out}", str(tmp_path / "out")) for a in argv]
    res, elapsed = run(args, tmp_path)
    err = res.stderr.decode("utf-8", "replace")
    context = f"argmap {' '.join(args)} ({elapsed:.1f} s)\n{err[-3000:]}"
    assert "Traceback" not in err and "internal error" not in err, context
    assert res.returncode in codes, context
    if name == "export" and res.returncode == 0:
        out = Path(args[-1])
        assert out.exists() and out.stat().st_size > 0


IMPORTABLE = [("argdown", ".argdown"), ("aif", ".aif.json"), ("xaif", ".xaif.json"), ("sadface", ".sadface.json")]


@pytest.mark.parametrize("which", ["scripts", "cycles", "repeated"])
@pytest.mark.parametrize(("fmt", "suffix"), IMPORTABLE)
def test_strange_maps_survive_export_and_import(fmt, suffix, which, maps, tmp_path):
    src = maps[which]
    exported = tmp_path / f"x{suffix}"
    res, _ = run(["export", str(src), "--to", fmt, "-o", str(exported)], tmp_path)
    assert res.returncode == 0, res.stderr.decode()
    res, _ = run(["import", str(exported), "--from", fmt, "-q", "-o", str(tmp_path / "back.yaml")], tmp_path)
    err = res.stderr.decode()
    assert res.returncode == 0 and "Traceback" not in err, err
    back = load_map(tmp_path / "back.yaml").map
    assert len(back.nodes) == len(load_map(src).map.nodes)
    if which == "scripts":
        assert sorted(n.text for n in back.nodes) == sorted(n.text for n in load_map(src).map.nodes)


def test_extract_finishes_on_an_article_in_every_script(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text("\n\n".join(f"{t} {t}" for t in SCRIPTS.values()) + "\n", encoding="utf-8")
    res, _ = run(["extract", str(article), "-o", str(tmp_path / "draft.yaml")], tmp_path)
    err = res.stderr.decode()
    assert res.returncode == 0 and "Traceback" not in err, err
    load_map(tmp_path / "draft.yaml")
