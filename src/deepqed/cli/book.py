"""``deepqed book``: build the verified book as HTML, or as a PDF with ``--pdf``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape


def book(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Output folder (default: _build/html, or _build/pdf with --pdf).",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool,
        typer.Option(
            "--pdf", help="Build the PDF (Sphinx's LaTeX builder and latexmk) instead of HTML."
        ),
    ] = False,
    solutions: Annotated[
        str,
        typer.Option(
            help="Where the PDF puts the solutions: appendix, none or inline (HTML: collapsed)."
        ),
    ] = "appendix",
    seed: Annotated[
        int, typer.Option(min=0, help="Seed of the witnesses shown beside statements.")
    ] = 0,
    strict: Annotated[bool, typer.Option(help="Treat Sphinx warnings as errors.")] = True,
    fresh: Annotated[bool, typer.Option(help="Ignore caches; rebuild everything.")] = False,
    open_: Annotated[
        bool, typer.Option("--open", help="Open the index page (or the PDF) when built.")
    ] = False,
) -> None:
    """Build the book (witness results beside every statement) and print the path of its index
    page, or of the PDF with --pdf. Progress goes to standard error."""
    from ..sphinxext.pdf import SOLUTIONS

    err = Console(stderr=True, highlight=False)
    if solutions not in SOLUTIONS:
        err.print(f"[bold red]error:[/] --solutions must be one of {', '.join(SOLUTIONS)}")
        raise typer.Exit(2)
    from ..book import build, build_pdf  # here: `deepqed exercise` need not import Sphinx's side

    target = out or Path("_build/pdf" if pdf else "_build/html")
    try:
        if pdf:
            result = build_pdf(
                target, seed=seed, strict=strict, fresh=fresh, solutions=solutions, console=err
            )
        else:
            result = build(target, seed=seed, strict=strict, fresh=fresh, console=err)
    except RuntimeError as exc:
        err.print("[bold red]book build failed:[/]", escape(str(exc)), soft_wrap=True)
        raise typer.Exit(1) from None
    typer.echo(str(result))
    if open_:
        import webbrowser

        webbrowser.open(result.as_uri())
