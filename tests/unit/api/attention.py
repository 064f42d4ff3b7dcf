"""Valid calls of ``deepqed.attention`` (see ``tests/api.py``)."""

import numpy as np
from api import Example

from deepqed import attention


def _qkv(rng, lead=(2,)):
    n_q, n_k, d_k, d_v = (int(v) for v in rng.integers(1, 4, size=4))
    return (
        rng.standard_normal(lead + (n_q, d_k)),
        rng.standard_normal(lead + (n_k, d_k)),
        rng.standard_normal(lead + (n_k, d_v)),
    )


def _sdpa(rng):
    Q, K, V = _qkv(rng, (2, 2))
    mask = np.where(rng.random((Q.shape[-2], K.shape[-2])) < 0.7, 0.0, -np.inf)
    return {"Q": Q, "K": K, "V": V, "mask": mask, "causal": True}


def _sdpa_backward(rng):
    Q, K, V = _qkv(rng)
    O, P = attention.sdpa_forward(Q, K, V, causal=True)
    return {"dO": rng.standard_normal(O.shape), "Q": Q, "K": K, "V": V, "P": P}


def _scores(rng):
    Q, K, _ = _qkv(rng)
    return {"Q": Q, "K": K, "mask": rng.random((Q.shape[-2], K.shape[-2])) < 0.5, "causal": False}


def _mha(rng):
    h = int(rng.integers(1, 3))
    d = h * int(rng.integers(1, 3))
    theta = attention.init_mha(d, h, rng=rng)
    B, n_q, n_k = (int(v) for v in rng.integers(1, 4, size=3))
    return theta, rng.standard_normal((B, n_q, d)), rng.standard_normal((B, n_k, d))


def _mha_forward(rng):
    theta, X_q, X_kv = _mha(rng)
    mask = rng.random((X_q.shape[0], X_q.shape[1], X_kv.shape[1])) < 0.7
    return {"theta": theta, "X_q": X_q, "X_kv": X_kv, "mask": mask, "causal": False}


def _mha_backward(rng):
    theta, X_q, _ = _mha(rng)
    Y, cache = attention.mha_forward(theta, X_q, causal=True)
    return {"theta": theta, "cache": cache, "dY": rng.standard_normal(Y.shape)}


def _ln(rng):
    n = int(rng.integers(2, 5))
    return rng.standard_normal((1, 2, 3, n)), rng.standard_normal(n), rng.standard_normal(n)


def _ln_backward(rng):
    X, gamma, beta = _ln(rng)
    _, cache = attention.layernorm_forward(X, gamma, beta)
    return {"dY": rng.standard_normal(X.shape), "gamma": gamma, "cache": cache}


def _stack(rng):
    Ws, bs = attention.random_stack(3, [0.5, 0.2], rng=rng)
    return {"Ws": Ws, "bs": bs, "x": rng.standard_normal(3), "residual": True}


def _block(rng):
    theta = attention.init_block(4, 2, 6, rng=rng)
    return theta, rng.standard_normal((2, 3, 4))


def _block_backward(rng):
    theta, X = _block(rng)
    Y, cache = attention.block_forward(theta, X, activation="tanh", causal=True)
    return {
        "theta": theta,
        "cache": cache,
        "dY": rng.standard_normal(Y.shape),
        "activation": "tanh",
    }


def _fields(obj):
    return dict(vars(obj))


EXAMPLES = [
    Example(attention.causal_mask, lambda rng: {"n_q": 3, "n_k": 4}),
    Example(
        attention.softmax_rows,
        lambda rng: {
            "S": np.where(
                rng.random((1, 2, 3, 4)) < 0.8, rng.standard_normal((1, 2, 3, 4)), -np.inf
            )
        },
    ),
    Example(
        attention.softmax_rows_backward,
        lambda rng: {
            "dP": rng.standard_normal((3, 4)),
            "P": attention.softmax_rows(rng.standard_normal((3, 4))),
        },
    ),
    Example(attention.attention_scores, _scores),
    Example(attention.sdpa_forward, _sdpa),
    Example(attention.sdpa_backward, _sdpa_backward),
    Example(
        attention.MHAParameters,
        lambda rng: {
            **dict(zip(("W_in", "b_in", "W_O", "b_O"), _mha(rng)[0].arrays())),
            "heads": 1,
        },
    ),
    Example(attention.MHACache, lambda rng: _fields(_mha_backward(rng)["cache"])),
    Example(
        attention.init_mha,
        lambda rng: {"d": 4, "heads": 2, "rng": rng, "dtype": np.float32, "bias_scale": 0.5},
    ),
    Example(attention.mha_forward, _mha_forward),
    Example(attention.mha_backward, _mha_backward),
    Example(attention.mha_num_parameters, lambda rng: {"d": 6, "heads": 3}),
    Example(
        attention.layernorm_forward,
        lambda rng: dict(zip(("X", "gamma", "beta"), _ln(rng))) | {"eps": 1e-5},
    ),
    Example(attention.layernorm_backward, _ln_backward),
    Example(
        attention.layernorm_jacobian,
        lambda rng: {"x": rng.standard_normal(4), "gamma": rng.standard_normal(4), "eps": 0.0},
    ),
    Example(attention.LayerNormCache, lambda rng: _fields(_ln_backward(rng)["cache"])),
    Example(attention.random_stack, lambda rng: {"n": 3, "eps": [0.1, 0.5], "rng": rng}),
    Example(attention.stack_jacobian, _stack),
    Example(
        attention.BlockParameters,
        lambda rng: {k: v for k, v in _fields(_block(rng)[0]).items()},
    ),
    Example(attention.BlockCache, lambda rng: _fields(_block_backward(rng)["cache"])),
    Example(
        attention.init_block,
        lambda rng: {"d": 4, "heads": 2, "d_ff": 3, "rng": rng, "dtype": "float64"},
    ),
    Example(
        attention.block_forward,
        lambda rng: (
            dict(zip(("theta", "X"), _block(rng)))
            | {"activation": "relu", "causal": True, "eps": 1e-5}
        ),
    ),
    Example(attention.block_backward, _block_backward),
]
