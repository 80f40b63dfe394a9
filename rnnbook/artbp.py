"""Randomized truncation with compensation weights: ARTBP (Tallec & Ollivier 2017).

Anticipated Reweighted Truncated Backpropagation: every edge h_{t-1} -> h_t of the
unrolled network is cut with probability c_t, independently, and the gradient that
crosses an uncut edge is multiplied by the compensation factor 1 / (1 - c_t):

    dh_{t-1} <- dh_{t-1} + (1 - cut_t) / (1 - c_t) * (da_t W_hh^T)

A path from a loss term back to the use of a parameter k steps earlier crosses k distinct
edges; it survives with probability prod (1 - c) and then carries the weight
prod 1 / (1 - c), so its expected contribution is exactly its BPTT contribution: the
estimate is unbiased, whatever the c_t. The cuts split the sequence into subsequences
(geometric lengths with mean 1/c for a constant c); online training makes one update
per subsequence, with the cuts drawn before the forward pass (the "anticipated" part).
The price is variance: a contribution from k steps back is either 0 or multiplied by
(1 - c)^-k.

The model, ``params`` and the arguments are those of :mod:`rnnbook.tbptt`.

References
----------
C. Tallec, Y. Ollivier (2017). Unbiasing truncated backpropagation through time.
arXiv:1705.08209.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from ._validation import (as_array, check_array, check_cache, check_choice, check_positive_int,
                          check_rng)
from .activations import ACTIVATIONS
from .rnn import RNNCache
from .tbptt import TBPTTWindow, _check_inputs, _run_updates, _window

__all__ = ["artbp_cuts", "artbp_backward", "artbp_gradients", "artbp_train"]


def _check_c(c, T):
    c = as_array("c", c)
    if not (np.issubdtype(c.dtype, np.floating) or np.issubdtype(c.dtype, np.integer)):
        raise ValueError(f"c has dtype {c.dtype}; expected truncation probabilities in [0, 1)")
    c = c.astype(float)
    if c.ndim == 0:
        c = np.full(T, float(c))
    if c.shape != (T,):
        raise ValueError(f"c has shape {c.shape}; expected a scalar or (T,) with T = {T}")
    if not np.all((c >= 0) & (c < 1)):
        raise ValueError(f"c has values in [{c.min()}, {c.max()}]; expected truncation "
                         "probabilities in [0, 1)")
    return c


def _check_cuts(cuts, T):
    cuts = as_array("cuts", cuts)
    if cuts.shape != (T,) or cuts.dtype != bool:
        raise ValueError(f"cuts has shape {cuts.shape} and dtype {cuts.dtype}; "
                         f"expected a bool array of shape (T,) with T = {T}")
    cuts = cuts.copy()
    cuts[0] = False                              # there is no edge into step 0
    return cuts


def artbp_cuts(T, c, rng):
    """Draw the truncation points of ARTBP.

    Parameters
    ----------
    T : int
    c : float or (T,) ndarray
        c[t]: probability of cutting the edge h_{t-1} -> h_t (c[0] is unused).
    rng : numpy.random.Generator

    Returns
    -------
    cuts : (T,) bool ndarray
        cuts[t] True: the edge into step t is cut (cuts[0] is always False).
    """
    T = check_positive_int("T", T)
    c = _check_c(c, T)
    check_rng(rng)
    cuts = rng.random(T) < c
    cuts[0] = False
    return cuts


def _reweighted_backward(dh, cache, scale):
    """BPTT where the gradient crossing the edge into step t is multiplied by scale[t]."""
    x, h0, h, W_xh, W_hh = cache.x, cache.h0, cache.h, cache.W_xh, cache.W_hh
    N, T, H = h.shape
    fprime = ACTIVATIONS[cache.activation][1](h)
    da = np.empty_like(fprime * dh)
    carry = np.zeros_like(da[:, 0])
    for t in range(T - 1, -1, -1):
        da[:, t] = (dh[:, t] + carry) * fprime[:, t]
        carry = da[:, t] @ W_hh.T
        if t > 0:
            carry = carry * scale[t]             # 0 across a cut, 1/(1-c_t) otherwise
    da2 = da.reshape(N * T, H)
    h_prev = np.concatenate([h0[:, None, :], h[:, :-1]], axis=1)
    return (da @ W_xh.T, carry, x.reshape(N * T, -1).T @ da2,
            h_prev.reshape(N * T, H).T @ da2, da2.sum(axis=0))


def artbp_backward(dh, cache, c, cuts):
    """Randomized-truncation (ARTBP) backward pass for :func:`rnnbook.rnn.rnn_forward`.

    Parameters
    ----------
    dh : (N, T, H) ndarray
        Local gradients dLoss/dh_t, as for :func:`rnnbook.rnn.rnn_backward`.
    cache : RNNCache
    c : float or (T,) ndarray
        The truncation probabilities the cuts were drawn with.
    cuts : (T,) bool ndarray
        From :func:`artbp_cuts`.

    Returns
    -------
    dx, dh0, dW_xh, dW_hh, db_h
        Unbiased estimates: their expectation over the cuts is the full gradient.
    """
    check_cache(cache, RNNCache, "rnn_forward")
    dh = check_array("dh", dh, cache.h.shape, note="(the shape of h from rnn_forward)")
    T = cache.h.shape[1]
    c, cuts = _check_c(c, T), _check_cuts(cuts, T)
    return _reweighted_backward(dh, cache, np.where(cuts, 0.0, 1.0 / (1.0 - c)))


def artbp_gradients(params, x, targets, c, rng=None, mask=None, h0=None, cuts=None,
                    activation="tanh"):
    """One ARTBP estimate of the full gradient of the sequence loss.

    Parameters
    ----------
    params, x, targets, mask, h0, activation
        As in :func:`~rnnbook.tbptt.elman_loss_and_grads`.
    c : float or (T,) ndarray
        Truncation probabilities (mean subsequence length 1/c for a constant c).
    rng : numpy.random.Generator
        Draws the cuts (unless ``cuts`` is given).
    cuts : (T,) bool ndarray or None

    Returns
    -------
    loss : float
    grads : dict
    cuts : (T,) bool ndarray
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    x, targets, mask, h0 = _check_inputs(params, x, targets, mask, h0)
    T = x.shape[1]
    c = _check_c(c, T)
    cuts = artbp_cuts(T, c, rng) if cuts is None else _check_cuts(cuts, T)
    scale = np.where(cuts, 0.0, 1.0 / (1.0 - c))
    loss, grads, _ = _window(params, x, targets, mask, h0, 0, activation,
                             backward=partial(_reweighted_backward, scale=scale))
    return loss, grads, cuts


def artbp_train(params, x, targets, c, optimizer, rng, mask=None, h0=None, clip=None,
                activation="tanh"):
    """Read one batch of sequences with ARTBP, updating ``params`` after each subsequence.

    The cuts are drawn first (the "anticipated" truncation); each subsequence between two
    cuts is one update, its backward pass reweighted by 1/(1 - c_t) at every edge.

    Parameters
    ----------
    params, x, targets, mask, h0, activation, optimizer, clip
        As in :func:`~rnnbook.tbptt.tbptt_train`.
    c : float or (T,) ndarray
        Truncation probabilities.
    rng : numpy.random.Generator

    Returns
    -------
    dict
        As :func:`~rnnbook.tbptt.tbptt_train`, plus ``cuts`` (T,) bool.
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    x, targets, mask, h0 = _check_inputs(params, x, targets, mask, h0)
    T = x.shape[1]
    c = _check_c(c, T)
    cuts = artbp_cuts(T, c, rng)
    bounds = [0] + [int(t) for t in np.flatnonzero(cuts)] + [T]
    pieces = [(TBPTTWindow(a, a, b, None),
               partial(_reweighted_backward, scale=1.0 / (1.0 - c[a:b])))
              for a, b in zip(bounds[:-1], bounds[1:])]
    out = _run_updates(params, x, targets, mask, h0, pieces, optimizer, clip, activation)
    out["cuts"] = cuts
    return out
