"""The ``deepqed`` command line: ``verify``, ``book``, ``exercise`` and ``progress``.

Each sub-command lives in its own module; this one only assembles them.
"""

from __future__ import annotations

from typing import Annotated

import typer

from . import grading  # noqa: F401  (registers `exercise check` and `exercise grade`)
from .book import book
from .exercise import exercise_app, progress
from .verify import verify

app = typer.Typer(
    name="deepqed",
    help="deepqed: an executable, machine-checked textbook of the mathematics of neural networks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"deepqed {version('deepqed')}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """deepqed: an executable, machine-checked textbook of the mathematics of neural networks."""


app.command()(verify)
app.command()(book)
app.command()(progress)
app.add_typer(exercise_app, name="exercise")


def main() -> None:
    app()
