"""Hypothesis strategies for maps: valid map data, and plain data that is almost a map.

Shared by the loader, writer and hostile-input property tests (and the fuzz
campaign in ``tests/fuzz``).
"""

from __future__ import annotations

from hypothesis import strategies as st

KINDS = ("thesis", "claim", "premise", "recommendation", "objection")

ids = st.from_regex(r"\A[A-Za-z][A-Za-z0-9_.-]{0,12}\Z")
# any text a UTF-8 file can hold: every script, emoji, RTL marks, controls
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)
optional_texts = st.none() | texts


@st.composite
def relations(draw, pool):
    target = draw(st.sampled_from(pool))
    if draw(st.booleans()):
        return target
    rel: dict = {"to": target}
    if draw(st.booleans()):
        rel["with"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3))
    if draw(st.booleans()):
        rel["scheme"] = draw(texts)
    return rel


@st.composite
def map_data(draw, max_nodes: int = 8):
    """Plain data of a valid map (ids may repeat and relations may dangle: both are check findings)."""
    pool = draw(st.lists(ids, min_size=1, max_size=max_nodes))
    nodes = []
    for node_id in pool:
        node: dict = {"id": node_id, "kind": draw(st.sampled_from(KINDS)), "text": draw(texts)}
        for key in ("quote", "actor"):
            value = draw(optional_texts)
            if value is not None:
                node[key] = value
        for key in ("supports", "attacks"):
            rels = draw(st.lists(relations(pool), max_size=3))
            if rels:
                node[key] = rels
        if draw(st.booleans()):
            node["undercuts"] = [f"{draw(st.sampled_from(pool))}->{draw(st.sampled_from(pool))}"]
        tags = draw(st.lists(texts, max_size=2))
        if tags:
            node["tags"] = tags
        note = draw(st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
        if note is not None:
            node["note"] = note
        if draw(st.booleans()):
            node["draft"] = {"confidence": draw(st.floats(0, 1)), "cues": draw(st.lists(texts, max_size=2))}
        nodes.append(node)
    data: dict = {"argmap": 1}
    title = draw(st.none() | st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
    if title is not None:
        data["title"] = title
    if draw(st.booleans()):
        data["source"] = draw(
            st.fixed_dictionaries({}, optional={"path": texts, "author": texts, "url": texts})
        )
    data["nodes"] = nodes
    return data


# Plain JSON-like data of any shape: what a hostile or broken file can parse to.
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | texts | st.text(max_size=5)
json_like = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8) | ids, children, max_size=4),
    max_leaves=20,
)


@st.composite
def mutated_map_data(draw):
    """A valid map with one field replaced, removed or added: the typical broken map."""
    data = draw(map_data(max_nodes=4))
    target = data
    path = []
    while True:
        if isinstance(target, dict) and target and draw(st.booleans()):
            key = draw(st.sampled_from(sorted(target, key=str)))
            path.append(key)
            if isinstance(target[key], (dict, list)) and target[key] and draw(st.booleans()):
                target = target[key]
                continue
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "replace":
                target[key] = draw(json_like)
            elif action == "delete":
                del target[key]
            else:
                target[draw(st.text(max_size=8))] = draw(json_like)
            return data
        if isinstance(target, list) and target:
            i = draw(st.integers(0, len(target) - 1))
            if isinstance(target[i], (dict, list)) and target[i] and draw(st.booleans()):
                target = target[i]
                continue
            target[i] = draw(json_like)
            return data
        if isinstance(target, dict):
            target[draw(st.text(max_size=8))] = draw(json_like)
        return data
