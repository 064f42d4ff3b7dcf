"""Submission files: the header line naming the exercise, then a check in a worker process.

A submission is a Python file whose first lines contain ``# deepqed-exercise: <id>``. The file
is opened without following a symbolic link, must be a regular file no larger than
``Limits.source_bytes`` (checked before a byte is read), and is read once: its hash, its header,
its compilation (a syntax error is reported with its line without running anything) and the copy
the worker imports all come from those bytes. It is then run in a worker process, in the sandbox
(:mod:`.sandbox`) unless ``sandbox=False``, under :class:`.isolation.Limits`; the inputs, the
reference and every comparison stay in this process (:mod:`.isolation`).
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import catalogue
from .check import check_function, draw_inputs, fresh_seed
from .checks import Call, Failure, Runner
from .isolation import Abort, Limits, SandboxUnavailable, Worker
from .result import CheckResult
from .spec import Compute, Implement, Prove

__all__ = [
    "HEADER",
    "read_header",
    "read_submission",
    "Submission",
    "check_file",
    "blocked_paths",
]

HEADER = "# deepqed-exercise:"
_HEADER = re.compile(r"^#\s*deepqed-exercise:\s*(?P<id>\S+)\s*$")


def _header_of(text: str) -> str | None:
    for _, line in zip(range(30), text.splitlines()):
        m = _HEADER.match(line.strip())
        if m:
            return m.group("id")
    return None


def read_header(path: Path) -> str | None:
    """The exercise id of the ``# deepqed-exercise: <id>`` line (in the first 30 lines)."""
    sub = read_submission(path, Limits().source_bytes)
    return _header_of(sub.text) if not sub.problem else None


@dataclass(frozen=True)
class Submission:
    """A submission file as read: its bytes, text and SHA-256, or ``problem`` (why it was not
    read: missing, a symbolic link, not a regular file, too large, unreadable, not UTF-8)."""

    path: Path
    data: bytes = b""
    text: str = ""
    sha256: str | None = None
    problem: str = ""


def read_submission(path: str | Path, limit: int) -> Submission:
    """Open ``path`` without following a symbolic link or blocking on a FIFO, check that it is
    a regular file of at most ``limit`` bytes, then read it (never more than ``limit + 1``
    bytes, whatever the file claims)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return Submission(path, problem=f"no such file: {path}")
    except OSError as e:
        if os.path.islink(path):
            return Submission(path, problem=f"{path} is a symbolic link: submit the file itself")
        return Submission(path, problem=f"cannot read {path}: {e.strerror or e}")
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            what = "a folder" if stat.S_ISDIR(st.st_mode) else "not a regular file"
            return Submission(path, problem=f"{path} is {what}: a submission is a .py file")
        if st.st_size > limit:
            return Submission(
                path,
                problem=f"{path} is larger than {limit // 1024} KiB "
                f"({st.st_size} bytes): not a submission",
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as e:
        return Submission(path, problem=f"cannot read {path}: {e.strerror or e}")
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew while being read
        return Submission(path, problem=f"{path} is larger than {limit // 1024} KiB")
    sha = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        return Submission(path, data, sha256=sha, problem=f"cannot read {path}: not UTF-8 ({e})")
    return Submission(path, data, text, sha)


def blocked_paths() -> list[str]:
    """Folders a submission may not read without the sandbox: deepqed's package (with the copy
    of the book an installed wheel holds), the book and the data folder (refused by the
    worker's audit hook, which is not a boundary)."""
    from .. import registry
    from .progress import data_dir

    out = [Path(__file__).resolve().parent.parent, data_dir()]
    try:
        out.append(registry.book_dir())
    except FileNotFoundError:
        pass
    return sorted({os.path.realpath(p) for p in out})


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


def _text(info: dict[str, Any], key: str, limit: int) -> str:
    """A string field of a reply, at most ``limit`` characters (anything else: ``""``)."""
    value = info.get(key)
    return value[:limit] if isinstance(value, str) else ""


def _raised(error: Any, when: str, limits: Limits) -> str:
    if not isinstance(error, dict):
        return f"the file failed {when}"
    kind = _text(error, "type", limits.text_chars)
    message = _text(error, "message", limits.message_chars)
    if kind == "SystemExit":
        return f"the file called {message} {when}"
    head = (
        f"import error: {message}"
        if kind in ("ImportError", "ModuleNotFoundError")
        else f"the file raised {kind} {when}: {message}"
    )
    tb = _text(error, "traceback", limits.traceback_chars)
    return head + (f"\n{tb}" if tb else "")


def _load_problem(info: dict[str, Any], spec: Implement | Compute, limits: Limits) -> str:
    """The one-line reason why the file cannot be checked, or ``""``."""
    chars = limits.text_chars
    if info.get("output_limit") is True:
        return "the file printed more than the output limit while being imported"
    if info.get("ok") is True:
        return ""
    problem = info.get("problem")
    if problem == "raised":
        return _raised(info.get("error"), "while being imported", limits)
    if problem == "missing" and isinstance(spec, Implement):
        raw = info.get("defined")
        defined = [d for d in raw if isinstance(d, str)][:20] if isinstance(raw, list) else []
        also = f" (it defines: {', '.join(defined)})" if defined else ""
        return f"the file defines no function named {spec.function}{also}"
    if problem == "not callable" and isinstance(spec, Implement):
        return f"{spec.function} is a {_text(info, 'type', chars)}, not a function"
    if problem == "signature" and isinstance(spec, Implement):
        return (
            f"wrong signature: {spec.function}{_text(info, 'signature', chars)} cannot be called "
            f"as {spec.signature} ({_text(info, 'message', chars)})"
        )
    if problem == "output-limit":
        return "the file printed more than the output limit while being imported"
    if problem == "not-plain":
        return f"the submission's values cannot be sent back ({_text(info, 'message', chars)})"
    return f"the file could not be loaded ({str(problem)[:100]})"


def worker_runner(worker: Worker, spec: Implement) -> Runner:
    """Call the function of the file loaded in ``worker``; limits reached raise :class:`Abort`."""

    limits = worker.limits

    def run(args: list[Any]) -> Call:
        sent = [
            ("function", a.text, a.source) if hasattr(a, "source") and callable(a) else a
            for a in args
        ]
        info = worker.call(sent, spec.signature)
        after_raw = info.get("args_after")
        after = list(after_raw) if isinstance(after_raw, list) else []
        after = [a if a is not None else b for a, b in zip(after, args)] or list(args)
        status = info.get("status")
        if status == "returned":
            return Call(info.get("value"), None, after)
        if status == "output-limit":
            raise Abort(
                f"printed more than {worker.limits.output_bytes} characters (the "
                "output limit) in one call"
            )
        if status == "not-plain":
            raise Abort(
                f"its values cannot be sent back ({_text(info, 'message', limits.text_chars)})"
            )
        if status == "raised" and isinstance(info.get("error"), dict):
            e = info["error"]
            if e.get("type") == "SystemExit":
                message = f"the function called {_text(e, 'message', limits.text_chars)}"
            elif e.get("memory") is True:  # a limit, like time: stop rather than exhaust it again
                raise Abort(
                    f"ran out of memory (MemoryError; the memory limit is "
                    f"{worker.limits.memory_bytes / 2**30:g} GiB) in {spec.signature}"
                )
            else:
                kind = _text(e, "type", limits.text_chars)
                message = f"the function raised {kind}: {_text(e, 'message', limits.message_chars)}"
            return Call(
                None,
                Failure(
                    message,
                    traceback=_text(e, "traceback", limits.traceback_chars),
                    not_implemented=e.get("not_implemented") is True,
                ),
                after,
            )
        raise Abort("the submission's process sent a malformed reply")

    return run


def check_file(
    path: str | Path,
    *,
    limits: Limits | None = None,
    seed: int | None = None,
    sandbox: bool = True,
    fallback: bool = True,
    reveal: bool = False,
    warn: Callable[[str], None] | None = None,
    drawn: Mapping[str, list[dict[str, Any]]] | None = None,
) -> CheckResult:
    """Check a submission file whose header line names the exercise, in a worker process.

    ``sandbox``: run the worker in the sandbox (:mod:`.sandbox`); where it cannot be started,
    the check runs in a plain worker process if ``fallback`` (and ``warn``, if given, is told
    why), else the verdict is ``unusable``. With ``sandbox=False`` the plain worker process is
    used without trying. ``seed`` draws the
    inputs (default: a fresh one); ``reveal`` shows the expected values of a compute exercise's
    wrong answers. ``drawn``: inputs already drawn from ``seed``, by exercise id (those of
    :func:`.check.draw_inputs`; the grader draws them once per exercise)."""
    path = Path(path)
    limits = limits or Limits()
    start = time.perf_counter()
    seed = fresh_seed() if seed is None else int(seed)
    sub = read_submission(path, limits.source_bytes)
    result = CheckResult("", "", "unusable", file=str(path), seed=seed, sha256=sub.sha256)
    if sub.problem and not sub.data:
        result.message = sub.problem
        return _done(result, start)
    exercise_id = _header_of(sub.data.decode("utf-8", "replace"))
    if exercise_id is None:
        result.message = (
            f"{path} has no header line `{HEADER} <id>` naming the exercise "
            "(`deepqed exercise start ID` writes a stub with it)"
        )
        return _done(result, start)
    try:
        spec = catalogue.spec(exercise_id)
    except catalogue.UnknownExercise as e:
        result.exercise, result.message = exercise_id, str(e)
        return _done(result, start)
    result.exercise, result.title = spec.id, spec.title
    if isinstance(spec, Prove):
        result.message = (
            f"{spec.id} is a proof exercise: there is nothing to run; mark it "
            f"with `deepqed exercise mark {spec.id}`"
        )
        return _done(result, start)
    problem = sub.problem or _syntax_problem(path, sub.text)
    if problem:
        result.message = problem
        return _done(result, start)
    try:
        worker = _start(limits, sub, sandbox, fallback, warn)
        # the inputs are drawn while the worker starts (they do not depend on the submission)
        try:
            inputs = None
            if isinstance(spec, Implement):
                known = drawn.get(spec.id) if drawn is not None else None
                inputs = known if known is not None else draw_inputs(spec, seed)
        except BaseException:
            worker.close()
            raise
        worker = _ready(worker, limits, sub, fallback, warn)
    except Abort as e:
        result.message = e.message
        return _done(result, start)
    except SandboxUnavailable as e:
        result.message = f"the sandbox could not start: {e}"
        return _done(result, start)
    with worker:
        try:
            checked = _run(spec, worker, path, sub.text, limits, seed, reveal, inputs)
            checked.exercise, checked.title = spec.id, spec.title
            result = checked
        except Abort as e:
            result.message = e.message
        except Exception as e:  # whatever a reply did to the checker: unusable, never a traceback
            result.message = (
                f"the checker could not use what the submission's process sent "
                f"({type(e).__name__}: {str(e)[:300]})"
            )
        result.printed = worker.printed
        result.isolation = "sandbox" if worker.sandbox else "process"
        if worker.output_limited and result.verdict == "passed":
            result.verdict = "failed"
            result.message = (
                f"the submission printed more than {limits.output_bytes} "
                "characters (the output limit)"
            )
    result.file, result.seed, result.sha256 = str(path), seed, sub.sha256
    return _done(result, start)


def _done(result: CheckResult, start: float) -> CheckResult:
    result.seconds = time.perf_counter() - start
    return result


def _start(
    limits: Limits,
    sub: Submission,
    sandbox: bool,
    fallback: bool,
    warn: Callable[[str], None] | None,
) -> Worker:
    """The worker process, started but not yet awaited (:func:`_ready`)."""
    label = str(sub.path)
    if sandbox:
        try:
            return Worker(limits, sandbox=True, source=sub.data, label=label, wait=False)
        except SandboxUnavailable as e:
            if not fallback:
                raise
            _warn_fallback(e, warn)
    return _plain_worker(limits, sub)


def _plain_worker(limits: Limits, sub: Submission) -> Worker:
    label = str(sub.path)
    return Worker(limits, sandbox=False, source=sub.data, label=label, blocked=blocked_paths())


def _warn_fallback(e: SandboxUnavailable, warn: Callable[[str], None] | None) -> None:
    if warn is not None:
        warn(
            f"{e}: the submission runs without the sandbox, in a plain process "
            "(it could read your files; see the README's threat model)"
        )


def _ready(
    worker: Worker,
    limits: Limits,
    sub: Submission,
    fallback: bool,
    warn: Callable[[str], None] | None,
) -> Worker:
    """``worker`` once it has started; where bubblewrap could not create the sandbox, a plain
    worker process instead if ``fallback``."""
    try:
        worker.ready()
        return worker
    except SandboxUnavailable as e:
        if not worker.sandbox or not fallback:
            raise
        _warn_fallback(e, warn)
    return _plain_worker(limits, sub)


def _run(
    spec: Implement | Compute,
    worker: Worker,
    path: Path,
    source: str,
    limits: Limits,
    seed: int,
    reveal: bool,
    inputs: list[dict[str, Any]] | None = None,
) -> CheckResult:
    if isinstance(spec, Compute):
        names = [a.name for a in spec.answers]
        info = worker.load(path, source, "compute", names, [])
        if problem := _load_problem(info, spec, limits):
            return CheckResult(spec.id, spec.title, "unusable", problem, file=str(path))
        from .compute import check_answers

        raw = info.get("values")
        values = {k: v for k, v in raw.items() if k in names} if isinstance(raw, dict) else {}
        return check_answers(spec, values, str(path), reveal=reveal)
    info = worker.load(path, source, "implement", [spec.function], list(spec.parameters))
    if problem := _load_problem(info, spec, limits):
        return CheckResult(spec.id, spec.title, "unusable", problem, file=str(path))
    return check_function(
        spec,
        None,
        str(path),
        limits.check_seconds,
        runner=worker_runner(worker, spec),
        seed=seed,
        inputs=inputs,
    )
