r"""Checking a :class:`.spec.Compute` exercise: each answer against its value, with its tolerance.

One check per answer, ``answer <name>``: the variable is defined, is a number (or an array of the
expected shape), and ``|got - expected| <= atol + rtol |expected|``. A wrong value that matches a
:class:`.spec.Mistake` of the exercise is named as the likely cause.
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


def _check_one(spec: Compute, answer: Answer, value: Any) -> CheckOutcome:
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
        expected=fmt(answer.value),
        got=fmt(value),
        worst_error=worst,
        tolerance=str(answer.tolerance),
        diagnosis=diagnosis,
        message=f"{answer.name} differs from the expected value",
    )


def check_answers(spec: Compute, values: dict[str, Any], file: str | None) -> CheckResult:
    """The verdict on the answers ``values`` (name -> value; ``("missing",)`` if absent)."""
    start = time.perf_counter()
    checks = [_check_one(spec, a, values.get(a.name, ("missing",))) for a in spec.answers]
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
