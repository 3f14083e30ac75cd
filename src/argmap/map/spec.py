"""The map format, version 1, specified as pydantic v2 models (see docs/format.md).

These models are the format's reference: ``argmap schema`` is generated from
them, and when a map does not validate they say what is wrong, field by field,
for the schema diagnostics. Loading does not build them: the runtime classes
in :mod:`argmap.map.model` (msgspec Structs, much cheaper to import and build) take
valid maps; tests/test_model_equivalence.py proves both accept the same data
and give the same map.

The models validate; they do not reject duplicate ids or dangling relations
(those are ``argmap check`` findings with positions, never silent merges).
Numbers are strict: ``argmap: true`` or ``confidence: "0.5"`` are errors.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from argmap.map.model import ID_PATTERN, RELATION_REF_PATTERN, NodeKind

NodeId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
RelationRefStr = Annotated[str, StringConstraints(pattern=RELATION_REF_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=False, frozen=False)


class Relation(_Strict):
    """One relation entry: a target id, optionally linked ``with`` co-premises."""

    to: NodeId
    with_: list[NodeId] = Field(default_factory=list, alias="with")
    scheme: Text | None = None


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

    confidence: float = Field(ge=0.0, le=1.0, strict=True)
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

    @field_validator("argmap", mode="before")
    @classmethod
    def _version_is_a_whole_number(cls, value: Any) -> Any:
        # Literal[1] alone takes true and 1.0 as 1; the format's version is the number 1.
        if isinstance(value, (bool, float)):
            raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
        return value



def json_schema() -> dict[str, Any]:
    schema = ArgumentMap.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:argmap:format:1"
    schema["title"] = "argmap map, format version 1"
    return schema
