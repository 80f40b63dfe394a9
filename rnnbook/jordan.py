"""The Jordan network: the context is the previous *output*, not the hidden state.

Jordan (1986) fed the network's output back as "state units". With row vectors:

    a_t = x_t W_xh + y_{t-1} W_yh + b_h,     h_t = f(a_t)
    o_t = h_t W_hq + b_q,                    y_t = g(o_t)

with y_{-1} = y0 given, x (N, T, D), h (N, T, H), y (N, T, V), W_xh (D, H),
W_yh (V, H), b_h (H,), W_hq (H, V), b_q (V,). The output layer has the book's names
(o_t = h_t W_hq + b_q, as for every other network); y_t = g(o_t) is what the network
reports and feeds back as its context (chapter 3 writes it o_{t-1}, with g the
identity, and W_yh as W_oh).

The choice of g: by default g is the identity, so y_t = o_t are the raw scores
(logits of a classifier, or a real-valued prediction) and the context carries exactly
what the network reports. ``output_activation="tanh"`` or ``"sigmoid"`` bounds the context, as
in Jordan's sigmoid units; any name of :mod:`rnnbook.activations` is accepted.

Backward: the gradient reaching y_t is the local dy_t plus the gradient sent back
through the next step's context, dy_{t -> t-1} = da_t W_yh^T:

    do_t = (dy_t + da_{t+1} W_yh^T) * g'(o_t),   dh_t = do_t W_hq^T,   da_t = dh_t * f'(a_t)

The whole memory of a Jordan network has to pass through the V output units, which
is the structural difference from the Elman network (:mod:`rnnbook.rnn`), whose
memory is the H hidden units.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_cache, check_choice, check_nonempty_time,
                          check_same_shape, check_state, float_dtype)
from .activations import ACTIVATIONS

__all__ = ["JordanCache", "jordan_forward", "jordan_backward"]


class JordanCache(NamedTuple):
    """What :func:`jordan_forward` keeps for :func:`jordan_backward`."""
    x: np.ndarray        # (N, T, D)
    y0: np.ndarray       # (N, V)    initial context y_{-1}
    h: np.ndarray        # (N, T, H) h_t = f(a_t)
    y: np.ndarray        # (N, T, V) y_t = g(o_t)
    W_xh: np.ndarray     # (D, H)
    W_yh: np.ndarray     # (V, H)
    b_h: np.ndarray      # (H,)
    W_hq: np.ndarray     # (H, V)
    b_q: np.ndarray      # (V,)
    activation: str
    output_activation: str


def jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq, b_q, activation="tanh",
                   output_activation="identity"):
    """Run a Jordan network over T steps.

    Parameters
    ----------
    x : (N, T, D) ndarray
    y0 : (N, V) ndarray or None
        The context before the first step (the "previous output" y_{-1}; None: zeros).
    W_xh : (D, H) ndarray
    W_yh : (V, H) ndarray
        Context (previous output) to hidden weights.
    b_h : (H,) ndarray
    W_hq : (H, V) ndarray
        Hidden-to-output weights, o_t = h_t W_hq + b_q.
    b_q : (V,) ndarray
    activation : {"tanh", "sigmoid", "relu", "identity"}
        Hidden activation f.
    output_activation : {"identity", "tanh", "sigmoid", "relu"}
        Output activation g (its output is fed back as the context).

    Returns
    -------
    y : (N, T, V) ndarray
        Outputs of every step.
    cache : JordanCache
    """
    dims = {}
    W_xh = check_array("W_xh", W_xh, ("D", "H"), dims=dims)
    W_yh = check_array("W_yh", W_yh, ("V", "H"), dims=dims)
    b_h = check_array("b_h", b_h, ("H",), dims=dims)
    W_hq = check_array("W_hq", W_hq, ("H", "V"), dims=dims)
    b_q = check_array("b_q", b_q, ("V",), dims=dims)
    x = check_nonempty_time(check_array("x", x, ("N", "T", "D"), dims=dims))
    y0 = check_state("y0", y0, (dims["N"], dims["V"]),
                     float_dtype(x, W_xh, W_yh, b_h, W_hq, b_q))
    check_choice("activation", activation, tuple(ACTIVATIONS))
    check_choice("output_activation", output_activation, tuple(ACTIVATIONS))
    f, g = ACTIVATIONS[activation][0], ACTIVATIONS[output_activation][0]
    N, T, _ = x.shape
    xw = x @ W_xh + b_h                                  # input terms of all steps at once
    h = np.empty(xw.shape, dtype=float_dtype(xw, y0, W_yh, W_hq, b_q))
    y = np.empty((N, T, W_hq.shape[1]), dtype=h.dtype)
    y_prev = y0
    for t in range(T):
        h[:, t] = f(xw[:, t] + y_prev @ W_yh)
        y_prev = y[:, t] = g(h[:, t] @ W_hq + b_q)
    return y, JordanCache(x, y0, h, y, W_xh, W_yh, b_h, W_hq, b_q, activation,
                          output_activation)


def jordan_backward(dy, cache, *, dy_last=None):
    """Backpropagation through time for :func:`jordan_forward`.

    Parameters
    ----------
    dy : (N, T, V) ndarray
        Local gradients dLoss/dy_t of every step (the gradient through the context is
        added here).
    cache : JordanCache
    dy_last : (N, V) ndarray, optional
        Extra dLoss/dy_{T-1} from outside the sequence (Jordan's state is its output,
        so this is the ``dh_last`` of the other layers).

    Returns
    -------
    dx : (N, T, D) ndarray
    dy0 : (N, V) ndarray
    dW_xh : (D, H) ndarray
    dW_yh : (V, H) ndarray
    db_h : (H,) ndarray
    dW_hq : (H, V) ndarray
    db_q : (V,) ndarray
    """
    check_cache(cache, JordanCache, "jordan_forward")
    dy = check_same_shape("dy", dy, "cache.y", cache.y)
    if dy_last is not None:
        dy = dy.copy()
        dy[:, -1] += check_same_shape("dy_last", dy_last, "cache.y0", cache.y0)
    x, h, y = cache.x, cache.h, cache.y
    N, T, H = h.shape
    V, D = y.shape[2], x.shape[2]
    fprime = ACTIVATIONS[cache.activation][1](h)
    gprime = ACTIVATIONS[cache.output_activation][1](y)
    da = np.zeros_like(h * dy[:, :1, :1])
    do = np.zeros_like(y * dy)
    carry = np.zeros_like(do[:, 0])                      # gradient into y_t from step t+1
    for t in range(T - 1, -1, -1):
        do_t = (dy[:, t] + carry) * gprime[:, t]         # y_t = g(o_t)
        da_t = (do_t @ cache.W_hq.T) * fprime[:, t]      # o_t = h_t W_hq + b_q
        carry = da_t @ cache.W_yh.T                      # a_t = ... + y_{t-1} W_yh
        do[:, t], da[:, t] = do_t, da_t
    y_prev = np.concatenate([cache.y0[:, None], y[:, :-1]], axis=1)
    da2, do2 = da.reshape(N * T, H), do.reshape(N * T, V)
    dx = da @ cache.W_xh.T
    dW_xh = x.reshape(N * T, D).T @ da2
    dW_yh = y_prev.reshape(N * T, V).T @ da2
    db_h = da2.sum(axis=0)
    dW_hq = h.reshape(N * T, H).T @ do2
    db_q = do2.sum(axis=0)
    return dx, carry, dW_xh, dW_yh, db_h, dW_hq, db_q
