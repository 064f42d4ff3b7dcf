r"""Witness of Section "Memorisation": `thm-apx-memorisation`.

Reference: the forward pass of the chapter *Feedforward networks* (``nn.forward``) at the data,
against the labels, with the rounding bound of a triangular solve and of the forward pass."""

from __future__ import annotations

import itertools

import numpy as np

from ... import approximation, nn
from ...registry import Witness
from ._common import Evidence, error, gamma, single_threaded


@single_threaded
def memorisation_exact(
    rng: np.random.Generator,
    dtype: np.dtype = np.dtype("float64"),
    *,
    interpolating_network=approximation.interpolating_network,
) -> Evidence:
    r"""$\lvert f(x_i) - y_i\rvert$ for the network of ``interpolating_network`` on $n\le40$ random points in
    $\mathbb R^d$ with random labels, relative to $S_i = \lvert y_{(0)}\rvert + \sum_j\lvert v_j\rvert(\lvert\langle a,
    x_i\rangle\rvert + \lvert\beta_j\rvert)$: at most $4\gamma_{n + d + 4}$ (the triangular solve's
    backward error $\gamma_n\lvert T\rvert\lvert v\rvert$, Higham, *Accuracy and Stability of Numerical Algorithms*, 2nd ed.,
    Theorem 8.5, plus the forward pass); and for $n\le8$ points every one of the $2^n$ labellings
    $y\in\{\pm1\}^n$ is realised by $\operatorname{sign}f$ (the points are shattered)."""
    worst, n_inst, missed, shattered = 0.0, 0, 0, 0
    for inst in range(8):
        n, d = int(rng.integers(2, 41)), int(rng.integers(1, 7))
        X = rng.standard_normal((n, d)).astype(dtype)
        y = rng.standard_normal(n).astype(dtype)
        arch, theta = interpolating_network(X, y, rng=rng)
        f = nn.forward(arch, theta, X).output[:, 0].astype(np.float64)
        a = theta.W[0][0].astype(np.float64)
        beta = -theta.b[0].astype(np.float64)
        v = theta.W[1][0].astype(np.float64)
        S = abs(float(theta.b[1][0])) + (
            np.abs(X.astype(np.float64) @ a)[:, None] + np.abs(beta)[None, :]
        ) @ np.abs(v)
        worst = max(worst, float(np.max(np.abs(f - y) / S)) / gamma(n + d + 4, dtype))
        n_inst += 1
        if inst < 3:
            k = int(rng.integers(2, 9))
            Xs = rng.standard_normal((k, d)).astype(dtype)
            for labels in itertools.product((-1.0, 1.0), repeat=k):
                ys = np.array(labels, dtype=dtype)
                arch, theta = interpolating_network(Xs, ys, rng=rng)
                out = nn.forward(arch, theta, Xs).output[:, 0]
                missed += int(np.any(np.sign(out) != ys))
                shattered += 1
    return Evidence(
        n_inst,
        (
            error(
                r"$\max_i|f(x_i) - y_i|/S_i$ in units of $\gamma_{n+d+4}$",
                worst,
                4.0,
                units="rounding units",
            ),
            error(
                "labellings in {-1, 1}^n not realised by sign f",
                float(missed),
                0.0,
                units="labellings",
                at=f"{shattered} labellings",
            ),
        ),
    )


CLAIMS = (
    Witness(
        "thm-apx-memorisation",
        memorisation_exact,
        "the interpolating network at the data against the labels; all labellings realised",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
)
