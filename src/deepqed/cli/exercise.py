"""``deepqed exercise list/show/start/hint/solution/mark`` and ``deepqed progress``: reading the
exercises and keeping the reader's progress (``check`` and ``grade`` are in :mod:`.grading`)."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ._common import DataDir, entry_or_exit, exercise_app, implement_or_exit, make_console

__all__ = ["exercise_app", "progress"]


@exercise_app.command("list")
def list_(
    chapter: Annotated[
        str | None, typer.Option(help="Only this chapter: its number (1, 2, ...) or its slug.")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """The exercises: id, title, kind and your status."""
    from deepqed import registry
    from deepqed.exercises import exercises
    from deepqed.exercises.progress import Store

    if chapter is not None:
        try:
            chapter = registry.load().chapter(chapter).slug
        except ValueError as exc:
            make_console().print(Text(f"error: {exc}", style="red"))
            raise typer.Exit(2) from None
    entries = [e for e in exercises() if chapter is None or e.chapter.slug == chapter]
    if chapter is not None and not entries:
        make_console().print(Text(f"error: no exercises in a chapter {chapter!r}", style="red"))
        raise typer.Exit(2)
    status = Store(data_dir).status()
    table = Table("id", "title", "kind", "status", title="deepqed exercises")
    style = {"solved": "green", "self-marked": "cyan", "attempted": "yellow", "": "dim"}
    for e in entries:
        st = status.get(e.exercise.id, "")
        table.add_row(
            e.exercise.id,
            e.exercise.title,
            e.exercise.kind,
            Text(st or "not started", style=style[st]),
        )
    make_console(panels=True).print(table)


@exercise_app.command()
def show(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """The statement of an exercise, as the book writes it (mathematics left as LaTeX)."""
    from deepqed.exercises.catalogue import statement_text
    from deepqed.exercises.spec import Compute, Implement

    entry = entry_or_exit(exercise_id)
    ex = entry.exercise
    console = make_console(panels=True)
    body = statement_text(entry)
    title = f"{ex.id} — {ex.title}  ({entry.chapter.title})"
    if body is None:
        console.print(
            Text(
                f"The text of chapter {entry.chapter.slug!r} ({entry.chapter.source}) "
                f"does not contain the exercise {ex.id!r} yet.",
                style="yellow",
            )
        )
        if isinstance(ex, Implement):
            body = ex.docstring.strip()
        else:
            body = ex.title
    console.print(Panel(Text(_reflow(body)), title=title, title_align="left"))
    if isinstance(ex, Implement):
        console.print(
            Text(
                f"Write {ex.signature}: `deepqed exercise start {ex.id}` writes a starter file.",
                style="dim",
            )
        )
    elif isinstance(ex, Compute):
        console.print(
            Text(
                "Answers asked for: "
                + "; ".join(f"{a.name} ({a.description})" for a in ex.answers),
                style="dim",
            )
        )
        console.print(
            Text(
                f"`deepqed exercise start {ex.id}` writes a file with one line per answer.",
                style="dim",
            )
        )
    else:
        console.print(Text(f"A proof: when done, `deepqed exercise mark {ex.id}`.", style="dim"))


def _reflow(text: str) -> str:
    """Join the source's hard-wrapped lines into paragraphs so the terminal can wrap them; list
    items, display mathematics and code blocks keep their lines."""
    out = []
    for para in text.split("\n\n"):
        lines = para.splitlines()
        keep = any(l.lstrip().startswith(("```", "$$", ":::")) for l in lines)
        if keep:
            out.append(para)
            continue
        joined: list[str] = []
        for line in lines:
            item = re.match(r"\s*([-*+]|\d+[.)])\s", line)
            if joined and not item:
                joined[-1] += " " + line.strip()
            else:
                joined.append(line.rstrip())
        out.append("\n".join(joined))
    return "\n\n".join(out)


@exercise_app.command()
def start(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    dir: Annotated[Path, typer.Option("--dir", help="Folder for the starter file.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter file: header line, imports, signature, docstring with shapes."""
    from deepqed.exercises.stub import stub_filename, stub_source

    spec = implement_or_exit(entry_or_exit(exercise_id), "start")
    path = dir / stub_filename(spec)
    console = make_console()
    if path.exists() and not force:
        console.print(
            Text(f"error: {path} exists; not overwritten (use --force to replace it)", style="red")
        )
        raise typer.Exit(2)
    dir.mkdir(parents=True, exist_ok=True)
    path.write_text(stub_source(spec), encoding="utf-8")
    console.print(Text(f"wrote {path}; when done: deepqed exercise check {path}"))


@exercise_app.command()
def hint(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """A hint."""
    ex = entry_or_exit(exercise_id).exercise
    make_console(panels=True).print(
        Panel(Text(ex.hint.strip()), title=f"hint: {ex.id}", title_align="left")
    )


@exercise_app.command()
def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """The reference solution (asks first: try the hint before)."""
    from deepqed.exercises.spec import Implement

    ex = entry_or_exit(exercise_id).exercise
    if not yes and not typer.confirm(f"Show the solution of {ex.id}?", default=False):
        raise typer.Exit(1)
    if isinstance(ex, Implement):
        text = inspect.getsource(ex.reference)
    else:
        text = ex.solution.strip()
    make_console(panels=True).print(
        Panel(Text(text), title=f"solution: {ex.id}", title_align="left")
    )


@exercise_app.command()
def mark(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    data_dir: DataDir = None,
) -> None:
    """Mark a proof exercise as done (proofs are marked by the reader)."""
    from deepqed.exercises.progress import Store
    from deepqed.exercises.spec import Prove

    ex = entry_or_exit(exercise_id).exercise
    if not isinstance(ex, Prove):
        make_console().print(
            Text(
                f"{ex.id} is checked by the machine: `deepqed exercise check FILE`", style="yellow"
            )
        )
        raise typer.Exit(2)
    Store(data_dir).record(ex.id, "self-marked")
    make_console().print(
        Text(f"{ex.id} marked as done; compare with `deepqed exercise solution {ex.id}`.")
    )


def progress(
    as_json: Annotated[bool, typer.Option("--json", help="Print the progress as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Your progress per chapter: solved / attempted / total exercises."""
    from deepqed.exercises import exercises
    from deepqed.exercises.progress import Store

    store = Store(data_dir)
    entries = exercises()
    summary = store.summary(entries)
    if as_json:
        status = store.status()
        typer.echo(
            json.dumps(
                {
                    "chapters": [s.to_dict() for s in summary],
                    "exercises": {
                        e.exercise.id: status.get(e.exercise.id, "not started") for e in entries
                    },
                    "database": str(store.path),
                },
                indent=2,
            )
        )
        return
    table = Table("chapter", "solved", "attempted", "total", title="deepqed progress")
    for s in summary:
        table.add_row(s.title, str(s.solved), str(s.attempted), str(s.total))
    console = make_console(panels=True)
    console.print(table)
    console.print(Text(f"database: {store.path}", style="dim"))
