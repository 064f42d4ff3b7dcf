"""Errors of the feedforward library that the generated test of ``test_public_api.py`` does not
reach: wrong shapes named with both shapes, arrays of different libraries or dtypes in one call,
the layers of theta named by their symbols, and the half-precision dtypes of torch.

(NaN, infinities, lists, integer and bool dtypes, empty arrays, None and out-of-range scalars are
generated from the declared constraints of every public function by ``test_public_api.py``.)
"""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from deepqed import gradcheck, losses, nn
from deepqed._validation import ShapeError, check_array, check_same_namespace

ARCH = nn.Architecture((3, 4, 2), ("tanh", "identity"))
THETA = nn.init_parameters(ARCH, rng=np.random.default_rng(0))
X, Y = np.ones((5, 3)), np.zeros((5, 2))


def _call_loss_and_gradient(**kw):
    args = {"X": X, "Y": Y} | kw
    return nn.loss_and_gradient(ARCH, THETA, args["X"], args["Y"])


# (name of the case, function of one argument, argument name, good value, a wrongly shaped value;
# None where any shape is accepted)
CASES = [
    *[
        (f"{n}:Z", lambda Z, f=getattr(nn, n): f(Z), "Z", np.ones((2, 3)), None)
        for n in ("sigmoid", "relu_prime", "gelu", "softplus_prime")
    ],
    ("softmax:Z", lambda Z: nn.softmax(Z), "Z", np.ones((2, 3)), np.ones(3)),
    ("logsumexp:Z", lambda Z: nn.logsumexp(Z), "Z", np.ones((2, 3)), np.ones((2, 3, 1))),
    ("softmax_jacobian:z", lambda z: nn.softmax_jacobian(z), "z", np.ones(3), np.ones((1, 3))),
    (
        "squared_error:Y",
        lambda Y_: losses.squared_error(Y, Y_),
        "Y",
        np.ones((5, 2)),
        np.ones((5, 3)),
    ),
    (
        "cross_entropy:Y",
        lambda Y_: losses.softmax_cross_entropy(Y, Y_),
        "Y",
        np.ones((5, 2)),
        np.ones((4, 2)),
    ),
    ("forward:X", lambda X_: nn.forward(ARCH, THETA, X_), "X", X, np.ones((5, 4))),
    ("realization:x", lambda x: nn.realization(ARCH, THETA, x), "x", np.ones(3), np.ones((1, 3))),
    ("loss_and_gradient:X", lambda X_: _call_loss_and_gradient(X=X_), "X", X, np.ones(3)),
    ("loss_and_gradient:Y", lambda Y_: _call_loss_and_gradient(Y=Y_), "Y", Y, np.ones((5, 3))),
    (
        "central_difference:v",
        lambda v: gradcheck.central_difference(np.sin, np.ones(4), v, 1e-3),
        "v",
        np.ones(4),
        np.ones(5),
    ),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_wrong_shape_names_argument_and_shapes(case):
    _, f, name, good, bad = case
    f(good)  # the good value is accepted
    if bad is None:  # elementwise: any shape, preserved
        for shape in [(), (4,), (2, 3, 5)]:
            assert f(np.ones(shape)).shape == shape
        return
    with pytest.raises(ShapeError) as info:
        f(bad)
    msg = str(info.value)
    assert f"'{name}'" in msg and str(tuple(bad.shape)) in msg


MIXED = [
    ("A,Y", lambda a, b: losses.squared_error(a, b), np.ones((2, 3)), np.ones((2, 3))),
    ("A,Y", lambda a, b: losses.softmax_cross_entropy_grad(a, b), np.ones((2, 3)), np.ones((2, 3))),
    ("x,v", lambda a, b: gradcheck.central_difference(np.sin, a, b, 0.1), np.ones(3), np.ones(3)),
]


@pytest.mark.parametrize("names,f,a,b", MIXED, ids=[m[0] for m in MIXED])
def test_mixed_dtypes_and_libraries_are_rejected(names, f, a, b):
    first, second = names.split(",")
    f(a, b)
    with pytest.raises(TypeError, match=rf"'{first}'.*'{second}'.*different dtypes"):
        f(a, b.astype(np.float32))
    with pytest.raises(TypeError, match=rf"'{first}'.*'{second}'.*different array libraries"):
        f(a, torch.from_numpy(b))


def test_input_and_parameters_must_agree():
    with pytest.raises(TypeError, match=r"'W\^1' and 'X' have different dtypes"):
        nn.forward(ARCH, THETA, X.astype(np.float32))
    with pytest.raises(TypeError, match=r"'W\^1' and 'X' come from different array libraries"):
        nn.loss_and_gradient(ARCH, THETA, torch.from_numpy(X), torch.from_numpy(Y))
    with pytest.raises(TypeError, match=r"'W\^1' and 'b\^1' have different dtypes"):
        nn.Parameters((THETA.W[0].astype(np.float32), THETA.W[1]), THETA.b)
    with pytest.raises(TypeError, match=r"'W\^1' and 'x' come from different array libraries"):
        nn.realization(ARCH, THETA, torch.ones(3, dtype=torch.float64))


def test_parameters_errors_name_the_layer():
    W = list(THETA.W)
    W[1] = np.ones((2, 5))
    with pytest.raises(ShapeError, match=re.escape("'W^2'") + r".*n_1 = 4.*\(2, 5\)"):
        nn.Parameters(tuple(W), THETA.b)
    with pytest.raises(ValueError, match="L = 2"):
        nn.forward(ARCH, nn.Parameters(THETA.W[:1], THETA.b[:1]), X)
    with pytest.raises(TypeError, match="'theta'"):
        nn.forward(ARCH, list(THETA.arrays()), X)
    b = list(THETA.b)
    b[0] = np.full(4, np.nan)
    with pytest.raises(ValueError, match=re.escape("b^1") + ".*NaN"):
        nn.loss_and_gradient(ARCH, nn.Parameters(THETA.W, tuple(b)), X, Y)


def test_check_array_options():
    assert check_array("q", np.array([np.inf]), allow_nonfinite=True) is not None
    with pytest.raises(ShapeError, match=r"'q' must have 1 or 3 dimension"):
        check_array("q", np.ones((2, 2)), ndim=(1, 3))
    with pytest.raises(ShapeError, match=r"'q' must have shape \(\*, 3\), got shape \(2, 2\)"):
        check_array("q", np.ones((2, 2)), shape=(None, 3))
    assert check_same_namespace(a=np.ones(2), b=None, c=np.zeros(3)) is not None


@pytest.mark.parametrize(
    "bad",
    [
        np.ones((2, 3), dtype=np.float16),
        torch.ones(2, 3, dtype=torch.bfloat16),
        torch.ones(2, 3, dtype=torch.float16),
    ],
    ids=str,
)
def test_half_precision_is_rejected(bad):
    with pytest.raises(TypeError, match=r"'Z' must have dtype float32 or float64"):
        nn.sigmoid(bad)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: nn.forward(ARCH, THETA, np.ones((0, 3))), "'X'"),
        (lambda: nn.loss_and_gradient(ARCH, THETA, np.ones((0, 3)), np.ones((0, 2))), "'X'"),
        (lambda: nn.softmax(np.ones((2, 0))), "'Z'"),
        (lambda: nn.logsumexp(np.ones((0, 3))), "'Z'"),
        (lambda: nn.softmax_jacobian(np.ones(0)), "'z'"),
        (lambda: losses.squared_error(np.ones((0, 2)), np.ones((0, 2))), "'A'"),
        (lambda: losses.softmax_cross_entropy_grad(np.ones((3, 0)), np.ones((3, 0))), "'A'"),
    ],
)
def test_empty_batches_and_widths_are_rejected(call, name):
    """m and n_l are in N = {1, 2, ...}: an empty batch would divide 0 by 0."""
    with pytest.raises(ShapeError, match=name):
        call()


@pytest.mark.parametrize("f,expected", [(nn.leaky_relu, -0.5), (nn.leaky_relu_prime, 0.25)])
def test_leaky_relu_slope_is_used(f, expected):
    assert f(np.array([-2.0]), 0.25)[0] == expected


def test_sgd_step_validates_gradient_and_step():
    grad = THETA.map(lambda a: 0 * a)
    with pytest.raises(ValueError, match="'grad' must hold 2"):  # zip would drop layer 2
        nn.sgd_step(THETA, nn.Parameters(grad.W[:1], grad.b[:1]), 0.1)
    other = nn.init_parameters(
        nn.Architecture((4, 4, 2), ("tanh", "identity")), rng=np.random.default_rng(0)
    )
    with pytest.raises(ShapeError, match=r"'grad\[0\]'.*\(4, 3\).*\(4, 4\)"):
        nn.sgd_step(THETA, other, 0.1)
    with pytest.raises(TypeError, match="different dtypes"):
        nn.sgd_step(THETA, grad.map(lambda a: a.astype(np.float32)), 0.1)
    with pytest.raises(TypeError, match="different array libraries"):
        nn.sgd_step(THETA, grad.map(torch.from_numpy), 0.1)
    with pytest.raises(TypeError, match="'theta'"):
        nn.sgd_step(THETA.arrays(), grad, 0.1)


def test_backprop_validates_its_arguments():
    fwd = nn.forward(ARCH, THETA, X)
    with pytest.raises(ShapeError, match=r"'G'.*\(m, 2\).*\(5, 3\)"):
        nn.backprop(ARCH, THETA, fwd, np.ones((5, 3)))
    with pytest.raises(TypeError, match="'fwd'"):
        nn.backprop(ARCH, THETA, (fwd.Z, fwd.A), np.ones((5, 2)))
    with pytest.raises(TypeError, match="'W\\^1' and 'G' have different dtypes"):
        nn.backprop(ARCH, THETA, fwd, np.ones((5, 2), dtype=np.float32))
    short = nn.forward(ARCH, THETA, X[:4])
    with pytest.raises(ShapeError, match=r"'fwd.A\[0\]'.*m = 5 \(from 'G'\)"):
        nn.backprop(ARCH, THETA, short, np.ones((5, 2)))
    other = nn.forward(
        nn.Architecture((3, 5, 2), ("tanh", "identity")),
        nn.init_parameters(
            nn.Architecture((3, 5, 2), ("tanh", "identity")), rng=np.random.default_rng(1)
        ),
        X,
    )
    with pytest.raises(ShapeError, match=r"'fwd.A\[1\]'.*\(m, 4\).*\(5, 5\)"):
        nn.backprop(ARCH, THETA, other, np.ones((5, 2)))


def test_containers_and_options_are_validated():
    with pytest.raises(TypeError, match="'dtype'"):
        nn.init_parameters(ARCH, rng=np.random.default_rng(0), dtype=np.int64)
    with pytest.raises(TypeError, match="'dtype'"):
        nn.init_parameters(ARCH, rng=np.random.default_rng(0), dtype=torch.float32)
    with pytest.raises(TypeError, match="'activations'"):
        nn.Architecture((3, 2, 2), "ab")
    with pytest.raises(ValueError, match=r"activations\[0\]"):
        nn.Architecture((3, 2), (["relu"],))
    with pytest.raises(TypeError, match=r"'W' must be a tuple or list"):
        nn.Parameters(THETA.W[0], THETA.b[0])
    with pytest.raises(TypeError, match="'loss'"):
        nn.loss_and_gradient(ARCH, THETA, X, Y, ["squared_error"])
