"""Valid calls of ``deepqed.cnn`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import cnn

ARCH = cnn.CNNArchitecture(
    in_channels=1, image_size=6, channels=(2, 3), kernel_size=3, padding=1, pool=2, classes=3
)


def _conv(rng):
    m, C_in, C_out = (int(v) for v in rng.integers(1, 4, size=3))
    return {
        "X": rng.standard_normal((m, C_in, 7, 6)),
        "W": rng.standard_normal((C_out, C_in, 3, 2)),
        "b": rng.standard_normal(C_out),
        "stride": (2, 1),
        "padding": (1, 2),
        "dilation": (1, 2),
        "padding_mode": "circular",
    }


def _backward(rng):
    P = _conv(rng)
    Z, cache = cnn.conv2d_forward(**P)
    return {"G": rng.standard_normal(Z.shape), "W": P["W"], "cache": cache, "need_dX": True}


def _transpose(rng):
    P = _conv(rng)
    Z = cnn.conv2d(**P)
    return {
        "Y": rng.standard_normal(Z.shape),
        "W": P["W"],
        "stride": (2, 1),
        "padding": (1, 2),
        "dilation": (1, 2),
        "output_padding": (0, 0),  # rho of prop-cnn-output-size: (7 + 2 - 2 - 1) mod 2 = 0
        "padding_mode": "zeros",
    }


def _images(rng):
    return {"X": rng.standard_normal((2, 3, 7, 6)), "kernel_size": (3, 2), "stride": (2, 1)}


def _pool_backward(rng, with_idx):
    X = rng.standard_normal((2, 3, 7, 6))
    Z, idx = cnn.max_pool2d_forward(X, (3, 2), (2, 1))
    out = {"G": rng.standard_normal(Z.shape), "input_shape": X.shape, "kernel_size": (3, 2)}
    if with_idx:
        out["idx"] = idx
    return {**out, "stride": (2, 1)}


def _theta(rng):
    return cnn.init_cnn_parameters(ARCH, rng=rng)


def _batch(rng, m=None):
    m = int(rng.integers(1, 5)) if m is None else m
    return rng.standard_normal((m, 1, 6, 6)), np.eye(3)[rng.integers(3, size=m)]


def _network(rng):
    X, Y = _batch(rng)
    return {"arch": ARCH, "theta": _theta(rng), "X": X}


def _fwd(rng):
    return vars(cnn.cnn_forward(**_network(rng))).copy()


def _adam(rng):
    theta = _theta(rng)
    return {
        "theta": theta,
        "grad": theta.map(lambda a: 0.1 * a + 1.0),
        "state": cnn.adam_init(theta),
        "alpha": 1e-3,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
    }


def _train(rng):
    X, Y = _batch(rng, 4)
    X_test, Y_test = _batch(rng, 3)
    return {
        "arch": ARCH,
        "theta": _theta(rng),
        "X": X,
        "Y": Y,
        "epochs": 1,
        "batch_size": 2,
        "rng": rng,
        "alpha": 1e-3,
        "X_test": X_test,
        "y_test": np.argmax(Y_test, axis=1),
        "blas_threads": 1,
    }


EXAMPLES = [
    Example(
        cnn.Geometry,
        lambda rng: {"stride": 2, "padding": (1, 0), "dilation": 1, "padding_mode": "zeros"},
    ),
    Example(
        cnn.output_size, lambda rng: {"n": 32, "k": 5, "stride": 2, "padding": 2, "dilation": 2}
    ),
    Example(cnn.conv2d, _conv),
    Example(cnn.conv2d_forward, _conv),
    Example(cnn.conv2d_backward, _backward),
    Example(cnn.ConvCache, lambda rng: vars(cnn.conv2d_forward(**_conv(rng))[1]).copy()),
    Example(cnn.conv_transpose2d, _transpose),
    Example(
        cnn.conv2d_counts,
        lambda rng: {
            "m": 128,
            "C_in": 3,
            "C_out": 64,
            "H": 32,
            "W": 32,
            "kernel_size": 5,
            "stride": 2,
            "padding": 2,
            "dilation": 1,
            "need_dX": False,
        },
    ),
    Example(
        cnn.im2col,
        lambda rng: {**_images(rng), "padding": 1, "dilation": 1, "padding_mode": "zeros"},
    ),
    Example(
        cnn.col2im,
        lambda rng: {
            "cols": rng.standard_normal((3 * 3 * 2, 2 * 3 * 5)),
            "input_shape": (2, 3, 7, 6),
            "kernel_size": (3, 2),
            "stride": (2, 1),
            "padding": 0,
            "dilation": 1,
            "padding_mode": "zeros",
        },
    ),
    Example(
        cnn.pad,
        lambda rng: {
            "X": rng.standard_normal((2, 3, 4, 5)),
            "padding": (2, 3),
            "padding_mode": "circular",
        },
    ),
    Example(
        cnn.pad_adjoint,
        lambda rng: {
            "G": rng.standard_normal((2, 3, 8, 11)),
            "input_shape": (4, 5),
            "padding": (2, 3),
            "padding_mode": "circular",
        },
    ),
    Example(cnn.avg_pool2d, _images),
    Example(cnn.max_pool2d, _images),
    Example(cnn.max_pool2d_forward, _images),
    Example(cnn.avg_pool2d_backward, lambda rng: _pool_backward(rng, False)),
    Example(cnn.max_pool2d_backward, lambda rng: _pool_backward(rng, True)),
    Example(
        cnn.CNNArchitecture,
        lambda rng: {
            "in_channels": 2,
            "image_size": 8,
            "channels": (3, 4),
            "kernel_size": 3,
            "padding": 1,
            "pool": 2,
            "classes": 5,
        },
    ),
    Example(cnn.CNNParameters, lambda rng: vars(_theta(rng)).copy()),
    Example(cnn.CNNForward, _fwd),
    Example(cnn.init_cnn_parameters, lambda rng: {"arch": ARCH, "rng": rng, "dtype": "float32"}),
    Example(cnn.cnn_forward, _network),
    Example(cnn.cnn_predict, _network),
    Example(
        cnn.cnn_loss_and_gradient,
        lambda rng: (lambda P: {**P, "Y": np.eye(3)[rng.integers(3, size=P["X"].shape[0])]})(
            _network(rng)
        ),
    ),
    Example(cnn.cnn_counts, lambda rng: {"arch": ARCH, "m": 7}),
    Example(
        cnn.accuracy,
        lambda rng: (lambda P: {**P, "y": rng.integers(3, size=P["X"].shape[0])})(_network(rng)),
    ),
    Example(cnn.AdamState, lambda rng: vars(cnn.adam_init(_theta(rng))).copy()),
    Example(cnn.adam_init, lambda rng: {"theta": _theta(rng)}),
    Example(cnn.adam_update, _adam),
    Example(cnn.History, lambda rng: {"loss": (0.5, 0.25), "test_accuracy": (0.9, 0.95)}),
    Example(cnn.train, _train),
]
