"""Writing maps and other files: canonical text and atomic writes.

Every file argmap writes goes through :func:`atomic_write`: a temporary file
in the same folder, flushed and synced, then renamed over the target, so an
interrupted or failed run leaves the previous file intact.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from argmap.errors import WriteError


def dumps_json_data(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps(amap, fmt: str = "yaml") -> str:
    """Canonical text of a map: ``json`` or ``yaml``."""
    from argmap.model import map_to_data

    data = map_to_data(amap)
    if fmt == "json":
        return dumps_json_data(data)
    if fmt == "yaml":
        return dumps_yaml_data(data)
    raise ValueError(f"unknown map format {fmt!r}")


def dumps_yaml_data(data: Any) -> str:
    """YAML in the canonical layout (the same one ``argmap fmt`` writes)."""
    from argmap.fmt import canonical_yaml

    return canonical_yaml(data)


def dump(amap, path: str | os.PathLike, fmt: str | None = None) -> None:
    p = Path(path)
    if fmt is None:
        fmt = "json" if p.suffix.lower() == ".json" else "yaml"
    atomic_write(p, dumps(amap, fmt))


def atomic_write(path: str | os.PathLike, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically, or raise WriteError and leave it untouched."""
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    if p.is_dir():
        raise WriteError(f"{p}: is a directory; give a file path to write to.")
    if not parent.exists():
        raise WriteError(f"{p}: the folder {parent} does not exist; create it first.")
    if not parent.is_dir():
        raise WriteError(f"{p}: {parent} is not a folder.")
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd = None
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=parent)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            mode = p.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, p)
        tmp = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise WriteError(f"{p}: could not be written ({reason}); the previous file, if any, is unchanged.") from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
