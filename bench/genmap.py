"""Seeded synthetic argument maps for benchmarks (and tests that need big maps).

Importable::

    from genmap import generate          # with bench/ on sys.path
    data = generate(10_000, "mixed", seed=1)   # plain map data (dict), format v1

or as a script::

    python bench/genmap.py 10000 --shape mixed --seed 1 -o bench/out
    # writes bench/out/map-10000-mixed-s1.yaml and .json

Shapes:

* ``tree``: one thesis; every other node relates to exactly one earlier node
  (a random recursive tree, so depth grows like log n). Claims and
  recommendations support their parent; every recommendation gets a premise
  supporting it; every objection attacks its parent and is answered by a
  premise attacking it.
* ``mixed``: the tree plus random extra relations, about 0.5 per node (80%
  supports from a later to an earlier non-objection node, 20% attacks by an
  answered objection on an earlier node), so ~1.5 relations per node. Supports
  always run from a later node to an earlier one, so there is no support cycle.

Both shapes give maps that ``argmap check --strict`` passes: one thesis, no
orphan, no dangling or duplicate relation, no unanswered objection. Texts
are drawn from a Zipf-distributed synthetic vocabulary (like real prose: a
few common words, many rare ones). With ``source=True`` the map carries an
inline ``source.text`` made of the node texts, and every node quotes its own.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from itertools import accumulate
from pathlib import Path

SHAPES = ("tree", "mixed")
_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "de", "pa", "gu", "ro", "fe", "zi", "ba", "to",
              "an", "el", "or", "ist", "ment", "ing", "al", "er"]
_COMMON = ("the of and to in a is that for on as with by it be are this from at or not an which has "
           "will would its their more can they been have was but also".split())


def _vocabulary(size: int = 4000) -> tuple[list[str], list[float]]:
    rng = random.Random(0)
    words = list(_COMMON)
    seen = set(words)
    while len(words) < size:
        w = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if w not in seen:
            seen.add(w)
            words.append(w)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    return words, list(accumulate(weights))


_VOCAB, _CUM = _vocabulary()


def _text(rng: random.Random) -> str:
    words = rng.choices(_VOCAB, cum_weights=_CUM, k=rng.randint(8, 16))
    return " ".join(words).capitalize() + "."


def generate(n: int, shape: str = "tree", seed: int = 0, *, source: bool = False) -> dict:
    """A valid, clean map of ``n`` nodes (``n >= 1``) as plain data (format v1)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
    if n < 1:
        raise ValueError("a map needs at least one node (the thesis)")
    rng = random.Random(seed)
    nodes: list[dict] = [{"id": "thesis", "kind": "thesis", "text": _text(rng)}]
    kinds = ["thesis"]
    pending: list[tuple[str, int]] = []  # (relation, target index) a node must get next
    counter = {"claim": 0, "premise": 0, "recommendation": 0, "objection": 0}

    def add(kind: str, rel: str, target: int) -> int:
        counter[kind] += 1
        node = {"id": f"{kind[:3]}-{counter[kind]}", "kind": kind, "text": _text(rng), rel: [nodes[target]["id"]]}
        nodes.append(node)
        kinds.append(kind)
        return len(nodes) - 1

    while len(nodes) < n:
        if pending:
            rel, target = pending.pop()
            add("premise", rel, target)
            continue
        # one node in twenty hangs off the thesis, so wide maps have many recommendations
        parent = 0 if rng.random() < 0.05 else rng.randrange(len(nodes))
        pk = kinds[parent]
        r = rng.random()
        if pk == "objection":
            add("premise", "attacks", parent)
        elif pk == "thesis":
            k = add("recommendation" if r < 0.3 else "claim", "supports", parent)
            if kinds[k] == "recommendation":
                pending.append(("supports", k))
        elif r < 0.1:
            k = add("objection", "attacks", parent)
            pending.append(("attacks", k))
        else:
            add("claim" if r < 0.4 else "premise", "supports", parent)

    if shape == "mixed":
        related = set()
        for i, node in enumerate(nodes):
            for rel in ("supports", "attacks"):
                for t in node.get(rel, ()):
                    related.add((node["id"], t))
        index = {node["id"]: i for i, node in enumerate(nodes)}
        objections = [i for i, k in enumerate(kinds) if k == "objection" and i > 1]
        extra = n // 2
        tries = 0
        while extra > 0 and tries < 20 * n and n > 2:
            tries += 1
            if objections and rng.random() < 0.2:
                src = rng.choice(objections)
                rel = "attacks"
            else:
                src = rng.randrange(1, n)
                rel = "supports"
                if kinds[src] == "objection":
                    continue
            tgt = rng.randrange(0, src)
            if rel == "supports" and kinds[tgt] == "objection":
                continue
            a, b = nodes[src]["id"], nodes[tgt]["id"]
            if (a, b) in related:
                continue
            # an objection's attack must not land on the premise that answers it
            if rel == "attacks" and any(index.get(x) == src for x in nodes[tgt].get("attacks", ())):
                continue
            related.add((a, b))
            nodes[src].setdefault(rel, []).append(b)
            extra -= 1

    ordered = []
    for node in nodes:  # canonical field order
        out = {k: node[k] for k in ("id", "kind", "text")}
        if source:
            out["quote"] = node["text"]
        for rel in ("supports", "attacks"):
            if node.get(rel):
                out[rel] = node[rel]
        ordered.append(out)
    data: dict = {"argmap": 1, "title": f"Synthetic map: {n} nodes, {shape}, seed {seed}"}
    if source:
        paras, para = [], []
        for node in nodes:
            para.append(node["text"])
            if len(para) >= 5:
                paras.append(" ".join(para))
                para = []
        if para:
            paras.append(" ".join(para))
        data["source"] = {"text": "\n\n".join(paras) + "\n"}
    data["nodes"] = ordered
    return data


def dump_yaml(data: dict) -> str:
    import yaml

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=1000,
                     default_flow_style=None)


def dump_json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def write(data: dict, stem: Path) -> tuple[Path, Path]:
    """Write ``stem.yaml`` and ``stem.json``; return their paths."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    y, j = stem.with_suffix(".yaml"), stem.with_suffix(".json")
    y.write_text(dump_yaml(data), encoding="utf-8")
    j.write_text(dump_json(data), encoding="utf-8")
    return y, j


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a seeded synthetic argmap map as YAML and JSON.")
    ap.add_argument("nodes", type=int, help="number of nodes (at least 1)")
    ap.add_argument("--shape", choices=SHAPES, default="tree", help="tree, or tree plus extra relations (mixed)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same map)")
    ap.add_argument("--source", action="store_true", help="add an inline source text and a quote per node")
    ap.add_argument("-o", "--out", type=Path, default=Path("bench/out"), help="output folder (default bench/out)")
    args = ap.parse_args(argv)
    if args.nodes < 1:
        ap.error("nodes must be at least 1")
    data = generate(args.nodes, args.shape, args.seed, source=args.source)
    stem = args.out / f"map-{args.nodes}-{args.shape}-s{args.seed}{'-src' if args.source else ''}"
    for p in write(data, stem):
        print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
