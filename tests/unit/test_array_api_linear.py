"""Every public function of ``deepqed.linear`` on NumPy, array_api_strict and torch (CPU), in
float32 and float64: results in the namespace and dtype of the inputs, equal to the NumPy float64
path to a tolerance in units of the dtype's machine epsilon.

Tolerances. The design ``X`` (12 x 4) has the prescribed singular values 4, 2, 1, 1/2, so
kappa(X) = 8; least-squares solutions are perturbed by at most about kappa^2 u relative to
rounding of the data (Golub and Van Loan, Matrix Computations, 4th ed., Section 5.3.8), which
with m = 12 summands per product and room for the constants gives ``LS = 10 m kappa^2`` epsilons.
Sums of m terms (objectives, gradients) are within m u of exact, with room: ``SUM = 10 m``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from array_backends import DTYPES, EPS, NAMESPACES, Case, converter, host, run, uncovered

from deepqed import linear

RNG = np.random.default_rng(20261207)
M, N = 12, 4
S = np.array([4.0, 2.0, 1.0, 0.5])
KAPPA = float(S[0] / S[-1])
_U = np.linalg.qr(RNG.standard_normal((M, N)))[0]
_V = np.linalg.qr(RNG.standard_normal((N, N)))[0]
X = (_U * S) @ _V.T
Y = RNG.standard_normal(M)
W = RNG.standard_normal(N)
LS = 10 * M * KAPPA**2
SUM = 10 * M

# logistic regression: 30 samples, labels of a noisy logistic model (not separable: checked below)
XL = RNG.standard_normal((30, N))
YL = (XL @ np.array([1.0, -0.5, 0.3, 0.0]) + RNG.logistic(size=30) > 0).astype(np.int64)
WL = 0.3 * RNG.standard_normal(N)
SING = np.array([0.1, 0.5, 1.0, 2.0, 5.0])  # eta s^2 = 1.25 >= 1 for s = 5, eta = 0.05


def _pick_fit(fit: linear.LogisticFit) -> tuple:
    return (fit.w, fit.converged)


CASES = [
    Case(linear.least_squares_objective, lambda c: {"w": c(W), "X": c(X), "y": c(Y)}, SUM),
    Case(linear.condition_number, lambda c: {"X": c(X)}, LS),
    # max(m, n) eps: a function of the dtype by definition
    Case(linear.default_rcond, lambda c: {"X": c(X)}, same_dtype=True),
    Case(linear.numerical_rank, lambda c: {"X": c(X)}),
    Case(linear.numerical_rank, lambda c: {"X": c(X), "rcond": 0.3}, name="numerical_rank_cut"),
    Case(linear.pinv, lambda c: {"X": c(X)}, LS),
    Case(linear.pinv, lambda c: {"X": c(X), "rcond": 0.3}, LS, name="pinv_cut"),
    Case(linear.min_norm_least_squares, lambda c: {"X": c(X), "y": c(Y)}, LS),
    Case(
        linear.min_norm_least_squares,
        lambda c: {"X": c(X.T), "y": c(W)},
        LS,
        name="min_norm_least_squares_wide",
    ),
    Case(linear.normal_equations, lambda c: {"X": c(X), "y": c(Y)}, LS),
    Case(linear.ridge_objective, lambda c: {"w": c(W), "X": c(X), "y": c(Y), "lam": 0.3}, SUM),
    Case(linear.ridge, lambda c: {"X": c(X), "y": c(Y), "lam": 0.3}, LS),
    Case(linear.ridge, lambda c: {"X": c(X.T), "y": c(W), "lam": 0.3}, LS, name="ridge_wide"),
    Case(linear.ridge_svd, lambda c: {"X": c(X), "y": c(Y), "lam": 0.3}, LS),
    Case(linear.ridge_bias, lambda c: {"X": c(X), "w_star": c(W), "lam": 0.3}, LS),
    Case(linear.ridge_covariance, lambda c: {"X": c(X), "sigma": 0.5, "lam": 0.3}, LS),
    Case(
        linear.ridge_bias_variance,
        lambda c: {"X": c(X), "w_star": c(W), "sigma": 0.5, "lam": 0.3},
        LS,
    ),
    Case(
        linear.ridge_bias_variance,
        lambda c: {"X": c(X.T), "w_star": c(Y), "sigma": 0.5, "lam": 0.3},
        LS,
        name="ridge_bias_variance_wide",
    ),
    Case(linear.least_squares_gradient, lambda c: {"w": c(W), "X": c(X), "y": c(Y)}, SUM),
    # 40 steps of a contraction (eta = 1/beta = 1/16): rounding accumulates at most linearly
    Case(
        linear.gd_least_squares,
        lambda c: {"X": c(X), "y": c(Y), "eta": 1 / 16, "steps": 40},
        40 * SUM,
    ),
    Case(
        linear.gd_least_squares,
        lambda c: {"X": c(X), "y": c(Y), "eta": 1 / 16, "steps": 3, "w0": c(W)},
        40 * SUM,
        name="gd_least_squares_w0",
    ),
    Case(linear.smoothness_constant, lambda c: {"X": c(X)}, LS),
    Case(linear.strong_convexity_constant, lambda c: {"X": c(X)}, LS),
    Case(linear.strong_convexity_constant, lambda c: {"X": c(X.T)}, name="strong_convexity_wide"),
    # g_t is Lipschitz in s with relative condition number at most 2t + 1 on these s
    Case(linear.gd_filter, lambda c: {"s": c(SING), "eta": 0.05, "t": 10}, 100 * 21),
    Case(linear.ridge_filter, lambda c: {"s": c(SING), "lam": 0.3}),
    Case(linear.sigmoid, lambda c: {"z": c(np.linspace(-40.0, 40.0, 17))}),
    Case(linear.logistic_losses, lambda c: {"w": c(WL), "X": c(XL), "y": c(YL)}, SUM),
    Case(linear.logistic_loss, lambda c: {"w": c(WL), "X": c(XL), "y": c(YL)}, SUM),
    Case(linear.logistic_gradient, lambda c: {"w": c(WL), "X": c(XL), "y": c(YL)}, SUM),
    Case(linear.logistic_hessian, lambda c: {"w": c(WL), "X": c(XL), "y": c(YL)}, SUM),
    Case(linear.hessian_lipschitz, lambda c: {"X": c(XL)}, out="float64"),
    Case(
        linear.logistic_gd,
        lambda c: {"X": c(XL), "y": c(YL), "eta": 1.0, "steps": 20},
        20 * SUM,
    ),
    Case(
        linear.logistic_gd,
        lambda c: {"X": c(XL), "y": c(YL), "eta": 1.0, "steps": 2, "w0": c(WL)},
        20 * SUM,
        name="logistic_gd_w0",
    ),
    # Newton stops when max|grad| <= tol, a tolerance of the dtype: compared with NumPy in the
    # same dtype (same tolerance); the distance to the float64 minimiser is test_newton_minimiser
    Case(
        linear.logistic_newton,
        lambda c: {"X": c(XL), "y": c(YL)},
        1e4,
        pick=_pick_fit,
        same_dtype=True,
    ),
]

params = pytest.mark.parametrize("ns,dt", [(n, d) for n in NAMESPACES for d in DTYPES])


@params
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_matches_numpy_float64(case, ns, dt):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the data are well-conditioned: no warning expected
        run(case, ns, dt)


@params
def test_newton_minimiser(ns, dt):
    r"""Both iterates have $\|g\|_\infty\le$ tol; near the minimiser $\nabla^2\mathcal L\succeq
    \mu/2$ ($\mu$ the smallest Hessian eigenvalue at the float64 minimiser), so each lies within
    $2\sqrt n\,\mathrm{tol}/\mu$ of it, plus the rounding of the gradient ($m$ eps per entry)."""
    c = converter(ns, dt)
    ref = linear.logistic_newton(XL, YL)
    fit = linear.logistic_newton(c(XL), c(YL))
    mu = float(np.linalg.eigvalsh(linear.logistic_hessian(ref.w, XL, YL))[0])
    tol, tol64 = (0.1 * np.sqrt(EPS[d]) + 30 * EPS[d] for d in (dt, "float64"))
    assert fit.converged and ref.converged
    assert np.max(np.abs(host(fit.w) - ref.w)) <= 2 * np.sqrt(N) * (tol + tol64) / mu


@params
def test_separability(ns, dt):
    """Solved by HiGHS in float64 on the host: the value and rank of the data; a direction, when
    one exists, in the namespace of X with nonnegative margins (HiGHS's feasibility tolerance,
    1e-7, on rows of unit sup norm)."""
    c = converter(ns, dt)
    ref = linear.separability(XL, YL)
    assert ref.unique_minimiser  # the logistic data above are not separable
    got = linear.separability(c(XL), c(YL))
    assert got.unique_minimiser and got.rank == ref.rank == N
    assert got.value <= linear.SEPARABILITY_TOL
    Xs = XL[:5]  # 5 points in R^4: separable through the origin
    for data in ((Xs, YL[:5]), (X[:3], (Y[:3] > 0).astype(np.int64))):  # separable; rank 3 < 4
        ref = linear.separability(*data)
        got = linear.separability(c(data[0]), c(data[1]))
        assert not got.unique_minimiser and got.rank == ref.rank
        assert isinstance(got.direction, type(c(np.zeros(1)))) and "float64" in str(
            got.direction.dtype
        )
        v = host(got.direction)
        A = (2.0 * data[1] - 1.0)[:, None] * data[0].astype(np.float64)
        A = A / np.max(np.abs(A), axis=1, keepdims=True)
        assert np.linalg.norm(v) > 0 and np.min(A @ v) >= -1e-7 - 10 * EPS[dt]


@params
def test_ill_conditioned_warning(ns, dt):
    """The warning's threshold is the dtype's condition limit, whatever the namespace."""
    c = converter(ns, dt)
    limit = linear.condition_limit(getattr(np, dt))
    Xb = (_U * np.array([1.0, 1.0, 1.0, 1.0 / (10 * limit)])) @ _V.T
    with pytest.warns(linear.IllConditionedWarning):
        linear.min_norm_least_squares(c(Xb), c(Y), rcond=0.0)


def test_every_public_function_is_covered():
    """Each public function taking arrays has a case above (or its own test); the others take no
    array (dtypes, scalars) and so no namespace."""
    assert uncovered(linear, {c.fn.__name__ for c in CASES} | {"separability"}) == []


@pytest.mark.parametrize("ns", ["array_api_strict", "array_api_strict_device1", "torch"])
def test_labels_follow_the_data(ns):
    """Labels of another library or device than X are refused by name."""
    c = converter(ns, "float64")
    other = converter("array_api_strict" if ns.endswith("device1") else "numpy", "float64")
    for f in (linear.logistic_loss, linear.logistic_gradient):
        with pytest.raises(TypeError, match="'y'"):
            f(c(WL), c(XL), other(YL))
    with pytest.raises(TypeError, match="'y'"):
        linear.logistic_gd(c(XL), other(YL), 0.1, 2)


@pytest.mark.parametrize("dt", DTYPES)
def test_autograd_through_the_objectives(dt):
    """On torch, the objectives are differentiable by autograd, and their gradients are the
    library's closed forms (sums of m = 30 or 12 products: ``SUM`` epsilons)."""
    c = converter("torch", dt)
    for objective, gradient, (w, Xa, ya) in (
        (linear.logistic_loss, linear.logistic_gradient, (WL, XL, YL)),
        (linear.least_squares_objective, linear.least_squares_gradient, (W, X, Y)),
    ):
        w_t = c(w).requires_grad_(True)
        value = objective(w_t, c(Xa), c(ya))
        assert value.ndim == 0 and str(value.dtype).endswith(dt)
        value.backward()
        want = host(gradient(c(w), c(Xa), c(ya)))
        scale = max(1.0, float(np.max(np.abs(want))))
        np.testing.assert_allclose(host(w_t.grad), want, rtol=0, atol=3 * SUM * EPS[dt] * scale)
    w_t = c(W).requires_grad_(True)
    linear.ridge_objective(w_t, c(X), c(Y), 0.3).backward()
    want = linear.least_squares_gradient(W, X, Y) + 0.3 * W
    scale = max(1.0, float(np.max(np.abs(want))))
    np.testing.assert_allclose(host(w_t.grad), want, rtol=0, atol=3 * SUM * EPS[dt] * scale)
