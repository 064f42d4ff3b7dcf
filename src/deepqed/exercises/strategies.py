"""Hypothesis strategies shared by the exercise specifications.

Arrays are drawn with :func:`hypothesis.extra.numpy.arrays`, so a failing input shrinks to few
rows and simple values (zeros, small integers) while the search still reaches the edges of the
range (large magnitudes, where unstable formulas overflow).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

__all__ = ["DTYPES", "dtypes", "sizes", "floats", "float_arrays", "one_hot", "Named"]

DTYPES = (np.float64, np.float32)


def dtypes() -> st.SearchStrategy[Any]:
    """float64 (shrinks to it) or float32."""
    return st.sampled_from(DTYPES).map(np.dtype)


def sizes(lo: int = 1, hi: int = 5) -> st.SearchStrategy[int]:
    """A dimension size; shrinks towards ``lo`` (batch size 1, a single unit)."""
    return st.integers(lo, hi)


def floats(dtype: Any, bound: float) -> st.SearchStrategy[float]:
    """Finite floats of ``dtype`` in ``[-bound, bound]``, bounds and zero included."""
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(
        -bound, bound, allow_nan=False, allow_infinity=False, width=width, allow_subnormal=False
    )


def float_arrays(dtype: Any, shape: tuple[int, ...], bound: float = 10.0) -> st.SearchStrategy[Any]:
    """Arrays of ``dtype`` and ``shape`` with finite entries in ``[-bound, bound]``."""
    return hnp.arrays(np.dtype(dtype), shape, elements=floats(dtype, bound))


def one_hot(dtype: Any, m: int, K: int) -> st.SearchStrategy[Any]:
    """``Y`` of shape ``(m, K)``: each row one-hot (one 1, the rest 0)."""

    def build(labels: list[int]) -> Any:
        Y = np.zeros((m, K), dtype=dtype)
        Y[np.arange(m), labels] = 1
        return Y

    return st.lists(st.integers(0, K - 1), min_size=m, max_size=m).map(build)


class Named:
    """A function argument with a readable ``repr`` (printed in counterexamples).

    ``source`` is a Python expression for the function in terms of ``np`` (``"np.sin"``,
    ``"lambda x: 3 * x"``): only its text is sent to the submission's process, which rebuilds
    it there.
    """

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.function = eval(source, {"np": np, "numpy": np})

    def __call__(self, x: Any) -> Any:
        return self.function(x)

    def __repr__(self) -> str:
        return self.text

    def __deepcopy__(self, memo: dict[int, Any]) -> Named:
        return self
