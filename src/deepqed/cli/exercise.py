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

from ._common import (
    DataDir,
    entry_or_exit,
    exercise_app,
    implement_or_exit,
    is_terminal,
    make_console,
    plain,
    write_tsv,
)

__all__ = ["exercise_app", "progress"]


#: How each status reads and looks: a machine-checked pass is distinct from a proof the reader
#: marked as done.
_STATUS = {
    "solved": ("solved (checked)", "green"),
    "self-marked": ("self-marked", "cyan"),
    "attempted": ("attempted", "yellow"),
    "": ("not started", "dim"),
}


def _statuses(store) -> dict[str, str]:
    """Exercise id -> ``solved`` (a check passed), ``self-marked`` (a proof the reader marked),
    ``attempted`` (tried, never solved); read from the store's attempts."""
    status = dict(store.status())
    checked = {a["exercise"] for a in store.attempts() if a["verdict"] == "passed"}
    marked = {a["exercise"] for a in store.attempts() if a["verdict"] == "self-marked"}
    for ex in marked - checked:
        status[ex] = "self-marked"
    return status


def _chapter_slug(chapter: str | None) -> str | None:
    from deepqed import registry

    if chapter is None:
        return None
    try:
        return registry.load().chapter(chapter).slug
    except ValueError as exc:
        make_console().print(Text(f"error: {exc}", style="red"))
        raise typer.Exit(2) from None


@exercise_app.command("list")
def list_(
    chapter: Annotated[
        str | None, typer.Option(help="Only this chapter: its number (1, 2, ...) or its slug.")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """The exercises: number, id, title, kind and your status (tab-separated when piped)."""
    from deepqed.exercises import exercises
    from deepqed.exercises.progress import Store

    slug = _chapter_slug(chapter)
    entries = [e for e in exercises() if slug is None or e.chapter.slug == slug]
    if slug is not None and not entries:
        make_console().print(Text(f"error: no exercises in a chapter {chapter!r}", style="red"))
        raise typer.Exit(2)
    status = _statuses(Store(data_dir))
    rows = [
        (
            f"Exercise {e.number}" if e.number else "Exercise",
            e.exercise.id,
            plain(e.exercise.title),
            e.exercise.kind,
            status.get(e.exercise.id, ""),
        )
        for e in entries
    ]
    header = ("exercise", "id", "title", "kind", "status")
    if not is_terminal():
        write_tsv(header, [(*r[:4], _STATUS[r[4]][0]) for r in rows])
        return
    table = Table(title="deepqed exercises")
    table.add_column(header[0], no_wrap=True)
    table.add_column(header[1], no_wrap=True, min_width=max((len(r[1]) for r in rows), default=2))
    table.add_column(header[2], overflow="fold", ratio=1)
    table.add_column(header[3], no_wrap=True)
    table.add_column(header[4], no_wrap=True)
    for number, ex_id, title, kind, st in rows:
        word, style = _STATUS[st]
        table.add_row(number, ex_id, title, kind, Text(word, style=style))
    make_console(panels=True).print(table)


def _book_link(label: str) -> str:
    """Where the statement is in the HTML book: the page of the default build when it exists,
    else the page's path within a build."""
    from deepqed.plaintext import numbers, page_url

    built = Path("_build/html")
    if (built / "index.html").is_file():
        return page_url(label, base=built) or ""
    where = numbers().pages.get(label, "")
    return f"{where}  (in the HTML book: `deepqed book` builds it)" if where else ""


@exercise_app.command()
def show(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """The statement of an exercise (by id or number, 6.3), as the book prints it."""
    from deepqed.exercises.catalogue import statement_text
    from deepqed.exercises.spec import Compute, Implement

    entry = entry_or_exit(exercise_id)
    ex = entry.exercise
    console = make_console(panels=is_terminal())
    body = statement_text(entry)
    name = f"Exercise {entry.number}" if entry.number else "Exercise"
    title = f"{name} ({plain(ex.title)}) · {ex.id} · Chapter {entry.chapter.number}, {entry.chapter.title}"
    if body is None:
        console.print(
            Text(
                f"The text of chapter {entry.chapter.slug!r} ({entry.chapter.source}) "
                f"does not contain the exercise {ex.id!r} yet.",
                style="yellow",
            )
        )
        body = ex.docstring.strip() if isinstance(ex, Implement) else ex.title
    text = _reflow(plain(body))
    if is_terminal():
        console.print(Panel(Text(text), title=title, title_align="left"))
    else:
        console.print(Text(title))
        console.print(Text(text))
    if isinstance(ex, Implement):
        note = f"Write {ex.signature}: `deepqed exercise start {ex.id}` writes a starter file."
    elif isinstance(ex, Compute):
        asked = "; ".join(f"{a.name} ({plain(a.description)})" for a in ex.answers)
        note = (
            f"Answers asked for: {asked}.\n`deepqed exercise start {ex.id}` writes a file with "
            "one line per answer."
        )
    else:
        note = f"A proof: when done, `deepqed exercise mark {ex.id}`."
    console.print(Text(note, style="dim"))
    link = _book_link(ex.id)
    if link:
        console.print(Text(f"In the book: {link}", style="dim"))


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
    """A hint (the exercise by id or number)."""
    entry = entry_or_exit(exercise_id)
    _print_block(
        f"Hint · Exercise {entry.number} · {entry.exercise.id}", plain(entry.exercise.hint)
    )


def _print_block(title: str, text: str) -> None:
    """A titled block: a panel in a terminal, plain lines otherwise."""
    if is_terminal():
        make_console(panels=True).print(Panel(Text(text), title=title, title_align="left"))
    else:
        console = make_console()
        console.print(Text(title))
        console.print(Text(text))


@exercise_app.command()
def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """The reference solution (asks first: try the hint before)."""
    from deepqed.exercises.spec import Implement

    entry = entry_or_exit(exercise_id)
    ex = entry.exercise
    if not yes and not typer.confirm(f"Show the solution of {ex.id}?", default=False):
        raise typer.Exit(1)
    if isinstance(ex, Implement):
        text = inspect.getsource(ex.reference)
    else:
        text = _reflow(plain(ex.solution.strip()))
    _print_block(f"Solution · Exercise {entry.number} · {ex.id}", text)


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
    """Your progress per chapter: solved (checked), self-marked, attempted, total."""
    from deepqed.exercises import exercises
    from deepqed.exercises.progress import Store

    store = Store(data_dir)
    entries = exercises()
    summary = store.summary(entries)
    status = _statuses(store)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "chapters": [s.to_dict() for s in summary],
                    "exercises": {
                        e.exercise.id: store.status().get(e.exercise.id, "not started")
                        for e in entries
                    },
                    "database": str(store.path),
                },
                indent=2,
            )
        )
        return
    numbers = {c.slug: c.number for c in {e.chapter for e in entries}}
    header = ("chapter", "title", "solved (checked)", "self-marked", "attempted", "total")
    rows = []
    for s in summary:
        ids = [e.exercise.id for e in entries if e.chapter.slug == s.chapter]
        marked = sum(status.get(i) == "self-marked" for i in ids)
        checked = sum(status.get(i) == "solved" for i in ids)
        rows.append(
            (
                str(numbers[s.chapter]),
                s.title,
                str(checked),
                str(marked),
                str(s.attempted),
                str(s.total),
            )
        )
    if not is_terminal():
        write_tsv(header, rows)
        return
    table = Table(title="deepqed progress")
    for i, col in enumerate(header):
        table.add_column(col, justify="right" if i != 1 else "left", overflow="fold")
    for row in rows:
        table.add_row(*row)
    console = make_console(panels=True)
    console.print(table)
    console.print(Text(f"database: {store.path}", style="dim"))
