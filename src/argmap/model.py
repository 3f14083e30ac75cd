"""The map format, version 1, as pydantic v2 models (see docs/format.md).

The models validate; they do not reject duplicate ids or dangling relations
(those are ``argmap check`` findings with positions, never silent merges).
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

ID_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*$"
RELATION_REF_PATTERN = r"^[A-Za-z][A-Za-z0-9_.-]*(->[A-Za-z][A-Za-z0-9_.-]*)+$"

NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
RelationRefStr = Annotated[str, StringConstraints(pattern=RELATION_REF_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]


class NodeKind(str, Enum):
    thesis = "thesis"
    claim = "claim"
    premise = "premise"
    recommendation = "recommendation"
    objection = "objection"


KINDS = tuple(k.value for k in NodeKind)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


class Relation(_Strict):
    """One relation entry: a target id, optionally linked ``with`` co-premises."""

    to: NodeId
    with_: list[NodeId] = Field(default_factory=list, alias="with")
    scheme: Text | None = None

    @property
    def simple(self) -> bool:
        return not self.with_ and self.scheme is None


def _coerce_relation(value: Any) -> Any:
    if isinstance(value, str):
        return {"to": value}
    return value


_RELATION_JSON_SCHEMA = {
    "anyOf": [
        {"type": "string", "pattern": ID_PATTERN, "description": "the id of the target node"},
        {
            "type": "object",
            "description": "a linked relation: this node and the `with` nodes support/attack `to` jointly",
            "properties": {
                "to": {"type": "string", "pattern": ID_PATTERN},
                "with": {"type": "array", "items": {"type": "string", "pattern": ID_PATTERN}},
                "scheme": {"type": "string", "minLength": 1},
            },
            "required": ["to"],
            "additionalProperties": False,
        },
    ]
}

RelationEntry = Annotated[
    Relation, BeforeValidator(_coerce_relation), WithJsonSchema(_RELATION_JSON_SCHEMA)
]


class Draft(_Strict):
    """Metadata left by ``argmap extract``; the analyst removes it once reviewed."""

    confidence: float = Field(ge=0.0, le=1.0)
    backend: str | None = None
    cues: list[str] = Field(default_factory=list)


class Node(_Strict):
    id: NodeId
    kind: NodeKind
    text: Text
    quote: Text | None = None
    actor: Text | None = None
    supports: list[RelationEntry] = Field(default_factory=list)
    attacks: list[RelationEntry] = Field(default_factory=list)
    undercuts: list[RelationRefStr] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    note: str | None = None
    ignore: list[str] = Field(default_factory=list)
    draft: Draft | None = None


class Source(_Strict):
    path: Text | None = None
    text: Text | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None

    @model_validator(mode="after")
    def _path_or_text(self):
        if self.path is not None and self.text is not None:
            raise ValueError("give either 'path' or 'text', not both")
        return self


class ArgumentMap(_Strict):
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
        d: dict[str, Any] = {"confidence": node.draft.confidence}
        if node.draft.backend is not None:
            d["backend"] = node.draft.backend
        if node.draft.cues:
            d["cues"] = list(node.draft.cues)
        out["draft"] = d
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
    schema = ArgumentMap.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:argmap:format:1"
    schema["title"] = "argmap map, format version 1"
    return schema
