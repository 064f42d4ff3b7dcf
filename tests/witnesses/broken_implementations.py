"""The test that every chapter's ``BROKEN`` list feeds: each deliberately broken implementation
(for a bound, its constant weakened) must make its witness fail, while the real one passes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest


def detects_broken(broken: Sequence[tuple[Callable[..., Any], dict, str]]) -> Callable[..., None]:
    """A test, parametrised over ``(witness, keyword arguments, bug)`` triples, for a chapter's
    test module to bind as ``test_witness_detects_broken_implementation``."""

    @pytest.mark.filterwarnings("ignore::RuntimeWarning")
    @pytest.mark.parametrize(
        "check,broken,bug", broken, ids=[f"{c.__name__}:{b}" for c, _, b in broken]
    )
    def test_witness_detects_broken_implementation(check, broken, bug):
        out = check(np.random.default_rng(0), **broken)
        assert not out.passed, f"{check.__name__} did not detect: {bug} ({out})"
        assert check(np.random.default_rng(0)).passed  # the real implementation passes

    return test_witness_detects_broken_implementation
