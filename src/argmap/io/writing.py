"""Writing maps and other files: canonical text and atomic writes.

Every file argmap writes goes through :func:`atomic_write`: a temporary file
in the same folder, flushed and synced, then renamed over the target, so an
interrupted or failed run leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

from argmap.map.errors import WriteError


def dumps_json_data(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps(amap, fmt: str = "yaml") -> str:
    """Canonical text of a map: ``json`` or ``yaml``."""
    from argmap.map.model import map_to_data

    data = map_to_data(amap)
    if fmt == "json":
        return dumps_json_data(data)
    if fmt == "yaml":
        from argmap.io.yamlemit import canonical_yaml  # the layout `argmap fmt` writes

        return canonical_yaml(data)
    raise ValueError(f"unknown map format {fmt!r}")


def dump(amap, path: str | os.PathLike, fmt: str | None = None) -> None:
    p = Path(path)
    if fmt is None:
        fmt = "json" if p.suffix.lower() == ".json" else "yaml"
    atomic_write(p, dumps(amap, fmt))


def _is_special(path: Path) -> bool:
    """True for an existing character device or FIFO (``/dev/null``, ``/dev/stdout``, a pipe)."""
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def _fail(path: Path, exc: OSError, *, atomic: bool = True) -> WriteError:
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the file system is full" if exc.errno == errno.ENOSPC else "the disk quota is exceeded"
    tail = "; the previous file, if any, is unchanged." if atomic else "."
    return WriteError(f"{path}: could not be written ({reason}){tail}")


def atomic_write(path: str | os.PathLike, content: str | bytes) -> None:
    """Write ``content`` to ``path`` atomically, or raise WriteError and leave it untouched.

    The content goes to a temporary file in the same folder, is flushed and
    synced, takes the mode of the file it replaces (or the umask's default),
    and is renamed over ``path``; the folder is synced too. A failure at any
    step removes the temporary file and leaves the previous file as it was; a
    killed process leaves at most a stray ``.NAME.*.tmp`` beside it, never a
    half-written ``path``.

    A symlink at ``path`` is replaced by the new file, never written through
    (a planted link cannot redirect a write). A character device or FIFO
    (``/dev/null``, ``/dev/stdout``, a pipe) is written to directly.
    """
    p = Path(path)
    name = str(path)
    if "\x00" in name:
        raise WriteError(f"{name!r}: a file name cannot contain a NUL character.")
    try:
        data = content.encode("utf-8") if isinstance(content, str) else content
    except UnicodeEncodeError:
        raise WriteError(f"{p}: the text to write is not valid Unicode (a lone surrogate); nothing was written.") from None
    try:
        is_dir = p.is_dir()
    except OSError as exc:  # e.g. a name too long
        raise _fail(p, exc) from None
    if is_dir:
        raise WriteError(f"{p}: is a directory; give a file path to write to.")
    if _is_special(p):
        try:
            with open(p, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise _fail(p, exc, atomic=False) from None
        return
    parent = p.parent
    try:
        parent_exists = parent.exists()
    except OSError as exc:
        raise _fail(p, exc) from None
    if not parent_exists:
        raise WriteError(f"{p}: the folder {parent} does not exist; create it first.")
    if not parent.is_dir():
        raise WriteError(f"{p}: {parent} is not a folder.")
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
            mode = p.stat().st_mode & 0o7777 if not p.is_symlink() else None
        except FileNotFoundError:
            mode = None
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, p)
        tmp = None
        _sync_dir(parent)
    except OSError as exc:
        raise _fail(p, exc) from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _sync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: not every system can sync a folder)."""
    with contextlib.suppress(OSError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
