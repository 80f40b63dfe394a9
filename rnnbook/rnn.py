"""The Elman (vanilla) recurrent layer: forward and backward through time.

One step computes, for a batch of N row vectors,

    a_t = x_t W_xh + h_{t-1} W_hh + b_h,        h_t = f(a_t)

with x_t (N, D), h_t (N, H), W_xh (D, H), W_hh (H, H), b_h (H,). The sequence functions
take x (N, T, D) and return h (N, T, H). Because the input term x_t W_xh does not
depend on the recurrence, it is computed for all T steps in one matrix product before
the loop over time; the same holds for dx and dW_xh in the backward pass.

Backward (``dX`` means dLoss/dX; f' is written with the cached outputs h):

    da_t      = (dh_t + dh_{t+1 -> t}) * f'(a_t)      # local gradient + the future
    dh_{t-1}  = da_t W_hh^T                            # gradient sent back in time
    dW_xh = sum_t x_t^T da_t,  dW_hh = sum_t h_{t-1}^T da_t,  db_h = sum_t sum_n da_t

``truncate=k`` cuts the flow: the loss term at step t reaches only steps
t, t-1, ..., t-k+1 (k steps); h_{t-k} is treated as a constant. So dh0 receives
gradient only from steps t < k (0-based), and k >= T gives the full gradient.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_cache, check_choice, check_nonempty_time,
                          check_positive_int, check_same_shape, check_state, float_dtype)
from .activations import ACTIVATIONS

__all__ = ["RNNStepCache", "RNNCache", "rnn_step_forward", "rnn_step_backward",
           "rnn_forward", "rnn_backward"]


class RNNStepCache(NamedTuple):
    """What one step keeps for its backward pass."""
    x: np.ndarray        # (N, D)  input x_t
    h_prev: np.ndarray   # (N, H)  previous state h_{t-1}
    h: np.ndarray        # (N, H)  h_t = f(a_t)
    W_xh: np.ndarray     # (D, H)
    W_hh: np.ndarray     # (H, H)
    b_h: np.ndarray      # (H,)
    activation: str


class RNNCache(NamedTuple):
    """What :func:`rnn_forward` keeps for :func:`rnn_backward`."""
    x: np.ndarray        # (N, T, D) inputs
    h0: np.ndarray       # (N, H)    initial state h_{-1}
    h: np.ndarray        # (N, T, H) h_t = f(a_t) for every t
    W_xh: np.ndarray     # (D, H)
    W_hh: np.ndarray     # (H, H)
    b_h: np.ndarray      # (H,)
    activation: str


def _check_params(W_xh, W_hh, b_h, activation, dims):
    W_xh = check_array("W_xh", W_xh, ("D", "H"), dims=dims)
    W_hh = check_array("W_hh", W_hh, ("H", "H"), dims=dims)
    b_h = check_array("b_h", b_h, ("H",), dims=dims)
    check_choice("activation", activation, tuple(ACTIVATIONS))
    return W_xh, W_hh, b_h


def rnn_step_forward(x, h_prev, W_xh, W_hh, b_h, activation="tanh"):
    """One step h = f(x W_xh + h_prev W_hh + b_h).

    Parameters
    ----------
    x : (N, D) ndarray
        Inputs at this step.
    h_prev : (N, H) ndarray
        Previous hidden state.
    W_xh : (D, H) ndarray
    W_hh : (H, H) ndarray
    b_h : (H,) ndarray
    activation : {"tanh", "sigmoid", "relu", "identity"}

    Returns
    -------
    h : (N, H) ndarray
    cache : RNNStepCache
    """
    dims = {}
    W_xh, W_hh, b_h = _check_params(W_xh, W_hh, b_h, activation, dims)
    x = check_array("x", x, ("N", "D"), dims=dims)
    h_prev = check_array("h_prev", h_prev, ("N", "H"), dims=dims)
    f = ACTIVATIONS[activation][0]
    h = f(x @ W_xh + h_prev @ W_hh + b_h)
    return h, RNNStepCache(x, h_prev, h, W_xh, W_hh, b_h, activation)


def rnn_step_backward(dh, cache):
    """Backward of :func:`rnn_step_forward`.

    Parameters
    ----------
    dh : (N, H) ndarray
        dLoss/dh for this step's output (local plus whatever came from later steps).
    cache : RNNStepCache

    Returns
    -------
    dx : (N, D) ndarray
    dh_prev : (N, H) ndarray
    dW_xh : (D, H) ndarray
    dW_hh : (H, H) ndarray
    db_h : (H,) ndarray
    """
    check_cache(cache, RNNStepCache, "rnn_step_forward")
    dh = check_same_shape("dh", dh, "cache.h", cache.h)
    da = dh * ACTIVATIONS[cache.activation][1](cache.h)      # da = dh * f'(a)
    dx = da @ cache.W_xh.T                                   # a = x W_xh + ...
    dh_prev = da @ cache.W_hh.T                              #   + h_prev W_hh + ...
    dW_xh = cache.x.T @ da
    dW_hh = cache.h_prev.T @ da
    db_h = da.sum(axis=0)
    return dx, dh_prev, dW_xh, dW_hh, db_h


def rnn_forward(x, h0, W_xh, W_hh, b_h, activation="tanh"):
    """Run the recurrence h_t = f(x_t W_xh + h_{t-1} W_hh + b_h) over T steps.

    Parameters
    ----------
    x : (N, T, D) ndarray
        Input sequences, batch first.
    h0 : (N, H) ndarray or None
        Initial hidden state h_{-1} (None: zeros).
    W_xh : (D, H) ndarray
    W_hh : (H, H) ndarray
    b_h : (H,) ndarray
    activation : {"tanh", "sigmoid", "relu", "identity"}

    Returns
    -------
    h : (N, T, H) ndarray
        Hidden states of every step (dtype: the result type of the inputs, so
        float32 inputs give float32 states).
    cache : RNNCache
    """
    dims = {}
    W_xh, W_hh, b_h = _check_params(W_xh, W_hh, b_h, activation, dims)
    x = check_nonempty_time(check_array("x", x, ("N", "T", "D"), dims=dims))
    h0 = check_state("h0", h0, (dims["N"], dims["H"]), float_dtype(x, W_xh, W_hh, b_h))
    f = ACTIVATIONS[activation][0]
    N, T, _ = x.shape
    xw = x @ W_xh + b_h                          # (N, T, H): input terms of all steps at once
    h = np.empty(xw.shape, dtype=np.result_type(xw, h0, W_hh))
    h_prev = h0
    for t in range(T):
        h_prev = h[:, t] = f(xw[:, t] + h_prev @ W_hh)
    return h, RNNCache(x, h0, h, W_xh, W_hh, b_h, activation)


def rnn_backward(dh, cache, truncate=None, *, dh_last=None):
    """Backpropagation through time for :func:`rnn_forward`.

    Parameters
    ----------
    dh : (N, T, H) ndarray
        dLoss/dh_t for every step: the *local* gradients (from the loss terms at each
        step only); the gradient flowing back through time is added here.
    cache : RNNCache
    truncate : int or None
        None: full BPTT, cost O(T). k: the loss term at step t backpropagates through
        steps t, ..., t-k+1 only (h_{t-k} treated as a constant), cost O(T min(k, T));
        dh0 then receives gradient only from steps t < k. k >= T equals None.
    dh_last : (N, H) ndarray, optional
        Extra dLoss/dh_{T-1} from outside the sequence (e.g. a layer started from
        the final state); it is added to ``dh[:, -1]``.

    Returns
    -------
    dx : (N, T, D) ndarray
    dh0 : (N, H) ndarray
    dW_xh : (D, H) ndarray
    dW_hh : (H, H) ndarray
    db_h : (H,) ndarray
    """
    check_cache(cache, RNNCache, "rnn_forward")
    dh = check_same_shape("dh", dh, "cache.h", cache.h)
    truncate = check_positive_int("truncate", truncate, allow_none=True)
    if dh_last is not None:
        dh = dh.copy()
        dh[:, -1] += check_same_shape("dh_last", dh_last, "cache.h0", cache.h0)
    x, h0, h, W_xh, W_hh = cache.x, cache.h0, cache.h, cache.W_xh, cache.W_hh
    N, T, H = h.shape
    fprime = ACTIVATIONS[cache.activation][1](h)          # (N, T, H) f'(a_t)
    da = np.zeros_like(fprime * dh)                       # (N, T, H) total dLoss/da_t
    if truncate is None or truncate >= T:
        carry = np.zeros_like(da[:, 0])                   # gradient arriving from t+1
        for t in range(T - 1, -1, -1):
            g = (dh[:, t] + carry) * fprime[:, t]         # contiguous (N, H): fast matmul
            da[:, t] = g
            carry = g @ W_hh.T
        dh0 = carry
    else:
        k = truncate
        dh0 = np.zeros_like(da[:, 0])
        for t in range(T):                                # loss term of step t ...
            g = dh[:, t] * fprime[:, t]
            da[:, t] += g
            for s in range(t - 1, t - k, -1):             # ... reaches steps t-1 .. t-k+1
                if s < 0:
                    break
                g = (g @ W_hh.T) * fprime[:, s]
                da[:, s] += g
            if t < k:                                     # window reaches step 0: h0 sees it
                dh0 += g @ W_hh.T
    D = x.shape[2]
    da2 = da.reshape(N * T, H)
    dx = da @ W_xh.T                                      # all steps in one product
    dW_xh = x.reshape(N * T, D).T @ da2
    h_prev = np.concatenate([h0[:, None, :], h[:, :-1]], axis=1)   # h_{t-1} for every t
    dW_hh = h_prev.reshape(N * T, H).T @ da2
    db_h = da2.sum(axis=0)
    return dx, dh0, dW_xh, dW_hh, db_h
