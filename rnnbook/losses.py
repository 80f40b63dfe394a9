"""Losses and the softmax, each returning its value and its gradient.

The one home of the softmax cross-entropy and the squared error of the package:

* :func:`cross_entropy` (N, V) logits, one answer per row, mean over the rows;
* :func:`temporal_cross_entropy` (N, T, V) logits, an answer at every step, optional
  mask, summed over the (unmasked) steps and averaged over the batch;
* :func:`mse` and :func:`temporal_mse`, the same two reductions of the half squared
  error.

All are numerically stable: ``softmax`` and the cross-entropies subtract the row
maximum before exponentiating, so logits of +-1e4 give exact, finite results. Integer
targets are range-checked: a target of -1 is an error, never the last class.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_same_shape, check_targets

__all__ = ["softmax", "log_softmax", "cross_entropy", "temporal_cross_entropy", "mse",
           "temporal_mse"]


def _scalar(value):
    """A Python float for float64 results; extended precision is kept as is."""
    value = np.asarray(value)
    return value[()] if value.dtype == np.longdouble else float(value)


def _logits(z, axis):
    z = check_array("z", z, tuple("ABCDEFGH"[:np.ndim(z)]) if np.ndim(z) else (),
                    floating=False)
    if z.dtype.kind not in "fiu" or z.ndim == 0 or z.size == 0:
        raise ValueError(f"z has shape {z.shape} and dtype {z.dtype}; expected a non-empty "
                         "numeric array with at least one axis")
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)) or not (
            -z.ndim <= axis < z.ndim):
        raise ValueError(f"axis is {axis!r}; expected an integer in [-{z.ndim}, {z.ndim})")
    return z if z.dtype.kind == "f" else z.astype(np.float64)


def softmax(z, axis=-1):
    """Softmax along ``axis``: exp(z_i) / sum_j exp(z_j).

    Parameters
    ----------
    z : (..., V) ndarray
        Logits. Any finite values; the result is exact for |z| up to the float range.
        NaN or infinity raise ``ValueError``.
    """
    z = _logits(z, axis)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    """log(softmax(z)) computed as z - max - log(sum(exp(z - max)))."""
    z = _logits(z, axis)
    shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def _xent(logits, targets, weight):
    """Sum of weight * (-log softmax(logits)[target]) and its gradient (not normalised).

    logits (..., V), targets (...) int in [0, V), weight (...) or None.
    """
    # One exponential serves both the log-probability of the target and the gradient
    # softmax - onehot: shifted = o - max(o), log p_y = shifted_y - log sum exp(shifted).
    shifted = logits - logits.max(axis=-1, keepdims=True)
    idx = targets[..., None]
    picked = np.take_along_axis(shifted, idx, axis=-1)[..., 0]
    dlogits = np.exp(shifted, out=shifted)
    total = dlogits.sum(axis=-1, keepdims=True)
    picked = picked - np.log(total[..., 0])
    dlogits /= total
    np.put_along_axis(dlogits, idx, np.take_along_axis(dlogits, idx, axis=-1) - 1.0,
                      axis=-1)
    if weight is None:
        return -np.sum(picked), dlogits
    return -np.sum(weight * picked), dlogits * weight[..., None]


def _check_mask(mask, dims):
    if mask is None:
        return None
    mask = check_array("mask", mask, ("N", "T"), dims=dims, floating=False)
    if mask.dtype != bool:
        raise ValueError(f"mask has dtype {mask.dtype}; expected bool")
    return mask


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
    dims = {}
    logits = check_array("logits", logits, ("N", "V"), dims=dims)
    targets = check_targets("targets", targets, ("N",), dims["V"], dims=dims,
                            axis_name="V = logits.shape[1]")
    if logits.shape[0] == 0:
        raise ValueError(f"logits has shape {logits.shape}; expected (N, V) with N >= 1")
    N = logits.shape[0]
    loss, dlogits = _xent(logits, targets, None)
    return _scalar(loss / N), dlogits / N


def temporal_cross_entropy(logits, targets, mask=None):
    """Softmax cross-entropy at every step, summed over steps, averaged over the batch.

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
    targets = check_targets("targets", targets, ("N", "T"), dims["V"], dims=dims,
                            axis_name="V = logits.shape[2]")
    mask = _check_mask(mask, dims)
    if logits.shape[0] == 0:
        raise ValueError(f"logits has shape {logits.shape}; expected (N, T, V) with N >= 1")
    N = logits.shape[0]
    loss, dlogits = _xent(logits, targets, None if mask is None else mask.astype(logits.dtype))
    return float(loss) / N, dlogits / N


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
    if y.size == 0:
        raise ValueError(f"y has shape {y.shape}; expected at least one value")
    N = y.shape[0] if y.ndim else 1
    diff = y - target
    return _scalar(0.5 * np.sum(diff * diff) / N), diff / N


def temporal_mse(y, target, mask=None):
    """Half squared error at every step: (1/2N) sum_n sum_t mask[n,t] ||y[n,t] - target[n,t]||^2.

    Parameters
    ----------
    y : (N, T, V) ndarray
    target : (N, T, V) ndarray
    mask : (N, T) bool ndarray or None
        Steps that count (None: all of them).

    Returns
    -------
    loss : float
    dy : (N, T, V) ndarray
        mask * (y - target) / N.
    """
    dims = {}
    y = check_array("y", y, ("N", "T", "V"), dims=dims)
    target = check_same_shape("target", target, "y", y)
    mask = _check_mask(mask, dims)
    if y.shape[0] == 0:
        raise ValueError(f"y has shape {y.shape}; expected (N, T, V) with N >= 1")
    diff = y - target
    if mask is not None:
        diff = diff * mask[..., None]
    N = y.shape[0]
    return float(0.5 * np.sum(diff * diff) / N), diff / N
