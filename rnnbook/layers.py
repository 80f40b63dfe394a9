"""Output layers and per-step losses for sequence models.

* :func:`affine_forward` / :func:`affine_backward`: o = h W_hq + b_q, for one step
  (N, H) or every step at once (N, T, H);
* :func:`temporal_softmax_loss` and :func:`temporal_mse`: the per-step losses, whose
  home is :mod:`rnnbook.losses` (re-exported here under the names of CS231n).
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import check_array, check_cache, check_same_shape
from .losses import temporal_cross_entropy, temporal_mse

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


#: Softmax cross-entropy at every step (masked, summed over T, mean over N); its home
#: is :func:`rnnbook.losses.temporal_cross_entropy`, this is the CS231n name for it.
temporal_softmax_loss = temporal_cross_entropy
