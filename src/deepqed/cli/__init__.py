"""The ``deepqed`` command line: ``verify``, ``book``, ``exercise`` and ``progress``.

Each sub-command lives in its own module; this one only assembles them.
"""

from __future__ import annotations

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
)
app.command()(verify)
app.command()(book)
app.command()(progress)
app.add_typer(exercise_app, name="exercise")


def main() -> None:
    app()
