r"""The checker: run a reader's function against an exercise's reference on Hypothesis inputs.

The checks are listed in :mod:`.checks`; each is evaluated only on inputs where the checks it
depends on passed.

One search (``max_examples`` inputs, no example database) evaluates every check on every input.
Each check that failed somewhere is then searched again on its own with :func:`hypothesis.find`,
which shrinks the failing input (unless an input already shrunk for an earlier check fails it
too: that input is reported for it); the report shows that input, expected and got, the worst
error and the tolerance, and, where a known mistake matches, its likely cause.

The inputs are drawn from a seed, fresh for every check unless one is given: a submission cannot
know them in advance (a table of the inputs of an earlier run is worthless), and the report
gives the seed so that ``--seed`` draws the same inputs again.

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
import random
import secrets
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
from .isolation import Abort, Limits
from .result import CheckOutcome, CheckResult, fmt
from .spec import OUTPUT_TYPE, RUNS, CheckId, Compute, Implement, Prove

__all__ = ["check", "check_function", "draw_inputs", "fresh_seed"]


def fresh_seed() -> int:
    """A seed nobody can predict (the operating system's randomness), in [0, 2^32)."""
    return secrets.randbits(32)


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


def _settings(spec: Implement) -> Any:
    from hypothesis import HealthCheck, Phase, Verbosity, settings

    return settings(
        database=None,
        derandomize=False,
        max_examples=spec.max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
        report_multiple_bugs=False,
        phases=(Phase.generate, Phase.shrink),
    )


def draw_inputs(spec: Implement, seed: int) -> list[dict[str, Any]]:
    """The ``max_examples`` inputs of the survey, drawn from ``seed``.

    The survey never fails an input (its test function returns ``False``), so what Hypothesis
    draws does not depend on the submission: the inputs can be drawn before the submission's
    process has started (:func:`.submission.check_file` draws them while it starts)."""
    from hypothesis import find
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    drawn: list[dict[str, Any]] = []

    def record(kwargs: dict[str, Any]) -> bool:
        drawn.append(kwargs)
        return False

    with contextlib.suppress(NoSuchExample, Unsatisfiable):
        find(spec.arguments, record, settings=_settings(spec), random=random.Random(seed))
    return drawn


def _search(
    spec: Implement, fn: Runner, seed: int, inputs: list[dict[str, Any]] | None = None
) -> tuple[list[CheckOutcome], bool]:
    """Survey every check on the inputs of :func:`draw_inputs` (``inputs``, or drawn here from
    ``seed``), then shrink each failing check's input.

    Returns the outcomes and whether the function raised ``NotImplementedError`` on every input
    (an untouched stub).
    """
    from hypothesis import find
    from hypothesis.errors import NoSuchExample, Unsatisfiable

    checks = build_checks(spec)
    config = _settings(spec)
    counts = {c.id: 0 for c in checks}
    first_failure: dict[CheckId, dict[str, Any]] = {}
    samples: list[Context] = []

    for kwargs in draw_inputs(spec, seed) if inputs is None else inputs:
        ctx = Context(spec, fn, kwargs)
        status = evaluate(checks, ctx)
        ctx.status = status
        if len(samples) < _SAMPLES:
            samples.append(ctx)
        for check_id, failure in status.items():
            counts[check_id] += 1
            if failure is not None and check_id not in first_failure:
                first_failure[check_id] = copy.deepcopy(kwargs)

    outcomes: list[CheckOutcome] = []
    stub = False
    names = {c.id: c.name for c in checks}
    shrunk_inputs: list[dict[str, Any]] = []
    for c in checks:
        if c.id not in first_failure:
            if counts[c.id]:
                outcomes.append(
                    CheckOutcome(c.name, c.compared, "passed", counts[c.id], check=c.id)
                )
            else:
                needs = ", ".join(names[n] for n in c.needs)
                outcomes.append(
                    CheckOutcome(
                        c.name,
                        c.compared,
                        "skipped",
                        0,
                        message=f"not evaluated: {needs} failed on every input",
                        check=c.id,
                    )
                )
            continue

        def fails(kwargs: dict[str, Any], check_id: CheckId = c.id) -> bool:
            status = evaluate(checks, Context(spec, fn, kwargs), only=check_id)
            return status.get(check_id) is not None

        # an input already shrunk for an earlier check that fails this one too is reported for
        # it as well (a wrong formula usually fails several outputs on the same inputs): one
        # shrink instead of one per check
        shrunk = next((k for k in shrunk_inputs if fails(k)), None)
        if shrunk is None:
            try:
                shrunk = find(spec.arguments, fails, settings=config, random=random.Random(seed))
            except (NoSuchExample, Unsatisfiable):
                shrunk = first_failure[c.id]
            shrunk_inputs.append(shrunk)
        ctx = Context(spec, fn, shrunk)
        failure = evaluate(checks, ctx, only=c.id).get(c.id) or Failure(
            "failed on an input that no longer fails when run again (a non-deterministic function?)"
        )
        if c.id.kind == "values":
            failure.diagnosis = diagnose(spec, int(c.id.output), ctx, samples)  # type: ignore[arg-type]
        outcomes.append(
            CheckOutcome(
                c.name,
                c.compared,
                "failed",
                counts[c.id],
                input={k: fmt(v) for k, v in shrunk.items()},
                expected=show(failure.expected),
                got=show(failure.got),
                worst_error=failure.worst_error,
                tolerance=failure.tolerance,
                message=failure.message,
                diagnosis=failure.diagnosis,
                traceback=failure.traceback
                or (trim_traceback(failure.exception) if failure.exception else ""),
                check=c.id,
            )
        )
        if failure.not_implemented and c.id == RUNS and not counts[OUTPUT_TYPE]:
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
    function: Any,
    exercise_id: str,
    *,
    timeout: float = 60.0,
    seed: int | None = None,
    reveal: bool = False,
) -> CheckResult:
    """Check ``function`` against the exercise ``exercise_id`` (for Python and Jupyter).

    The function runs in this process (it already lives here): the verdict is the same as
    ``deepqed exercise check`` gives for a file, but without the isolation of a file's check
    (an endless loop is stopped after ``timeout`` seconds only in the main thread). For a
    *compute* exercise pass a mapping of the answers, e.g. ``{"forward": 17203200, ...}``
    (``reveal=True`` shows the expected values of wrong answers). The inputs are drawn from
    ``seed`` (default: a fresh one, given in the result).
    The attempt is not recorded in the progress database (``deepqed exercise check FILE`` does).

    Example::

        >>> from deepqed.exercises import check
        >>> check(my_sigmoid_prime, "ex-ff-sigmoid-prime")   # doctest: +SKIP
    """
    spec = catalogue.spec(exercise_id)
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
    return check_function(spec, function, None, timeout, seed=seed)


def check_function(
    spec: Implement,
    fn: Any,
    file: str | None,
    timeout: float,
    runner: Runner | None = None,
    *,
    seed: int | None = None,
    inputs: list[dict[str, Any]] | None = None,
) -> CheckResult:
    """Check ``fn`` (in this process), or, with ``runner``, whatever the runner calls (the
    function of a file, in a worker process; ``fn`` is then ``None``), on inputs drawn from
    ``seed`` (default: a fresh one; ``inputs``: those of ``draw_inputs(spec, seed)``, already
    drawn)."""
    start = time.perf_counter()
    seed = fresh_seed() if seed is None else int(seed)
    result = CheckResult(spec.id, spec.title, "unusable", file=file, seed=seed)
    if runner is None and not callable(fn):
        result.message = f"{spec.function} is a {type(fn).__name__}, not a function"
    elif runner is None and (problem := _signature_problem(spec, fn)):
        result.message = problem
    else:
        buffer = io.StringIO()
        # drawn before the time limit starts: it limits the function's calls, and an alarm
        # inside Hypothesis's generation would leave it inconsistent
        inputs = draw_inputs(spec, seed) if inputs is None else inputs
        try:
            with quiet(buffer), _time_limit(timeout if runner is None else 0):
                result.checks, stub = _search(spec, runner or local_runner(fn), seed, inputs)
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
        result.printed = buffer.getvalue()[: Limits().kept_output]
    result.seconds = time.perf_counter() - start
    return result
