r"""Course mode: grade a folder of submissions in parallel and write a report.

Layout of the folder: one file per student per exercise, either ``DIR/<student>/<any name>.py``
or ``DIR/<student>_<any name>.py`` (the student is the sub-folder, else the file name up to the
first ``_`` or ``-``, or the whole stem). The exercise is read from each file's header line
``# deepqed-exercise: <id>``, like ``deepqed exercise check``. Hidden files and folders are
skipped; a symbolic link (to a file or a folder) or a ``.py`` entry that is not a regular file is
refused with a row that says so, and never followed.

Each file is checked in a grading process of its own, forked from this one (``workers`` at a
time), which runs the submission in the sandbox (:mod:`.sandbox`) under the per-file
:class:`.isolation.Limits`: a submission sees only its own copy, never a classmate's file, this
process, the report or the other grading processes. The grading process sends its row back as
JSON on a pipe of its own; this process reads it within a size limit, checks every field, and
itself matches it to the file it forked the process for. A grading process that dies, is
stopped, or overruns its deadline is killed and its file reported as such (verdict ``error``);
the others are graded, and :func:`grade` always returns a row for every file (interrupted with
Ctrl-C, the files not yet graded get an ``error`` row), so the report is always written.

The report has one row per file (student, exercise, verdict, checks passed, checks total,
seconds, seed, file, message), as CSV or JSON. Every text in it is stripped of control
characters (:func:`.result.printable`), and CSV cells that a spreadsheet would read as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are prefixed with ``'``.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import select
import signal
import stat
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .isolation import Limits
from .result import printable

__all__ = [
    "Row",
    "Found",
    "grade",
    "submissions",
    "student_of",
    "write_report",
    "csv_cell",
    "VERDICTS",
]

VERDICTS = ("passed", "failed", "unusable", "error")
_REPLY_BYTES = 2**20  # one row from a grading process


@dataclass(frozen=True)
class Row:
    student: str
    exercise: str
    verdict: str
    checks_passed: int
    checks_total: int
    seconds: float
    seed: int | None
    file: str
    message: str


@dataclass(frozen=True)
class Found:
    """A ``.py`` entry of the folder: ``problem`` says why it is refused (``""``: graded)."""

    path: Path
    rel: str
    problem: str = ""


def student_of(rel: str) -> str:
    """The student of a file given by its path relative to the folder."""
    parts = Path(rel).parts
    if len(parts) > 1:
        return parts[0]
    stem = Path(rel).stem
    for sep in ("_", "-"):
        if sep in stem:
            return stem.split(sep, 1)[0]
    return stem


def submissions(folder: str | Path) -> list[Found]:
    """The ``.py`` entries of ``folder`` and its sub-folders, in name order: regular files, and
    refused entries (symbolic links, to files or folders; ``.py`` entries that are not regular
    files). Hidden names are skipped; nothing is followed through a link."""
    folder = Path(folder)
    out: list[Found] = []

    def walk(path: Path, rel: str) -> None:
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as e:
            out.append(Found(path, rel or ".", f"the folder cannot be read: {e.strerror or e}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            child = f"{rel}/{entry.name}" if rel else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as e:
                out.append(Found(Path(entry.path), child, f"cannot be read: {e.strerror or e}"))
                continue
            if stat.S_ISLNK(st.st_mode):
                if entry.name.endswith(".py") or os.path.isdir(entry.path):
                    out.append(
                        Found(
                            Path(entry.path),
                            child,
                            "a symbolic link: refused (submit the file itself, not a link)",
                        )
                    )
            elif stat.S_ISDIR(st.st_mode):
                walk(Path(entry.path), child)
            elif entry.name.endswith(".py"):
                problem = "" if stat.S_ISREG(st.st_mode) else "not a regular file: refused"
                out.append(Found(Path(entry.path), child, problem))

    walk(folder, "")
    return sorted(out, key=lambda f: f.rel)


def _row(found: Found, **fields_: Any) -> Row:
    """A row for ``found`` whose student and file come from this process, never from a child."""
    values = {
        "exercise": "?",
        "verdict": "error",
        "checks_passed": 0,
        "checks_total": 0,
        "seconds": 0.0,
        "seed": None,
        "message": "",
        **fields_,
    }
    return Row(
        student=printable(student_of(found.rel), newlines=False),
        file=printable(found.rel, newlines=False),
        exercise=printable(str(values["exercise"])[:200], newlines=False),
        verdict=values["verdict"],
        checks_passed=values["checks_passed"],
        checks_total=values["checks_total"],
        seconds=round(float(values["seconds"]), 3),
        seed=values["seed"],
        message=printable(str(values["message"])[:2000], newlines=False),
    )


def _check_one(
    path: Path, limits: Limits, seed: int, sandbox: bool, drawn: dict[str, list[Any]]
) -> dict[str, Any]:
    """In the grading process: check one file, the fields of its row."""
    from .submission import check_file

    result = check_file(
        path, limits=limits, seed=seed, sandbox=sandbox, fallback=not sandbox, drawn=drawn
    )
    message = result.message.splitlines()[0] if result.message else ""
    if result.verdict == "failed" and not message:
        failed = result.failed_checks
        first = failed[0].message.splitlines()[0] if failed and failed[0].message else ""
        message = "checks failed: " + ", ".join(c.name for c in failed)
        message += f" ({first[:300]})" if first else ""
    return {
        "exercise": result.exercise or "?",
        "verdict": result.verdict,
        "checks_passed": sum(c.status == "passed" for c in result.checks),
        "checks_total": len(result.checks),
        "message": message,
    }


def _parse(data: bytes) -> dict[str, Any]:
    """A grading process's reply, every field checked (anything else raises ValueError)."""
    raw = json.loads(data.decode("utf-8"))
    if not isinstance(raw, dict):
        raise ValueError("not an object")
    out = {
        "exercise": raw.get("exercise"),
        "verdict": raw.get("verdict"),
        "checks_passed": raw.get("checks_passed"),
        "checks_total": raw.get("checks_total"),
        "message": raw.get("message"),
    }
    if not (
        isinstance(out["exercise"], str)
        and out["verdict"] in VERDICTS
        and type(out["checks_passed"]) is int
        and type(out["checks_total"]) is int
        and 0 <= out["checks_passed"] <= out["checks_total"] < 10_000
        and isinstance(out["message"], str)
    ):
        raise ValueError("a field of the wrong type")
    return out


@dataclass
class _Job:
    found: Found
    pid: int
    fd: int
    start: float
    deadline: float
    data: bytearray


def _fork_job(
    found: Found,
    limits: Limits,
    seed: int,
    sandbox: bool,
    others: list[int],
    deadline: float,
    drawn: dict[str, list[Any]],
) -> _Job:
    r, w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        raise
    if pid == 0:  # the grading process
        code = 0
        try:
            os.close(r)
            for fd in others:  # the other grading processes' pipes
                try:
                    os.close(fd)
                except OSError:
                    pass
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # the grader handles Ctrl-C
            _die_with_parent()
            fields_ = _check_one(found.path, limits, seed, sandbox, drawn)
            data = json.dumps(fields_).encode("utf-8")
            view = memoryview(data)
            while view:
                view = view[os.write(w, view) :]
        except BaseException:
            code = 70
        finally:
            os._exit(code)
    os.close(w)
    return _Job(found, pid, r, time.monotonic(), deadline, bytearray())


def _die_with_parent() -> None:
    """Linux: this process is killed when the grader dies (best effort)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _end(job: _Job, seed: int, killed: str = "") -> Row:
    """Reap ``job``'s process and make its row."""
    os.close(job.fd)
    _, status = os.waitpid(job.pid, 0)
    seconds = time.monotonic() - job.start
    if killed:
        return _row(job.found, seconds=seconds, seed=seed, message=killed)
    if os.WIFSIGNALED(status):
        try:
            name = signal.Signals(os.WTERMSIG(status)).name
        except ValueError:
            name = f"signal {os.WTERMSIG(status)}"
        return _row(
            job.found,
            seconds=seconds,
            seed=seed,
            message=f"the grading process of this file was killed ({name}); the file was not "
            "graded",
        )
    try:
        fields_ = _parse(bytes(job.data))
    except (ValueError, UnicodeDecodeError):
        return _row(
            job.found,
            seconds=seconds,
            seed=seed,
            message="the grading process of this file ended without a valid result "
            f"(exit status {os.waitstatus_to_exitcode(status)})",
        )
    return _row(job.found, seconds=seconds, seed=seed, **fields_)


def grade(
    folder: str | Path,
    *,
    workers: int = 2,
    limits: Limits | None = None,
    seed: int | None = None,
    sandbox: bool = True,
    progress: Callable[[Row], None] | None = None,
    grace_seconds: float = 30.0,
) -> list[Row]:
    """Grade every submission of ``folder`` with ``workers`` grading processes at a time; one
    row per ``.py`` entry, in file order. The inputs of every check are drawn from ``seed``
    (default: a fresh one, given in every row): they are drawn here, once per exercise, and
    every file of an exercise is checked on the same inputs. ``sandbox=False`` runs the
    submissions without the sandbox (refused by the command line unless asked for).
    ``progress(row)`` is called as each file is done. A grading process still running ``grace_seconds`` after the limits of
    its check (``start_seconds + check_seconds``) is killed."""
    from . import catalogue
    from .check import fresh_seed

    folder = Path(folder).resolve()
    limits = limits or Limits()
    seed = fresh_seed() if seed is None else int(seed)
    found = submissions(folder)
    catalogue.exercises()  # loaded once, inherited by the grading processes
    drawn = _draw_once(found, seed)

    rows: dict[str, Row] = {}

    def done(row: Row, rel: str) -> None:
        rows[rel] = row
        if progress:
            progress(row)

    queue = [f for f in reversed(found) if not f.problem]
    running: dict[int, _Job] = {}
    allowed = limits.start_seconds + limits.check_seconds + grace_seconds
    try:
        for f in found:
            if f.problem:
                done(_row(f, verdict="unusable", seed=seed, message=f"{f.rel}: {f.problem}"), f.rel)
        while queue or running:
            while queue and len(running) < max(1, workers):
                f = queue.pop()
                try:
                    job = _fork_job(
                        f, limits, seed, sandbox, list(running), time.monotonic() + allowed, drawn
                    )
                except OSError as e:  # no process or pipe to be had: this file only
                    message = f"no grading process could be started: {e.strerror or e}"
                    done(_row(f, seed=seed, message=message), f.rel)
                    continue
                running[job.fd] = job
            if not running:
                continue
            poller = select.poll()
            for fd in running:
                poller.register(fd, select.POLLIN)
            wait = max(0.0, min(j.deadline for j in running.values()) - time.monotonic())
            for fd, _ in poller.poll(int(wait * 1000) + 1):
                job = running[fd]
                chunk = os.read(fd, 65536)
                if chunk and len(job.data) + len(chunk) <= _REPLY_BYTES:
                    job.data += chunk
                    continue
                del running[fd]
                if chunk:  # more than a row: not a grading process's reply
                    _kill(job.pid)
                    job.data.clear()
                done(_end(job, seed), job.found.rel)
            now = time.monotonic()
            for fd, job in list(running.items()):
                if now > job.deadline:
                    del running[fd]
                    _kill(job.pid)
                    message = (
                        f"the grading process of this file did not finish within {allowed:g} s "
                        "(stopped or hung); it was killed"
                    )
                    done(_end(job, seed, killed=message), job.found.rel)
    except KeyboardInterrupt:
        interrupted = "not graded: grading was interrupted"
        for job in running.values():
            _kill(job.pid)
            rows[job.found.rel] = _end(job, seed, killed=interrupted)
        for f in found:
            if f.rel not in rows:
                rows[f.rel] = _row(f, seed=seed, message=interrupted)
    return [rows[f.rel] for f in found]


def _draw_once(found: list[Found], seed: int) -> dict[str, list[Any]]:
    """The survey's inputs of every implement exercise that a file's header names, drawn from
    ``seed`` in this process: the grading processes, forked from it, find them drawn (the inputs
    depend only on the exercise and the seed, :func:`.check.draw_inputs`). A header is read as
    ``check_file`` reads it (no link followed, the size limit first); nothing is run."""
    from . import catalogue
    from .check import draw_inputs
    from .spec import Implement
    from .submission import read_header

    ids = set()
    for f in found:
        if not f.problem:
            with contextlib.suppress(OSError):
                ids.add(read_header(f.path))
    drawn: dict[str, list[Any]] = {}
    for exercise_id in sorted(i for i in ids if i):
        try:
            spec = catalogue.spec(exercise_id)
        except catalogue.UnknownExercise:
            continue
        if isinstance(spec, Implement):
            drawn[spec.id] = draw_inputs(spec, seed)
    return drawn


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell: text without control characters, and never read as a formula."""
    if not isinstance(value, str):
        return value
    text = printable(value, newlines=False)
    return "'" + text if text.startswith(_FORMULA) else text


def write_report(rows: list[Row], out: str | Path) -> None:
    """CSV (``.csv``) or JSON (``.json``), written to a temporary file then renamed."""
    out = Path(out)
    tmp = out.with_name(out.name + f".{os.getpid()}.tmp")
    if out.suffix == ".json":
        tmp.write_text(json.dumps([asdict(r) for r in rows], indent=2), encoding="utf-8")
    else:
        with tmp.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=[x.name for x in fields(Row)])
            writer.writeheader()
            for r in rows:
                writer.writerow({k: csv_cell(v) for k, v in asdict(r).items()})
    os.replace(tmp, out)
