r"""Witnesses of Section "Least squares": ``def-lin-least-squares``, ``thm-lin-normal-equations``,
``prop-lin-normal-conditioning``, ``def-lin-pseudoinverse``, ``prop-lin-penrose``,
``thm-lin-min-norm``."""

from __future__ import annotations

import warnings

import numpy as np
import scipy.linalg
import torch

from ... import linear
from ...registry import Figures, Witness
from ._common import nan_max, random_rank, relative_error, single_threaded, with_singular_values


def _shape(rng: np.random.Generator) -> tuple[int, int, int]:
    """(m, n, r): sizes up to 12 and a rank r <= min(m, n), often deficient."""
    m, n = (int(v) for v in rng.integers(1, 13, size=2))
    r = int(rng.integers(1, min(m, n) + 1))
    return m, n, r


@single_threaded
def objective_vs_torch(
    rng: np.random.Generator, *, least_squares_objective=linear.least_squares_objective
) -> Figures:
    """f(w) = ||Xw - y||^2 / 2 vs ``0.5 * torch.nn.functional.mse_loss(..., reduction="sum")``,
    float64 and float32."""
    errors = []
    n_inst = 20
    for i in range(n_inst):
        dtype = (np.float64, np.float32)[i % 2]
        m, n, _ = _shape(rng)
        X, y, w = (rng.standard_normal(s).astype(dtype) for s in ((m, n), (m,), (n,)))
        ref = 0.5 * torch.nn.functional.mse_loss(
            torch.from_numpy(X) @ torch.from_numpy(w), torch.from_numpy(y), reduction="sum"
        )
        got = least_squares_objective(w, X, y)
        tol = 1e-13 if dtype == np.float64 else 1e-5
        errors.append(relative_error(got, ref.numpy()) / tol)
        errors.append(0.0 if np.asarray(got).dtype == dtype else np.inf)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of f(w) vs torch mse_loss(sum)/2, in units of 1e-13 (float64) "
        "and 1e-5 (float32)",
    )


@single_threaded
def normal_equations_characterise_minimisers(
    rng: np.random.Generator, *, normal_equations=linear.normal_equations
) -> Figures:
    """Full rank: ``normal_equations`` vs ``scipy.linalg.lstsq``. Any rank: every w = w0 + N z
    (w0 from ``scipy.linalg.lstsq``, N a basis of ker X from ``scipy.linalg.null_space``) solves
    X^T X w = X^T y and attains min f; w + d with d not in ker X has f(w + d) - f(w) =
    ||Xd||^2 / 2 > 0."""
    errors = []
    n_inst = 20
    for _ in range(n_inst):
        m, n, r = _shape(rng)
        if m >= n and rng.random() < 0.5:  # full column rank: the unique solution
            X, y = rng.standard_normal((m, n)), rng.standard_normal(m)
            errors.append(
                relative_error(normal_equations(X, y), scipy.linalg.lstsq(X, y)[0]) / 1e-10
            )
            continue
        X, y = random_rank(rng, m, n, r), rng.standard_normal(m)
        w0 = scipy.linalg.lstsq(X, y, lapack_driver="gelsd")[0]
        N = scipy.linalg.null_space(X)
        w = w0 + N @ rng.standard_normal(N.shape[1]) if N.shape[1] else w0
        scale = np.linalg.norm(X) * (np.linalg.norm(X) * np.linalg.norm(w) + np.linalg.norm(y))
        errors.append(np.linalg.norm(X.T @ X @ w - X.T @ y) / scale / 1e-12)
        f = 0.5 * np.sum((X @ w - y) ** 2)
        f0 = 0.5 * np.sum((X @ w0 - y) ** 2)
        errors.append(abs(f - f0) / (0.5 * np.sum(y**2)) / 1e-9)
        d = rng.standard_normal(n)
        gain = 0.5 * np.sum((X @ (w + d) - y) ** 2) - f
        errors.append(abs(gain - 0.5 * np.sum((X @ d) ** 2)) / (1 + abs(gain)) / 1e-9)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "normal_equations vs scipy lstsq (rel. error / 1e-10); for w0 + N z: "
        "normal-equation residual / 1e-12, |f(w) - min f| / 1e-9, and "
        "f(w + d) - f(w) - ||Xd||^2/2 / 1e-9, float64",
    )


@single_threaded
def conditioning_squares(
    rng: np.random.Generator,
    *,
    condition_number=linear.condition_number,
    normal_equations=linear.normal_equations,
) -> Figures:
    """kappa(X^T X) = kappa(X)^2 vs ``numpy.linalg.cond`` on X with prescribed singular values;
    ``normal_equations`` warns exactly when kappa(X)^2 exceeds 1/sqrt(u)."""
    errors = []
    n_inst = 16
    limit64 = 1.0 / np.sqrt(np.finfo(np.float64).eps / 2)
    for i in range(n_inst):
        n = int(rng.integers(2, 7))
        m = n + int(rng.integers(0, 6))
        kappa = 10.0 ** rng.uniform(0.0, 3.5) if i % 2 == 0 else 10.0 ** rng.uniform(4.5, 6.0)
        s = np.sort(np.concatenate([[1.0, 1.0 / kappa], rng.uniform(1 / kappa, 1, n - 2)]))[::-1]
        X = with_singular_values(rng, m, n, s)
        if kappa < 1e4:  # cond(X^T X) itself is computed with relative error ~ kappa^2 u
            errors.append(abs(condition_number(X) ** 2 / np.linalg.cond(X.T @ X) - 1) / 1e-6)
        errors.append(abs(condition_number(X) / kappa - 1) / (1e-12 * kappa))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            normal_equations(X, rng.standard_normal(m))
        warned = any(issubclass(c.category, linear.IllConditionedWarning) for c in caught)
        errors.append(0.0 if warned == (kappa**2 > limit64) else np.inf)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "|kappa(X)^2 / numpy.linalg.cond(X^T X) - 1| / 1e-6 (kappa < 1e4), |kappa(X) / "
        "prescribed - 1| / (1e-12 kappa); warning iff kappa(X)^2 > 1/sqrt(u) "
        "(infinite error otherwise)",
    )


@single_threaded
def pinv_vs_numpy(rng: np.random.Generator, *, pinv=linear.pinv) -> Figures:
    """X^+ vs ``numpy.linalg.pinv`` (with the same cut-off) on rank-deficient X, float64 and
    float32."""
    errors = []
    n_inst = 24
    for i in range(n_inst):
        dtype = (np.float64, np.float32)[i % 2]
        m, n, r = _shape(rng)
        X = random_rank(rng, m, n, r).astype(dtype)
        rc = max(m, n) * float(np.finfo(dtype).eps) * 10
        ref = np.linalg.pinv(X.astype(np.float64), rcond=rc)
        tol = 1e-10 if dtype == np.float64 else 2e-3
        errors.append(relative_error(pinv(X, rcond=rc), ref) / tol)
        errors.append(0.0 if pinv(X).dtype == dtype else np.inf)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "||pinv(X) - numpy.linalg.pinv(X)|| / ||numpy|| in units of 1e-10 (float64) "
        "and 2e-3 (float32, rank-deficient X), float64 reference",
    )


@single_threaded
def penrose_conditions(rng: np.random.Generator, *, pinv=linear.pinv) -> Figures:
    """Residuals of X Z X = X, Z X Z = Z, (X Z)^T = X Z, (Z X)^T = Z X for Z = pinv(X), X of
    random rank (also 0-rank-deficient and square)."""
    errors = []
    n_inst = 30
    for _ in range(n_inst):
        m, n, r = _shape(rng)
        X = random_rank(rng, m, n, r)
        Z = pinv(X)
        nx, nz = np.linalg.norm(X), np.linalg.norm(Z)
        res = [
            np.linalg.norm(X @ Z @ X - X) / nx,
            np.linalg.norm(Z @ X @ Z - Z) / nz,
            np.linalg.norm((X @ Z).T - X @ Z) / (nx * nz),
            np.linalg.norm((Z @ X).T - Z @ X) / (nx * nz),
        ]
        errors.append(max(res) / 1e-12)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "max relative residual of the four Penrose conditions for pinv(X), "
        "in units of 1e-12, float64",
    )


@single_threaded
def min_norm_solution(
    rng: np.random.Generator, *, min_norm_least_squares=linear.min_norm_least_squares
) -> Figures:
    """w^+ vs ``scipy.linalg.lstsq`` (gelsd) and ``numpy.linalg.lstsq``; every other minimiser
    w^+ + N z (N from ``scipy.linalg.null_space``) has ||w^+ + N z||^2 = ||w^+||^2 + ||N z||^2."""
    errors = []
    n_inst = 24
    for _ in range(n_inst):
        m, n, r = _shape(rng)
        X, y = random_rank(rng, m, n, r), rng.standard_normal(m)
        w = min_norm_least_squares(X, y)
        errors.append(relative_error(w, scipy.linalg.lstsq(X, y, lapack_driver="gelsd")[0]) / 1e-9)
        errors.append(relative_error(w, np.linalg.lstsq(X, y, rcond=None)[0]) / 1e-9)
        N = scipy.linalg.null_space(X)
        if N.shape[1]:
            v = N @ rng.standard_normal(N.shape[1])
            lhs = np.sum((w + v) ** 2)
            errors.append(abs(lhs - np.sum(w**2) - np.sum(v**2)) / lhs / 1e-9)
    return Figures(
        n_inst,
        nan_max(errors),
        1.0,
        "relative error of w^+ vs scipy gelsd and numpy lstsq / 1e-9; Pythagoras "
        "||w^+ + v||^2 = ||w^+||^2 + ||v||^2 for v in ker X / 1e-9, float64",
    )


CLAIMS = (
    Witness(
        "def-lin-least-squares", objective_vs_torch, "the objective vs torch's summed squared error"
    ),
    Witness(
        "thm-lin-normal-equations",
        normal_equations_characterise_minimisers,
        "solutions of the normal equations are the minimisers (SciPy lstsq, null spaces)",
    ),
    Witness(
        "prop-lin-normal-conditioning",
        conditioning_squares,
        "kappa(X^T X) = kappa(X)^2 vs numpy.linalg.cond; the warning fires at the limit",
    ),
    Witness("def-lin-pseudoinverse", pinv_vs_numpy, "X^+ from the SVD vs numpy.linalg.pinv"),
    Witness("prop-lin-penrose", penrose_conditions, "the four Penrose conditions hold"),
    Witness(
        "thm-lin-min-norm",
        min_norm_solution,
        "w^+ vs SciPy/NumPy lstsq; other minimisers are longer (Pythagoras)",
    ),
)
