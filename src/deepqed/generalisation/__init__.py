r"""Generalisation bounds (the chapter *Generalisation*, ``book/generalisation``).

Modules: :mod:`.rademacher` (exact Rademacher complexities by enumeration: finite sets, the linear
class, thresholds, two-layer networks of bounded path norm), :mod:`.bounds` (the right-hand sides
of the chapter's inequalities), :mod:`.vc` (shattering, certified counts of dichotomies),
:mod:`.margin` (spectral norms and Lipschitz constants), :mod:`.double_descent` (the exact risk of
minimum-norm least squares).
"""

from .bounds import (
    ball_covering_bound,
    cover_count,
    dudley_bound,
    empirical_rademacher_bound,
    margin_bound,
    mcdiarmid_bound,
    rademacher_bound,
    ramp_loss,
    sauer_bound,
    threshold_covering_number,
    two_layer_lipschitz,
    vc_rademacher_bound,
)
from .double_descent import min_norm_risk, min_norm_risk_limit
from .margin import spectral_complexity, spectral_lipschitz_bound
from .rademacher import (
    linear_class_bounds,
    linear_class_complexity,
    massart_bound,
    path_norm_bound,
    path_norm_complexity,
    rademacher_complexity,
    sign_vectors,
    threshold_rademacher,
)
from .vc import count_dichotomies, is_separable, restrictions, shattered_count

__all__ = [
    "sign_vectors",
    "rademacher_complexity",
    "massart_bound",
    "linear_class_complexity",
    "linear_class_bounds",
    "threshold_rademacher",
    "path_norm_complexity",
    "path_norm_bound",
    "mcdiarmid_bound",
    "rademacher_bound",
    "empirical_rademacher_bound",
    "margin_bound",
    "ramp_loss",
    "sauer_bound",
    "cover_count",
    "vc_rademacher_bound",
    "ball_covering_bound",
    "two_layer_lipschitz",
    "threshold_covering_number",
    "dudley_bound",
    "restrictions",
    "shattered_count",
    "is_separable",
    "count_dichotomies",
    "spectral_lipschitz_bound",
    "spectral_complexity",
    "min_norm_risk",
    "min_norm_risk_limit",
]
