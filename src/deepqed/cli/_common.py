"""What the exercise commands share: the ``exercise`` command group, the console, exercise lookup
and the ``--data-dir`` option."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

__all__ = [
    "exercise_app",
    "EXIT",
    "DataDir",
    "make_console",
    "entry_or_exit",
    "implement_or_exit",
    "is_terminal",
    "write_tsv",
    "plain",
]

exercise_app = typer.Typer(
    help="Exercises that grade themselves: list, show, start, check, hint, solution, mark, grade.",
    no_args_is_help=True,
)

EXIT = {"passed": 0, "failed": 1, "unusable": 2}

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Folder of the progress database (default: "
        "$DEEPQED_DATA_DIR, else the user data folder).",
        show_default=False,
    ),
]


def make_console(panels: bool = False) -> Console:
    """Lines are not wrapped by Rich (reports stay copyable and greppable); panels wrap."""
    return Console(highlight=False, soft_wrap=not panels)


def is_terminal() -> bool:
    """Whether standard output is a terminal (tables and panels) rather than a pipe or a file
    (plain tab-separated lines)."""
    return sys.stdout.isatty()


def write_tsv(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Tab-separated lines, a header first; tabs and newlines inside a field become spaces and
    nothing is shortened."""
    clean = lambda v: " ".join(str(v).split())
    for row in (header, *rows):
        typer.echo("\t".join(clean(v) for v in row))


def plain(text: str) -> str:
    """The book's MyST and TeX as readable text: labels as numbers ("Proposition 6.4"),
    mathematics in Unicode."""
    from deepqed.plaintext import to_text

    return to_text(text)


def entry_or_exit(exercise_id: str) -> Any:
    from deepqed.exercises import catalogue

    try:
        return catalogue.get(exercise_id)
    except catalogue.UnknownExercise as e:
        make_console().print(Text(f"error: {e}", style="red"))
        raise typer.Exit(2) from None


def implement_or_exit(entry: Any, command: str) -> Any:
    from deepqed.exercises.spec import Compute, Implement

    if not isinstance(entry.exercise, (Implement, Compute)):
        make_console().print(
            Text(
                f"{entry.exercise.id} is a proof exercise: `{command}` applies to "
                "exercises you implement. Write the proof, then run "
                f"`deepqed exercise mark {entry.exercise.id}`.",
                style="yellow",
            )
        )
        raise typer.Exit(2)
    return entry.exercise
