"""Character-level (or word-level) recurrent language models.

A language model reads tokens one at a time and outputs, at every step, a
distribution over the next token::

    x_t = onehot(token_t)                     (N, V)
    h_t = cell(x_t, h_{t-1})                  (N, H)     RNN, LSTM or GRU
    o_t = h_t W_hq + b_q                      (N, V)     logits
    p_t = softmax(o_t)                        P(token_{t+1} | token_0 .. token_t)

The loss is the cross-entropy -log p_t[token_{t+1}], averaged over the N T
predictions (nats per token); divided by ln 2 it is the number of bits per character.

Training uses truncated BPTT as in min-char-rnn: the stream is cut into chunks of T
steps (:func:`rnnbook.text.tbptt_batches`), the state at the end of a chunk is the
initial state of the next one, but no gradient flows across the boundary.

Parameters are one dict: the cell's (see :mod:`rnnbook.cells`) plus ``W_hq (H, V)``
and ``b_q (V,)``.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_positive_int
from .cells import CELLS, PARAM_NAMES, cell_backward, cell_forward, cell_init, \
    cell_param_count, final_state
from .losses import log_softmax
from .text import one_hot, sample_next, softmax_temperature, tbptt_batches

__all__ = ["lm_init", "lm_param_count", "lm_hidden_for_budget", "lm_loss_and_grads",
           "lm_evaluate", "lm_next_probs", "lm_sample", "train_lm"]


def lm_init(cell, V, H, rng, dtype=np.float64):
    """Parameters of a language model with vocabulary V and hidden size H."""
    check_choice("cell", cell, CELLS)
    V, H = check_positive_int("V", V), check_positive_int("H", H)
    params = cell_init(cell, V, H, rng, dtype)
    k = 1.0 / np.sqrt(H)
    params["W_hq"] = rng.uniform(-k, k, (H, V)).astype(dtype)
    params["b_q"] = np.zeros(V, dtype=dtype)
    return params


def lm_param_count(cell, V, H):
    """Parameters of the cell plus the output layer, H V + V."""
    return cell_param_count(cell, V, H) + H * V + V


def lm_hidden_for_budget(cell, V, budget):
    """The largest H whose model has at most ``budget`` parameters (for fair comparisons)."""
    H = 1
    while lm_param_count(cell, V, H + 1) <= budget:
        H += 1
    return H


def _split(params, cell):
    return {k: params[k] for k in PARAM_NAMES[cell]}


def lm_loss_and_grads(params, cell, x_ids, y_ids, state=None):
    """Mean cross-entropy of the next-token predictions and its gradients.

    Parameters
    ----------
    params : dict
        Cell parameters plus ``W_hq (H, V)``, ``b_q (V,)``.
    cell : {"rnn", "lstm", "gru"}
    x_ids, y_ids : (N, T) int ndarray
        Input tokens and target tokens (the next ones).
    state : tuple (h0, c0) or None
        Initial state, (N, H) each (c0 None except for the LSTM); None: zeros.

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
    check_choice("cell", cell, CELLS)
    W_hq, b_q = params["W_hq"], params["b_q"]
    H, V = W_hq.shape
    x_ids = np.asarray(x_ids)
    y_ids = np.asarray(y_ids)
    if x_ids.ndim != 2 or y_ids.shape != x_ids.shape:
        raise ValueError(f"x_ids has shape {x_ids.shape} and y_ids {y_ids.shape}; "
                         "expected two (N, T) arrays of the same shape")
    N, T = x_ids.shape
    h0, c0 = state if state is not None else (None, None)
    h, cache = cell_forward(cell, one_hot(x_ids, V), _split(params, cell), h0, c0)
    h2 = h.reshape(N * T, H)
    z = h2 @ W_hq + b_q                                     # (N T, V) logits
    z -= z.max(axis=1, keepdims=True)                       # stable softmax
    e = np.exp(z)
    total = e.sum(axis=1)
    rows, cols = np.arange(N * T), y_ids.reshape(-1)
    loss = np.mean(np.log(total) - z[rows, cols])           # -log softmax at the targets
    dlogits = e / total[:, None]                            # softmax - onehot, / N T
    dlogits[rows, cols] -= 1.0
    dlogits /= N * T
    grads = {"W_hq": h2.T @ dlogits, "b_q": dlogits.sum(axis=0)}
    dh = (dlogits @ W_hq.T).reshape(N, T, H)
    _, _, _, g = cell_backward(cell, dh, cache)
    grads.update(g)
    return float(loss), grads, final_state(cache)


def lm_evaluate(params, cell, ids, N=16, T=100):
    """Mean cross-entropy in nats per token of a held-out stream ``ids``.

    The stream is cut into N rows read in chunks of T with the state carried across
    chunks, so every prediction (except the first of each row) sees its whole past.
    """
    xs, ys = tbptt_batches(ids, N, T)
    W_hq, b_q = params["W_hq"], params["b_q"]
    state, total = (None, None), 0.0
    for x_ids, y_ids in zip(xs, ys):
        h, cache = cell_forward(cell, one_hot(x_ids, W_hq.shape[1]),
                                _split(params, cell), *state)
        logp = log_softmax(h @ W_hq + b_q)
        total += -np.take_along_axis(logp, y_ids[..., None], axis=-1).sum()
        state = final_state(cache)
    return float(total / ys.size)


def lm_next_probs(params, cell, prefix_ids, temperature=1.0):
    """Distribution of the next token after reading ``prefix_ids`` (L,), shape (V,)."""
    prefix_ids = np.asarray(prefix_ids)
    if prefix_ids.ndim != 1 or prefix_ids.size == 0:
        raise ValueError(f"prefix_ids has shape {prefix_ids.shape}; expected (L,) with L >= 1")
    V = params["W_hq"].shape[1]
    h, _ = cell_forward(cell, one_hot(prefix_ids[None], V), _split(params, cell))
    return softmax_temperature(h[0, -1] @ params["W_hq"] + params["b_q"], temperature)


def lm_sample(params, cell, prime_ids, n, temperature, rng):
    """Generate ``n`` tokens after ``prime_ids`` (L,), feeding each sample back in.

    Returns
    -------
    (n,) int ndarray
    """
    n = check_positive_int("n", n)
    prime_ids = np.asarray(prime_ids)
    V = params["W_hq"].shape[1]
    cp = _split(params, cell)
    h, cache = cell_forward(cell, one_hot(prime_ids[None], V), cp)
    state = final_state(cache)
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        logits = state[0] @ params["W_hq"] + params["b_q"]     # (1, V)
        out[i] = sample_next(logits, temperature, rng)[0]
        _, cache = cell_forward(cell, one_hot(out[i:i + 1][None], V), cp, *state)
        state = final_state(cache)
    return out


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

    xs, ys = tbptt_batches(ids, N, T)
    carry = {"state": None}

    def loss_and_grads(p, step):
        k = step % len(xs)
        if k == 0:
            carry["state"] = None
        loss, grads, carry["state"] = lm_loss_and_grads(p, cell, xs[k], ys[k], carry["state"])
        return loss, grads

    return train(params, loss_and_grads, optimizer, steps, clip=clip, progress=progress,
                 desc=desc)
