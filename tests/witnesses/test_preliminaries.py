"""The witnesses of the preliminaries, each handed deliberately broken implementations (``BROKEN``;
also run by ``test_witnesses.py``): wrong code, and every bound with its constant weakened (or
strengthened beyond what holds)."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import calculus, losses, nn, probability
from deepqed.witnesses.preliminaries import conditional as W_cond
from deepqed.witnesses.preliminaries import convexity as W_conv
from deepqed.witnesses.preliminaries import derivatives as W_der
from deepqed.witnesses.preliminaries import hoeffding as W_hoef
from deepqed.witnesses.preliminaries import kronecker as W_kron


# --- deliberately broken implementations ------------------------------------------------------
def _row_major_vec(X):
    return np.asarray(X).reshape(-1)


def _kron_swapped(A, B):
    return np.kron(B, A)


def _K_transposed(p, q, dtype=np.float64):
    return (
        calculus.commutation_matrix(p, q, dtype).T
        if p != q
        else np.roll(calculus.commutation_matrix(p, q, dtype), 1, axis=0)
    )


def _jacobian_fd_row_major(f, X, h=1e-6):
    p, q = X.shape
    cols = []
    for i in range(p):
        for j in range(q):
            E = np.zeros_like(X)
            E[i, j] = h
            cols.append(
                (np.asarray(f(X + E)).reshape(-1) - np.asarray(f(X - E)).reshape(-1)) / (2 * h)
            )
    return np.stack(cols, axis=1)


def _biased_condexp(p, X, labels):
    """The unweighted cell mean (ignores the probabilities)."""
    out = np.zeros_like(X)
    for c in np.unique(labels):
        out[labels == c] = X[labels == c].mean()
    return out


def _shifted_condexp(p, X, labels):
    return probability.conditional_expectation(p, X, labels) + 1e-3


def _hoeffding_bound(factor: float):
    """``hoeffding_bound`` with the exponent ``2 n t^2 / (b - a)^2`` multiplied by ``factor``."""

    def bound(t, n, a, b, *, two_sided=False):
        return min(
            1.0, (2.0 if two_sided else 1.0) * math.exp(-2 * factor * n * t * t / (b - a) ** 2)
        )

    return bound


def _hoeffding_sum_bound(factor: float):
    def bound(t, widths, *, two_sided=False):
        D = float(np.sum(np.square(widths)))
        return min(1.0, (2.0 if two_sided else 1.0) * math.exp(-2 * factor * t * t / D))

    return bound


def _scaled_constants(mu_factor: float = 1.0, L_factor: float = 1.0):
    def constants(Q):
        mu, L = calculus.quadratic_constants(Q)
        return mu_factor * mu, L_factor * L

    return constants


BROKEN = [
    (W_kron.vec_matches_definition, {"vec": _row_major_vec}, "row-major vec"),
    (W_kron.kron_properties, {"kron": _kron_swapped}, "kron(B, A)"),
    (W_kron.vec_of_product, {"vec": _row_major_vec}, "row-major vec"),
    (W_kron.commutation_matrix_matches_definition, {"commutation_matrix": _K_transposed}, "K_pq^T"),
    (W_kron.commutation_matrix_transposes, {"commutation_matrix": _K_transposed}, "K_pq^T"),
    (
        W_der.frechet_remainder_vanishes,
        {"softmax_cross_entropy_grad": lambda A, Y: 1.01 * losses.softmax_cross_entropy_grad(A, Y)},
        "gradient off by 1%",
    ),
    (W_der.chain_rule_jacobian, {"tanh_prime": lambda z: 1 - z * z}, "tanh'(z) = 1 - z^2"),
    (
        W_der.chain_rule_remainder,
        {"softmax_jacobian": lambda z: nn.softmax_jacobian(z) * 1.01},
        "J off by 1%",
    ),
    (W_der.jacobian_convention, {"jacobian_fd": _jacobian_fd_row_major}, "row-major columns"),
    (
        W_der.linear_jacobians_match_autograd,
        {"jacobian_AXB": lambda A, B: np.kron(A, B.T)},
        "A kron B^T",
    ),
    (
        W_der.linear_jacobians_match_autograd,
        {"jacobian_XW": lambda W, m: np.kron(np.eye(m), W.T)},
        "I kron W^T",
    ),
    (
        W_der.matrix_gradients_match_autograd,
        {"grad_quadratic_form": lambda A, x: 2 * A @ x},
        "2 A x for non-symmetric A",
    ),
    (
        W_der.matrix_gradients_match_autograd,
        {"grad_frobenius_residual": lambda A, X, B: A.T @ (A @ X - B)},
        "missing factor 2",
    ),
    (
        W_der.logdet_and_inverse_match_sympy,
        {"inverse_jacobian": lambda X: -np.kron(np.linalg.inv(X), np.linalg.inv(X))},
        "X^{-1} kron X^{-1} (no transpose)",
    ),
    (
        W_der.logdet_and_inverse_match_sympy,
        {"grad_logdet": lambda X: np.linalg.det(X) * np.linalg.inv(X)},
        "gradient of det",
    ),
    (
        W_conv.quadratic_constants_are_exact,
        {
            "quadratic_constants": lambda Q: (
                float(np.linalg.eigvalsh(Q)[0]),
                float(np.linalg.eigvalsh(Q)[-1]),
            )
        },
        "L = lambda_max",
    ),
    (
        W_conv.quadratic_constants_are_exact,
        {"quadratic_constants": _scaled_constants(mu_factor=0.5)},
        "weakened constant: mu / 2",
    ),
    (
        W_conv.quadratic_constants_are_exact,
        {"quadratic_constants": _scaled_constants(L_factor=2.0)},
        "weakened constant: 2 L",
    ),
    (
        W_conv.first_order_characterises_convexity,
        {
            "logistic_loss_grad": lambda w, X, y, lam: (
                0.9 * calculus.logistic_loss_grad(w, X, y, lam)
            )
        },
        "gradient scaled by 0.9",
    ),
    (
        W_conv.strong_convexity_first_order,
        {
            "logistic_loss_grad": lambda w, X, y, lam: (
                0.9 * calculus.logistic_loss_grad(w, X, y, lam)
            )
        },
        "gradient scaled by 0.9",
    ),
    (
        W_conv.strong_convexity_first_order,
        {"strong_lower_bound": lambda mu, d2: mu * d2},
        "mu |y - x|^2 (too strong)",
    ),
    (
        W_conv.strong_convexity_first_order,
        {"strong_lower_bound": lambda mu, d2: mu / 4 * d2},
        "weakened constant: mu/4 |y - x|^2",
    ),
    (
        W_conv.descent_lemma_holds,
        {"quadratic_constants": _scaled_constants(L_factor=0.9)},
        "0.9 L",
    ),
    (
        W_conv.descent_lemma_holds,
        {"logistic_smoothness": lambda X, lam: 0.5 * calculus.logistic_smoothness(X, lam)},
        "L / 2 for the logistic loss",
    ),
    (
        W_conv.descent_lemma_holds,
        {"descent_bound": lambda L, d2: L * d2},
        "weakened constant: L |y - x|^2",
    ),
    (
        W_conv.hessian_integral_and_spectrum,
        {"logistic_smoothness": lambda X, lam: calculus.logistic_smoothness(X, 0.0)},
        "L without lambda",
    ),
    (
        W_conv.hessian_integral_and_spectrum,
        {"logistic_loss_grad": lambda w, X, y, lam: calculus.logistic_loss_grad(w, X, y, 0.0)},
        "gradient without the ridge term",
    ),
    (
        W_conv.hessian_integral_and_spectrum,
        {"logistic_smoothness": lambda X, lam: 2 * calculus.logistic_smoothness(X, lam)},
        "weakened constant: 2 L",
    ),
    (
        W_conv.logistic_constants_match_autograd,
        {"logistic_smoothness": lambda X, lam: calculus.logistic_smoothness(X, lam) * 4 - 3 * lam},
        "L without the factor 1/4",
    ),
    (
        W_conv.logistic_constants_match_autograd,
        {"logistic_smoothness": lambda X, lam: 2 * calculus.logistic_smoothness(X, lam)},
        "weakened constant: 2 L",
    ),
    (
        W_conv.pl_inequality_holds,
        {"quadratic_constants": _scaled_constants(mu_factor=1.05)},
        "mu too large",
    ),
    (
        W_conv.pl_inequality_holds,
        {"quadratic_constants": _scaled_constants(mu_factor=0.5)},
        "weakened constant: mu / 2",
    ),
    (W_conv.gradient_step_decrease, {"gradient_step": lambda w, g, L: w - 2 * g / L}, "step 2/L"),
    (
        W_conv.gradient_step_decrease,
        {"decrease_bound": lambda g2, L: g2 / (4 * L)},
        "weakened constant: |g|^2 / (4L)",
    ),
    (
        W_conv.gradient_step_contraction,
        {"gradient_step": lambda w, g, L: w - 2 * g / L},
        "step 2/L",
    ),
    (
        W_cond.condexp_defining_property,
        {"conditional_expectation": _biased_condexp},
        "unweighted mean",
    ),
    (W_cond.condexp_is_projection, {"conditional_expectation": _biased_condexp}, "unweighted mean"),
    (
        W_cond.condexp_tower_and_best_predictor,
        {"conditional_expectation": _shifted_condexp},
        "shifted by 1e-3",
    ),
    (
        W_hoef.hoeffding_lemma_mgf,
        {"hoeffding_mgf_bound": lambda s, a, b: math.exp(s * s * (b - a) ** 2 / 4)},
        "weakened constant: (b - a)^2 / 4",
    ),
    (
        W_hoef.hoeffding_lemma_mgf,
        {"hoeffding_mgf_bound": lambda s, a, b: math.exp(s * s * (b - a) ** 2 / 10)},
        "(b - a)^2 / 10 (too strong)",
    ),
    (
        W_hoef.hoeffding_tail_monte_carlo,
        {"hoeffding_bound": _hoeffding_bound(0.5)},
        "weakened constant: exp(-n t^2 / (b - a)^2), the 2 dropped",
    ),
    (
        W_hoef.hoeffding_tail_monte_carlo,
        {
            "hoeffding_bound": lambda t, n, a, b, two_sided=False: min(
                1.0, (2.0 if two_sided else 1.0) * math.exp(-2 * n * n * t * t / (b - a) ** 2)
            )
        },
        "n^2 instead of n",
    ),
    (
        W_hoef.hoeffding_unequal_ranges,
        {"hoeffding_sum_bound": _hoeffding_sum_bound(0.5)},
        "weakened constant: exp(-t^2 / D)",
    ),
    (
        W_hoef.hoeffding_unequal_ranges,
        {"hoeffding_sum_bound": _hoeffding_sum_bound(4.0)},
        "exponent 8 t^2 / D (too strong)",
    ),
    (
        W_hoef.sample_size_is_least,
        {
            "hoeffding_sample_size": lambda eps, delta, a, b: (
                probability.hoeffding_sample_size(eps, delta, a, b) + 1
            )
        },
        "not the least n",
    ),
    (
        W_hoef.sample_size_is_least,
        {
            "hoeffding_sample_size": lambda eps, delta, a, b: max(
                1, math.ceil((b - a) ** 2 * math.log(1 / delta) / (2 * eps**2))
            )
        },
        "one-sided",
    ),
    (
        W_hoef.sample_size_is_least,
        {
            "hoeffding_sample_size": lambda eps, delta, a, b: max(
                1, math.ceil((b - a) ** 2 * math.log(2 / delta) / eps**2)
            )
        },
        "weakened constant: the 2 of 2 eps^2 dropped",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)


def test_the_torch_softplus_oracle_is_smooth_past_torchs_threshold():
    """torch's softplus is linear above 20 (its second derivative 0 there); the witnesses' oracle
    keeps sigma(s)(1 - sigma(s)) (the Hessian witness failed at seeds 4150078407 and 3326569471
    on margins above 20)."""
    import torch

    from deepqed.witnesses._common import torch_softplus

    s = torch.tensor([25.0, -30.0, 0.5], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(torch_softplus(s).sum(), s, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), s)
    sig = torch.sigmoid(s.detach())
    torch.testing.assert_close(g.detach(), sig, rtol=1e-15, atol=0)
    torch.testing.assert_close(h, sig * torch.sigmoid(-s.detach()), rtol=1e-12, atol=0)
