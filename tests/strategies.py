"""Shared Hypothesis strategies: architectures, finite float arrays, dtypes, whole networks.

Imported by the tests as ``strategies`` (``tests/`` is on ``sys.path`` because ``tests/unit`` and
``tests/witnesses`` are packages whose parent has no ``__init__.py``).
"""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from deepqed import nn

ACTIVATION_NAMES = tuple(nn.ACTIVATIONS)
SMOOTH = ("identity", "sigmoid", "tanh", "softplus", "gelu")
DTYPES = (np.float32, np.float64)


def dtypes() -> st.SearchStrategy:
    return st.sampled_from(DTYPES)


def float_arrays(shape, dtype=np.float64, bound: float = 10.0) -> st.SearchStrategy:
    """Arrays of ``shape`` with finite entries in ``[-bound, bound]`` (no NaN, no infinity)."""
    return hnp.arrays(
        dtype,
        shape,
        elements=st.floats(-bound, bound, allow_nan=False, allow_infinity=False, width=32),
    )


def matrices(max_rows: int = 8, max_cols: int = 8, dtype=np.float64, bound: float = 10.0):
    return hnp.array_shapes(min_dims=2, max_dims=2, max_side=max(max_rows, max_cols)).flatmap(
        lambda s: float_arrays((min(s[0], max_rows), min(s[1], max_cols)), dtype, bound)
    )


@st.composite
def architectures(
    draw, max_depth: int = 4, max_width: int = 8, activations: tuple[str, ...] = ACTIVATION_NAMES
) -> nn.Architecture:
    L = draw(st.integers(1, max_depth))
    widths = tuple(draw(st.lists(st.integers(1, max_width), min_size=L + 1, max_size=L + 1)))
    acts = tuple(draw(st.lists(st.sampled_from(activations), min_size=L, max_size=L)))
    return nn.Architecture(widths, acts)


@st.composite
def networks(
    draw,
    max_depth: int = 4,
    max_width: int = 8,
    max_batch: int = 6,
    activations: tuple[str, ...] = ACTIVATION_NAMES,
    dtype=np.float64,
    target: str = "real",
):
    """``(arch, theta, X, Y)``: parameters drawn from a seeded generator (Gaussian weights and
    biases), inputs and targets from Hypothesis; ``target`` is "real", "onehot" or "simplex"."""
    arch = draw(architectures(max_depth, max_width, activations))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    theta = nn.init_parameters(arch, rng=rng)
    theta = nn.Parameters(theta.W, tuple(0.5 * rng.standard_normal(b.shape) for b in theta.b))
    theta = theta.map(lambda a: a.astype(dtype))
    m = draw(st.integers(1, max_batch))
    X = draw(float_arrays((m, arch.widths[0]), dtype, 3.0))
    n = arch.widths[-1]
    if target == "onehot":
        Y = np.eye(n, dtype=dtype)[draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m))]
    elif target == "simplex":
        Y = rng.dirichlet(np.ones(n), size=m).astype(dtype)
    else:
        Y = draw(float_arrays((m, n), dtype, 3.0))
    return arch, theta, X, Y
