r"""Witnesses of Section "Residual connections": `lem-att-residual-sv`, `thm-att-residual-stack`,
`cor-att-residual-depth`, `prop-att-plain-stack`.

Each bound is checked on random instances (validity) and at the instances where the text says it
is attained, where the ratio measured/bound is 1 to rounding (or tends to 1); the bounds' formulas
are arguments, so that a test can weaken a constant and see the witness fail. At the attaining
instances of the stacks every layer is $F_l(x) = \tanh(W_lx + b_l)$ at $x = 0$, $b_l = 0$, where
$\tanh(0) = 0$ and $\tanh'(0) = 1$: the states stay at 0 and $DF_l = W_l$ exactly.

Rounding: singular values are computed with absolute error at most about $nu\|A\|$ (LAPACK's SVD
is backward stable), and a product of $L$ matrices with relative error about $Lnu$ in norm; the
slack allows $8(L + 1)(n + 2)u$ times the bound.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ... import attention
from ...registry import Witness
from .._common import Comparison, Evidence, equal, lower, upper
from ._common import relative_error, single_threaded, unit_roundoff, worst_error

U64 = unit_roundoff(np.float64)


def _svd(M: np.ndarray) -> np.ndarray:
    return np.linalg.svd(M, compute_uv=False)


def _slack(L: int, n: int, bound: float) -> float:
    return 8 * (L + 1) * (n + 2) * U64 * bound


# --- the bounds (closed forms; arguments of the witnesses) --------------------------------------
def perturbation_interval(eps: float) -> tuple[float, float]:
    r"""$[1 - \varepsilon, 1 + \varepsilon]$ (Lemma ``lem-att-residual-sv``, part 3)."""
    return 1.0 - eps, 1.0 + eps


def product_interval(sa: np.ndarray, sb: np.ndarray) -> tuple[float, float]:
    r"""$[s_{\min}(A)s_{\min}(B), s_{\max}(A)s_{\max}(B)]$ (Lemma ``lem-att-residual-sv``, part 2)."""
    return float(sa.min() * sb.min()), float(sa.max() * sb.max())


def stack_interval(eps: np.ndarray) -> tuple[float, float]:
    r"""$[\prod_l(1 - \varepsilon_l), \prod_l(1 + \varepsilon_l)]$ (Theorem ``thm-att-residual-stack``)."""
    return float(np.prod(1.0 - eps)), float(np.prod(1.0 + eps))


def depth_interval(S: float) -> tuple[float, float]:
    r"""$[1 - S, e^S]$ for $S = \sum_l\varepsilon_l$ (Corollary ``cor-att-residual-depth``)."""
    return 1.0 - S, math.exp(S)


def plain_bound(eps: np.ndarray) -> float:
    r"""$\prod_l\varepsilon_l$ (Proposition ``prop-att-plain-stack``)."""
    return float(np.prod(eps))


def _torch_stack(Ws, bs, residual):
    Ws = [torch.from_numpy(W) for W in Ws]
    bs = [torch.from_numpy(b) for b in bs]

    def f(x):
        for W, b in zip(Ws, bs):
            T = torch.tanh(W @ x + b)
            x = x + T if residual else T
        return x

    return f


def _torch_jacobian(Ws, bs, x, residual) -> np.ndarray:
    return torch.autograd.functional.jacobian(
        _torch_stack(Ws, bs, residual), torch.from_numpy(x)
    ).numpy()


def _plain_jacobian_rounding(Ws, bs, x) -> float:
    r"""A bound on the difference of two float64 evaluations of the plain stack's Jacobian
    $J = A_L\cdots A_1$, $A_l = D_lW_l$, relative to $\|J\|_F$ (ours and torch's, each within it).

    Each product step rounds within $\gamma_{n}$ componentwise, so the products together within
    $\gamma_{Ln}|A_L|\cdots|A_1|$. The factors themselves carry an *absolute* error: $D_l =
    1 - \tanh^2(z_l)$ is computed with error at most $u(4 + 2|\delta z_l|/u)$ whatever its size,
    with $|\delta z_l|\le\gamma_{n+1}(|W_l||x_{l-1}| + |b_l|)$; where a unit saturates, $D_l$ is
    tiny and this error is large relative to it, which is what makes a product of saturated
    layers lose relative accuracy. Its share is bounded by
    $\sum_l c_lu\,|A_L|\cdots|A_{l+1}|\,|W_l|\,|A_{l-1}|\cdots|A_1|$."""
    n = x.shape[0]
    u = U64
    A, W_abs, c = [], [], []
    for W, b in zip(Ws, bs):
        z = W @ x + b
        T = np.tanh(z)
        A.append(np.abs((1 - T * T)[:, None] * W))
        W_abs.append(np.abs(W))
        dz = (n + 1) * u * float(np.max(np.abs(W) @ np.abs(x) + np.abs(b)))
        c.append(4 * u + 2 * dz)
        x = T
    L = len(Ws)

    def product(factors):
        P = np.eye(n)
        for F in factors:
            P = F @ P
        return P

    total = 2 * L * (n + 2) * u * np.linalg.norm(product(A))
    for l in range(L):
        total += c[l] * np.linalg.norm(product(A[:l] + [W_abs[l]] + A[l + 1 :]))
    return 2 * float(total)


def _signs(n: int) -> np.ndarray:
    """$\\operatorname{diag}(1, -1, 1, -1, \\dots)$ ($n\\ge 2$): norm 1, singular values 1."""
    return np.diag(np.where(np.arange(n) % 2 == 0, 1.0, -1.0))


def _orthogonal(rng: np.random.Generator, n: int) -> np.ndarray:
    Q, R = np.linalg.qr(rng.standard_normal((n, n)))
    return Q * np.sign(np.diag(R))


# --- lem-att-residual-sv ------------------------------------------------------------------------
@single_threaded
def perturbed_identity_singular_values(
    rng: np.random.Generator,
    *,
    singular_values=_svd,
    perturbation_interval=perturbation_interval,
    product_interval=product_interval,
) -> Evidence:
    """Part 1: $\\|Av\\|$ for random unit $v$ lies in $[s_{\\min}, s_{\\max}]$ and equals
    $s_{\\max}$ at the top right singular vector (torch's SVD). Part 2: $s(AB)$ within
    $[s_{\\min}(A)s_{\\min}(B), s_{\\max}(A)s_{\\max}(B)]$, both ends attained by diagonal $A$,
    $B$ with their largest (smallest) entries in the same place. Part 3: $s(I + E)$ within
    $[1 - \\varepsilon, 1 + \\varepsilon]$ for $\\|E\\|_{\\mathrm{op}} = \\varepsilon$, both ends
    attained at once by $E = \\varepsilon\\operatorname{diag}(1, -1, \\dots)$. Singular values by
    ``singular_values`` (NumPy's SVD)."""
    hi3, lo3, hi2, lo2, hi1, lo1, top = [], [], [], [], [], [], []
    for _ in range(20):
        n = int(rng.integers(2, 12))
        eps = float(rng.uniform(0, 0.999))
        E = rng.standard_normal((n, n))
        E *= eps / np.linalg.norm(E, 2)
        s = singular_values(np.eye(n) + E)
        lo, hi = perturbation_interval(eps)
        hi3.append((s.max(), hi, n, 1 + eps))
        lo3.append((s.min(), lo, n, 1 + eps))
        A, B = rng.standard_normal((2, n, n))
        sa, sb, sab = singular_values(A), singular_values(B), singular_values(A @ B)
        lo, hi = product_interval(sa, sb)
        hi2.append((sab.max(), hi, n, hi))
        lo2.append((sab.min(), lo, n, hi))
        v = rng.standard_normal(n)
        v /= np.linalg.norm(v)
        hi1.append((float(np.linalg.norm(A @ v)), float(sa.max()), n, float(sa.max())))
        lo1.append((float(np.linalg.norm(A @ v)), float(sa.min()), n, float(sa.max())))
        _, S_t, Vh = torch.linalg.svd(torch.from_numpy(A))
        top.append(
            (
                abs(float(np.linalg.norm(A @ Vh[0].numpy())) - sa.max()) / sa.max(),
                8 * n * U64,
                f"n = {n}",
            )
        )
    attain = []
    for _ in range(6):
        n = int(rng.integers(2, 12))
        eps = float(rng.uniform(0, 0.999))
        s = singular_values(np.eye(n) + eps * _signs(n))
        lo, hi = perturbation_interval(eps)
        attain.append((s.max() / hi, n))
        attain.append((s.min() / lo, n))
        a, b = np.sort(rng.uniform(0.1, 3, n)), np.sort(rng.uniform(0.1, 3, n))
        sab = singular_values(np.diag(a) @ np.diag(b))
        lo, hi = product_interval(singular_values(np.diag(a)), singular_values(np.diag(b)))
        attain.append((sab.max() / hi, n))
        attain.append((sab.min() / lo, n))
    ratio, n_at = max(attain, key=lambda r: abs(r[0] - 1))

    def up(what, recs):  # slack: absolute rounding on the scale of the largest singular value
        m, b, n, scale = max(recs, key=lambda r: (r[0] - r[1]) / r[3])
        return upper(what, m, b, slack=2 * _slack(1, n, scale), at=f"n = {n}")

    def down(what, recs):
        m, b, n, scale = min(recs, key=lambda r: (r[0] - r[1]) / r[3])
        return lower(what, m, b, slack=2 * _slack(1, n, scale), at=f"n = {n}")

    return Evidence(
        26,
        (
            worst_error(
                "$\\|Av_1\\|$ at the top right singular vector against $s_{\\max}(A)$", top
            ),
            up("$\\|Av\\|$, $\\|v\\| = 1$, against $s_{\\max}(A)$", hi1),
            down("$\\|Av\\|$, $\\|v\\| = 1$, against $s_{\\min}(A)$", lo1),
            up("$s_{\\max}(AB)$ against $s_{\\max}(A)s_{\\max}(B)$", hi2),
            down("$s_{\\min}(AB)$ against $s_{\\min}(A)s_{\\min}(B)$", lo2),
            up("$s_{\\max}(I + E)$ against $1 + \\varepsilon$", hi3),
            down("$s_{\\min}(I + E)$ against $1 - \\varepsilon$", lo3),
            equal(
                "$s/\\text{bound}$ at $E = \\varepsilon\\operatorname{diag}(\\pm1)$ and aligned diagonal $A, B$ (attained)",
                ratio,
                1.0,
                _slack(1, n_at, 1.0),
                units="ratio",
                at=f"n = {n_at}",
                attains=True,
            ),
        ),
    )


# --- thm-att-residual-stack ---------------------------------------------------------------------
@single_threaded
def residual_stack_singular_values(
    rng: np.random.Generator, *, jacobian=attention.stack_jacobian, bounds=stack_interval
) -> Evidence:
    """The Jacobian of $x\\mapsto x + \\tanh(W_lx + b_l)$, $l = 1..L$, with $\\|W_l\\|_{\\mathrm{op}} =
    \\varepsilon_l < 1$, by ``torch.autograd.functional.jacobian``: its singular values lie in
    $[\\prod(1 - \\varepsilon_l), \\prod(1 + \\varepsilon_l)]$ and its condition number is at most
    $\\prod(1+\\varepsilon_l)/(1-\\varepsilon_l)$; at $W_l = \\varepsilon_l\\operatorname{diag}(1, -1,
    \\dots)$, $x = 0$, $b = 0$ all three are equalities (so the fixed-$\\varepsilon$ bound
    $((1+\\varepsilon)/(1-\\varepsilon))^L$ is attained); ``stack_jacobian`` equals torch's."""
    hi, lo, cond, lib = [], [], [], []
    for _ in range(8):
        n, L = int(rng.integers(2, 9)), int(rng.integers(1, 16))
        eps = rng.uniform(0.0, 0.9, size=L)
        Ws, bs = attention.random_stack(n, eps, rng=rng)
        x = rng.standard_normal(n)
        Jt = _torch_jacobian(Ws, bs, x, True)
        s = _svd(Jt)
        b_lo, b_hi = bounds(eps)
        hi.append((s.max(), b_hi, L, n))
        lo.append((s.min(), b_lo, L, n))
        cond.append((s.max() / s.min(), b_hi / b_lo, L, n))
        lib.append(
            (
                relative_error(jacobian(Ws, bs, x, residual=True)[1], Jt),
                _slack(L, n, 1.0),
                f"L = {L}, n = {n}",
            )
        )
    attain = []
    for _ in range(6):
        n, L = int(rng.integers(2, 9)), int(rng.integers(1, 30))
        eps = rng.uniform(0.0, 0.9, size=L)
        Ws, bs = [e * _signs(n) for e in eps], [np.zeros(n)] * L
        s = _svd(_torch_jacobian(Ws, bs, np.zeros(n), True))
        b_lo, b_hi = bounds(eps)
        attain += [
            (s.max() / b_hi, L, n),
            (s.min() / b_lo, L, n),
            ((s.max() / s.min()) / (b_hi / b_lo), L, n),
        ]
    ratio, L_at, n_at = max(attain, key=lambda r: abs(r[0] - 1))

    def pick(recs, kind, what):
        m, b, L, n = (max if kind == "upper" else min)(recs, key=lambda r: r[0] / r[1])
        make = upper if kind == "upper" else lower
        return make(what, m, b, slack=_slack(L, n, b), at=f"L = {L}, n = {n}")

    return Evidence(
        14,
        (
            worst_error("stack_jacobian against torch's Jacobian", lib),
            pick(hi, "upper", "$s_{\\max}(D\\Phi)$ against $\\prod(1 + \\varepsilon_l)$"),
            pick(lo, "lower", "$s_{\\min}(D\\Phi)$ against $\\prod(1 - \\varepsilon_l)$"),
            pick(
                cond,
                "upper",
                "$\\kappa(D\\Phi)$ against $\\prod(1+\\varepsilon_l)/(1-\\varepsilon_l)$",
            ),
            equal(
                "$s_{\\max}$, $s_{\\min}$, $\\kappa$ / bound at $W_l = \\varepsilon_l\\operatorname{diag}(\\pm1)$, $x = 0$ (attained)",
                ratio,
                1.0,
                _slack(L_at, n_at, 4.0),
                units="ratio",
                at=f"L = {L_at}, n = {n_at}",
                attains=True,
            ),
        ),
    )


# --- cor-att-residual-depth ---------------------------------------------------------------------
@single_threaded
def depth_scaled_stack(
    rng: np.random.Generator, *, jacobian=attention.stack_jacobian, bounds=depth_interval
) -> Evidence:
    """Residual stacks with $S = \\sum_l\\varepsilon_l < 1$ spread over $L\\le 60$ layers: the
    singular values of torch's Jacobian lie in $[1 - S, e^S]$. Attained: $1 - S$ by one layer
    ($L = 1$, $W_1 = S\\operatorname{diag}(\\pm1)$, $x = 0$); $e^S$ approached by $\\varepsilon_l =
    S/L$, where $s_{\\max} = (1 + S/L)^L\\ge e^S e^{-S^2/(2L)}$: the ratio at $L = 1000$ is at least
    $e^{-S^2/2000}$ and tends to 1."""
    hi, lo = [], []
    for _ in range(8):
        n, L = int(rng.integers(2, 7)), int(rng.integers(1, 61))
        S = float(rng.uniform(0.0, 0.95))
        eps = S * rng.dirichlet(np.ones(L))
        Ws, bs = attention.random_stack(n, eps, rng=rng)
        s = _svd(_torch_jacobian(Ws, bs, rng.standard_normal(n), True))
        b_lo, b_hi = bounds(float(np.sum(eps)))
        hi.append((s.max(), b_hi, L, n))
        lo.append((s.min(), b_lo, L, n))
    S, n = float(rng.uniform(0.1, 0.95)), 2
    s_one = _svd(jacobian([S * _signs(n)], [np.zeros(n)], np.zeros(n), residual=True)[1])
    L = 1000
    _, J = jacobian([S / L * _signs(n)] * L, [np.zeros(n)] * L, np.zeros(n), residual=True)
    s_deep = _svd(J)
    m_hi, b_hi_, L_hi, n_hi = max(hi, key=lambda r: r[0] / r[1])
    m_lo, b_lo_, L_lo, n_lo = min(lo, key=lambda r: r[0] / r[1])
    ratio_deep = float(s_deep.max()) / bounds(S)[1]
    return Evidence(
        10,
        (
            upper(
                "$s_{\\max}$ against $e^S$",
                m_hi,
                b_hi_,
                slack=_slack(L_hi, n_hi, b_hi_),
                at=f"L = {L_hi}, n = {n_hi}",
            ),
            lower(
                "$s_{\\min}$ against $1 - S$",
                m_lo,
                b_lo_,
                slack=_slack(L_lo, n_lo, 1.0),
                at=f"L = {L_lo}, n = {n_lo}",
            ),
            equal(
                "$s_{\\min}/(1 - S)$ for one layer $W_1 = S\\operatorname{diag}(\\pm1)$ (attained)",
                float(s_one.min()) / bounds(S)[0],
                1.0,
                _slack(1, n, 1.0 / (1 - S)),
                units="ratio",
                at=f"S = {S:.3g}",
                attains=True,
            ),
            upper(
                "$s_{\\max}/e^S$ at $\\varepsilon_l = S/L$, $L = 1000$",
                ratio_deep,
                1.0,
                slack=_slack(L, n, 1.0),
                units="ratio",
                at=f"S = {S:.3g}",
            ),
            Comparison(
                "$s_{\\max}/e^S$ at $\\varepsilon_l = S/L$, $L = 1000$, against $e^{-S^2/(2L)}$ (tends to 1)",
                "lower",
                ratio_deep,
                math.exp(-S * S / (2 * L)),
                _slack(L, n, 1.0),
                units="ratio",
                at=f"S = {S:.3g}",
                attains=True,
            ),
        ),
    )


# --- prop-att-plain-stack -----------------------------------------------------------------------
@single_threaded
def plain_stack_singular_values(
    rng: np.random.Generator, *, jacobian=attention.stack_jacobian, bound=plain_bound
) -> Evidence:
    """Plain stack $x\\mapsto\\tanh(W_lx + b_l)$: the largest singular value of torch's Jacobian is
    at most $\\prod\\varepsilon_l$, with equality at $W_l = \\varepsilon_lQ_l$ ($Q_l$ orthogonal),
    $x = 0$, $b = 0$; ``stack_jacobian`` equals torch's."""
    recs, lib = [], []
    for _ in range(8):
        n, L = int(rng.integers(2, 9)), int(rng.integers(1, 16))
        eps = rng.uniform(0.0, 2.0, size=L)
        Ws, bs = attention.random_stack(n, eps, rng=rng)
        x = rng.standard_normal(n)
        Jt = _torch_jacobian(Ws, bs, x, False)
        b = bound(eps)
        recs.append((float(np.linalg.norm(Jt, 2)), b, L, n))
        norm = float(np.linalg.norm(Jt))
        rounding = _plain_jacobian_rounding(Ws, bs, x) / norm if norm > 0 else 0.0
        lib.append(
            (
                relative_error(jacobian(Ws, bs, x, residual=False)[1], Jt),
                max(_slack(L, n, 1.0), rounding),
                f"L = {L}, n = {n}",
            )
        )
    attain = []
    for _ in range(6):
        n, L = int(rng.integers(1, 9)), int(rng.integers(1, 16))
        eps = rng.uniform(0.2, 2.0, size=L)
        Ws = [e * _orthogonal(rng, n) for e in eps]
        J = _torch_jacobian(Ws, [np.zeros(n)] * L, np.zeros(n), False)
        attain.append((float(np.linalg.norm(J, 2)) / bound(eps), L, n))
    ratio, L_at, n_at = max(attain, key=lambda r: abs(r[0] - 1))
    m, b, L, n = max(recs, key=lambda r: r[0] / r[1])
    return Evidence(
        14,
        (
            worst_error("stack_jacobian against torch's Jacobian (plain)", lib),
            upper(
                "$s_{\\max}(D\\Psi)$ against $\\prod\\varepsilon_l$",
                m,
                b,
                slack=_slack(L, n, b),
                at=f"L = {L}, n = {n}",
            ),
            equal(
                "$s_{\\max}(D\\Psi)/\\prod\\varepsilon_l$ at $W_l = \\varepsilon_lQ_l$, $x = 0$ (attained)",
                ratio,
                1.0,
                _slack(L_at, n_at, 1.0),
                units="ratio",
                at=f"L = {L_at}, n = {n_at}",
                attains=True,
            ),
        ),
    )


CLAIMS = (
    Witness(
        "lem-att-residual-sv",
        perturbed_identity_singular_values,
        "singular values of Av, of products and of I + E stay in the proved intervals, whose "
        "ends are attained",
        strength="sharp",
    ),
    Witness(
        "thm-att-residual-stack",
        residual_stack_singular_values,
        "residual stacks: singular values in [prod(1-eps), prod(1+eps)], attained",
        strength="sharp",
    ),
    Witness(
        "cor-att-residual-depth",
        depth_scaled_stack,
        "residual stacks with sum(eps) = S < 1: singular values in [1 - S, e^S], both ends "
        "attained or approached",
        strength="sharp",
    ),
    Witness(
        "prop-att-plain-stack",
        plain_stack_singular_values,
        "plain stacks: the Jacobian's norm is at most prod(eps), attained at orthogonal weights",
        strength="sharp",
    ),
)
