"""The project's own error types, each with the exit code it maps to.

Exit codes, the same for every command:

* 0: success;
* 1: problems in the input (a map that does not parse or validate, ``check``
  findings);
* 2: usage error, or input that cannot be read at all (missing file, a
  directory, bytes that are not UTF-8 text), or a tool argmap needs is missing
  (Graphviz) or failed.
"""

from __future__ import annotations


class ArgmapError(Exception):
    """Base class: a failure a user can cause, with one clear sentence."""

    exit_code = 2

    def __init__(self, message: str, *, exit_code: int | None = None):
        from argmap.map.diagnostics import printable

        message = printable(message)  # file names and map content may hold control characters
        super().__init__(message)
        self.message = message
        if exit_code is not None:
            self.exit_code = exit_code

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message


class Unreadable(ArgmapError):
    """Input that cannot be read at all: missing, a directory, not UTF-8, too large."""

    exit_code = 2


class UsageError(ArgmapError):
    """A wrong option, a wrong combination of options, a bad argument."""

    exit_code = 2


class ToolError(ArgmapError):
    """An outside tool (Graphviz, a browser, an LLM endpoint) is missing or failed."""

    exit_code = 2


class WriteError(ArgmapError):
    """A file could not be written; nothing was half-written."""

    exit_code = 2


class MapInvalid(ArgmapError):
    """The content of a file is broken: syntax or schema. Carries diagnostics."""

    exit_code = 1

    def __init__(self, message: str, diagnostics=()):
        super().__init__(message, exit_code=1)
        self.diagnostics = list(diagnostics)
