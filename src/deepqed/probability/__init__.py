r"""Finite probability spaces, Hoeffding's inequality and tail simulation (book/preliminaries).

Modules: :mod:`.conditional` (conditional expectation on a finite probability space, the
:math:`L^2` inner product), :mod:`.hoeffding` (Hoeffding's lemma and inequality, sample sizes),
:mod:`.tails` (Monte Carlo tail frequencies with Clopper–Pearson confidence bounds).
"""

from .conditional import conditional_expectation, l2_inner
from .hoeffding import (
    hoeffding_bound,
    hoeffding_mgf_bound,
    hoeffding_sample_size,
    hoeffding_sum_bound,
)
from .tails import clopper_pearson, tail_frequency

__all__ = [
    "conditional_expectation",
    "l2_inner",
    "hoeffding_bound",
    "hoeffding_sum_bound",
    "hoeffding_mgf_bound",
    "hoeffding_sample_size",
    "clopper_pearson",
    "tail_frequency",
]
