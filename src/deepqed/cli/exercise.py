"""Placeholder replaced by the exercise sub-commands."""

import typer

exercise_app = typer.Typer(help="Exercises that grade themselves.", no_args_is_help=True)


def progress() -> None:
    """Per chapter: solved / attempted / total."""
