r"""Losses and empirical risks (Definitions `def-learn-problem` and `def-learn-erm`).

The squared loss of this chapter is $\ell(a, y) = (a - y)^2$ on $\mathbb R\times\mathbb R$ (without the
factor $\frac12$ of the batch objective of the feedforward chapter); the 0-1 loss is
$\ell(a, y) = \mathbf 1\{a\ne y\}$ on $\{0, \dots, K-1\}^2$ (labels coded $0, \dots, K-1$). The empirical risk of
a predictor $f$ on a sample $S = ((x_1, y_1), \dots, (x_n, y_n))$ is
$\hat{\mathcal R}_S(f) = \frac1n\sum_{i=1}^n\ell(f(x_i), y_i)$.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._validation import Array, Options, ShapeError, fail, validate

__all__ = ["squared_loss", "zero_one_loss", "empirical_risk"]


def _same_trailing(yhat: Any, y: Any) -> None:
    """``y`` must broadcast to the shape of ``yhat`` with the same last axis."""
    try:
        ok = np.broadcast_shapes(tuple(yhat.shape), tuple(y.shape)) == tuple(yhat.shape)
    except ValueError:
        ok = False
    if not ok or y.ndim == 0 or y.shape[-1] != yhat.shape[-1]:
        raise ShapeError(
            f"argument 'y' must broadcast to the shape {tuple(yhat.shape)} of 'yhat' "
            f"with the same last axis (one response per prediction), got shape "
            f"{tuple(y.shape)}"
        )


@validate(yhat=Array(ndim=(1, 2, 3), numpy=True), y=Array(ndim=(1, 2, 3), numpy=True))
def squared_loss(yhat: Any, y: Any) -> np.ndarray:
    r"""The squared loss $\ell(\hat y, y) = (\hat y - y)^2$, entrywise.

    Arguments:
        yhat: predictions, shape ``(..., n)`` (at most three axes), float32 or float64.
        y: responses, shape ``(n,)``, the shape of ``yhat``, or any shape broadcasting to it with
            last axis ``n``; the dtype of ``yhat``.

    Returns:
        array of the shape and dtype of ``yhat``.
    """
    _same_trailing(yhat, y)
    D = yhat - y
    return D * D


_LABELS = Array(ndim=(1, 2, 3), dtype="integer", numpy=True)


@validate(yhat=_LABELS, y=_LABELS)
def zero_one_loss(yhat: Any, y: Any) -> np.ndarray:
    r"""The 0-1 loss $\ell(\hat y, y) = \mathbf 1\{\hat y\ne y\}$, entrywise, as float64.

    Arguments:
        yhat: predicted labels, integer array of shape ``(..., n)`` (at most three axes).
        y: true labels, integer array of shape ``(n,)``, the shape of ``yhat``, or any shape
            broadcasting to it with last axis ``n``.
    """
    _same_trailing(yhat, y)
    return (yhat != y).astype(np.float64)


@validate(
    yhat=Array(ndim=(1, 2, 3), dtype="real", numpy=True),
    y=Array(ndim=(1, 2, 3), dtype="real", numpy=True),
    loss=Options("squared", "zero_one"),
)
def empirical_risk(yhat: Any, y: Any, *, loss: str = "squared") -> Any:
    r"""$\hat{\mathcal R}_S(f) = \frac1n\sum_{i=1}^n\ell(f(x_i), y_i)$ (Definition `def-learn-erm`).

    Arguments:
        yhat: $f(x_i)$, shape ``(..., n)``: the predictions of one predictor (``(n,)``) or of
            several (for example ``(M, n)`` for $M$ predictors, or ``(R, n)`` for $R$ fitted
            predictors); float32 or float64 for ``loss="squared"``, integer labels for
            ``loss="zero_one"``.
        y: $y_i$, shape ``(n,)`` (shared) or any shape broadcasting to that of ``yhat`` with the
            same last axis; the dtype kind of ``yhat``.
        loss: ``"squared"`` or ``"zero_one"``.

    Returns:
        the mean over the last axis: a scalar for ``yhat`` of shape ``(n,)``, otherwise shape
        ``(...)``; float dtype of ``yhat`` for the squared loss, float64 for the 0-1 loss.
    """
    want = "floating" if loss == "squared" else "integer"
    for name, a in (("yhat", yhat), ("y", y)):
        if (a.dtype.kind == "f") != (want == "floating"):
            fail(
                name,
                f"have {'dtype float32 or float64' if want == 'floating' else 'an integer dtype'}"
                f" for loss={loss!r}",
                f"dtype {a.dtype}",
                kind=TypeError,
            )
    if loss == "squared":
        if y.dtype != yhat.dtype:
            raise TypeError(
                f"arguments 'yhat' and 'y' have different dtypes ({yhat.dtype} and {y.dtype}); "
                "convert one of them explicitly"
            )
        _same_trailing(yhat, y)
        D = yhat - y
        return np.mean(D * D, axis=-1)
    _same_trailing(yhat, y)
    return np.mean((yhat != y).astype(np.float64), axis=-1)
