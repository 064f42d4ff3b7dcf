r"""Exercise ``ex-rnn-clip``: gradient clipping by global norm."""

import numpy as np
from hypothesis import strategies as st

from deepqed.exercises.spec import RUNS, Diagnosis, Implement, Property, Tolerance, Wrong, values
from deepqed.exercises.strategies import dtypes, float_arrays


def _norm(dW, db):
    """$(\\|dW\\|^2 + \\|db\\|^2)^{1/2}$ in float64, after dividing by the largest entry: no overflow
    (float32 entries of size 1e20 have squares beyond float32's range) and no underflow."""
    peak = max(float(np.max(np.abs(dW))), float(np.max(np.abs(db))))
    if peak == 0.0:
        return 0.0
    squares = np.sum((dW / peak).astype(np.float64) ** 2) + np.sum(
        (db / peak).astype(np.float64) ** 2
    )
    return peak * float(np.sqrt(squares))


def clip_global_norm(dW, db, tau):
    r"""$\operatorname{clip}_\tau(g) = \min(1, \tau/\|g\|)\,g$ for $g = (dW, db)$,
    $\|g\|^2 = \|dW\|^2 + \|db\|^2$ (Definition def-rnn-clipping); $g = 0$ is returned as is."""
    norm = _norm(dW, db)
    factor = 1.0 if norm <= tau else tau / norm
    return (dW * factor).astype(dW.dtype), (db * factor).astype(db.dtype)


@st.composite
def _arguments(draw):
    dtype = draw(dtypes())
    p, q = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    family = draw(st.sampled_from(("moderate", "huge", "tiny", "zero", "tie")))
    dW, db = draw(float_arrays(dtype, (p, q))), draw(float_arrays(dtype, (p,)))
    scale = {
        "moderate": draw(st.sampled_from((1e-3, 1.0, 10.0, 100.0))),
        "huge": 1e30 if dtype == np.float32 else 1e200,
        "tiny": 1e-30,
        "zero": 0.0,
        "tie": 1.0,
    }[family]
    dW, db = (dW * scale).astype(dtype), (db * scale).astype(dtype)
    tau = draw(st.sampled_from((0.5, 1.0, 5.0)))
    if family == "tie" and _norm(dW, db) > 0:
        tau = _norm(dW, db)  # ||g|| = tau: no clipping
    return {"dW": dW, "db": db, "tau": tau}


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


def _overflowing(dW, db, tau):
    """The squares summed in the arrays' own dtype: inf for float32 entries of size 1e20."""
    norm = np.sqrt(np.sum(dW**2) + np.sum(db**2))
    factor = 1.0 if norm <= tau else tau / norm
    return (dW * factor).astype(dW.dtype), (db * factor).astype(db.dtype)


def _python_division(dW, db, tau):
    """min(1, tau / norm) with norm a Python float: ZeroDivisionError for the zero gradient."""
    norm = float(np.sqrt(np.sum(dW.astype(np.float64) ** 2) + np.sum(db.astype(np.float64) ** 2)))
    factor = min(1.0, tau / norm)
    return (dW * factor).astype(dW.dtype), (db * factor).astype(db.dtype)


def _global_norm(kw, got):
    dWc, dbc = got
    return np.array([_norm(dWc, dbc)]), np.array([min(_norm(kw["dW"], kw["db"]), kw["tau"])])


EXERCISE = Implement(
    id="ex-rnn-clip",
    title="Clipping by global norm",
    function="clip_global_norm",
    parameters=("dW", "db", "tau"),
    docstring=r"""Clip the gradient g = (dW, db) to global norm at most tau (Definition def-rnn-clipping):
return min(1, tau / ||g||) * g, where ||g||^2 = ||dW||^2 + ||db||^2 (Frobenius / Euclidean).

Arguments:
    dW: shape (p, q).  db: shape (p,).  (float32 or float64, the same)
        Entries may be as large as 1e30 in float32 and 1e200 in float64, whose squares overflow:
        compute the norm without overflow. The gradient may be 0.
    tau: a positive float.

Returns:
    (dW_c, db_c): the clipped arrays, shapes and dtype of dW and db. The zero gradient stays zero,
    and a gradient with ||g|| <= tau is returned unchanged.
""",
    reference=clip_global_norm,
    arguments=_arguments(),
    outputs=("dW_c", "db_c"),
    tolerances={"float64": Tolerance(1e-10, 1e-12), "float32": Tolerance(1e-5, 1e-7)},
    properties=(Property("global norm", "||clip g|| = min(||g||, tau)", _global_norm),),
    hint=r"""One norm over both arrays together, and one factor min(1, tau / ||g||) for both: clipping each
array separately changes the direction of g. Squares of large entries overflow: divide by the
largest |entry| first (or use float64 and rescale). Guard the zero gradient.""",
    diagnoses=(
        Diagnosis(
            "dW_c",
            lambda kw: _separate(**kw)[0],
            "each array was clipped with its own norm; use one global norm for both",
        ),
        Diagnosis(
            "dW_c",
            lambda kw: _overflowing(**kw)[0],
            "the squares overflowed to inf (the norm became inf and the result 0): rescale first",
        ),
    ),
    wrong=(
        Wrong(_separate, "clips each array separately", values(0), "global norm"),
        Wrong(_always, "always rescales to norm tau", values(0), ""),
        Wrong(_squared, "uses ||g||^2 instead of ||g||", values(0), ""),
        Wrong(_overflowing, "norm in the input dtype (overflow)", values(0), "overflow"),
        Wrong(_python_division, "divides by a zero norm", RUNS, ""),
    ),
)
