"""Skip connections in time: each state also sees the state d steps back.

    a_t = x_t W_xh + h_{t-1} W_hh + h_{t-d} W_skip + b_h,     h_t = f(a_t)

States before the start are the initial state: h_s = h0 for every s < 0. A gradient
can now travel from step t to step k in about (t - k) / d Jacobian factors instead of
t - k, so it vanishes d times more slowly in the number of steps (Lin et al. 1996;
the Deep Learning book, section 10.9.1).

Backward (g_t = total dL/dh_t):

    da_t = g_t * f'(a_t);   dL/dh_{t-1} += da_t W_hh^T;   dL/dh_{t-d} += da_t W_skip^T,

where a target step s < 0 means h0.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_cache, check_choice, check_nonempty_time,
                          check_positive_int, check_same_shape, check_state, float_dtype)
from .activations import ACTIVATIONS

__all__ = ["SkipCache", "skip_rnn_forward", "skip_rnn_backward"]


class SkipCache(NamedTuple):
    """What :func:`skip_rnn_forward` keeps for :func:`skip_rnn_backward`."""
    x: np.ndarray        # (N, T, D)
    h0: np.ndarray       # (N, H)
    h: np.ndarray        # (N, T, H)
    W_xh: np.ndarray     # (D, H)
    W_hh: np.ndarray     # (H, H)
    W_skip: np.ndarray   # (H, H)
    b_h: np.ndarray      # (H,)
    d: int
    activation: str


def skip_rnn_forward(x, h0, W_xh, W_hh, W_skip, b_h, d, activation="tanh"):
    """Recurrence with an extra connection from h_{t-d}.

    Parameters
    ----------
    x : (N, T, D) ndarray
    h0 : (N, H) ndarray or None
        Initial state, also used for every h_s with s < 0 (None: zeros).
    W_xh : (D, H) ndarray
    W_hh : (H, H) ndarray
    W_skip : (H, H) ndarray
    b_h : (H,) ndarray
    d : int
        Skip length (>= 2; d = 1 would just add W_skip to W_hh).
    activation : {"tanh", "sigmoid", "relu", "identity"}

    Returns
    -------
    h : (N, T, H) ndarray
    cache : SkipCache
    """
    dims = {}
    W_xh = check_array("W_xh", W_xh, ("D", "H"), dims=dims)
    W_hh = check_array("W_hh", W_hh, ("H", "H"), dims=dims)
    W_skip = check_array("W_skip", W_skip, ("H", "H"), dims=dims)
    b_h = check_array("b_h", b_h, ("H",), dims=dims)
    x = check_nonempty_time(check_array("x", x, ("N", "T", "D"), dims=dims))
    h0 = check_state("h0", h0, (dims["N"], dims["H"]), float_dtype(x, W_xh, W_hh, W_skip, b_h))
    d = check_positive_int("d", d, minimum=2)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    f = ACTIVATIONS[activation][0]
    xw = x @ W_xh + b_h
    h = np.empty(xw.shape, dtype=float_dtype(xw, h0, W_hh, W_skip))
    for t in range(x.shape[1]):
        h_prev = h[:, t - 1] if t >= 1 else h0
        h_skip = h[:, t - d] if t >= d else h0
        h[:, t] = f(xw[:, t] + h_prev @ W_hh + h_skip @ W_skip)
    return h, SkipCache(x, h0, h, W_xh, W_hh, W_skip, b_h, d, activation)


def skip_rnn_backward(dh, cache, *, dh_last=None):
    """Backward of :func:`skip_rnn_forward` (full BPTT).

    Parameters
    ----------
    dh : (N, T, H) ndarray
        Local dL/dh_t of every step.
    cache : SkipCache
    dh_last : (N, H) ndarray, optional
        Extra dLoss/dh_{T-1} from outside the sequence (default zeros).

    Returns
    -------
    dx : (N, T, D), dh0 : (N, H), dW_xh : (D, H), dW_hh : (H, H), dW_skip : (H, H),
    db_h : (H,)
    """
    check_cache(cache, SkipCache, "skip_rnn_forward")
    dh = check_same_shape("dh", dh, "cache.h", cache.h)
    x, h0, h, d = cache.x, cache.h0, cache.h, cache.d
    N, T, H = h.shape
    fprime = ACTIVATIONS[cache.activation][1](h)
    dtype = float_dtype(dh, h)
    g = np.array(dh, dtype=dtype, copy=True)       # total gradient, filled right to left
    if dh_last is not None:
        g[:, -1] += check_same_shape("dh_last", dh_last, "cache.h0", h0)
    dh0 = np.zeros((N, H), dtype=dtype)
    da = np.empty_like(g)
    for t in range(T - 1, -1, -1):
        da[:, t] = g[:, t] * fprime[:, t]
        back = da[:, t] @ cache.W_hh.T
        skip = da[:, t] @ cache.W_skip.T
        if t >= 1:
            g[:, t - 1] += back
        else:
            dh0 += back
        if t >= d:
            g[:, t - d] += skip
        else:
            dh0 += skip
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    idx = np.arange(T) - d
    h_skip = np.where((idx >= 0)[None, :, None], h[:, np.maximum(idx, 0)], h0[:, None])
    da2 = da.reshape(N * T, H)
    dx = da @ cache.W_xh.T
    dW_xh = x.reshape(N * T, -1).T @ da2
    dW_hh = h_prev.reshape(N * T, H).T @ da2
    dW_skip = h_skip.reshape(N * T, H).T @ da2
    return dx, dh0, dW_xh, dW_hh, dW_skip, da2.sum(axis=0)
