"""Rules the loader reports while reading a file (documented here, not run here).

A file that fails these is not checked further: there is no map to check.
"""

from __future__ import annotations

from argmap.checks.rule import ERROR, not_run, rule


@rule("AM001", "syntax-error", ERROR, "loader")
@not_run
def syntax_error(ctx):
    """The file is not valid YAML or JSON (or repeats a key in one mapping).

    A map that does not parse cannot be checked at all. The message gives the
    parser's reason and the line and column where it gave up.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: "an unclosed quote
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: "a closed quote"
    """
    return ()


@rule("AM002", "schema-error", ERROR, "loader")
@not_run
def schema_error(ctx):
    """The file parses, but is not a valid map: unknown field, wrong type, bad kind or bad id.

    Unknown fields are errors so that a typo (``suports:``) is never silently
    ignored; the message suggests the closest known field or kind.

    Failing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: The claim the map argues for.
            suports: []
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: The claim the map argues for.
    """
    return ()


@rule("AM003", "yaml-alias", ERROR, "loader")
@not_run
def yaml_alias(ctx):
    """The YAML uses anchors, aliases or merge keys (``&a``, ``*a``, ``<<``).

    Maps need none of them, they hide what a node says from a reviewer
    reading a diff, and refusing them closes "billion laughs" memory bombs.

    Failing example::

        argmap: 1
        nodes:
          - &t
            id: thesis
            kind: thesis
            text: The claim the map argues for.
    Passing example::

        argmap: 1
        nodes:
          - id: thesis
            kind: thesis
            text: The claim the map argues for.
    """
    return ()
