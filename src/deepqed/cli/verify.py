"""``deepqed verify``: run the witnesses of the book's numbered statements."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ._common import is_terminal, plain, write_tsv

if TYPE_CHECKING:
    from ..verify import Result

_STYLE = {"passed": "green", "failed": "bold red", "error": "bold red", "unwitnessed": "yellow"}


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.3g}"


def _measured(r: Result) -> str:
    """The worst comparison as "measured vs tolerance" (or "ratio to the bound"), its units."""
    if r.status == "unwitnessed":
        return "cited" if r.strength == "cited" else "not tested numerically"
    if r.max_error is None:
        return ""
    return f"{_fmt(r.max_error)} ≤ {_fmt(r.tolerance)}"


_HEADER = (
    "statement",
    "title",
    "label",
    "witness",
    "status",
    "tier",
    "instances",
    "worst ≤ tol",
    "s",
)


def _rows(results: list[Result]) -> list[tuple[str, ...]]:
    return [
        (
            f"{r.kind.capitalize()} {r.number}".strip(),
            plain(r.title),
            r.label,
            r.witness or "(reason)",
            r.status,
            r.strength or "",
            str(r.instances or ""),
            _measured(r),
            f"{r.seconds:.2f}",
        )
        for r in results
    ]


def _table(results: list[Result]) -> Table:
    """The results as a table that wraps the titles and never cuts a label or a witness."""
    t = Table(title="deepqed verify", show_lines=False)
    rows = _rows(results)
    widest = lambda i: max((len(row[i]) for row in rows), default=4)
    for i, col in enumerate(_HEADER):
        if col == "title":
            t.add_column(col, overflow="fold", ratio=1, min_width=12)
        elif col in ("label", "witness"):
            t.add_column(col, no_wrap=True, min_width=min(widest(i), 40), overflow="fold")
        else:
            t.add_column(col, no_wrap=True, justify="right" if col != "statement" else "left")
    for row, r in zip(rows, results):
        t.add_row(*row[:4], f"[{_STYLE[r.status]}]{r.status}[/]", *row[5:])
    return t


def verify(
    label: Annotated[
        list[str] | None, typer.Option("--label", "-l", help="Only this label (repeatable).")
    ] = None,
    chapter: Annotated[
        str | None,
        typer.Option(
            "--chapter", "-c", help="Only this chapter (its number or slug: 6, 'feedforward')."
        ),
    ] = None,
    seed: Annotated[int, typer.Option(min=0, help="Seed of every witness's random generator.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array of results.")] = False,
    timeout: Annotated[
        float | None,
        typer.Option(
            min=0.1,
            help="Time limit of every witness, in seconds of processor time (default: each "
            "witness's own).",
        ),
    ] = None,
) -> None:
    """Run the witnesses of the book's numbered statements; exit 0 when all pass."""
    err = Console(stderr=True)
    from .. import consistency, registry
    from ..verify import run, select

    book = registry.load()
    problems = consistency.problems(book)
    try:
        entries = select(book, label, chapter)
    except ValueError as exc:
        err.print(f"[bold red]error:[/] {exc}")
        raise typer.Exit(2) from None
    if as_json:
        results = run(book, label, chapter, seed, timeout=timeout)
        typer.echo(json.dumps([r.to_json() for r in results], indent=2))
    else:
        with Progress(
            TextColumn("[bold]verifying[/]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("", total=len(entries))

            def advance(r: Result, done: int, total: int) -> None:
                bar.update(task, completed=done, description=r.label)

            results = run(book, label, chapter, seed, on_result=advance, timeout=timeout)
        # piped: the rows alone on standard output (tab-separated), the notes on standard error
        out = Console(highlight=False) if is_terminal() else err
        if is_terminal():
            out.print(_table(results))
        else:
            write_tsv(_HEADER, _rows(results))
        for r in results:
            if not r.ok:
                out.print(
                    f"[bold red]{r.status}[/] {r.label} / {r.witness} "
                    f"({r.path}:{r.line}): {r.detail}"
                )
        n_ok = sum(r.ok for r in results)
        out.print(
            f"{n_ok} of {len(results)} witnesses passed "
            f"({sum(r.status == 'unwitnessed' for r in results)} with a stated reason), "
            f"{len({r.label for r in results})} statements, seed {seed}"
        )
    for p in problems:
        err.print(f"[bold red]registry:[/] {p}")
    if problems or not all(r.ok for r in results):
        raise typer.Exit(1)
