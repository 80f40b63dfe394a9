"""One interface over the three recurrent layers: RNN, LSTM and GRU.

Stacked and bidirectional networks, language models and encoder-decoders do not care
which cell they run; they call

    h, cache = cell_forward(cell, x, params, h0, c0)        # h (N, T, H)
    dx, dh0, dc0, grads = cell_backward(cell, dh, cache)

with ``cell`` in {"rnn", "lstm", "gru"} and ``params`` a dict named after the math:

* "rnn":  W_xh (D, H),  W_hh (H, H),  b_h (H,)                         :mod:`rnnbook.rnn`
* "lstm": W_xh (D, 4H), W_hh (H, 4H), b (4H,)      gates (i, f, g, o)   :mod:`rnnbook.lstm`
* "gru":  W_xh (D, 3H), W_hh (H, 3H), b_xh (3H,), b_hh (3H,)  (r, z, n) :mod:`rnnbook.gru`

Only the LSTM has a cell state c; for the other cells ``c0`` must be None and ``dc0``
is None.
"""
from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validation import check_array, check_choice, check_positive_int

__all__ = ["CELLS", "PARAM_NAMES", "CellCache", "cell_forward", "cell_backward",
           "cell_init", "cell_param_count", "final_state"]

CELLS = ("rnn", "lstm", "gru")
PARAM_NAMES = {"rnn": ("W_xh", "W_hh", "b_h"), "lstm": ("W_xh", "W_hh", "b"),
               "gru": ("W_xh", "W_hh", "b_xh", "b_hh")}
_GATES = {"rnn": 1, "lstm": 4, "gru": 3}


class CellCache(NamedTuple):
    """What :func:`cell_forward` keeps: the cell's name and the cell's own cache."""
    cell: str
    inner: Any            # RNNCache, LSTMCache or the GRU cache
    has_c0: bool          # whether the LSTM was given an explicit c0


def _check_params(cell, params):
    check_choice("cell", cell, CELLS)
    if not isinstance(params, dict) or set(params) != set(PARAM_NAMES[cell]):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected the keys "
                         f"{sorted(PARAM_NAMES[cell])} of a {cell!r} cell")


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


def cell_forward(cell, x, params, h0=None, c0=None):
    """Run one recurrent layer over a sequence.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    x : (N, T, D) ndarray
    params : dict
        The cell's parameters (see the module docstring).
    h0 : (N, H) ndarray, optional
        Initial hidden state (default zeros).
    c0 : (N, H) ndarray, optional
        Initial cell state of the LSTM (default zeros); must be None for other cells.

    Returns
    -------
    h : (N, T, H) ndarray
    cache : CellCache
    """
    _check_params(cell, params)
    x = check_array("x", x, ("N", "T", "D"))
    H = params["W_hh"].shape[0]
    if h0 is None:
        h0 = np.zeros((x.shape[0], H), dtype=np.result_type(x, params["W_hh"]))
    if cell != "lstm" and c0 is not None:
        raise ValueError(f"c0 is given for a {cell!r} cell; expected None (only the "
                         "LSTM has a cell state)")
    if cell == "rnn":
        from .rnn import rnn_forward
        h, inner = rnn_forward(x, h0, params["W_xh"], params["W_hh"], params["b_h"])
    elif cell == "lstm":
        from .lstm import lstm_forward
        h, inner = lstm_forward(x, h0, params["W_xh"], params["W_hh"], params["b"], c0=c0)
    else:
        from .gru import gru_forward
        h, inner = gru_forward(x, h0, params["W_xh"], params["W_hh"], params["b_xh"],
                               params["b_hh"])
    return h, CellCache(cell, inner, c0 is not None)


def final_state(cache):
    """(h_T, c_T) of a forward pass: the state to carry into the next chunk.

    c_T is None for the RNN and the GRU.
    """
    h_T = cache.inner.h[:, -1]
    c_T = cache.inner.c[:, -1] if cache.cell == "lstm" else None
    return h_T, c_T


def cell_backward(cell, dh, cache, dc_last=None):
    """Backward of :func:`cell_forward`.

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
        Must be the cell of the forward pass.
    dh : (N, T, H) ndarray
        dLoss/dh_t for every step (zeros where unused).
    cache : CellCache
    dc_last : (N, H) ndarray, optional
        LSTM only: dLoss/dc_T from outside (e.g. a decoder started from c_T).

    Returns
    -------
    dx : (N, T, D) ndarray
    dh0 : (N, H) ndarray
    dc0 : (N, H) ndarray or None
        dLoss/dc0 for the LSTM, None for the other cells.
    grads : dict
        dLoss/dparam with the keys of ``params``.
    """
    if not isinstance(cache, CellCache) or cache.cell != cell:
        raise ValueError(f"cache is a {type(cache).__name__}"
                         f"{' of cell ' + repr(cache.cell) if isinstance(cache, CellCache) else ''}"
                         f"; expected the CellCache of a {cell!r} forward pass")
    if dc_last is not None and cell != "lstm":
        raise ValueError(f"dc_last is given for a {cell!r} cell; expected None")
    names = PARAM_NAMES[cell]
    dc0 = None
    if cell == "rnn":
        from .rnn import rnn_backward
        dx, dh0, *g = rnn_backward(dh, cache.inner)
    elif cell == "lstm":
        from .lstm import lstm_backward
        dx, dh0, *g, dc0 = lstm_backward(dh, cache.inner, dc_last=dc_last, return_dc0=True)
    else:
        from .gru import gru_backward
        dx, dh0, *g = gru_backward(dh, cache.inner)
    return dx, dh0, dc0, dict(zip(names, g))
