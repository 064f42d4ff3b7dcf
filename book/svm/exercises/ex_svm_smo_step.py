r"""Exercise ``ex-svm-smo-step``: the clipped two-variable update of SMO."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises.spec import (
    INPUTS_UNCHANGED,
    Diagnosis,
    Implement,
    Property,
    Tolerance,
    Wrong,
    values,
)


def smo_step(alpha, y, K, C, i, j):
    r"""Minimise $f(\alpha) = \frac12(\alpha\odot y)^\top K(\alpha\odot y) - \mathbf 1^\top\alpha$ over
    $\alpha + tu$, $u = y_ie_i - y_je_j$, $t\in[t_{\min}, t_{\max}]$: $t^\star = \operatorname{clip}(-g/a)$,
    $g = y_iG_i - y_jG_j$, $a = K_{ii} + K_{jj} - 2K_{ij} > 0$ (Theorem thm-svm-two-variable)."""
    G = y * (K @ (alpha * y)) - 1.0
    g = y[i] * G[i] - y[j] * G[j]
    a = K[i, i] + K[j, j] - 2.0 * K[i, j]
    # 0 <= alpha_i + y_i t <= C and 0 <= alpha_j - y_j t <= C
    lo_i, hi_i = (-alpha[i], C - alpha[i]) if y[i] > 0 else (alpha[i] - C, alpha[i])
    lo_j, hi_j = (alpha[j] - C, alpha[j]) if y[j] > 0 else (-alpha[j], C - alpha[j])
    t = min(max(-g / a, lo_i, lo_j), hi_i, hi_j)
    new = alpha.copy()
    new[i] += y[i] * t
    new[j] -= y[j] * t
    return np.clip(new, 0.0, C)


@st.composite
def _arguments(draw):
    """A feasible alpha and K = B B^T + I/2 (so that a > 0 for every pair)."""
    m, d = draw(st.integers(2, 6)), draw(st.integers(1, 3))
    C = draw(st.sampled_from([0.5, 1.0, 4.0]))
    labels = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m))
    labels[0], labels[1] = 1.0, -1.0
    y = np.array(labels)
    kinds = draw(st.lists(st.sampled_from(["zero", "C", "free"]), min_size=m, max_size=m))
    fractions = draw(hnp.arrays(np.float64, (m,), elements=st.floats(0.05, 0.95)))
    alpha = np.array(
        [0.0 if k == "zero" else C if k == "C" else f * C for k, f in zip(kinds, fractions)]
    )
    pos, neg = alpha[y > 0].sum(), alpha[y < 0].sum()
    if pos > neg:
        alpha[y > 0] *= neg / pos
    elif neg > 0:
        alpha[y < 0] *= pos / neg
    B = draw(hnp.arrays(np.float64, (m, d), elements=st.floats(-2, 2)))
    i = draw(st.integers(0, m - 1))
    j = draw(st.integers(0, m - 2))
    j = j + 1 if j >= i else j
    return {"alpha": alpha, "y": y, "K": B @ B.T + 0.5 * np.eye(m), "C": C, "i": i, "j": j}


def _unclipped(alpha, y, K, C, i, j):
    G = y * (K @ (alpha * y)) - 1.0
    t = -(y[i] * G[i] - y[j] * G[j]) / (K[i, i] + K[j, j] - 2 * K[i, j])
    new = alpha.copy()
    new[i] += y[i] * t
    new[j] -= y[j] * t
    return new


def _clip_each(alpha, y, K, C, i, j):
    return np.clip(_unclipped(alpha, y, K, C, i, j), 0.0, C)


def _wrong_sign(alpha, y, K, C, i, j):
    G = y * (K @ (alpha * y)) - 1.0
    g = y[i] * G[i] - y[j] * G[j]
    a = K[i, i] + K[j, j] - 2.0 * K[i, j]
    lo_i, hi_i = (-alpha[i], C - alpha[i]) if y[i] > 0 else (alpha[i] - C, alpha[i])
    lo_j, hi_j = (alpha[j] - C, alpha[j]) if y[j] > 0 else (-alpha[j], C - alpha[j])
    t = min(max(g / a, lo_i, lo_j), hi_i, hi_j)
    new = alpha.copy()
    new[i] += y[i] * t
    new[j] -= y[j] * t
    return np.clip(new, 0.0, C)


def _curvature_sign(alpha, y, K, C, i, j):
    G = y * (K @ (alpha * y)) - 1.0
    g = y[i] * G[i] - y[j] * G[j]
    a = K[i, i] + K[j, j] + 2.0 * K[i, j]  # + 2 K_ij: the curvature of alpha_i + alpha_j
    lo_i, hi_i = (-alpha[i], C - alpha[i]) if y[i] > 0 else (alpha[i] - C, alpha[i])
    lo_j, hi_j = (alpha[j] - C, alpha[j]) if y[j] > 0 else (-alpha[j], C - alpha[j])
    t = min(max(-g / a, lo_i, lo_j), hi_i, hi_j)
    new = alpha.copy()
    new[i] += y[i] * t
    new[j] -= y[j] * t
    return np.clip(new, 0.0, C)


def _in_place(alpha, y, K, C, i, j):
    G = y * (K @ (alpha * y)) - 1.0
    g = y[i] * G[i] - y[j] * G[j]
    a = K[i, i] + K[j, j] - 2.0 * K[i, j]
    lo_i, hi_i = (-alpha[i], C - alpha[i]) if y[i] > 0 else (alpha[i] - C, alpha[i])
    lo_j, hi_j = (alpha[j] - C, alpha[j]) if y[j] > 0 else (-alpha[j], C - alpha[j])
    t = min(max(-g / a, lo_i, lo_j), hi_i, hi_j)
    alpha[i] += y[i] * t  # modifies the caller's array
    alpha[j] -= y[j] * t
    return alpha


def _args(kw):
    return kw["alpha"], kw["y"], kw["K"], kw["C"], kw["i"], kw["j"]


def _f(alpha, y, K):
    v = alpha * y
    return 0.5 * v @ K @ v - np.sum(alpha)


EXERCISE = Implement(
    id="ex-svm-smo-step",
    title="The clipped two-variable step",
    function="smo_step",
    parameters=("alpha", "y", "K", "C", "i", "j"),
    docstring=r"""Minimise f(alpha) = 1/2 (alpha*y)^T K (alpha*y) - sum(alpha) over alpha_i, alpha_j, the
other coordinates fixed, subject to 0 <= alpha <= C and y^T alpha = 0 (Theorem thm-svm-two-variable).

Arguments:
    alpha: a feasible dual point, shape (m,), float64.
    y: labels in {-1, +1}, shape (m,), float64.
    K: symmetric positive definite Gram matrix, shape (m, m), float64.
    C: a positive Python float.
    i, j: distinct indices in range(m).

Returns:
    alpha_new: shape (m,), float64 (a new array; alpha must not be modified).
""",
    reference=smo_step,
    arguments=_arguments(),
    outputs=("alpha_new",),
    tolerances={"float64": Tolerance(1e-9, 1e-10)},
    properties=(
        Property(
            "stays on the hyperplane",
            "y^T alpha_new = y^T alpha",
            lambda kw, out: (kw["y"] @ out, kw["y"] @ kw["alpha"]),
        ),
        Property(
            "does not increase f",
            "min(f(alpha_new) - f(alpha), 0) = f(alpha_new) - f(alpha)",
            lambda kw, out: (
                min(_f(out, kw["y"], kw["K"]) - _f(kw["alpha"], kw["y"], kw["K"]), 0.0),
                _f(out, kw["y"], kw["K"]) - _f(kw["alpha"], kw["y"], kw["K"]),
            ),
        ),
    ),
    hint=r"""Parametrise the feasible pairs as alpha_i = alpha_i + y_i t, alpha_j = alpha_j - y_j t.
Then f = f(alpha) + g t + a t^2 / 2 with g = y_i G_i - y_j G_j, G = y * (K @ (alpha*y)) - 1, and
a = K_ii + K_jj - 2 K_ij. Clip t (not alpha_i and alpha_j separately) to the interval allowed by
both boxes.""",
    diagnoses=(
        Diagnosis(
            "alpha_new",
            lambda kw: _unclipped(*_args(kw)),
            "the Newton step -g/a was not clipped to the feasible segment",
        ),
        Diagnosis(
            "alpha_new",
            lambda kw: _clip_each(*_args(kw)),
            "alpha_i and alpha_j were clipped separately, which breaks y^T alpha = 0; "
            "clip the step t instead",
        ),
        Diagnosis(
            "alpha_new", lambda kw: _wrong_sign(*_args(kw)), "the step has the wrong sign: t = -g/a"
        ),
        Diagnosis(
            "alpha_new",
            lambda kw: _curvature_sign(*_args(kw)),
            "the curvature along u = y_i e_i - y_j e_j is a = K_ii + K_jj - 2 K_ij",
        ),
    ),
    wrong=(
        Wrong(_unclipped, "no clipping", values(0), "not clipped"),
        Wrong(_clip_each, "clips each coordinate separately", values(0), "separately"),
        Wrong(_wrong_sign, "t = +g/a", values(0), "wrong sign"),
        Wrong(_curvature_sign, "a = K_ii + K_jj + 2 K_ij", values(0), "curvature"),
        Wrong(_in_place, "updates alpha in place", INPUTS_UNCHANGED, "in place"),
    ),
)
