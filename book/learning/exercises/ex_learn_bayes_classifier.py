r"""Exercise ``ex-learn-bayes-classifier``: the Bayes classifier of a one-dimensional Gaussian
mixture."""

import numpy as np
from hypothesis import assume
from hypothesis import strategies as st

from deepqed.exercises.spec import DTYPE, Diagnosis, Implement, Tolerance, Wrong, values
from deepqed.exercises.strategies import float_arrays


def bayes_classifier(x, priors, means, sds):
    r"""$f^*(x) = \operatorname{argmax}_y\bigl(\log\pi_y - \log s_y - (x - \mu_y)^2/(2s_y^2)\bigr)$,
    the smallest maximising label (Theorem thm-learn-bayes-classifier)."""
    G = np.log(priors) - np.log(sds) - 0.5 * ((x[:, None] - means) / sds) ** 2  # (n, K)
    return np.argmax(G, axis=1)


def _log_joint(x, priors, means, sds):
    return np.log(priors) - np.log(sds) - 0.5 * ((x[:, None] - means) / sds) ** 2


@st.composite
def _arguments(draw):
    K = draw(st.integers(2, 4))
    weights = draw(st.lists(st.integers(1, 9), min_size=K, max_size=K))
    gaps = draw(st.lists(st.integers(1, 6), min_size=K, max_size=K))
    means = -6.0 + np.cumsum(gaps).astype(np.float64)  # distinct integers in [-5, 18]
    sds = draw(st.lists(st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0]), min_size=K, max_size=K))
    n = draw(st.integers(1, 8))
    x = draw(float_arrays(np.float64, (n,), bound=1000.0))
    tie = draw(st.none() | st.tuples(st.integers(0, K - 2), st.integers(1, K - 1)))
    if tie is not None and tie[0] < tie[1]:
        # an exact tie between classes a < b: equal priors and sds, x at the midpoint of the
        # (integer) means, so that x - mu_a and mu_b - x are equal half-integers and every
        # formula gives the two classes bit-identical scores
        a, b = tie
        weights[b], sds[b] = weights[a], sds[a]
        x = np.concatenate((x, [(means[a] + means[b]) / 2]))
    priors = np.array(weights, dtype=np.float64) / sum(weights)
    sds = np.array(sds, dtype=np.float64)
    keep = _clear_or_exact(x, weights, means, sds, _log_joint(x, priors, means, sds))
    assume(keep.any())
    return {"x": x[keep], "priors": priors, "means": means, "sds": sds}


def _clear_or_exact(x, weights, means, sds, G):
    """Which inputs have one clear winner, or a tie that every correct formula rounds alike.

    Near the maximum (within 1e-7 relative) correct formulas may round two scores apart, so an
    input is kept only if a single class is near the maximum, or if every class near it has the
    same prior and sd and the same |x - mu_y|: then all their terms are bit-identical in any
    formula. A tie of the real scores between classes with different priors (log 0.2 - log 2 =
    log 0.1 - log 1) rounds differently in different formulas and is dropped."""
    near = G >= G.max(axis=1, keepdims=True) - 1e-7 * (1 + np.abs(G.max(axis=1, keepdims=True)))
    keep = np.empty(len(x), dtype=bool)
    for i, row in enumerate(near):
        (tied,) = np.nonzero(row)
        keep[i] = len({(weights[k], sds[k], abs(x[i] - means[k])) for k in tied}) == 1
    return keep


def _no_priors(x, priors, means, sds):
    return np.argmax(-np.log(sds) - 0.5 * ((x[:, None] - means) / sds) ** 2, axis=1)


def _no_log_sd(x, priors, means, sds):
    return np.argmax(np.log(priors) - 0.5 * ((x[:, None] - means) / sds) ** 2, axis=1)


def _densities(x, priors, means, sds):
    with np.errstate(under="ignore"):
        p = priors * np.exp(-0.5 * ((x[:, None] - means) / sds) ** 2) / (np.sqrt(2 * np.pi) * sds)
    return np.argmax(p, axis=1)


def _argmin(x, priors, means, sds):
    return np.argmin(_log_joint(x, priors, means, sds), axis=1)


def _last_maximum(x, priors, means, sds):
    """A loop keeping the last label of maximal score (>=): the largest label on ties."""
    G = _log_joint(x, priors, means, sds)
    best = np.zeros(len(x), dtype=np.int64)
    for k in range(1, G.shape[1]):
        best = np.where(G[:, k] >= G[np.arange(len(x)), best], k, best)
    return best


def _float_labels(x, priors, means, sds):
    return np.argmax(_log_joint(x, priors, means, sds), axis=1).astype(np.float64)


EXERCISE = Implement(
    id="ex-learn-bayes-classifier",
    title="The Bayes classifier of a Gaussian mixture",
    function="bayes_classifier",
    parameters=("x", "priors", "means", "sds"),
    docstring=r"""Bayes classifier of the mixture Pr(Y = y) = priors[y], X | Y = y ~ N(means[y], sds[y]^2)
(Theorem thm-learn-bayes-classifier): labels[i] = the y maximising Pr(Y = y | X = x[i]), the
smallest such y on ties.

Arguments:
    x: inputs, shape (n,), float64 (|x| up to 1000; some exactly where two classes tie).
    priors: shape (K,), positive, summing to 1.
    means: shape (K,).
    sds: shape (K,), positive.

Returns:
    labels, shape (n,), int64 (values 0, ..., K-1).
""",
    reference=bayes_classifier,
    arguments=_arguments(),
    outputs=("labels",),
    tolerances={"float64": Tolerance(0.0, 0.0), "int64": Tolerance(0.0, 0.0)},
    hint=r"""Pr(Y = y | X = x) = pi_y p_y(x) / p(x), and p(x) does not depend on y: maximise
log pi_y + log p_y(x) = log pi_y - log s_y - (x - mu_y)^2 / (2 s_y^2) + const. Work with logarithms:
far in the tails every density underflows to 0.""",
    diagnoses=(
        Diagnosis(
            "labels",
            lambda kw: _no_priors(**kw),
            "these are the labels of maximal likelihood p_y(x): the priors pi_y are missing",
        ),
        Diagnosis(
            "labels",
            lambda kw: _no_log_sd(**kw),
            "the normalising factor 1/s_y of the densities is missing (-log s_y in the log)",
        ),
        Diagnosis(
            "labels",
            lambda kw: _densities(**kw),
            "the densities underflow to 0 far from the means, and argmax of zeros is 0: "
            "compare logarithms",
        ),
    ),
    wrong=(
        Wrong(_no_priors, "ignores the priors", values(0), "priors"),
        Wrong(_no_log_sd, "forgets the 1/s_y normalisation", values(0), "1/s_y"),
        Wrong(_densities, "compares densities, which underflow", values(0), "underflow"),
        Wrong(_argmin, "argmin instead of argmax", values(0), "differs"),
        Wrong(_float_labels, "returns float labels", DTYPE, "int64"),
        Wrong(_last_maximum, "breaks ties towards the largest label", values(0), "differs"),
    ),
    max_examples=120,
)
