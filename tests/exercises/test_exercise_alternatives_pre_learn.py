"""Correct solutions of the implement exercises of chapters 1 and 2 written differently from the
references pass (the adversarial inputs raise no false alarm): other NumPy idioms, SciPy, einsum,
float64 arithmetic cast back, bincount."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg
from scipy import stats

from deepqed.exercises import check


def vec_flatten_fortran(X):
    return X.flatten(order="F")


def vec_concatenate_columns(X):
    return np.concatenate([X[:, j] for j in range(X.shape[1])])


def vec_transposed_ravel(X):
    return X.T.ravel().copy()


def jacobian_kron(A, B):
    return np.kron(B.T, A)


def jacobian_einsum(A, B):
    r, p = A.shape
    q, s = B.shape
    return np.einsum("jl,ki->lkji", B, A).reshape(s * r, q * p)


def jacobian_by_columns(A, B):
    """Column i + p j is vec(A E_ij B) = vec(a_i b_j^T)."""
    r, p = A.shape
    q, s = B.shape
    J = np.zeros((r * s, p * q), dtype=A.dtype)
    for j in range(q):
        for i in range(p):
            J[:, i + p * j] = np.outer(A[:, i], B[j, :]).T.reshape(-1)
    return J


def logdet_grad_inv(X):
    return np.linalg.inv(X)


def logdet_grad_cholesky(X):
    G = scipy.linalg.cho_solve(scipy.linalg.cho_factor(X), np.eye(len(X), dtype=X.dtype))
    return ((G + G.T) / 2).astype(X.dtype)


def logdet_grad_scipy_inv_transposed(X):
    return scipy.linalg.inv(X).T.astype(X.dtype)


def condexp_bincount(p, X, labels):
    mass = np.bincount(labels, weights=p)
    total = np.bincount(labels, weights=p * X)
    avg = np.divide(total, mass, out=np.zeros_like(total), where=mass > 0)
    return avg[labels].astype(X.dtype)


def condexp_average(p, X, labels):
    out = np.zeros_like(X)
    for c in set(labels.tolist()):
        cell = labels == c
        if np.sum(p[cell]) > 0:
            out[cell] = np.average(X[cell], weights=p[cell])
    return out


def empirical_risk_mean_of_squares(F, y):
    return ((F - y) ** 2).mean(axis=1)


def empirical_risk_einsum(F, y):
    D = F - y[None, :]
    return np.einsum("mi,mi->m", D, D) / F.shape[1]


def empirical_risk_float64(F, y):
    D = F.astype(np.float64) - y.astype(np.float64)
    return np.mean(D * D, axis=1).astype(F.dtype)


def bayes_scipy_logpdf(x, priors, means, sds):
    G = np.log(priors) + stats.norm.logpdf(x[:, None], means, sds)
    return np.argmax(G, axis=1).astype(np.int64)


def bayes_shifted_densities(x, priors, means, sds):
    """Compares pi_y p_y(x) after dividing by the largest: no underflow of the maximum."""
    G = np.log(priors) - np.log(sds) - 0.5 * ((x[:, None] - means) / sds) ** 2
    return np.argmax(np.exp(G - G.max(axis=1, keepdims=True)), axis=1)


def bayes_reordered(x, priors, means, sds):
    """The reference's terms summed in another order: ties of the real scores between classes
    of different priors (log 0.2 - log 2 = log 0.1 - log 1) round differently."""
    G = np.log(priors) - 0.5 * ((x[:, None] - means) / sds) ** 2 - np.log(sds)
    return np.argmax(G, axis=1)


def bayes_log_ratio(x, priors, means, sds):
    G = np.log(priors / sds) - (x[:, None] - means) ** 2 / (2 * sds**2)
    return np.argmax(G, axis=1)


def bias_variance_numpy_var(F, f_star):
    v = np.var(F, axis=0, ddof=1)
    return (np.mean(F, axis=0) - f_star) ** 2 - v / F.shape[0], v


def bias_variance_float64(F, f_star):
    F64, f64 = F.astype(np.float64), f_star.astype(np.float64)
    R = F.shape[0]
    m = F64.mean(axis=0)
    v = ((F64 - m) ** 2).sum(axis=0) / (R - 1)
    return ((m - f64) ** 2 - v / R).astype(F.dtype), v.astype(F.dtype)


ALTERNATIVES = [
    (vec_flatten_fortran, "ex-pre-vec"),
    (vec_concatenate_columns, "ex-pre-vec"),
    (vec_transposed_ravel, "ex-pre-vec"),
    (jacobian_kron, "ex-pre-jacobian-axb"),
    (jacobian_einsum, "ex-pre-jacobian-axb"),
    (jacobian_by_columns, "ex-pre-jacobian-axb"),
    (logdet_grad_inv, "ex-pre-logdet-grad"),
    (logdet_grad_cholesky, "ex-pre-logdet-grad"),
    (logdet_grad_scipy_inv_transposed, "ex-pre-logdet-grad"),
    (condexp_bincount, "ex-pre-condexp"),
    (condexp_average, "ex-pre-condexp"),
    (empirical_risk_mean_of_squares, "ex-learn-empirical-risk"),
    (empirical_risk_einsum, "ex-learn-empirical-risk"),
    (empirical_risk_float64, "ex-learn-empirical-risk"),
    (bayes_scipy_logpdf, "ex-learn-bayes-classifier"),
    (bayes_shifted_densities, "ex-learn-bayes-classifier"),
    (bayes_reordered, "ex-learn-bayes-classifier"),
    (bayes_log_ratio, "ex-learn-bayes-classifier"),
    (bias_variance_numpy_var, "ex-learn-bias-variance"),
    (bias_variance_float64, "ex-learn-bias-variance"),
]


@pytest.mark.parametrize(
    ("function", "exercise"), ALTERNATIVES, ids=[f"{e}:{f.__name__}" for f, e in ALTERNATIVES]
)
def test_correct_alternative_passes(function, exercise):
    result = check(function, exercise)
    assert result.verdict == "passed", str(result)


def test_a_real_tie_of_classes_with_different_priors_is_not_drawn():
    """At this seed the inputs once held x = 0 with classes (prior 0.2, sd 2) and (0.1, 1) at
    distance 1: equal real scores, which the reference and `bayes_reordered` round apart."""
    assert check(bayes_reordered, "ex-learn-bayes-classifier", seed=1016313375).passed
