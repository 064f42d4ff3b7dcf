"""``deepqed book``: build the verified book as HTML."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..book import build


def book(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder for the HTML.")] = Path(
        "_build/html"
    ),
    seed: Annotated[
        int, typer.Option(min=0, help="Seed of the witnesses shown beside statements.")
    ] = 0,
    strict: Annotated[bool, typer.Option(help="Treat Sphinx warnings as errors.")] = True,
    fresh: Annotated[bool, typer.Option(help="Ignore caches; rebuild everything.")] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the index page in a browser.")
    ] = False,
) -> None:
    """Build the HTML book (witness results beside every statement) and print its index page."""
    err = Console(stderr=True)
    try:
        index = build(out, seed=seed, strict=strict, fresh=fresh, console=err)
    except RuntimeError as exc:
        err.print("[bold red]book build failed:[/]", escape(str(exc)), soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(str(index))
    if open_:
        import webbrowser

        webbrowser.open(index.as_uri())
