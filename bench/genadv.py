"""Adversarial argument maps for benchmarks and complexity tests (issue 16).

``bench/genmap.py`` makes maps shaped like real ones (Zipf-distributed
words, a random recursive tree). The maps here are shaped to hit the
worst case of one rule or view each, so a rule whose cost grows faster
than ``n log n`` shows up:

* ``smallvocab``: texts of 8-16 words drawn from 20 topic words (a long
  debate on one topic): every text shares its words with every other, the
  worst case of the near-duplicate search's word index.
* ``duplicates``: 50 distinct texts, each repeated by many nodes.
* ``longtexts``: texts of 200 words (quotes stay short: the first 12 words).
* ``oneword``: texts of one word, from a 400-word vocabulary.
* ``noquotes``: every quote is absent from the source (a reworded sentence),
  so each one is searched for and a "did you mean" passage is looked up.
* ``denseattacks``: besides the tree, every node attacks 4 random other nodes
  (cycles of attacks everywhere).
* ``chain``: one chain, each node supporting the one before it (depth n).
* ``fan``: every node supports the thesis directly (one node with n-1 children).

Every map carries an inline source (the node texts, five to a paragraph)
and every node quotes it, except ``longtexts`` (quotes are the first 12
words of the text) and ``noquotes`` (quotes reworded). Importable::

    from genadv import generate, SHAPES      # with bench/ on sys.path
    data = generate(10_000, "smallvocab", seed=1)

or as a script (writes YAML and JSON)::

    python bench/genadv.py 10000 --shape smallvocab -o bench/out
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import genmap  # noqa: E402  (bench/genmap.py)

SHAPES = ("smallvocab", "duplicates", "longtexts", "oneword", "noquotes", "denseattacks", "chain", "fan")

TOPIC = ("tax homes empty owners rent city market housing price supply demand vacancy landlord tenant "
         "policy council income property value local").split()  # 20 words


def _sentence(words: list[str]) -> str:
    return " ".join(words).capitalize() + "."


def _texts(shape: str, n: int, rng: random.Random) -> list[str]:
    if shape == "smallvocab":
        return [_sentence(rng.choices(TOPIC, k=rng.randint(8, 16))) for _ in range(n)]
    if shape == "duplicates":
        pool = [genmap._text(rng) for _ in range(50)]
        return [rng.choice(pool) for _ in range(n)]
    if shape == "longtexts":
        return [_sentence(rng.choices(genmap._VOCAB, cum_weights=genmap._CUM, k=200)) for _ in range(n)]
    if shape == "oneword":
        vocab = genmap._VOCAB[:400]
        return [rng.choice(vocab).capitalize() for _ in range(n)]
    return [genmap._text(rng) for _ in range(n)]


def _structure(shape: str, n: int, rng: random.Random) -> list[dict]:
    """Nodes with id, kind and relations (no texts yet)."""
    if shape == "chain":
        nodes = [{"id": "thesis", "kind": "thesis"}]
        for i in range(1, n):
            nodes.append({"id": f"cla-{i}", "kind": "claim", "supports": [nodes[-1]["id"]]})
        return nodes
    if shape == "fan":
        return [{"id": "thesis", "kind": "thesis"}] + [
            {"id": f"cla-{i}", "kind": "claim", "supports": ["thesis"]} for i in range(1, n)]
    base = genmap.generate(n, "tree", seed=rng.randrange(1 << 30))["nodes"]
    nodes = [{k: v for k, v in node.items() if k != "text"} for node in base]
    if shape == "denseattacks" and n > 5:
        for i, node in enumerate(nodes):
            have = set(node.get("attacks", ())) | set(node.get("supports", ()))
            targets = []
            while len(targets) < 4:
                t = rng.randrange(n)
                tid = nodes[t]["id"]
                if t != i and tid not in have:
                    have.add(tid)
                    targets.append(tid)
            node["attacks"] = list(node.get("attacks", ())) + targets
    return nodes


def _reword(text: str, rng: random.Random) -> str:
    """A sentence that is nowhere in the source: the words shuffled, one replaced."""
    words = text.rstrip(".").lower().split()
    rng.shuffle(words)
    words[rng.randrange(len(words))] = "zzq" + str(rng.randrange(10**6))
    return _sentence(words)


def generate(n: int, shape: str, seed: int = 0) -> dict:
    """A map of ``n`` nodes (``n >= 1``) of one adversarial shape, as plain data (format v1)."""
    if shape not in SHAPES:
        raise ValueError(f"shape must be one of {SHAPES}, not {shape!r}")
    if n < 1:
        raise ValueError("a map needs at least one node (the thesis)")
    rng = random.Random(f"{shape}-{seed}")
    nodes = _structure(shape, n, rng)
    texts = _texts(shape, n, rng)
    out = []
    for node, text in zip(nodes, texts):
        item = {"id": node["id"], "kind": node["kind"], "text": text}
        if shape == "longtexts":
            item["quote"] = " ".join(text.split()[:12])
        elif shape == "noquotes":
            item["quote"] = _reword(text, rng)
        else:
            item["quote"] = text
        for rel in ("supports", "attacks"):
            if node.get(rel):
                item[rel] = node[rel]
        out.append(item)
    paras = [" ".join(texts[k:k + 5]) for k in range(0, n, 5)]
    return {
        "argmap": 1,
        "title": f"Adversarial map: {n} nodes, {shape}, seed {seed}",
        "source": {"text": "\n\n".join(paras) + "\n"},
        "nodes": out,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a seeded adversarial argmap map as YAML and JSON.")
    ap.add_argument("nodes", type=int, help="number of nodes (at least 1)")
    ap.add_argument("--shape", choices=SHAPES + ("all",), default="all", help="one shape, or all of them")
    ap.add_argument("--seed", type=int, default=1, help="random seed (same seed, same map)")
    ap.add_argument("-o", "--out", type=Path, default=Path("bench/out"), help="output folder (default bench/out)")
    args = ap.parse_args(argv)
    if args.nodes < 1:
        ap.error("nodes must be at least 1")
    for shape in SHAPES if args.shape == "all" else (args.shape,):
        data = generate(args.nodes, shape, args.seed)
        for p in genmap.write(data, args.out / f"adv-{args.nodes}-{shape}-s{args.seed}"):
            print(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
