r"""Witnesses of Section "Linear classifiers and margins": ``def-svm-margin``, ``lem-svm-distance``,
``thm-svm-hard-margin``."""

from __future__ import annotations

import math

import numpy as np

from ... import svm
from ...registry import Figures, Witness
from ._common import nan_max, separable, slsqp_hard_margin


def margins_match_definition(
    rng: np.random.Generator,
    *,
    functional_margins=svm.functional_margins,
    geometric_margin=svm.geometric_margin,
) -> Figures:
    """Margins vs explicit per-sample sums y_i (sum_k w_k x_ik + b) (math.fsum), float32 and float64."""
    errors = []
    n = 30
    for t in range(n):
        dtype = (np.float64, np.float32)[t % 2]
        m, d = int(rng.integers(1, 15)), int(rng.integers(1, 6))
        X = rng.standard_normal((m, d)).astype(dtype)
        w = rng.standard_normal(d).astype(dtype)
        b = float(rng.standard_normal())
        y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
        ref = [
            y[i] * (math.fsum(float(w[k]) * float(X[i, k]) for k in range(d)) + b) for i in range(m)
        ]
        norm = math.sqrt(math.fsum(float(v) ** 2 for v in w))
        eps = 1e-13 if dtype == np.float64 else 1e-5
        scale = 1.0 + float(np.sum(np.abs(X) @ np.abs(w))) + abs(b)
        got = np.asarray(functional_margins(w, b, X, y), dtype=np.float64)
        errors.append(float(np.max(np.abs(got - ref))) / scale / eps)
        errors.append(abs(geometric_margin(w, b, X, y) - min(ref) / norm) / (scale / norm) / eps)
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "margins vs math.fsum of the definition, error in units of 1e-13 (float64) / "
        "1e-5 (float32) times sum |w||x| + |b|",
    )


def distance_is_geometric_margin(
    rng: np.random.Generator, *, functional_margins=svm.functional_margins
) -> Figures:
    """``abs(gamma_i)`` vs the distance from x_i to H(w, b) by numpy.linalg.lstsq (least-norm step onto H)."""
    errors = []
    n = 40
    for _ in range(n):
        m, d = int(rng.integers(1, 10)), int(rng.integers(1, 6))
        X, w = rng.standard_normal((m, d)), rng.standard_normal(d)
        b = float(rng.standard_normal())
        y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
        gamma = functional_margins(w, b, X, y) / np.linalg.norm(w)
        for i in range(m):
            # least-norm h with <w, x_i + h> + b = 0: the distance is ||h||
            h = np.linalg.lstsq(w[None, :], np.array([-(X[i] @ w + b)]), rcond=None)[0]
            errors.append(abs(abs(gamma[i]) - np.linalg.norm(h)))
            sign_ok = (np.sign(gamma[i]) == np.sign(y[i] * (X[i] @ w + b))) or gamma[i] == 0
            errors.append(0.0 if sign_ok else math.inf)
        # the faces {<w,x> + b = +-1} of the slab: distance from a random point of one to the other
        x0 = rng.standard_normal(d)
        x0 += np.linalg.lstsq(w[None, :], np.array([1.0 - b - x0 @ w]), rcond=None)[0]
        h = np.linalg.lstsq(w[None, :], np.array([-(x0 @ w + b + 1.0)]), rcond=None)[0]
        errors.append(abs(float(np.linalg.norm(h)) - 2.0 / float(np.linalg.norm(w))))
    return Figures(
        n,
        float(nan_max(errors)),
        1e-9,
        "abs(gamma_i) vs lstsq least-norm distance to H(w,b), and its sign; distance "
        "between the faces <w,x>+b = +-1 vs 2/||w||, float64",
    )


def _slab_width(X: np.ndarray, y: np.ndarray, u: np.ndarray) -> float:
    """Half the gap between the classes along the unit vector u, from the data alone."""
    p = X @ u
    return 0.5 * (np.min(p[y > 0]) - np.max(p[y < 0]))


def hard_margin_is_maximal(rng: np.random.Generator, *, smo=svm.smo) -> Figures:
    """Hard margin (C = inf): w, b vs SLSQP on the primal; ``1/||w||`` vs the data's widest slab."""
    errors = []
    n = 12
    for _ in range(n):
        m, d = int(rng.integers(6, 30)), int(rng.integers(2, 5))
        X, y = separable(rng, m, d)
        sol = smo(X @ X.T, y, math.inf, tol=1e-10)
        alpha = np.asarray(sol.alpha)
        w = X.T @ (alpha * y)  # equation (svm-w-from-alpha), written out
        w_ref, b_ref = slsqp_hard_margin(X, y)
        errors.append(float(np.linalg.norm(w - w_ref)) / max(1.0, float(np.linalg.norm(w_ref))))
        errors.append(abs(sol.b - b_ref) / max(1.0, abs(b_ref)))
        norm = float(np.linalg.norm(w))
        # part 4: the slab between the two classes in direction w/||w|| has half-width 1/||w||
        errors.append(abs(_slab_width(X, y, w / norm) - 1.0 / norm) * norm)
        # part 2: no direction gives a wider slab
        U = rng.standard_normal((200, d))
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        widest = max(_slab_width(X, y, u) for u in U)
        errors.append(max(widest - 1.0 / norm, 0.0) * norm)
    return Figures(
        n,
        nan_max(errors),
        1e-6,
        "relative error of (w, b) from smo(C=inf) vs SLSQP on the primal; "
        "relative error of the data's slab half-width along w vs 1/||w||; excess of "
        "200 random directions over 1/||w||",
    )


CLAIMS = (
    Witness(
        "def-svm-margin",
        margins_match_definition,
        "functional and geometric margins vs the definition summed with math.fsum",
    ),
    Witness(
        "lem-svm-distance",
        distance_is_geometric_margin,
        "|gamma_i| vs least-norm distance to the hyperplane (lstsq); distance between the "
        "faces <w,x>+b = +-1 vs 2/||w||",
    ),
    Witness(
        "thm-svm-hard-margin",
        hard_margin_is_maximal,
        "hard-margin smo vs SLSQP; 1/||w|| vs the widest empty slab of the data",
    ),
)
