r"""Witnesses of Section "Linear classifiers and margins": ``def-svm-margin``, ``lem-svm-distance``,
``thm-svm-hard-margin``."""

from __future__ import annotations

import math

import numpy as np

from ... import svm
from ...registry import Witness
from ._common import (
    U64,
    Evidence,
    equal,
    separable,
    single_threaded,
    slsqp_hard_margin,
    upper,
    worst_error,
)

F64 = np.dtype("float64")


@single_threaded
def margins_match_definition(
    rng: np.random.Generator,
    *,
    dtype: np.dtype = F64,
    functional_margins=svm.functional_margins,
    geometric_margin=svm.geometric_margin,
) -> Evidence:
    r"""Functional margins vs $y_i(\sum_kw_kx_{ik} + b)$ summed with ``math.fsum`` (exact up to one
    rounding), within $\gamma_{d+2}(\lvert w\rvert^\top\lvert x_i\rvert + \lvert b\rvert)$ in the
    dtype; the geometric margin vs
    $\min_i$ of those over $\|w\|$ (also by ``math.fsum``), within the same relative bound plus the
    norm's $\gamma_{d+1}$."""
    u = float(np.finfo(dtype).eps) / 2
    e_f, t_f, e_g, t_g = [], [], [], []
    n = 30
    for _ in range(n):
        m, d = int(rng.integers(1, 15)), int(rng.integers(1, 6))
        X = rng.standard_normal((m, d)).astype(dtype)
        w = rng.standard_normal(d).astype(dtype)
        b = float(rng.standard_normal())
        y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
        ref = [
            y[i] * (math.fsum(float(w[k]) * float(X[i, k]) for k in range(d)) + b) for i in range(m)
        ]
        scale = np.abs(X.astype(F64)) @ np.abs(w.astype(F64)) + abs(b)
        g = (d + 3) * u / (1 - (d + 3) * u)
        got = np.asarray(functional_margins(w, b, X, y), dtype=F64)
        e_f += list(np.abs(got - ref))
        t_f += list(g * scale + 1e-300)
        norm = math.sqrt(math.fsum(float(v) ** 2 for v in w))
        i = int(np.argmin(ref))
        e_g.append(abs(geometric_margin(w, b, X, y) - ref[i] / norm))
        t_g.append((g * float(np.max(scale)) + (d + 2) * u * abs(ref[i])) / norm + 1e-300)
    return Evidence(
        n,
        (
            worst_error("functional margins vs the definition (math.fsum)", e_f, t_f),
            worst_error("geometric margin vs the definition", e_g, t_g),
        ),
    )


@single_threaded
def distance_is_geometric_margin(
    rng: np.random.Generator, *, functional_margins=svm.functional_margins
) -> Evidence:
    r"""$\lvert\gamma_i\rvert$ vs the distance from $x_i$ to $H(w, b)$ by ``numpy.linalg.lstsq``
    (the
    least-norm step onto $H$), and its sign vs that of $y_i(\langle w, x_i\rangle + b)$; the
    distance between the faces $\{\langle w, x\rangle + b = \pm1\}$ vs $2/\|w\|$. Tolerances:
    $8(d + 4)u(\lvert w\rvert^\top\lvert x_i\rvert + \lvert b\rvert)/\|w\|$ (the residual, the norm
    and the least-squares step)."""
    e_d, t_d, e_f, t_f = [], [], [], []
    wrong_sign = 0
    n = 40
    for _ in range(n):
        m, d = int(rng.integers(1, 10)), int(rng.integers(1, 6))
        X, w = rng.standard_normal((m, d)), rng.standard_normal(d)
        b = float(rng.standard_normal())
        y = np.where(rng.random(m) < 0.5, 1.0, -1.0)
        nw = float(np.linalg.norm(w))
        gamma = np.asarray(functional_margins(w, b, X, y)) / nw
        for i in range(m):
            h = np.linalg.lstsq(w[None, :], np.array([-(X[i] @ w + b)]), rcond=None)[0]
            e_d.append(abs(abs(gamma[i]) - float(np.linalg.norm(h))))
            t_d.append(8 * (d + 4) * U64 * (float(np.abs(X[i]) @ np.abs(w)) + abs(b)) / nw)
            f = y[i] * (X[i] @ w + b)
            if abs(f) > t_d[-1] * nw and np.sign(gamma[i]) != np.sign(f):
                wrong_sign += 1
        x0 = rng.standard_normal(d)
        x0 += np.linalg.lstsq(w[None, :], np.array([1.0 - b - x0 @ w]), rcond=None)[0]
        h = np.linalg.lstsq(w[None, :], np.array([-(x0 @ w + b + 1.0)]), rcond=None)[0]
        e_f.append(abs(float(np.linalg.norm(h)) - 2.0 / nw))
        t_f.append(16 * (d + 4) * U64 * (float(np.abs(x0) @ np.abs(w)) + abs(b) + 2) / nw)
    return Evidence(
        n,
        (
            worst_error("$|\\gamma_i|$ vs the least-norm distance to $H(w, b)$", e_d, t_d),
            equal(
                "samples whose geometric margin has the wrong sign",
                wrong_sign,
                0,
                0.0,
                units="samples",
            ),
            worst_error(
                "distance between the faces $\\langle w, x\\rangle + b = \\pm1$ vs $2/\\|w\\|$",
                e_f,
                t_f,
            ),
        ),
    )


def _slab_width(X: np.ndarray, y: np.ndarray, u: np.ndarray) -> float:
    """Half the gap between the classes along the unit vector u, from the data alone."""
    p = X @ u
    return 0.5 * (np.min(p[y > 0]) - np.max(p[y < 0]))


@single_threaded
def hard_margin_is_maximal(rng: np.random.Generator, *, smo=svm.smo) -> Evidence:
    r"""Hard margin (``smo`` with $C = \infty$): its $w = \sum_i\alpha_iy_ix_i$ vs SLSQP's solution of
    the primal (scaled to feasibility), within $\sqrt{2G}$ for the certified gap
    $G = \frac12\|w_{\mathrm{SLSQP}}\|^2 - D(\alpha)$ (weak duality: $\frac12\|w\|^2 - D(\alpha)\ge
    \frac12\|w - v\|^2$ for feasible $(w, b)$); part 4, the slab between the classes along
    $w/\|w\|$ has half-width $1/\|w\|$ (both margin hyperplanes hold samples); part 2, no random
    direction gives a wider slab, and the widest one, $w/\|w\|$, attains $1/\|w\|$."""
    e_w, t_w, e_s, t_s, e_g, t_g = [], [], [], [], [], []
    wide = []
    n = 12
    for _ in range(n):
        m, d = int(rng.integers(6, 30)), int(rng.integers(2, 5))
        X, y = separable(rng, m, d)
        sol = smo(X @ X.T, y, math.inf, tol=1e-10)
        alpha = np.asarray(sol.alpha)
        v = X.T @ (alpha * y)  # equation (svm-w-from-alpha), written out
        w_ref, b_ref = slsqp_hard_margin(X, y)
        D = float(np.sum(alpha) - 0.5 * v @ v)
        G = (
            max(0.5 * float(w_ref @ w_ref) - D, 0.0)
            + 8 * m * U64 * (float(np.sum(alpha)) + float(w_ref @ w_ref))
            + abs(b_ref) * abs(float(y @ alpha))
        )
        e_w.append(float(np.linalg.norm(v - w_ref)))
        t_w.append(math.sqrt(2 * G))
        e_g.append(G)
        t_g.append(1e-7 * float(w_ref @ w_ref))  # SLSQP's accuracy and smo's at tol 1e-10
        norm = float(np.linalg.norm(v))
        R = float(np.max(np.linalg.norm(X, axis=1)))
        # the slab width is R-Lipschitz in the direction; the direction moves by 2 sqrt(2G)/|w*|
        e_s.append(abs(_slab_width(X, y, v / norm) - 1.0 / norm))
        t_s.append(4 * R * math.sqrt(2 * G) / norm + 2 * math.sqrt(2 * G) / norm**2)
        U = rng.standard_normal((200, d))
        U /= np.linalg.norm(U, axis=1, keepdims=True)
        wide.append((max(_slab_width(X, y, u) for u in U), 1.0 / norm, t_s[-1]))
    worst = max(wide, key=lambda q: (q[0] - q[2]) / q[1])
    k = max(range(n), key=lambda i: e_s[i] / t_s[i])
    return Evidence(
        n,
        (
            worst_error(
                "certified gap $\\frac12\\|w_{\\mathrm{SLSQP}}\\|^2 - D(\\alpha)$", e_g, t_g
            ),
            worst_error("$\\|w_{\\mathrm{SMO}} - w_{\\mathrm{SLSQP}}\\|$", e_w, t_w),
            equal(
                "part 4: slab half-width along $w/\\|w\\|$ minus $1/\\|w\\|$ (attained)",
                e_s[k],
                0.0,
                t_s[k],
                attains=True,
            ),
            upper(
                "part 2: widest slab over 200 random directions vs $1/\\|w\\|$",
                worst[0],
                worst[1],
                slack=worst[2],
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-svm-margin",
        margins_match_definition,
        "functional and geometric margins vs the definition summed with math.fsum",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "lem-svm-distance",
        distance_is_geometric_margin,
        "|gamma_i| vs least-norm distance to the hyperplane (lstsq); distance between the "
        "faces <w,x>+b = +-1 vs 2/||w||",
        strength="exact",
    ),
    Witness(
        "thm-svm-hard-margin",
        hard_margin_is_maximal,
        "hard-margin smo vs SLSQP (certified gap); 1/||w|| is the widest empty slab, attained "
        "along w",
        strength="sharp",
    ),
)
