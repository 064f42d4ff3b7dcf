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
        eta: the step size $\eta > 0$, a finite real number.
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
            ``overwrite_grad``) is read-only or shares memory with another array of the call,
            other than ``out``'s being ``theta``'s own: it would be overwritten before being
            read.
    """
    check_like("grad", grad, theta)
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
    r"""Refuse a call whose written arrays (``(name, Parameters.arrays())`` pairs) are read-only or
    share memory with another array of the call. The arrays are written one after the other, so
    an overlap would overwrite entries before they are read. The one overlap allowed is
    ``out[k]`` being ``theta[k]`` itself (where ``out`` is ``theta``, ``read`` omits ``theta``).

    NumPy arrays can share memory only through a common base (the views NumPy records; memory
    shared through other buffer objects is not seen), and ``numpy.may_share_memory`` decides for
    those pairs; torch tensors on one storage are compared by the bytes they span. Other
    libraries of the array API expose no memory: there an array is refused where it *is* another.
    """
    first = written[0][1][0]
    if isinstance(first, np.ndarray):

        def key(a: Any) -> Any:
            while isinstance(a.base, np.ndarray):
                a = a.base
            return id(a.base if a.base is not None else a)

        def overlap(a: Any, b: Any) -> bool:
            return bool(np.may_share_memory(a, b))

    elif array_api_compat.is_torch_array(first):

        def key(a: Any) -> Any:
            return a.untyped_storage().data_ptr()

        def overlap(a: Any, b: Any) -> bool:  # the byte ranges the two tensors span
            (sa, ea), (sb, eb) = _span(a), _span(b)
            return sa < eb and sb < ea

    else:

        def key(a: Any) -> Any:
            return id(a)

        def overlap(a: Any, b: Any) -> bool:
            return True

    for name, arrays in written:
        for k, o in enumerate(arrays):
            if isinstance(o, np.ndarray) and not o.flags.writeable:
                fail(f"{name}[{k}]", "be a writeable array", "a read-only array")
    groups = written + read
    keys = {id(a): key(a) for _, arrays in groups for a in arrays}
    if len(set(keys.values())) == sum(len(arrays) for _, arrays in groups):
        return  # no two arrays on one base or storage (the usual case): nothing can overlap
    for g, (name, arrays) in enumerate(written):
        for k, o in enumerate(arrays):
            mine = keys[id(o)]
            for h, (other, others) in enumerate(groups):
                if h < g:
                    continue  # (pairs of two written groups are compared once)
                for j in range(k + 1 if h == g else 0, len(others)):
                    a = others[j]
                    if a is o and (name, other, j) == ("out", "theta", k):
                        continue  # out[k] is theta[k]: the step in place
                    if keys[id(a)] == mine and overlap(o, a):
                        fail(f"{name}[{k}]", f"not share memory with {other}[{j}]", "one that does")


def _span(t: Any) -> tuple[int, int]:
    """The bytes ``[start, end)`` a (non-empty) torch tensor spans in memory."""
    extent = 1 + sum((n - 1) * abs(st) for n, st in zip(t.shape, t.stride()))
    return t.data_ptr(), t.data_ptr() + extent * t.element_size()
