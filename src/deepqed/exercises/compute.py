r"""Checking a :class:`.spec.Compute` exercise: each answer against its value, with its tolerance.

One check per answer (``answer(name)``): the variable is defined, is a number (or an array of the
expected shape), and ``|got - expected| <= atol + rtol |expected|``. A wrong value says how far
off it is (roughly: its relative error to one significant digit, or the power of ten it is off
by) and, where it matches a :class:`.spec.Mistake` of the exercise, the likely cause. The
expected value itself is shown only with ``reveal`` (``deepqed exercise check --reveal``), since
``deepqed exercise solution`` asks before showing it.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from .checks import compare
from .isolation import MISSING
from .result import CheckOutcome, CheckResult, fmt
from .spec import Answer, Compute
from .spec import answer as answer_check

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


def how_far(got: np.ndarray, expected: np.ndarray) -> str:
    """How far ``got`` is from ``expected``, without giving ``expected`` away: the sign and the
    relative error to one significant digit (or the factor, in powers of ten), at the worst
    entry of an array."""
    with np.errstate(all="ignore"):
        diff = got - expected
        scale = np.abs(expected)
        rel = np.where(scale > 0, np.abs(diff) / np.where(scale > 0, scale, 1), np.inf)
    rel = np.where(np.isnan(rel), np.inf, rel)
    k = int(np.argmax(rel)) if rel.ndim else 0
    d = float(diff.reshape(-1)[k])
    g, e = float(got.reshape(-1)[k]), float(expected.reshape(-1)[k])
    where = f" (entry {np.unravel_index(k, got.shape)})" if got.ndim else ""
    if not np.isfinite(g):
        return f"it is {g}{where}"
    side = "too large" if d > 0 else "too small"
    if e == 0:
        return f"it should be 0{where}"
    if g == 0:
        return f"it is 0, which it should not be{where}"
    if np.sign(g) != np.sign(e):
        return f"it has the wrong sign{where}"
    q = g / e  # positive
    if 0.5 <= q <= 2:
        return f"it is {side} by about {float(f'{100 * abs(q - 1):.1g}'):g}%{where}"
    decades = abs(np.log10(q))
    if decades < 0.7:
        factor = q if q > 1 else 1 / q
        return f"it is {side} by a factor of about {factor:.1g}{where}"
    return f"it is {side} by about {decades:.0f} orders of magnitude{where}"


def _likely_cause(got: np.ndarray, expected: np.ndarray, answer: Answer) -> str:
    """A cause read off the ratio of the wrong answer to the right one (the sign, a factor 2,
    a power of ten), when none of the exercise's own mistakes matched."""
    if not np.isfinite(got).all() or not np.any(expected != 0):
        return ""
    causes = [(-1.0, "the sign")]
    causes += [(f, f"a factor {f:g}") for f in (2.0, 0.5)]
    causes += [
        (10.0**k, f"a factor 10^{k} (a unit, or a power of ten)") for k in range(-9, 10) if k
    ]
    for factor, cause in causes:
        if compare(got, factor * expected, answer.tolerance)[0]:
            return f"{cause}: the rest of the computation is probably right"
    return ""


def _check_one(spec: Compute, answer: Answer, value: Any, reveal: bool) -> CheckOutcome:
    compared = f"{answer.name}: {answer.description}"
    expected = np.asarray(answer.value, dtype=np.float64)
    base = dict(
        name=f"answer {answer.name}",
        compared=compared,
        examples=1,
        check=answer_check(answer.name),
    )
    if value is MISSING:
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
    if not np.isfinite(got).all():
        return CheckOutcome(
            **base, status="failed", got=fmt(value), message=f"{answer.name} is not finite"
        )
    diagnosis = ""
    for m in spec.mistakes:
        if (
            m.name == answer.name
            and np.shape(m.value) == got.shape
            and compare(got, np.asarray(m.value, dtype=np.float64), answer.tolerance)[0]
        ):
            diagnosis = m.message
            break
    hidden = "" if reveal else " (`--reveal` shows the expected value)"
    return CheckOutcome(
        **base,
        status="failed",
        expected=fmt(answer.value) if reveal else None,
        got=fmt(value),
        worst_error=worst if reveal else None,
        tolerance=str(answer.tolerance) if reveal else None,
        diagnosis=diagnosis or _likely_cause(got, expected, answer),
        message=f"{answer.name} differs from the expected value: {how_far(got, expected)}" + hidden,
    )


def check_answers(
    spec: Compute, values: dict[str, Any], file: str | None, *, reveal: bool = False
) -> CheckResult:
    """The verdict on the answers ``values`` (name -> value; :data:`.isolation.MISSING` if
    absent); the expected values appear in the report only with ``reveal``."""
    start = time.perf_counter()
    checks = [_check_one(spec, a, values.get(a.name, MISSING), reveal) for a in spec.answers]
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
