"""Bidirectional recurrent layers: one pass forward in time, one backward.

Han Bingtao's tutorial writes the bidirectional RNN with two sets of weights, U, W for the forward
direction and U', W' for the backward one, that are *not shared*. In our notation::

    h->_t = cell(x_t, h->_{t-1}; params_f)       t = 0, 1, ..., T-1
    h<-_t = cell(x_t, h<-_{t+1}; params_b)       t = T-1, ..., 1, 0
    h_t   = [h->_t, h<-_t]                        (N, 2H), PyTorch's order

The backward direction is the ordinary layer run on the time-reversed sequence,
with its outputs reversed back; its backward pass is the same trick applied to the
gradients. An output layer on top (Han Bingtao's V and V') sees both halves of h_t.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from ._validation import check_array, check_cache, check_choice
from .registry import CellCache, cell_backward, cell_forward

__all__ = ["BiCache", "BiGrads", "bidirectional_forward", "bidirectional_backward",
           "STACKABLE"]

#: Cells whose state is a hidden vector of size H (Jordan's is its output, so it is left out).
STACKABLE = ("rnn", "leaky", "skip", "lstm", "gru")


class BiCache(NamedTuple):
    """Caches of both directions (``bwd`` ran on the reversed sequence)."""
    cell: str
    fwd: CellCache
    bwd: CellCache
    H: int


class BiGrads(NamedTuple):
    """Gradients of :func:`bidirectional_backward`."""
    dx: np.ndarray                  # (N, T, D)
    dparams_f: dict                 # keys of params_f
    dparams_b: dict                 # keys of params_b
    dh0_f: np.ndarray               # (N, H)
    dh0_b: np.ndarray               # (N, H) initial state of the backward direction
    dc0_f: Optional[np.ndarray]     # (N, H), LSTM only
    dc0_b: Optional[np.ndarray]


def bidirectional_forward(x, params_f, params_b, cell="rnn", h0_f=None, h0_b=None,
                          c0_f=None, c0_b=None, **options):
    """Run a bidirectional layer.

    Parameters
    ----------
    x : (N, T, D) ndarray
    params_f, params_b : dict
        Parameters of the forward and the backward direction (separate weights), each
        as in :func:`rnnbook.cells.cell_forward`, with the same hidden size H.
    cell : {"rnn", "leaky", "skip", "lstm", "gru"}
    h0_f, h0_b : (N, H) ndarray, optional
        Initial states; ``h0_b`` is the state *after* the last step (default zeros).
    c0_f, c0_b : (N, H) ndarray, optional
        LSTM cell states.
    **options
        The cell's options (``activation``, ``alpha``, ``d``, ``formulation``), the
        same for both directions; see :func:`rnnbook.registry.cell_forward`.

    Returns
    -------
    h : (N, T, 2H) ndarray
        ``h[:, t, :H]`` is the forward state at t, ``h[:, t, H:]`` the backward one.
    cache : BiCache
    """
    check_choice("cell", cell, STACKABLE)
    x = check_array("x", x, ("N", "T", "D"))
    h_f, cache_f = cell_forward(cell, x, params_f, h0_f, c0_f, **options)
    h_b, cache_b = cell_forward(cell, x[:, ::-1], params_b, h0_b, c0_b, **options)
    if h_f.shape != h_b.shape:
        raise ValueError(f"params_b gives hidden size H = {h_b.shape[2]}; expected "
                         f"H = {h_f.shape[2]}, the one of params_f")
    h = np.concatenate([h_f, h_b[:, ::-1]], axis=2)
    return h, BiCache(cell, cache_f, cache_b, h_f.shape[2])


def bidirectional_backward(dh, cache, dc_last_f=None, dc_last_b=None):
    """Backward of :func:`bidirectional_forward`.

    Parameters
    ----------
    dh : (N, T, 2H) ndarray
        dLoss/dh_t for both halves.
    cache : BiCache
    dc_last_f, dc_last_b : (N, H) ndarray, optional
        LSTM: gradients reaching the final cell state of each direction from outside.

    Returns
    -------
    BiGrads
        ``dx`` is the sum of what the two directions send to the input.
    """
    check_cache(cache, BiCache, "bidirectional_forward")
    N, T = cache.fwd.inner.x.shape[:2]
    H = cache.H
    dh = check_array("dh", dh, (N, T, 2 * H))
    dx_f, g_f, dh0_f, dc0_f = cell_backward(cache.cell, dh[:, :, :H], cache.fwd, dc_last_f)
    dx_b, g_b, dh0_b, dc0_b = cell_backward(cache.cell, dh[:, ::-1, H:], cache.bwd,
                                            dc_last_b)
    return BiGrads(dx_f + dx_b[:, ::-1], g_f, g_b, dh0_f, dh0_b, dc0_f, dc0_b)
