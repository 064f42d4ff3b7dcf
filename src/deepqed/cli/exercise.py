"""``deepqed exercise ...`` and ``deepqed progress``: exercises that grade themselves.

Exit codes of ``deepqed exercise check``: 0 the submission passed, 1 it failed a check, 2 it could
not be checked (no header, syntax error, missing function, ...) or the command was misused.
"""

from __future__ import annotations

import inspect
import json
import os
import sqlite3
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

__all__ = ["exercise_app", "progress"]

exercise_app = typer.Typer(
    help="Exercises that grade themselves: list, show, start, check, hint, solution, mark.",
    no_args_is_help=True,
)

EXIT = {"passed": 0, "failed": 1, "unusable": 2}

DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Folder of the progress database (default: "
                 "$DEEPQED_DATA_DIR, else the user data folder).", show_default=False),
]


def _console(panels: bool = False) -> Console:
    """Lines are not wrapped by Rich (reports stay copyable and greppable); panels wrap."""
    return Console(highlight=False, soft_wrap=not panels)


def _entry(exercise_id: str) -> Any:
    from deepqed.exercises import catalogue

    try:
        return catalogue.get(exercise_id)
    except catalogue.UnknownExercise as e:
        _console().print(Text(f"error: {e}", style="red"))
        raise typer.Exit(2) from None


def _implement(entry: Any, command: str) -> Any:
    from deepqed.exercises.spec import Implement

    if not isinstance(entry.exercise, Implement):
        _console().print(Text(f"{entry.exercise.id} is a proof exercise: `{command}` applies to "
                              "exercises you implement. Write the proof, then run "
                              f"`deepqed exercise mark {entry.exercise.id}`.", style="yellow"))
        raise typer.Exit(2)
    return entry.exercise


@exercise_app.command("list")
def list_(
    chapter: Annotated[str | None, typer.Option(help="Only this chapter (its slug).")] = None,
    data_dir: DataDir = None,
) -> None:
    """The exercises: id, title, kind and your status."""
    from deepqed.exercises import exercises
    from deepqed.exercises.progress import Store

    entries = [e for e in exercises() if chapter is None or e.chapter.slug == chapter]
    if chapter is not None and not entries:
        _console().print(Text(f"error: no exercises in a chapter {chapter!r}", style="red"))
        raise typer.Exit(2)
    status = Store(data_dir).status()
    table = Table("id", "title", "kind", "status", title="deepqed exercises")
    style = {"solved": "green", "attempted": "yellow", "": "dim"}
    for e in entries:
        st = status.get(e.exercise.id, "")
        table.add_row(e.exercise.id, e.exercise.title, e.exercise.kind,
                      Text(st or "not started", style=style[st]))
    _console(panels=True).print(table)


@exercise_app.command()
def show(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """The statement of an exercise, as the book writes it (mathematics left as LaTeX)."""
    from deepqed.exercises.catalogue import statement_text
    from deepqed.exercises.spec import Implement

    entry = _entry(exercise_id)
    ex = entry.exercise
    console = _console(panels=True)
    body = statement_text(entry)
    title = f"{ex.id} — {ex.title}  ({entry.chapter.title})"
    if body is None:
        console.print(Text(f"The text of chapter {entry.chapter.slug!r} ({entry.chapter.source}) "
                           f"does not contain the exercise {ex.id!r} yet.", style="yellow"))
        if isinstance(ex, Implement):
            body = ex.docstring.strip()
        else:
            body = ex.title
    console.print(Panel(Text(body), title=title, title_align="left"))
    if isinstance(ex, Implement):
        console.print(Text(f"Write {ex.signature}: `deepqed exercise start {ex.id}` writes a "
                           "starter file.", style="dim"))
    else:
        console.print(Text(f"A proof: when done, `deepqed exercise mark {ex.id}`.", style="dim"))


@exercise_app.command()
def start(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    dir: Annotated[Path, typer.Option("--dir", help="Folder for the starter file.")] = Path("."),
    force: Annotated[bool, typer.Option(help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starter file: header line, imports, signature, docstring with shapes."""
    from deepqed.exercises.stub import stub_filename, stub_source

    spec = _implement(_entry(exercise_id), "start")
    path = dir / stub_filename(spec)
    console = _console()
    if path.exists() and not force:
        console.print(Text(f"error: {path} exists; not overwritten (use --force to replace it)",
                           style="red"))
        raise typer.Exit(2)
    dir.mkdir(parents=True, exist_ok=True)
    path.write_text(stub_source(spec), encoding="utf-8")
    console.print(Text(f"wrote {path}; when done: deepqed exercise check {path}"))


@exercise_app.command()
def check(
    file: Annotated[Path, typer.Argument(help="The submission (its first line names the "
                                          "exercise: `# deepqed-exercise: ID`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Check a submission; exit 0 passed, 1 failed, 2 unusable. The attempt is recorded."""
    from deepqed.exercises import catalogue
    from deepqed.exercises.submission import check_file
    from deepqed.exercises.progress import Store, file_sha256
    from deepqed.exercises.result import report_lines

    # Hypothesis keeps a cache of source constants; keep it beside the progress database rather
    # than in a `.hypothesis` folder in the reader's working directory.
    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                          str(Store(data_dir).folder / "hypothesis"))
    result = check_file(file)
    known = {e.exercise.id for e in catalogue.exercises()}
    if result.exercise in known and file.is_file():
        try:
            Store(data_dir).record(result.exercise, result.verdict, file_sha256(file))
        except (OSError, sqlite3.Error) as e:  # the verdict stands; only the record is lost
            Console(stderr=True).print(Text(f"warning: the attempt was not recorded ({e})",
                                            style="yellow"))
    if as_json:
        typer.echo(result.to_json())
    else:
        console = _console()
        for line, style in report_lines(result):
            console.print(Text(line, style=style))
        if result.verdict == "failed":
            console.print(Text(f"  hint: deepqed exercise hint {result.exercise}", style="dim"))
    raise typer.Exit(EXIT[result.verdict])


@exercise_app.command()
def hint(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """A hint."""
    ex = _entry(exercise_id).exercise
    _console(panels=True).print(Panel(Text(ex.hint.strip()), title=f"hint: {ex.id}",
                                      title_align="left"))


@exercise_app.command()
def solution(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """The reference solution (asks first: try the hint before)."""
    from deepqed.exercises.spec import Implement

    ex = _entry(exercise_id).exercise
    if not yes and not typer.confirm(f"Show the solution of {ex.id}?", default=False):
        raise typer.Exit(1)
    if isinstance(ex, Implement):
        text = inspect.getsource(ex.reference)
    else:
        text = ex.solution.strip()
    _console(panels=True).print(Panel(Text(text), title=f"solution: {ex.id}",
                                      title_align="left"))


@exercise_app.command()
def mark(
    exercise_id: Annotated[str, typer.Argument(metavar="ID")],
    data_dir: DataDir = None,
) -> None:
    """Mark a proof exercise as done (proofs are marked by the reader)."""
    from deepqed.exercises.progress import Store
    from deepqed.exercises.spec import Prove

    ex = _entry(exercise_id).exercise
    if not isinstance(ex, Prove):
        _console().print(Text(f"{ex.id} is checked by the machine: `deepqed exercise check "
                              "FILE`", style="yellow"))
        raise typer.Exit(2)
    Store(data_dir).record(ex.id, "self-marked")
    _console().print(Text(f"{ex.id} marked as done; compare with `deepqed exercise solution "
                          f"{ex.id}`."))


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
        typer.echo(json.dumps({
            "chapters": [s.to_dict() for s in summary],
            "exercises": {e.exercise.id: status.get(e.exercise.id, "not started")
                          for e in entries},
            "database": str(store.path),
        }, indent=2))
        return
    table = Table("chapter", "solved", "attempted", "total", title="deepqed progress")
    for s in summary:
        table.add_row(s.title, str(s.solved), str(s.attempted), str(s.total))
    console = _console(panels=True)
    console.print(table)
    console.print(Text(f"database: {store.path}", style="dim"))
