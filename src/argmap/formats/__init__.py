"""Foreign formats: one module per format, looked up lazily by name.

``EXPORTERS`` maps a format name to ``"module:function"``; the function takes
a :class:`argmap.io.loading.LoadedMap` and returns the exported text, or a pair
``(text, notes)`` where ``notes`` say what the format could not carry.
``IMPORTERS`` maps a format name to ``"module:function"``; the function takes
``(path, text)`` and returns an :class:`argmap.formats.base.ImportResult`.
"""

from __future__ import annotations

import importlib

from argmap.io.files import detect_json  # noqa: F401  (what parsed JSON is: the one sniffer, in io)

EXPORTERS: dict[str, str] = {
    "json": "argmap.formats.canonical:export_json",
    "yaml": "argmap.formats.canonical:export_yaml",
    "argdown": "argmap.formats.argdown:export_argdown",
    "aif": "argmap.formats.aif:export_aif",
    "xaif": "argmap.formats.aif:export_xaif",
    "sadface": "argmap.formats.sadface:export_sadface",
    "mermaid": "argmap.formats.diagram:export_mermaid",
    "graphml": "argmap.formats.diagram:export_graphml",
}

IMPORTERS: dict[str, str] = {
    "argdown": "argmap.formats.argdown:import_argdown",
    "argdown-json": "argmap.formats.argdown:import_argdown_json",
    "aif": "argmap.formats.aif:import_aif",
    "xaif": "argmap.formats.aif:import_xaif",
    "sadface": "argmap.formats.sadface:import_sadface",
    "microtexts": "argmap.formats.microtexts:import_microtexts",
}

# What each export format cannot carry (argmap → format → argmap), for docs and --help.
EXPORT_LIMITS: dict[str, str] = {
    "json": "nothing: it is the map itself",
    "yaml": "comments of the original file",
    "argdown": "nothing for argmap's own importer; Argdown tools show linked/named attacks as plain attacks and "
    "do not draw undercuts of attacks or of undercuts (those ride in Argdown data)",
    "aif": "nothing for argmap's own importer (kinds, actors, tags, notes ride in an 'argmap' key AIF tools ignore)",
    "xaif": "as aif",
    "sadface": "nothing for argmap's own importer (argmap fields ride in atom metadata)",
    "mermaid": "a drawing only: there is no Mermaid importer",
    "graphml": "a drawing/analysis graph only: there is no GraphML importer",
}

SUFFIXES = {
    ".argdown": "argdown",
    ".ad": "argdown",
    ".xml": "microtexts",
}


def resolve(spec: str):
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def detect(name: str, text: str) -> str | None:
    """The import format of a file, from its suffix and content; None when it cannot tell."""
    lower = name.lower()
    for suffix, fmt in SUFFIXES.items():
        if lower.endswith(suffix):
            return fmt
    head = text.lstrip()[:200]
    if head.startswith("<"):
        return "microtexts" if "<arggraph" in text[:4000] else None
    if head.startswith(("{", "[")):
        from argmap.formats.jsonio import parse_cached

        try:
            data = parse_cached(text)
        except (ValueError, RecursionError):  # JSONDecodeError, or an integer too long to convert
            return "json?"  # JSON-looking but broken: the caller reports the syntax error
        return detect_json(data)
    if lower.endswith(".json"):
        return "json?"
    if "\n(1)" in text or "<+" in text or "\n  +" in text or "\n  -" in text or "]: " in text:
        return "argdown"
    return None
