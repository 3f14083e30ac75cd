"""Files: reading and decoding text, which files are maps, and the one folder walker.

* :func:`read_text` / :func:`decode_text`: UTF-8 text with clear errors
  (``-`` is standard input), bounded by the size limit.
* :func:`resolve_source`: the article a map's ``source.path`` names, read
  safely (a path that leaves the map's *home*, the git repository holding
  the map or the map's own folder outside one, is refused unless allowed).
* :data:`MAP_SUFFIXES`, :func:`is_map_text` (the one "is this a map?"
  sniffer), :func:`walk` (the one folder walker) and :func:`find_maps`
  (the two together), used by ``check``, ``fmt``, ``render`` and ``import``.

Which files a folder yields: files ending in ``.yaml``, ``.yml`` or
``.json`` (any case), in sorted order, leaving out hidden files and folders
(a name starting with ``.``), the folders in :data:`SKIP_DIRS`, and what the
``exclude`` globs name (see :func:`excluded`).
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from pathlib import Path
from typing import Iterable

from argmap.map.errors import Unreadable, UsageError

MAP_SUFFIXES = (".yaml", ".yml", ".json")
ARGMAP_SUFFIXES = (".argmap.yaml", ".argmap.yml", ".argmap.json")  # always taken for maps
SKIP_DIRS = frozenset({"node_modules", "venv", "__pycache__", "site-packages"})  # and every hidden folder

DEFAULT_MAX_BYTES = 50 * 1024 * 1024  # ARGMAP_MAX_BYTES or max-file-size overrides


def max_bytes_default() -> int:
    env = os.environ.get("ARGMAP_MAX_BYTES")
    if env:
        try:
            value = int(env.strip().replace("_", ""))
        except ValueError:
            value = 0
        if value <= 0:
            raise UsageError(f"ARGMAP_MAX_BYTES must be a positive whole number of bytes, not {env!r}.")
        return value
    return DEFAULT_MAX_BYTES


# --------------------------------------------------------------------------- reading


def _a(noun: str) -> str:
    return ("an " if noun[:1].lower() in "aeiou" else "a ") + noun


def read_text(path: str | os.PathLike, *, max_bytes: int | None = None, what: str = "file") -> str:
    """Read a UTF-8 text file (``-`` is standard input) with clear errors.

    A UTF-8 byte-order mark is accepted and dropped.
    """
    limit = max_bytes_default() if max_bytes is None else max_bytes
    if limit <= 0:
        raise UsageError(f"the size limit must be a positive number of bytes, not {limit}.")
    name = str(path)
    if "\x00" in name:
        raise Unreadable(f"{name!r}: a file name cannot contain a NUL character.")
    if name == "-":
        name = "standard input"
        data = _read_piped(sys.stdin.buffer, limit)
    else:
        p = Path(path)
        try:
            if p.is_dir():
                raise Unreadable(f"{name}: is a directory, not {_a(what)}.")
            size = p.stat().st_size
            if size > limit:
                raise Unreadable(
                    f"{name}: {what} is {size:,} bytes, over the limit of {limit:,} bytes "
                    "(raise it with ARGMAP_MAX_BYTES or max-file-size)."
                )
            with open(p, "rb") as fh:
                # as much as the file holds, and one byte more: read(limit + 1) would set aside the
                # whole limit (50 MB) first; a file that grew since (or a /proc file of size 0) is
                # read on in pieces, up to the limit
                data = fh.read(size + 1)
                if len(data) > size:
                    data += _read_piped(fh, limit - len(data))
        except FileNotFoundError:
            raise Unreadable(f"{name}: no such file.") from None
        except PermissionError:
            raise Unreadable(f"{name}: permission denied.") from None
        except IsADirectoryError:
            raise Unreadable(f"{name}: is a directory, not {_a(what)}.") from None
        except OSError as exc:
            raise Unreadable(f"{name}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > limit:
        raise Unreadable(
            f"{name}: {what} is over the limit of {limit:,} bytes "
            "(raise it with ARGMAP_MAX_BYTES or max-file-size)."
        )
    return decode_text(data, name, what=what)


def _read_piped(fh, limit: int) -> bytes:
    """What ``fh`` holds, up to ``limit + 1`` bytes (one more than allowed tells an oversized
    input), read in pieces until it ends: a single ``read(limit + 1)`` would set aside the
    whole limit first."""
    chunks = []
    total = 0
    while total <= limit:
        chunk = fh.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


_UTF16_32_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode_text(data: bytes, name: str, *, what: str = "file") -> str:
    """Bytes → text: UTF-8 only (a UTF-8 byte-order mark is dropped), with clear errors."""
    for bom, encoding in _UTF16_32_BOMS:
        if data.startswith(bom):
            raise Unreadable(f"{name}: is {encoding} text, not UTF-8; convert it to UTF-8 first.")
    if b"\x00" in data[:8192]:
        raise Unreadable(f"{name}: is binary data, not a text {what}.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise Unreadable(
            f"{name}: is not UTF-8 text (invalid byte 0x{data[exc.start]:02x} on line {line}); "
            "convert it to UTF-8 first."
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


class _Mark:
    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


def offset_mark(text: str, offset: int, *, in_bytes: bool) -> _Mark:
    """A 0-based mark for a character (or UTF-8 byte) offset into ``text``."""
    head = text.encode("utf-8")[:offset].decode("utf-8", "ignore") if in_bytes else text[:offset]
    line = head.count("\n")
    return _Mark(line, len(head) - (head.rfind("\n") + 1))


def one_line(message: str) -> str:
    return " ".join(str(message).split())


# --------------------------------------------------------------------------- what is a map


# a top-level argmap key: YAML at the start of a line (block or flow), or JSON anywhere
_MAP_KEY = re.compile(r"""^(?:\{[ \t]*)?(?:argmap|"argmap"|'argmap')[ \t]*:|"argmap"\s*:""", re.M)
_BLANK = re.compile(r"(?:[ \t]*(?:#[^\n]*)?(?:\r?\n|\Z))*\Z")


def is_blank(text: str) -> bool:
    """Whether ``text`` is empty, or holds only blank lines and ``#`` comments."""
    return _BLANK.match(text) is not None


def has_map_key(text: str) -> bool:
    """Whether ``text`` has a top-level ``argmap`` key (YAML or JSON), by a cheap scan."""
    return _MAP_KEY.search(text) is not None


def is_map_text(text: str, name: str = "") -> bool:
    """The one "is this a map?" sniffer, for files found in folders and files named
    among others: a top-level ``argmap`` key, a name ending in ``.argmap.yaml``
    (``.yml``, ``.json``), or no content at all (an empty or comment-only file
    where a map is expected is a broken map, not some other file)."""
    return name.lower().endswith(ARGMAP_SUFFIXES) or has_map_key(text) or is_blank(text)


def is_argdown_json(data) -> bool:
    """An Argdown JSON export: ``statements`` and ``arguments`` mappings."""
    return isinstance(data, dict) and isinstance(data.get("statements"), dict) and isinstance(data.get("arguments"), dict)


def detect_json(data) -> str | None:
    """What parsed JSON is: ``argmap``, ``aif``, ``xaif``, ``argdown-json``, ``sadface``, or None.

    For ``argmap import`` (which format to read) and for the hint a map that is
    none ("this is an AIF document; convert it with 'argmap import'")."""
    if not isinstance(data, dict):
        return None
    nodes = data.get("nodes")
    if "argmap" in data and "nodes" in data and not isinstance(data.get("argmap"), dict):
        return "argmap"
    if isinstance(data.get("AIF"), dict):
        return "xaif"
    if isinstance(nodes, list) and isinstance(data.get("edges"), list) and (
            not nodes or (isinstance(nodes[0], dict) and "nodeID" in nodes[0])):
        return "aif"
    if is_argdown_json(data):
        return "argdown-json"
    if isinstance(nodes, list) and (
            (isinstance(data.get("metadata"), dict) and "core" in data["metadata"])
            or any(isinstance(n, dict) and n.get("type") in ("atom", "scheme") for n in nodes[:50])):
        return "sadface"
    return None


def _sniff(path: str) -> bool:
    """:func:`is_map_text` on a file; True when it cannot be read (the loader says why)."""
    try:
        return is_map_text(read_text(path, what="map"), path)
    except Unreadable:
        return True


# --------------------------------------------------------------------------- walking folders


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except (OSError, ValueError):  # a name too long, or holding a NUL: the reader reports it
        return False


def excluded(path: str, patterns: Iterable[str]) -> bool:
    """Whether an ``exclude`` glob names ``path`` (as walked, relative to the current folder).

    A pattern without ``/`` is matched against every part of the path (a
    folder or file name: ``fixtures``, ``*.schema.json``); a pattern with
    ``/`` against the whole path and each folder it lies in (``tests/data``,
    ``maps/draft-*.yaml``). ``*`` and ``?`` are shell wildcards (``*``
    crosses ``/``); matching is case-sensitive.
    """
    if os.path.isabs(path):  # patterns are relative to the current folder
        try:
            rel = os.path.relpath(path)
        except ValueError:  # another drive
            rel = path
        path = path if rel.startswith("..") else rel
    norm = os.path.normpath(path).replace(os.sep, "/")
    parts = [p for p in norm.split("/") if p not in ("", ".")]
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pat = pattern.strip().rstrip("/")
        if pat.startswith("./"):
            pat = pat[2:]
        if not pat:
            continue
        if "/" in pat:
            if any(fnmatch.fnmatchcase(p, pat) for p in prefixes):
                return True
        elif any(fnmatch.fnmatchcase(p, pat) for p in parts):
            return True
    return False


def walk(paths: Iterable[str | os.PathLike], *, exclude: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """The files to read for ``paths``, as ``(name, named)`` pairs, without duplicates.

    A named file (or ``-``, standard input) is taken as it is (``named`` True);
    a folder is searched recursively for ``*.yaml``, ``*.yml`` and ``*.json``
    files (``named`` False), hidden files and folders and :data:`SKIP_DIRS`
    left out. ``exclude`` globs (:func:`excluded`) leave out named and found
    files alike, and whole folders; standard input is never excluded.
    """
    exclude = tuple(exclude)
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()

    def add(name: str, named: bool) -> None:
        if name not in seen:
            seen.add(name)
            out.append((name, named))

    for p in paths:
        name = str(p)
        if name == "-":
            add(name, True)
            continue
        if exclude and excluded(name, exclude):
            continue
        if not _is_dir(Path(name)):
            add(name, True)
            continue
        found = []
        for root, dirs, files in os.walk(name):
            dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIP_DIRS
                       and not (exclude and excluded(os.path.join(root, d), exclude))]
            for f in files:
                if not f.startswith(".") and f.lower().endswith(MAP_SUFFIXES):
                    full = os.path.join(root, f)
                    if not (exclude and excluded(full, exclude)):
                        found.append(full)
        for f in sorted(found):
            add(f, False)
    return out


def find_maps(paths: Iterable[str | os.PathLike], *, exclude: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """The maps among ``paths``: :func:`walk`, keeping of the files found in folders
    those that :func:`is_map_text` takes for maps (or that cannot be read, so that
    the loader reports them). Named files are all kept. Returns ``(name, named)``.

    The API for commands that take many maps (``check``, ``render``, ``site``)::

        for name, named in find_maps(["maps/"], exclude=config.exclude): ...
    """
    return [(name, named) for name, named in walk(paths, exclude=exclude) if named or _sniff(name)]


# --------------------------------------------------------------------------- a map's source file


def find_home(folder: Path) -> tuple[Path, str]:
    """The map's home: the nearest folder upward holding ``.git``, else ``folder``.

    Walks the filesystem (no ``git`` process on the hot path). Returns the
    real path and a phrase describing it for messages.
    """
    real = Path(os.path.realpath(folder))
    for f in (real, *real.parents):
        if os.path.exists(os.path.join(f, ".git")):
            return f, "the git repository holding the map"
    return real, "the map's folder, as it is in no git repository"


def is_inside(path: str | os.PathLike, home: str | os.PathLike) -> bool:
    """Whether the real path of ``path`` (symlinks resolved) is ``home`` or under it."""
    real = os.path.realpath(path)
    root = os.path.realpath(home)
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def resolve_source(loaded, *, allow_outside: bool = False, max_bytes: int | None = None) -> SourceText | None:
    """Read the source of a loaded map; None when the map names no source text.

    Never raises for a bad source: the problem is returned in
    :attr:`SourceText.problem` so ``check`` can report it with a position.
    """
    from argmap.map.source import SourceText

    src = getattr(loaded.map, "source", None)
    if src is None:
        return None
    title = src.title or getattr(loaded.map, "title", None)
    if src.text is not None:
        return SourceText(None, None, src.text, title=title, author=src.author)
    if src.path is None:
        return None
    declared = src.path

    def failed(problem: str, kind: str = "unreadable") -> SourceText:
        return SourceText(declared, None, None, f"source.path {declared!r} {problem}", kind, title, src.author)

    if "\x00" in declared:  # no file name holds a NUL; os.path would raise ValueError
        return failed("cannot be a file name (it holds a NUL character)")
    base = loaded.base_dir
    # '~' is not expanded: a path in a map is relative to the map (or absolute), never
    # to somebody's home directory (and '~unknownuser' would make pathlib raise).
    candidate = Path(declared)
    if not candidate.is_absolute():
        candidate = base / candidate
    if not allow_outside:
        home, what = find_home(base)
        if not is_inside(candidate, home):
            return failed(f"leads outside the map's home ({what}), so argmap will not read it; move the source "
                          "inside, or pass --allow-outside-source (or set allow-outside-source = true) if you "
                          "trust this map", "outside")
    try:
        if not candidate.exists():
            return failed(f"does not exist (looked for {candidate}); the path is relative to the map file", "missing")
        if not candidate.is_file():
            what_is = "a directory" if candidate.is_dir() else "not a regular file"
            return failed(f"is {what_is}, not a text file")
        text = read_text(candidate, max_bytes=max_bytes, what="source")
    except Unreadable as exc:
        msg = exc.message.rstrip(".")
        if msg.startswith(str(candidate) + ": "):
            msg = msg[len(str(candidate)) + 2:]
        return failed(f"cannot be read: {msg}")
    except OSError as exc:
        return failed(f"cannot be read ({exc.strerror or exc})")
    return SourceText(declared, candidate, text, title=title, author=src.author)
