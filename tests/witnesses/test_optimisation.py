"""Witnesses of the optimisation chapter: each detects a broken implementation, and each bound's
witness rejects the bound with its constant changed by a factor of two (weakened where the
witness is sharp: the attaining comparison fails; strengthened where it is of tier validity: the
bound comparison fails). ``BROKEN`` is read by ``test_witnesses.py``."""

from __future__ import annotations

import dataclasses

import numpy as np
from broken_implementations import detects_broken

from deepqed import optimisation as opt
from deepqed.optimisation.learners import Learner
from deepqed.optimisation.sgd import LeastSquaresMoments
from deepqed.witnesses.optimisation import functor as W_fun
from deepqed.witnesses.optimisation import landscape as W_land
from deepqed.witnesses.optimisation import pl as W_pl
from deepqed.witnesses.optimisation import sgd as W_sgd
from deepqed.witnesses.optimisation import tangent as W_tan


def _compose_with_updated_request(f: Learner, g: Learner) -> Learner:
    """The classic bug: the second learner's request is computed after its update."""

    def update(pq, a, c):
        p, q = pq
        b = f.implement(p, a)
        q_new = g.update(q, b, c)
        return (f.update(p, a, g.request(q_new, b, c)), q_new)

    def request(pq, a, c):
        p, q = pq
        b = f.implement(p, a)
        return f.request(p, a, g.request(g.update(q, b, c), b, c))

    return Learner(lambda pq, a: g.implement(pq[1], f.implement(pq[0], a)), update, request)


def _moments_without_cross_terms(X, y, gamma, steps, w0):
    """The second-moment recursion with the cross terms gamma rho_i (M_i e x_i^T + ...) dropped."""
    m, d = X.shape
    w_star = np.linalg.lstsq(X, y, rcond=None)[0]
    rho = y - X @ w_star
    M = np.eye(d)[None] - gamma * np.einsum("id,ie->ide", X, X)
    noise = gamma**2 * np.einsum("i,id,ie->de", rho**2, X, X) / m
    mu = w0 - w_star
    S = np.outer(mu, mu)
    means, seconds = [mu], [S]
    for _ in range(steps):
        S = np.einsum("ide,ef,ifg->dg", M, S, M) / m + noise
        mu = mu - gamma * (X.T @ X / m) @ mu
        means.append(mu)
        seconds.append(S)
    second = np.array(seconds)
    return LeastSquaresMoments(np.array(means), second, np.trace(second, axis1=1, axis2=2))


def _morse_reversed(n, k, I):
    neg = sum(1 for i in I for j in range(n) if j not in I and j > i)
    return neg, k * k, 2 * n * k - neg - k * k


BROKEN = [
    (
        W_pl.pl_ratio_is_the_definition,
        {"pl_ratio": lambda g, gap: 1.01 * opt.pl_ratio(g, gap)},
        "PL quotient 1% too large",
    ),
    (
        W_pl.smooth_gap_bound_is_sharp,
        {"smooth_gap_bound": lambda L, gap: 2 * L * gap},
        "weakened constant: 2 L (f - f*)",
    ),
    (
        W_pl.smooth_gap_bound_is_sharp,
        {"smooth_gap_bound": lambda L, gap: L * gap / 2},
        "strengthened constant: L (f - f*)/2",
    ),
    (
        W_pl.least_squares_pl_constant_is_sharp,
        {"least_squares_pl_constant": lambda X: 0.5 * opt.least_squares_pl_constant(X)},
        "weakened constant: s_r^2 / 2",
    ),
    (
        W_pl.least_squares_pl_constant_is_sharp,
        {"least_squares_pl_constant": lambda X: 2 * opt.least_squares_pl_constant(X)},
        "strengthened constant: 2 s_r^2",
    ),
    (W_pl.sin_quadratic_is_pl_not_convex, {"mu": 0.25}, "PL constant 1/4 (twice the proved one)"),
    (W_pl.sin_quadratic_is_pl_not_convex, {"L": 4.0}, "smoothness constant 4"),
    (
        W_pl.sin_quadratic_is_pl_not_convex,
        {"sin_quadratic_grad": lambda x: 2 * x + 3 * np.sin(x)},
        "f' = 2x + 3 sin x",
    ),
    (
        W_pl.gradient_descent_pl_rate,
        {"pl_rate_factor": lambda mu, L, eta: 1 - mu * eta * (1 - L * eta / 2)},
        "weakened rate: mu eta (1 - L eta/2)",
    ),
    (
        W_pl.gradient_descent_pl_rate,
        {"pl_rate_factor": lambda mu, L, eta: (1 - 2 * mu * eta * (1 - L * eta / 2)) ** 2},
        "strengthened rate: q^2",
    ),
    (
        W_tan.tangent_kernel_matches_autograd,
        {"two_layer_jacobian": lambda W, a, X: opt.two_layer_jacobian(W, a, X) * np.sqrt(len(W))},
        "Jacobian without the factor N^{-1/2}",
    ),
    (
        W_tan.tangent_kernel_matches_autograd,
        {"tangent_kernel": lambda W, a, X: opt.tangent_kernel(W, a, X) * len(W)},
        "kernel without 1/N",
    ),
    (
        W_tan.pl_star_from_the_smallest_eigenvalue,
        {"tangent_kernel": lambda W, a, X: 0.5 * opt.tangent_kernel(W, a, X)},
        "weakened constant: lambda_min(K)/2",
    ),
    (
        W_tan.pl_star_from_the_smallest_eigenvalue,
        {"tangent_kernel": lambda W, a, X: 2 * opt.tangent_kernel(W, a, X)},
        "strengthened constant: 2 lambda_min(K)",
    ),
    (
        W_tan.wide_network_converges_linearly,
        {
            "wide_constants": lambda W, a, X, y: dataclasses.replace(
                opt.wide_constants(W, a, X, y), mu0=2 * opt.wide_constants(W, a, X, y).mu0
            )
        },
        "strengthened rate: mu_0 doubled",
    ),
    (
        W_tan.wide_network_constants_hold,
        {
            "wide_constants": lambda W, a, X, y: dataclasses.replace(
                opt.wide_constants(W, a, X, y), beta=opt.wide_constants(W, a, X, y).beta / 5
            )
        },
        "Hessian bound beta / 5",
    ),
    (
        W_sgd.sgd_matches_a_plain_loop,
        {
            "sgd_least_squares": lambda X, y, g, T, w0, R, rng: opt.sgd_least_squares(
                X, y, 1.01 * g, T, w0, R, rng
            )
        },
        "step 1% too large",
    ),
    (
        W_sgd.cocoercivity_is_sharp,
        {"cocoercive_bound": lambda L, dg: float(dg @ dg) / (4 * L)},
        "weakened constant: 1/(4L)",
    ),
    (
        W_sgd.cocoercivity_is_sharp,
        {"cocoercive_bound": lambda L, dg: float(dg @ dg) / L},
        "strengthened constant: 1/L",
    ),
    (
        W_sgd.least_squares_moments_are_exact,
        {"sgd_least_squares_moments": _moments_without_cross_terms},
        "second moments without the cross terms",
    ),
    (
        W_sgd.sgd_strongly_convex_bound_holds,
        {
            "sgd_strongly_convex_bound": lambda g, mu, L, s2, d0, T: (
                (1 - g * mu) ** np.arange(T + 1) * d0
            )
        },
        "noise floor dropped (the bound of the interpolating case)",
    ),
    (
        W_sgd.sgd_nonconvex_bound_is_sharp,
        {
            "sgd_nonconvex_bound": lambda g, L, gap, s2, T: (
                2 * opt.sgd_nonconvex_bound(g, L, gap, s2, T)
            )
        },
        "weakened constant: twice the bound",
    ),
    (
        W_sgd.sgd_nonconvex_bound_is_sharp,
        {
            "sgd_nonconvex_bound": lambda g, L, gap, s2, T: (
                0.5 * opt.sgd_nonconvex_bound(g, L, gap, s2, T)
            )
        },
        "strengthened constant: half the bound",
    ),
    (
        W_sgd.sgd_rate_is_inverse_square_root,
        {"sgd_horizon_step": lambda L, gap, s2, T: (1 / L, opt.sgd_horizon_step(L, gap, s2, T)[1])},
        "step 1/L for every horizon",
    ),
    (
        W_sgd.sgd_rate_is_inverse_square_root,
        {
            "sgd_horizon_step": lambda L, gap, s2, T: (
                opt.sgd_horizon_step(L, gap, s2, T)[0],
                opt.sgd_horizon_step(L, gap, s2, T)[1] / 4,
            )
        },
        "strengthened guarantee: divided by 4",
    ),
    (
        W_land.autoencoder_landscape_is_exact,
        {"autoencoder_morse_index": _morse_reversed},
        "index counts pairs with j > i",
    ),
    (
        W_land.autoencoder_landscape_is_exact,
        {
            "autoencoder_gradient": lambda A, B, S: tuple(
                0.5 * g for g in opt.autoencoder_gradient(A, B, S)
            )
        },
        "gradient without the factor 2",
    ),
    (
        W_land.autoencoder_landscape_is_exact,
        {"autoencoder_critical_value": lambda lam, I: float(sum(lam[list(I)]))},
        "value: sum over I instead of its complement",
    ),
    (
        W_land.parity_gradients_carry_no_signal,
        {
            "parity_gradient_variance": lambda G: (
                opt.parity_gradient_variance(G)[0],
                2 * opt.parity_gradient_variance(G)[1],
            )
        },
        "weakened constant: 2 E||grad p||^2 / 2^n",
    ),
    (
        W_land.parity_gradients_carry_no_signal,
        {"walsh_hadamard": lambda Y: np.abs(opt.walsh_hadamard(Y))},
        "transform without signs",
    ),
    (
        W_land.parity_chebyshev_holds,
        {
            "parity_gradient_variance": lambda G: (
                opt.parity_gradient_variance(G)[0],
                opt.parity_gradient_variance(G)[1] / 100,
            )
        },
        "Chebyshev bound divided by 100",
    ),
    (
        W_fun.learners_compose_associatively,
        {"compose": _compose_with_updated_request},
        "request computed with the updated parameter",
    ),
    (
        W_fun.backprop_is_a_functor,
        {"compose": _compose_with_updated_request},
        "request computed with the updated parameter",
    ),
    (
        W_fun.backprop_is_a_functor,
        {"gradient_learner": W_fun._scaled_request_learner},
        "requests a - eps grad_a E",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
