r"""Witnesses of Section "Gated networks": `def-rnn-lstm`, `thm-rnn-lstm-backward`,
`prop-rnn-cell-path`, `def-rnn-gru`, `thm-rnn-gru-backward`.

Each compares both codes of the library: the plain step (``lstm_cell``, ``gru_cell`` and their
backward rules, looped over the sequence) and the fused layer (``lstm_forward``/``lstm_backward``,
``gru_forward``/``gru_backward``), against torch's ``nn.LSTMCell``/``nn.LSTM`` and
``nn.GRUCell``/``nn.GRU`` in float64 with the weights copied.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import rnn
from ...registry import Witness
from .._common import Evidence, equal, lower, upper
from .._tolerances import adjoint_check
from ._common import (
    depth,
    random_gru,
    random_lstm,
    random_sequence,
    relative_error,
    single_threaded,
    sizes,
    torch_gru,
    torch_lstm,
    torch_tolerance,
    unit_roundoff,
    worst_error,
)

U64 = unit_roundoff(np.float64)


def _lstm_instance(rng, dtype=np.float64, T=(1, 15)):
    T, m, d, n = sizes(rng, T)
    theta = random_lstm(rng, d, n, dtype)
    X, H0, G = random_sequence(rng, T, m, d, n, dtype)
    C0 = rng.standard_normal((m, n)).astype(dtype)
    return theta, X, H0, C0, G


def _at(X: np.ndarray, n: int) -> str:
    T, m, d = X.shape
    return f"T = {T}, m = {m}, d = {d}, n = {n}"


def _torch_cell(module: torch.nn.Module, theta, extra_bias=None) -> torch.nn.Module:
    """``nn.LSTMCell``/``nn.GRUCell`` in float64 with the parameters copied."""
    module = module.to(torch.float64)
    with torch.no_grad():
        module.weight_hh.copy_(torch.from_numpy(np.asarray(theta.W, dtype=np.float64)))
        module.weight_ih.copy_(torch.from_numpy(np.asarray(theta.U, dtype=np.float64)))
        module.bias_ih.copy_(torch.from_numpy(np.asarray(theta.b, dtype=np.float64)))
        module.bias_hh.zero_()
        if extra_bias is not None:
            module.bias_hh[-theta.n :] = torch.from_numpy(np.asarray(extra_bias, dtype=np.float64))
    return module


# --- LSTM ----------------------------------------------------------------------------------------
@single_threaded
def lstm_forward_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype,
    lstm_cell=rnn.lstm_cell,
    lstm_forward=rnn.lstm_forward,
    instances: int = 20,
) -> Evidence:
    """One step ``lstm_cell`` against ``torch.nn.LSTMCell``, and the layer ``lstm_forward`` ($H$
    and the last $C$) against ``torch.nn.LSTM``, float64 references on the same numbers."""
    cells, layers = [], []
    for _ in range(instances):
        theta, X, H0, C0, G = _lstm_instance(rng, dtype)
        T, n, d = X.shape[0], theta.n, theta.d
        inputs = [*theta.arrays(), X, H0, C0]
        ref = lambda a: torch_lstm(*a, G)[:2]  # noqa: E731
        tol = torch_tolerance(ref, inputs, depth(T, d, 4 * n), dtype, rng)
        fwd = lstm_forward(theta, X, H0, C0)
        out, cT = ref(inputs)
        layers.append((relative_error([fwd.H[1:], fwd.C[-1]], [out, cT]), tol, _at(X, n)))
        cell = _torch_cell(torch.nn.LSTMCell(d, n), theta)
        x0, h0, c0 = (torch.from_numpy(np.asarray(a, np.float64)) for a in (X[0], H0, C0))
        with torch.no_grad():
            h, c = cell(x0, (h0, c0))
        # the step's own tolerance: the condition of its outputs, not of the whole sequence's
        ref1 = lambda a: torch_lstm(*a, G[:1])[:2]  # noqa: E731
        inputs1 = [*theta.arrays(), X[:1], H0, C0]
        tol1 = torch_tolerance(ref1, inputs1, depth(1, d, 4 * n), dtype, rng)
        cells.append(
            (
                relative_error(list(lstm_cell(theta, X[0], H0, C0)), [h.numpy(), c.numpy()]),
                tol1,
                _at(X[:1], n),
            )
        )
    return Evidence(
        2 * instances,
        (
            worst_error("lstm_cell $(H_t, C_t)$ against torch.nn.LSTMCell", cells),
            worst_error("lstm_forward $(H_1..H_T, C_T)$ against torch.nn.LSTM", layers),
        ),
    )


@single_threaded
def lstm_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype,
    lstm_backward=rnn.lstm_backward,
    lstm_cell_backward=rnn.lstm_cell_backward,
    instances: int = 20,
) -> Evidence:
    """Gradients ``(W, U, b, H0, C0)`` of $\\sum_t\\langle G_t, H_t\\rangle$ by the fused layer
    ``lstm_backward`` and by the plain step ``lstm_cell_backward`` looped backwards in time,
    against torch autograd on ``nn.LSTM`` in float64 on the same numbers."""
    layers, cells = [], []
    for _ in range(instances):
        theta, X, H0, C0, G = _lstm_instance(rng, dtype)
        T, n, d = X.shape[0], theta.n, theta.d
        inputs = [*theta.arrays(), X, H0, C0]
        ref = lambda a: torch_lstm(*a, G)[2]  # noqa: E731
        tol = torch_tolerance(ref, inputs, depth(T, d, 4 * n, True), dtype, rng)
        expected = ref(inputs)
        fwd = rnn.lstm_forward(theta, X, H0, C0)
        g = lstm_backward(theta, fwd, X, G)
        layers.append((relative_error([g.W, g.U, g.b, g.H0, g.C0], expected), tol, _at(X, n)))
        dW, dU, db = (np.zeros_like(a) for a in theta.arrays())
        dH, dC = np.zeros_like(H0), np.zeros_like(C0)
        for t in range(T, 0, -1):
            gW, gU, gb, dH, dC = lstm_cell_backward(
                theta, X[t - 1], fwd.H[t - 1], fwd.C[t - 1], G[t - 1] + dH, dC
            )
            dW, dU, db = dW + gW, dU + gU, db + gb
        cells.append((relative_error([dW, dU, db, dH, dC], expected), tol, _at(X, n)))
    return Evidence(
        instances,
        (
            worst_error(
                "lstm_backward $(\\mathrm dW, \\mathrm dU, \\mathrm db, \\mathrm dH_0, \\mathrm dC_0)$ against autograd",
                layers,
            ),
            worst_error("lstm_cell_backward, looped over $t$, against autograd", cells),
        ),
    )


@single_threaded
def lstm_backward_matches_central_differences(
    rng: np.random.Generator,
    *,
    lstm_backward=rnn.lstm_backward,
    instances: int = 20,
    h: float = 1e-4,
) -> Evidence:
    r"""$\langle\nabla\mathcal L, V\rangle$ against central differences of $\mathcal L =
    \sum_t\langle G_t, H_t\rangle$ written from the definition (no torch), for a random unit
    direction $V$ of the parameters, float64."""
    records = []
    for _ in range(instances):
        theta, X, H0, C0, G = _lstm_instance(rng, T=(1, 10))
        n, T = theta.n, X.shape[0]
        shapes = [a.shape for a in theta.arrays()]
        cuts = np.cumsum([int(np.prod(s)) for s in shapes])[:-1]

        def objective(x: np.ndarray) -> np.ndarray:
            W, U, b = (p.reshape(s) for p, s in zip(np.split(x, cuts), shapes))
            sig = lambda a: 0.5 * (1 + np.tanh(0.5 * a))  # noqa: E731
            Hh, C, total = H0, C0, 0.0
            for t in range(T):
                A = Hh @ W.T + X[t] @ U.T + b
                i, f = sig(A[:, :n]), sig(A[:, n : 2 * n])
                g, o = np.tanh(A[:, 2 * n : 3 * n]), sig(A[:, 3 * n :])
                C = f * C + i * g
                Hh = o * np.tanh(C)
                total += float(np.vdot(G[t], Hh))
            return np.array([total])

        grad = lstm_backward(theta, rnn.lstm_forward(theta, X, H0, C0), X, G)
        flat = np.concatenate([a.ravel() for a in grad.arrays()])
        x = np.concatenate([a.ravel() for a in theta.arrays()])
        V = rng.standard_normal(x.shape)
        V /= np.linalg.norm(V)
        err, tol = adjoint_check(
            objective,
            lambda u: u[0] * flat,
            x,
            np.ones(1),
            V,
            h,
            depth(T, theta.d, 4 * n),
            np.abs(G).sum(),  # |H_t| <= 1
        )
        records.append((err, tol, _at(X, n)))
    return Evidence(
        instances,
        (
            worst_error(
                "$\\langle\\nabla\\mathcal L, V\\rangle$ against central differences of the definition",
                records,
                units="relative discrepancy",
            ),
        ),
    )


# --- the cell path -------------------------------------------------------------------------------
def product_bounds(f_min: float, f_max: float, k: int) -> tuple[float, float]:
    r"""$(f_{\min}^k, f_{\max}^k)$ (Proposition ``prop-rnn-cell-path``, part 2)."""
    return f_min**k, f_max**k


def forget_gate_bound(b: np.ndarray, W: np.ndarray, Ux: np.ndarray) -> np.ndarray:
    r"""$\operatorname{sigmoid}(b^f_j - \|W^f_{j,:}\|_1 - \lvert(U^fx_t)_j\rvert)$ per unit $j$
    (Proposition ``prop-rnn-cell-path``, part 3)."""
    return 1.0 / (1.0 + np.exp(-(b - np.abs(W).sum(axis=1) - np.abs(Ux))))


@single_threaded
def cell_path_jacobian(
    rng: np.random.Generator,
    *,
    cell_path_products=rnn.cell_path_products,
    product_bounds=product_bounds,
    forget_gate_bound=forget_gate_bound,
    instances: int = 25,
) -> Evidence:
    r"""(1) The torch Jacobian of $c_{t-1}\mapsto c_t$ (``nn.LSTMCell``, $h_{t-1}$ fixed) equals
    $\operatorname{diag}(f_t)$. (2) The cell-path products lie in $[f_{\min}^{t-s},
    f_{\max}^{t-s}]$, with equality when every forget gate has the same value ($W^f = 0$,
    $U^f = 0$, $b^f$ constant). (3) $f_{t,j}\ge\operatorname{sigmoid}(b^f_j - \|W^f_{j,:}\|_1 -
    \lvert(U^fx_t)_j\rvert)$ when $\|h_{t-1}\|_\infty\le1$, with equality at $t = 1$ for
    $h_0 = -\operatorname{sign}(W^f_{j,:})$ and $(U^fx_1)_j\le0$ (here $W^f\ge0$, $h_0 = -1$,
    $U^f\le0$, $x_1\ge0$)."""
    jac, gate = [], (math.inf, 1.0, 1.0, "")
    lo, hi = (math.inf, 1.0, 1.0, "", 0.0), (-math.inf, 1.0, 1.0, "", 0.0)
    for _ in range(instances):
        theta, X, H0, C0, _ = _lstm_instance(rng, T=(1, 30))
        n, T = theta.n, X.shape[0]
        fwd = rnn.lstm_forward(theta, X, H0, C0)
        t = int(rng.integers(1, T + 1))
        cell = _torch_cell(torch.nn.LSTMCell(theta.d, n), theta)
        x, h = torch.from_numpy(X[t - 1, :1]), torch.from_numpy(fwd.H[t - 1, :1])
        J = torch.autograd.functional.jacobian(
            lambda c: cell(x, (h, c[None]))[1][0], torch.from_numpy(fwd.C[t - 1, 0].copy())
        ).numpy()
        F = fwd.gates[:, 0, n : 2 * n]
        # lstm_forward's f = 1/(1 + e^{-a}) has a relative error <= 4u (rnn._lstm_fused.forward),
        # and torch's sigmoid, 1/(1 + e^{-a}) from an exp accurate to 1 ulp, the same 4u; their
        # arguments (n + d + 1 terms each, summed in different orders) add their rounding
        tol = 16 * (n + theta.d + 2) * U64 + 8 * U64
        jac.append((relative_error(J, np.diag(F[t - 1])), tol, f"t = {t}, n = {n}"))
        s = int(rng.integers(0, T))
        P = cell_path_products(fwd, 0, s)
        f_min, f_max = float(F[s:].min()), float(F[s:].max())
        for k in range(1, T - s + 1):
            b_lo, b_hi = product_bounds(f_min, f_max, k)
            at = f"t - s = {k}, n = {n}"
            if P[k].min() / b_lo < lo[0]:
                lo = (P[k].min() / b_lo, float(P[k].min()), b_lo, at, 4 * (k + 2) * U64 * b_lo)
            if P[k].max() / b_hi > hi[0]:
                hi = (P[k].max() / b_hi, float(P[k].max()), b_hi, at, 4 * (k + 2) * U64 * b_hi)
        Wf, Uf, bf = theta.W[n : 2 * n], theta.U[n : 2 * n], theta.b[n : 2 * n]
        for tt in range(T):
            if tt > 0 or np.max(np.abs(H0[0])) <= 1.0:
                bound = forget_gate_bound(bf, Wf, Uf @ X[tt, 0])
                j = int(np.argmin(F[tt] / bound))
                if F[tt, j] / bound[j] < gate[0]:
                    gate = (
                        F[tt, j] / bound[j],
                        float(F[tt, j]),
                        float(bound[j]),
                        f"t = {tt + 1}, n = {n}",
                    )
    attain_products, attain_gate = [], []
    for _ in range(4):
        T, n, d = int(rng.integers(2, 30)), int(rng.integers(1, 6)), int(rng.integers(1, 4))
        theta = random_lstm(rng, d, n)
        W, U, b = (a.copy() for a in theta.arrays())
        W[n : 2 * n], U[n : 2 * n], b[n : 2 * n] = 0.0, 0.0, rng.uniform(-2, 4)
        fwd = rnn.lstm_forward(rnn.LSTMParameters(W, U, b), rng.standard_normal((T, 1, d)))
        f = float(fwd.gates[0, 0, n])
        P = cell_path_products(fwd, 0, 0)
        for k in range(1, T + 1):
            attain_products.append(
                (
                    float(P[k].min()) / product_bounds(f, f, k)[0],
                    float(P[k].max()) / product_bounds(f, f, k)[1],
                    k,
                )
            )
        W[n : 2 * n] = np.abs(rng.standard_normal((n, n)))
        U[n : 2 * n] = -np.abs(rng.standard_normal((n, d)))
        X = np.abs(rng.standard_normal((T, 1, d)))
        fwd = rnn.lstm_forward(rnn.LSTMParameters(W, U, b), X, -np.ones((1, n)))
        bound = forget_gate_bound(b[n : 2 * n], W[n : 2 * n], U[n : 2 * n] @ X[0, 0])
        f = fwd.gates[0, 0, n : 2 * n]
        # f = 1/(1 + e^{-a}) (rnn._lstm_fused.forward) and the bound 1/(1 + e^{-a'}) each have a
        # relative error <= 4u, and their arguments a = W^f h_0 + U^f x_1 + b^f and a' (equal in
        # exact arithmetic) the rounding of n + d + 1 terms, which moves sigmoid by a relative
        # (1 - f)|da| <= |da|
        terms = np.abs(b[n : 2 * n]) + np.abs(W[n : 2 * n]).sum(1) + np.abs(U[n : 2 * n] @ X[0, 0])
        tol = 8 * U64 + 4 * (n + d + 4) * U64 * terms
        attain_gate.extend(zip(f / bound, tol))
    worst_products = max(attain_products, key=lambda r: max(abs(r[0] - 1), abs(r[1] - 1)))
    worst_gate, gate_tol = max(attain_gate, key=lambda r: abs(r[0] - 1) / r[1])
    k = worst_products[2]
    return Evidence(
        instances + 8,
        (
            worst_error(
                "torch's $\\partial c_t/\\partial c_{t-1}$ against $\\operatorname{diag}(f_t)$", jac
            ),
            lower(
                "$\\min_j\\prod_r f_{r,j}$ against $f_{\\min}^{t-s}$",
                lo[1],
                lo[2],
                slack=lo[4],
                at=lo[3],
            ),
            upper(
                "$\\max_j\\prod_r f_{r,j}$ against $f_{\\max}^{t-s}$",
                hi[1],
                hi[2],
                slack=hi[4],
                at=hi[3],
            ),
            lower(
                "$f_{t,j}$ against $\\operatorname{sigmoid}(b^f_j - \\|W^f_{j,:}\\|_1 - |(U^fx_t)_j|)$",
                gate[1],
                gate[2],
                slack=64 * U64,
                at=gate[3],
            ),
            equal(
                "$\\prod_r f_{r,j}/f^{t-s}$ for equal forget gates (both bounds attained)",
                max(worst_products[:2], key=lambda r: abs(r - 1)),
                1.0,
                8 * (k + 2) * U64,
                units="ratio",
                at=f"t - s = {k}",
                attains=True,
            ),
            equal(
                "$f_{1,j}$ / its lower bound at $h_0 = -1$, $W^f\\ge0$, $U^fx_1\\le0$ (attained)",
                float(worst_gate),
                1.0,
                float(gate_tol),
                units="ratio",
                attains=True,
            ),
        ),
    )


# --- GRU -----------------------------------------------------------------------------------------
@single_threaded
def gru_forward_matches_torch(
    rng: np.random.Generator,
    *,
    dtype: np.dtype,
    gru_cell=rnn.gru_cell,
    gru_forward=rnn.gru_forward,
    instances: int = 20,
) -> Evidence:
    """One step ``gru_cell`` against ``torch.nn.GRUCell`` and the layer ``gru_forward`` against
    ``torch.nn.GRU`` (``b_hn`` = c), float64 references on the same numbers."""
    cells, layers = [], []
    for _ in range(instances):
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_gru(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        inputs = [*theta.arrays(), X, H0]
        ref = lambda a: torch_gru(*a, G)[0]  # noqa: E731
        tol = torch_tolerance(ref, inputs, depth(T, d, 3 * n), dtype, rng)
        layers.append(
            (relative_error(gru_forward(theta, X, H0).H[1:], ref(inputs)), tol, _at(X, n))
        )
        cell = _torch_cell(torch.nn.GRUCell(d, n), theta, extra_bias=theta.c)
        with torch.no_grad():
            h = cell(
                torch.from_numpy(np.asarray(X[0], np.float64)),
                torch.from_numpy(np.asarray(H0, np.float64)),
            )
        # the step's own tolerance: the condition of its output, not of the whole sequence's
        ref1 = lambda a: torch_gru(*a, G[:1])[0]  # noqa: E731
        tol1 = torch_tolerance(ref1, [*theta.arrays(), X[:1], H0], depth(1, d, 3 * n), dtype, rng)
        cells.append((relative_error(gru_cell(theta, X[0], H0), h.numpy()), tol1, _at(X[:1], n)))
    return Evidence(
        2 * instances,
        (
            worst_error("gru_cell $H_t$ against torch.nn.GRUCell", cells),
            worst_error("gru_forward $(H_1..H_T)$ against torch.nn.GRU", layers),
        ),
    )


@single_threaded
def gru_backward_matches_autograd(
    rng: np.random.Generator,
    *,
    dtype: np.dtype,
    gru_backward=rnn.gru_backward,
    gru_cell_backward=rnn.gru_cell_backward,
    instances: int = 20,
) -> Evidence:
    """Gradients ``(W, U, b, c, H0)`` by the fused layer ``gru_backward`` and by the plain step
    ``gru_cell_backward`` looped backwards in time, against torch autograd on ``nn.GRU``."""
    layers, cells = [], []
    for _ in range(instances):
        T, m, d, n = sizes(rng, (1, 15))
        theta = random_gru(rng, d, n, dtype)
        X, H0, G = random_sequence(rng, T, m, d, n, dtype)
        inputs = [*theta.arrays(), X, H0]
        ref = lambda a: torch_gru(*a, G)[1]  # noqa: E731
        tol = torch_tolerance(ref, inputs, depth(T, d, 3 * n, True), dtype, rng)
        expected = ref(inputs)
        fwd = rnn.gru_forward(theta, X, H0)
        g = gru_backward(theta, fwd, X, G)
        layers.append((relative_error([g.W, g.U, g.b, g.c, g.H0], expected), tol, _at(X, n)))
        dW, dU, db, dc = (np.zeros_like(a) for a in theta.arrays())
        dH = np.zeros_like(H0)
        for t in range(T, 0, -1):
            gW, gU, gb, gc, dH = gru_cell_backward(theta, X[t - 1], fwd.H[t - 1], G[t - 1] + dH)
            dW, dU, db, dc = dW + gW, dU + gU, db + gb, dc + gc
        cells.append((relative_error([dW, dU, db, dc, dH], expected), tol, _at(X, n)))
    return Evidence(
        instances,
        (
            worst_error(
                "gru_backward $(\\mathrm dW, \\mathrm dU, \\mathrm db, \\mathrm dc, \\mathrm dH_0)$ against autograd",
                layers,
            ),
            worst_error("gru_cell_backward, looped over $t$, against autograd", cells),
        ),
    )


CLAIMS = (
    Witness(
        "def-rnn-lstm",
        lstm_forward_matches_torch,
        "the LSTM step and layer agree with torch.nn.LSTMCell and torch.nn.LSTM",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-rnn-lstm-backward",
        lstm_backward_matches_autograd,
        "LSTM gradients (fused layer and plain step) agree with torch autograd",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-rnn-lstm-backward",
        lstm_backward_matches_central_differences,
        "LSTM gradients agree with central differences of the definition",
        strength="exact",
    ),
    Witness(
        "prop-rnn-cell-path",
        cell_path_jacobian,
        "dc_t/dc_{t-1} = diag(f_t); the cell-path and forget-gate bounds hold and are attained",
        strength="sharp",
    ),
    Witness(
        "def-rnn-gru",
        gru_forward_matches_torch,
        "the GRU step and layer agree with torch.nn.GRUCell and torch.nn.GRU",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
    Witness(
        "thm-rnn-gru-backward",
        gru_backward_matches_autograd,
        "GRU gradients (fused layer and plain step) agree with torch autograd",
        strength="exact",
        dtypes=("float32", "float64"),
    ),
)
