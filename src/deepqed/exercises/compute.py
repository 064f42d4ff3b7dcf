r"""Checking a :class:`.spec.Compute` exercise: each answer against its value, with its tolerance.

One check per answer, ``answer <name>``: the variable is defined, is a number (or an array of the
expected shape), and ``|got - expected| <= atol + rtol |expected|``. A wrong value that matches a
:class:`.spec.Mistake` of the exercise is named as the likely cause, else a cause read off the
ratio to the right value (the sign, a factor 2, a power of ten). A wrong value is reported by how
far off it is, to one significant digit; the expected value only on request (``reveal``).
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .checks import compare
from .result import CheckOutcome, CheckResult, fmt
from .spec import Answer, Compute

__all__ = ["check_answers", "compute_stub_source"]


def _number(value: Any) -> np.ndarray | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        return np.asarray(float(value))
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        return value.astype(np.float64)
    if isinstance(value, (list, tuple)):
        try:
            out = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            return None
        return out
    return None


def _check_one(spec: Compute, answer: Answer, value: Any, reveal: bool) -> CheckOutcome:
    compared = f"{answer.name}: {answer.description}"
    expected = np.asarray(answer.value, dtype=np.float64)
    base = dict(name=f"answer {answer.name}", compared=compared, examples=1)
    if type(value) is tuple and value == ("missing",):
        return CheckOutcome(
            **base, status="failed", message=f"the file assigns no variable named {answer.name}"
        )
    if (
        value is Ellipsis
        or value is None
        or (type(value).__name__ == "Opaque" and getattr(value, "type_name", "") == "ellipsis")
    ):
        return CheckOutcome(
            **base,
            status="failed",
            message=f"{answer.name} is still `{value!r}`: replace it by your answer",
        )
    got = _number(value)
    if got is None:
        kind = getattr(value, "type_name", type(value).__name__)
        return CheckOutcome(
            **base,
            status="failed",
            got=fmt(value),
            message=f"{answer.name} is a {kind}; expected a number"
            + (" or an array" if expected.ndim else ""),
        )
    if got.shape != expected.shape:
        return CheckOutcome(
            **base,
            status="failed",
            expected=f"shape {expected.shape}",
            got=f"shape {got.shape}",
            message=f"{answer.name}: shape {got.shape}, expected {expected.shape}",
        )
    ok, worst, _ = compare(got, expected, answer.tolerance)
    if ok:
        return CheckOutcome(**base, status="passed")
    diagnosis = ""
    for m in spec.mistakes:
        if (
            m.name == answer.name
            and np.shape(m.value) == got.shape
            and compare(got, np.asarray(m.value, dtype=np.float64), answer.tolerance)[0]
        ):
            diagnosis = m.message
            break
    return CheckOutcome(
        **base,
        status="failed",
        expected=fmt(answer.value) if reveal else None,
        got=fmt(value),
        worst_error=worst if reveal else None,  # with the sign of the error, the expected value
        tolerance=str(answer.tolerance),
        diagnosis=diagnosis or _likely_cause(got, expected, answer),
        message=f"{answer.name} {_how_far(got, expected)}",
    )


def _how_far(got: np.ndarray, expected: np.ndarray) -> str:
    """How far off a wrong answer is, to one significant digit so as not to give the expected
    value away: the relative error and, for a number, whether it is too large or too small."""
    if not np.isfinite(got).all():
        return "is not finite"
    err = np.abs(got - expected)
    scale = np.abs(expected)
    if got.ndim:
        worst = float(np.max(err / np.where(scale > 0, scale, 1.0)))
        n = int(np.count_nonzero(err > 0))
        return f"is off in {n} of {got.size} entries, by up to {_percent(worst)} of the entry"
    side = "too large" if got > expected else "too small"
    if scale == 0:
        return f"is {side}"
    return f"is {side}, by about {_percent(float(err / scale))} of the answer"


def _percent(r: float) -> str:
    """A relative error as a percentage with one significant digit ("about 30 %")."""
    return f"{float(f'{100 * r:.1g}'):g} %"


def _likely_cause(got: np.ndarray, expected: np.ndarray, answer: Answer) -> str:
    """A cause read off the ratio of the wrong answer to the right one (the sign, a factor 2,
    a power of ten), when none of the exercise's own mistakes matched."""
    if not np.isfinite(got).all():
        return ""
    causes = [(-1.0, "the sign")]
    causes += [(f, f"a factor {f:g}") for f in (2.0, 0.5)]
    causes += [
        (10.0**k, f"a factor 10^{k} (a unit, or a power of ten)") for k in range(-9, 10) if k
    ]
    for factor, cause in causes:
        if compare(got, factor * expected, answer.tolerance)[0] and np.any(expected != 0):
            return f"{cause}: the rest of the computation is probably right"
    return ""


def check_answers(
    spec: Compute, values: dict[str, Any], file: str | None, *, reveal: bool = False
) -> CheckResult:
    """The verdict on the answers ``values`` (name -> value; ``("missing",)`` if absent).

    A wrong answer is reported by how far off it is and its likely cause; the expected value is
    shown only with ``reveal`` (``deepqed exercise solution`` asks before showing it)."""
    start = time.perf_counter()
    checks = [_check_one(spec, a, values.get(a.name, ("missing",)), reveal) for a in spec.answers]
    result = CheckResult(spec.id, spec.title, "passed", file=file, checks=checks)
    if all(c.status == "failed" and "still" in c.message for c in checks):
        result.verdict = "unusable"
        result.message = "no answer filled in yet: replace each `...` by your answer"
        result.checks = []
    elif result.failed_checks:
        result.verdict = "failed"
    result.seconds = time.perf_counter() - start
    return result


def compute_stub_source(spec: Compute, header: str) -> str:
    """The starter file of a compute exercise: one ``name = ...`` line per answer."""
    lines = [
        f"{header} {spec.id}",
        f'"""Exercise {spec.id}: {spec.title}.',
        "",
        "Replace each `...` by your answer (a number; Python arithmetic is fine), then run",
        "",
        f"    deepqed exercise check {spec.id.replace('-', '_')}.py",
        '"""',
        "",
    ]
    for a in spec.answers:
        lines.append(f"{a.name} = ...  # {a.description}")
    return "\n".join(lines) + "\n"
