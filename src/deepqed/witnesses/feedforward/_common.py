r"""Shared pieces of the feedforward witnesses: random instances, an independent torch reference,
and the rounding-error bounds that the comparisons use as tolerances.

The torch reference is written with ``torch.nn.functional`` from the definitions (it never calls
deepqed code), so agreement with it is evidence, not a tautology.

**Tolerances from rounding.** :func:`rounding_bounds` propagates, to first order in the unit
roundoff $u$, entrywise bounds on the error of every array of Algorithms `alg-forward` and
`alg-backprop` computed in floating point from exact inputs, with the standard model
$|\mathrm{fl}(AB) - AB| \le \gamma_n |A||B|$, $\gamma_n = nu/(1 - nu)$ (Higham, *Accuracy and
Stability of Numerical Algorithms*, 2nd ed., SIAM 2002, Section 3.5), the activations' evaluation
errors of :data:`EVAL_ERROR` (libm accuracy of a few ulps) and their Lipschitz constants. Two
computations of the same quantity (ours and the reference) each lie within the bound of the exact
value, so they differ by at most the sum of their bounds. Where an instance has a ReLU
pre-activation within its rounding bound of the kink 0, the bound does not apply (the two
computations may take different branches): such instances are excluded and counted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from ...nn import ACTIVATIONS, Architecture, Parameters, init_parameters
from .._common import (  # noqa: F401  (re-exported: the other chapters import them from here)
    Comparison,
    error,
    nan_max,
    relative_error,
    single_threaded,
    upper,
)

ACTIVATION_NAMES: tuple[str, ...] = tuple(ACTIVATIONS)
SMOOTH: tuple[str, ...] = ("identity", "sigmoid", "tanh", "softplus", "gelu")
KINKED: tuple[str, ...] = ("relu", "leaky_relu")
ALPHA = 0.01  # leaky ReLU slope (PyTorch's default negative_slope)

#: The unit roundoff of each dtype.
UNIT_ROUNDOFF = {"float64": 2.0**-53, "float32": 2.0**-24}

#: sigma_l written with torch from the definitions (softplus as logaddexp(z, 0): no threshold).
TORCH_ACTIVATIONS: dict[str, Any] = {
    "identity": lambda Z: Z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": F.relu,
    "leaky_relu": lambda Z: F.leaky_relu(Z, ALPHA),
    "softplus": lambda Z: torch.logaddexp(Z, torch.zeros_like(Z)),
    "gelu": lambda Z: F.gelu(Z, approximate="none"),
}

#: $\sup_z|\sigma''(z)|$ (bounds the change of $\sigma'$): sigmoid $\sqrt3/18$, tanh
#: $4/(3\sqrt3)$, softplus $1/4$, GELU $2\varphi(0)$; 0 for the piecewise linear ones away from
#: their kink.
SECOND_DERIVATIVE = {
    "identity": 0.0,
    "sigmoid": math.sqrt(3) / 18,
    "tanh": 4 / (3 * math.sqrt(3)),
    "relu": 0.0,
    "leaky_relu": 0.0,
    "softplus": 0.25,
    "gelu": 2 / math.sqrt(2 * math.pi),
}


def gamma(n: int, u: float) -> float:
    r"""$\gamma_n = nu/(1 - nu)$."""
    return n * u / (1 - n * u)


def eval_error(name: str, Z: Any, A: Any, u: float) -> Any:
    r"""A bound on $|\mathrm{fl}(\sigma(z)) - \sigma(z)|$ at exact $z$, entrywise: the libm
    functions (``exp``, ``log1p``, ``tanh``, ``erf``) are accurate to about one ulp, and each
    formula adds a few roundings; GELU's $z\Phi(z)$ carries $\Phi$'s absolute error $\le 2u$
    times $|z|$ into its left tail, where $\Phi$ is tiny."""
    if name in ("identity", "relu"):
        return 0.0 * A
    if name == "leaky_relu":
        return u * A.abs()
    if name == "gelu":
        return 4 * u * (A.abs() + Z.abs())
    return 4 * u * A.abs()


def derivative_error(name: str, Z: Any, A: Any, D: Any, eZ: Any, eA: Any, u: float) -> Any:
    r"""A bound on the error of the computed $\sigma'(Z)$: from the error ``eZ`` of $Z$ (or ``eA``
    of $A$, for the derivatives written in terms of $A$: $A(1-A)$, $1 - A^2$) and the
    evaluation's own rounding."""
    if name in ("identity", "relu", "leaky_relu"):
        return 0.0 * D
    if name == "sigmoid":  # A(1 - A): |d/dA| = |1 - 2A| <= 1
        return (1 - 2 * A).abs() * eA + 3 * u
    if name == "tanh":  # 1 - A^2: |d/dA| = 2|A|
        return 2 * A.abs() * eA + 3 * u
    return SECOND_DERIVATIVE[name] * eZ + 4 * u * (1 + Z.abs())  # softplus', GELU' from Z


@dataclass(frozen=True)
class Bounds:
    """First-order rounding bounds (entrywise, float64) of one forward and backward pass, and the
    exact-arithmetic values they were computed at (float64 torch tensors)."""

    Z: list[Any]  # Z^1, ..., Z^L
    eZ: list[Any]
    A: list[Any]  # A^0, ..., A^L
    eA: list[Any]
    value: float  # the loss value
    e_value: float
    e_grad: list[Any]  # dW^1, db^1, ..., dW^L, db^L
    e_G0: Any  # G^0

    def scaled(self, factor: float) -> Bounds:
        """The bounds for a unit roundoff ``factor`` times smaller (``factor <= 1``): every bound
        is a sum of terms $\\gamma_n(\\cdot)$ and $cu(\\cdot)$, and $\\gamma_n$ is
        superlinear in $u$, so scaling gives an upper bound."""
        return Bounds(
            self.Z,
            [e * factor for e in self.eZ],
            self.A,
            [e * factor for e in self.eA],
            self.value,
            self.e_value * factor,
            [e * factor for e in self.e_grad],
            self.e_G0 * factor,
        )

    def kink_margin(self, arch: Architecture, others: Sequence[Bounds] = ()) -> float:
        r"""$\min |Z^l_{ij}| - (e + e')$ over the entries of the ReLU and leaky ReLU layers, with
        the rounding bounds $e$ of this computation and $e'$ of the ``others``: negative when
        some pre-activation is within rounding of the kink (the instance is then excluded)."""
        margin = math.inf
        for l, name in enumerate(arch.activations):
            if name in KINKED:
                slack = self.eZ[l] + sum(o.eZ[l] for o in others)
                margin = min(margin, float((self.Z[l].abs() - slack).min()))
        return margin


def _t(a: Any) -> torch.Tensor:
    return torch.as_tensor(np.asarray(a, dtype=np.float64))


def rounding_bounds(
    arch: Architecture,
    theta: Parameters,
    X: Any,
    Y: Any,
    loss: str,
    u: float,
    *,
    G: Any = None,
) -> Bounds:
    r"""Entrywise first-order bounds on the rounding errors of the forward pass, the loss value,
    $G^L$ and the backward sweep (with $G^0$) in a floating-point format of unit roundoff ``u``,
    from exact inputs ``theta``, ``X``, ``Y``. With ``G`` given (an exact upstream gradient), the
    sweep starts from it instead of the loss. Computed in float64 with torch, independently of
    deepqed's code; see the module docstring for the model."""
    W = [_t(a) for a in theta.W]
    b = [_t(a) for a in theta.b]
    A, eA = _t(X), torch.zeros(np.shape(X), dtype=torch.float64)
    Zs, eZs, As, eAs, Ds, eDs = [], [], [A], [eA], [], []
    for l, name in enumerate(arch.activations):
        n = A.shape[1]
        Z = A @ W[l].T + b[l]
        eZ = gamma(n + 1, u) * (A.abs() @ W[l].abs().T + b[l].abs()) + eA @ W[l].abs().T
        Zr = Z.detach().clone().requires_grad_(True)
        Anew = TORCH_ACTIVATIONS[name](Zr)
        (D,) = torch.autograd.grad(Anew.sum(), Zr)
        Anew = Anew.detach()
        eA = eval_error(name, Z, Anew, u) + D.abs() * eZ
        eDs.append(derivative_error(name, Z, Anew, D, eZ, eA, u))
        Zs.append(Z), eZs.append(eZ), Ds.append(D)
        A = Anew
        As.append(A), eAs.append(eA)
    m = A.shape[0]
    value, e_value, GL, eG = loss_bounds(A, eA, _t(Y), loss, u)
    if G is not None:
        GL, eG = _t(G), torch.zeros(np.shape(G), dtype=torch.float64)
    Gl = GL
    e_grad: list[Any] = [None] * (2 * arch.depth)
    for l in range(arch.depth, 0, -1):
        D, eD = Ds[l - 1], eDs[l - 1]
        Delta = Gl * D
        eDelta = eG * D.abs() + Gl.abs() * eD + u * Delta.abs()
        Aprev, eAprev = As[l - 1], eAs[l - 1]
        e_grad[2 * l - 2] = (
            gamma(m, u) * Delta.abs().T @ Aprev.abs()
            + eDelta.T @ Aprev.abs()
            + Delta.abs().T @ eAprev
        )
        e_grad[2 * l - 1] = gamma(m, u) * Delta.abs().sum(dim=0) + eDelta.sum(dim=0)
        n_l = W[l - 1].shape[0]
        eG = gamma(n_l, u) * Delta.abs() @ W[l - 1].abs() + eDelta @ W[l - 1].abs()
        Gl = Delta @ W[l - 1]
    return Bounds(Zs, eZs, As, eAs, value, e_value, e_grad, eG)


def loss_bounds(A: Any, eA: Any, Y: Any, loss: str, u: float) -> tuple[float, float, Any, Any]:
    r"""The loss value $T_L(A)$ and $G^L = \nabla T_L(A)$ (float64 torch tensors ``A``, ``Y``)
    with first-order bounds on their computed values' errors, given the bound ``eA`` on $A$'s:
    ``(value, e_value, G, e_G)``. Squared error: $\frac1{2m}\|A - Y\|^2$ within
    $\frac1m\langle|A - Y|, e_A\rangle + \gamma_{mK+2}$ times the value, $G = (A - Y)/m$ within
    $(e_A + 2u|A - Y|)/m$. Cross-entropy: the softmax entries within relative
    $(|x_k| + \max_j|x_j| + K + 4)u$ ($x = a - \max a$) plus the propagated $s\odot(e_A +
    \langle s, e_A\rangle)$; $\operatorname{lse}$ within $\max e_A + (K+4)u(|\operatorname{lse}|
    + 1)$."""
    m, K = A.shape
    if loss == "squared_error":
        R = A - Y
        value = 0.5 * float((R * R).sum()) / m
        e_value = (float((R.abs() * eA).sum()) + gamma(m * K + 2, u) * value * m) / m
        return value, e_value, R / m, (eA + 2 * u * R.abs()) / m
    c = A.max(dim=1, keepdim=True).values
    x = A - c
    lse = c + torch.log(torch.exp(x).sum(dim=1, keepdim=True))
    s = torch.softmax(A, dim=1)
    r = Y.sum(dim=1, keepdim=True)
    value = float((r * lse - (Y * A).sum(dim=1, keepdim=True)).sum()) / m
    es = s * ((x.abs() + x.abs().max(dim=1, keepdim=True).values + K + 4) * u)
    es = es + s * (eA + (s * eA).sum(dim=1, keepdim=True))
    e_lse = eA.max(dim=1, keepdim=True).values + (K + 4) * u * (lse.abs() + 1)
    e_value = (
        float((Y.abs() * (eA + e_lse)).sum())
        + gamma(K + 3, u) * float((Y.abs() * (A.abs() + lse.abs())).sum())
    ) / m
    G = (s * r - Y) / m
    eG = (es * r.abs() + s * gamma(K, u) * Y.abs().sum(dim=1, keepdim=True)) / m + 2 * u * G.abs()
    return value, e_value, G, eG


def norm(arrays: Sequence[Any]) -> float:
    """The Euclidean norm of the arrays taken together (float64)."""
    return math.sqrt(sum(float(np.sum(np.asarray(_np(a), dtype=np.float64) ** 2)) for a in arrays))


def _np(a: Any) -> Any:
    return a.detach().cpu().numpy() if hasattr(a, "detach") else a


class Worst:
    """The instance where ``measured / tolerance`` is largest (NaN first), for a comparison that
    reports one instance's measured value beside its own tolerance."""

    def __init__(self) -> None:
        self.measured, self.tolerance, self.at, self._key = 0.0, math.inf, "", -math.inf

    def add(self, measured: float, tolerance: float, at: str = "") -> None:
        if math.isnan(measured):
            key = math.inf
        elif tolerance > 0:
            key = measured / tolerance
        else:
            key = math.inf if measured > 0 else 0.0
        if key > self._key:
            self.measured, self.tolerance, self.at, self._key = measured, tolerance, at, key

    def error(self, what: str, *, units: str = "relative error") -> Comparison:
        tol = self.tolerance if math.isfinite(self.tolerance) else 0.0
        return error(what, self.measured, tol, units=units, at=self.at)


class WorstBound:
    """The instance closest to violating ``measured <= bound + slack`` (largest
    ``(measured - slack) / bound``), reported as an ``upper`` comparison in its own units."""

    def __init__(self) -> None:
        self.measured, self.bound, self.slack, self.at, self._key = 0.0, 1.0, 0.0, "", -math.inf

    def add(self, measured: float, bound: float, slack: float = 0.0, at: str = "") -> None:
        if math.isnan(measured):
            key = math.inf
        elif bound > 0:
            key = (measured - slack) / bound
        else:
            key = math.inf if measured > slack else -math.inf
        if key > self._key:
            self.measured, self.bound, self.slack, self.at, self._key = (
                measured,
                bound,
                slack,
                at,
                key,
            )

    def upper(self, what: str, *, units: str = "") -> Comparison:
        return upper(what, self.measured, self.bound, slack=self.slack, units=units, at=self.at)


def random_architecture(
    rng: np.random.Generator,
    *,
    depth: tuple[int, int] = (1, 6),
    width: tuple[int, int] = (1, 64),
    activations: Sequence[str] = ACTIVATION_NAMES,
    must_use: str | None = None,
    last: str | None = None,
) -> Architecture:
    """Depth and widths uniform in the given (inclusive) ranges, activations drawn from the list."""
    L = int(rng.integers(depth[0], depth[1] + 1))
    widths = tuple(int(n) for n in rng.integers(width[0], width[1] + 1, size=L + 1))
    acts = [str(rng.choice(list(activations))) for _ in range(L)]
    if must_use is not None:
        acts[int(rng.integers(L))] = must_use
    if last is not None:
        acts[-1] = last
    return Architecture(widths, tuple(acts))


def random_parameters(
    arch: Architecture, rng: np.random.Generator, dtype: Any = np.float64
) -> Parameters:
    """LeCun-initialised weights and N(0, 1/4) biases (a distribution with a density on Theta)."""
    theta = init_parameters(arch, rng=rng, dtype=np.float64)
    b = tuple(0.5 * rng.standard_normal(bl.shape) for bl in theta.b)
    return Parameters(theta.W, b).map(lambda a: np.asarray(a, dtype=dtype))


def random_targets(rng: np.random.Generator, m: int, n: int, kind: str) -> np.ndarray:
    """``kind``: "real" (Gaussian), "onehot" (one-hot rows) or "simplex" (Dirichlet rows)."""
    if kind == "onehot":
        return np.eye(n)[rng.integers(n, size=m)]
    if kind == "simplex":
        return rng.dirichlet(np.ones(n), size=m)
    return rng.standard_normal((m, n))


def torch_loss(
    arch: Architecture,
    W: Sequence[torch.Tensor],
    b: Sequence[torch.Tensor],
    X: torch.Tensor,
    Y: torch.Tensor,
    loss: str,
) -> torch.Tensor:
    r"""$\mathcal L(\theta)$ written with torch: ``F.linear`` layers, then $\frac1{2m}\|A^L - Y\|^2$
    or $-\frac1m\sum_{ik} Y_{ik}\log\operatorname{softmax}(A^L_i)_k$ (``F.log_softmax``)."""
    A = X
    for Wl, bl, name in zip(W, b, arch.activations):
        A = TORCH_ACTIVATIONS[name](F.linear(A, Wl, bl))
    m = X.shape[0]
    if loss == "squared_error":
        return 0.5 * F.mse_loss(A, Y, reduction="sum") / m
    return -(Y * F.log_softmax(A, dim=1)).sum() / m


def torch_gradient(
    arch: Architecture,
    theta: Parameters,
    X: np.ndarray,
    Y: np.ndarray,
    loss: str,
    dtype: torch.dtype = torch.float64,
    *,
    input_gradient: bool = False,
) -> tuple[float, list[np.ndarray]]:
    """The loss and its gradient ``[dW^1, db^1, ..., dW^L, db^L]`` by ``torch.autograd.grad``
    (and ``G^0``, the gradient in ``X``, appended with ``input_gradient``)."""
    W = [torch.tensor(np.asarray(a), dtype=dtype, requires_grad=True) for a in theta.W]
    b = [torch.tensor(np.asarray(a), dtype=dtype, requires_grad=True) for a in theta.b]
    Xt = torch.tensor(np.asarray(X), dtype=dtype, requires_grad=input_gradient)
    value = torch_loss(arch, W, b, Xt, torch.tensor(np.asarray(Y), dtype=dtype), loss)
    params = [p for pair in zip(W, b) for p in pair] + ([Xt] if input_gradient else [])
    grads = torch.autograd.grad(value, params)
    return float(value.detach()), [g.detach().numpy().astype(np.float64) for g in grads]
