"""Character-level (or word-level) recurrent language models.

A language model reads tokens one at a time and outputs, at every step, a
distribution over the next token::

    x_t = onehot(token_t)                     (N, V)
    h_t = cell(x_t, h_{t-1})                  (N, H)     RNN, LSTM or GRU
    o_t = h_t W_hq + b_q                      (N, V)     logits
    p_t = softmax(o_t)                        P(token_{t+1} | token_0 .. token_t)

The loss is the cross-entropy -log p_t[token_{t+1}], averaged over the N T
predictions (nats per token), computed by :func:`rnnbook.losses.cross_entropy` (the
book's one softmax); divided by ln 2 it is the number of bits per character.

Training uses truncated BPTT as in min-char-rnn: the stream is cut into chunks of T
steps (:func:`rnnbook.text.tbptt_batches`), the state at the end of a chunk is the
initial state of the next one, but no gradient flows across the boundary.

Parameters are one dict: the cell's (see :mod:`rnnbook.cells`) plus ``W_hq (H, V)``
and ``b_q (V,)``. Their dtype (float64 by default, float32 as an option of
:func:`lm_init`) is the dtype of the computation.

For the vanilla RNN, :func:`lm_loss_and_grads` uses a *fused* path by default
(the private module ``rnnbook._lm_fused``): the same equations, written for speed (time-major
arrays, row lookup ``W_xh[token]`` instead of a one-hot product, no gradient for the
inputs). The tests check it against the general path of :mod:`rnnbook.cells`.

Generation (:func:`lm_next_probs`, :func:`lm_sample`, :func:`lm_beam_search`) lives in
``rnnbook.lm_generate``; its functions are importable from here too.
"""
from __future__ import annotations

import numpy as np

from ._lm_fused import rnn_fused_backward, rnn_fused_forward
from ._lm_params import _check_params, _split
from ._validation import check_choice, check_finite_scalar, check_positive_int, check_rng
from .cells import CELLS, cell_backward, cell_forward, cell_init, cell_param_count, \
    final_state
from .lm_generate import lm_beam_search, lm_next_probs, lm_sample
from .losses import cross_entropy, log_softmax
from .text import _check_ids, one_hot, tbptt_batches

__all__ = ["lm_init", "lm_param_count", "lm_hidden_for_budget", "lm_loss_and_grads",
           "lm_evaluate", "lm_hidden_states", "lm_next_probs", "lm_sample",
           "lm_beam_search", "lm_lookback", "train_lm"]


def lm_init(cell, V, H, rng, dtype=np.float64):
    """Parameters of a language model with vocabulary V and hidden size H."""
    check_choice("cell", cell, CELLS)
    V, H = check_positive_int("V", V), check_positive_int("H", H)
    check_rng(rng)
    params = cell_init(cell, V, H, rng, dtype)
    k = 1.0 / np.sqrt(H)
    params["W_hq"] = rng.uniform(-k, k, (H, V)).astype(dtype)
    params["b_q"] = np.zeros(V, dtype=dtype)
    return params


def lm_param_count(cell, V, H):
    """Parameters of the cell plus the output layer, H V + V."""
    check_choice("cell", cell, CELLS)
    V, H = check_positive_int("V", V), check_positive_int("H", H)
    return cell_param_count(cell, V, H) + H * V + V


def lm_hidden_for_budget(cell, V, budget):
    """The largest H whose model has at most ``budget`` parameters (for fair comparisons)."""
    check_choice("cell", cell, CELLS)
    V = check_positive_int("V", V)
    budget = check_finite_scalar("budget", budget)
    if budget < lm_param_count(cell, V, 1):
        raise ValueError(f"budget is {budget:g}; expected at least "
                         f"{lm_param_count(cell, V, 1)}, the size of a {cell!r} model with H = 1")
    lo, hi = 1, 2                              # the count grows with H: bisection
    while lm_param_count(cell, V, hi) <= budget:
        lo, hi = hi, 2 * hi
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if lm_param_count(cell, V, mid) <= budget else (lo, mid)
    return lo


def _check_pair(x_ids, y_ids, V):
    x_ids, y_ids = _check_ids("x_ids", x_ids, V), _check_ids("y_ids", y_ids, V)
    if x_ids.ndim != 2 or y_ids.shape != x_ids.shape or x_ids.size == 0:
        raise ValueError(f"x_ids has shape {x_ids.shape} and y_ids {y_ids.shape}; "
                         "expected two non-empty (N, T) arrays of the same shape")
    return x_ids, y_ids


def lm_loss_and_grads(params, cell, x_ids, y_ids, state=None, fused=None):
    """Mean cross-entropy of the next-token predictions and its gradients.

    Parameters
    ----------
    params : dict
        Cell parameters plus ``W_hq (H, V)``, ``b_q (V,)``.
    cell : {"rnn", "lstm", "gru"}
    x_ids, y_ids : (N, T) int ndarray
        Input tokens and target tokens (the next ones), ids in [0, V).
    state : tuple (h0, c0) or None
        Initial state, (N, H) each (c0 None except for the LSTM); None: zeros.
    fused : bool or None
        RNN only: use the fused fast path (default for "rnn") or the general one.

    Returns
    -------
    loss : float
        Mean over the N T predictions, in nats.
    grads : dict
        dloss/dparam for every key of ``params``.
    state : tuple (h_T, c_T)
        The final state, to start the next chunk (truncated BPTT: treat it as a
        constant, no gradient flows into it).
    """
    H, V = _check_params(params, cell)
    W_hq, b_q = params["W_hq"], params["b_q"]
    x_ids, y_ids = _check_pair(x_ids, y_ids, V)
    N, T = x_ids.shape
    h0, c0 = state if state is not None else (None, None)
    if fused is None:
        fused = cell == "rnn"
    if fused and cell != "rnn":
        raise ValueError(f"fused is True for cell {cell!r}; the fused path exists for 'rnn' only")
    if fused:
        h, h0 = rnn_fused_forward(params, x_ids, h0)            # (T, N, H), time-major
        h2, targets = h.reshape(T * N, H), y_ids.T.reshape(-1)
    else:
        h, cache = cell_forward(cell, one_hot(x_ids, V, dtype=W_hq.dtype),
                                _split(params, cell), h0, c0)
        h2, targets = h.reshape(N * T, H), y_ids.reshape(-1)
    loss, dlogits = cross_entropy(h2 @ W_hq + b_q, targets)    # dlogits already / (N T)
    dlogits = dlogits.astype(W_hq.dtype, copy=False)
    grads = {"W_hq": h2.T @ dlogits, "b_q": dlogits.sum(axis=0)}
    dh = dlogits @ W_hq.T
    if fused:
        grads.update(rnn_fused_backward(params, x_ids, h, h0, dh.reshape(T, N, H)))
        return float(loss), grads, (h[-1].copy(), None)
    g = cell_backward(cell, dh.reshape(N, T, H), cache).dparams
    grads.update(g)
    return float(loss), grads, final_state(cache)


def lm_hidden_states(params, cell, ids, state=None):
    """Hidden states h_t (L, H) of one stream ``ids`` (L,) read from ``state``."""
    _, V = _check_params(params, cell)
    ids = _check_ids("ids", ids, V)
    if ids.ndim != 1 or ids.size == 0:
        raise ValueError(f"ids has shape {ids.shape}; expected (L,) with L >= 1")
    h0, c0 = state if state is not None else (None, None)
    if cell == "rnn":
        return rnn_fused_forward(params, ids[None], h0)[0][:, 0]
    h, _ = cell_forward(cell, one_hot(ids[None], V, dtype=params["W_hq"].dtype),
                        _split(params, cell), h0, c0)
    return h[0]


def lm_evaluate(params, cell, ids, N=16, T=100):
    """Mean cross-entropy in nats per token of a held-out stream ``ids``.

    The stream is cut into N rows read in chunks of T with the state carried across
    chunks, so every prediction (except the first of each row) sees its whole past.
    """
    _, V = _check_params(params, cell)
    W_hq, b_q = params["W_hq"], params["b_q"]
    xs, ys = tbptt_batches(ids, N, T, V)
    state, total = (None, None), 0.0
    for x_ids, y_ids in zip(xs, ys):
        if cell == "rnn":
            h, _ = rnn_fused_forward(params, x_ids, state[0])
            h, y, state = h, y_ids.T, (h[-1], None)
        else:
            h, cache = cell_forward(cell, one_hot(x_ids, V, dtype=W_hq.dtype),
                                    _split(params, cell), *state)
            y, state = y_ids, final_state(cache)
        logp = log_softmax(h @ W_hq + b_q)
        total += -np.take_along_axis(logp, y[..., None], axis=-1).sum()
    return float(total / ys.size)


def lm_lookback(params, cell, ids, K=100, N=64, rng=None):
    """How far back the model looks: mean |d log p(target) / d x_{t-k}|, k = 0..K-1.

    For N positions t of ``ids`` drawn at random (seeded ``rng``), the model reads the
    K characters before and at t from a zero state and predicts character t + 1; the
    gradient of that log-probability with respect to the one-hot input k steps back
    is measured by its Euclidean norm. Returns (K,) mean norms, index k = 0 the
    current input.
    """
    K, N = check_positive_int("K", K), check_positive_int("N", N)
    _, V = _check_params(params, cell)
    ids = _check_ids("ids", ids, V)
    if ids.ndim != 1 or ids.size < K + 1:
        raise ValueError(f"ids has shape {ids.shape}; expected (L,) with L >= K + 1 = {K + 1}")
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    t = rng.integers(K - 1, ids.size - 1, N)
    x = ids[t[:, None] - np.arange(K - 1, -1, -1)]               # (N, K)
    h, cache = cell_forward(cell, one_hot(x, V), _split(params, cell))
    _, dlogits = cross_entropy(h[:, -1] @ params["W_hq"] + params["b_q"], ids[t + 1])
    dh = np.zeros_like(h)
    dh[:, -1] = -dlogits * N @ params["W_hq"].T                 # d log p / d h_{T-1}
    dx = cell_backward(cell, dh, cache).dx
    return np.linalg.norm(dx, axis=2).mean(axis=0)[::-1]


def train_lm(params, cell, ids, N, T, steps, optimizer, clip=5.0, progress=True, desc=""):
    """Train with truncated BPTT over the stream ``ids``, carrying the state.

    Each step takes the next (N, T) chunk of :func:`rnnbook.text.tbptt_batches`; after
    the last chunk it starts again at the beginning of the stream with a zero state.
    Uses :func:`rnnbook.train.train` (progress bar, gradient clipping by global norm).

    Returns
    -------
    dict
        ``loss`` (steps,) in nats per character and ``grad_norm`` (steps,).
    """
    from .train import train

    _, V = _check_params(params, cell)
    xs, ys = tbptt_batches(ids, N, T, V)
    carry = {"state": None}

    def loss_and_grads(p, step):
        k = step % len(xs)
        if k == 0:
            carry["state"] = None
        loss, grads, carry["state"] = lm_loss_and_grads(p, cell, xs[k], ys[k], carry["state"])
        return loss, grads

    return train(params, loss_and_grads, optimizer, steps, clip=clip, progress=progress,
                 desc=desc)



