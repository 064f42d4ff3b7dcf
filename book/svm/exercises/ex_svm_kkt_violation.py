r"""Exercise ``ex-svm-kkt-violation``: the maximal KKT violation of a dual point."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed.exercises.spec import Diagnosis, Implement, Tolerance, Wrong, values


def kkt_violation(alpha, y, K, C):
    r"""$\operatorname{viol}(\alpha) = (\max_{I_{\mathrm{up}}}s_t - \min_{I_{\mathrm{low}}}s_t)_+$,
    $s = -y\odot G$, $G = y\odot K(\alpha\odot y) - \mathbf 1$ (Definition def-svm-kkt-violation)."""
    G = y * (K @ (alpha * y)) - 1.0
    s = -y * G
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    if not np.any(up) or not np.any(low):
        return np.asarray(0.0)
    return np.asarray(max(np.max(s[up]) - np.min(s[low]), 0.0))


@st.composite
def _arguments(draw):
    """A feasible alpha (y^T alpha = 0 up to rounding, entries at 0 and C occur) and K = B B^T."""
    m, d = draw(st.integers(2, 7)), draw(st.integers(1, 4))
    C = draw(st.sampled_from([0.5, 1.0, 3.0]))
    labels = draw(st.lists(st.sampled_from([-1.0, 1.0]), min_size=m, max_size=m))
    labels[0], labels[1] = 1.0, -1.0
    y = np.array(labels)
    kinds = draw(st.lists(st.sampled_from(["zero", "C", "free"]), min_size=m, max_size=m))
    fractions = draw(hnp.arrays(np.float64, (m,), elements=st.floats(0.05, 0.95)))
    alpha = np.array(
        [0.0 if k == "zero" else C if k == "C" else f * C for k, f in zip(kinds, fractions)]
    )
    pos, neg = alpha[y > 0].sum(), alpha[y < 0].sum()
    if pos > neg:  # scale the heavier class down to balance y^T alpha
        alpha[y > 0] *= neg / pos
    elif neg > 0:
        alpha[y < 0] *= pos / neg
    B = draw(hnp.arrays(np.float64, (m, d), elements=st.floats(-2, 2)))
    return {"alpha": alpha, "y": y, "K": B @ B.T, "C": C}


def _swapped_sets(alpha, y, K, C):
    s = y - K @ (alpha * y)
    low = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    up = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    return np.asarray(max(np.max(s[up]) - np.min(s[low]), 0.0))


def _unclipped(alpha, y, K, C):
    s = y - K @ (alpha * y)
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    return np.asarray(np.max(s[up]) - np.min(s[low]))


def _no_box(alpha, y, K, C):
    s = y - K @ (alpha * y)
    return np.asarray(max(np.max(s) - np.min(s), 0.0))


def _gradient_not_s(alpha, y, K, C):
    G = y * (K @ (alpha * y)) - 1.0
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    return np.asarray(max(np.max(G[up]) - np.min(G[low]), 0.0))


def _product_without_y(alpha, y, K, C):
    s = y - K @ alpha  # K alpha instead of K (alpha * y)
    up = ((y > 0) & (alpha < C)) | ((y < 0) & (alpha > 0))
    low = ((y < 0) & (alpha < C)) | ((y > 0) & (alpha > 0))
    return np.asarray(max(np.max(s[up]) - np.min(s[low]), 0.0))


EXERCISE = Implement(
    id="ex-svm-kkt-violation",
    title="The maximal KKT violation",
    function="kkt_violation",
    parameters=("alpha", "y", "K", "C"),
    docstring=r"""The maximal KKT violation viol(alpha) of Definition def-svm-kkt-violation:
G = y * (K @ (alpha * y)) - 1, s_t = -y_t G_t,
I_up = {t: alpha_t < C, y_t = 1} U {t: alpha_t > 0, y_t = -1},
I_low = {t: alpha_t < C, y_t = -1} U {t: alpha_t > 0, y_t = 1},
viol = max(max_{I_up} s - min_{I_low} s, 0)  (0 if a set is empty).

Arguments:
    alpha: a feasible dual point, shape (m,), float64: 0 <= alpha <= C, y^T alpha = 0.
    y: labels in {-1, +1}, shape (m,), float64.
    K: symmetric positive semi-definite Gram matrix, shape (m, m), float64.
    C: a positive Python float.

Returns:
    viol: shape () (use np.asarray), float64.
""",
    reference=kkt_violation,
    arguments=_arguments(),
    outputs=("viol",),
    tolerances={"float64": Tolerance(1e-10, 1e-10)},
    hint=r"""I_up holds the t whose alpha_t may move by +y_t (up for y_t = 1, down for y_t = -1)
without leaving [0, C]; I_low those that may move by -y_t. Compare s = -y * G, not G.""",
    diagnoses=(
        Diagnosis(
            "viol",
            lambda kw: _swapped_sets(kw["alpha"], kw["y"], kw["K"], kw["C"]),
            "I_up and I_low are exchanged",
        ),
        Diagnosis(
            "viol",
            lambda kw: _unclipped(kw["alpha"], kw["y"], kw["K"], kw["C"]),
            "the difference was not clipped at 0: viol = max(beta_up - beta_low, 0)",
        ),
        Diagnosis(
            "viol",
            lambda kw: _no_box(kw["alpha"], kw["y"], kw["K"], kw["C"]),
            "the maximum and minimum were taken over all t, ignoring the box constraints",
        ),
        Diagnosis(
            "viol",
            lambda kw: _gradient_not_s(kw["alpha"], kw["y"], kw["K"], kw["C"]),
            "G was compared instead of s = -y * G",
        ),
        Diagnosis(
            "viol",
            lambda kw: _product_without_y(kw["alpha"], kw["y"], kw["K"], kw["C"]),
            "the product is K (alpha * y), with the labels: G = y * (K @ (alpha * y)) - 1",
        ),
    ),
    wrong=(
        Wrong(_swapped_sets, "exchanges I_up and I_low", values(0), "exchanged"),
        Wrong(_unclipped, "returns a negative number at optimal points", values(0), "clipped"),
        Wrong(_no_box, "ignores the bounds", values(0), "box constraints"),
        Wrong(_gradient_not_s, "compares G instead of -y G", values(0)),
        Wrong(_product_without_y, "K alpha instead of K (alpha * y)", values(0), "labels"),
    ),
)
