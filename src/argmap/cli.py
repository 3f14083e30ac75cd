"""The typer app: parse options, call the core, map results to exit codes.

Commands live one per module in :mod:`argmap.commands`; each module exposes
``ORDER`` (its place in ``--help``) and ``register(app, wrap)``. Command
modules import only typer and the standard library at module level; the work
is imported inside the command, so ``argmap --help`` stays instant.

The command modules are loaded lazily: ``argmap check ...`` imports and builds
only ``argmap.commands.check`` (a module named like its command, or with a
trailing ``_`` as in ``import_``); ``--help``, a typo, or a command whose
module is named otherwise loads them all.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import inspect
import os
import sys
from collections.abc import MutableMapping

import typer
from typer.core import TyperCommand, TyperGroup

from argmap import __version__
from argmap.commands import report_error


def _command_modules() -> list[str]:
    """The names of the command modules (found, not imported)."""
    import pkgutil

    import argmap.commands as pkg

    return [info.name for info in pkgutil.iter_modules(pkg.__path__) if not info.name.startswith("_")]


class _LazyCommands(MutableMapping):
    """The click commands of the app, each imported and built on first use.

    ``commands[name]`` / ``commands.get(name)`` import only the module of that
    command (``name`` or ``name_``) and build only its commands. Listing the
    names (``--help``, suggestions for a typo) imports every module, which
    only registers its commands; :meth:`summary` gives ``--help`` a command's
    name and help without building its parameters.
    """

    def __init__(self, settings: dict):
        self._settings = settings  # for the per-module Typer: the app's help rendering
        self._subs: dict[str, typer.Typer] = {}  # module -> a Typer holding its registered commands
        self._module_of: dict[str, str] = {}  # command name -> module
        self._infos: dict[str, typer.models.CommandInfo] = {}  # command name -> as registered
        self._order: dict[str, tuple] = {}  # command name -> (ORDER, module name), the --help order
        self._built: dict = {}  # command name -> click command

    def _load(self, module: str) -> None:
        if module in self._subs:
            return
        mod = importlib.import_module(f"argmap.commands.{module}")
        sub = self._subs[module] = typer.Typer(**self._settings)
        mod.register(sub, wrap)
        for info in sub.registered_commands:
            name = info.name or typer.main.get_command_name(info.callback.__name__)
            self._module_of[name] = module
            self._infos[name] = info
            self._order[name] = (getattr(mod, "ORDER", 100), mod.__name__)

    def _load_all(self) -> None:
        for module in _command_modules():
            self._load(module)

    def _info(self, name):
        if name not in self._module_of and isinstance(name, str):
            modules = _command_modules()
            for module in (name, name + "_"):
                if module in modules:
                    self._load(module)
            if name not in self._module_of:  # a command whose module has another name, or none
                self._load_all()
        return self._infos.get(name)

    def summary(self, name):
        """The command as ``--help`` lists it: name, help, hidden, deprecated; no parameters."""
        if name in self._built:
            return self._built[name]
        info = self._info(name)
        if info is None:
            return None
        # the help as typer.main.get_command_from_info derives it
        text = inspect.getdoc(info.callback) if info.help is None else inspect.cleandoc(info.help)
        return TyperCommand(name=name, help=text, short_help=info.short_help, hidden=info.hidden,
                            deprecated=info.deprecated, rich_markup_mode=self._settings["rich_markup_mode"])

    def __getitem__(self, name):
        if name not in self._built and self._info(name) is not None:
            self._built.update(typer.main.get_group(self._subs[self._module_of[name]]).commands)
        return self._built[name]

    def __setitem__(self, name, cmd) -> None:
        self._built[name] = cmd
        self._order.setdefault(name, (100, name))

    def __delitem__(self, name) -> None:
        self._load_all()
        del self._order[name]  # KeyError for an unknown name
        self._built.pop(name, None)
        self._module_of.pop(name, None)
        self._infos.pop(name, None)

    def __iter__(self):
        self._load_all()
        return iter(sorted(self._order, key=self._order.__getitem__))

    def __len__(self) -> int:
        self._load_all()
        return len(self._order)


class _LazyGroup(TyperGroup):
    """The app's click group; its commands come from :class:`_LazyCommands`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commands = _LazyCommands(_COMMAND_SETTINGS)
        for name, cmd in (self.commands or {}).items():  # any command registered on `app` directly
            commands[name] = cmd
        self.commands = commands
        self._listing = False

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)  # names in ORDER; nothing built

    def format_commands(self, ctx, formatter) -> None:
        self._listing = True  # the listing needs names and one-line help only
        try:
            super().format_commands(ctx, formatter)
        finally:
            self._listing = False

    def get_command(self, ctx, cmd_name):
        if self._listing:
            return self.commands.summary(cmd_name)
        return super().get_command(ctx, cmd_name)


# shared by the app and the per-module Typer each command is built in (same help rendering)
_COMMAND_SETTINGS = dict(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)

app = typer.Typer(
    name="argmap",
    cls=_LazyGroup,
    help=(
        "Keep the argument of an article as code: a typed map of its thesis, claims, "
        "premises, recommendations and objections, each tied to the article's words.\n\n"
        "Exit codes: 0 success; 1 problems in the input (a map that does not parse or "
        "validate, check findings); 2 usage error or input that cannot be read."
    ),
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    **_COMMAND_SETTINGS,
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


def wrap(func):
    """Turn the project's errors into one clear message and the documented exit code."""
    from argmap.map.errors import ArgmapError

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ArgmapError as exc:
            raise typer.Exit(report_error(exc)) from None
        except BrokenPipeError:
            # stdout closed early (e.g. `argmap show | head`): not an error
            with contextlib.suppress(OSError):
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            raise typer.Exit(0) from None

    return wrapper


def main() -> None:
    """Console entry point: no traceback ever reaches a user.

    Ends with ``SystemExit`` carrying the exit code (typer's way), so a profiler
    or a test that calls it sees it through: ``python -c "import cProfile, sys;
    sys.argv = ['argmap', 'check', 'maps/x.yaml']; from argmap.cli import main;
    cProfile.run('main()', 'out.prof')"``.
    """
    from argmap.map.errors import ArgmapError

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


def run() -> None:
    """The ``argmap`` console script: :func:`main`, then a fast exit (as mypy does).

    Output is flushed and ``atexit`` handlers run, but the interpreter's
    teardown is skipped (modules and the objects of a big map are not freed
    one by one, and there is no last garbage collection): the operating
    system takes the memory back at once, 10-15 ms of every run. :func:`main`
    itself ends with ``SystemExit``, so it can be profiled or called in
    process.
    """
    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    import atexit

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe or stream: nothing more can be said there
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
