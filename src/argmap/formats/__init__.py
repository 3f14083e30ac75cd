"""Foreign formats: one module per format, looked up lazily by name.

``EXPORTERS`` maps a format name to ``"module:function"``; the function takes
a :class:`argmap.loading.LoadedMap` and returns the exported text.
``IMPORTERS`` maps a format name to ``"module:function"``; the function takes
``(path, text)`` and returns an :class:`argmap.formats.base.ImportResult`.
"""

from __future__ import annotations

import importlib

EXPORTERS: dict[str, str] = {
    "json": "argmap.formats.canonical:export_json",
    "yaml": "argmap.formats.canonical:export_yaml",
}

IMPORTERS: dict[str, str] = {}


def resolve(spec: str):
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)
