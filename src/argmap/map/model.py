"""The map format, version 1: the classes a loaded map is made of (see docs/format.md).

A map is an :class:`ArgumentMap` of :class:`Node` objects, each with its
:class:`Relation` lists. The classes are msgspec Structs: importing msgspec
and validating a 10,000-node map with it costs a few milliseconds, where the
pydantic models cost a few hundred on this project's machines, and
``argmap check`` of a small map runs in well under a second of which most is
start-up. The pydantic models in :mod:`argmap.map.spec` stay the format's
reference: the JSON Schema comes from them, and they explain what is wrong
with a map that does not validate. tests/test_model_equivalence.py proves the
two accept exactly the same data and build the same map.

Building a Struct directly (``Node(id=..., kind=NodeKind.claim, ...)``) does
not validate; code that makes maps from foreign data goes through
:func:`from_data`, which does.

The classes validate; they do not reject duplicate ids or dangling relations
(those are ``argmap check`` findings with positions, never silent merges).
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated, Any, Literal, Union

import msgspec

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
RELATION_REF_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*(->[A-Za-z][A-Za-z0-9_.-]*)+$"

# Ids and relation references are matched by from_data in one pass over the nodes
# (3x faster than msgspec's per-field patterns on a 10,000-node map). "\Z" is the end
# of the text, as "$" is in the JSON Schema and in pydantic's (Rust) regex engine;
# Python's "$" would also match before a final line break.
_ID_OK = re.compile(ID_PATTERN[:-1] + r"\Z").match
# many ids joined by single spaces (no id holds a space), matched in one pass
_IDS_OK = re.compile(f"(?:{ID_PATTERN[1:-1]} )*{ID_PATTERN[1:-1]}\\Z").match
_REF_OK = re.compile(RELATION_REF_PATTERN[:-1] + r"\Z").match
_ID = str
_REF = str
_TEXT = Annotated[str, msgspec.Meta(min_length=1)]


class NodeKind(str, Enum):
    thesis = "thesis"
    claim = "claim"
    premise = "premise"
    recommendation = "recommendation"
    objection = "objection"


KINDS = tuple(k.value for k in NodeKind)


class Relation(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """One relation entry: a target id, optionally linked ``with`` co-premises."""

    to: _ID
    with_: list[_ID] = msgspec.field(default_factory=list, name="with")
    scheme: _TEXT | None = None

    @property
    def simple(self) -> bool:
        return not self.with_ and self.scheme is None


class Draft(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Metadata left by ``argmap extract``; the analyst removes it once reviewed."""

    confidence: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
    backend: str | None = None
    cues: list[str] = msgspec.field(default_factory=list)


class Node(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    id: _ID
    kind: NodeKind
    text: _TEXT
    quote: _TEXT | None = None
    actor: _TEXT | None = None
    # A bare id in the file is a simple relation; from_data turns it into a Relation.
    supports: list[Union[_ID, Relation]] = msgspec.field(default_factory=list)
    attacks: list[Union[_ID, Relation]] = msgspec.field(default_factory=list)
    undercuts: list[_REF] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    note: str | None = None
    ignore: list[str] = msgspec.field(default_factory=list)
    draft: Draft | None = None


class Source(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    path: _TEXT | None = None
    text: _TEXT | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        if self.path is not None and self.text is not None:
            raise ValueError("give either 'path' or 'text', not both")


class ArgumentMap(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    argmap: Literal[1]
    title: str | None = None
    source: Source | None = None
    nodes: list[Node]

    def node(self, node_id: str) -> Node | None:
        """The first node with this id (duplicates are a check finding)."""
        for n in self.nodes:
            if n.id == node_id:
                return n
        return None


ValidationError = msgspec.ValidationError


def from_data(data: Any) -> ArgumentMap:
    """Plain data (as read from YAML or JSON) → a validated :class:`ArgumentMap`.

    Raises :class:`ValidationError` (msgspec's) with a short message when the
    data is not a valid map; :func:`argmap.io.loading.validate` turns that into
    schema diagnostics with positions (using :mod:`argmap.map.spec` for the wording).
    """
    amap = msgspec.convert(data, ArgumentMap)
    nodes = amap.nodes
    # The common case in bulk: ids and targets are gathered and matched together
    # (C-level maps, no Python loop over them); when something fails, the nodes
    # are gone through one by one for the first problem's path.
    ok = _all_ids(list(map(_node_id, nodes)))
    targets: list[str] = []  # every relation target and co-premise id
    add = targets.append
    for node in nodes:
        for rels in (node.supports, node.attacks):
            if rels:
                for i, rel in enumerate(rels):  # bare ids become Relations, in place
                    if rel.__class__ is str:
                        add(rel)
                        rels[i] = Relation(to=rel)
                    else:
                        add(rel.to)
                        targets += rel.with_
        if node.undercuts and not all(map(_REF_OK, node.undercuts)):
            ok = False
    if ok and _all_ids(targets):
        return amap
    return _checked_one_by_one(amap)


def _all_ids(values: list[str]) -> bool:
    """Whether every string is a node id (one regex pass over them all)."""
    if not values:
        return True
    joined = " ".join(values)
    # a space inside a value would split it into two: count the spaces first
    return joined.count(" ") == len(values) - 1 and _IDS_OK(joined) is not None


def _node_id(node: Node) -> str:
    return node.id


def _checked_one_by_one(amap: ArgumentMap) -> ArgumentMap:
    """The checks of :func:`from_data`, item by item: raises with the first problem's path."""
    id_ok, ref_ok = _ID_OK, _REF_OK
    for n, node in enumerate(amap.nodes):
        if not id_ok(node.id):
            raise ValidationError(f"Expected a node id - at `$.nodes[{n}].id`")
        for key in ("supports", "attacks"):
            rels = getattr(node, key)
            for i, rel in enumerate(rels):
                if rel.__class__ is str:
                    if not id_ok(rel):
                        raise ValidationError(f"Expected a node id - at `$.nodes[{n}].{key}[{i}]`")
                    rels[i] = Relation(to=rel)
                elif not id_ok(rel.to) or not all(id_ok(m) for m in rel.with_):
                    raise ValidationError(f"Expected node ids - at `$.nodes[{n}].{key}[{i}]`")
        for i, ref in enumerate(node.undercuts):
            if not ref_ok(ref):
                raise ValidationError(f"Expected a relation reference - at `$.nodes[{n}].undercuts[{i}]`")
    return amap


def replace(obj, **changes):
    """A copy of a map, node or relation with some fields changed."""
    return msgspec.structs.replace(obj, **changes)


# Canonical field order, used by JSON export, YAML writing and fmt.
TOP_ORDER = ("argmap", "title", "source", "nodes")
SOURCE_ORDER = ("path", "text", "title", "author", "publisher", "url", "published")
NODE_ORDER = (
    "id", "kind", "text", "quote", "actor", "supports", "attacks", "undercuts",
    "tags", "note", "ignore", "draft",
)
RELATION_ORDER = ("to", "with", "scheme")
DRAFT_ORDER = ("confidence", "backend", "cues")


def relation_to_data(rel: Relation) -> Any:
    if rel.simple:
        return rel.to
    out: dict[str, Any] = {"to": rel.to}
    if rel.with_:
        out["with"] = list(rel.with_)
    if rel.scheme is not None:
        out["scheme"] = rel.scheme
    return out


def draft_to_data(draft: Draft) -> dict[str, Any]:
    d: dict[str, Any] = {"confidence": draft.confidence}
    if draft.backend is not None:
        d["backend"] = draft.backend
    if draft.cues:
        d["cues"] = list(draft.cues)
    return d


def node_to_data(node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"id": node.id, "kind": node.kind.value, "text": node.text}
    for key in ("quote", "actor"):
        value = getattr(node, key)
        if value is not None:
            out[key] = value
    for key in ("supports", "attacks"):
        rels = getattr(node, key)
        if rels:
            out[key] = [relation_to_data(r) for r in rels]
    for key in ("undercuts", "tags"):
        value = getattr(node, key)
        if value:
            out[key] = list(value)
    if node.note is not None:
        out["note"] = node.note
    if node.ignore:
        out["ignore"] = list(node.ignore)
    if node.draft is not None:
        out["draft"] = draft_to_data(node.draft)
    return out


def map_to_data(amap: ArgumentMap) -> dict[str, Any]:
    """The canonical plain-data form: documented field order, empty fields omitted."""
    out: dict[str, Any] = {"argmap": amap.argmap}
    if amap.title is not None:
        out["title"] = amap.title
    if amap.source is not None:
        src = {k: getattr(amap.source, k) for k in SOURCE_ORDER if getattr(amap.source, k) is not None}
        out["source"] = src
    out["nodes"] = [node_to_data(n) for n in amap.nodes]
    return out


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the format (from the pydantic reference models)."""
    from argmap.map.spec import json_schema as _schema

    return _schema()
