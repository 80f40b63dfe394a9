"""What the LSTM and GRU explorers (chapters 8 and 9) share: one input sequence, the
vanilla tanh RNN they are compared with, and the clipped log scale they plot on."""
from functools import lru_cache

import numpy as np

from ..memory import hidden_jacobian_norms
from ..models import init_params

T, D, H = 60, 4, 16
LIMIT = 1e6          # larger norms are drawn at the limit (and labelled as overflow)
FLOOR = 1e-30        # smaller norms (and exact zeros) are drawn at the floor


@lru_cache(maxsize=1)
def inputs():
    """The input sequence x, shape (T, D)."""
    return np.random.default_rng(0).standard_normal((T, D))


@lru_cache(maxsize=1)
def rnn_norms():
    """||d h_{T-1} / d h_k|| of a vanilla tanh RNN with PyTorch's default weights."""
    p = init_params("rnn", D, H, 1, np.random.default_rng(1))
    return hidden_jacobian_norms("rnn", p, inputs())["h"]


def log_clipped(v):
    """log10 of v clipped to [FLOOR, LIMIT]; inf and NaN are drawn at LIMIT."""
    return np.log10(np.clip(np.where(np.isfinite(v), v, LIMIT), FLOOR, LIMIT))
