r"""Witnesses of Section "Dynamical isometry": `prop-init-orthogonal`,
`thm-init-gaussian-jacobian`.

Instances: deep linear networks with Haar orthogonal or Gaussian square matrices (the library's
``init_weights``), many networks side by side; ReLU networks with orthogonal matrices and gain 2;
Monte Carlo intervals at level $1 - 10^{-6}$ (Bonferroni), exact Clopper–Pearson intervals for
frequencies."""

from __future__ import annotations

import math

import numpy as np

from ... import initialisation as ini
from ...probability import clopper_pearson
from ...registry import Witness
from .._common import Evidence, equal, error, interval, single_threaded
from .variance import LEVEL, _z

U64 = np.finfo(np.float64).eps


@single_threaded
def orthogonal_linear_networks_are_isometries(
    rng: np.random.Generator, *, init_weights=ini.init_weights
) -> Evidence:
    r"""Proposition `prop-init-orthogonal`: (a) linear networks with orthogonal weights of gain
    $c_w$: every singular value of $J = W^L\cdots W^1$ equals $c_w^{L/2}$ (to rounding, $L$ up to
    $64$); (b) ReLU networks with Haar weights and gain $2$ (width 3, depth 4, 4000 networks):
    $J$ is singular exactly when a hidden unit is inactive (no disagreement), the frequency of
    "all hidden units active" lies in a Clopper–Pearson interval containing $2^{-n(L-1)}$, and
    $\mathbb E\|Ju\|^2 = c_w(c_w/2)^{L-1}\|u\|^2$ (interval)."""
    err = 0.0
    for _ in range(4):
        n, L, gain = int(rng.integers(2, 9)), int(rng.integers(1, 65)), float(rng.uniform(0.5, 2.0))
        J = np.eye(n)
        for W in init_weights(np.full(L + 1, n), "orthogonal", rng, gain):
            J = W @ J
        s = np.linalg.svd(J, compute_uv=False)
        err = max(err, float(np.abs(s / gain ** (L / 2) - 1).max()))
    n, L, R = 3, 4, 4000
    Ws = [np.sqrt(2.0) * ini.haar_orthogonal(n, n, rng, size=R) for _ in range(L)]
    x = rng.standard_normal(n)
    u = rng.standard_normal(n)
    u /= np.linalg.norm(u)
    a, J, active = (
        np.broadcast_to(x, (R, n)),
        np.broadcast_to(np.eye(n), (R, n, n)),
        np.ones(R, bool),
    )
    for l, W in enumerate(Ws):
        z = np.einsum("rjk,rk->rj", W, a)
        J = np.einsum("rjk,rkm->rjm", W, J)
        if l < L - 1:
            D = (z > 0).astype(float)
            active &= D.all(axis=1)
            a = np.maximum(z, 0.0)
            J = D[:, :, None] * J
    smin = np.linalg.svd(J, compute_uv=False)[:, -1]
    singular = smin < 1e-10
    disagree = int(np.sum(singular == active))  # singular must be "not all active"
    k = int(active.sum())
    lo, hi = (float(b[0]) for b in clopper_pearson(np.array([k]), R, alpha=1e-6 / 2))
    sq = np.sum(np.einsum("rjk,k->rj", J, u) ** 2, axis=1)
    est, se = float(sq.mean()), float(sq.std(ddof=1)) / math.sqrt(R)
    z2 = _z(2)
    return Evidence(
        4 + R,
        (
            error(
                r"linear, orthogonal: singular values of $J$ / $c_w^{L/2}$ - 1",
                err,
                64 * 64 * U64,
                units="absolute",
            ),
            equal(
                "ReLU: [J singular] vs [some hidden unit inactive] (disagreements)", disagree, 0, 0
            ),
            interval(
                r"ReLU: frequency of all hidden units active vs $2^{-n(L-1)}$",
                k / R,
                float(lo),
                float(hi),
                2.0 ** (-n * (L - 1)),
                level=1 - 1e-6 / 2,
            ),
            interval(
                r"ReLU, Haar, gain 2: $\mathbb E\|Ju\|^2$ vs $2$",
                est,
                est - z2 * se,
                est + z2 * se,
                2.0,
                level=1 - 1e-6 / 2,
            ),
        ),
    )


@single_threaded
def gaussian_jacobian_moments_are_exact(
    rng: np.random.Generator,
    *,
    gaussian_jacobian_moments=ini.gaussian_jacobian_moments,
    fuss_catalan=ini.fuss_catalan,
) -> Evidence:
    r"""Theorem `thm-init-gaussian-jacobian`: for linear networks with Gaussian weights of variance
    $1/n$ (20000 networks for $(n, L) = (4, 1), (4, 3)$, 10000 for $(8, 2)$, 4000 for $(16, 3)$:
    heavier tails at larger $L/n$ make central-limit intervals unreliable), intervals
    for $\mathbb E\frac1n\operatorname{tr}M$, $\mathbb E\frac1n\operatorname{tr}M^2$ and
    $\mathbb E\|Ju\|^4$ contain the exact finite-$n$ values; and the library's second moment tends
    to the Fuss–Catalan number $L + 1$, within $3L^2/n$ at $n = 10^6$."""
    comps = []
    cases = ((4, 1, 20000), (4, 3, 20000), (8, 2, 10000), (16, 3, 4000))
    z = _z(3 * len(cases))
    for n, L, R in cases:
        J = np.broadcast_to(np.eye(n), (R, n, n))
        for _ in range(L):
            J = np.einsum("rjk,rkm->rjm", rng.standard_normal((R, n, n)) / math.sqrt(n), J)
        M = np.einsum("rjk,rjm->rkm", J, J)
        t1 = np.trace(M, axis1=1, axis2=2) / n
        t2 = np.einsum("rjk,rkj->r", M, M) / n
        u = rng.standard_normal(n)
        u /= np.linalg.norm(u)
        f4 = np.sum(np.einsum("rjk,k->rj", J, u) ** 2, axis=1) ** 2
        m1, m2, m4 = gaussian_jacobian_moments(n, L)
        for name, sample, ref in (
            (r"$\frac1n\operatorname{tr}M$", t1, m1),
            (r"$\frac1n\operatorname{tr}M^2$", t2, m2),
            (r"$\|Ju\|^4$", f4, m4),
        ):
            est, se = float(sample.mean()), float(sample.std(ddof=1)) / math.sqrt(R)
            comps.append(
                interval(
                    f"{name}, $n = {n}$, $L = {L}$",
                    est,
                    est - z * se,
                    est + z * se,
                    ref,
                    level=LEVEL,
                )
            )
    worst = 0.0
    for L in (1, 2, 5, 10):
        n = 10**6
        worst = max(
            worst, abs(gaussian_jacobian_moments(n, L)[1] - fuss_catalan(L, 2)) / (3 * L * L / n)
        )
    comps.append(
        equal(
            r"$n = 10^6$: $|\mathbb E\frac1n\operatorname{tr}M^2 - (L + 1)|/(3L^2/n)$",
            worst,
            0.0,
            1.0,
            units="ratio",
        )
    )
    return Evidence(sum(c[2] for c in cases), tuple(comps))


CLAIMS = (
    Witness(
        "prop-init-orthogonal",
        orthogonal_linear_networks_are_isometries,
        "Orthogonal linear networks: all singular values c_w^{L/2}; ReLU with Haar weights: "
        "singular exactly when a unit is inactive, P(all active) = 2^{-n(L-1)}, E||Ju||^2 = 2",
        strength="exact",
    ),
    Witness(
        "thm-init-gaussian-jacobian",
        gaussian_jacobian_moments_are_exact,
        "Deep linear Gaussian networks: exact finite-n moments of the Jacobian's spectrum and of "
        "||Ju||^4 against Monte Carlo intervals; the Fuss-Catalan limit L + 1",
        strength="exact",
    ),
)
