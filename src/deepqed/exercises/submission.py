"""Submission files: the header line naming the exercise, then a check in a worker process.

A submission is a Python file whose first lines contain ``# deepqed-exercise: <id>``. The file is
compiled here (a syntax error is reported with its line without running anything), then imported
and run in a worker process under :class:`.isolation.Limits`; the inputs, the reference and every
comparison stay in this process (:mod:`.isolation`).
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from . import catalogue
from .check import check_function
from .checks import Call, Failure, Runner
from .isolation import Abort, Limits, Worker, decode
from .result import CheckResult
from .spec import Compute, Implement, Prove

__all__ = ["HEADER", "read_header", "check_file", "blocked_paths"]

HEADER = "# deepqed-exercise:"
_HEADER = re.compile(r"^#\s*deepqed-exercise:\s*(?P<id>\S+)\s*$")


def read_header(path: Path) -> str | None:
    """The exercise id of the ``# deepqed-exercise: <id>`` line (in the first 30 lines)."""
    try:
        with path.open(encoding="utf-8", errors="replace") as f:
            for _, line in zip(range(30), f):
                m = _HEADER.match(line.strip())
                if m:
                    return m.group("id")
    except OSError:
        return None
    return None


def blocked_paths() -> list[str]:
    """Folders a submission may not read: deepqed's package and the book (the references)."""
    from .. import registry

    return [str(Path(__file__).resolve().parent.parent), str(registry.book_dir().resolve())]


MAX_SOURCE = 2**20  # characters: a submission is a short file


def _source(path: Path) -> tuple[str, str]:
    """The file's text and ``""``, or ``""`` and why it cannot be checked (syntax error with
    its line, unreadable, too large); compiled here, without running anything."""
    try:
        if path.stat().st_size > 4 * MAX_SOURCE:
            return "", f"{path} is larger than {MAX_SOURCE // 1024} KiB: not a submission"
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        return "", f"cannot read {path}: {e}"
    if len(source) > MAX_SOURCE:
        return "", f"{path} is larger than {MAX_SOURCE // 1024} KiB: not a submission"
    return source, _syntax_problem(path, source)


def _syntax_problem(path: Path, source: str) -> str:
    try:
        compile(source, str(path), "exec")
    except SyntaxError as e:
        where = f"line {e.lineno}" + (f", column {e.offset}" if e.offset else "")
        text = (e.text or "").rstrip()
        return f"syntax error at {where}: {e.msg}" + (f"\n    {text}" if text else "")
    except ValueError as e:  # null bytes
        return f"cannot compile {path}: {e}"
    return ""


def _raised(error: Any, when: str) -> str:
    if not isinstance(error, dict):
        return f"the file failed {when}"
    kind, message = error.get("type"), error.get("message")
    if kind == "SystemExit":
        return f"the file called {message} {when}"
    head = (
        f"import error: {message}"
        if kind in ("ImportError", "ModuleNotFoundError")
        else f"the file raised {kind} {when}: {message}"
    )
    return head + (f"\n{error['traceback']}" if error.get("traceback") else "")


def _load_problem(info: dict[str, Any], spec: Implement | Compute) -> str:
    """The one-line reason why the file cannot be checked, or ``""``."""
    if info.get("output_limit") is True:
        return "the file printed more than the output limit while being imported"
    if info.get("ok") is True:
        return ""
    problem = info.get("problem")
    if problem == "raised":
        return _raised(info.get("error"), "while being imported")
    if problem == "missing" and isinstance(spec, Implement):
        defined = [str(d) for d in info.get("defined") or []]
        also = f" (it defines: {', '.join(defined)})" if defined else ""
        return f"the file defines no function named {spec.function}{also}"
    if problem == "not callable" and isinstance(spec, Implement):
        return f"{spec.function} is a {info.get('type')}, not a function"
    if problem == "signature" and isinstance(spec, Implement):
        return (
            f"wrong signature: {spec.function}{info.get('signature')} cannot be called as "
            f"{spec.signature} ({info.get('message')})"
        )
    if problem == "output-limit":
        return "the file printed more than the output limit while being imported"
    return f"the file could not be loaded ({problem})"


def worker_runner(worker: Worker, spec: Implement) -> Runner:
    """Call the function of the file loaded in ``worker``; limits reached raise :class:`Abort`."""

    def run(args: list[Any]) -> Call:
        sent = [
            ("function", a.text, a.source) if hasattr(a, "source") and callable(a) else a
            for a in args
        ]
        info = worker.call(sent, spec.signature)
        after_raw = info.get("args_after")
        after = [decode(a) for a in after_raw] if isinstance(after_raw, list) else []
        after = [a if a is not None else b for a, b in zip(after, args)] or list(args)
        status = info.get("status")
        if status == "returned":
            return Call(decode(info.get("value")), None, after)
        if status == "output-limit":
            raise Abort(
                f"printed more than {worker.limits.output_bytes} characters (the "
                "output limit) in one call"
            )
        if status == "raised" and isinstance(info.get("error"), dict):
            e = info["error"]
            if e.get("type") == "SystemExit":
                message = f"the function called {e.get('message')}"
            elif e.get("memory"):  # a limit, like time: stop rather than exhaust it again
                raise Abort(
                    f"ran out of memory (MemoryError; the memory limit is "
                    f"{worker.limits.memory_bytes / 2**30:g} GiB) in {spec.signature}"
                )
            else:
                message = f"the function raised {e.get('type')}: {e.get('message')}"
            return Call(
                None,
                Failure(
                    message,
                    traceback=str(e.get("traceback") or ""),
                    not_implemented=e.get("not_implemented") is True,
                ),
                after,
            )
        raise Abort("the submission's process sent a malformed reply")

    return run


def check_file(
    path: str | Path, *, limits: Limits | None = None, reveal: bool = False
) -> CheckResult:
    """Check a submission file whose header line names the exercise, in a worker process.

    ``reveal``: show the expected value of a wrong answer to a compute exercise."""
    path = Path(path)
    limits = limits or Limits()
    start = time.perf_counter()
    if not path.is_file():
        return CheckResult("?", "", "unusable", f"no such file: {path}", file=str(path))
    exercise_id = read_header(path)
    if exercise_id is None:
        return CheckResult(
            "?",
            "",
            "unusable",
            f"{path} has no header line `{HEADER} <id>` naming the exercise "
            "(`deepqed exercise start ID` writes a stub with it)",
            file=str(path),
        )
    try:
        entry = catalogue.get(exercise_id)
    except catalogue.UnknownExercise as e:
        return CheckResult(exercise_id, "", "unusable", str(e), file=str(path))
    spec = entry.exercise
    if isinstance(spec, Prove):
        return CheckResult(
            spec.id,
            spec.title,
            "unusable",
            f"{spec.id} is a proof exercise: there is nothing to run; mark it "
            f"with `deepqed exercise mark {spec.id}`",
            file=str(path),
        )
    result = CheckResult(spec.id, spec.title, "unusable", file=str(path))
    source, problem = _source(path)
    if problem:
        result.message = problem
    else:
        with Worker(limits, blocked_paths()) as worker:
            try:
                result = _run(spec, worker, path, source, limits, reveal)
            except Abort as e:
                result.message = e.message
            result.printed = worker.printed
            if worker.output_limited and result.verdict == "passed":
                result.verdict = "failed"
                result.message = (
                    f"the submission printed more than {limits.output_bytes} "
                    "characters (the output limit)"
                )
    result.seconds = time.perf_counter() - start
    return result


def _run(
    spec: Implement | Compute,
    worker: Worker,
    path: Path,
    source: str,
    limits: Limits,
    reveal: bool,
) -> CheckResult:
    if isinstance(spec, Compute):
        names = [a.name for a in spec.answers]
        info = worker.load(path, source, "compute", names, [])
        if problem := _load_problem(info, spec):
            return CheckResult(spec.id, spec.title, "unusable", problem, file=str(path))
        from .compute import check_answers

        raw = info.get("values") if isinstance(info.get("values"), dict) else {}
        return check_answers(spec, {k: decode(v) for k, v in raw.items()}, str(path), reveal=reveal)
    info = worker.load(path, source, "implement", [spec.function], list(spec.parameters))
    if problem := _load_problem(info, spec):
        return CheckResult(spec.id, spec.title, "unusable", problem, file=str(path))
    return check_function(
        spec, None, str(path), limits.check_seconds, runner=worker_runner(worker, spec)
    )
