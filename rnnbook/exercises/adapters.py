"""The package's reference implementations, adapted to the signatures readers implement.

This is the only module of :mod:`rnnbook.exercises` that calls the layers: if a layer's
API changes, only these functions change. Readers' signatures take plain arrays (no
caches), so an exercise does not depend on how a cache is laid out.
"""
from __future__ import annotations

from .. import gru, lstm, mlp, optim, rnn, text
from ..bidirectional import bidirectional_backward, bidirectional_forward

__all__ = ["mlp_backward", "rnn_step_backward", "rnn_backward", "truncated_backward",
           "clip_by_global_norm", "lstm_step_backward", "gru_step_backward",
           "gru_step_backward_cho", "softmax_temperature", "sample_next",
           "bidirectional_backward_ref", "forward"]


# ----- forward passes (inputs of the cases and the finite-difference losses) -----
def mlp_forward2(x, W1, b1, W2, b2):
    """Two sigmoid layers: returns (O1, y)."""
    y, cache = mlp.mlp_forward(x, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, "sigmoid")
    return cache.O[1], y


def rnn_step(x, h_prev, W_xh, W_hh, b_h):
    return rnn.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)[0]


def rnn_seq(x, h0, W_xh, W_hh, b_h):
    return rnn.rnn_forward(x, h0, W_xh, W_hh, b_h)[0]


def lstm_step(x, h_prev, c_prev, W_xh, W_hh, b):
    h, c, _ = lstm.lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b)
    return h, c


def gru_step(x, h_prev, W_xh, W_hh, b_xh, b_hh, formulation="pytorch"):
    return gru.gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, formulation)[0]


def bi_forward(x, h0_f, h0_b, params_f, params_b):
    return bidirectional_forward(x, params_f, params_b, "rnn", h0_f, h0_b)


forward = {"mlp": mlp_forward2, "rnn_step": rnn_step, "rnn": rnn_seq, "lstm_step": lstm_step,
           "gru_step": gru_step, "bi": bi_forward}


# ----- references in the readers' signatures -----
# Each receives every input of the case (``**_`` takes those the reader does not get,
# e.g. the biases, which the backward pass does not need) and re-runs the forward pass.
def mlp_backward(dy, x, W1, b1, W2, b2, **_):
    _, cache = mlp.mlp_forward(x, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}, "sigmoid")
    dx, g, _ = mlp.mlp_backward(dy, cache)
    return dx, g["W1"], g["b1"], g["W2"], g["b2"]


def rnn_step_backward(dh, x, h_prev, W_xh, W_hh, b_h, **_):
    _, cache = rnn.rnn_step_forward(x, h_prev, W_xh, W_hh, b_h)
    return rnn.rnn_step_backward(dh, cache)


def rnn_backward(dh, x, h0, W_xh, W_hh, b_h, truncate=None, **_):
    _, cache = rnn.rnn_forward(x, h0, W_xh, W_hh, b_h)
    return rnn.rnn_backward(dh, cache, truncate=truncate)


def truncated_backward(dh, x, h0, W_xh, W_hh, b_h, k, **_):
    return rnn_backward(dh, x, h0, W_xh, W_hh, b_h, truncate=k)


def clip_by_global_norm(grads, max_norm, **_):
    return optim.clip_by_global_norm(grads, max_norm)


def lstm_step_backward(dh, dc, x, h_prev, c_prev, W_xh, W_hh, b, **_):
    _, _, cache = lstm.lstm_step_forward(x, h_prev, c_prev, W_xh, W_hh, b)
    return lstm.lstm_step_backward(dh, dc, cache)


def gru_step_backward(dh, x, h_prev, W_xh, W_hh, b_xh, b_hh, **_):
    _, cache = gru.gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, "pytorch")
    return gru.gru_step_backward(dh, cache)


def gru_step_backward_cho(dh, x, h_prev, W_xh, W_hh, b_xh, b_hh, **_):
    _, cache = gru.gru_step_forward(x, h_prev, W_xh, W_hh, b_xh, b_hh, "cho")
    return gru.gru_step_backward(dh, cache)


def softmax_temperature(logits, temperature, **_):
    return text.softmax_temperature(logits, temperature)


def sample_next(logits, temperature, rng, **_):
    return text.sample_next(logits, temperature, rng)


def bidirectional_backward_ref(dh, x, h0_f, h0_b, params_f, params_b, **_):
    _, cache = bidirectional_forward(x, params_f, params_b, "rnn", h0_f, h0_b)
    g = bidirectional_backward(dh, cache)
    return (g.dx, g.dh0_f, g.dh0_b, g.dparams_f["W_xh"], g.dparams_f["W_hh"],
            g.dparams_f["b_h"], g.dparams_b["W_xh"], g.dparams_b["W_hh"], g.dparams_b["b_h"])
