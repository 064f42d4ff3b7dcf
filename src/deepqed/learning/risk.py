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

from .._validation import ShapeError, check_array

__all__ = ["squared_loss", "zero_one_loss", "empirical_risk", "check_labels"]


def check_labels(name: str, y: Any, *, ndim: int | None = None) -> np.ndarray:
    """Validate an array of class labels (a NumPy array of integers) and return it."""
    if not isinstance(y, np.ndarray):
        raise TypeError(
            f"argument {name!r} must be a numpy.ndarray of integer labels, "
            f"got {type(y).__module__}.{type(y).__qualname__}"
        )
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"argument {name!r} must have an integer dtype (class labels), got dtype {y.dtype}"
        )
    if ndim is not None and y.ndim != ndim:
        raise ShapeError(f"argument {name!r} must have {ndim} dimension(s), got shape {y.shape}")
    return y


def _same_trailing(yhat: Any, y: Any) -> None:
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


def squared_loss(yhat: Any, y: Any) -> np.ndarray:
    r"""The squared loss $\ell(\hat y, y) = (\hat y - y)^2$, entrywise.

    Arguments:
        yhat: predictions, shape ``(..., n)``, float32 or float64.
        y: responses, shape ``(n,)``, the shape of ``yhat``, or any shape broadcasting to it with
            last axis ``n``; same dtype.

    Returns:
        array of the shape and dtype of ``yhat``.
    """
    check_array("yhat", yhat, nonempty=True)
    check_array("y", y)
    if np.asarray(y).dtype != np.asarray(yhat).dtype:
        raise TypeError(
            f"arguments 'yhat' and 'y' have different dtypes ({yhat.dtype} and "
            f"{y.dtype}); convert one of them explicitly"
        )
    _same_trailing(yhat, y)
    D = yhat - y
    return D * D


def zero_one_loss(yhat: Any, y: Any) -> np.ndarray:
    r"""The 0-1 loss $\ell(\hat y, y) = \mathbf 1\{\hat y\ne y\}$, entrywise, as float64.

    Arguments:
        yhat: predicted labels, integer array of shape ``(..., n)``.
        y: true labels, integer array of shape ``(n,)`` or the shape of ``yhat``.
    """
    check_labels("yhat", yhat)
    check_labels("y", y)
    _same_trailing(yhat, y)
    return (yhat != y).astype(np.float64)


def empirical_risk(yhat: Any, y: Any, *, loss: str = "squared") -> Any:
    r"""$\hat{\mathcal R}_S(f) = \frac1n\sum_{i=1}^n\ell(f(x_i), y_i)$ (Definition `def-learn-erm`).

    Arguments:
        yhat: $f(x_i)$, shape ``(..., n)``: the predictions of one predictor (``(n,)``) or of
            several (for example ``(M, n)`` for $M$ predictors, or ``(R, n)`` for $R$ fitted
            predictors), float for ``loss="squared"``, integer labels for ``loss="zero_one"``.
        y: $y_i$, shape ``(n,)`` (shared) or the shape of ``yhat``.
        loss: ``"squared"`` or ``"zero_one"``.

    Returns:
        the mean over the last axis: a scalar for ``yhat`` of shape ``(n,)``, otherwise shape
        ``(...)``; float dtype of ``yhat`` for the squared loss, float64 for the 0-1 loss.
    """
    if loss == "squared":
        return np.mean(squared_loss(yhat, y), axis=-1)
    if loss == "zero_one":
        L = zero_one_loss(yhat, y)
        if L.ndim == 0 or L.shape[-1] == 0:
            raise ShapeError(
                "argument 'yhat' must have at least one prediction along its last "
                f"axis, got shape {yhat.shape}"
            )
        return np.mean(L, axis=-1)
    raise ValueError(f"argument 'loss' must be 'squared' or 'zero_one', got {loss!r}")
