"""One module per command; see argmap.cli for the protocol (ORDER, register).

:func:`report_error` is shared by the commands and the app (cli.py); the other
helpers here carry what several commands do alike.
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


def require_node(amap, node_id: str, name) -> None:
    """UsageError unless ``amap`` has a node ``node_id`` (for --node); ``name`` names the map."""
    from argmap.map.diagnostics import did_you_mean
    from argmap.map.errors import UsageError

    if amap.node(node_id) is None:
        raise UsageError(f"{name}: there is no node {node_id!r}{did_you_mean(node_id, [n.id for n in amap.nodes])}.")


class ProgressBar:
    """A progress bar on standard error over ``total`` items (render, site), shown only on a
    terminal, for more than one item, once the run takes "longer than a moment"
    (``ARGMAP_PROGRESS_AFTER`` seconds, 0.5 by default). Stop it with :meth:`stop`."""

    def __init__(self, label: str, total: int = 0):
        import os
        import time

        self.label, self.total = label, total
        self.started = time.monotonic()
        try:
            self.moment = float(os.environ.get("ARGMAP_PROGRESS_AFTER", "0.5"))
        except ValueError:
            self.moment = 0.5
        self.bar = self.task = None

    def update(self, done: int, description: str) -> None:
        """``done`` items finished, ``description`` the one at hand; starts the bar when it is time."""
        import sys
        import time

        if (self.bar is None and self.total > 1 and sys.stderr.isatty()
                and time.monotonic() - self.started >= self.moment):
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn(self.label), BarColumn(), MofNCompleteColumn(),
                                TextColumn("{task.description}"), TimeElapsedColumn(),
                                console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task("", total=self.total)
        if self.bar is not None:
            self.bar.update(self.task, completed=done, description=description)

    def log(self, message: str) -> None:
        """A line on standard error, above the bar when it is shown."""
        if self.bar is None:
            import typer

            typer.echo(message, err=True)
        else:
            self.bar.console.print(message, markup=False, highlight=False, soft_wrap=True)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
