"""One LSTM step: the teaching functions ``lstm_step_forward`` / ``lstm_step_backward``.

With row vectors and the four gates stacked along the last axis in PyTorch's order
(i, f, g, o)::

    a_t = x_t W_xh + h_{t-1} W_hh + b                  (N, 4H)
    i_t = sigmoid(a_t[:, 0:H])      input gate
    f_t = sigmoid(a_t[:, H:2H])     forget gate
    g_t = tanh(a_t[:, 2H:3H])       candidate cell value
    ω_t = sigmoid(a_t[:, 3H:4H])    output gate (code name ``o``, PyTorch's order)
    c_t = f_t * c_{t-1} + i_t * g_t                     cell state
    h_t = ω_t * tanh(c_t)                               hidden state

The sequence functions of :mod:`rnnbook.lstm` run the same equations over T steps
(every name here is also importable from :mod:`rnnbook.lstm`).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._gates import sigmoid_
from ._validation import check_array, check_cache, check_gate_weights, check_same_shape

__all__ = ["LSTMStepCache", "lstm_step_forward", "lstm_step_backward"]


class LSTMStepCache(NamedTuple):
    """What :func:`lstm_step_backward` needs from one step (gates after activation)."""
    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    c_prev: np.ndarray   # (N, H)
    i: np.ndarray        # (N, H)
    f: np.ndarray        # (N, H)
    g: np.ndarray        # (N, H)
    o: np.ndarray        # (N, H)
    tanh_c: np.ndarray   # (N, H)
    W_xh: np.ndarray     # (D, 4H)
    W_hh: np.ndarray     # (H, 4H)


def _activate(a, H):
    """In place: pre-activations (N, 4H) -> gates (sigmoid, sigmoid, tanh, sigmoid)."""
    sigmoid_(a[:, :2 * H])
    np.tanh(a[:, 2 * H:3 * H], out=a[:, 2 * H:3 * H])
    sigmoid_(a[:, 3 * H:])
    return a


def _check_step_params(W_xh, W_hh, b, dims):
    W_xh, W_hh = check_gate_weights(W_xh, W_hh, "ifgo", dims)
    b = check_array("b", b, ("4H",), dims=dims)
    return W_xh, W_hh, b


def lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b):
    """One LSTM step.

    Parameters
    ----------
    x : (N, D) ndarray
    h_prev, c_prev : (N, H) ndarray
        Hidden and cell state of the previous step.
    W_xh : (D, 4H) ndarray
    W_hh : (H, 4H) ndarray
    b : (4H,) ndarray
        Gates stacked in the order (i, f, g, o).

    Returns
    -------
    h, c : (N, H) ndarray
    cache : LSTMStepCache
    """
    dims = {}
    W_xh, W_hh, b = _check_step_params(W_xh, W_hh, b, dims)
    x = check_array("x", x, ("N", "D"), dims=dims, note="with D = W_xh.shape[0]")
    h_prev = check_array("h_prev", h_prev, ("N", "H"), dims=dims)
    c_prev = check_array("c_prev", c_prev, ("N", "H"), dims=dims)
    return _step_forward(x, h_prev, c_prev, W_xh, W_hh, b)


def _step_forward(x, h_prev, c_prev, W_xh, W_hh, b):
    """:func:`lstm_step_forward` without the checks (for loops that checked once)."""
    H = h_prev.shape[1]
    gates = _activate(x @ W_xh + h_prev @ W_hh + b, H)
    i, f, g, o = (gates[:, k * H:(k + 1) * H] for k in range(4))
    c = f * c_prev + i * g                          # the cell path: multiply and add
    tanh_c = np.tanh(c)
    h = o * tanh_c
    return h, c, LSTMStepCache(x, h_prev, c_prev, i, f, g, o, tanh_c, W_xh, W_hh)


def lstm_step_backward(dh, dc, cache):
    """Backward pass of one LSTM step.

    Parameters
    ----------
    dh, dc : (N, H) ndarray
        dLoss/dh_t and dLoss/dc_t arriving from above and from step t+1.
    cache : LSTMStepCache

    Returns
    -------
    dx : (N, D) ndarray
    dh_prev, dc_prev : (N, H) ndarray
    dW_xh : (D, 4H) ndarray
    dW_hh : (H, 4H) ndarray
    db : (4H,) ndarray
    """
    ca = check_cache(cache, LSTMStepCache, "lstm_step_forward")
    dh = check_same_shape("dh", dh, "cache.h_prev", ca.h_prev)
    dc = check_same_shape("dc", dc, "cache.c_prev", ca.c_prev)
    return _step_backward(dh, dc, ca)


def _step_backward(dh, dc, ca):
    """:func:`lstm_step_backward` without the checks."""
    i, f, g, o, tanh_c = ca.i, ca.f, ca.g, ca.o, ca.tanh_c
    do = dh * tanh_c                                 # h = o * tanh(c)
    dc = dc + dh * o * (1.0 - tanh_c ** 2)
    di, df, dg = dc * g, dc * ca.c_prev, dc * i      # c = f * c_prev + i * g
    dc_prev = dc * f
    da = np.concatenate([di * i * (1 - i), df * f * (1 - f),
                         dg * (1 - g ** 2), do * o * (1 - o)], axis=1)
    return (da @ ca.W_xh.T, da @ ca.W_hh.T, dc_prev, ca.x.T @ da, ca.h_prev.T @ da,
            da.sum(axis=0))
