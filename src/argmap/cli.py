"""The typer app: parse options, call the core, map results to exit codes.

Commands live one per module in :mod:`argmap.commands`; each module exposes
``ORDER`` (its place in ``--help``) and ``register(app, wrap)``. Command
modules import only typer and the standard library at module level; the work
is imported inside the command, so ``argmap --help`` stays instant.
"""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import sys

import typer

from argmap import __version__

app = typer.Typer(
    name="argmap",
    help=(
        "Keep the argument of an article as code: a typed map of its thesis, claims, "
        "premises, recommendations and objections, each tied to the article's words.\n\n"
        "Exit codes: 0 success; 1 problems in the input (a map that does not parse or "
        "validate, check findings); 2 usage error or input that cannot be read."
    ),
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool):
    if value:
        typer.echo(f"argmap {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
    ),
):
    """argmap: argument maps as code."""


def report_error(exc) -> int:
    """Print an ArgmapError as clear sentences on stderr; return its exit code."""
    from argmap.errors import MapInvalid

    if isinstance(exc, MapInvalid) and exc.diagnostics:
        for d in exc.diagnostics:
            typer.echo(d.format(), err=True)
    else:
        typer.echo(f"argmap: {exc.message}", err=True)
    return exc.exit_code


def wrap(func):
    """Turn the project's errors into one clear message and the documented exit code."""
    from argmap.errors import ArgmapError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ArgmapError as exc:
            raise typer.Exit(report_error(exc)) from None
        except BrokenPipeError:
            # stdout closed early (e.g. `argmap show | head`): not an error
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            except OSError:
                pass
            raise typer.Exit(0) from None

    return wrapper


def _register_commands() -> None:
    import argmap.commands as pkg

    modules = []
    for info in pkgutil.iter_modules(pkg.__path__):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"argmap.commands.{info.name}")
        modules.append(mod)
    for mod in sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__)):
        mod.register(app, wrap)


_register_commands()


def main() -> None:
    """Console entry point: no traceback ever reaches a user."""
    from argmap.errors import ArgmapError

    try:
        app()
    except ArgmapError as exc:  # raised outside a wrapped command
        sys.exit(report_error(exc))
    except KeyboardInterrupt:
        typer.echo("argmap: interrupted; no file was changed half-way.", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one sentence, keep the traceback for debugging
        if os.environ.get("ARGMAP_DEBUG"):
            raise
        typer.echo(
            f"argmap: internal error ({type(exc).__name__}: {exc}); this is a bug, please report it "
            "(set ARGMAP_DEBUG=1 to see the traceback).",
            err=True,
        )
        sys.exit(3)


if __name__ == "__main__":  # pragma: no cover
    main()
