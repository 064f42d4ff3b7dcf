"""Witnesses of the initialisation chapter: each detects a broken implementation (``BROKEN`` is
read by ``test_witnesses.py``). The one bound of the chapter (the fluctuation bounds of
``cor-init-fluctuations``) is also shown with its constant weakened and strengthened."""

from __future__ import annotations

import math

import numpy as np
from broken_implementations import detects_broken

from deepqed import initialisation as ini
from deepqed.initialisation.law import _log_product_cdf
from deepqed.witnesses.initialisation import jacobian as W_jac
from deepqed.witnesses.initialisation import law as W_law
from deepqed.witnesses.initialisation import nngp as W_nngp
from deepqed.witnesses.initialisation import variance as W_var


def _qr_without_sign_fix(n, m, rng, size=None):
    shape = (max(n, m), min(n, m)) if size is None else (size, max(n, m), min(n, m))
    Q, _ = np.linalg.qr(rng.standard_normal(shape))
    return Q if n >= m else np.swapaxes(Q, -1, -2)


def _glorot_fan_out(widths, scheme):
    g = ini.weight_gains(widths, scheme)
    if scheme == "glorot":
        w = widths.astype(float)
        return 2.0 * w[1:] / (w[:-1] + w[1:])
    return g


def _networks_without_halving(widths, x, gains, c_b, activation, runs, rng, u=None):
    """The networks with |z| instead of relu(z): no halving of the mean square."""
    s = ini.random_networks(widths, x, gains, c_b, "identity", runs, rng, u)
    return type(s)(s.Z, [np.abs(a) for a in s.A], s.T)


def _cdf_fixed_binomial(y, widths, c_w):
    """The law with B_l = n_l / 2 fixed instead of binomial."""
    fac = [
        (c_w / widths[l - 1], np.array([max(int(widths[l]) // 2, 1)]), np.array([1.0]))
        for l in range(1, len(widths))
    ]
    return _log_product_cdf(y.astype(np.float64), fac)


def _nngp_no_bias_recursion(X, depth, c_w, c_b, activation, panels=32):
    return ini.nngp_kernel(X, depth, c_w, 0.0, activation, panels) + (c_b if depth == 1 else 0.0)


BROKEN = [
    (
        W_var.schemes_have_their_variances,
        {"haar_orthogonal": _qr_without_sign_fix},
        "QR without the sign correction (not Haar)",
    ),
    (
        W_var.schemes_have_their_variances,
        {
            "init_weights": lambda w, s, rng, gain=1.0: [
                W * math.sqrt(2.0) for W in ini.init_weights(w, s, rng, gain)
            ]
        },
        "variances doubled",
    ),
    (
        W_var.variance_is_preserved_at_every_layer,
        {"weight_gains": _glorot_fan_out},
        "Glorot with the fan-out gain",
    ),
    (
        W_var.variance_is_preserved_at_every_layer,
        {"random_networks": _networks_without_halving},
        "|z| instead of relu(z)",
    ),
    (
        W_law.relu_norm_has_the_exact_law,
        {"relu_norm_log_cdf": _cdf_fixed_binomial},
        "law with B_l = n_l/2 fixed",
    ),
    (
        W_law.relu_norm_has_the_exact_law,
        {
            "random_networks": lambda w, x, g, cb, act, R, rng, u=None: ini.random_networks(
                w, x, g * 1.5, cb, act, R, rng, u
            )
        },
        "networks with gain 3 instead of 2",
    ),
    (
        W_law.fluctuations_grow_with_inverse_widths,
        {"fluctuation_bounds": lambda S: (2.5 * S, math.expm1(5 * S))},
        "weakened lower bound 2.5 sum 1/n_l",
    ),
    (
        W_law.fluctuations_grow_with_inverse_widths,
        {"fluctuation_bounds": lambda S: (10 * S, math.expm1(5 * S))},
        "strengthened lower bound 10 sum 1/n_l",
    ),
    (
        W_law.fluctuations_grow_with_inverse_widths,
        {"fourth_moment_factor": lambda h: math.prod(1 + 2.0 / int(n) for n in h)},
        "factor 1 + 2/n (the linear layer's)",
    ),
    (
        W_law.unit_kurtosis_is_exact,
        {"fourth_moment_factor": lambda h: math.prod(1 + 2.5 / int(n) for n in h)},
        "factor 1 + 2.5/n",
    ),
    (
        W_law.linear_products_have_the_exact_law,
        {"lyapunov_exponent": lambda n, c_w=1.0: 0.5 * math.log(c_w)},
        "Lyapunov exponent of the mean square",
    ),
    (
        W_law.linear_products_have_the_exact_law,
        {"linear_norm_log_cdf": lambda y, n, L, c_w: ini.linear_norm_log_cdf(y, n + 1, L, c_w)},
        "law with n + 1 degrees of freedom",
    ),
    (
        W_nngp.nngp_kernel_matches_quadrature,
        {"nngp_kernel": _nngp_no_bias_recursion},
        "c_b dropped after the first layer",
    ),
    (
        W_nngp.nngp_limit_is_exact_at_finite_width,
        {"nngp_kernel": lambda X, d, cw, cb, a, p=32: ini.nngp_kernel(X, d, 1.1 * cw, cb, a, p)},
        "kernel with gain 10% too large",
    ),
    (
        W_nngp.relu_recursion_is_the_arccosine_kernel,
        {"relu_correlation": lambda r: np.clip(r, -1, 1)},
        "identity correlation map",
    ),
    (
        W_nngp.maps_match_adaptive_quadrature,
        {"chi1": lambda q, c_w, a, panels=32: ini.chi1(q / 2, c_w, a, panels)},
        "chi_1 at q/2",
    ),
    (
        W_nngp.length_map_has_one_fixed_point,
        {
            "length_fixed_point": lambda c_w, c_b, panels=32: (
                1.01 * ini.length_fixed_point(c_w, c_b, panels)
            )
        },
        "fixed point 1% off",
    ),
    (
        W_nngp.order_and_chaos,
        {"chi1": lambda q, c_w, a, panels=32: ini.chi1(q, c_w, a, panels) * 1.01},
        "chi_1 1% off",
    ),
    (
        W_nngp.order_and_chaos,
        {
            "correlation_fixed_point": lambda q, cw, cb, a, panels=32: (
                0.9 * ini.correlation_fixed_point(q, cw, cb, a, panels)
            )
        },
        "c* 10% off",
    ),
    (
        W_jac.orthogonal_linear_networks_are_isometries,
        {
            "init_weights": lambda w, s, rng, gain=1.0: ini.init_weights(
                w, "he" if s == "orthogonal" else s, rng, gain
            )
        },
        "Gaussian weights for 'orthogonal'",
    ),
    (
        W_jac.gaussian_jacobian_moments_are_exact,
        {
            "gaussian_jacobian_moments": lambda n, L, c_w=1.0: (
                c_w**L,
                (L + 1) * c_w ** (2 * L),
                c_w ** (2 * L) * (1 + 2 / n) ** L,
            )
        },
        "the infinite-width second moment L + 1 at finite n",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
