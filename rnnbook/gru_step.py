"""One GRU step: the teaching functions ``gru_step_forward`` / ``gru_step_backward``.

Gates in PyTorch's order (r, z, n); ``A_x = x_t W_xh + b_xh``,
``A_h = h_{t-1} W_hh + b_hh``::

    r_t = sigmoid(A_x[:, 0:H]  + A_h[:, 0:H])        reset gate
    z_t = sigmoid(A_x[:, H:2H] + A_h[:, H:2H])       update gate
    n_t = tanh(A_x[:, 2H:3H] + r_t * A_h[:, 2H:3H])  candidate  ("pytorch")
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

and in the "cho" formulation n_t = tanh(A_x[:, 2H:3H] + (r_t * h_{t-1}) W_hh[:, 2H:3H]
+ b_hh[:, 2H:3H]). The sequence functions and the discussion of the two formulations
are in :mod:`rnnbook.gru`, from which every name here is also importable.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._gates import sigmoid_
from ._validation import (check_array, check_cache, check_choice, check_gate_weights,
                          check_same_shape)

__all__ = ["GRUStepCache", "gru_step_forward", "gru_step_backward", "GRU_FORMULATIONS"]

GRU_FORMULATIONS = ("pytorch", "cho")


class GRUStepCache(NamedTuple):
    """What :func:`gru_step_backward` needs from one step (gates after activation)."""
    x: np.ndarray        # (N, D)
    h_prev: np.ndarray   # (N, H)
    r: np.ndarray        # (N, H)
    z: np.ndarray        # (N, H)
    n: np.ndarray        # (N, H)
    hn: np.ndarray       # (N, H): h_prev W_hn + b_hn ("pytorch") or r * h_prev ("cho")
    W_xh: np.ndarray     # (D, 3H)
    W_hh: np.ndarray     # (H, 3H)
    formulation: str


def _check_params(W_xh, W_hh, b_xh, b_hh, formulation, dims):
    check_choice("formulation", formulation, GRU_FORMULATIONS)
    W_xh, W_hh = check_gate_weights(W_xh, W_hh, "rzn", dims)
    b_xh = check_array("b_xh", b_xh, ("3H",), dims=dims)
    b_hh = check_array("b_hh", b_hh, ("3H",), dims=dims)
    return W_xh, W_hh, b_xh, b_hh


def gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, formulation="pytorch"):
    """One GRU step (equations in :mod:`rnnbook.gru`).

    Parameters
    ----------
    x : (N, D) ndarray
        Inputs at this step.
    h_prev : (N, H) ndarray
        Previous hidden state.
    W_xh : (D, 3H) ndarray
    W_hh : (H, 3H) ndarray
    b_xh, b_hh : (3H,) ndarray
        Gates stacked in PyTorch's order (r, z, n).
    formulation : {"pytorch", "cho"}
        Exactly one of these two strings.

    Returns
    -------
    h : (N, H) ndarray
    cache : GRUStepCache
    """
    dims = {}
    W_xh, W_hh, b_xh, b_hh = _check_params(W_xh, W_hh, b_xh, b_hh, formulation, dims)
    x = check_array("x", x, ("N", "D"), dims=dims, note="with D = W_xh.shape[0]")
    h_prev = check_array("h_prev", h_prev, ("N", "H"), dims=dims)
    return _step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, formulation)


def _step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, formulation):
    """:func:`gru_step_forward` without the checks (for loops that checked once)."""
    H = h_prev.shape[1]
    A_x = x @ W_xh + b_xh
    if formulation == "pytorch":
        A_h = h_prev @ W_hh + b_hh
        r = sigmoid_(A_x[:, :H] + A_h[:, :H])
        z = sigmoid_(A_x[:, H:2 * H] + A_h[:, H:2 * H])
        hn = A_h[:, 2 * H:]
        n = np.tanh(A_x[:, 2 * H:] + r * hn)
    else:
        A_h = h_prev @ W_hh[:, :2 * H] + b_hh[:2 * H]
        r = sigmoid_(A_x[:, :H] + A_h[:, :H])
        z = sigmoid_(A_x[:, H:2 * H] + A_h[:, H:2 * H])
        hn = r * h_prev
        n = np.tanh(A_x[:, 2 * H:] + hn @ W_hh[:, 2 * H:] + b_hh[2 * H:])
    h = n + z * (h_prev - n)                     # (1 - z) * n + z * h_prev
    return h, GRUStepCache(x, h_prev, r, z, n, hn, W_xh, W_hh, formulation)


def gru_step_backward(dh, cache):
    """Backward of :func:`gru_step_forward`.

    Parameters
    ----------
    dh : (N, H) ndarray
        dLoss/dh for this step's output (local plus what came from later steps).
    cache : GRUStepCache

    Returns
    -------
    dx : (N, D) ndarray
    dh_prev : (N, H) ndarray
    dW_xh : (D, 3H) ndarray
    dW_hh : (H, 3H) ndarray
    db_xh, db_hh : (3H,) ndarray
    """
    ca = check_cache(cache, GRUStepCache, "gru_step_forward")
    dh = check_same_shape("dh", dh, "cache.h_prev", ca.h_prev)
    return _step_backward(dh, ca)


def _step_backward(dh, ca):
    """:func:`gru_step_backward` without the checks."""
    h_prev, r, z, n, hn, W_hh = ca.h_prev, ca.r, ca.z, ca.n, ca.hn, ca.W_hh
    H = h_prev.shape[1]
    da_n = dh * (1 - z) * (1 - n ** 2)
    da_z = dh * (h_prev - n) * z * (1 - z)
    if ca.formulation == "pytorch":
        da_r = da_n * hn * r * (1 - r)
        dA_h = np.concatenate([da_r, da_z, da_n * r], axis=1)
        dh_prev = dh * z + dA_h @ W_hh.T
        dW_hh = h_prev.T @ dA_h
    else:
        d_rh = da_n @ W_hh[:, 2 * H:].T
        da_r = d_rh * h_prev * r * (1 - r)
        dA_h = np.concatenate([da_r, da_z, da_n], axis=1)
        dh_prev = dh * z + d_rh * r + dA_h[:, :2 * H] @ W_hh[:, :2 * H].T
        dW_hh = np.concatenate([h_prev.T @ dA_h[:, :2 * H], hn.T @ da_n], axis=1)
    dA_x = np.concatenate([da_r, da_z, da_n], axis=1)
    return (dA_x @ ca.W_xh.T, dh_prev, ca.x.T @ dA_x, dW_hh, dA_x.sum(0), dA_h.sum(0))
