r"""Gradient checking with finite differences (Section "Checking gradients").

For $f$ defined near $x$ and a direction $v$ (both of the same shape), the *central difference*

$$D_h f(x)[v] = \frac{f(x + h v) - f(x - h v)}{2h}$$

approximates the directional derivative $Df(x)[v]$ with error at most $\frac{h^2}{6}M_3$
(Proposition `prop-fd-order`); the forward difference $(f(x+hv) - f(x))/h$ only to $O(h)$.

A backward function (a vector–Jacobian product $u \mapsto J^\top u$) is checked through the
adjoint identity $\langle u, Jv\rangle = \langle J^\top u, v\rangle$ for random $u, v$
(:func:`check_vjp`, after HIPS autograd's ``check_vjp``); backpropagation is checked through
$\langle\nabla_\theta\mathcal L, V\rangle = D\mathcal L(\theta)[V]$
(:func:`loss_directional_difference`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import array_api_compat
import numpy as np

from . import losses as _losses
from ._validation import (
    Array,
    Constraint,
    Function,
    Generator,
    Instance,
    Real,
    ShapeError,
    fail,
    namespace,
    received,
    validate,
)
from .nn.backprop import LOSS
from .nn.mlp import Architecture, Parameters, _forward, _unchecked, check_like, check_network

__all__ = [
    "central_difference",
    "forward_difference",
    "check_vjp",
    "adjoint_error",
    "relative_error",
    "inner",
    "random_direction",
    "perturb",
    "loss_directional_difference",
]

#: The step of a difference quotient: a positive finite real number.
STEP = Real(0.0, None, closed="neither")


def _same_shape(name: str, a: Any, like: str, b: Any) -> None:
    if tuple(a.shape) != tuple(b.shape):
        raise ShapeError(
            f"argument {name!r} must have the shape of {like!r}, {tuple(b.shape)}, "
            f"got shape {tuple(a.shape)}"
        )


_POINT = dict(f=Function(), x=Array(nonempty=False), v=Array(nonempty=False), h=STEP)


@validate(**_POINT)
def central_difference(f: Callable[[Any], Any], x: Any, v: Any, h: float) -> Any:
    r"""$D_h f(x)[v] = \bigl(f(x + hv) - f(x - hv)\bigr)/(2h)$, error $O(h^2)$ (`prop-fd-order`).

    Arguments:
        f: a function of one array of the shape of ``x`` (its value: any shape, or a scalar).
        x: the point, any shape.
        v: the direction, the shape, namespace and dtype of ``x``.
        h: the step, a positive number.

    Returns:
        an approximation of $Df(x)[v]$, with the shape of $f(x)$.
    """
    _same_shape("v", v, "x", x)
    return (f(x + h * v) - f(x - h * v)) / (2.0 * h)


@validate(**_POINT)
def forward_difference(f: Callable[[Any], Any], x: Any, v: Any, h: float) -> Any:
    r"""$\bigl(f(x + hv) - f(x)\bigr)/h$, error $O(h)$ (`prop-fd-order`); arguments as
    :func:`central_difference`."""
    _same_shape("v", v, "x", x)
    return (f(x + h * v) - f(x)) / h


def _dot(xp: Any, a: Any, b: Any) -> float:
    return float(xp.sum(a * b))


@validate(
    f=Function(),
    vjp=Function(),
    x=Array(nonempty=False),
    u=Array(nonempty=False),
    v=Array(nonempty=False),
    h=STEP,
)
def check_vjp(
    f: Callable[[Any], Any], vjp: Callable[[Any], Any], x: Any, u: Any, v: Any, h: float
) -> tuple[float, float]:
    r"""Both sides of $\langle u, Df(x)[v]\rangle = \langle J^\top u, v\rangle$ (adjoint identity).

    The left side is computed by central differences, $\langle u, D_h f(x)[v]\rangle$; the right
    side from the backward function, $\langle \mathrm{vjp}(u), v\rangle$. They agree up to
    $O(h^2)$ and rounding when ``vjp`` is the adjoint of $Df(x)$.

    Arguments:
        f: maps an array of the shape of ``x`` to an array of the shape of ``u``.
        vjp: maps $u$ (the shape of $f(x)$) to $J^\top u$ (the shape of ``x``).
        x, v: the point and direction, same shape.
        u: the cotangent, the shape of $f(x)$.
        h: the step.

    Returns:
        ``(lhs, rhs)`` as Python floats.
    """
    return _check_vjp(f, vjp, x, u, v, h)[:2]


def _check_vjp(
    f: Callable[[Any], Any], vjp: Callable[[Any], Any], x: Any, u: Any, v: Any, h: float
) -> tuple[float, float, float]:
    """``(lhs, rhs, ||J^T u|| ||v||)`` of :func:`check_vjp` on validated arguments."""
    _same_shape("v", v, "x", x)
    xp = namespace(x)
    fx = f(x)
    if tuple(fx.shape) != tuple(u.shape):
        raise ShapeError(
            f"argument 'u' must have the shape of f(x), {tuple(fx.shape)}, "
            f"got shape {tuple(u.shape)}"
        )
    JTu = vjp(u)
    if tuple(JTu.shape) != tuple(x.shape):
        raise ShapeError(
            f"'vjp(u)' must have the shape of 'x', {tuple(x.shape)}, got shape {tuple(JTu.shape)}"
        )
    cd = (f(x + h * v) - f(x - h * v)) / (2.0 * h)  # D_h f(x)[v]
    scale = math.sqrt(_dot(xp, JTu, JTu)) * math.sqrt(_dot(xp, v, v))
    return _dot(xp, u, cd), _dot(xp, JTu, v), scale


@validate(
    f=Function(),
    vjp=Function(),
    x=Array(nonempty=False),
    u=Array(nonempty=False),
    v=Array(nonempty=False),
    h=STEP,
)
def adjoint_error(
    f: Callable[[Any], Any], vjp: Callable[[Any], Any], x: Any, u: Any, v: Any, h: float
) -> float:
    r"""The discrepancy of :func:`check_vjp`'s two sides relative to their Cauchy–Schwarz scale,

    $$\frac{|\langle u, D_hf(x)[v]\rangle - \langle J^\top u, v\rangle|}
           {\|J^\top u\|\,\|v\| + |\langle u, D_hf(x)[v]\rangle|},$$

    0 when both sides vanish; ``nan`` if either side is not finite. The central difference's
    truncation error makes it $O(h^2)$ for a correct ``vjp`` (Proposition `prop-fd-order`), plus
    rounding of order $u_{\text{mach}}\,\|f\|/(h\,\|J^\top u\|\|v\|)$."""
    lhs, rhs, scale = _check_vjp(f, vjp, x, u, v, h)
    if not (math.isfinite(lhs) and math.isfinite(rhs)):
        return math.nan
    scale += abs(lhs)
    return 0.0 if scale == 0.0 else abs(lhs - rhs) / scale


@dataclass(frozen=True)
class _Arrays(Constraint):
    """A real number or an array, or a tuple or list of them (of any array library, shape and
    floating or integer dtype; NaN and infinities allowed): the operands of
    :func:`relative_error`."""

    def describe(self) -> str:
        return "a real number, an array, or a tuple or list of them"

    def check(self, name: str, value: Any, ctx: Any) -> Any:
        items = value if isinstance(value, (list, tuple)) else [value]
        for x in items:
            ok = isinstance(x, (np.generic, int, float)) and not isinstance(x, bool)
            ok = ok or (
                array_api_compat.is_array_api_obj(x)
                and not isinstance(x, (bool, int, float, complex))
            )
            if not ok:
                fail(name, f"be {self.describe()}", received(x), kind=TypeError)
        return value


@validate(ours=_Arrays(), ref=_Arrays())
def relative_error(ours: Any, ref: Any) -> float:
    r"""$\|a - b\| / \|b\|$ in float64, the Euclidean (Frobenius) norm over all entries.

    ``ours`` and ``ref`` are arrays, or sequences of arrays taken together as one vector (the
    arrays of a parameter container, say). Infinite when a shape differs or the sequences have
    different lengths; 0 when both are exactly zero; infinite when only ``ref`` is zero; NaN
    when ``ours`` holds a NaN."""
    a_list = list(ours) if isinstance(ours, (list, tuple)) else [ours]
    b_list = list(ref) if isinstance(ref, (list, tuple)) else [ref]
    if len(a_list) != len(b_list):
        return math.inf
    num = den = 0.0
    for a, b in zip(a_list, b_list):
        a = np.asarray(_to_numpy(a), dtype=np.float64)
        b = np.asarray(_to_numpy(b), dtype=np.float64)
        if a.shape != b.shape:
            return math.inf
        num += float(np.sum((a - b) ** 2))
        den += float(np.sum(b**2))
    if math.isnan(num):
        return math.nan
    if den == 0.0:
        return 0.0 if num == 0.0 else math.inf
    return math.sqrt(num / den)


def _to_numpy(a: Any) -> Any:
    """A NumPy view of ``a`` (a torch tensor is detached and moved to the CPU)."""
    if hasattr(a, "detach"):
        return a.detach().cpu().numpy()
    return a


# --- parameters as vectors of R^P -------------------------------------------------------------
@validate(U=Instance(Parameters), V=Instance(Parameters))
def inner(U: Parameters, V: Parameters) -> float:
    r"""The inner product of $\Theta\cong\mathbb R^P$ (Definition `def-parameters`):

    $$\langle U, V\rangle = \sum_{l=1}^L \operatorname{tr}\bigl((W_U^l)^\top W_V^l\bigr)
    + (b_U^l)^\top b_V^l,$$

    the dot product of the two parameters flattened to vectors of $\mathbb R^P$. ``U`` and ``V``
    have the same shapes, namespace and dtype; returns a Python float (summed with ``math.fsum``).
    """
    xp = check_like("V", V, U)
    return math.fsum(_dot(xp, a, b) for a, b in zip(U.arrays(), V.arrays()))


@validate(theta=Instance(Parameters), rng=Generator())
def random_direction(theta: Parameters, *, rng: np.random.Generator) -> Parameters:
    r"""A direction $V\in\Theta$ uniform on the unit sphere $\|V\| = 1$, in ``theta``'s namespace,
    dtype and device."""
    raw = [rng.standard_normal(tuple(a.shape)) for a in theta.arrays()]
    norm = math.sqrt(sum(float(np.sum(r * r)) for r in raw))
    xp = array_api_compat.array_namespace(theta.W[0])
    dev = array_api_compat.device(theta.W[0])
    out = [xp.asarray(r / norm, dtype=a.dtype, device=dev) for r, a in zip(raw, theta.arrays())]
    return Parameters(tuple(out[0::2]), tuple(out[1::2]))


@validate(theta=Instance(Parameters), V=Instance(Parameters), t=Real())
def perturb(theta: Parameters, V: Parameters, t: float) -> Parameters:
    r"""$\theta + tV$ (a new container); ``V`` with ``theta``'s shapes, namespace and dtype."""
    check_like("V", V, theta)
    return _perturb(theta, V, t)


def _perturb(theta: Parameters, V: Parameters, t: float) -> Parameters:
    return _unchecked(
        Parameters,
        W=tuple(W + t * dW for W, dW in zip(theta.W, V.W)),
        b=tuple(b + t * db for b, db in zip(theta.b, V.b)),
    )


@validate(
    arch=Instance(Architecture),
    theta=Instance(Parameters),
    X=Array(shape=("m", "n_0")),
    Y=Array(shape=("m", "n_L")),
    V=Instance(Parameters),
    h=STEP,
    loss=LOSS,
)
def loss_directional_difference(
    arch: Architecture,
    theta: Parameters,
    X: Any,
    Y: Any,
    V: Parameters,
    h: float,
    loss: str = "squared_error",
) -> float:
    r"""$D_h\mathcal L(\theta)[V] = (\mathcal L(\theta + hV) - \mathcal L(\theta - hV))/(2h)$.

    Compare with $\langle\nabla_\theta\mathcal L(\theta), V\rangle$ from backpropagation
    (Theorem `thm-backprop`). Only forward passes are used.

    Arguments:
        arch, theta: the network; ``V`` a direction with the shapes of ``theta``.
        X: inputs, shape ``(m, n_0)``; Y: targets, shape ``(m, n_L)``.
        h: the step; loss: a name from ``deepqed.losses.LOSSES``.
    """
    xp = check_network(arch, theta, X=(X, ("m", "n_0")), Y=(Y, ("m", f"n_{arch.depth}")))
    check_like("V", V, theta)
    value = _losses.LOSSES[loss].value

    def L(t: float) -> float:
        return float(value(xp, _forward(xp, arch, _perturb(theta, V, t), X).output, Y))

    return (L(h) - L(-h)) / (2.0 * h)
