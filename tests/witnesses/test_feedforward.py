"""The feedforward chapter's witnesses, each handed deliberately broken implementations
(``BROKEN``; run by ``test_witnesses.py``)."""

from __future__ import annotations

import dataclasses
import math

import array_api_compat
import numpy as np
from broken_implementations import detects_broken

from deepqed import gradcheck, losses, nn
from deepqed.nn.mlp import Forward
from deepqed.witnesses.feedforward import activations as W_act
from deepqed.witnesses.feedforward import architecture as W_arch
from deepqed.witnesses.feedforward import backprop as W_bp
from deepqed.witnesses.feedforward import calculus as W_calc
from deepqed.witnesses.feedforward import losses as W_loss
from deepqed.witnesses.preliminaries import derivatives as W_pre_deriv


# --- deliberately broken implementations ------------------------------------------------------
class _Grad:
    """A parameter-shaped container that does not check its shapes (a broken gradient may have
    the wrong ones)."""

    def __init__(self, W, b):
        self.W, self.b = tuple(W), tuple(b)

    def arrays(self):
        return [a for pair in zip(self.W, self.b) for a in pair]


def broken_loss_and_gradient(bug: str):
    """Forward pass, loss gradient and backward sweep written out, with one ``bug`` injected."""

    def loss_and_gradient(arch, theta, X, Y, loss="squared_error"):
        xp = array_api_compat.array_namespace(X)
        fwd = nn.forward(arch, theta, X)
        spec = losses.LOSSES[loss]
        G = spec.grad(xp, fwd.output, Y) * (X.shape[0] if bug == "missing 1/m" else 1)
        L = arch.depth
        dW, db = [None] * L, [None] * L
        for l in range(L, 0, -1):
            name, Z = arch.activations[l - 1], fwd.Z[l]
            act = nn.ACTIVATIONS[name]
            d = act.sigma_prime(xp, Z)
            if bug == "wrong derivative":
                d = act.sigma(xp, Z)
            if bug == "leaky as relu" and name == "leaky_relu":
                d = nn.ACTIVATIONS["relu"].sigma_prime(xp, Z)
            Delta = G * d
            dW[l - 1] = fwd.A[l - 1].T @ Delta if bug == "transposed dW" else Delta.T @ fwd.A[l - 1]
            db[l - 1] = xp.sum(Delta, axis=0)
            if bug == "sign of db":
                db[l - 1] = -db[l - 1]
            if l > 1 or bug == "no skip at l = 1":
                G = Delta @ theta.W[l - 1]
        return spec.value(xp, fwd.output, Y), _Grad(dW, db)

    return loss_and_gradient


def _no_sigma_prime_backprop(arch, theta, fwd, G, *, input_gradient=False):
    xp = array_api_compat.array_namespace(G)
    dW, db = [], []
    for l in range(arch.depth, 0, -1):
        dW.insert(0, G.T @ fwd.A[l - 1])
        db.insert(0, xp.sum(G, axis=0))
        G = G @ theta.W[l - 1]
    grad = nn.Parameters(tuple(dW), tuple(db))
    return (grad, G) if input_gradient else grad


def _input_gradient_skipping_layer_one(arch, theta, fwd, G, *, input_gradient=False):
    """G^0 taken as Delta^1 W^2-style: the last step G^0 = Delta^1 W^1 without sigma_1'."""
    grad, G0 = nn.backprop(arch, theta, fwd, G, input_gradient=True)
    if arch.depth == 1:
        G1 = G
    else:
        G1 = nn.backprop(
            nn.Architecture(arch.widths[1:], arch.activations[1:]),
            nn.Parameters(theta.W[1:], theta.b[1:]),
            nn.Forward((None, *fwd.Z[2:]), fwd.A[1:]),
            G,
            input_gradient=True,
        )[1]
    return (grad, G1 @ theta.W[0]) if input_gradient else grad


def _half_at_zero_backprop(arch, theta, fwd, G, *, input_gradient=False):
    """The backward sweep with the convention ReLU'(0) = 1/2 instead of 0."""
    xp = array_api_compat.array_namespace(G)
    dW, db = [], []
    for l in range(arch.depth, 0, -1):
        act = nn.ACTIVATIONS[arch.activations[l - 1]]
        d = act.sigma_prime(xp, fwd.Z[l])
        Delta = G * xp.where(fwd.Z[l] == 0, xp.full_like(d, 0.5), d)
        dW.insert(0, Delta.T @ fwd.A[l - 1])
        db.insert(0, xp.sum(Delta, axis=0))
        G = Delta @ theta.W[l - 1]
    grad = nn.Parameters(tuple(dW), tuple(db))
    return (grad, G) if input_gradient else grad


def _replace(name: str, **fields):
    table = dict(nn.ACTIVATIONS)
    table[name] = dataclasses.replace(table[name], **fields)
    return table


def _naive_logsumexp(Z):
    with np.errstate(over="ignore"):
        return np.log(np.sum(np.exp(Z), axis=1))


def _unchecked_architecture(widths, activations):
    return type("Arch", (), {"widths": widths, "activations": activations, "depth": len(widths)})()


def _transposed_init(arch, rng):
    theta = nn.init_parameters(arch, rng=rng)
    return _Grad([W.T for W in theta.W], theta.b)


def _naive_sigmoid_prime(xp, Z):
    S = 1 / (1 + xp.exp(-Z))
    return S * (1 - S)  # loses every digit where 1 - S cancels (Z >> 0)


def _forward_without_bias(arch, theta, X):
    return nn.forward(arch, nn.Parameters(theta.W, tuple(b * 0 for b in theta.b)), X)


def _forward_storing_A_as_Z(arch, theta, X):
    fwd = nn.forward(arch, theta, X)
    return Forward((None, *fwd.A[1:]), fwd.A)


def _softmax_cols(Z):
    E = np.exp(Z - Z.max())
    return E / E.sum(axis=0, keepdims=True)


def _ce_grad_times_m(A, Y):
    return losses.softmax_cross_entropy_grad(A, Y) * A.shape[0]


def _fd_bounds(central=1.0, forward=1.0, rounding=1.0):
    """The bounds of prop-fd-order with a constant weakened by a factor."""

    def bounds(h, M3, M2, eps, M0):
        return (
            central * h * h / 6 * M3,
            forward * h / 2 * M2,
            central * h * h / 6 * M3 + rounding * eps * M0 / h,
        )

    return bounds


def _optimum_wrong(M3, eps, M0):
    h, q = W_calc._optimum(M3, eps, M0)
    return h, 2 * q


BROKEN = [
    (
        W_bp.backprop_matches_autograd,
        {"loss_and_gradient": broken_loss_and_gradient(b)},
        b,
    )
    for b in ("transposed dW", "missing 1/m", "wrong derivative", "sign of db")
] + [
    (
        W_bp.backprop_matches_autograd,
        {
            "loss_and_gradient": broken_loss_and_gradient("missing 1/m"),
            "dtype": np.dtype("float32"),
        },
        "missing 1/m (float32)",
    ),
    (
        W_bp.input_gradient_matches_autograd,
        {"backprop": _input_gradient_skipping_layer_one},
        "G^0 without sigma_1'",
    ),
    (W_bp.input_gradient_matches_autograd, {"backprop": _no_sigma_prime_backprop}, "no sigma'"),
    (
        W_bp.backprop_matches_central_differences,
        {"loss_and_gradient": broken_loss_and_gradient("wrong derivative")},
        "wrong derivative",
    ),
    (
        W_bp.backprop_matches_central_differences,
        {"loss_and_gradient": broken_loss_and_gradient("missing 1/m")},
        "missing 1/m",
    ),
    (W_bp.backward_sweep_is_a_vjp, {"backprop": _no_sigma_prime_backprop}, "no sigma'"),
    (
        W_bp.cost_matches_count,
        {"loss_and_gradient": broken_loss_and_gradient("no skip at l = 1")},
        "extra Delta^1 W^1",
    ),
    (W_bp.cost_matches_count, {"bound": lambda: 6.0}, "at most 6 forward passes"),
    (
        W_bp.relu_backprop_is_gradient_ae,
        {"loss_and_gradient": broken_loss_and_gradient("leaky as relu")},
        "leaky as relu",
    ),
    (
        W_bp.relu_autodiff_misses_derivative,
        {"backprop": _half_at_zero_backprop},
        "relu'(0) = 1/2",
    ),
    (
        W_act.activations_match_definitions,
        {
            "activations": _replace(
                "gelu",
                sigma=lambda xp, Z: (
                    0.5 * Z * (1 + xp.tanh(math.sqrt(2 / math.pi) * (Z + 0.044715 * Z**3)))
                ),
            )
        },
        "tanh-approximate gelu",
    ),
    (
        W_act.derivatives_match_sympy,
        {"activations": _replace("softplus", sigma_prime=lambda xp, Z: nn.sigmoid(-Z))},
        "softplus' = sigmoid(-z)",
    ),
    (
        W_act.derivatives_match_sympy,
        {"activations": _replace("sigmoid", sigma_prime=_naive_sigmoid_prime)},
        "sigmoid' as s(1 - s) (relative accuracy lost when saturated)",
    ),
    (
        W_act.derivative_conventions_match_autograd,
        {"activations": _replace("relu", sigma_prime=lambda xp, Z: xp.astype(Z >= 0, Z.dtype))},
        "relu'(0) = 1",
    ),
    (
        W_act.derivative_from_output_matches,
        {"activations": _replace("tanh", derivative=lambda xp, Z, A: 1 - A)},
        "tanh' = 1 - A",
    ),
    (
        W_act.softmax_matches_definition,
        {"softmax": _softmax_cols},
        "softmax over columns",
    ),
    (
        W_act.softmax_jacobian_matches,
        {"softmax_jacobian": lambda z: nn.softmax_jacobian(z) * 1.001},
        "J scaled",
    ),
    (
        W_act.softmax_jacobian_properties,
        {"softmax_jacobian": lambda z: np.diag(nn.softmax(z[None])[0])},
        "J = diag(s)",
    ),
    (
        W_loss.empirical_risk_is_mean_of_sample_losses,
        {
            "loss_and_gradient": lambda *a: (
                nn.loss_and_gradient(*a)[0] * a[2].shape[0],
                None,
            )
        },
        "sum instead of mean",
    ),
    (
        W_loss.squared_error_matches_definition,
        {"squared_error": lambda A, Y: 2 * losses.squared_error(A, Y)},
        "missing 1/2",
    ),
    (
        W_loss.cross_entropy_matches_definition,
        {
            "softmax_cross_entropy": lambda A, Y: np.mean(
                np.sum(-Y * np.log(_softmax_cols(A)), axis=1)
            )
        },
        "log-softmax over columns",
    ),
    (W_loss.logsumexp_is_stable, {"logsumexp": _naive_logsumexp}, "no max shift"),
    (
        W_loss.logsumexp_is_stable,
        {"bounds": lambda K: (1.0, 2.0 * K)},
        "S <= 2K (upper constant weakened by 2)",
    ),
    (
        W_loss.logsumexp_is_stable,
        {"bounds": lambda K: (0.5, float(K))},
        "S >= 1/2 (lower constant weakened by 2)",
    ),
    (
        W_loss.loss_gradients_match,
        {
            "losses_table": {
                **losses.LOSSES,
                "cross_entropy": dataclasses.replace(
                    losses.LOSSES["cross_entropy"],
                    grad=lambda xp, A, Y: _ce_grad_times_m(A, Y),
                ),
            }
        },
        "CE grad missing 1/m",
    ),
    (
        W_pre_deriv.frechet_remainder_vanishes,
        {"softmax_cross_entropy_grad": lambda A, Y: 1.01 * losses.softmax_cross_entropy_grad(A, Y)},
        "gradient off by 1%",
    ),
    (
        W_pre_deriv.chain_rule_jacobian,
        {"tanh_prime": lambda z: 1 - z * z},
        "tanh'(z) = 1 - z^2",
    ),
    (
        W_pre_deriv.chain_rule_remainder,
        {"softmax_jacobian": lambda z: nn.softmax_jacobian(z) * 1.01},
        "J off by 1%",
    ),
    (
        W_calc.affine_layer_adjoints,
        {"activations": _replace("sigmoid", sigma_prime=lambda xp, Z: nn.sigmoid(Z))},
        "sigmoid' = sigmoid",
    ),
    (
        W_calc.central_difference_is_second_order,
        {"central_difference": gradcheck.forward_difference},
        "forward instead of central",
    ),
    (
        W_calc.difference_error_bounds,
        {"central_difference": lambda f, x, v, h: gradcheck.central_difference(f, x, v, 1.2 * h)},
        "step 1.2 h",
    ),
    (
        W_calc.difference_error_bounds,
        {"forward_difference": lambda f, x, v, h: gradcheck.forward_difference(f, x, v, 1.2 * h)},
        "forward step 1.2 h",
    ),
    (W_calc.difference_error_bounds, {"bounds": _fd_bounds(central=2.0)}, "h^2/3 instead of h^2/6"),
    (
        W_calc.difference_error_bounds,
        {"bounds": _fd_bounds(forward=2.0)},
        "h M_2 instead of h M_2/2",
    ),
    (W_calc.difference_error_bounds, {"bounds": _fd_bounds(rounding=2.0)}, "2 eps M_0/h"),
    (W_calc.difference_error_bounds, {"optimum": _optimum_wrong}, "optimal bound doubled"),
    (
        W_arch.architecture_validates,
        {"Architecture": _unchecked_architecture},
        "no validation",
    ),
    (
        W_arch.parameter_count_matches_torch,
        {"init_parameters": _transposed_init},
        "transposed W",
    ),
    (
        W_arch.realization_matches_torch,
        {
            "realization": lambda arch, theta, x: nn.realization(
                nn.Architecture(arch.widths, ("tanh",) * arch.depth), theta, x
            )
        },
        "tanh everywhere",
    ),
    (
        W_arch.batch_rows_are_realizations,
        {"forward": _forward_without_bias},
        "bias dropped",
    ),
    (
        W_arch.forward_stores_layers,
        {"forward": _forward_storing_A_as_Z},
        "Z^l stored as A^l",
    ),
]


test_witness_detects_broken_implementation = detects_broken(BROKEN)
