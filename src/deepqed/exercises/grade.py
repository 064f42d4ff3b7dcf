r"""Course mode: grade a folder of submissions in parallel and write a report.

Layout of the folder: one file per student per exercise, either ``DIR/<student>/<any name>.py``
or ``DIR/<student>_<any name>.py`` (the student is the sub-folder, else the file name up to the
first ``_`` or ``-``, or the whole stem). The exercise is read from each file's header line
``# deepqed-exercise: <id>``, like ``deepqed exercise check``.

``workers`` processes check files concurrently; each check runs its submission in a worker process
of its own under the per-file :class:`.isolation.Limits`, so a hostile or endless submission
costs at most its limits and never stops the others. The report has one row per file (student,
exercise, verdict, checks passed, checks total, seconds, file, message), as CSV or JSON.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import asdict, dataclass
from pathlib import Path

from .isolation import Limits

__all__ = ["Row", "grade", "submissions", "student_of", "write_report"]


@dataclass(frozen=True)
class Row:
    student: str
    exercise: str
    verdict: str
    checks_passed: int
    checks_total: int
    seconds: float
    file: str
    message: str


def student_of(path: Path, folder: Path) -> str:
    rel = path.relative_to(folder)
    if len(rel.parts) > 1:
        return rel.parts[0]
    stem = path.stem
    for sep in ("_", "-"):
        if sep in stem:
            return stem.split(sep, 1)[0]
    return stem


def submissions(folder: Path) -> list[Path]:
    """The ``.py`` files of ``folder`` and its sub-folders, in name order (hidden ones skipped)."""
    return sorted(
        p
        for p in folder.rglob("*.py")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _grade_one(path: str, folder: str, limits: Limits) -> Row:
    from .submission import check_file

    start = time.perf_counter()
    try:
        result = check_file(path, limits=limits)
        verdict, exercise = result.verdict, result.exercise
        passed = sum(c.status == "passed" for c in result.checks)
        total, message = (
            len(result.checks),
            result.message.splitlines()[0] if result.message else "",
        )
        if verdict == "failed" and not message:
            message = "checks failed: " + ", ".join(c.name for c in result.failed_checks)
    except Exception as e:  # a bug of the checker: reported in the row, the others go on
        verdict, exercise, passed, total = "error", "?", 0, 0
        message = f"the checker failed: {type(e).__name__}: {e}"
    return Row(
        student_of(Path(path), Path(folder)),
        exercise,
        verdict,
        passed,
        total,
        round(time.perf_counter() - start, 3),
        str(Path(path).relative_to(folder)),
        message,
    )


def _context() -> multiprocessing.context.BaseContext:
    # fork: the children inherit the loaded exercises (no re-import per process); the parent has
    # started no threads at this point.
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def grade(
    folder: str | Path,
    *,
    workers: int = 2,
    limits: Limits | None = None,
    progress: Callable[[Row], None] | None = None,
) -> list[Row]:
    """Grade every submission of ``folder`` with ``workers`` parallel checks; rows in file
    order. ``progress(row)`` is called as each file is done."""
    from . import catalogue

    folder = Path(folder).resolve()
    limits = limits or Limits()
    files = submissions(folder)
    catalogue.exercises()  # loaded once, inherited by the workers
    rows: dict[str, Row] = {}
    if not files:
        return []
    with ProcessPoolExecutor(max_workers=max(1, workers), mp_context=_context()) as pool:
        pending: dict[Future[Row], str] = {}
        queue: Iterator[Path] = iter(files)

        def submit() -> bool:
            path = next(queue, None)
            if path is None:
                return False
            pending[pool.submit(_grade_one, str(path), str(folder), limits)] = str(path)
            return True

        for _ in range(2 * max(1, workers)):  # bounded: a few files queued per worker
            submit()
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                path = pending.pop(future)
                try:
                    row = future.result()
                except Exception as e:  # the grading process itself died
                    row = Row(
                        student_of(Path(path), folder),
                        "?",
                        "error",
                        0,
                        0,
                        0.0,
                        str(Path(path).relative_to(folder)),
                        f"the checker failed: {type(e).__name__}: {e}",
                    )
                rows[path] = row
                if progress:
                    progress(row)
                submit()
    return [rows[str(p)] for p in files]


def write_report(rows: list[Row], out: str | Path) -> None:
    """CSV (``.csv``) or JSON (``.json``), written to a temporary file then renamed."""
    out = Path(out)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    if out.suffix == ".json":
        tmp.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    else:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(Row.__dataclass_fields__))
            writer.writeheader()
            for r in rows:
                writer.writerow(asdict(r))
    os.replace(tmp, out)
