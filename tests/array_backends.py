"""Running a public function on several array API namespaces and comparing with NumPy float64.

Used by ``tests/unit/test_array_api_<package>.py``. A *case* is a function and a builder
``build(c) -> kwargs``, where ``c`` converts a NumPy array to the namespace and dtype under test
(floating arrays to that dtype, integer arrays to int64, booleans to bool; anything else is passed
through). The case is run once with every ``(namespace, dtype)`` and once as the reference
(NumPy, float64); arrays in the result must have the namespace under test, its device and the
expected dtype, and every entry must agree with the reference to ``factor`` times the machine epsilon of the
dtype under test, relative to the largest entry of the reference (at least 1).
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Callable
from typing import Any

import array_api_strict as xs
import numpy as np
import torch

#: ``array_api_strict_device1``: array_api_strict on its second simulated device, which refuses to
#: combine arrays of two devices, so that an array created without ``device=`` is caught (the
#: stand-in for CUDA, which the tests never require).
NAMESPACES = ("numpy", "array_api_strict", "array_api_strict_device1", "torch")
DEVICE1 = xs.Device("device1")
DTYPES = ("float32", "float64")
EPS = {dt: float(np.finfo(dt).eps) for dt in DTYPES}
CLASSES = {
    "numpy": np.ndarray,
    "array_api_strict": type(xs.asarray(0.0)),
    "array_api_strict_device1": type(xs.asarray(0.0)),
    "torch": torch.Tensor,
}


@dataclasses.dataclass(frozen=True)
class Case:
    """``fn(**build(c))`` on every namespace and dtype.

    Attributes:
        fn: the public function.
        build: ``c -> kwargs``.
        factor: the tolerance in units of the machine epsilon of the dtype under test (the
            reason is given where the case is declared).
        out: the dtype of the floating arrays of the result: ``"input"`` (the dtype under test)
            or ``"float64"`` (computed in float64 by design).
        pick: maps the result to the structure compared (default: the result).
        same_dtype: compare with the NumPy path in the dtype under test instead of float64 (for
            results that depend on the dtype by definition, such as a default tolerance).
        name: the test id (default: the function's name).
    """

    fn: Callable[..., Any]
    build: Callable[[Callable[[Any], Any]], dict[str, Any]]
    factor: float = 100.0
    out: str = "input"
    pick: Callable[[Any], Any] = lambda r: r
    same_dtype: bool = False
    name: str | None = None

    @property
    def id(self) -> str:
        return self.name or self.fn.__name__


def converter(ns: str, dt: str) -> Callable[[Any], Any]:
    """NumPy arrays to namespace ``ns``: floating ones in dtype ``dt``, integer ones in int64."""

    def c(a: Any) -> Any:
        if not isinstance(a, np.ndarray):
            return a
        dtype = {"f": dt, "i": "int64", "u": "int64", "b": "bool"}[a.dtype.kind]
        if ns == "numpy":
            return a.astype(dtype)
        if ns.startswith("array_api_strict"):
            device = DEVICE1 if ns.endswith("device1") else None
            return xs.asarray(a.astype(dtype), dtype=getattr(xs, dtype), device=device)
        return torch.asarray(a.astype(dtype).copy(), dtype=getattr(torch, dtype))

    return c


def host(r: Any) -> np.ndarray:
    """An array of any of the namespaces as a NumPy array."""
    if isinstance(r, torch.Tensor):
        return r.detach().cpu().numpy()
    if isinstance(r, CLASSES["array_api_strict"]):
        return np.from_dlpack(r)  # from any of its devices
    return np.asarray(r)


def _is_array(r: Any) -> bool:
    return isinstance(r, tuple(CLASSES.values()))


def assert_matches(
    result: Any, reference: Any, ns: str, dt: str, case: Case, where: str = ""
) -> None:
    """``result`` (under ``ns``, ``dt``) against ``reference`` (NumPy), recursively through
    tuples and dataclasses."""
    if dataclasses.is_dataclass(reference) and not isinstance(reference, type):
        assert type(result) is type(reference), where
        for f in dataclasses.fields(reference):
            assert_matches(
                getattr(result, f.name),
                getattr(reference, f.name),
                ns,
                dt,
                case,
                f"{where}.{f.name}",
            )
        return
    if isinstance(reference, (tuple, list)):
        assert isinstance(result, (tuple, list)) and len(result) == len(reference), where
        for k, (r, ref) in enumerate(zip(result, reference)):
            assert_matches(r, ref, ns, dt, case, f"{where}[{k}]")
        return
    if reference is None:
        assert result is None, where
        return
    if isinstance(reference, np.ndarray):
        assert isinstance(result, CLASSES[ns]), f"{where}: {type(result)} is not of {ns}"
        if ns == "array_api_strict_device1":
            assert result.device == DEVICE1, f"{where}: on {result.device}"
        got = host(result)
        assert got.shape == reference.shape, where
        if reference.dtype.kind == "f":
            want = dt if case.out == "input" else "float64"
            assert str(result.dtype).endswith(want), f"{where}: dtype {result.dtype}, not {want}"
            _close(got.astype(np.float64), reference.astype(np.float64), dt, case, where)
        else:
            np.testing.assert_array_equal(got, reference, err_msg=where)
        return
    if isinstance(reference, (bool, np.bool_)):
        assert isinstance(result, (bool, np.bool_)) and bool(result) == bool(reference), where
        return
    if isinstance(reference, (int, np.integer)):
        assert isinstance(result, (int, np.integer)) and int(result) == int(reference), where
        return
    if isinstance(reference, float):
        assert isinstance(result, float), f"{where}: {type(result)} is not a float"
        _close(np.float64(result), np.float64(reference), dt, case, where)
        return
    assert result == reference, where  # kernels and other parameters, passed through


def _close(got: np.ndarray, ref: np.ndarray, dt: str, case: Case, where: str) -> None:
    scale = max(1.0, float(np.max(np.abs(ref)))) if ref.size and np.all(np.isfinite(ref)) else 1.0
    tol = case.factor * EPS[dt] * scale
    np.testing.assert_allclose(got, ref, rtol=0, atol=tol, err_msg=where)


def run(case: Case, ns: str, dt: str) -> None:
    """Run ``case`` under ``(ns, dt)`` and compare with its reference."""
    ref_dt = dt if case.same_dtype else "float64"
    reference = case.pick(case.fn(**case.build(converter("numpy", ref_dt))))
    result = case.pick(case.fn(**case.build(converter(ns, dt))))
    assert_matches(result, reference, ns, dt, case, case.id)


# --- for the hand-written tests (rnn, attention, cnn) ------------------------------------------
#: torch on every device present (CUDA only where a GPU is; the tests never require one).
TORCH_DEVICES = ("cpu",) + (("cuda",) if torch.cuda.is_available() else ())
#: Unit roundoff ``u = eps / 2`` of each dtype, the unit of the rounding-error bounds.
UNIT_ROUNDOFF = {"float32": 2.0**-24, "float64": 2.0**-53}


def _cast(ns: str) -> Callable[[Any, str], Any]:
    if ns == "numpy":
        return lambda a, dt: np.asarray(a, dtype=dt)
    if ns == "array_api_strict":
        return lambda a, dt: xs.asarray(np.asarray(a), dtype=getattr(xs, dt))
    device = ns.removeprefix("torch-")
    return lambda a, dt: torch.tensor(np.asarray(a), dtype=getattr(torch, dt), device=device)


#: ``name -> (cast(a, dt), to_numpy(r), array class)``: every number of ``a`` cast to the floating
#: dtype ``dt`` in that namespace (torch on each of :data:`TORCH_DEVICES`).
BACKENDS = {
    ns: (_cast(ns), host, CLASSES["torch" if ns.startswith("torch") else ns])
    for ns in ("numpy", "array_api_strict", *(f"torch-{d}" for d in TORCH_DEVICES))
}


def assert_same(result: Any, reference: Any, ns: str, dt: str, tol: float) -> None:
    """``result`` has the class, device and dtype of backend ``ns`` and equals ``reference``
    (NumPy, float64) to ``tol`` relative to the largest entry of ``reference`` (at least 1)."""
    _, to_numpy, cls = BACKENDS[ns]
    assert isinstance(result, cls), type(result)
    assert str(result.dtype).endswith(dt), result.dtype
    if ns.startswith("torch-"):
        assert result.device.type == ns.removeprefix("torch-"), result.device
    ref = np.asarray(reference, dtype=np.float64)
    got = np.asarray(to_numpy(result)).astype(np.float64)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    scale = max(float(np.max(np.abs(ref))), 1.0) if ref.size else 1.0
    np.testing.assert_allclose(got, ref, rtol=0, atol=tol * scale)


def uncovered(module: Any, covered: set[str]) -> list[str]:
    """The public functions of ``module`` that take an array (declared by their
    ``@validate`` constraints, optional arrays included) and are not in ``covered``."""
    from deepqed._validation import Array

    out = []
    for name in module.__all__:
        f = getattr(module, name)
        cons = getattr(f, "__deepqed_constraints__", None)
        if not callable(f) or isinstance(f, type) or cons is None:
            continue
        if name not in covered and any(
            isinstance(v, Array) or "Optional" in type(v).__name__ for v in cons.values()
        ):
            out.append(name)
    return out


def referenced(test_file: str, module_name: str) -> set[str]:
    """The attributes of ``module_name`` (``cnn.conv2d`` -> ``conv2d``) that the code of
    ``test_file`` names: for test modules whose cases are written as functions rather than a
    table, the functions they exercise on every backend."""
    with open(test_file, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == module_name
    }
