"""``deepqed verify``: run the witnesses of the book's numbered statements."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .. import consistency, registry
from ..verify import Result, run, select

_STYLE = {"passed": "green", "failed": "bold red", "error": "bold red", "unwitnessed": "yellow"}


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:.5g}"


def _table(results: list[Result]) -> Table:
    t = Table(title="deepqed verify", show_lines=False)
    for col, kw in (
        ("statement", {}),
        ("label", {}),
        ("witness", {}),
        ("status", {}),
        ("tier", {}),
        ("instances", {"justify": "right"}),
        ("worst", {"justify": "right"}),
        ("tolerance", {"justify": "right"}),
        ("s", {"justify": "right"}),
    ):
        t.add_column(col, overflow="fold", **kw)
    for r in results:
        t.add_row(
            f"{r.kind.capitalize()} {r.number}".strip(),
            r.label,
            r.witness or "(reason)",
            f"[{_STYLE[r.status]}]{r.status}[/]",
            r.strength or "",
            str(r.instances or ""),
            _fmt(r.max_error),
            _fmt(r.tolerance),
            f"{r.seconds:.2f}",
        )
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
            min=0.1, help="Time limit of every witness in seconds (default: each witness's own)."
        ),
    ] = None,
) -> None:
    """Run the witnesses of the book's numbered statements; exit 0 when all pass."""
    err = Console(stderr=True)
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
        out = Console()
        out.print(_table(results))
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
