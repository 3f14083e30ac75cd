"""One module per command; see argmap.cli for the protocol (ORDER, register).

:func:`report_error` is shared by the commands and the app (cli.py).
"""

from __future__ import annotations


def report_error(exc) -> int:
    """Print an ArgmapError as clear sentences on stderr; return its exit code."""
    import typer

    from argmap.map.errors import MapInvalid

    if isinstance(exc, MapInvalid) and exc.diagnostics:
        for d in exc.diagnostics:
            typer.echo(d.format(), err=True)
    else:
        typer.echo(f"argmap: {exc.message}", err=True)
    return exc.exit_code
