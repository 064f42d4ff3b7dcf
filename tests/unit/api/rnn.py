"""Valid calls of ``deepqed.rnn`` and ``deepqed.rnn.tasks`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import rnn
from deepqed.rnn import tasks


def _sizes(rng):
    return tuple(int(v) for v in rng.integers(1, 4, size=4))  # T, m, d, n


def _elman(rng):
    T, m, d, n = _sizes(rng)
    theta = rnn.init_rnn(d, n, rng=rng)
    return (
        theta,
        rng.standard_normal((T, m, d)),
        rng.standard_normal((m, n)),
        rng.standard_normal((T, m, n)),
    )


def _forward(rng):
    theta, X, H0, _ = _elman(rng)
    return {"theta": theta, "X": X, "H0": H0, "activation": "tanh"}


def _backward(rng):
    theta, X, H0, G = _elman(rng)
    fwd = rnn.rnn_forward(theta, X, H0, "relu")
    return {"theta": theta, "fwd": fwd, "X": X, "G": G, "truncation": 2}


def _loss(rng):
    theta, X, H0, G = _elman(rng)
    return {"theta": theta, "X": X, "G": G, "H0": H0, "activation": "relu", "truncation": 1}


def _jacobian(rng):
    theta, X, H0, _ = _elman(rng)
    fwd = rnn.rnn_forward(theta, X, H0)
    T = X.shape[0]
    return {"theta": theta, "fwd": fwd, "i": 0, "s": 0, "t": T}


def _norms(rng):
    kw = _jacobian(rng)
    del kw["t"]
    return kw


def _lstm(rng):
    T, m, d, n = _sizes(rng)
    theta = rnn.init_lstm(d, n, rng=rng)
    X = rng.standard_normal((T, m, d))
    return (
        theta,
        X,
        rng.standard_normal((m, n)),
        rng.standard_normal((m, n)),
        rng.standard_normal((T, m, n)),
    )


def _lstm_cell(rng):
    theta, X, H, C, _ = _lstm(rng)
    return {"theta": theta, "X": X[0], "H": H, "C": C}


def _lstm_cell_backward(rng):
    kw = _lstm_cell(rng)
    return {
        **kw,
        "dH": rng.standard_normal(kw["H"].shape),
        "dC": rng.standard_normal(kw["H"].shape),
    }


def _lstm_forward(rng):
    theta, X, H0, C0, _ = _lstm(rng)
    return {"theta": theta, "X": X, "H0": H0, "C0": C0}


def _lstm_backward(rng):
    theta, X, H0, C0, G = _lstm(rng)
    fwd = rnn.lstm_forward(theta, X, H0, C0)
    return {"theta": theta, "fwd": fwd, "X": X, "G": G, "GC": rng.standard_normal(H0.shape)}


def _gru(rng):
    T, m, d, n = _sizes(rng)
    theta = rnn.init_gru(d, n, rng=rng)
    return (
        theta,
        rng.standard_normal((T, m, d)),
        rng.standard_normal((m, n)),
        rng.standard_normal((T, m, n)),
    )


def _gru_backward(rng):
    theta, X, H0, G = _gru(rng)
    return {"theta": theta, "fwd": rnn.gru_forward(theta, X, H0), "X": X, "G": G}


def _cell_path(rng):
    kw = _lstm_forward(rng)
    return {"fwd": rnn.lstm_forward(**kw), "i": 0, "s": 0}


def _grads(rng):
    return {"grads": (rng.standard_normal((2, 3)), rng.standard_normal(2)), "tau": 0.5}


def _adding_params(rng, model):
    n = 2
    init = rnn.init_rnn if model == "rnn" else rnn.init_lstm
    return (*init(2, n, rng=rng).arrays(), rng.standard_normal(n), rng.standard_normal(1))


def _model_loss(rng):
    X, y = tasks.adding_problem(4, 3, rng=rng)
    return {
        "model": "lstm",
        "params": _adding_params(rng, "lstm"),
        "X": X,
        "y": y,
        "gradient": True,
    }


def _adam_update(rng):
    params = (rng.standard_normal((2, 2)), rng.standard_normal(2))
    grads = tuple(rng.standard_normal(p.shape) for p in params)
    return {
        "params": params,
        "grads": grads,
        "state": tasks.adam_init(params),
        "alpha": 1e-2,
        "beta1": 0.9,
        "beta2": 0.99,
        "eps": 1e-8,
    }


EXAMPLES = [
    Example(rnn.RNNParameters, lambda rng: dict(zip("WUb", _elman(rng)[0].arrays()))),
    Example(
        rnn.RNNForward,
        lambda rng: {"H": rng.standard_normal((3, 2, 2)), "activation": "tanh"},
    ),
    Example(
        rnn.RNNGradient,
        lambda rng: {
            "W": rng.standard_normal((2, 2)),
            "U": rng.standard_normal((2, 3)),
            "b": rng.standard_normal(2),
            "H0": rng.standard_normal((4, 2)),
        },
    ),
    Example(
        rnn.init_rnn, lambda rng: {"d": 2, "n": 3, "rng": rng, "dtype": np.float32, "scale": 0.5}
    ),
    Example(rnn.rnn_forward, _forward),
    Example(rnn.rnn_backward, _backward),
    Example(rnn.rnn_loss_and_gradient, _loss),
    Example(
        rnn.sigma_prime_from_value,
        lambda rng: {"H": np.tanh(rng.standard_normal((2, 3))), "activation": "relu"},
    ),
    Example(rnn.clip_global_norm, _grads),
    Example(rnn.global_norm, lambda rng: {"grads": _grads(rng)["grads"]}),
    Example(rnn.LSTMParameters, lambda rng: dict(zip("WUb", _lstm(rng)[0].arrays()))),
    Example(
        rnn.LSTMForward,
        lambda rng: dict(
            zip(("H", "C", "gates", "tanhC"), vars(rnn.lstm_forward(**_lstm_forward(rng))).values())
        ),
    ),
    Example(
        rnn.LSTMGradient,
        lambda rng: dict(
            zip(
                ("W", "U", "b", "H0", "C0"), vars(rnn.lstm_backward(**_lstm_backward(rng))).values()
            )
        ),
    ),
    Example(
        rnn.init_lstm,
        lambda rng: {"d": 2, "n": 3, "rng": rng, "dtype": "float32", "forget_bias": 1.0},
    ),
    Example(rnn.lstm_cell, _lstm_cell),
    Example(rnn.lstm_cell_backward, _lstm_cell_backward),
    Example(rnn.lstm_forward, _lstm_forward),
    Example(rnn.lstm_backward, _lstm_backward),
    Example(rnn.GRUParameters, lambda rng: dict(zip("WUbc", _gru(rng)[0].arrays()))),
    Example(
        rnn.GRUForward,
        lambda rng: dict(zip(("H", "gates", "Qn"), vars(rnn.gru_forward(*_gru(rng)[:3])).values())),
    ),
    Example(
        rnn.GRUGradient,
        lambda rng: dict(
            zip(("W", "U", "b", "c", "H0"), vars(rnn.gru_backward(**_gru_backward(rng))).values())
        ),
    ),
    Example(rnn.init_gru, lambda rng: {"d": 3, "n": 2, "rng": rng, "dtype": np.float64}),
    Example(
        rnn.gru_cell,
        lambda rng: dict(zip(("theta", "X", "H"), (lambda g: (g[0], g[1][0], g[2]))(_gru(rng)))),
    ),
    Example(
        rnn.gru_cell_backward,
        lambda rng: (lambda g: {"theta": g[0], "X": g[1][0], "H": g[2], "dH": g[3][0]})(_gru(rng)),
    ),
    Example(rnn.gru_forward, lambda rng: dict(zip(("theta", "X", "H0"), _gru(rng)[:3]))),
    Example(rnn.gru_backward, _gru_backward),
    Example(rnn.hidden_jacobian, _jacobian),
    Example(rnn.jacobian_norms, _norms),
    Example(rnn.linear_power_norms, lambda rng: {"W": rng.standard_normal((3, 3)), "kmax": 4}),
    Example(rnn.cell_path_products, _cell_path),
    # deepqed.rnn.tasks
    Example(tasks.adding_problem, lambda rng: {"T": 6, "m": 3, "rng": rng, "dtype": np.float32}),
    Example(tasks.adam_init, lambda rng: {"params": (rng.standard_normal((2, 2)),)}),
    Example(tasks.adam_update, _adam_update),
    Example(
        tasks.AdamState,
        lambda rng: {"M": (np.zeros(2),), "V": (np.zeros(2),), "k": 3},
    ),
    Example(tasks.model_loss, _model_loss),
    Example(
        tasks.train_adding,
        lambda rng: {
            "model": "rnn",
            "T": 4,
            "n": 2,
            "m": 2,
            "steps": 2,
            "rng": rng,
            "alpha": 1e-2,
            "tau": 1.0,
            "eval_every": 1,
            "m_test": 2,
            "dtype": np.float32,
        },
    ),
    Example(
        tasks.TrainResult,
        lambda rng: {
            "model": "lstm",
            "train_loss": np.ones(3),
            "eval_steps": np.arange(1, 3),
            "test_loss": np.ones(2),
            "params": (np.zeros(2),),
            "seconds": 0.5,
        },
    ),
]
