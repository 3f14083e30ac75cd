"""bench/genmap.py: seeded, valid, clean synthetic maps of the promised shapes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from argmap.checks import run_checks
from argmap.io.config import Config
from argmap.io.loading import load_map, load_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from genmap import dump_json, dump_yaml, generate  # noqa: E402


@pytest.mark.parametrize("shape", ["tree", "mixed"])
@pytest.mark.parametrize("n", [1, 2, 7, 300])
def test_generated_maps_are_valid_and_clean(shape, n):
    data = generate(n, shape, seed=3)
    assert len(data["nodes"]) == n
    for text, fmt in ((dump_json(data), "json"), (dump_yaml(data), "yaml")):
        loaded = load_text(text, name=f"m.{fmt}")
        assert [d.format() for d in run_checks(loaded)] == []


def test_shapes_relation_counts_and_seeding():
    tree = generate(2000, "tree", seed=5)
    mixed = generate(2000, "mixed", seed=5)
    rels = lambda d: sum(len(n.get("supports", ())) + len(n.get("attacks", ())) for n in d["nodes"])  # noqa: E731
    assert rels(tree) == 1999  # a tree: one relation per node but the thesis
    assert 1.4 <= rels(mixed) / 2000 <= 1.6
    kinds = {n["kind"] for n in mixed["nodes"]}
    assert kinds == {"thesis", "claim", "premise", "recommendation", "objection"}
    assert generate(500, "mixed", seed=9) == generate(500, "mixed", seed=9)
    assert generate(500, "mixed", seed=9) != generate(500, "mixed", seed=10)
    with pytest.raises(ValueError):
        generate(10, "star")


def test_with_source_every_quote_is_found():
    data = generate(200, "mixed", seed=2, source=True)
    loaded = load_text(dump_json(data), name="m.json")
    assert [d.format() for d in run_checks(loaded, Config(min_coverage=1.0))] == []


def test_cli_writes_yaml_and_json(tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "genmap.py"), "50", "--shape", "mixed",
                        "--seed", "4", "-o", str(tmp_path)], capture_output=True, text=True, check=True)
    y, j = (Path(p) for p in r.stdout.split())
    assert y.suffix == ".yaml" and j.suffix == ".json"
    assert load_map(y).map == load_map(j).map
    assert json.loads(j.read_text())["nodes"] == generate(50, "mixed", 4)["nodes"]
