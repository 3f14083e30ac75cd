"""argmap's own formats: canonical JSON and YAML."""

from __future__ import annotations

from argmap.io.writing import dumps


def export_json(loaded) -> str:
    return dumps(loaded.map, "json")


def export_yaml(loaded) -> str:
    return dumps(loaded.map, "yaml")
