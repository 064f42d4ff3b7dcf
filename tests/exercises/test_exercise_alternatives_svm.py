"""Correct solutions of the chapter *Support vector machines* written differently from the
references pass: the checkers raise no false alarms (loops, einsum, a Hadamard product with
y y^T, a brute-force maximum over pairs, a step computed from the objective's two values)."""

from __future__ import annotations

import numpy as np
import pytest

from deepqed.exercises import check


def subgradient_with_a_loop(w, b, X, y, C):
    g_w, g_b = w.copy(), np.zeros((), dtype=w.dtype)
    for x_i, y_i in zip(X, y):
        if y_i * (x_i @ w + b) < 1:
            g_w = g_w - w.dtype.type(C) * y_i * x_i
            g_b = g_b - w.dtype.type(C) * y_i
    return g_w, np.asarray(g_b, dtype=w.dtype)


def dual_with_hadamard(alpha, y, K):
    Q = K * np.outer(y, y)
    return np.asarray(alpha.sum() - 0.5 * alpha @ Q @ alpha, dtype=alpha.dtype), 1 - Q @ alpha


def dual_with_einsum(alpha, y, K):
    v = alpha * y
    quad = np.einsum("i,ij,j->", v, K, v)
    return np.asarray(np.sum(alpha) - quad / 2, dtype=alpha.dtype), 1 - y * np.einsum(
        "ij,j->i", K, v
    )


def violation_over_pairs(alpha, y, K, C):
    s = y - K @ (alpha * y)
    m = len(y)
    best = 0.0
    for i in range(m):
        if not ((y[i] > 0 and alpha[i] < C) or (y[i] < 0 and alpha[i] > 0)):
            continue
        for j in range(m):
            if (y[j] < 0 and alpha[j] < C) or (y[j] > 0 and alpha[j] > 0):
                best = max(best, s[i] - s[j])
    return np.asarray(best)


def step_from_two_evaluations(alpha, y, K, C, i, j):
    def f(a):
        v = a * y
        return 0.5 * v @ K @ v - a.sum()

    u = np.zeros_like(alpha)
    u[i], u[j] = y[i], -y[j]
    a = u @ ((y[:, None] * y[None, :]) * K) @ u
    g = u @ ((y * (K @ (alpha * y))) - 1.0)
    lo, hi = -np.inf, np.inf
    for k, sign in ((i, y[i]), (j, -y[j])):  # 0 <= alpha_k + sign t <= C
        ends = sorted(((0 - alpha[k]) / sign, (C - alpha[k]) / sign))
        lo, hi = max(lo, ends[0]), min(hi, ends[1])
    t = float(np.clip(-g / a, lo, hi))
    assert f(alpha + t * u) <= f(alpha) + 1e-12
    return np.clip(alpha + t * u, 0.0, C)


ALTERNATIVES = [
    (subgradient_with_a_loop, "ex-svm-hinge-subgradient"),
    (dual_with_hadamard, "ex-svm-dual-objective"),
    (dual_with_einsum, "ex-svm-dual-objective"),
    (violation_over_pairs, "ex-svm-kkt-violation"),
    (step_from_two_evaluations, "ex-svm-smo-step"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
