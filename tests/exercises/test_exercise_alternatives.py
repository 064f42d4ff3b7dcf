"""Correct solutions written differently from the references pass: the checker raises no false
alarms (other formulas, SciPy, einsum, float64 arithmetic cast back, a list instead of a tuple)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit, softmax

from deepqed.exercises import check


def sigmoid_via_where(Z):
    e = np.exp(-np.abs(Z))
    s = np.where(Z >= 0, 1 / (1 + e), e / (1 + e))
    return s * (1 - s)


def sigmoid_via_expit(Z):
    s = expit(Z)
    return s * (1 - s)


def sigmoid_via_cosh_in_float64(Z):
    return (0.25 / np.cosh(Z.astype(np.float64) / 2) ** 2).astype(Z.dtype)


def sigmoid_via_tanh(Z):
    return 0.25 * (1 - np.tanh(Z / 2) ** 2)


def jacobian_via_scipy(z):
    s = softmax(z)
    return np.diag(s) - s[:, None] * s[None, :]


def jacobian_in_place_on_a_copy(z):
    s = np.exp(z - z.max())
    s /= s.sum()
    J = -np.outer(s, s)
    J[np.diag_indices_from(J)] += s
    return J


def ce_grad_via_scipy(A, Y):
    return (softmax(A, axis=1) - Y) / len(A)


def layer_backward_via_einsum(Delta, W, A_prev):
    return (np.einsum("ij,ik->jk", Delta, A_prev), Delta.sum(0), np.einsum("ij,jk->ik", Delta, W))


def layer_backward_as_a_list(Delta, W, A_prev):
    ones = np.ones(Delta.shape[0], dtype=Delta.dtype)
    return [Delta.T @ A_prev, Delta.T @ ones, Delta @ W]


def central_difference_halved(f, x, v, h):
    return 0.5 * (f(x + h * v) - f(x - h * v)) / h


ALTERNATIVES = [
    (sigmoid_via_where, "ex-ff-sigmoid-prime"),
    (sigmoid_via_expit, "ex-ff-sigmoid-prime"),
    (sigmoid_via_cosh_in_float64, "ex-ff-sigmoid-prime"),
    (sigmoid_via_tanh, "ex-ff-sigmoid-prime"),
    (jacobian_via_scipy, "ex-ff-softmax-jacobian"),
    (jacobian_in_place_on_a_copy, "ex-ff-softmax-jacobian"),
    (ce_grad_via_scipy, "ex-ff-ce-grad"),
    (layer_backward_via_einsum, "ex-ff-layer-backward"),
    (layer_backward_as_a_list, "ex-ff-layer-backward"),
    (central_difference_halved, "ex-ff-central-difference"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f.__name__ for f, _ in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)
