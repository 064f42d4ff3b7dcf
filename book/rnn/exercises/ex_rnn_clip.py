r"""Exercise ``ex-rnn-clip``: gradient clipping by global norm."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import Diagnosis, Implement, Property, Tolerance, Wrong
from deepqed.exercises.strategies import dtypes, float_arrays


def clip_global_norm(dW, db, tau):
    r"""$\operatorname{clip}_\tau(g) = \min(1, \tau/\|g\|)\,g$ for $g = (dW, db)$,
    $\|g\|^2 = \|dW\|^2 + \|db\|^2$ (Definition def-rnn-clipping); $g = 0$ is returned as is."""
    norm = np.sqrt(np.sum(dW.astype(np.float64) ** 2) + np.sum(db.astype(np.float64) ** 2))
    factor = 1.0 if norm <= tau else tau / norm
    return (dW * factor).astype(dW.dtype), (db * factor).astype(db.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    p, q = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    scale = draw(st.sampled_from((1e-3, 1.0, 10.0, 100.0)))
    return {
        "dW": (draw(float_arrays(dtype, (p, q))) * scale).astype(dtype),
        "db": (draw(float_arrays(dtype, (p,))) * scale).astype(dtype),
        "tau": draw(st.sampled_from((0.5, 1.0, 5.0))),
    }


def _separate(dW, db, tau):
    out = []
    for g in (dW, db):
        n = np.sqrt(np.sum(g.astype(np.float64) ** 2))
        out.append((g * (1.0 if n <= tau else tau / n)).astype(g.dtype))
    return tuple(out)


def _always(dW, db, tau):
    norm = np.sqrt(np.sum(dW.astype(np.float64) ** 2) + np.sum(db.astype(np.float64) ** 2))
    return (dW * tau / norm).astype(dW.dtype), (db * tau / norm).astype(db.dtype)


def _squared(dW, db, tau):
    norm2 = np.sum(dW.astype(np.float64) ** 2) + np.sum(db.astype(np.float64) ** 2)
    factor = 1.0 if norm2 <= tau else tau / norm2
    return (dW * factor).astype(dW.dtype), (db * factor).astype(db.dtype)


def _global_norm(kw, got):
    dWc, dbc = got
    norm = float(np.sqrt(np.sum(dWc.astype(np.float64) ** 2) + np.sum(dbc.astype(np.float64) ** 2)))
    g = float(
        np.sqrt(np.sum(kw["dW"].astype(np.float64) ** 2) + np.sum(kw["db"].astype(np.float64) ** 2))
    )
    return np.array([norm]), np.array([min(g, kw["tau"])])


EXERCISE = Implement(
    id="ex-rnn-clip",
    title="Clipping by global norm",
    function="clip_global_norm",
    parameters=("dW", "db", "tau"),
    docstring=r"""Clip the gradient g = (dW, db) to global norm at most tau (Definition def-rnn-clipping):
return min(1, tau / ||g||) * g, where ||g||^2 = ||dW||^2 + ||db||^2 (Frobenius / Euclidean).

Arguments:
    dW: shape (p, q).  db: shape (p,).  (float32 or float64, the same)
    tau: a positive float.

Returns:
    (dW_c, db_c): the clipped arrays, shapes and dtype of dW and db. The zero gradient stays zero.
""",
    reference=clip_global_norm,
    arguments=_arguments(),
    outputs=("dW_c", "db_c"),
    tolerances={"float64": Tolerance(1e-10, 1e-12), "float32": Tolerance(1e-5, 1e-7)},
    properties=(Property("global norm", "||clip g|| = min(||g||, tau)", _global_norm),),
    hint=r"""One norm over both arrays together, and one factor min(1, tau / ||g||) for both: clipping each
array separately changes the direction of g.""",
    diagnoses=(
        Diagnosis(
            "dW_c",
            lambda kw: _separate(**kw)[0],
            "each array was clipped with its own norm; use one global norm for both",
        ),
    ),
    wrong=(
        Wrong(_separate, "clips each array separately", "values of dW_c", "global norm"),
        Wrong(_always, "always rescales to norm tau", "values of dW_c", ""),
        Wrong(_squared, "uses ||g||^2 instead of ||g||", "values of dW_c", ""),
    ),
)
