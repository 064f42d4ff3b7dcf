r"""Witnesses of Section "The representer theorem and kernel ridge regression":
`thm-representer`, `prop-krr-closed-form`, `prop-kernel-svm`."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.svm import SVC

from ... import kernels
from ...registry import Figures, Witness
from ._common import nan_max, single_threaded, sklearn_gram


def _kernel(rng):
    choice = int(rng.integers(3))
    if choice == 0:
        return kernels.Gaussian(float(rng.uniform(0.2, 2))), "rbf"
    if choice == 1:
        return kernels.Laplacian(float(rng.uniform(0.2, 2))), "laplacian"
    return kernels.Polynomial(
        int(rng.integers(1, 4)), float(rng.uniform(0.2, 1)), float(rng.uniform(0.5, 2))
    ), "polynomial"


def _problem(rng):
    m, d = int(rng.integers(3, 40)), int(rng.integers(1, 4))
    X = rng.uniform(-2, 2, size=(m, d))
    y = np.sin(X @ rng.standard_normal(d)) + 0.1 * rng.standard_normal(m)
    lam = float(10 ** rng.uniform(-3, -0.5))
    return X, y, lam


@single_threaded
def representer_span_suffices(
    rng: np.random.Generator, *, krr_fit=kernels.krr_fit, krr_predict=kernels.krr_predict
) -> Figures:
    r"""The KRR solution (in the span of the $k(\cdot, x_i)$) vs the minimiser of the regularised
    objective over the larger span of $k(\cdot, x_i)$ and $k(\cdot, e_j)$ at extra points $e_j$,
    computed as a least-squares problem with ``numpy.linalg.lstsq`` and scikit-learn's kernels."""
    errors = []
    n = 15
    for _ in range(n):
        X, y, lam = _problem(rng)
        k, _ = _kernel(rng)
        m, d = X.shape
        E = rng.uniform(-3, 3, size=(int(rng.integers(1, 20)), d))
        P = np.vstack([X, E])  # the enlarged basis points
        K_all = sklearn_gram(k, P, P)
        ev, Q = np.linalg.eigh(K_all)
        R = (Q * np.sqrt(np.maximum(ev, 0))) @ Q.T  # K_all^{1/2}
        A = sklearn_gram(k, X, P)  # f(x_i) = (A beta)_i
        # J(beta) = (1/m)|A beta - y|^2 + lam beta^T K_all beta = |M beta - r|^2
        M = np.vstack([A / np.sqrt(m), np.sqrt(lam) * R])
        r = np.concatenate([y / np.sqrt(m), np.zeros(P.shape[0])])
        beta = np.linalg.lstsq(M, r, rcond=None)[0]
        T = rng.uniform(-2.5, 2.5, size=(30, d))
        ref = sklearn_gram(k, T, P) @ beta
        model = krr_fit(k, X, y, lam)
        got = np.asarray(krr_predict(model, T))
        J_ref = float(np.sum((M @ beta - r) ** 2))
        alpha = np.asarray(model.alpha)
        K = sklearn_gram(k, X, X)
        J_got = float(np.sum((K @ alpha - y) ** 2)) / m + lam * float(alpha @ K @ alpha)
        errors.append(
            float(np.max(np.abs(got - ref))) / (1e-5 * max(1.0, float(np.max(np.abs(ref)))))
        )
        errors.append((J_got - J_ref) / (1e-8 * max(1.0, J_ref)))  # J_got >= J_ref - rounding
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "KRR predictions vs the minimiser over a larger span (lstsq), units of 1e-5 "
        "relative; objective excess J(KRR) - J(larger span) in units of 1e-8",
    )


@single_threaded
def krr_matches_sklearn(
    rng: np.random.Generator, *, krr_fit=kernels.krr_fit, krr_predict=kernels.krr_predict
) -> Figures:
    r"""``krr_predict`` vs ``sklearn.kernel_ridge.KernelRidge(alpha=m*lam)`` (rbf, laplacian,
    polynomial), float64 and float32."""
    errors = []
    n = 15
    for _ in range(n):
        X, y, lam = _problem(rng)
        k, name = _kernel(rng)
        m = X.shape[0]
        params = (
            {"degree": k.degree, "gamma": k.gamma, "coef0": k.c}
            if name == "polynomial"
            else {"gamma": k.gamma}
        )
        T = rng.uniform(-2.5, 2.5, size=(25, X.shape[1]))
        ref = KernelRidge(alpha=m * lam, kernel=name, **params).fit(X, y).predict(T)
        scale = max(1.0, float(np.max(np.abs(ref))))
        for dtype, tol in ((np.float64, 1e-8), (np.float32, 1e-2)):
            with warnings.catch_warnings():  # float32 with small m*lam: the tolerance says it
                warnings.simplefilter("ignore", kernels.IllConditionedWarning)
                got = np.asarray(
                    krr_predict(krr_fit(k, X.astype(dtype), y.astype(dtype), lam), T.astype(dtype))
                )
            bad = got.dtype != dtype or got.shape != ref.shape
            errors.append(np.inf if bad else float(np.max(np.abs(got - ref))) / (tol * scale))
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |KRR prediction - sklearn KernelRidge(alpha = m lam)| / max(1, |ref|) in "
        "units of 1e-8 (float64) and 1e-2 (float32); rbf, laplacian, polynomial",
    )


@single_threaded
def kernel_svm_matches_sklearn(
    rng: np.random.Generator, *, ksvm_fit=kernels.ksvm_fit, ksvm_decision=kernels.ksvm_decision
) -> Figures:
    r"""The kernel SVM (``deepqed.svm.smo`` on the Gram matrix) vs ``sklearn.svm.SVC(kernel="rbf")``:
    decision functions at test points."""
    errors = []
    n = 6
    for _ in range(n):
        m, d = int(rng.integers(10, 50)), 2
        X = rng.standard_normal((m, d))
        y = np.where(X[:, 0] ** 2 + X[:, 1] ** 2 + 0.3 * rng.standard_normal(m) > 1.2, 1.0, -1.0)
        if np.all(y == y[0]):
            y[0] = -y[0]
        gamma, C = float(rng.uniform(0.3, 2)), float(10 ** rng.uniform(-0.5, 1.5))
        svc = SVC(kernel="rbf", gamma=gamma, C=C, tol=1e-8).fit(X, y)
        T = rng.standard_normal((30, d))
        ref = svc.decision_function(T)
        model = ksvm_fit(kernels.Gaussian(gamma), X, y, C, tol=1e-8)
        got = np.asarray(ksvm_decision(model, T))
        errors.append(
            float(np.max(np.abs(got - ref))) / (1e-4 * max(1.0, float(np.max(np.abs(ref)))))
        )
    return Figures(
        n,
        nan_max(errors),
        1.0,
        "max |g(x) - SVC(kernel='rbf').decision_function(x)| / max(1, |ref|) in units "
        "of 1e-4, 30 test points, random gamma and C",
    )


CLAIMS = (
    Witness(
        "thm-representer",
        representer_span_suffices,
        "KRR vs the minimiser over a larger span (lstsq in the enlarged basis)",
    ),
    Witness(
        "prop-krr-closed-form",
        krr_matches_sklearn,
        "KRR predictions vs sklearn KernelRidge (rbf, laplacian, polynomial)",
    ),
    Witness(
        "prop-kernel-svm",
        kernel_svm_matches_sklearn,
        "kernel SVM via deepqed.svm.smo vs sklearn SVC(kernel='rbf')",
    ),
)
