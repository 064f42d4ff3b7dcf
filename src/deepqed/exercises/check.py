r"""The checker: run a reader's function against an exercise's reference on Hypothesis inputs.

The checks are listed in :mod:`.checks`; each is evaluated only on inputs where the checks it
depends on passed.

One search (``max_examples`` inputs, derandomised, no example database) evaluates every check on
every input. Each check that failed somewhere is then searched again on its own with
:func:`hypothesis.find`, which shrinks the failing input; the report shows that input, expected and
got, the worst error and the tolerance, and, where a known mistake matches, its likely cause.

The submission is called through a *runner*: :func:`.checks.local_runner` calls a function of
this process (``check(function, id)`` from Python or Jupyter: not isolated), and
:func:`.submission.check_file` runs a file in a worker process (:mod:`.isolation`). Either way
the inputs are drawn, the reference is computed and every comparison is made here.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import signal
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from . import catalogue
from .checks import (
    Context,
    Failure,
    Runner,
    build_checks,
    diagnose,
    evaluate,
    local_runner,
    show,
    trim_traceback,
)
from .isolation import Abort
from .result import CheckOutcome, CheckResult, fmt
from .spec import Compute, Implement, Prove

__all__ = ["check", "check_function"]

_SAMPLES = 12  # inputs kept from the search to confirm a diagnosis


class _TimeUp(BaseException):
    """The whole check took too long (an endless loop in the submission)."""


@contextlib.contextmanager
def quiet(buffer: io.StringIO) -> Iterator[None]:
    """Capture what the submission prints; silence floating-point warnings."""
    with (
        contextlib.redirect_stdout(buffer),
        contextlib.redirect_stderr(buffer),
        np.errstate(all="ignore"),
        warnings.catch_warnings(),
    ):
        warnings.simplefilter("ignore")
        yield


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    if (
        seconds <= 0
        or threading.current_thread() is not threading.main_thread()
        or not hasattr(signal, "setitimer")
    ):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TimeUp()

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _search(spec: Implement, fn: Runner) -> tuple[list[CheckOutcome], bool]:
    """Survey every check on ``max_examples`` inputs, then shrink each failing check's input.

    Returns the outcomes and whether the function raised ``NotImplementedError`` on every input
    (an untouched stub).
    """
    from hypothesis import HealthCheck, Phase, Verbosity, find, settings
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    checks = build_checks(spec)
    config = settings(
        database=None,
        derandomize=True,
        max_examples=spec.max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=(Phase.generate, Phase.shrink),
    )
    counts = {c.name: 0 for c in checks}
    first_failure: dict[str, dict[str, Any]] = {}
    samples: list[Context] = []

    def survey(kwargs: dict[str, Any]) -> bool:
        ctx = Context(spec, fn, kwargs)
        status = evaluate(checks, ctx)
        ctx.status = status
        if len(samples) < _SAMPLES:
            samples.append(ctx)
        for name, failure in status.items():
            counts[name] += 1
            if failure is not None and name not in first_failure:
                first_failure[name] = copy.deepcopy(kwargs)
        return False

    with contextlib.suppress(NoSuchExample, Unsatisfiable):
        find(spec.arguments, survey, settings=config)

    outcomes: list[CheckOutcome] = []
    stub = False
    for c in checks:
        if c.name not in first_failure:
            if counts[c.name]:
                outcomes.append(CheckOutcome(c.name, c.compared, "passed", counts[c.name]))
            else:
                outcomes.append(
                    CheckOutcome(
                        c.name,
                        c.compared,
                        "skipped",
                        0,
                        message="not evaluated: " + ", ".join(c.needs) + " failed on every input",
                    )
                )
            continue

        def fails(kwargs: dict[str, Any], name: str = c.name) -> bool:
            status = evaluate(checks, Context(spec, fn, kwargs), only=name)
            return status.get(name) is not None

        try:
            shrunk = find(spec.arguments, fails, settings=config)
        except (NoSuchExample, Unsatisfiable):
            shrunk = first_failure[c.name]
        ctx = Context(spec, fn, shrunk)
        failure = evaluate(checks, ctx, only=c.name).get(c.name) or Failure(
            "failed on an input that no longer fails when run again (a non-deterministic function?)"
        )
        if c.name.startswith("values of "):
            k = spec.outputs.index(c.name[len("values of ") :])
            failure.diagnosis = diagnose(spec, k, ctx, samples)
        outcomes.append(
            CheckOutcome(
                c.name,
                c.compared,
                "failed",
                counts[c.name],
                input={k: fmt(v) for k, v in shrunk.items()},
                expected=show(failure.expected),
                got=show(failure.got),
                worst_error=failure.worst_error,
                tolerance=failure.tolerance,
                message=failure.message,
                diagnosis=failure.diagnosis,
                traceback=failure.traceback
                or (trim_traceback(failure.exception) if failure.exception else ""),
            )
        )
        if failure.not_implemented and c.name == "runs" and not counts["output type"]:
            stub = True
    return outcomes, stub


def _signature_problem(spec: Implement, fn: Callable[..., Any]) -> str:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return ""
    try:
        sig.bind(*spec.parameters)
    except TypeError as e:
        return f"wrong signature: {spec.function}{sig} cannot be called as {spec.signature} ({e})"
    return ""


def check(
    function: Any, exercise_id: str, *, timeout: float = 60.0, reveal: bool = False
) -> CheckResult:
    """Check ``function`` against the exercise ``exercise_id`` (for Python and Jupyter).

    The function runs in this process (it already lives here): the verdict is the same as
    ``deepqed exercise check`` gives for a file, but without the isolation of a file's check
    (an endless loop is stopped after ``timeout`` seconds only in the main thread). For a
    *compute* exercise pass a mapping of the answers, e.g. ``{"forward": 17203200, ...}``; a
    wrong answer's expected value is shown only with ``reveal=True``.
    The attempt is not recorded in the progress database (``deepqed exercise check FILE`` does).

    Example::

        >>> from deepqed.exercises import check
        >>> check(my_sigmoid_prime, "ex-ff-sigmoid-prime")   # doctest: +SKIP
    """
    entry = catalogue.get(exercise_id)
    spec = entry.exercise
    if isinstance(spec, Prove):
        raise ValueError(
            f"{exercise_id} is a proof exercise: mark it with `deepqed exercise mark {exercise_id}`"
        )
    if isinstance(spec, Compute):
        from .compute import check_answers

        if not isinstance(function, Mapping):
            raise TypeError(
                f"{exercise_id} asks for numbers: pass a mapping "
                f"{{{', '.join(repr(a.name) for a in spec.answers)}: ...}}"
            )
        return check_answers(spec, dict(function), None, reveal=reveal)
    return check_function(spec, function, None, timeout)


def check_function(
    spec: Implement, fn: Any, file: str | None, timeout: float, runner: Runner | None = None
) -> CheckResult:
    """Check ``fn`` (in this process), or, with ``runner``, whatever the runner calls (the
    function of a file, in a worker process; ``fn`` is then ``None``)."""
    start = time.perf_counter()
    result = CheckResult(spec.id, spec.title, "unusable", file=file)
    if runner is None and not callable(fn):
        result.message = f"{spec.function} is a {type(fn).__name__}, not a function"
    elif runner is None and (problem := _signature_problem(spec, fn)):
        result.message = problem
    else:
        buffer = io.StringIO()
        try:
            with quiet(buffer), _time_limit(timeout if runner is None else 0):
                result.checks, stub = _search(spec, runner or local_runner(fn))
        except _TimeUp:
            result.message = f"the check did not finish within {timeout:g} s (an endless loop?)"
        except Abort as e:
            result.message = (
                f"{spec.function}: {e.message}" if not e.message.startswith("the ") else e.message
            )
            result.checks = []
        else:
            if stub:
                result.message = (
                    f"{spec.function} raises NotImplementedError: replace the "
                    "`raise NotImplementedError` of the stub by your solution"
                )
                result.checks = []
            else:
                result.verdict = "failed" if result.failed_checks else "passed"
        result.printed = buffer.getvalue()[:4000]
    result.seconds = time.perf_counter() - start
    return result
