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

import gc

# The cyclic garbage collector is paused while typer and click are imported:
# they build tens of thousands of objects that all live as long as the
# process, and the collector's passes over them cost 10-20 ms of every run.
# Then those objects are moved out of its sight (gc.freeze) and it is back
# on (if it was on) before anything else happens. (A program that imports
# argmap.cli late in its life also freezes what it holds then: objects the
# collector will no longer free if they become garbage in a cycle. The
# Python API, argmap.io.loading, argmap.checks and the rest, does not do this.)
_GC_WAS_ENABLED = gc.isenabled()
gc.disable()

import functools  # noqa: E402
import importlib  # noqa: E402
import inspect  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from collections.abc import MutableMapping  # noqa: E402

import typer  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from argmap import __version__  # noqa: E402

gc.freeze()
if _GC_WAS_ENABLED:
    gc.enable()


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
        module = self._module_of.get(name)
        if module is None:
            return None
        return next(i for i in self._subs[module].registered_commands
                    if (i.name or typer.main.get_command_name(i.callback.__name__)) == name)

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


def report_error(exc) -> int:
    """Print an ArgmapError as clear sentences on stderr; return its exit code."""
    from argmap.map.errors import MapInvalid

    if isinstance(exc, MapInvalid) and exc.diagnostics:
        for d in exc.diagnostics:
            typer.echo(d.format(), err=True)
    else:
        typer.echo(f"argmap: {exc.message}", err=True)
    return exc.exit_code


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
            try:
                sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            except OSError:
                pass
            raise typer.Exit(0) from None

    return wrapper


# True in the console entry point (main), where the process ends right after the
# command: a command may then leave its memory to the operating system.
ONE_SHOT = False


def collector_off_until_exit() -> bool:
    """In the console entry point, turn the cyclic garbage collector off for the
    rest of the process and return True; elsewhere (tests, library use) do
    nothing and return False.

    A command that builds a big map allocates hundreds of thousands of
    objects that all live until the process ends: the collector's passes over
    them find nothing to free (20-30% of an import or check of 10,000 nodes).
    """
    if ONE_SHOT:
        gc.disable()
    return ONE_SHOT


def main() -> None:
    """Console entry point: no traceback ever reaches a user."""
    global ONE_SHOT
    gc_was_enabled = gc.isenabled()
    ONE_SHOT = True
    try:
        try:
            _main()
            code = 0
        except SystemExit as done:
            if os.environ.get("ARGMAP_DEBUG"):
                raise
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        _exit_now(code)
    finally:  # reached only when the process goes on (ARGMAP_DEBUG, or os._exit replaced in a test)
        ONE_SHOT = False
        if gc_was_enabled:
            gc.enable()


def _exit_now(code: int) -> None:
    """End the process without the interpreter's teardown (as mypy does).

    Output is flushed and ``atexit`` handlers run, but the objects of a big map
    are not freed one by one, nor are the modules torn down: the operating
    system takes the memory back at once. On a 10,000-node map that is tens of
    milliseconds of a half-second run.
    """
    import atexit

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said there
            pass
    atexit._run_exitfuncs()
    os._exit(code)


def _main() -> None:
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


if __name__ == "__main__":  # pragma: no cover
    main()
