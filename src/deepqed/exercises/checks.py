r"""The checks run on each input, and what a failed one found.

========================  ===============================================  ================
check                     what is compared                                 depends on
========================  ===============================================  ================
``RUNS``                  the call returns without raising                 --
``INPUTS_UNCHANGED``      the arguments are not modified in place          runs
``OUTPUT_TYPE``           a ``numpy.ndarray`` (or a tuple of them)         runs
``OUTPUT_SHAPE``          each output's shape equals the reference's       output type
``DTYPE``                 each output's dtype equals the reference's       output shape
``FINITE``                finite wherever the reference is finite          output shape
``values(k)``             output ``k`` within its dtype's tolerance        finite
``holds(name)``           the property's ``lhs == rhs`` within tolerance   finite
========================  ===============================================  ================

A check is evaluated on an input only where the checks it depends on passed on that input. A
check is identified by its :class:`.CheckId` (kind, output index, property name); its name in
reports (``"values of G"``) is for reading only.
"""

from __future__ import annotations

import copy
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .result import fmt
from .spec import (
    DTYPE,
    FINITE,
    INPUTS_UNCHANGED,
    OUTPUT_SHAPE,
    OUTPUT_TYPE,
    RUNS,
    CheckId,
    Implement,
    Tolerance,
    holds,
    values,
)

__all__ = [
    "Failure",
    "Check",
    "Context",
    "Call",
    "Runner",
    "local_runner",
    "build_checks",
    "evaluate",
    "diagnose",
    "compare",
    "show",
    "trim_traceback",
]


@dataclass
class Failure:
    """A failed check on one input; ``expected`` and ``got`` are formatted only when reported."""

    message: str
    expected: Any = None
    got: Any = None
    worst_error: float | None = None
    tolerance: str | None = None
    exception: BaseException | None = None  # its traceback is formatted only when reported
    diagnosis: str = ""
    not_implemented: bool = False
    traceback: str = ""  # already formatted (a submission run in a worker process)


@dataclass
class Check:
    id: CheckId
    name: str
    compared: str
    needs: tuple[CheckId, ...]
    run: Callable[[Context], Failure | None]


Runner = Callable[[list[Any]], "Call"]
"""Runs the submission on positional arguments; see :func:`local_runner` and
:func:`.submission.worker_runner`."""


@dataclass
class Call:
    """What one call of the submission gave: its value or its error, and its arguments after."""

    value: Any = None
    error: Failure | None = None
    args_after: list[Any] = field(default_factory=list)


def local_runner(fn: Callable[..., Any]) -> Runner:
    """Call ``fn`` in this process, on copies of the arguments (not isolated: for Python and
    Jupyter, where the function already lives in the reader's process)."""

    def run(args: list[Any]) -> Call:
        args = [copy.deepcopy(a) for a in args]
        try:
            value = fn(*args)
        except SystemExit as e:
            return Call(
                None, Failure(f"the function called sys.exit({e.code!r})", exception=e), args
            )
        except Exception as e:  # the submission's own error, reported with its traceback
            return Call(
                None,
                Failure(
                    f"the function raised {type(e).__name__}: {e}",
                    exception=e,
                    not_implemented=isinstance(e, NotImplementedError),
                ),
                args,
            )
        return Call(value, None, args)

    return run


class Context:
    """One input: the reference's output and the submission's, each computed once."""

    def __init__(self, spec: Implement, runner: Runner, kwargs: dict[str, Any]) -> None:
        self.spec, self.runner, self.kwargs = spec, runner, kwargs
        self._expected: Any = None
        self._called = False
        self.got: Any = None
        self.error: Failure | None = None
        self.args_after: list[Any] = []
        self.status: dict[str, Failure | None] = {}  # set by the search: name -> failure

    @property
    def expected(self) -> Any:
        if self._expected is None:
            out = self.spec.reference(**copy.deepcopy(self.kwargs))
            self._expected = out if len(self.spec.outputs) > 1 else (out,)
        return self._expected

    def call(self) -> None:
        if self._called:
            return
        self._called = True
        result = self.runner([self.kwargs[p] for p in self.spec.parameters])
        self.got, self.error, self.args_after = result.value, result.error, result.args_after

    @property
    def outputs(self) -> tuple[Any, ...]:
        return self.got if len(self.spec.outputs) > 1 else (self.got,)


class _Text(str):
    """Already formatted for the report."""


def show(x: Any) -> str | None:
    if x is None:
        return None
    return str(x) if isinstance(x, _Text) else fmt(x)


def _type_name(x: Any) -> str:
    if hasattr(x, "type_name") and type(x).__name__ == "Opaque":
        return str(x.type_name)
    t = type(x)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def _scalar(x: Any) -> str:
    return repr(x.item()) if isinstance(x, np.generic) else repr(x)


def trim_traceback(e: BaseException) -> str:
    """The traceback from the submission's first frame on (the checker's frames dropped)."""
    frames = traceback.extract_tb(e.__traceback__)
    here = str(Path(__file__).parent)
    kept = [f for f in frames if not f.filename.startswith(here)]
    # Keep the submission's frames and the frame where the error was raised.
    lines = traceback.format_list(kept[-8:])
    lines += traceback.format_exception_only(type(e), e)
    return "".join(lines)


def compare(got: Any, expected: Any, tol: Tolerance) -> tuple[bool, float, tuple[int, ...]]:
    """Whether ``got`` is within ``tol`` of ``expected``; the worst absolute error, and the index
    of the first entry that is out of tolerance by the largest factor (``()`` when none is)."""
    g = np.asarray(got, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    with np.errstate(all="ignore"):
        err = np.abs(g - e)
        allowed = tol.atol + tol.rtol * np.abs(e)
        ok = err <= allowed
        if err.size == 0 or ok.all():
            worst = float(np.max(err)) if err.size and np.isfinite(err).all() else 0.0
            return True, worst, ()
        # out by how many tolerances: infinite for a NaN or where nothing is allowed
        excess = np.where(ok, 0.0, np.where(allowed > 0, err / allowed, np.inf))
        excess = np.where(np.isnan(err), np.inf, excess)
    where = np.unravel_index(int(np.argmax(excess)), err.shape) if err.ndim else ()
    worst = (
        float(np.nanmax(np.where(np.isfinite(err), err, np.nan)))
        if np.isfinite(err).any()
        else float("inf")
    )
    return False, worst, tuple(int(i) for i in where)


def _dtype_advice(name: str, got: np.dtype, expected: np.dtype) -> str:
    if expected.kind in "iu" and got.kind == "f":
        return (
            f"{name}: dtype {got}, expected {expected}: {name} holds integers (labels, indices); "
            f"return an integer array (np.argmax gives {np.dtype(np.intp)}), not floats"
        )
    if expected.kind == "f" and got.kind in "iub":
        return (
            f"{name}: dtype {got}, expected {expected}: {name} holds real numbers; build it from "
            "the floating-point inputs (an integer array, np.zeros(n, dtype=int) for instance, "
            "truncates what is stored in it)"
        )
    if expected.kind == "f" and got.kind == "f":
        return (
            f"{name}: dtype {got}, expected {expected} (keep the input's precision: float32 in, "
            "float32 out; do not convert to another dtype)"
        )
    return f"{name}: dtype {got}, expected {expected}"


def build_checks(spec: Implement) -> list[Check]:
    outs = spec.outputs
    many = len(outs) > 1
    fn = spec.signature
    kinds = {np.dtype(k).kind for k in spec.tolerances if _is_dtype(k)}

    def runs(c: Context) -> Failure | None:
        c.call()
        return c.error

    def unchanged(c: Context) -> Failure | None:
        for name, after in zip(spec.parameters, c.args_after):
            before = c.kwargs[name]
            if isinstance(before, np.ndarray) and not (
                isinstance(after, np.ndarray)
                and after.shape == before.shape
                and np.array_equal(after, before, equal_nan=True)
            ):
                return Failure(
                    f"the function modified its argument {name} in place; "
                    "compute a new array instead",
                    expected=before,
                    got=after,
                )
        return None

    def out_type(c: Context) -> Failure | None:
        got = c.got
        if got is None:
            return Failure(
                f"returned None: did you forget `return`? ({spec.function} must return "
                + (f"a tuple ({', '.join(outs)}))" if many else f"{outs[0]})"),
                got=got,
            )
        if many:
            if not isinstance(got, (tuple, list)) or len(got) != len(outs):
                n = len(got) if isinstance(got, (tuple, list)) else None
                what = (
                    f"a {type(got).__name__} of length {n}"
                    if n is not None
                    else "None"
                    if got is None
                    else f"a {_type_name(got)}"
                )
                forgot = " (the function returns None: did you forget `return`?)"
                return Failure(
                    f"returned {what}; expected a tuple ({', '.join(outs)}) of "
                    f"{len(outs)} numpy arrays" + (forgot if got is None else ""),
                    got=got,
                )
        for name, g in zip(outs, c.outputs):
            if g is None:
                return Failure(f"{name}: returned None: did you forget to compute or return it?")
            if not isinstance(g, np.ndarray) or g.dtype.kind not in "fiu":
                kind = _type_name(g)
                if isinstance(g, np.ndarray):
                    kind = f"numpy.ndarray of dtype {g.dtype}"
                return Failure(
                    f"{name}: returned a {kind}; expected a numpy.ndarray"
                    + (
                        " of floats"
                        if kinds <= {"f"}
                        else " of integers"
                        if kinds <= {"i", "u"}
                        else ""
                    )
                    + " (use np.asarray or array operations)",
                    got=g,
                )
        return None

    def shape(c: Context) -> Failure | None:
        for name, g, e in zip(outs, c.outputs, c.expected):
            if g.shape != e.shape:
                msg = f"{name}: shape {g.shape}, expected {e.shape}"
                if len(e.shape) == 2 and g.shape == e.shape[::-1] and e.shape[0] != e.shape[1]:
                    msg += " (the transpose of the expected shape: a transposed product?)"
                return Failure(
                    msg, expected=_Text(f"shape {e.shape}"), got=_Text(f"shape {g.shape}")
                )
        return None

    def dtype(c: Context) -> Failure | None:
        for name, g, e in zip(outs, c.outputs, c.expected):
            if g.dtype != e.dtype:
                return Failure(
                    _dtype_advice(name, g.dtype, e.dtype),
                    expected=_Text(str(e.dtype)),
                    got=_Text(str(g.dtype)),
                )
        return None

    def finite(c: Context) -> Failure | None:
        for name, g, e in zip(outs, c.outputs, c.expected):
            bad = np.isfinite(e) & ~np.isfinite(g)
            if bad.any():
                idx = tuple(int(i) for i in np.argwhere(bad)[0])
                return Failure(
                    f"{name}: {_scalar(g[idx])} at index {idx} where the reference is "
                    f"{_scalar(e[idx])} (an overflow or 0/0: reformulate so that no intermediate "
                    "overflows)",
                    expected=e,
                    got=g,
                )
        return None

    def values_of(k: int) -> Callable[[Context], Failure | None]:
        def run(c: Context) -> Failure | None:
            g, e = c.outputs[k], c.expected[k]
            tol = spec.tolerance(e.dtype)
            ok, worst, where = compare(g, e, tol)
            if ok:
                return None
            at = f" at index {where}" if where else ""
            return Failure(
                f"{outs[k]} differs from the reference{at}: expected {_scalar(e[where])}, "
                f"got {_scalar(g[where])}",
                expected=e,
                got=g,
                worst_error=worst,
                tolerance=f"{tol} ({e.dtype})",
            )

        return run

    def prop(p: Any) -> Callable[[Context], Failure | None]:
        def run(c: Context) -> Failure | None:
            lhs, rhs = p.sides(c.kwargs, c.got)
            tol = spec.tolerance(c.expected[0].dtype)
            ok, worst, where = compare(lhs, rhs, tol)
            if ok:
                return None
            return Failure(
                f"{p.statement} does not hold",
                expected=np.asarray(rhs),
                got=np.asarray(lhs),
                worst_error=worst,
                tolerance=str(tol),
            )

        return run

    shape_text = ", ".join(outs)
    dtype_text = "each output has the reference's dtype" + (
        " (floats keep the input's precision: float32 in, float32 out)"
        if kinds == {"f"}
        else " (integers stay integers)"
        if kinds <= {"i", "u"}
        else " (floats keep the input's precision, integers stay integers)"
    )
    result: list[Check] = [
        Check(RUNS, "runs", f"{fn} returns without raising", (), runs),
        Check(
            INPUTS_UNCHANGED,
            "inputs unchanged",
            "the arguments are not modified in place",
            (RUNS,),
            unchanged,
        ),
        Check(
            OUTPUT_TYPE,
            "output type",
            f"returns a tuple ({shape_text}) of numpy arrays" if many else "returns a numpy array",
            (RUNS,),
            out_type,
        ),
        Check(
            OUTPUT_SHAPE,
            "output shape",
            f"the shape of {shape_text} equals the reference's",
            (OUTPUT_TYPE,),
            shape,
        ),
        Check(DTYPE, "dtype", dtype_text, (OUTPUT_SHAPE,), dtype),
        Check(
            FINITE,
            "finite",
            "the output is finite wherever the reference is (no overflow, no NaN)",
            (OUTPUT_SHAPE,),
            finite,
        ),
    ]
    tol_text = "; ".join(
        f"{k}: rtol {t.rtol:g}, atol {t.atol:g}" for k, t in spec.tolerances.items()
    )
    for k, name in enumerate(outs):
        check_id = values(k)
        result.append(
            Check(
                check_id,
                check_id.label(outs),
                f"{name} agrees with the reference ({tol_text})",
                (FINITE,),
                values_of(k),
            )
        )
    for p in spec.properties:
        result.append(Check(holds(p.name), p.name, p.statement, (FINITE,), prop(p)))
    return result


def _is_dtype(name: str) -> bool:
    try:
        np.dtype(name)
    except TypeError:
        return False
    return True


def evaluate(
    checks: list[Check], ctx: Context, only: CheckId | None = None
) -> dict[CheckId, Failure | None]:
    """Evaluate the checks on one input in order; a check runs only if its needs passed.

    With ``only``, stop after that check. Returns check -> failure (None: passed); checks that
    could not run are absent.
    """
    status: dict[CheckId, Failure | None] = {}
    for c in checks:
        if any(n not in status or status[n] is not None for n in c.needs):
            continue
        status[c.id] = c.run(ctx)
        if c.id == only:
            break
    return status


def diagnose(spec: Implement, k: int, failing: Context, samples: list[Context]) -> str:
    """A known mistake that explains the values of output ``k`` on every applicable input."""
    tol = spec.tolerance(failing.expected[k].dtype)
    pool = [failing] + [
        s for s in samples if OUTPUT_SHAPE in s.status and s.status[OUTPUT_SHAPE] is None
    ]

    def holds_on_pool(alt: Callable[[Context], Any]) -> bool:
        for i, c in enumerate(pool):
            try:
                a = np.asarray(alt(c))
            except Exception:
                return False
            g = c.outputs[k]
            if a.shape != g.shape:
                if i == 0:
                    return False
                continue
            if not compare(g, a, tol)[0]:
                return False
        return True

    for d in spec.diagnoses:
        if spec.output_index(d.output) == k and holds_on_pool(
            lambda c, d=d: d.alternative(c.kwargs)
        ):
            return d.message
    if holds_on_pool(lambda c: -c.expected[k]):
        return "got = −expected: a sign error"
    e, g = failing.expected[k], failing.outputs[k]
    if e.ndim == 2 and e.shape[0] == e.shape[1] and holds_on_pool(lambda c: c.expected[k].T):
        return "got = expected transposed: the factors of a product in the wrong order?"
    denom = float(np.sum(e.astype(np.float64) ** 2))
    if denom > 0 and np.count_nonzero(e) >= 1:
        factor = float(np.sum(g.astype(np.float64) * e) / denom)
        if np.isfinite(factor) and abs(factor - 1) > 1e-3 and abs(factor) > 1e-12:
            others = [c for c in pool[1:] if np.any(c.expected[k])]
            if others and holds_on_pool(lambda c: factor * c.expected[k]):
                return f"got = {factor:.6g} × expected: a constant factor is wrong"
    return ""
