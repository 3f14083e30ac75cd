"""Reading foreign JSON with one clear message on failure, and finding text beside files."""

from __future__ import annotations

import json
from pathlib import Path

from argmap.formats.base import ForeignInvalid


_LAST: list = []  # (text, data) of the last document parsed by detection, to parse a big file once


def parse_cached(text: str):
    """json.loads, remembering the result for the importer that runs next on the same text."""
    if _LAST and _LAST[0][0] is text:
        return _LAST[0][1]
    data = json.loads(text)
    _LAST[:] = [(text, data)]
    return data


def load_json(text: str, name: str, what: str):
    if _LAST and _LAST[0][0] is text:
        data = _LAST[0][1]
        _LAST.clear()
        return data
    if not text.strip():
        raise ForeignInvalid(f"{name}: the file is empty, not {what}.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ForeignInvalid(
            f"{name}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg}); is the file truncated?"
        ) from None
    except RecursionError:
        raise ForeignInvalid(f"{name}: the JSON is nested too deeply to be {what}.") from None
    except ValueError:  # e.g. an integer with more digits than Python converts (found by fuzzing)
        raise ForeignInvalid(f"{name}: a number in the JSON has too many digits to be {what}.") from None


def text_beside(path: Path | None, suffix: str = ".txt") -> str | None:
    """The UTF-8 text file with the same stem beside ``path`` (AIFdb, arg-microtexts), if any."""
    if path is None:
        return None
    cand = path.with_suffix(suffix)
    if cand == path or not cand.is_file():
        return None
    from argmap.io.files import read_text

    return read_text(cand, what="source text")
