"""Attention and transformers: scaled dot-product attention, multi-head attention, layer
normalisation, a pre-LN transformer block and residual stacks, each forward with its backward."""

from .block import BlockCache, BlockParameters, block_backward, block_forward, init_block
from .layernorm import (
    EPS,
    LayerNormCache,
    layernorm_backward,
    layernorm_forward,
    layernorm_jacobian,
)
from .mha import MHACache, MHAParameters, init_mha, mha_backward, mha_forward, mha_num_parameters
from .residual import random_stack, stack_jacobian
from .sdpa import (
    attention_scores,
    causal_mask,
    sdpa_backward,
    sdpa_forward,
    softmax_rows,
    softmax_rows_backward,
)

__all__ = [
    "BlockCache",
    "BlockParameters",
    "block_backward",
    "block_forward",
    "init_block",
    "EPS",
    "LayerNormCache",
    "layernorm_backward",
    "layernorm_forward",
    "layernorm_jacobian",
    "MHACache",
    "MHAParameters",
    "init_mha",
    "mha_backward",
    "mha_forward",
    "mha_num_parameters",
    "random_stack",
    "stack_jacobian",
    "attention_scores",
    "causal_mask",
    "sdpa_backward",
    "sdpa_forward",
    "softmax_rows",
    "softmax_rows_backward",
]
