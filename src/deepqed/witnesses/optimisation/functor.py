r"""Witnesses of Section "Backpropagation as a functor": `def-opt-learner`,
`thm-opt-backprop-functor`.

Instances: chains of chapter 6's layers (affine maps and activations from ``nn.ACTIVATIONS``) of
random widths, turned into learners by $L_{\varepsilon}$; the composite of the learners against
$L_{\varepsilon}$ of the composite map, against torch autograd of
$\frac12\|f_\theta(a) - c\|^2$ and against chapter 6's ``nn.loss_and_gradient`` (one sample)."""

from __future__ import annotations

import numpy as np
import torch

from ... import nn, optimisation
from ...optimisation.learners import Learner, ParaMap, tree_flatten
from ...registry import Witness
from .._common import Evidence, error, single_threaded, torch_softplus

U64 = np.finfo(np.float64).eps


def _chain(rng: np.random.Generator):
    """(widths, activation names, list of ParaMaps, list of parameters): an MLP as a chain
    affine, sigma, affine, sigma, ..., affine."""
    L = int(rng.integers(2, 5))
    widths = [int(w) for w in rng.integers(1, 6, size=L + 1)]
    names = [str(rng.choice(["tanh", "sigmoid", "softplus", "gelu"])) for _ in range(L - 1)]
    maps, params = [], []
    for l in range(L):
        W = rng.standard_normal((widths[l + 1], widths[l])) / np.sqrt(widths[l])
        b = 0.1 * rng.standard_normal(widths[l + 1])
        maps.append(optimisation.affine_map())
        params.append((W, b))
        if l < L - 1:
            maps.append(optimisation.activation_map(names[l]))
            params.append(())
    return widths, names, maps, params


def _nest(params):
    """((p1, p2), p3) ... left-nested parameter tuples of a left-nested composite."""
    out = params[0]
    for p in params[1:]:
        out = (out, p)
    return out


def _unnest(p, k):
    """The k leaf parameters of a left-nested tuple, in order."""
    out = []
    for _ in range(k - 1):
        p, last = p
        out.append(last)
    out.append(p)
    return out[::-1]


def _compose_all(items, compose):
    out = items[0]
    for it in items[1:]:
        out = compose(out, it)
    return out


def _torch_reference(params, names, a, c, eps):
    """(updated leaf parameters, request) from torch autograd of E = 1/2 ||f(a) - c||^2."""
    leaves = [tuple(torch.tensor(x, requires_grad=True) for x in p) for p in params]
    at = torch.tensor(a, requires_grad=True)
    h = at
    acts = iter(names)
    for p in leaves:
        if p:
            h = p[0] @ h + p[1]
        else:
            name = next(acts)
            h = {
                "tanh": torch.tanh,
                "sigmoid": torch.sigmoid,
                "softplus": torch_softplus,
                "gelu": torch.nn.functional.gelu,
            }[name](h)
    E = 0.5 * torch.sum((h - torch.from_numpy(c)) ** 2)
    flat = [x for p in leaves for x in p]
    grads = torch.autograd.grad(E, [*flat, at])
    new, i = [], 0
    for p in leaves:
        new.append(tuple((x - eps * grads[i + j]).detach().numpy() for j, x in enumerate(p)))
        i += len(p)
    return new, (at - grads[-1]).detach().numpy()


@single_threaded
def learners_compose_associatively(
    rng: np.random.Generator, *, compose=optimisation.compose
) -> Evidence:
    r"""Definition `def-opt-learner`: $(h\circ g)\circ f$ and $h\circ(g\circ f)$ have the same
    implementation, update (after regrouping the parameters $((p, q), r)\leftrightarrow
    (p, (q, r))$) and request, on learners $L_{\varepsilon}$ of random layers; and the learner of one
    affine layer has $U = (W - \varepsilon ga^\top, b - \varepsilon g)$, $r = a - W^\top g$ with
    $g = Wa + b - c$ (its definition, written out)."""
    errs, layer = [], []
    n_inst = 10
    for _ in range(n_inst):
        widths, names, maps, params = _chain(rng)
        eps = float(rng.uniform(0.01, 0.5))
        f, g, h = (optimisation.gradient_learner(m, eps) for m in maps[:3])
        p, q, r = params[:3]
        a = rng.standard_normal(widths[0])
        left, right = compose(compose(f, g), h), compose(f, compose(g, h))
        c = rng.standard_normal(left.implement(((p, q), r), a).shape[0])
        (pl, ql), rl = left.update(((p, q), r), a, c)
        pr, (qr, rr) = right.update((p, (q, (r))), a, c)
        errs.append(
            max(
                float(
                    np.abs(left.implement(((p, q), r), a) - right.implement((p, (q, r)), a)).max()
                ),
                float(
                    np.abs(tree_flatten((pl, ql, rl)) - tree_flatten((pr, qr, rr))).max(initial=0)
                ),
                float(
                    np.abs(left.request(((p, q), r), a, c) - right.request((p, (q, r)), a, c)).max()
                ),
            )
        )
        W, b = params[0]
        lrn = optimisation.gradient_learner(optimisation.affine_map(), eps)
        c1 = rng.standard_normal(W.shape[0])
        gg = W @ a + b - c1
        (W1, b1), a1 = lrn.update((W, b), a, c1), lrn.request((W, b), a, c1)
        layer.append(
            max(
                float(np.abs(W1 - (W - eps * np.outer(gg, a))).max()),
                float(np.abs(b1 - (b - eps * gg)).max()),
                float(np.abs(a1 - (a - W.T @ gg)).max()),
            )
        )
    return Evidence(
        n_inst,
        (
            error(
                "associativity of composition (implement, update, request)",
                max(errs),
                64 * U64,
                units="absolute",
            ),
            error(
                "the affine layer's learner vs its formulas", max(layer), 64 * U64, units="absolute"
            ),
        ),
    )


def _scaled_request_learner(para: ParaMap, eps: float) -> Learner:
    """A variant of L_eps whose request also takes a step eps: r = a - eps grad_a E."""

    def update(p, a, b):
        return optimisation.gradient_learner(para, eps).update(p, a, b)

    def request(p, a, b):
        _, da = para.vjp(p, a, para.implement(p, a) - b)
        return a - eps * da

    return Learner(para.implement, update, request)


@single_threaded
def backprop_is_a_functor(
    rng: np.random.Generator,
    *,
    compose=optimisation.compose,
    gradient_learner=optimisation.gradient_learner,
) -> Evidence:
    r"""Theorem `thm-opt-backprop-functor` on random MLP chains (affine, $\sigma$, ..., affine):
    the composite learner $L_{\varepsilon}(f_k)\circ\dots\circ L_{\varepsilon}(f_1)$ and
    $L_{\varepsilon}(f_k\circ\dots\circ f_1)$ have the same update and request, to rounding; both
    equal $(\theta - \varepsilon\nabla_\theta E,\ a - \nabla_aE)$ from torch autograd, and the
    parameter step equals chapter 6's ``nn.loss_and_gradient`` (squared error, one sample).
    Necessity: with requests $a - \varepsilon\nabla_aE$ ($\varepsilon = \frac12$) the first
    layer's step is $\varepsilon^J$ times the gradient step ($J$ the number of learners after it),
    not the step of the composite map."""
    func, torch_err, ch6_err, broken, shrinks = [], [], [], (0.0, 1e-10), []
    n_inst = 10
    for _ in range(n_inst):
        widths, names, maps, params = _chain(rng)
        eps = float(rng.uniform(0.01, 0.5))
        a = rng.standard_normal(widths[0])
        c = rng.standard_normal(widths[-1])
        p = _nest(params)
        composite = gradient_learner(_compose_all(maps, optimisation.para_compose), eps)
        learners = _compose_all([gradient_learner(m, eps) for m in maps], compose)
        upd_c, upd_l = composite.update(p, a, c), learners.update(p, a, c)
        req_c, req_l = composite.request(p, a, c), learners.request(p, a, c)
        scale = 1.0 + float(np.abs(tree_flatten(p)).max()) + float(np.abs(a).max())
        func.append(
            max(
                float(np.abs(tree_flatten(upd_c) - tree_flatten(upd_l)).max()),
                float(np.abs(req_c - req_l).max()),
            )
            / scale
        )
        new_ref, req_ref = _torch_reference(params, names, a, c, eps)
        leaves = _unnest(upd_l, len(params))
        torch_err.append(
            max(
                float(np.abs(tree_flatten(tuple(leaves)) - tree_flatten(tuple(new_ref))).max()),
                float(np.abs(req_l - req_ref).max()),
            )
            / scale
        )
        arch = nn.Architecture(tuple(widths), (*names, "identity"))
        theta = nn.Parameters(
            tuple(params[i][0] for i in range(0, len(params), 2)),
            tuple(params[i][1] for i in range(0, len(params), 2)),
        )
        _, grad = nn.loss_and_gradient(arch, theta, a[None, :], c[None, :])
        step = nn.sgd_step(theta, grad, eps)
        ch6 = tuple((W, b) for W, b in zip(step.W, step.b))
        mine = tuple(leaves[i] for i in range(0, len(leaves), 2))
        ch6_err.append(float(np.abs(tree_flatten(mine) - tree_flatten(ch6)).max()) / scale)
        # necessity: requests a - eps grad_a E. Each hop scales the error passed back by eps, so
        # the first layer's step is eps^J times the gradient step (J = learners after it)
        e2 = 0.5
        bad = _compose_all([_scaled_request_learner(m, e2) for m in maps], compose)
        good = _compose_all([gradient_learner(m, e2) for m in maps], compose)
        W0 = params[0][0]
        new_bad = _unnest(bad.update(p, a, c), len(params))[0][0]
        new_good = _unnest(good.update(p, a, c), len(params))[0][0]
        step_bad, step_good = new_bad - W0, new_good - W0
        shrink = float(np.linalg.norm(step_bad) / np.linalg.norm(step_good))
        # each step is read back as W' - W: the update's and the subtraction's rounding,
        # u(|W| + |W'|) per entry, is not small against a step whose gradient is tiny
        tol_i = 1e-10 + sum(
            U64 * float(np.linalg.norm(np.abs(W0) + np.abs(new)) / np.linalg.norm(step))
            for new, step in ((new_bad, step_bad), (new_good, step_good))
        )
        dev = abs(shrink - e2 ** (len(maps) - 1)) / e2 ** (len(maps) - 1)
        if dev / tol_i >= broken[0] / broken[1]:
            broken = (dev, tol_i)
        shrinks.append(shrink)
    # the composite learner recomputes b' = b - D_b J^T g and passes b - b' on: one cancellation
    # of size u (|b| + |D_b J^T g|), amplified by the layers' Jacobians (entries O(1) here)
    tol = 1e-12
    return Evidence(
        n_inst,
        (
            error(
                "composite of learners vs learner of the composite",
                max(func),
                tol,
                units="relative to 1 + max|theta| + max|a|",
            ),
            error(
                "vs torch autograd (update and request)",
                max(torch_err),
                tol,
                units="relative to 1 + max|theta| + max|a|",
            ),
            error(
                "parameter update vs chapter 6's loss_and_gradient and sgd_step",
                max(ch6_err),
                tol,
                units="relative to 1 + max|theta| + max|a|",
            ),
            # e2^J >= 2^-6: the cancellations in the scaled requests lose at most ~2^6 u; plus
            # the rounding of the steps read back as differences of parameters
            error(
                r"necessity: requests $a - \varepsilon\nabla_aE$ shrink the first step by "
                r"$\varepsilon^J$ instead of 1",
                broken[0],
                broken[1],
            ),
        ),
    )


CLAIMS = (
    Witness(
        "def-opt-learner",
        learners_compose_associatively,
        "Composition of learners is associative (implement, update, request); the learner of an "
        "affine layer matches its formulas",
        strength="exact",
    ),
    Witness(
        "thm-opt-backprop-functor",
        backprop_is_a_functor,
        "L(f_k o ... o f_1) = L(f_k) o ... o L(f_1) on random MLP chains, both equal to torch "
        "autograd's step and request and to chapter 6's loss_and_gradient; requests scaled by "
        "eps break it",
        strength="exact",
    ),
)
