"""``deepqed exercise ...`` and ``deepqed progress``: exercises that grade themselves.

Exit codes of ``deepqed exercise check``: 0 the submission passed, 1 it failed a check, 2 it could
not be checked (no header, syntax error, missing function, a limit reached, ...) or the command
was misused. The submission runs in a worker process under limits (``deepqed.exercises.isolation``).
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

__all__ = ["exercise_app", "progress"]

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
    from deepqed.exercises.spec import Compute, Implement

    if not isinstance(entry.exercise, (Implement, Compute)):
        _console().print(
            Text(
                f"{entry.exercise.id} is a proof exercise: `{command}` applies to "
                "exercises you implement. Write the proof, then run "
                f"`deepqed exercise mark {entry.exercise.id}`.",
                style="yellow",
            )
        )
        raise typer.Exit(2)
    return entry.exercise


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

    if chapter is not None and chapter.isdigit() and 1 <= int(chapter) <= len(registry.CHAPTERS):
        chapter = registry.CHAPTERS[int(chapter) - 1].slug
    entries = [e for e in exercises() if chapter is None or e.chapter.slug == chapter]
    if chapter is not None and not entries:
        _console().print(Text(f"error: no exercises in a chapter {chapter!r}", style="red"))
        raise typer.Exit(2)
    status = Store(data_dir).status()
    table = Table("id", "title", "kind", "status", title="deepqed exercises")
    style = {"solved": "green", "attempted": "yellow", "": "dim"}
    for e in entries:
        st = status.get(e.exercise.id, "")
        table.add_row(
            e.exercise.id,
            e.exercise.title,
            e.exercise.kind,
            Text(st or "not started", style=style[st]),
        )
    _console(panels=True).print(table)


@exercise_app.command()
def show(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """The statement of an exercise, as the book writes it (mathematics left as LaTeX)."""
    from deepqed.exercises.catalogue import statement_text
    from deepqed.exercises.spec import Compute, Implement

    entry = _entry(exercise_id)
    ex = entry.exercise
    console = _console(panels=True)
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

    spec = _implement(_entry(exercise_id), "start")
    path = dir / stub_filename(spec)
    console = _console()
    if path.exists() and not force:
        console.print(
            Text(f"error: {path} exists; not overwritten (use --force to replace it)", style="red")
        )
        raise typer.Exit(2)
    dir.mkdir(parents=True, exist_ok=True)
    path.write_text(stub_source(spec), encoding="utf-8")
    console.print(Text(f"wrote {path}; when done: deepqed exercise check {path}"))


@exercise_app.command()
def check(
    file: Annotated[
        Path,
        typer.Argument(
            help="The submission (its first line names the exercise: `# deepqed-exercise: ID`)."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    timeout: Annotated[
        float,
        typer.Option(help="Wall-clock seconds allowed for one call of the function.", min=0.1),
    ] = 10.0,
    data_dir: DataDir = None,
) -> None:
    """Check a submission in a separate process and record the attempt (exit 0/1/2).

    Exit 0: passed; 1: a check failed; 2: unusable (or a usage error)."""
    from deepqed.exercises import catalogue
    from deepqed.exercises.isolation import Limits
    from deepqed.exercises.progress import Store, file_sha256
    from deepqed.exercises.result import report_lines
    from deepqed.exercises.submission import check_file

    _hypothesis_storage(data_dir)
    sha = file_sha256(file) if file.is_file() else None  # of the file as checked
    result = check_file(file, limits=Limits(call_seconds=timeout))
    known = {e.exercise.id for e in catalogue.exercises()}
    if result.exercise in known and sha is not None:
        try:
            Store(data_dir).record(
                result.exercise,
                result.verdict,
                sha,
                checks_passed=sum(c.status == "passed" for c in result.checks),
                checks_total=len(result.checks),
                seconds=result.seconds,
            )
        except (OSError, sqlite3.Error, RuntimeError) as e:  # the verdict stands
            Console(stderr=True).print(
                Text(f"warning: the attempt was not recorded ({e})", style="yellow")
            )
    if as_json:
        typer.echo(result.to_json())
    else:
        console = _console()
        for line, style in report_lines(result):
            console.print(Text(line, style=style))
        if result.verdict == "failed":
            console.print(Text(f"  hint: deepqed exercise hint {result.exercise}", style="dim"))
    raise typer.Exit(EXIT[result.verdict])


def _hypothesis_storage(data_dir: Path | None) -> None:
    """Hypothesis keeps a cache of source constants; keep it beside the progress database rather
    than in a `.hypothesis` folder in the reader's working directory."""
    from deepqed.exercises.progress import Store

    os.environ.setdefault(
        "HYPOTHESIS_STORAGE_DIRECTORY", str(Store(data_dir).folder / "hypothesis")
    )


@exercise_app.command()
def grade(
    folder: Annotated[
        Path,
        typer.Argument(
            help="Submissions: DIR/<student>/<file>.py or "
            "DIR/<student>_<name>.py, each with its header "
            "line.",
            exists=True,
            file_okay=False,
        ),
    ],
    workers: Annotated[int, typer.Option(help="Files checked at once.", min=1)] = 2,
    out: Annotated[
        Path | None, typer.Option(help="Write the report: report.csv or report.json.")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="Wall-clock seconds for one call of a function.", min=0.1)
    ] = 5.0,
    file_timeout: Annotated[
        float, typer.Option(help="Wall-clock seconds for one file.", min=1)
    ] = 60.0,
    data_dir: DataDir = None,
) -> None:
    """Course mode: grade a folder of submissions in parallel, one report row per file.

    The attempts are not recorded in the progress database."""
    from deepqed.exercises.grade import Row, write_report
    from deepqed.exercises.grade import grade as grade_folder
    from deepqed.exercises.isolation import Limits

    if out is not None and out.suffix not in (".csv", ".json"):
        _console().print(Text("error: --out must end in .csv or .json", style="red"))
        raise typer.Exit(2)
    _hypothesis_storage(data_dir)
    console = _console()
    limits = Limits(
        call_seconds=timeout, check_seconds=file_timeout, cpu_seconds=int(file_timeout) + 5
    )

    def tick(row: Row) -> None:
        console.print(
            Text(
                f"{row.verdict:9} {row.student:20} {row.exercise:28} "
                f"{row.checks_passed}/{row.checks_total}  {row.seconds:6.2f} s  "
                f"{row.file}",
                style={"passed": "green", "failed": "red"}.get(row.verdict, "yellow"),
            )
        )

    start = time.perf_counter()
    rows = grade_folder(folder, workers=workers, limits=limits, progress=tick)
    seconds = time.perf_counter() - start
    if out is not None:
        write_report(rows, out)
    counts = {
        v: sum(r.verdict == v for r in rows) for v in ("passed", "failed", "unusable", "error")
    }
    console.print(
        Text(
            f"{len(rows)} files in {seconds:.1f} s with {workers} workers: "
            + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
            + (f"; report: {out}" if out else ""),
            style="bold",
        )
    )
    if counts["error"]:
        raise typer.Exit(1)


@exercise_app.command()
def hint(exercise_id: Annotated[str, typer.Argument(metavar="ID")]) -> None:
    """A hint."""
    ex = _entry(exercise_id).exercise
    _console(panels=True).print(
        Panel(Text(ex.hint.strip()), title=f"hint: {ex.id}", title_align="left")
    )


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
    _console(panels=True).print(Panel(Text(text), title=f"solution: {ex.id}", title_align="left"))


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
        _console().print(
            Text(
                f"{ex.id} is checked by the machine: `deepqed exercise check FILE`", style="yellow"
            )
        )
        raise typer.Exit(2)
    Store(data_dir).record(ex.id, "self-marked")
    _console().print(
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
    console = _console(panels=True)
    console.print(table)
    console.print(Text(f"database: {store.path}", style="dim"))
