"""What a check found: one :class:`CheckOutcome` per check, gathered in a :class:`CheckResult`.

The same objects are printed by ``deepqed exercise check`` (text or ``--json``) and returned by
``deepqed.exercises.check(function, id)`` in Python or Jupyter.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

__all__ = ["CheckOutcome", "CheckResult", "fmt", "report_lines"]

Verdict = Literal["passed", "failed", "unusable"]


def fmt(x: Any, limit: int = 64) -> str:
    """A value as it is shown in a report: small arrays in full, larger ones summarised."""
    if isinstance(x, np.ndarray):
        if x.size <= limit:
            with np.printoptions(precision=10, threshold=limit, linewidth=88, floatmode="maxprec"):
                return repr(x)
        finite = x[np.isfinite(x)] if x.dtype.kind in "fiu" else x.ravel()[:0]
        rng = f", entries in [{finite.min():.4g}, {finite.max():.4g}]" if finite.size else ""
        return f"<array of shape {x.shape}, {x.dtype}{rng}>"
    if isinstance(x, float):
        return repr(x)
    if isinstance(x, tuple):
        return "(" + ", ".join(fmt(v, limit) for v in x) + ("," if len(x) == 1 else "") + ")"
    text = repr(x)
    return text if len(text) <= 400 else text[:400] + " ..."


@dataclass
class CheckOutcome:
    """One check: what was compared, on how many inputs, and (when it failed) the shrunk input."""

    name: str
    compared: str
    status: Literal["passed", "failed", "skipped"]
    examples: int = 0
    input: dict[str, str] | None = None
    expected: str | None = None
    got: str | None = None
    worst_error: float | None = None
    tolerance: str | None = None
    message: str = ""
    diagnosis: str = ""
    traceback: str = ""


@dataclass
class CheckResult:
    """The verdict on one submission.

    ``verdict`` is ``"passed"`` (every check passed), ``"failed"`` (the function runs but some
    check failed on some input) or ``"unusable"`` (the submission could not be checked at all:
    missing header, syntax error, missing function, wrong signature, a stub not filled in ...;
    ``message`` says why).
    """

    exercise: str
    title: str
    verdict: Verdict
    message: str = ""
    file: str | None = None
    checks: list[CheckOutcome] = field(default_factory=list)
    seconds: float = 0.0
    printed: str = ""

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if c.status == "failed"]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for c in out["checks"]:  # strict JSON has no inf/nan
            w = c["worst_error"]
            if w is not None and not np.isfinite(w):
                c["worst_error"] = repr(w)
        return out

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, allow_nan=False, default=lambda o: repr(o))

    def __str__(self) -> str:
        return "\n".join(text for text, _ in report_lines(self))

    def __repr__(self) -> str:
        return f"<CheckResult {self.exercise}: {self.verdict}>\n{self}"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:  # IPython / Jupyter
        p.text(str(self))


_MARK = {"passed": ("✓", "green"), "failed": ("✗", "red"), "skipped": ("·", "dim")}


def report_lines(result: CheckResult) -> list[tuple[str, str]]:
    """The report as ``(line, rich style)`` pairs; the CLI colours them, ``str()`` joins them."""
    out: list[tuple[str, str]] = []
    name = result.file if result.exercise == "?" and result.file else result.exercise
    head = f"{name} — {result.title}" if result.title else name
    head += f": {result.verdict.upper()}"
    if result.verdict == "failed":
        n = len(result.failed_checks)
        head += f" ({n} of {len(result.checks)} checks failed)"
    style = {"passed": "bold green", "failed": "bold red", "unusable": "bold yellow"}
    out.append((head, style[result.verdict]))
    if result.file and name != result.file:
        out.append((f"  file: {result.file}", "dim"))
    if result.message:
        for line in result.message.splitlines():
            out.append(("  " + line, ""))
    for c in result.checks:
        mark, colour = _MARK[c.status]
        count = (
            f" ({c.examples} inputs)"
            if c.status == "passed" and c.input is None and not c.name.startswith("answer ")
            else ""
        )
        out.append((f"  {mark} {c.name}: {c.compared}{count}", colour))
        if c.status == "skipped" and c.message:
            out.append((f"      {c.message}", "dim"))
        if c.status != "failed":
            continue
        if c.message:
            for line in c.message.splitlines():
                out.append((f"      {line}", ""))
        if c.input is not None:
            out.append(("      failing input (shrunk):", "bold"))
            for k, v in c.input.items():
                lines = v.splitlines() or [""]
                out.append((f"        {k} = {lines[0]}", ""))
                for more in lines[1:]:
                    out.append((f"        {' ' * len(k)}   {more}", ""))
        for label, value in (("expected", c.expected), ("got", c.got)):
            if value is not None:
                lines = value.splitlines()
                out.append((f"      {label + ':':9} {lines[0]}", ""))
                for more in lines[1:]:
                    out.append((f"                {more}", ""))
        if c.worst_error is not None:
            out.append((f"      worst error: {c.worst_error:.3g}; tolerance: {c.tolerance}", ""))
        if c.diagnosis:
            out.append((f"      likely cause: {c.diagnosis}", "yellow"))
        if c.traceback:
            for line in c.traceback.rstrip().splitlines():
                out.append((f"      | {line}", "dim"))
    if result.printed:
        out.append(("  the submission printed (first lines):", "dim"))
        shown: list[list[object]] = []
        for line in result.printed.splitlines():
            if shown and shown[-1][0] == line:
                shown[-1][1] += 1  # type: ignore[operator]
            else:
                shown.append([line, 1])
        for line, n in shown[:10]:
            again = f"   (×{n})" if n > 1 else ""
            out.append((f"      > {line}{again}", "dim"))
    out.append((f"  ({result.seconds:.2f} s)", "dim"))
    return out
