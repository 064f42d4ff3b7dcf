r"""Convolutional networks (chapter *Convolutional networks*): convolution, pooling, a small CNN.

Layout NCHW as in PyTorch. Modules: :mod:`.conv` (cross-correlation forward/backward and the
transposed convolution: the reference step the book shows), :mod:`.im2col` (padding, im2col and
their adjoints), :mod:`.pool` (average and max pooling), :mod:`.model` (a small CNN, its forward
pass and backpropagation), :mod:`.train` (Adam, minibatches); :mod:`._fast` is the convolution
step in a faster memory layout, used by the model and tested against :mod:`.conv`.
"""

from __future__ import annotations

from ._geometry import Geometry, output_size
from .conv import (
    ConvCache,
    conv2d,
    conv2d_backward,
    conv2d_counts,
    conv2d_forward,
    conv_transpose2d,
)
from .im2col import col2im, im2col, pad, pad_adjoint
from .model import (
    CNNArchitecture,
    CNNForward,
    CNNParameters,
    cnn_counts,
    cnn_forward,
    cnn_loss_and_gradient,
    cnn_predict,
    init_cnn_parameters,
)
from .pool import (
    avg_pool2d,
    avg_pool2d_backward,
    max_pool2d,
    max_pool2d_backward,
    max_pool2d_forward,
)
from .train import AdamState, History, accuracy, adam_init, adam_update, train

__all__ = [
    "Geometry",
    "output_size",
    "ConvCache",
    "conv2d",
    "conv2d_counts",
    "conv2d_forward",
    "conv2d_backward",
    "conv_transpose2d",
    "im2col",
    "col2im",
    "pad",
    "pad_adjoint",
    "CNNArchitecture",
    "CNNForward",
    "CNNParameters",
    "cnn_counts",
    "cnn_forward",
    "cnn_loss_and_gradient",
    "cnn_predict",
    "init_cnn_parameters",
    "avg_pool2d",
    "avg_pool2d_backward",
    "max_pool2d",
    "max_pool2d_backward",
    "max_pool2d_forward",
    "AdamState",
    "History",
    "accuracy",
    "adam_init",
    "adam_update",
    "train",
]
