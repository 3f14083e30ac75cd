"""The ``argmap`` console script, and ``python -m argmap``."""

import gc


def run() -> None:
    """Load the CLI with the cyclic garbage collector paused, then run it.

    Importing typer and the standard modules it pulls in builds tens of
    thousands of objects that all live until the process ends; the
    collector's passes over them while they load cost about 4 ms of every
    run (5% of checking the bundled map). Once loaded they are frozen
    (:func:`gc.freeze`: later passes skip them) and the collector is on
    again before any command runs. The CLI itself is :func:`argmap.cli.run`.
    """
    gc.disable()
    try:
        from argmap.cli import run as cli_run
    finally:
        gc.freeze()
        gc.enable()
    cli_run()


if __name__ == "__main__":
    run()
