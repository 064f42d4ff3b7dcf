r"""Recurrent networks: the Elman RNN, LSTM and GRU (forward and backward), Jacobian products,
gradient clipping and the adding problem. Chapter *Recurrent networks* (``book/rnn``).

Arrays come from any array-API library (NumPy, torch on CPU or CUDA, ...; results keep the
inputs' namespace, device and dtype), time-major: inputs ``X`` of shape ``(T, m, d)``, states ``H`` of shape
``(T + 1, m, n)`` with ``H[0]`` the initial state; batches are rows. The gated cells are written
once as plain code (:func:`lstm_cell`, :func:`gru_cell` and their backward rules); the layers run
the same equations in fused private kernels, tested against the cells.
"""

from .elman import (
    ACTIVATIONS,
    RNNForward,
    RNNGradient,
    RNNParameters,
    clip_global_norm,
    global_norm,
    init_rnn,
    rnn_backward,
    rnn_forward,
    rnn_loss_and_gradient,
    sigma_prime_from_value,
)
from .gru import (
    GRUForward,
    GRUGradient,
    GRUParameters,
    gru_backward,
    gru_cell,
    gru_cell_backward,
    gru_forward,
    init_gru,
)
from .jacobians import (
    cell_path_products,
    hidden_jacobian,
    jacobian_norms,
    linear_power_norms,
)
from .lstm import (
    LSTMForward,
    LSTMGradient,
    LSTMParameters,
    init_lstm,
    lstm_backward,
    lstm_cell,
    lstm_cell_backward,
    lstm_forward,
)

__all__ = [
    "ACTIVATIONS",
    "RNNParameters",
    "RNNForward",
    "RNNGradient",
    "init_rnn",
    "rnn_forward",
    "rnn_backward",
    "rnn_loss_and_gradient",
    "sigma_prime_from_value",
    "clip_global_norm",
    "global_norm",
    "LSTMParameters",
    "LSTMForward",
    "LSTMGradient",
    "init_lstm",
    "lstm_cell",
    "lstm_cell_backward",
    "lstm_forward",
    "lstm_backward",
    "GRUParameters",
    "GRUForward",
    "GRUGradient",
    "init_gru",
    "gru_cell",
    "gru_cell_backward",
    "gru_forward",
    "gru_backward",
    "hidden_jacobian",
    "jacobian_norms",
    "linear_power_norms",
    "cell_path_products",
]
