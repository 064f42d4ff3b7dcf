"""Correct solutions of the optimisation and initialisation exercises written differently from the
references pass (no false alarm): the parity matrix instead of the fast transform, einsum, float64
arithmetic cast back, explicit loops, Gauss-Hermite quadrature correctly scaled."""

from __future__ import annotations

import math

import numpy as np
import pytest

from deepqed.exercises import check


def walsh_by_matrix(Y):
    n = int(round(math.log2(Y.shape[0])))
    r = np.arange(Y.shape[0])
    C = (r[:, None] >> np.arange(n)[None, :]) & 1
    H = np.where((C @ C.T) % 2 == 0, 1.0, -1.0)
    return (H @ Y.astype(np.float64) / Y.shape[0]).astype(Y.dtype)


def tangent_kernel_by_einsum(W, X):
    S = 1 - np.tanh(np.einsum("id,jd->ij", X, W)) ** 2
    return np.einsum("ij,kj,id,kd->ik", S, S, X, X) / W.shape[0]


def affine_learner_in_float64(W, b, a, target, eps):
    W64, b64, a64, t64 = (v.astype(np.float64) for v in (W, b, a, target))
    g = W64 @ a64 + b64 - t64
    out = (W64 - eps * np.outer(g, a64), b64 - eps * g, a64 - W64.T @ g)
    return tuple(o.astype(W.dtype) for o in out)


def relu_correlation_via_angle(rho):
    t = np.arccos(np.clip(rho, -1, 1))
    return (np.sin(t) + (np.pi - t) * np.cos(t)) / np.pi


def nngp_relu_by_loops(X, depth, c_w, c_b):
    m = X.shape[0]
    K = c_b + c_w * (X @ X.T) / X.shape[1]
    for _ in range(depth - 1):
        new = np.empty_like(K)
        for i in range(m):
            for j in range(m):
                ni, nj = math.sqrt(max(K[i, i], 0)), math.sqrt(max(K[j, j], 0))
                if ni == 0 or nj == 0:
                    new[i, j] = c_b
                    continue
                c = min(1.0, max(-1.0, K[i, j] / (ni * nj)))
                t = math.acos(c)
                new[i, j] = c_b + c_w * ni * nj * (math.sin(t) + (math.pi - t) * c) / (2 * math.pi)
        K = new
    return K


def tanh_fixed_point_hermgauss(c_w, c_b):
    x, w = np.polynomial.hermite.hermgauss(250)
    z, w = math.sqrt(2) * x, w / math.sqrt(math.pi)

    def V(q):
        return c_b + c_w * float(w @ np.tanh(math.sqrt(q) * z) ** 2)

    if c_b == 0 and c_w <= 1:
        q = 0.0
    else:
        lo, hi = (0.0, c_w + c_b) if c_b > 0 else (1e-12, c_w)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if V(mid) > mid else (lo, mid)
        q = (lo + hi) / 2
    return np.array([q, c_w * float(w @ (1 - np.tanh(math.sqrt(q) * z) ** 2) ** 2)])


ALTERNATIVES = [
    (walsh_by_matrix, "ex-opt-walsh"),
    (tangent_kernel_by_einsum, "ex-opt-tangent-kernel"),
    (affine_learner_in_float64, "ex-opt-affine-learner"),
    (relu_correlation_via_angle, "ex-init-relu-correlation"),
    (nngp_relu_by_loops, "ex-init-nngp-relu"),
    (tanh_fixed_point_hermgauss, "ex-init-length-map"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
