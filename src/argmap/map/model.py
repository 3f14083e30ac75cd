"""The map format, version 1: the one declaration of its fields (see docs/format.md).

A map is an :class:`ArgumentMap` of :class:`Node` objects, each with its
:class:`Relation` lists. The classes are msgspec Structs: importing msgspec
and validating a 10,000-node map with it costs a few milliseconds, and
``argmap check`` of a small map runs in well under a second of which most is
start-up. Everything else about the format is derived from these classes:
the canonical field order (``TOP_ORDER``, ``NODE_ORDER``... are the Structs'
encoded field names, in declaration order), the canonical plain data
(:func:`map_to_data`), and, in :mod:`argmap.map.spec`, the pydantic models
that give the JSON Schema and the wording of schema errors.

Ids and relation references are plain ``str`` here, annotated with their
pattern for the JSON Schema only: :func:`from_data` matches them all in one
pass (3x faster than msgspec's per-field patterns on a 10,000-node map).

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

# "\Z" is the end of the text, as "$" is in the JSON Schema and in pydantic's (Rust)
# regex engine; Python's "$" would also match before a final line break.
_ID_OK = re.compile(ID_PATTERN[:-1] + r"\Z").match
# many ids joined by single spaces (no id holds a space), matched in one pass
_IDS_OK = re.compile(f"(?:{ID_PATTERN[1:-1]} )*{ID_PATTERN[1:-1]}\\Z").match
_REF_OK = re.compile(RELATION_REF_PATTERN[:-1] + r"\Z").match
# The pattern is for the JSON Schema (msgspec does not check extra_json_schema): from_data checks it.
_ID = Annotated[str, msgspec.Meta(extra_json_schema={"pattern": ID_PATTERN})]
_REF = Annotated[str, msgspec.Meta(extra_json_schema={"pattern": RELATION_REF_PATTERN})]
_TEXT = Annotated[str, msgspec.Meta(min_length=1)]


class NodeKind(str, Enum):
    thesis = "thesis"
    claim = "claim"
    premise = "premise"
    recommendation = "recommendation"
    objection = "objection"


KINDS = tuple(k.value for k in NodeKind)


class _Fields(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Every class of the format: unknown fields are errors; empty optional fields are left out when written."""


class Relation(_Fields, kw_only=True):
    """One relation entry: a target id, optionally linked ``with`` co-premises, a scheme and its premises' roles."""

    to: _ID
    with_: list[_ID] = msgspec.field(default_factory=list, name="with")
    scheme: _TEXT | None = None
    roles: dict[_TEXT, _ID] = msgspec.field(default_factory=dict)

    @property
    def simple(self) -> bool:
        return not self.with_ and self.scheme is None and not self.roles


class Answer(_Fields, kw_only=True):
    """A node's answer to a critical question of a reason (``p1->rec``) of the map."""

    reason: _REF
    question: _TEXT


class Draft(_Fields, kw_only=True):
    """Metadata left by ``argmap extract``; the analyst removes it once reviewed."""

    confidence: Annotated[float, msgspec.Meta(ge=0.0, le=1.0)]
    backend: str | None = None
    cues: list[str] = msgspec.field(default_factory=list)


class Node(_Fields, kw_only=True):
    id: _ID
    kind: NodeKind
    text: _TEXT
    quote: _TEXT | None = None
    actor: _TEXT | None = None
    # A bare id in the file is a simple relation; from_data turns it into a Relation.
    supports: list[Union[_ID, Relation]] = msgspec.field(default_factory=list)
    attacks: list[Union[_ID, Relation]] = msgspec.field(default_factory=list)
    undercuts: list[_REF] = msgspec.field(default_factory=list)
    answers: list[Answer] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    note: str | None = None
    ignore: list[str] = msgspec.field(default_factory=list)
    draft: Draft | None = None


class Source(_Fields, kw_only=True):
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


class ArgumentMap(_Fields, kw_only=True):
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


# Canonical field order (JSON export, YAML writing, fmt): the order of the declarations above.
TOP_ORDER = ArgumentMap.__struct_encode_fields__
SOURCE_ORDER = Source.__struct_encode_fields__
NODE_ORDER = Node.__struct_encode_fields__
RELATION_ORDER = Relation.__struct_encode_fields__
ANSWER_ORDER = Answer.__struct_encode_fields__
DRAFT_ORDER = Draft.__struct_encode_fields__
FIELD_ORDERS = (NODE_ORDER, TOP_ORDER, SOURCE_ORDER, RELATION_ORDER, ANSWER_ORDER, DRAFT_ORDER)

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
    targets: list[str] = []  # every relation target, co-premise and role id
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
                        if rel.roles:
                            targets += rel.roles.values()
        if node.undercuts and not all(map(_REF_OK, node.undercuts)):
            ok = False
        if node.answers and not all(_REF_OK(a.reason) for a in node.answers):
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
                elif not all(map(id_ok, (rel.to, *rel.with_, *rel.roles.values()))):
                    raise ValidationError(f"Expected node ids - at `$.nodes[{n}].{key}[{i}]`")
        for i, ref in enumerate(node.undercuts):
            if not ref_ok(ref):
                raise ValidationError(f"Expected a relation reference - at `$.nodes[{n}].undercuts[{i}]`")
        for i, answer in enumerate(node.answers):
            if not ref_ok(answer.reason):
                raise ValidationError(f"Expected a relation reference - at `$.nodes[{n}].answers[{i}].reason`")
    return amap


def replace(obj, **changes):
    """A copy of a map, node or relation with some fields changed."""
    return msgspec.structs.replace(obj, **changes)


def _bare_relations(node: dict) -> dict:
    """A node's plain data with each relation that is only a target written as its bare id."""
    for key in ("supports", "attacks"):
        rels = node.get(key)
        if rels:
            node[key] = [r if r.__class__ is str or len(r) > 1 else r["to"] for r in rels]
    return node


def map_to_data(amap: ArgumentMap) -> dict[str, Any]:
    """The canonical plain-data form: the declared field order, empty optional fields
    omitted, a relation that is only a target written as its id."""
    data = msgspec.to_builtins(amap)
    for node in data["nodes"]:
        _bare_relations(node)
    return data


def node_to_data(node: Node) -> dict[str, Any]:
    return _bare_relations(msgspec.to_builtins(node))


def relation_to_data(rel: Relation | str) -> Any:
    data = msgspec.to_builtins(rel)
    return data if data.__class__ is str or len(data) > 1 else data["to"]
