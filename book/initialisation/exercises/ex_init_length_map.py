r"""Exercise ``ex-init-length-map``: the fixed point of the tanh length map and chi_1."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Implement, Tolerance, Wrong, values


def _normal_rule():
    x, w = np.polynomial.legendre.leggauss(10)
    edges = np.linspace(-10.0, 10.0, 65)
    h = (edges[1:] - edges[:-1])[:, None]
    z = ((x[None, :] + 1) / 2 * h + edges[:-1, None]).ravel()
    wz = (w[None, :] / 2 * h).ravel() * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    return z, wz


def tanh_fixed_point(c_w, c_b):
    r"""$q^\ast$ by bisection of $V(q) - q$, $V(q) = c_b + c_w\mathbb E\tanh^2(\sqrt qZ)$ (composite
    Gauss–Legendre quadrature on $[-10, 10]$), and $\chi_1 = c_w\mathbb E\tanh'(\sqrt{q^\ast}Z)^2$
    (Proposition prop-init-length-map, Definition def-init-maps)."""
    z, w = _normal_rule()

    def V(q):
        return c_b + c_w * float(w @ np.tanh(np.sqrt(q) * z) ** 2)

    if c_b == 0 and c_w <= 1:
        q = 0.0
    else:
        lo, hi = (0.0, c_w + c_b) if c_b > 0 else (1e-12, c_w)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if V(mid) > mid else (lo, mid)
        q = (lo + hi) / 2
    return np.array([q, c_w * float(w @ (1 - np.tanh(np.sqrt(q) * z) ** 2) ** 2)])


@st.composite
def _arguments(draw):
    c_w = draw(st.sampled_from((0.5, 1.0, 1.5, 2.0, 2.5, 3.5)))
    c_b = draw(st.sampled_from((0.0, 0.01, 0.05, 0.3, 1.0)))
    return {"c_w": c_w, "c_b": c_b}


def _hermgauss_unscaled(c_w, c_b):
    x, w = np.polynomial.hermite.hermgauss(80)
    w = w / np.sqrt(np.pi)  # the weight exp(-x^2): E f(Z/sqrt 2) without the sqrt(2)

    def V(q):
        return c_b + c_w * float(w @ np.tanh(np.sqrt(q) * x) ** 2)

    if c_b == 0 and c_w <= 1:
        q = 0.0
    else:
        lo, hi = (0.0, c_w + c_b) if c_b > 0 else (1e-12, c_w)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if V(mid) > mid else (lo, mid)
        q = (lo + hi) / 2
    return np.array([q, c_w * float(w @ (1 - np.tanh(np.sqrt(q) * x) ** 2) ** 2)])


def _chi_with_tanh(c_w, c_b):
    x, w = np.polynomial.legendre.leggauss(10)
    edges = np.linspace(-10.0, 10.0, 65)
    h = (edges[1:] - edges[:-1])[:, None]
    z = ((x[None, :] + 1) / 2 * h + edges[:-1, None]).ravel()
    wz = (w[None, :] / 2 * h).ravel() * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)

    def V(q):
        return c_b + c_w * float(wz @ np.tanh(np.sqrt(q) * z) ** 2)

    if c_b == 0 and c_w <= 1:
        q = 0.0
    else:
        lo, hi = (0.0, c_w + c_b) if c_b > 0 else (1e-12, c_w)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if V(mid) > mid else (lo, mid)
        q = (lo + hi) / 2
    return np.array([q, c_w * float(wz @ np.tanh(np.sqrt(q) * z) ** 2)])


def _no_bias(c_w, c_b):
    x, w = np.polynomial.legendre.leggauss(10)
    edges = np.linspace(-10.0, 10.0, 65)
    h = (edges[1:] - edges[:-1])[:, None]
    z = ((x[None, :] + 1) / 2 * h + edges[:-1, None]).ravel()
    wz = (w[None, :] / 2 * h).ravel() * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)

    def V(q):
        return c_w * float(wz @ np.tanh(np.sqrt(q) * z) ** 2)

    if c_w <= 1:
        q = 0.0
    else:
        lo, hi = 1e-12, c_w
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if V(mid) > mid else (lo, mid)
        q = (lo + hi) / 2
    return np.array([q, c_w * float(wz @ (1 - np.tanh(np.sqrt(q) * z) ** 2) ** 2)])


EXERCISE = Implement(
    id="ex-init-length-map",
    title="The fixed point of the length map and chi_1",
    function="tanh_fixed_point",
    parameters=("c_w", "c_b"),
    docstring=r"""For tanh networks with weight gain c_w > 0 and bias variance c_b >= 0: the fixed point q*
of the length map V(q) = c_b + c_w E tanh(sqrt(q) Z)^2, Z ~ N(0, 1) (Proposition
prop-init-length-map; q* = 0 when c_b = 0 and c_w <= 1), and chi_1 = c_w E tanh'(sqrt(q*) Z)^2
(Definition def-init-maps).

Arguments:
    c_w: a float in (0, 4]; c_b: a float in [0, 1].

Returns:
    np.array([q_star, chi_1]), shape (2,), float64, accurate to about 1e-7 relative.
""",
    reference=tanh_fixed_point,
    arguments=_arguments(),
    outputs=("q_chi",),
    tolerances={"float64": Tolerance(1e-7, 1e-9)},
    hint=r"""V is increasing and concave (Proposition prop-init-length-map), so V(q) - q changes sign once
on (0, infinity): bisect. For the Gaussian expectation, either a fine quadrature on [-10, 10] or
numpy's hermgauss with nodes sqrt(2) x_i and weights w_i / sqrt(pi).""",
    wrong=(
        Wrong(
            _hermgauss_unscaled,
            "hermgauss nodes without the factor sqrt(2)",
            values(0),
            "",
        ),
        Wrong(_chi_with_tanh, "chi_1 with tanh instead of tanh'", values(0), ""),
        Wrong(_no_bias, "ignores c_b", values(0), ""),
    ),
    max_examples=40,
)
