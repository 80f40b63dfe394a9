"""Output layers and per-step losses for sequence models.

* :func:`affine_forward` / :func:`affine_backward`: o = h W_hq + b_q, for one step
  (N, H) or every step at once (N, T, H);
* :func:`temporal_softmax_loss`: softmax cross-entropy at every step, with an optional
  mask, summed over the unmasked steps and averaged over the batch;
* :func:`temporal_mse`: the same for real-valued outputs, half squared error.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import check_array, check_cache, check_same_shape
from .losses import log_softmax

__all__ = ["AffineCache", "affine_forward", "affine_backward", "temporal_softmax_loss",
           "temporal_mse"]


class AffineCache(NamedTuple):
    """What :func:`affine_forward` keeps for :func:`affine_backward`."""
    h: np.ndarray        # (N, H) or (N, T, H)
    W_hq: np.ndarray     # (H, V)
    b_q: np.ndarray      # (V,)


def affine_forward(h, W_hq, b_q):
    """Output layer o = h W_hq + b_q.

    Parameters
    ----------
    h : (N, H) or (N, T, H) ndarray
    W_hq : (H, V) ndarray
    b_q : (V,) ndarray

    Returns
    -------
    o : (N, V) or (N, T, V) ndarray
    cache : AffineCache
    """
    dims = {}
    W_hq = check_array("W_hq", W_hq, ("H", "V"), dims=dims)
    b_q = check_array("b_q", b_q, ("V",), dims=dims)
    spec = ("N", "T", "H") if np.ndim(h) == 3 else ("N", "H")
    h = check_array("h", h, spec, dims=dims, note="or (N, T, H)" if len(spec) == 2 else "")
    return h @ W_hq + b_q, AffineCache(h, W_hq, b_q)


def affine_backward(do, cache):
    """Backward of :func:`affine_forward`.

    Parameters
    ----------
    do : (N, V) or (N, T, V) ndarray
        dLoss/do, the shape of the output.
    cache : AffineCache

    Returns
    -------
    dh : same shape as cache.h
    dW_hq : (H, V) ndarray
    db_q : (V,) ndarray
    """
    check_cache(cache, AffineCache, "affine_forward")
    H, V = cache.W_hq.shape
    expected = cache.h.shape[:-1] + (V,)
    do = check_array("do", do, expected)
    h2, do2 = cache.h.reshape(-1, H), do.reshape(-1, V)
    return do @ cache.W_hq.T, h2.T @ do2, do2.sum(axis=0)


def _check_mask(mask, dims):
    if mask is None:
        return None
    mask = check_array("mask", mask, ("N", "T"), dims=dims, floating=False)
    if mask.dtype != bool:
        raise ValueError(f"mask has dtype {mask.dtype}; expected bool")
    return mask


def temporal_softmax_loss(logits, targets, mask=None):
    """Softmax cross-entropy at every step.

    loss = -(1/N) sum_n sum_t mask[n, t] log softmax(logits[n, t])[targets[n, t]]

    Parameters
    ----------
    logits : (N, T, V) ndarray
    targets : (N, T) int ndarray
        Class indices in [0, V).
    mask : (N, T) bool ndarray or None
        Steps that count (None: all of them).

    Returns
    -------
    loss : float
    dlogits : (N, T, V) ndarray
        mask * (softmax(logits) - onehot(targets)) / N.
    """
    dims = {}
    logits = check_array("logits", logits, ("N", "T", "V"), dims=dims)
    targets = check_array("targets", targets, ("N", "T"), dims=dims, floating=False)
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets has dtype {targets.dtype}; expected integer class indices")
    V = dims["V"]
    if targets.size and (targets.min() < 0 or targets.max() >= V):
        raise ValueError(f"targets has values in [{targets.min()}, {targets.max()}]; "
                         f"expected class indices in [0, {V}) with V = logits.shape[2]")
    mask = _check_mask(mask, dims)
    N = logits.shape[0]
    logp = log_softmax(logits)
    picked = np.take_along_axis(logp, targets[..., None], axis=2)[..., 0]   # (N, T)
    weight = np.ones(targets.shape) if mask is None else mask.astype(float)
    loss = -float(np.sum(weight * picked)) / N
    dlogits = np.exp(logp)
    np.put_along_axis(dlogits, targets[..., None],
                      np.take_along_axis(dlogits, targets[..., None], axis=2) - 1.0, axis=2)
    return loss, dlogits * (weight[..., None] / N)


def temporal_mse(y, target, mask=None):
    """Half squared error at every step: (1/2N) sum_n sum_t mask[n,t] ||y[n,t] - target[n,t]||^2.

    Parameters
    ----------
    y : (N, T, V) ndarray
    target : (N, T, V) ndarray
    mask : (N, T) bool ndarray or None

    Returns
    -------
    loss : float
    dy : (N, T, V) ndarray
    """
    dims = {}
    y = check_array("y", y, ("N", "T", "V"), dims=dims)
    target = check_same_shape("target", target, "y", y)
    mask = _check_mask(mask, dims)
    weight = np.ones(y.shape[:2]) if mask is None else mask.astype(float)
    diff = (y - target) * weight[..., None]
    N = y.shape[0]
    return float(0.5 * np.sum(diff * diff) / N), diff / N
