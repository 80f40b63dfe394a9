"""The vanilla-RNN language model's recurrence, written for speed.

Same equations as :func:`rnnbook.rnn.rnn_forward` / :func:`rnnbook.rnn.rnn_backward`
with tanh, specialised to a language model:

* the input term x_t W_xh of a one-hot x_t is the row ``W_xh[token_t]`` (a lookup,
  no (N, T, V) one-hot array and no product with it); its gradient is the sum of
  dL/da_t over the steps that read each token (sorted, ``np.add.reduceat``);
* arrays are time-major, (T, N, H), so the state of step t is one contiguous block;
* no gradient for the inputs (a language model does not need dL/dx);
* in-place operations instead of temporaries, and the dtype of the parameters
  (float32 halves the memory traffic).

:func:`rnnbook.lm.lm_loss_and_grads` uses it for ``cell="rnn"``; the tests check it
against the general path (:mod:`rnnbook.cells`) and against finite differences.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array


def rnn_fused_forward(params, x_ids, h0=None):
    """h (T, N, H) of ids (N, T) from h0 (N, H) (zeros if None); returns (h, h0)."""
    W_xh, W_hh, b_h = params["W_xh"], params["W_hh"], params["b_h"]
    N, T = x_ids.shape
    H = W_hh.shape[0]
    if h0 is None:
        h0 = np.zeros((N, H), dtype=W_hh.dtype)
    else:
        h0 = check_array("h0", h0, ("N", "H"), dims={"N": N, "H": H}).astype(
            W_hh.dtype, copy=False)
    h = W_xh[x_ids.T]                          # (T, N, H) input terms x_t W_xh
    h += b_h
    a = np.empty((N, H), dtype=h.dtype)
    prev = h0
    for t in range(T):
        np.dot(prev, W_hh, out=a)
        a += h[t]
        np.tanh(a, out=h[t])
        prev = h[t]
    return h, h0


def rnn_fused_backward(params, x_ids, h, h0, dh):
    """Gradients of W_xh, W_hh, b_h given dL/dh_t (T, N, H) from the output layer.

    ``dh`` is overwritten (it becomes dL/da_t).
    """
    W_xh, W_hh = params["W_xh"], params["W_hh"]
    T, N, H = h.shape
    da = dh
    fprime = h * h                             # becomes 1 - h^2 = tanh'(a)
    np.subtract(1.0, fprime, out=fprime)
    W_hh_T = np.ascontiguousarray(W_hh.T)
    carry = np.empty((N, H), dtype=da.dtype)
    for t in range(T - 1, -1, -1):
        if t < T - 1:
            da[t] += carry
        da[t] *= fprime[t]
        if t > 0:                              # dL/dh_{-1} is not needed (truncated BPTT)
            np.dot(da[t], W_hh_T, out=carry)
    da2 = da.reshape(T * N, H)
    dW_hh = h0.T @ da[0]
    if T > 1:
        dW_hh += h[:-1].reshape((T - 1) * N, H).T @ da[1:].reshape((T - 1) * N, H)
    ids = x_ids.T.reshape(-1)                  # rows of W_xh used, in the order of da2
    order = np.argsort(ids, kind="stable")
    used, first = np.unique(ids[order], return_index=True)
    dW_xh = np.zeros_like(W_xh)
    dW_xh[used] = np.add.reduceat(da2[order], first, axis=0)
    return {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": da2.sum(axis=0)}
