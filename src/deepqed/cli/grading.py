"""``deepqed exercise check`` and ``deepqed exercise grade``: run submitted code and grade it.

Exit codes of ``deepqed exercise check``: 0 the submission passed, 1 it failed a check, 2 it could
not be checked (no header, syntax error, missing function, a limit reached, ...) or the command
was misused. The submission runs in a worker process in the sandbox, under limits
(``deepqed.exercises.isolation``, ``deepqed.exercises.sandbox``).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from ._common import EXIT, DataDir, exercise_app, make_console

if TYPE_CHECKING:
    from deepqed.exercises.result import CheckResult

__all__ = ["check", "grade"]


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
    seed: Annotated[
        int | None,
        typer.Option(help="Draw the inputs from this seed (a report gives its seed).", min=0),
    ] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="Show the expected values of wrong answers.")
    ] = False,
    no_sandbox: Annotated[
        bool,
        typer.Option(
            "--no-sandbox",
            help="Run the submission in a plain process, without the sandbox (bubblewrap).",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Check a submission in a sandboxed process and record the attempt (exit 0/1/2).

    Exit 0: passed; 1: a check failed; 2: unusable (or a usage error)."""
    from deepqed.exercises.isolation import Limits
    from deepqed.exercises.progress import Store
    from deepqed.exercises.result import report_lines
    from deepqed.exercises.submission import check_file

    _hypothesis_storage(data_dir)
    errors = Console(stderr=True, highlight=False, soft_wrap=True)

    def warn(text: str) -> None:
        errors.print(Text(f"warning: {text}", style="yellow"))

    if no_sandbox:
        warn("--no-sandbox: the submission runs in a plain process, without the sandbox")
    result = check_file(
        file,
        limits=Limits(call_seconds=timeout),
        seed=seed,
        sandbox=not no_sandbox,
        reveal=reveal,
        warn=warn,
    )
    if result.sha256 is not None and _is_exercise(result.exercise):
        try:
            Store(data_dir).record(
                result.exercise,
                result.verdict,
                result.sha256,
                checks_passed=sum(c.status == "passed" for c in result.checks),
                checks_total=len(result.checks),
                seconds=result.seconds,
            )
        except (OSError, sqlite3.Error, RuntimeError) as e:  # the verdict stands
            warn(f"the attempt was not recorded ({e})")
    _readable(result)
    if as_json:
        typer.echo(result.to_json())
    else:
        console = make_console()
        for line, style in report_lines(result):
            console.print(Text(line, style=style))
        if result.verdict == "failed":
            console.print(Text(f"  hint: deepqed exercise hint {result.exercise}", style="dim"))
            if not reveal and any(c.name.startswith("answer ") for c in result.failed_checks):
                console.print(
                    Text(
                        f"  the expected values: deepqed exercise check {file} --reveal",
                        style="dim",
                    )
                )
    raise typer.Exit(EXIT[result.verdict])


def _is_exercise(exercise_id: str) -> bool:
    """Whether a check's exercise is one of the book's (an attempt is recorded only then)."""
    from deepqed.exercises import catalogue

    if not exercise_id:
        return False
    try:
        catalogue.spec(exercise_id)
    except catalogue.UnknownExercise:
        return False
    return True


def _readable(result: CheckResult) -> None:
    """What the checks compared and why they failed, with references as the book numbers them
    ("Proposition 6.4") and TeX as Unicode."""
    from deepqed.plaintext import inline

    for c in result.checks:
        c.compared, c.message, c.diagnosis = (
            inline(t) for t in (c.compared, c.message, c.diagnosis)
        )


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
    seed: Annotated[
        int | None,
        typer.Option(
            help="Draw every check's inputs from this seed (default: a fresh one).", min=0
        ),
    ] = None,
    no_sandbox: Annotated[
        bool,
        typer.Option(
            "--no-sandbox",
            help="Grade without the sandbox (bubblewrap): submissions could then read and "
            "change your files and each other's. Only for code you trust.",
        ),
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Course mode: grade a folder of submissions in parallel, one report row per file.

    Each submission runs in the sandbox; without it (bubblewrap missing, user namespaces
    disabled) grading is refused unless --no-sandbox is given. The attempts are not recorded in
    the progress database."""
    from deepqed.exercises.check import fresh_seed
    from deepqed.exercises.grade import Row, write_report
    from deepqed.exercises.grade import grade as grade_folder
    from deepqed.exercises.isolation import Limits, sandbox_problem

    console = make_console()
    if out is not None and out.suffix not in (".csv", ".json"):
        console.print(Text("error: --out must end in .csv or .json", style="red"))
        raise typer.Exit(2)
    _hypothesis_storage(data_dir)
    limits = Limits(
        call_seconds=timeout, check_seconds=file_timeout, cpu_seconds=int(file_timeout) + 5
    )
    if no_sandbox:
        console.print(
            Text(
                "warning: --no-sandbox: submissions run in plain processes, where they can read "
                "and change your files and each other's",
                style="yellow",
            )
        )
    elif problem := sandbox_problem(limits):
        console.print(
            Text(
                f"error: the sandbox cannot run here: {problem}. Without it a submission can "
                "read and change your files and its classmates', and forge its result. Install "
                "bubblewrap (and allow user namespaces), or pass --no-sandbox to grade code you "
                "trust without it (see the README's threat model).",
                style="red",
            )
        )
        raise typer.Exit(2)
    seed = fresh_seed() if seed is None else seed

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
    rows = grade_folder(
        folder, workers=workers, limits=limits, seed=seed, sandbox=not no_sandbox, progress=tick
    )
    seconds = time.perf_counter() - start
    if out is not None:
        write_report(rows, out)
    counts = {
        v: sum(r.verdict == v for r in rows) for v in ("passed", "failed", "unusable", "error")
    }
    console.print(
        Text(
            f"{len(rows)} files in {seconds:.1f} s with {workers} workers, seed {seed}: "
            + ", ".join(f"{n} {v}" for v, n in counts.items() if n)
            + (f"; report: {out}" if out else ""),
            style="bold",
        )
    )
    if counts["error"]:
        raise typer.Exit(1)
