"""Parameters of the three standard recurrent layers (RNN, LSTM, GRU), and the
cell interface re-exported from :mod:`rnnbook.registry`.

Stacked and bidirectional networks, language models and encoder-decoders do not care
which cell they run; they call (see :mod:`rnnbook.registry` for the conventions)

    h, cache = cell_forward(cell, x, params, h0, c0)        # h (N, T, H)
    dx, dparams, dh0, dc0 = cell_backward(cell, dh, cache)  # a CellGrads

``cell_forward`` also runs "leaky", "skip" and "jordan" cells; :func:`cell_init` and
:func:`cell_param_count` cover the three below.

with ``cell`` in {"rnn", "lstm", "gru"} and ``params`` a dict named after the math:

* "rnn":  W_xh (D, H),  W_hh (H, H),  b_h (H,)                         :mod:`rnnbook.rnn`
* "lstm": W_xh (D, 4H), W_hh (H, 4H), b (4H,)      gates (i, f, g, o)   :mod:`rnnbook.lstm`
* "gru":  W_xh (D, 3H), W_hh (H, 3H), b_xh (3H,), b_hh (3H,)  (r, z, n) :mod:`rnnbook.gru`

Only the LSTM has a cell state c; for the other cells ``c0`` must be None and ``dc0``
is None.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_positive_int, check_rng
from .registry import CellCache, CellGrads, cell_backward, cell_forward, final_state

__all__ = ["CELLS", "PARAM_NAMES", "CellCache", "CellGrads", "cell_forward",
           "cell_backward", "cell_init", "cell_param_count", "final_state"]

CELLS = ("rnn", "lstm", "gru")
PARAM_NAMES = {"rnn": ("W_xh", "W_hh", "b_h"), "lstm": ("W_xh", "W_hh", "b"),
               "gru": ("W_xh", "W_hh", "b_xh", "b_hh")}
_GATES = {"rnn": 1, "lstm": 4, "gru": 3}


def cell_param_count(cell, D, H):
    """Number of parameters: G H (D + H) weights plus G H biases (2 G H for the GRU).

    G = 1 (RNN), 4 (LSTM), 3 (GRU).
    """
    check_choice("cell", cell, CELLS)
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    G = _GATES[cell]
    return G * H * (D + H) + G * H * (2 if cell == "gru" else 1)


def cell_init(cell, D, H, rng, dtype=np.float64, *, init=None, T_max=None):
    """Parameters as a dict; by default every weight *and bias* uniform in
    [-1/sqrt(H), 1/sqrt(H)], PyTorch's default.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    D, H : int
        Input and hidden sizes.
    rng : numpy.random.Generator
    init : str or dict, optional
        A preset of :mod:`rnnbook.init` (see :func:`rnnbook.models.init_params`):
        the weights are drawn as by default, then the biases (RNN: W_hh and b_h = 0)
        are replaced by the preset's.
    T_max : float, optional
        For ``init="chrono"``.
    """
    check_choice("cell", cell, CELLS)
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    check_rng(rng)
    G, k = _GATES[cell], 1.0 / np.sqrt(H)
    shapes = {"W_xh": (D, G * H), "W_hh": (H, G * H), "b_h": (H,), "b": (4 * H,),
              "b_xh": (3 * H,), "b_hh": (3 * H,)}
    p = {name: rng.uniform(-k, k, shapes[name]) for name in PARAM_NAMES[cell]}
    if init is not None:
        from .init import gru_gate_bias, lstm_gate_bias, resolve_preset, \
            rnn_recurrent_weights
        kw = resolve_preset(cell, init, T_max)
        if cell == "lstm":
            p["b"] = lstm_gate_bias(H, rng, **kw)
        elif cell == "gru":
            p["b_xh"], p["b_hh"] = gru_gate_bias(H, rng, **kw)
        else:
            p["W_hh"], p["b_h"] = rnn_recurrent_weights(H, rng, kw["preset"]), np.zeros(H)
    return {name: v.astype(dtype) for name, v in p.items()}

