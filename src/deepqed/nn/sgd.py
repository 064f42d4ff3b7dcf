r"""The gradient step $\theta \leftarrow \theta - \eta\,\nabla_\theta\mathcal L$ on a
:class:`~deepqed.nn.Parameters` container: the update of the training loops of the chapter
*Feedforward networks and backpropagation*, with the gradient of :func:`loss_and_gradient`.

By default the step builds a new container and touches neither argument. Two options let a
training loop avoid the new arrays, each of which costs page faults as it is first written (on
NumPy, one per layer and step): ``out`` writes the result into existing arrays (``out=theta``:
the step in place, as PyTorch's ``p.sub_(p.grad, alpha=eta)``), and ``overwrite_grad`` lets the
step use the gradient's arrays as scratch (as SciPy's ``overwrite_a``). Every form gives the same
numbers: $\mathrm{fl}(w - \mathrm{fl}(\eta\,\mathrm dw))$ entrywise on NumPy, the result of
one kernel (``torch.add`` with ``alpha``, which may fuse the product and the sum) on torch.
"""

from __future__ import annotations

from typing import Any

import array_api_compat
import numpy as np

from .._validation import Boolean, Instance, Optional, Real, fail, validate
from .mlp import Parameters, _unchecked, check_like

__all__ = ["sgd_step"]


@validate(
    theta=Instance(Parameters),
    grad=Instance(Parameters),
    eta=Real(0.0, None, closed="neither"),
    out=Optional(Instance(Parameters)),
    overwrite_grad=Boolean(),
)
def sgd_step(
    theta: Parameters,
    grad: Parameters,
    eta: float,
    *,
    out: Parameters | None = None,
    overwrite_grad: bool = False,
) -> Parameters:
    r"""One gradient step $\theta \leftarrow \theta - \eta\,\nabla_\theta\mathcal L$.

    Arguments:
        theta: the parameters.
        grad: $\nabla_\theta\mathcal L$ with ``theta``'s shapes, namespace and dtype (for example
            from :func:`loss_and_gradient`); NaN and infinities are passed through.
        eta: the step size $\eta > 0$, a finite real number that ``theta``'s dtype can hold.
        out: ``None`` (the default) for a new container, or a :class:`Parameters` with
            ``theta``'s shapes, namespace and dtype whose arrays receive the result, for example
            ``out=theta`` for the step in place.
        overwrite_grad: allow the step to overwrite ``grad``'s arrays (their contents are then
            unspecified; without ``out`` the new container may hold them). Used on NumPy, where
            it saves the temporary $\eta\,\mathrm dw$; elsewhere ``grad`` is left as it was.

    Returns:
        $\theta - \eta\,\nabla_\theta\mathcal L$: a new container, or ``out``; the same numbers
        either way.

    Raises:
        ValueError: an array that would be written (of ``out``, and of ``grad`` with
            ``overwrite_grad``) is read-only, may overlap itself, or spans bytes that another
            array of the call spans too (other than ``out[k]`` being ``theta[k]`` itself): it
            could be overwritten before being read. ``eta`` is larger than ``theta``'s dtype
            can hold.
    """
    xp = check_like("grad", grad, theta)
    largest = float(xp.finfo(theta.W[0].dtype).max)
    if eta > largest:  # eta itself would round to infinity
        fail("eta", f"be at most the largest {theta.W[0].dtype} ({largest:.4g})", f"{eta:.4g}")
    if out is not None and out is not theta:
        check_like("out", out, theta)
    numpy = type(theta.W[0]) is np.ndarray
    overwrite = overwrite_grad and numpy
    if out is None and not overwrite:
        return _unchecked(
            Parameters,
            W=tuple(_step(W, dW, eta) for W, dW in zip(theta.W, grad.W)),
            b=tuple(_step(b, db, eta) for b, db in zip(theta.b, grad.b)),
        )
    written = [("grad", grad.arrays())] if overwrite else []
    if out is not None:
        written.append(("out", out.arrays()))
    read = [] if out is theta else [("theta", theta.arrays())]
    read += [] if overwrite else [("grad", grad.arrays())]
    _check_writes(written, read)
    if out is None:  # overwrite: the new arrays are grad's, -eta dw + w in place
        new = [_step_over(dw, w, eta) for w, dw in zip(theta.arrays(), grad.arrays())]
        return _unchecked(Parameters, W=tuple(new[0::2]), b=tuple(new[1::2]))
    for o, w, dw in zip(out.arrays(), theta.arrays(), grad.arrays()):
        _step_into(o, w, dw, eta, overwrite)
    return out


def _step(w: Any, dw: Any, eta: float) -> Any:
    r"""$w - \eta\,\nabla w$ as a new array (``w``, ``dw``: same shape, namespace and dtype).

    Written as ``(-eta) dw``, then ``+= w`` in place on that fresh array: one allocation instead
    of two. PyTorch has the fused ``torch.add(w, dw, alpha=-eta)``: one allocation and one pass.
    """
    if array_api_compat.is_torch_array(w):
        import torch  # (already loaded: w is a tensor)

        return torch.add(w, dw, alpha=-eta)  # w - eta dw, one pass
    new = dw * (-eta)  # -eta grad (a fresh array) ...
    new += w  # ... + theta
    return new


def _step_over(dw: np.ndarray, w: np.ndarray, eta: float) -> np.ndarray:
    r"""$w - \eta\,\mathrm dw$ written into ``dw`` (NumPy): :func:`_step` without a new array."""
    dw *= -eta
    dw += w
    return dw


def _step_into(o: Any, w: Any, dw: Any, eta: float, overwrite: bool) -> None:
    r"""$o \leftarrow w - \eta\,\mathrm dw$ in place (``o`` may be ``w``); ``overwrite``: ``dw``
    (NumPy) may serve as the scratch for $\eta\,\mathrm dw$."""
    if isinstance(o, np.ndarray):
        if o is not w:
            np.copyto(o, w)
        if overwrite:
            dw *= eta
            o -= dw
        else:
            o -= dw * eta  # one temporary, freed at once (the next layer's reuses its memory)
    elif array_api_compat.is_torch_array(o):
        import torch

        with torch.no_grad():  # (theta may be leaves that require grad)
            if o is w:
                o.add_(dw, alpha=-eta)  # the kernel of torch.add in _step: the same numbers
            else:
                torch.add(w, dw, alpha=-eta, out=o)
    else:
        o[...] = w - eta * dw


def _check_writes(written: list[tuple[str, list[Any]]], read: list[tuple[str, list[Any]]]) -> None:
    r"""Refuse a call whose written arrays (``(name, Parameters.arrays())`` pairs) are read-only,
    may overlap themselves (a stride 0, say), or may share memory with another array of the call:
    the arrays are written one after the other, so an overlap would overwrite entries before they
    are read. The one overlap allowed is ``out[k]`` being ``theta[k]`` itself (where ``out`` is
    ``theta``, ``read`` omits ``theta``).

    "May share memory" means that the byte ranges the two arrays span intersect, whatever object
    owns the memory (NumPy's ``may_share_memory``; disjoint but interleaved views are refused
    too). Libraries of the array API other than NumPy and torch expose no memory: there an array
    is refused where it *is* another argument's.
    """
    entries = [(name, k, a, True) for name, arrays in written for k, a in enumerate(arrays)]
    entries += [(name, k, a, False) for name, arrays in read for k, a in enumerate(arrays)]
    for name, k, a, is_written in entries:
        if is_written and isinstance(a, np.ndarray) and not a.flags.writeable:
            fail(f"{name}[{k}]", "be a writeable array", "a read-only array")
        if is_written and _may_overlap_itself(a):
            fail(f"{name}[{k}]", "hold each entry in memory of its own", "overlapping strides")
    first = entries[0][2]
    if isinstance(first, np.ndarray):
        spans = [_numpy_span(a) for _, _, a, _ in entries]
    elif array_api_compat.is_torch_array(first):
        spans = [_torch_span(a) for _, _, a, _ in entries]
    else:  # identity only: an identical array is an interval of its own id
        spans = [(id(a), id(a) + 1) for _, _, a, _ in entries]
    order = sorted(range(len(entries)), key=lambda i: spans[i][0])
    clashes = []  # (written entry, other entry), entries in argument order
    for p, i in enumerate(order):
        for j in order[p + 1 :]:
            if spans[j][0] >= spans[i][1]:
                break  # sorted by start: no later interval meets entry i
            (ni, ki, ai, wi), (nj, kj, aj, wj) = entries[i], entries[j]
            if not (wi or wj) or (ai is aj and {ni, nj} == {"out", "theta"} and ki == kj):
                continue  # two arrays only read, or out[k] is theta[k]: the step in place
            clashes.append(tuple(sorted((i, j))) if wi == wj else ((i, j) if wi else (j, i)))
    if clashes:  # the first in argument order, whatever the addresses
        i, j = min(clashes)
        (n1, k1, _, _), (n2, k2, _, _) = entries[i], entries[j]
        fail(f"{n1}[{k1}]", f"not share memory with {n2}[{k2}]", "one that may")


def _may_overlap_itself(a: Any) -> bool:
    """Whether two entries of ``a`` may lie at one address: the strides, sorted by size, do not
    each step over all that the smaller ones span (a sufficient test of no overlap, which every
    contiguous array and every slice or transpose of one passes)."""
    if isinstance(a, np.ndarray):
        if a.flags.c_contiguous or a.flags.f_contiguous:
            return False
        strides, unit = a.strides, a.itemsize
    elif array_api_compat.is_torch_array(a):
        if a.is_contiguous():
            return False
        strides, unit = a.stride(), 1
    else:
        return False  # (no memory to inspect)
    span = unit
    for stride, n in sorted((abs(st), n) for n, st in zip(a.shape, strides) if n > 1):
        if stride < span:
            return True
        span += (n - 1) * stride
    return False


def _numpy_span(a: np.ndarray) -> tuple[int, int]:
    """The bytes ``[start, end)`` a (non-empty) NumPy array spans in memory."""
    start = end = a.__array_interface__["data"][0]
    for n, st in zip(a.shape, a.strides):
        if st < 0:
            start += (n - 1) * st
        else:
            end += (n - 1) * st
    return start, end + a.itemsize


def _torch_span(t: Any) -> tuple[int, int]:
    """The bytes ``[start, end)`` a (non-empty) torch tensor spans in memory (torch's strides are
    not negative)."""
    extent = 1 + sum((n - 1) * st for n, st in zip(t.shape, t.stride()))
    return t.data_ptr(), t.data_ptr() + extent * t.element_size()
