"""argmap: keep the argument of an article as code.

The small Python API (see README, "Python API")::

    import argmap
    loaded = argmap.load("maps/nato-asia-pacific.yaml")   # -> argmap.io.loading.LoadedMap
    amap = loaded.map                                      # -> argmap.map.model.ArgumentMap
    print(argmap.dumps(amap, "json"))                      # canonical JSON (or "yaml")
    argmap.dump(amap, "copy.yaml")                         # atomic write

Heavy modules are imported lazily so that ``import argmap`` and
``argmap --help`` stay instant.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load", "loads", "dump", "dumps"]


def load(path, **kwargs):
    """Load a map file (``.yaml``/``.yml``/``.json``, or ``-`` for stdin).

    Raises :class:`argmap.map.errors.MapInvalid` when the content is broken (with
    diagnostics carrying positions) and :class:`argmap.map.errors.Unreadable` when
    the file cannot be read as text.
    """
    from argmap.io.loading import load_map

    return load_map(path, **kwargs)


def loads(text, *, name="<string>", fmt=None):
    """Load a map from a string; ``fmt`` is ``"yaml"`` or ``"json"`` (default: guessed)."""
    from argmap.io.loading import load_text

    return load_text(text, name=name, fmt=fmt)


def dumps(amap, fmt="yaml"):
    """The canonical text of a map, as ``"yaml"`` or ``"json"``."""
    from argmap.io.writing import dumps as _dumps

    return _dumps(amap, fmt)


def dump(amap, path, fmt=None):
    """Write a map atomically; the format follows the suffix unless ``fmt`` is given."""
    from argmap.io.writing import dump as _dump

    return _dump(amap, path, fmt)
