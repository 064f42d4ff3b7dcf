r"""Backpropagation as a functor: learners, their composition, and gradient descent on them.

Section "Backpropagation as a functor" of the chapter *Optimisation and trainability*, after
Fong, Spivak and Tuyéras (2019). A *parametrised map* from $\mathbb R^a$ to $\mathbb R^b$ is a
differentiable $I: P\times\mathbb R^a\to\mathbb R^b$ (here with its vector–Jacobian product,
:class:`ParaMap`); a *learner* (Definition `def-opt-learner`) is a triple
(implement, update, request):

$$I: P\times A\to B,\qquad U: P\times A\times B\to P,\qquad r: P\times A\times B\to A .$$

The functor $L_\varepsilon$ of Theorem `thm-opt-backprop-functor` sends $I$ to the learner with
$U(p, a, b) = p - \varepsilon\nabla_pE$, $r(p, a, b) = a - \nabla_aE$ for the error
$E(p, a, b) = \frac12\|I(p, a) - b\|^2$; the theorem says
$L_\varepsilon(J\circ I) = L_\varepsilon(J)\circ L_\varepsilon(I)$.

Parameters are nested tuples of NumPy arrays: a layer $(W, b)$, an activation $()$, a composite
$(p, q)$.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._validation import Function, Instance, Options, Real, check, validate
from ..nn import ACTIVATIONS

__all__ = [
    "ParaMap",
    "Learner",
    "compose",
    "para_compose",
    "gradient_learner",
    "affine_map",
    "activation_map",
]

Params = Any


@dataclass(frozen=True)
class ParaMap:
    r"""A parametrised map $I: P\times\mathbb R^a\to\mathbb R^b$ with its vector–Jacobian product.

    Attributes:
        implement: $(p, a)\mapsto I(p, a)$, shape ``(b,)`` from ``a`` of shape ``(a,)``.
        vjp: $(p, a, g)\mapsto(D_pI(p, a)^*g,\ D_aI(p, a)^\top g)$ for $g$ of shape ``(b,)``: the
            first with the structure of $p$, the second of shape ``(a,)``.
    """

    implement: Callable[[Params, np.ndarray], np.ndarray]
    vjp: Callable[[Params, np.ndarray, np.ndarray], tuple[Params, np.ndarray]]

    __deepqed_constraints__ = {"implement": Function(), "vjp": Function()}

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@dataclass(frozen=True)
class Learner:
    r"""A learner $(I, U, r)$ from $A$ to $B$ with parameter set $P$ (Definition `def-opt-learner`).

    Attributes:
        implement: $I(p, a)\in B$.
        update: $U(p, a, b)\in P$, the new parameter given input $a$ and target $b$.
        request: $r(p, a, b)\in A$, the input the learner asks its predecessor for.
    """

    implement: Callable[[Params, np.ndarray], np.ndarray]
    update: Callable[[Params, np.ndarray, np.ndarray], Params]
    request: Callable[[Params, np.ndarray, np.ndarray], np.ndarray]

    __deepqed_constraints__ = {"implement": Function(), "update": Function(), "request": Function()}

    def __post_init__(self) -> None:
        check(self.__deepqed_constraints__, vars(self))


@validate(f=Instance(Learner), g=Instance(Learner))
def compose(f: Learner, g: Learner) -> Learner:
    r"""The composite $g\circ f$ of learners $f: A\to B$ (parameter $p$) and $g: B\to C$
    (parameter $q$), with parameter $(p, q)$ (Definition `def-opt-learner`): with
    $b = I_f(p, a)$ and $b' = r_g(q, b, c)$,

    $$I(\,(p, q), a) = I_g(q, b),\quad U(\,(p, q), a, c) = \bigl(U_f(p, a, b'),\ U_g(q, b, c)\bigr),
    \quad r(\,(p, q), a, c) = r_f(p, a, b').$$

    The request $b'$ of $g$ is computed with $g$'s *current* parameter $q$."""

    def implement(pq: Params, a: np.ndarray) -> np.ndarray:
        p, q = pq
        return g.implement(q, f.implement(p, a))

    def update(pq: Params, a: np.ndarray, c: np.ndarray) -> Params:
        p, q = pq
        b = f.implement(p, a)
        b_req = g.request(q, b, c)
        return (f.update(p, a, b_req), g.update(q, b, c))

    def request(pq: Params, a: np.ndarray, c: np.ndarray) -> np.ndarray:
        p, q = pq
        b = f.implement(p, a)
        return f.request(p, a, g.request(q, b, c))

    return Learner(implement, update, request)


@validate(f=Instance(ParaMap), g=Instance(ParaMap))
def para_compose(f: ParaMap, g: ParaMap) -> ParaMap:
    r"""The composite parametrised map $(p, q, a)\mapsto J(q, I(p, a))$, with its vector–Jacobian
    product by the chain rule: $D_{(p,q)}^*g_c = (D_pI^*D_bJ^\top g_c,\ D_qJ^*g_c)$,
    $D_a^\top g_c = D_aI^\top D_bJ^\top g_c$ (one backward sweep)."""

    def implement(pq: Params, a: np.ndarray) -> np.ndarray:
        p, q = pq
        return g.implement(q, f.implement(p, a))

    def vjp(pq: Params, a: np.ndarray, gc: np.ndarray) -> tuple[Params, np.ndarray]:
        p, q = pq
        b = f.implement(p, a)
        dq, db = g.vjp(q, b, gc)
        dp, da = f.vjp(p, a, db)
        return (dp, dq), da

    return ParaMap(implement, vjp)


def _tree_sub(p: Params, eps: float, dp: Params) -> Params:
    r"""$p - \varepsilon\,\mathrm dp$ on nested tuples of arrays of the same structure."""
    if isinstance(p, tuple):
        return tuple(_tree_sub(x, eps, d) for x, d in zip(p, dp, strict=True))
    return p - eps * dp


def tree_flatten(p: Params) -> np.ndarray:
    """All arrays of a nested tuple, raveled and concatenated (depth first), float64."""
    if isinstance(p, tuple):
        parts = [tree_flatten(x) for x in p]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.asarray(p, dtype=np.float64).ravel()


@validate(para=Instance(ParaMap), eps=Real(0, None, closed="neither"))
def gradient_learner(para: ParaMap, eps: float) -> Learner:
    r"""$L_\varepsilon(I)$ (Theorem `thm-opt-backprop-functor`): with
    $E(p, a, b) = \frac12\|I(p, a) - b\|^2$ and $(\mathrm dp, \mathrm da) = $
    ``para.vjp(p, a, I(p, a) - b)`` $= (\nabla_pE, \nabla_aE)$,

    $$U(p, a, b) = p - \varepsilon\,\nabla_pE(p, a, b),\qquad r(p, a, b) = a - \nabla_aE(p, a, b).$$
    """

    def update(p: Params, a: np.ndarray, b: np.ndarray) -> Params:
        dp, _ = para.vjp(p, a, para.implement(p, a) - b)
        return _tree_sub(p, eps, dp)

    def request(p: Params, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        _, da = para.vjp(p, a, para.implement(p, a) - b)
        return a - da

    return Learner(para.implement, update, request)


@validate()
def affine_map() -> ParaMap:
    r"""The affine layer of chapter 6 as a parametrised map: $p = (W, b)$, $I(p, a) = Wa + b$,
    $D_p^*g = (ga^\top, g)$, $D_a^\top g = W^\top g$ (Lemma `lem-affine-layer` for one sample)."""

    def implement(p: Params, a: np.ndarray) -> np.ndarray:
        W, b = p
        return W @ a + b

    def vjp(p: Params, a: np.ndarray, g: np.ndarray) -> tuple[Params, np.ndarray]:
        W, _ = p
        return (np.outer(g, a), g), W.T @ g

    return ParaMap(implement, vjp)


@validate(name=Options(*sorted(ACTIVATIONS)))
def activation_map(name: str) -> ParaMap:
    r"""A componentwise activation $\sigma$ of chapter 6 (``deepqed.nn.ACTIVATIONS``) as a
    parametrised map with no parameter ($p = ()$): $I((), a) = \sigma(a)$,
    $D_a^\top g = \sigma'(a)\odot g$."""
    act = ACTIVATIONS[name]

    def implement(p: Params, a: np.ndarray) -> np.ndarray:
        return act.sigma(np, a)

    def vjp(p: Params, a: np.ndarray, g: np.ndarray) -> tuple[Params, np.ndarray]:
        return (), act.derivative(np, a, act.sigma(np, a)) * g

    return ParaMap(implement, vjp)
