"""Losses and the softmax, each returning its value and its gradient.

All functions are numerically stable: ``softmax`` and ``cross_entropy`` subtract the
row maximum before exponentiating, so logits of +-1e4 give exact, finite results.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_same_shape

__all__ = ["softmax", "log_softmax", "cross_entropy", "mse"]


def _scalar(value):
    """A Python float for float64 results; extended precision is kept as is."""
    value = np.asarray(value)
    return value[()] if value.dtype == np.longdouble else float(value)


def softmax(z, axis=-1):
    """Softmax along ``axis``: exp(z_i) / sum_j exp(z_j).

    Parameters
    ----------
    z : (..., V) ndarray
        Logits. Any finite values; the result is exact for |z| up to the float range.
    """
    z = np.asarray(z, dtype=np.result_type(z, np.float64))
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log(softmax(z)) computed as z - max - log(sum(exp(z - max)))."""
    z = np.asarray(z, dtype=np.result_type(z, np.float64))
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def cross_entropy(logits, targets):
    """Mean cross-entropy between softmax(logits) and integer targets.

    Parameters
    ----------
    logits : (N, V) ndarray
        Unnormalised scores, one row per example.
    targets : (N,) int ndarray
        Class indices in [0, V).

    Returns
    -------
    loss : float
        -(1/N) sum_n log softmax(logits_n)[targets_n].
    dlogits : (N, V) ndarray
        dloss/dlogits = (softmax(logits) - onehot(targets)) / N.
    """
    logits = check_array("logits", logits, ("N", "V"))
    dims = {"N": logits.shape[0]}
    targets = check_array("targets", targets, ("N",), dims=dims, floating=False)
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"targets has dtype {targets.dtype}; expected integer class indices")
    V = logits.shape[1]
    if targets.size and (targets.min() < 0 or targets.max() >= V):
        raise ValueError(f"targets has values in [{targets.min()}, {targets.max()}]; "
                         f"expected class indices in [0, {V}) with V = logits.shape[1]")
    N = logits.shape[0]
    logp = log_softmax(logits)
    rows = np.arange(N)
    loss = -logp[rows, targets].mean()
    dlogits = np.exp(logp)
    dlogits[rows, targets] -= 1.0
    return _scalar(loss), dlogits / N


def mse(y, target):
    """Half mean squared error: (1/2N) sum (y - target)**2, N = y.shape[0].

    The factor 1/2 cancels the 2 of the derivative, as in the classic backprop
    texts; the sum runs over every element and the mean over the first axis.

    Returns
    -------
    loss : float
    dy : ndarray, same shape as y
        (y - target) / N.
    """
    y = check_array("y", y, tuple("ABCDEFG"[:np.ndim(y)]) if np.ndim(y) else ())
    target = check_same_shape("target", target, "y", y)
    N = y.shape[0] if y.ndim else 1
    diff = y - target
    return _scalar(0.5 * np.sum(diff * diff) / N), diff / N
