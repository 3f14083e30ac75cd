"""Canonical YAML layout of maps (interim writer; `argmap fmt` builds on it)."""

from __future__ import annotations

from typing import Any


def canonical_yaml(data: Any) -> str:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88, default_flow_style=False)
