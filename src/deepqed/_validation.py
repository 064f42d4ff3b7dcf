r"""Argument validation, declared as data and shared by every public function.

A public function states what each argument must be, once, beside its signature::

    @validate(X=Array(ndim=2, shape=("m", "d")), y=Array(shape=("m",), dtype="integer",
              values=(-1, 1), numpy=True), C=Real(0, None, closed="neither", inf=True),
              rng=Generator())
    def fit(X, y, C, *, rng): ...

and :func:`validate` checks every argument *before* any arithmetic, so that a wrong argument is
reported by name, with what was expected and what was received, never as a broadcasting error from
deep inside NumPy or PyTorch. One message format for all::

    argument 'stride' must be an integer >= 1 or a pair of them, got 2.5 (float)
    argument 'y' must have shape (m,) with m = 5 (from 'X'), got shape (4,)

Named dimensions (``"m"`` above) are unified across the arguments of one call, and with integer
arguments of the same name (``shape=("n", "d")`` with an argument ``d``). Floating-point arrays of
one call must come from one array library, on one device, with one dtype (float32 *or* float64:
no silent promotion). Arrays may come from any namespace that ``array_api_compat`` recognises
(NumPy, PyTorch on CPU or CUDA, ``array_api_strict``) unless the constraint says ``numpy=True``.
Validated arrays are passed on unchanged (never copied, never modified); scalars are passed on
converted (``Real`` gives a ``float``, ``Integer`` an ``int``, ``Pair`` a tuple).

Constraints: :class:`Real`, :class:`Integer`, :class:`Pair`, :class:`Options`, :class:`Boolean`,
:class:`Generator`, :class:`DType`, :class:`Array`, :class:`Instance`, :class:`Function`,
:class:`Optional`.
Inside a function, :func:`fail` raises a dynamic check's error in the same format.
"""

from __future__ import annotations

import functools
import inspect
import math
import numbers
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

__all__ = [
    "ShapeError",
    "IllConditionedWarning",
    "fail",
    "received",
    "Constraint",
    "Real",
    "Integer",
    "Pair",
    "Options",
    "Boolean",
    "Generator",
    "DType",
    "Array",
    "Instance",
    "Function",
    "Optional",
    "validate",
    "check",
    "check_against",
    "namespace",
    "check_array",
    "check_same_namespace",
]


# The namespace of a plain ``numpy.ndarray``, looked up once: ``array_api_compat.array_namespace``
# costs about 1.4 us per call, and a call of the library validates a few to a few dozen arrays.
_NUMPY_NAMESPACE = array_api_compat.array_namespace(np.empty(0))


def _array_namespace(x: Any) -> Any:
    """``array_api_compat.array_namespace(x)`` for one array, without its cost for a plain
    ``numpy.ndarray`` or ``torch.Tensor`` (the same module object either way)."""
    if type(x) is np.ndarray:
        return _NUMPY_NAMESPACE
    torch = sys.modules.get("torch")  # (a tensor exists only once torch is imported)
    if torch is not None and type(x) is torch.Tensor:
        return _torch_namespace()
    return array_api_compat.array_namespace(x)


@functools.cache
def _torch_namespace() -> Any:
    """array-api-compat's namespace of ``torch.Tensor`` (looked up once)."""
    import torch

    return array_api_compat.array_namespace(torch.empty(0))


def _device(x: Any) -> Any:
    """``array_api_compat.device(x)``; a tensor's ``.device`` directly (the same object)."""
    torch = sys.modules.get("torch")
    if torch is not None and type(x) is torch.Tensor:
        return x.device
    return array_api_compat.device(x)


class ShapeError(ValueError):
    """An array argument has the wrong shape (or number of dimensions, or no entries)."""


class IllConditionedWarning(RuntimeWarning):
    r"""A linear system or factorisation is so ill-conditioned that its solution may have lost
    most of its significant digits (each library function says which condition number it
    estimates and the limit it uses, typically $\kappa > 1/\sqrt u$ with $u$ the unit roundoff)."""


def _type_name(x: Any) -> str:
    t = type(x)
    return t.__qualname__ if t.__module__ == "builtins" else f"{t.__module__}.{t.__qualname__}"


def received(x: Any) -> str:
    """How a received value is described in messages: ``2.5 (float)``, ``shape (3, 4) float32``,
    ``list``."""
    if (
        array_api_compat.is_array_api_obj(x)
        and not isinstance(x, (bool, int, float, complex, type))  # a class (np.int64) is no array
    ):
        return f"{_type_name(x)} of shape {tuple(x.shape)} and dtype {x.dtype}"
    if x is None or isinstance(x, (bool, int, float, str, np.generic)):
        text = repr(x.item() if isinstance(x, np.generic) else x)
        if len(text) > 40:
            text = text[:37] + "..."
        return f"{text} ({_type_name(x)})"
    return _type_name(x)


def fail(name: str, expected: str, got: str, *, kind: type[Exception] = ValueError) -> None:
    """Raise ``kind`` with the one message format: ``argument 'name' must be expected, got got``."""
    raise kind(f"argument {name!r} must {expected}, got {got}")


class _Context:
    """Named dimensions bound so far in one call, and where each came from."""

    def __init__(self) -> None:
        self.dims: dict[str, tuple[int, str]] = {}


class Constraint:
    """What one argument must be. ``check(name, value, ctx)`` returns the (converted) value or
    raises ``TypeError``/``ValueError`` naming the argument."""

    def check(self, name: str, value: Any, ctx: _Context) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def _interval_text(kind: str, low: float | None, high: float | None, closed: str) -> str:
    lo_op = ">=" if closed in ("both", "left") else ">"
    hi_op = "<=" if closed in ("both", "right") else "<"
    if low is None and high is None:
        return kind
    if high is None:
        return f"{kind} {lo_op} {low:g}"
    if low is None:
        return f"{kind} {hi_op} {high:g}"
    lb = "[" if closed in ("both", "left") else "("
    rb = "]" if closed in ("both", "right") else ")"
    return f"{kind} in {lb}{low:g}, {high:g}{rb}"


def _in_interval(v: float, low: float | None, high: float | None, closed: str) -> bool:
    if low is not None and not (v >= low if closed in ("both", "left") else v > low):
        return False
    if high is not None and not (v <= high if closed in ("both", "right") else v < high):
        return False
    return True


@dataclass(frozen=True)
class Real(Constraint):
    """A real number (``int``, ``float``, NumPy scalar; not ``bool``) in an interval; passed on
    as ``float``. NaN is rejected; infinities only with ``inf=True`` (and the interval allows
    them)."""

    low: float | None = None
    high: float | None = None
    closed: str = "both"
    inf: bool = False

    def describe(self) -> str:
        return _interval_text("a real number", self.low, self.high, self.closed) + (
            " (infinity allowed)" if self.inf else ""
        )

    def check(self, name: str, value: Any, ctx: _Context) -> float:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
            fail(name, f"be {self.describe()}", received(value), kind=TypeError)
        v = float(value)
        if (
            math.isnan(v)
            or (math.isinf(v) and not self.inf)
            or not _in_interval(v, self.low, self.high, self.closed)
        ):
            fail(name, f"be {self.describe()}", received(value))
        return v


@dataclass(frozen=True)
class Integer(Constraint):
    """An integer (``int`` or NumPy integer; not ``bool``, not a float) in ``[low, high]``;
    passed on as ``int``."""

    low: int | None = None
    high: int | None = None

    def describe(self) -> str:
        return _interval_text("an integer", self.low, self.high, "both")

    def check(self, name: str, value: Any, ctx: _Context) -> int:
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
            fail(name, f"be {self.describe()}", received(value), kind=TypeError)
        v = int(value)
        if not _in_interval(v, self.low, self.high, "both"):
            fail(name, f"be {self.describe()}", received(value))
        if name not in ctx.dims:
            ctx.dims[name] = (v, name)
        return v


@dataclass(frozen=True)
class Pair(Constraint):
    """An integer, or a pair (tuple or list of length 2) of integers, each satisfying ``item``;
    passed on as a tuple of two ints (a single integer ``k`` gives ``(k, k)``)."""

    item: Integer = Integer(0)

    def describe(self) -> str:
        return f"{self.item.describe()} or a pair of them"

    def check(self, name: str, value: Any, ctx: _Context) -> tuple[int, int]:
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                fail(
                    name,
                    f"be {self.describe()}",
                    f"a {type(value).__name__} of length {len(value)}",
                )
            items = value
        else:
            items = (value, value)
        out = []
        for v in items:
            if isinstance(v, (bool, np.bool_)) or not isinstance(v, numbers.Integral):
                fail(name, f"be {self.describe()}", received(value), kind=TypeError)
            if not _in_interval(int(v), self.item.low, self.item.high, "both"):
                fail(name, f"be {self.describe()}", received(value))
            out.append(int(v))
        return (out[0], out[1])


@dataclass(frozen=True)
class Options(Constraint):
    """One of the given values (strings, usually)."""

    values: tuple[Any, ...]

    def __init__(self, *values: Any) -> None:
        object.__setattr__(self, "values", tuple(values))

    def describe(self) -> str:
        return "one of " + ", ".join(repr(v) for v in self.values)

    def check(self, name: str, value: Any, ctx: _Context) -> Any:
        try:
            ok = any(type(value) is type(v) and value == v for v in self.values)
        except Exception:  # an exotic object whose == fails
            ok = False
        if not ok:
            fail(
                name,
                f"be {self.describe()}",
                received(value),
                kind=ValueError if isinstance(value, str) else TypeError,
            )
        return value


@dataclass(frozen=True)
class Boolean(Constraint):
    """``True`` or ``False`` (a Python or NumPy bool)."""

    def describe(self) -> str:
        return "a bool"

    def check(self, name: str, value: Any, ctx: _Context) -> bool:
        if not isinstance(value, (bool, np.bool_)):
            fail(name, "be a bool (True or False)", received(value), kind=TypeError)
        return bool(value)


@dataclass(frozen=True)
class Generator(Constraint):
    """A ``numpy.random.Generator`` (randomness is always explicit)."""

    def describe(self) -> str:
        return "a numpy.random.Generator"

    def check(self, name: str, value: Any, ctx: _Context) -> np.random.Generator:
        if not isinstance(value, np.random.Generator):
            fail(
                name,
                "be a numpy.random.Generator (numpy.random.default_rng(seed))",
                received(value),
                kind=TypeError,
            )
        return value


@dataclass(frozen=True)
class DType(Constraint):
    """A floating-point dtype, float32 or float64, in any spelling NumPy accepts
    (``numpy.float32``, ``"float32"``, ``numpy.dtype("float32")``); passed on as a
    ``numpy.dtype``."""

    def describe(self) -> str:
        return "the dtype float32 or float64"

    def check(self, name: str, value: Any, ctx: _Context) -> np.dtype:
        if value is None or isinstance(value, (bool, int, float, np.generic)):
            fail(name, f"be {self.describe()}", received(value), kind=TypeError)
        try:
            dtype = np.dtype(value)
        except (TypeError, ValueError):
            fail(name, f"be {self.describe()}", received(value), kind=TypeError)
        if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
            fail(name, f"be {self.describe()}", f"dtype {dtype}")
        return dtype


@dataclass(frozen=True)
class Instance(Constraint):
    """An instance of ``cls`` (one class or a tuple of classes)."""

    cls: type | tuple[type, ...]
    what: str = ""

    def describe(self) -> str:
        if self.what:
            return self.what
        names = self.cls if isinstance(self.cls, tuple) else (self.cls,)
        return "a " + " or ".join(c.__name__ for c in names)

    def check(self, name: str, value: Any, ctx: _Context) -> Any:
        if not isinstance(value, self.cls):
            fail(name, f"be {self.describe()}", received(value), kind=TypeError)
        return value


@dataclass(frozen=True)
class Function(Constraint):
    """A callable."""

    def describe(self) -> str:
        return "a callable"

    def check(self, name: str, value: Any, ctx: _Context) -> Any:
        if not callable(value):
            fail(name, "be callable", received(value), kind=TypeError)
        return value


@dataclass(frozen=True)
class Optional(Constraint):
    """``None``, or a value satisfying ``inner``."""

    inner: Constraint

    def describe(self) -> str:
        return f"None or {self.inner.describe()}"

    def check(self, name: str, value: Any, ctx: _Context) -> Any:
        return None if value is None else self.inner.check(name, value, ctx)


_DTYPES = {
    "floating": "dtype float32 or float64",
    "integer": "an integer dtype",
    "real": "an integer, float32 or float64 dtype",
    "bool": "dtype bool",
}


def _dtype_kind(xp: Any, dtype: Any) -> str:
    if dtype == xp.bool:
        return "bool"
    if dtype in (xp.float32, xp.float64):
        return "floating"
    try:
        if xp.isdtype(dtype, "integral"):
            return "integer"
    except (AttributeError, TypeError):  # namespaces without isdtype
        if np.issubdtype(np.dtype(str(dtype).split(".")[-1]), np.integer):
            return "integer"
    return "other"


def _format_shape(entries: Sequence[str]) -> str:
    items = list(entries)
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


@dataclass(frozen=True)
class Array(Constraint):
    """An array of the Python array API (or a ``numpy.ndarray`` with ``numpy=True``).

    Attributes:
        ndim: allowed numbers of dimensions (an int or a tuple of ints).
        shape: the expected shape; an entry is an int (that size), ``None`` (any size) or a
            dimension name (unified across the call's arguments). Implies ``ndim``.
        dtype: ``"floating"`` (float32/float64: not float16, whose range the stable formulas and
            tolerances do not cover), ``"integer"``, ``"real"`` (integer or floating), ``"bool"``.
        finite: reject NaN and infinities.
        nonempty: reject a size 0 along any axis (batch sizes and widths are in $\\mathbb N$).
        numpy: require a ``numpy.ndarray``.
        values: the allowed values of the entries (e.g. ``(-1, 1)`` for labels; an integer
            or floating array, compared exactly).
        low, high: for integer arrays, bounds on the entries (``[low, high]``).
        same_dtype: take part in the call's dtype agreement (floating arrays; default).
    """

    ndim: int | tuple[int, ...] | None = None
    shape: tuple[int | str | None, ...] | None = None
    dtype: str = "floating"
    finite: bool = True
    nonempty: bool = True
    numpy: bool = False
    values: tuple[int, ...] | None = None
    low: int | None = None
    high: int | None = None
    same_dtype: bool = True

    def describe(self) -> str:
        return "an array"

    def check(self, name: str, x: Any, ctx: _Context) -> Any:
        if self.numpy and not isinstance(x, np.ndarray):
            fail(name, "be a numpy.ndarray", received(x), kind=TypeError)
        if not array_api_compat.is_array_api_obj(x) or isinstance(
            x, (bool, int, float, complex, np.generic)
        ):
            fail(
                name, "be an array (numpy.ndarray, torch.Tensor, ...)", received(x), kind=TypeError
            )
        xp = _array_namespace(x)
        kind = _dtype_kind(xp, x.dtype)
        allowed = {
            "floating": ("floating",),
            "integer": ("integer",),
            "real": ("integer", "floating"),
            "bool": ("bool",),
        }[self.dtype]
        if kind not in allowed:
            fail(name, f"have {_DTYPES[self.dtype]}", f"dtype {x.dtype}", kind=TypeError)
        self._check_shape(name, x, ctx)
        if self.nonempty and any(n == 0 for n in x.shape):
            raise ShapeError(
                f"argument {name!r} must have at least one entry along every "
                f"axis, got shape {tuple(x.shape)}"
            )
        if self.finite and kind == "floating" and not _all_finite(xp, x):
            what = "NaN" if bool(xp.any(xp.isnan(x))) else "an infinite value"
            raise ValueError(f"argument {name!r} must be finite, got an array that contains {what}")
        if (
            kind == "integer"
            and (self.values is not None or self.low is not None or self.high is not None)
            and math.prod(x.shape) > 0
        ):
            self._check_entries(name, xp, x)
        elif kind == "floating" and self.values is not None and math.prod(x.shape) > 0:
            self._check_entries(name, xp, x)  # labels stored as floats: exact values
        return x

    def _check_shape(self, name: str, x: Any, ctx: _Context) -> None:
        ndim = len(self.shape) if self.shape is not None else self.ndim
        if ndim is not None:
            allowed = (ndim,) if isinstance(ndim, int) else tuple(ndim)
            if x.ndim not in allowed:
                want = " or ".join(str(d) for d in allowed)
                raise ShapeError(
                    f"argument {name!r} must have {want} dimension(s), got shape {tuple(x.shape)}"
                )
        if self.shape is None:
            return
        for entry, size in zip(self.shape, x.shape):
            if entry is None:
                continue
            if isinstance(entry, int):
                if size != entry:
                    raise ShapeError(
                        f"argument {name!r} must have shape "
                        f"{self._shape_text(ctx)}, got shape {tuple(x.shape)}"
                    )
                continue
            bound = ctx.dims.get(entry)
            if bound is None:
                ctx.dims[entry] = (int(size), name)
            elif bound[0] != size:
                raise ShapeError(
                    f"argument {name!r} must have shape {self._shape_text(ctx)} with {entry} = "
                    f"{bound[0]} (from {bound[1]!r}), got shape {tuple(x.shape)}"
                )

    def _shape_text(self, ctx: _Context) -> str:
        assert self.shape is not None
        return _format_shape(["*" if e is None else str(e) for e in self.shape])

    def _check_entries(self, name: str, xp: Any, x: Any) -> None:
        if self.values is not None:
            ok = xp.zeros(x.shape, dtype=xp.bool, device=array_api_compat.device(x))
            for v in self.values:
                ok = ok | (x == v)
            if not bool(xp.all(ok)):
                bad = np.asarray(x)[~np.asarray(ok)] if isinstance(x, np.ndarray) else None
                first = f" (for example {bad.flat[0]})" if bad is not None and bad.size else ""
                fail(
                    name,
                    "have entries in {" + ", ".join(str(v) for v in self.values) + "}",
                    f"other values{first}",
                )
        if self.low is not None and bool(xp.any(x < self.low)):
            fail(name, f"have entries >= {self.low}", f"a minimum of {int(xp.min(x))}")
        if self.high is not None and bool(xp.any(x > self.high)):
            fail(name, f"have entries <= {self.high}", f"a maximum of {int(xp.max(x))}")


def _all_finite(xp: Any, x: Any) -> bool:
    """Whether every entry of ``x`` is finite.

    NaN and the infinities propagate through addition (``inf + (-inf)`` is NaN), so a finite sum
    proves every term finite, in any summation order. PyTorch computes that one reduction several
    times faster than ``isfinite(x).all()``; only when the sum is not finite (a non-finite entry,
    or finite entries whose sum overflows) does the elementwise test decide. NumPy's
    ``isfinite(x).all()`` is as fast as its sum, so other namespaces take the elementwise test.
    """
    if type(x) is np.ndarray:
        return bool(np.isfinite(x).all())  # (the namespace's wrappers cost more than a small test)
    if array_api_compat.is_torch_namespace(xp) and math.isfinite(float(x.detach().sum())):
        return True
    return bool(xp.all(xp.isfinite(x)))


def _agree(arrays: list[tuple[str, Any]]) -> Any:
    """The shared namespace of the named arrays; ``TypeError`` naming two that differ in library,
    device or (for floating arrays) dtype."""
    first_name, first = arrays[0]
    xp = _array_namespace(first)
    device = _device(first)
    for k, v in arrays[1:]:
        if _array_namespace(v) is not xp:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} come from different array "
                f"libraries ({_type_name(first)} and {_type_name(v)})"
            )
        if v.dtype != first.dtype:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} have different dtypes "
                f"({first.dtype} and {v.dtype}); convert one of them explicitly"
            )
        if _device(v) != device:
            raise TypeError(
                f"arguments {first_name!r} and {k!r} live on different devices "
                f"({device} and {array_api_compat.device(v)})"
            )
    return xp


def check(constraints: dict[str, Constraint], values: dict[str, Any]) -> dict[str, Any]:
    """Validate ``values`` against ``constraints`` (in the order of ``constraints``) and return
    the converted values: named dimensions unified, floating arrays agreeing in library, device
    and dtype. Used by :func:`validate`; call it directly to validate fields of a container."""
    ctx = _Context()
    out = dict(values)
    order = sorted(constraints, key=lambda k: not isinstance(constraints[k], Integer))
    for name in order:  # integers first: their values name dimensions
        if name in values:
            out[name] = constraints[name].check(name, values[name], ctx)
    floats = [
        (k, out[k])
        for k in constraints
        if isinstance(constraints[k], (Array, Optional))
        and _is_float_array(constraints[k], out.get(k))
    ]
    if len(floats) > 1:
        _agree(floats)
    return out


def check_against(container: Any, prefix: str, **arrays: tuple[tuple[Any, ...], Any]) -> None:
    """Check a call's arrays against the arrays of a container (a parameter tuple) that declares
    ``__deepqed_constraints__``: shapes with the container's dimension names, one library, device
    and dtype. ``arrays`` maps an argument's name to ``(shape, value)`` (``value`` ``None`` is
    skipped); the container's arrays are named ``prefix.field`` in messages::

        check_against(theta, "theta", X=(("T", "m", "d"), X))
        # argument 'X' must have shape (T, m, d) with d = 3 (from 'theta.U'), got shape (5, 2, 4)

    Finiteness is not checked again (the call's own constraints did)."""
    constraints: dict[str, Constraint] = {}
    values: dict[str, Any] = {}
    for field, c in container.__deepqed_constraints__.items():
        if isinstance(c, Array):
            constraints[f"{prefix}.{field}"] = Array(
                ndim=c.ndim, shape=c.shape, finite=False, numpy=c.numpy, nonempty=c.nonempty
            )
            values[f"{prefix}.{field}"] = getattr(container, field)
    for name, (shape, value) in arrays.items():
        if value is not None:
            constraints[name] = Array(shape=tuple(shape), finite=False)
            values[name] = value
    check(constraints, values)


def _is_float_array(c: Constraint, value: Any) -> bool:
    inner = c.inner if isinstance(c, Optional) else c
    return (
        isinstance(inner, Array)
        and inner.same_dtype
        and value is not None
        and array_api_compat.is_array_api_obj(value)
        and _dtype_kind(_array_namespace(value), value.dtype) == "floating"
    )


def validate(**constraints: Constraint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate a function so that its arguments are checked against ``constraints`` (keyed by
    parameter name) before it runs, and passed on converted (see :func:`check`).

    Every parameter must have a constraint: a forgotten one (or a constraint for a parameter the
    function lacks) is a ``TypeError`` when the module is imported. A container argument (an
    architecture, a parameter tuple) is an :class:`Instance`, whose fields the function checks
    with its own helper built on :func:`check`."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        sig = inspect.signature(fn)
        missing = [p for p in sig.parameters if p not in constraints]
        extra = [k for k in constraints if k not in sig.parameters]
        if missing or extra:
            raise TypeError(
                f"validate({fn.__qualname__}): parameters without a constraint "
                f"{missing}, constraints without a parameter {extra}"
            )

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                bound = sig.bind(*args, **kwargs)
            except TypeError as exc:
                raise TypeError(f"{fn.__name__}(): {exc}") from None
            bound.apply_defaults()
            checked = check(constraints, dict(bound.arguments))
            bound.arguments.update(checked)
            return fn(*bound.args, **bound.kwargs)

        wrapper.__deepqed_constraints__ = constraints  # type: ignore[attr-defined]
        return wrapper

    return decorate


# --- the functional forms, for checks inside functions and containers --------------------------
def namespace(*arrays: Any) -> Any:
    """The array API namespace shared by ``arrays`` (ignoring ``None``)."""
    present = [a for a in arrays if a is not None]
    if len(present) == 1:
        return _array_namespace(present[0])
    return array_api_compat.array_namespace(*present)


def check_array(
    name: str,
    x: Any,
    *,
    ndim: int | Sequence[int] | None = None,
    shape: Sequence[int | None | str] | None = None,
    allow_nonfinite: bool = False,
    nonempty: bool = False,
) -> Any:
    """Validate one floating-point array argument and return it unchanged (the functional form of
    ``Array(ndim=..., shape=..., finite=not allow_nonfinite, nonempty=...)``; named dimensions
    are not unified across calls)."""
    nd = tuple(ndim) if ndim is not None and not isinstance(ndim, int) else ndim
    c = Array(
        ndim=nd,
        shape=tuple(shape) if shape is not None else None,
        finite=not allow_nonfinite,
        nonempty=nonempty,
    )
    return c.check(name, x, _Context())


def check_same_namespace(**arrays: Any) -> Any:
    """The namespace of the named arrays; ``TypeError`` naming two that differ in library, device
    or dtype."""
    items = [(k, v) for k, v in arrays.items() if v is not None]
    return _agree(items)
