"""Truncated backpropagation through time: TBPTT(k1, k2) training.

The model is an Elman layer with a softmax head at the steps where ``mask`` is True::

    h_t = f(x_t W_xh + h_{t-1} W_hh + b_h),   o_t = h_t W_hq + b_q,
    L = sum_t L_t,   L_t = -(1/N) sum_n mask[n, t] log softmax(o_t)[y_t]

and ``params`` is a dict with W_xh (D, H), W_hh (H, H), b_h (H,), W_hq (H, V), b_q (V,).

TBPTT(k1, k2) = BPTT(k2; k1) of Williams & Peng (1990) (as in Brownlee, 2017): the sequence is read
k1 steps at a time (a *chunk* [c0, c1)); after each chunk comes one update, whose
backward pass covers the *window* [b, c1) with

    b = max(0, c0 - max(0, k2 - k1)),       h_{b-1} treated as a constant

(the window reaches k2 - k1 steps into earlier chunks when k2 > k1), and the loss term
of step t of the chunk backpropagates through min(k2, t - b + 1) steps.
The hidden state is carried from chunk to chunk. The canonical settings (n = T):

=============  =================================================================
(n, n)         one chunk, one window: full BPTT
(1, n)         an update after every step; its loss term reaches back to step 0
               (Williams & Peng's "BPTT(h)" with h = n)
(k1, 1)        every loss term backpropagates through its own step only
k1 < k2 < n    overlapping windows: each reaches k2 - k1 steps into earlier chunks
k1 = k2 = k    the common fixed window: the chunk itself, started from the detached
               last state of the previous chunk
(n, k)         one update per sequence: ``rnn_backward(..., truncate=k)``
=============  =================================================================

Randomized, unbiased truncation (Tallec & Ollivier 2017) is in :mod:`rnnbook.artbp`.

References
----------
R. J. Williams, J. Peng (1990). An efficient gradient-based algorithm for on-line
training of recurrent network trajectories. Neural Computation 2(4), 490-501.
I. Sutskever (2013). Training recurrent neural networks. PhD thesis, Univ. of Toronto.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_choice, check_finite_scalar, check_positive_int,
                          check_targets)
from .activations import ACTIVATIONS
from .layers import affine_backward, affine_forward, temporal_softmax_loss
from .optim import clip_by_global_norm, global_norm
from .rnn import rnn_backward, rnn_forward

__all__ = ["TBPTTWindow", "tbptt_windows", "elman_loss_and_grads", "tbptt_gradients",
           "tbptt_train"]

PARAM_NAMES = ("W_xh", "W_hh", "b_h", "W_hq", "b_q")


class TBPTTWindow(NamedTuple):
    """One update of TBPTT(k1, k2)."""
    start: int          # b: first step of the backward window (h_{b-1} is a constant)
    chunk_start: int    # c0: first step whose loss term this update uses
    stop: int           # c1: one past the last step of the chunk
    truncate: int       # per-term depth inside the window (None: the whole window)


def tbptt_windows(T, k1, k2):
    """The chunks and backward windows of TBPTT(k1, k2) over T steps.

    Parameters
    ----------
    T : int
        Sequence length n.
    k1 : int
        Forward steps between updates.
    k2 : int
        Steps of backpropagation.

    Returns
    -------
    list of TBPTTWindow
        One per update, in order; ``truncate`` is k2 when k2 is shorter than the window
        (then each loss term is cut after k2 steps), else None.
    """
    T = check_positive_int("T", T)
    k1 = check_positive_int("k1", k1)
    k2 = check_positive_int("k2", k2)
    windows = []
    for c0 in range(0, T, k1):
        c1 = min(c0 + k1, T)
        b = max(0, c0 - max(0, k2 - k1))
        windows.append(TBPTTWindow(b, c0, c1, k2 if k2 < c1 - b else None))
    return windows


def _check_inputs(params, x, targets, mask, h0):
    if not isinstance(params, dict) or any(k not in params for k in PARAM_NAMES):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected a dict with "
                         + ", ".join(PARAM_NAMES))
    dims = {}
    for name, spec in zip(PARAM_NAMES, (("D", "H"), ("H", "H"), ("H",), ("H", "V"), ("V",))):
        check_array(f"params[{name!r}]", params[name], spec, dims=dims)
    x = check_array("x", x, ("N", "T", "D"), dims=dims)
    if x.shape[1] == 0:
        raise ValueError(f"x has shape {x.shape}; expected (N, T, D) with T >= 1")
    targets = check_targets("targets", targets, ("N", "T"), dims["V"], dims=dims,
                            axis_name="V = params['W_hq'].shape[1]")
    if mask is None:
        mask = np.ones(targets.shape, dtype=bool)
    mask = check_array("mask", mask, ("N", "T"), dims=dims, floating=False)
    if mask.dtype != bool:
        raise ValueError(f"mask has dtype {mask.dtype}; expected bool")
    if h0 is None:
        h0 = np.zeros((x.shape[0], dims["H"]))
    h0 = check_array("h0", h0, ("N", "H"), dims=dims)
    return x, targets, mask, h0


def _window(params, x, targets, mask, h_start, skip, activation, truncate=None, backward=None):
    """Loss and gradients of the loss terms of steps skip.. of a window started from the
    constant h_start; ``backward(dh, cache)`` replaces ``rnn_backward`` if given."""
    p = params
    h, cache = rnn_forward(x, h_start, p["W_xh"], p["W_hh"], p["b_h"], activation)
    if not np.all(np.isfinite(h)):                 # overflow: the run has diverged
        return float("nan"), {k: np.full_like(v, np.nan) for k, v in p.items()}, h
    o, acache = affine_forward(h, p["W_hq"], p["b_q"])
    m = mask.copy()
    m[:, :skip] = False                          # earlier steps belong to earlier chunks
    loss, do = temporal_softmax_loss(o, targets, m)
    dh, dW_hq, db_q = affine_backward(do, acache)
    if backward is None:
        _, _, dW_xh, dW_hh, db_h = rnn_backward(dh, cache, truncate=truncate)
    else:
        _, _, dW_xh, dW_hh, db_h = backward(dh, cache)
    grads = {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q}
    return loss, grads, h


def elman_loss_and_grads(params, x, targets, mask=None, h0=None, truncate=None,
                         activation="tanh"):
    """Loss and (full or ``truncate``-step truncated) gradients of the whole sequence.

    Parameters
    ----------
    params : dict
        W_xh (D, H), W_hh (H, H), b_h (H,), W_hq (H, V), b_q (V,).
    x : (N, T, D) ndarray
    targets : (N, T) int ndarray
    mask : (N, T) bool ndarray or None
        Steps with a loss term (None: every step).
    h0 : (N, H) ndarray or None
        Initial state (None: zeros).
    truncate : int or None
        As in :func:`rnnbook.rnn.rnn_backward`.
    activation : str

    Returns
    -------
    loss : float
    grads : dict with the keys and shapes of ``params``
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    truncate = check_positive_int("truncate", truncate, allow_none=True)
    x, targets, mask, h0 = _check_inputs(params, x, targets, mask, h0)
    loss, grads, _ = _window(params, x, targets, mask, h0, 0, activation, truncate)
    return loss, grads


def tbptt_gradients(params, x, targets, k1, k2, mask=None, h0=None, activation="tanh"):
    """The sum of the gradients of all TBPTT(k1, k2) updates, parameters held fixed.

    This is what TBPTT(k1, k2) estimates the full gradient with (with a learning rate
    small enough that the parameters barely move within a sequence). TBPTT(n, n) returns
    the full gradient; TBPTT(n, k) the ``truncate=k`` gradient.

    Parameters
    ----------
    params, x, targets, mask, h0, activation
        As in :func:`elman_loss_and_grads`.
    k1, k2 : int
        Forward steps between updates and steps of backpropagation.

    Returns
    -------
    loss : float
        The full loss L = sum_t L_t.
    grads : dict
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    x, targets, mask, h0 = _check_inputs(params, x, targets, mask, h0)
    windows = tbptt_windows(x.shape[1], k1, k2)
    p = params
    h, _ = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], activation)
    total, grads = 0.0, {k: np.zeros_like(p[k]) for k in PARAM_NAMES}
    for w in windows:
        h_start = h0 if w.start == 0 else h[:, w.start - 1]
        sl = slice(w.start, w.stop)
        loss, g, _ = _window(p, x[:, sl], targets[:, sl], mask[:, sl], h_start,
                             w.chunk_start - w.start, activation, w.truncate)
        total += loss
        for k in PARAM_NAMES:
            grads[k] += g[k]
    return total, grads


def _run_updates(params, x, targets, mask, h0, pieces, optimizer, clip, activation):
    """Process (window, backward) pieces in order, updating ``params`` after each one.

    The states before each window's start are the ones computed online (with the
    parameters of their time); inside a window the forward pass is rerun with the
    current parameters from that stored state. Only the last ``overlap + 1`` states are
    kept, so the memory is O(N H window), not O(N H T)."""
    if not hasattr(optimizer, "step"):
        raise ValueError(f"optimizer is {type(optimizer).__name__}; expected an object "
                         "with a .step(params, grads) method (rnnbook.optim)")
    if clip is not None:
        clip = check_finite_scalar("clip", clip, low=0.0)
    overlap = max(w.chunk_start - w.start for w, _ in pieces)
    states = {-1: h0}                    # only the states later windows start from
    losses, norms = np.full(len(pieces), np.nan), np.full(len(pieces), np.nan)
    for i, (w, backward) in enumerate(pieces):
        sl = slice(w.start, w.stop)
        loss, grads, h = _window(params, x[:, sl], targets[:, sl], mask[:, sl],
                                 states[w.start - 1], w.chunk_start - w.start, activation,
                                 w.truncate, backward)
        norm = global_norm(grads)
        if not (np.isfinite(loss) and np.isfinite(norm) and np.all(np.isfinite(h))):
            return {"loss": losses, "grad_norm": norms, "h_last": None}
        for t in range(max(w.chunk_start, w.stop - overlap - 1), w.stop):
            states[t] = h[:, t - w.start]
        for t in [t for t in states if t < w.stop - overlap - 1]:
            del states[t]
        losses[i], norms[i] = loss, norm
        if clip is not None and norm > clip:
            grads, _ = clip_by_global_norm(grads, clip)
        optimizer.step(params, grads)
    return {"loss": losses, "grad_norm": norms, "h_last": states[x.shape[1] - 1]}


def tbptt_train(params, x, targets, k1, k2, optimizer, mask=None, h0=None, clip=None,
                activation="tanh"):
    """Read one batch of sequences with TBPTT(k1, k2), updating ``params`` in place.

    Parameters
    ----------
    params, x, targets, mask, h0, activation
        As in :func:`elman_loss_and_grads`; ``params`` is updated after every chunk.
    k1, k2 : int
        Forward steps between updates and steps of backpropagation.
    optimizer : object with ``.step(params, grads)`` (rnnbook.optim)
    clip : float or None
        Maximum global gradient norm of each update.

    Returns
    -------
    dict
        ``loss`` (U,): the chunk losses (sum of their loss terms), ``grad_norm`` (U,)
        before clipping, ``h_last`` (N, H): the state after the last step, to carry into
        the next batch. U = ceil(T / k1) updates. After a non-finite loss or gradient
        training stops: the remaining entries are NaN and ``h_last`` is None.
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    x, targets, mask, h0 = _check_inputs(params, x, targets, mask, h0)
    windows = tbptt_windows(x.shape[1], k1, k2)
    return _run_updates(params, x, targets, mask, h0, [(w, None) for w in windows],
                        optimizer, clip, activation)
