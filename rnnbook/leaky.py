"""Leaky-integrator units: a recurrent layer with a built-in slow time scale.

Each unit mixes its previous value with a fresh Elman update (the Chinese CS231n notes'
mu(t) = alpha mu(t-1) + (1 - alpha) v(t)):

    v_t = f(x_t W_xh + h_{t-1} W_hh + b_h)
    h_t = alpha h_{t-1} + (1 - alpha) v_t

alpha = 0 is the Elman layer; alpha close to 1 makes h a slow running average, and
the Jacobian dh_t/dh_{t-1} = alpha I + (1 - alpha) diag(f') W_hh^T has a direct term that decays like alpha^(t-k)
instead of like the product of the W_hh Jacobians. alpha may be one number or one
value per unit, (H,), for several time scales at once.

Backward (g_t = total dL/dh_t, the local gradient plus what comes from t+1):

    dv_t = (1 - alpha) g_t,   da_t = dv_t * f'(a_t)  (f' from v_t),
    dL/dh_{t-1} += alpha g_t + da_t W_hh^T.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_cache, check_choice, check_nonempty_time,
                          check_same_shape, check_state, float_dtype)
from .activations import ACTIVATIONS

__all__ = ["LeakyCache", "leaky_rnn_forward", "leaky_rnn_backward"]


class LeakyCache(NamedTuple):
    """What :func:`leaky_rnn_forward` keeps for :func:`leaky_rnn_backward`."""
    x: np.ndarray        # (N, T, D)
    h0: np.ndarray       # (N, H)
    h: np.ndarray        # (N, T, H) leaky states h_t
    v: np.ndarray        # (N, T, H) v_t = f(a_t)
    W_xh: np.ndarray     # (D, H)
    W_hh: np.ndarray     # (H, H)
    b_h: np.ndarray      # (H,)
    alpha: np.ndarray    # () or (H,)
    activation: str


def _check_alpha(alpha, H, dtype):
    if isinstance(alpha, (bool, np.bool_, str, bytes)) or alpha is None:
        raise ValueError(f"alpha is {alpha!r}; expected a number or an array of shape "
                         f"(H,) = ({H},) with values in [0, 1]")
    try:
        a = np.asarray(alpha, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"alpha is {alpha!r}; expected a number or an array of shape "
                         f"(H,) = ({H},)") from None
    if a.ndim not in (0, 1) or (a.ndim == 1 and a.shape != (H,)):
        raise ValueError(f"alpha has shape {a.shape}; expected a number or shape (H,) = ({H},)")
    if not np.all(np.isfinite(a)) or np.any(a < 0) or np.any(a > 1):
        raise ValueError(f"alpha is {alpha!r}; expected values in [0, 1]")
    return a.astype(dtype)


def leaky_rnn_forward(x, h0, W_xh, W_hh, b_h, alpha, activation="tanh"):
    """Leaky-unit recurrence over T steps.

    Parameters
    ----------
    x : (N, T, D) ndarray
    h0 : (N, H) ndarray or None
        Initial state h_{-1} (None: zeros).
    W_xh : (D, H) ndarray
    W_hh : (H, H) ndarray
    b_h : (H,) ndarray
    alpha : float or (H,) ndarray
        Leak in [0, 1]: the weight of the previous state.
    activation : {"tanh", "sigmoid", "relu", "identity"}

    Returns
    -------
    h : (N, T, H) ndarray
    cache : LeakyCache
    """
    dims = {}
    W_xh = check_array("W_xh", W_xh, ("D", "H"), dims=dims)
    W_hh = check_array("W_hh", W_hh, ("H", "H"), dims=dims)
    b_h = check_array("b_h", b_h, ("H",), dims=dims)
    x = check_nonempty_time(check_array("x", x, ("N", "T", "D"), dims=dims))
    dtype = float_dtype(x, W_xh, W_hh, b_h)
    h0 = check_state("h0", h0, (dims["N"], dims["H"]), dtype)
    dtype = float_dtype(dtype, h0)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    alpha = _check_alpha(alpha, dims["H"], dtype)
    f = ACTIVATIONS[activation][0]
    xw = x @ W_xh + b_h
    h = np.empty(xw.shape, dtype=dtype)
    v = np.empty(xw.shape, dtype=dtype)
    h_prev = h0
    for t in range(x.shape[1]):
        v[:, t] = f(xw[:, t] + h_prev @ W_hh)
        h_prev = h[:, t] = alpha * h_prev + (1.0 - alpha) * v[:, t]
    return h, LeakyCache(x, h0, h, v, W_xh, W_hh, b_h, alpha, activation)


def leaky_rnn_backward(dh, cache, *, dh_last=None):
    """Backward of :func:`leaky_rnn_forward` (full BPTT).

    Parameters
    ----------
    dh : (N, T, H) ndarray
        Local dL/dh_t of every step.
    cache : LeakyCache
    dh_last : (N, H) ndarray, optional
        Extra dLoss/dh_{T-1} from outside the sequence (default zeros).

    Returns
    -------
    dx : (N, T, D), dh0 : (N, H), dW_xh : (D, H), dW_hh : (H, H), db_h : (H,)
    """
    check_cache(cache, LeakyCache, "leaky_rnn_forward")
    dh = check_same_shape("dh", dh, "cache.h", cache.h)
    x, h0, h, v, W_xh, W_hh, alpha = (cache.x, cache.h0, cache.h, cache.v, cache.W_xh,
                                      cache.W_hh, cache.alpha)
    N, T, H = h.shape
    fprime = ACTIVATIONS[cache.activation][1](v)
    dtype = float_dtype(dh, h)
    da = np.empty(h.shape, dtype=dtype)
    carry = np.zeros((N, H), dtype=dtype)
    if dh_last is not None:
        carry += check_same_shape("dh_last", dh_last, "cache.h0", h0)
    for t in range(T - 1, -1, -1):
        g = dh[:, t] + carry
        da[:, t] = (1.0 - alpha) * g * fprime[:, t]
        carry = alpha * g + da[:, t] @ W_hh.T
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    da2 = da.reshape(N * T, H)
    dx = da @ W_xh.T
    dW_xh = x.reshape(N * T, -1).T @ da2
    dW_hh = h_prev.reshape(N * T, H).T @ da2
    return dx, carry, dW_xh, dW_hh, da2.sum(axis=0)
