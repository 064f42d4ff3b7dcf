r"""Witnesses of Sections "The chain rule" and "Checking gradients": `lem-affine-layer`,
`prop-fd-order`. (`def-frechet` and `thm-chain-rule` are witnessed with the preliminaries.)"""

from __future__ import annotations

import math

import numpy as np

from ... import gradcheck, nn
from ...registry import Figures, Witness
from ._common import SMOOTH, nan_max, single_threaded


def _slope(h: np.ndarray, err: np.ndarray) -> float:
    """Least-squares slope of log(err) against log(h)."""
    return float(np.polyfit(np.log(h), np.log(err), 1)[0])


@single_threaded
def affine_layer_adjoints(rng: np.random.Generator, *, activations=nn.ACTIVATIONS) -> Figures:
    """<Delta, D_h Z[dW, db, dA]> = <Delta^T A, dW> + <Delta^T 1, db> + <Delta W, dA> for
    Z = A W^T + 1 b^T, and <G, D_h sigma(Z)[H]> = <sigma'(Z) . G, H> (smooth sigma)."""
    errors = []
    n = 30
    for i in range(n):
        m, p, q = (int(v) for v in rng.integers(1, 12, size=3))
        A, W, b = rng.standard_normal((m, p)), rng.standard_normal((q, p)), rng.standard_normal(q)
        Delta = rng.standard_normal((m, q))
        dA, dW = rng.standard_normal((m, p)), rng.standard_normal((q, p))
        db = rng.standard_normal(q)
        h = float(rng.uniform(0.1, 1.0))  # Z is affine in each argument, bilinear in (A, W):
        # the central difference is exact for any h (the h^2 dA dW^T terms cancel)

        def Z(t):
            return (A + t * dA) @ (W + t * dW).T + (b + t * db)[None, :]

        lhs = float(np.sum(Delta * (Z(h) - Z(-h)) / (2 * h)))
        rhs = math.fsum(
            [np.sum((Delta.T @ A) * dW), np.sum(Delta.sum(axis=0) * db), np.sum((Delta @ W) * dA)]
        )
        scale = np.linalg.norm(Delta) * (
            np.linalg.norm(A) * np.linalg.norm(dW)
            + np.linalg.norm(W) * np.linalg.norm(dA)
            + math.sqrt(m) * np.linalg.norm(db)
        )
        errors.append(abs(lhs - rhs) / scale / 1e-14)
        act = activations[SMOOTH[i % len(SMOOTH)]]
        Zs, H, G = (rng.standard_normal((m, q)) for _ in range(3))
        lhs2, rhs2 = gradcheck.check_vjp(
            lambda X: act.sigma(np, X), lambda U: act.sigma_prime(np, Zs) * U, Zs, G, H, 1e-5
        )
        errors.append(abs(lhs2 - rhs2) / (np.linalg.norm(G) * np.linalg.norm(H)) / 1e-8)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "adjoint identity of the affine layer, |lhs - rhs| / scale in units of 1e-14; "
        "elementwise sigma: |<G, D_h sigma[H]> - <sigma'(Z).G, H>| / (|G||H|) in units "
        "of 1e-8 (h = 1e-5), float64",
    )


def _sin_instance(rng):
    """f(x) = sin(<w, x>), with g2(0), g3(0) (2nd, 3rd derivatives of t -> f(x+tv)) not small."""
    while True:
        d = int(rng.integers(1, 6))
        w, x, v = rng.standard_normal(d), rng.standard_normal(d), rng.standard_normal(d)
        s0, c = float(w @ x), float(w @ v)
        if min(abs(math.sin(s0)), abs(math.cos(s0))) > 0.1 and 0.1 < abs(c) < 3:
            return w, x, v, (lambda y: math.sin(float(w @ y)))


@single_threaded
def central_difference_is_second_order(
    rng: np.random.Generator,
    *,
    central_difference=gradcheck.central_difference,
    forward_difference=gradcheck.forward_difference,
) -> Figures:
    """Slopes of log error against log h: 2 for D_h, 1 for the forward difference, on
    f(x) = sin(<w, x>) along random v."""
    errors = []
    n = 12
    hs = np.logspace(-1.5, -3, 9)  # central: truncation error >= 1e-11 here, rounding <= 1e-13
    hf = np.logspace(-2.5, -4, 9)  # forward: its h^2 term is < 1% of its h term here
    for _ in range(n):
        w, x, v, f = _sin_instance(rng)
        exact = math.cos(float(w @ x)) * float(w @ v)  # Df(x)[v]
        e_c = np.array([abs(central_difference(f, x, v, h) - exact) for h in hs])
        e_f = np.array([abs(forward_difference(f, x, v, h) - exact) for h in hf])
        errors.append(abs(_slope(hs, e_c) - 2.0) if np.all(e_c > 0) else math.inf)
        errors.append(abs(_slope(hf, e_f) - 1.0) if np.all(e_f > 0) else math.inf)
    return Figures(
        n,
        nan_max(errors),
        0.15,
        "max of |slope - 2| (central, h in [1e-3, 3e-2]) and |slope - 1| (forward, "
        "h in [1e-4, 3e-3]) of log error vs log h, least squares, float64",
    )


def _max_abs_trig(f, lo: float, hi: float, peak: float) -> float:
    """max |f| over [lo, hi] for f = cos (peak 0) or sin (peak pi/2): 1 if the interval contains
    peak + k pi, else the larger endpoint value."""
    if math.floor((hi - peak) / math.pi) >= math.ceil((lo - peak) / math.pi):
        return 1.0
    return max(abs(f(lo)), abs(f(hi)))


@single_threaded
def difference_error_bounds(
    rng: np.random.Generator,
    *,
    central_difference=gradcheck.central_difference,
    forward_difference=gradcheck.forward_difference,
) -> Figures:
    """Items 1-3 for ``f(x) = sin(<w, x>)``, ``g(t) = sin(s0 + t c)``, suprema in closed form:
    ``|D_h f - Df| <= (h^2/6) max_{|t|<=h} |g'(3)|`` and
    ``|D+_h f - Df| <= (h/2) max_{0<=t<=h} |g'(2)|``, each plus the rounding term
    ``eps M0 / h``. The central bound is attained as ``h -> 0``."""
    errors = []
    n = 12
    hs = np.logspace(-1, -3, 9)
    for _ in range(n):
        w, x, v, f = _sin_instance(rng)
        c, s0 = float(w @ v), float(w @ x)
        exact = math.cos(s0) * c  # Df(x)[v]
        for h in hs:
            # rounding: eps/h times |f| <= 1 and the rounding of the argument |s0| + h|c|
            rounding = 4 * (1 + abs(s0) + h * abs(c)) * 2.0**-52 / h
            M3 = abs(c) ** 3 * _max_abs_trig(math.cos, s0 - h * abs(c), s0 + h * abs(c), 0.0)
            lo, hi = sorted((s0, s0 + h * c))
            M2 = c * c * _max_abs_trig(math.sin, lo, hi, math.pi / 2)
            errors.append(abs(central_difference(f, x, v, h) - exact) / (h * h / 6 * M3 + rounding))
            errors.append(abs(forward_difference(f, x, v, h) - exact) / (h / 2 * M2 + rounding))
    return Figures(
        n * len(hs),
        nan_max(errors),
        1.0,
        "error / bound for D_h ((h^2/6) M3) and D+_h ((h/2) M2), each + 4 eps "
        "(1 + |<w,x>|) / h, M2, M3 exact for sin(<w, x>), h in [1e-3, 1e-1], float64 "
        "(the central ratio tends to 1 as h -> 0)",
    )


CLAIMS = (
    Witness(
        "lem-affine-layer",
        affine_layer_adjoints,
        "adjoint identities of the affine layer and of elementwise sigma",
    ),
    Witness(
        "prop-fd-order",
        central_difference_is_second_order,
        "log-log slopes 2 (central difference) and 1 (forward difference)",
    ),
    Witness(
        "prop-fd-order",
        difference_error_bounds,
        "errors of D_h and D+_h vs the bounds (h^2/6) M3, (h/2) M2 in closed form",
    ),
)
