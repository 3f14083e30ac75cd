"""The map format as pydantic v2 models, built from :mod:`argmap.map.model` (see docs/format.md).

The msgspec Structs of :mod:`argmap.map.model` declare the format; this module
builds a pydantic model from each (``create_model``: the same fields, names,
defaults and constraints) for what msgspec does less well: ``argmap schema``
prints :func:`json_schema`, and when a map does not validate, :class:`ArgumentMap`
lists every problem with its path for the schema diagnostics
(:func:`argmap.io.loading.validate`). Loading never builds these models.

What the translation adds, so both accept the same data (tests/test_model.py):
id patterns become constraints (the Structs leave them to ``from_data``);
numbers are strict and a whole-number ``Literal`` refuses ``true`` and ``1.0``,
as in msgspec; a ``Union`` of an id and a Struct is the Struct, written in
short as its first field (``supports: [a, {to: b, with: [c]}]``); a Struct's
``__post_init__`` runs as a model validator.
"""

from __future__ import annotations

import types
import typing
from enum import Enum
from typing import Annotated, Any, Literal, Union

import msgspec
from pydantic import (
    BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter, create_model, model_validator,
)
from pydantic_core import PydanticCustomError

from argmap.map import model

_CONFIG = ConfigDict(extra="forbid", populate_by_name=False)


def _constraints(meta: msgspec.Meta) -> list:
    """pydantic metadata for what a msgspec ``Meta`` declares."""
    out: list = []
    pattern = meta.pattern or (meta.extra_json_schema or {}).get("pattern")
    if pattern is not None or meta.min_length is not None:
        out.append(StringConstraints(pattern=pattern, min_length=meta.min_length))
    if meta.ge is not None or meta.le is not None or meta.description is not None:
        out.append(Field(ge=meta.ge, le=meta.le, description=meta.description))
    return out


def _whole_number(value: Any) -> Any:
    # Literal[1] alone takes true and 1.0 as 1; msgspec (and the format) want the number 1.
    if isinstance(value, (bool, float)):
        raise PydanticCustomError("literal_error", "Input should be 1", {"expected": "1"})
    return value


class _ShortForm:
    """A Struct that may be written as its first field alone: the JSON Schema says both."""

    def __init__(self, short: dict):
        self.short = short

    def __get_pydantic_json_schema__(self, core_schema, handler):
        return {"anyOf": [self.short, handler(core_schema)]}


def _type(tp: Any) -> Any:
    """The pydantic type of a msgspec field type."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is Annotated:
        extras = [c for m in tp.__metadata__ if isinstance(m, msgspec.Meta) for c in _constraints(m)]
        return Annotated[(_type(args[0]), *extras)] if extras else _type(args[0])
    if isinstance(tp, type) and issubclass(tp, msgspec.Struct):
        return _model(tp)
    if tp is float:
        return Annotated[float, Strict()]
    if origin is list:
        return list[_type(args[0])]
    if origin is dict:
        return dict[_type(args[0]), _type(args[1])]
    if origin is Literal and all(type(a) is int for a in args):
        return Annotated[tp, BeforeValidator(_whole_number)]
    if origin in (Union, types.UnionType):
        structs = [a for a in args if isinstance(a, type) and issubclass(a, msgspec.Struct)]
        others = [a for a in args if a not in structs]
        if len(structs) == 1 and len(others) == 1 and others[0] is not type(None):
            # the short form: a bare value stands for the Struct with only its first field
            first = msgspec.structs.fields(structs[0])[0].encode_name
            short = TypeAdapter(_type(others[0])).json_schema()
            return Annotated[
                _model(structs[0]), BeforeValidator(lambda v: {first: v} if isinstance(v, str) else v), _ShortForm(short)
            ]
        return Union[tuple(_type(a) for a in args)]
    if tp is str or tp is type(None) or (isinstance(tp, type) and issubclass(tp, Enum)) or origin is Literal:
        return tp
    raise TypeError(f"no pydantic type for {tp!r}")  # pragma: no cover - a new kind of field


_MODELS: dict[type, type[BaseModel]] = {}


def _model(struct: type[msgspec.Struct]) -> type[BaseModel]:
    """The pydantic model of a Struct: same fields, in order, with the same names in the file."""
    found = _MODELS.get(struct)
    if found is not None:
        return found
    hints = typing.get_type_hints(struct, include_extras=True)
    fields: dict[str, Any] = {}
    for f in msgspec.structs.fields(struct):
        kw: dict[str, Any] = {}
        if f.encode_name != f.name:
            kw["alias"] = f.encode_name
        if f.default_factory is not msgspec.NODEFAULT:
            kw["default_factory"] = f.default_factory
        elif f.default is not msgspec.NODEFAULT:
            kw["default"] = f.default
        fields[f.name] = (_type(hints[f.name]), Field(**kw))
    validators = {}
    check = struct.__dict__.get("__post_init__")
    if check is not None:
        validators["post_init"] = model_validator(mode="after")(lambda self: check(self) or self)
    found = _MODELS[struct] = create_model(
        struct.__name__, __config__=_CONFIG, __doc__=struct.__dict__.get("__doc__"), __validators__=validators, **fields
    )
    return found


ArgumentMap = _model(model.ArgumentMap)


def fields_at(loc: tuple) -> tuple[str, ...]:
    """The field names (as written in a file) of the mapping that holds the field at ``loc``."""
    current: Any = ArgumentMap
    for step in loc[:-1]:
        if isinstance(step, int) or current is None:
            continue
        info = current.model_fields.get(step) or next(
            (f for f in current.model_fields.values() if f.alias == step), None
        )
        current = _model_in(info.annotation) if info is not None else None
    if current is None:
        return ()
    return tuple(f.alias or name for name, f in current.model_fields.items())


def _model_in(tp: Any) -> type[BaseModel] | None:
    """The model a field's type holds (in a list, an optional or a short form), if any."""
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def json_schema() -> dict[str, Any]:
    schema = ArgumentMap.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:argmap:format:1"
    schema["title"] = "argmap map, format version 1"
    return schema
