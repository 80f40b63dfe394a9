"""A minimal encoder-decoder (sequence to sequence) model.

The encoder reads the source sequence; its final state is the initial state of the
decoder, which emits the target one token at a time (Sutskever et al., 2014; Cho et
al., 2014)::

    h^enc = cell_enc(onehot(src))                         (N, L_src, H)
    s_{-1} = h^enc_{L_src - 1}                            (and c for the LSTM)
    s_t = cell_dec(onehot(y_{t-1}), s_{t-1})              y_{-1} = <start>
    p_t = softmax(s_t W_hq + b_q)                         P(y_t | y_<t, src)

Training uses *teacher forcing*: the decoder input at step t is the true y_{t-1}.
Generation feeds back the decoder's own most likely token (:func:`seq2seq_greedy`).
Tokens are ids 0..S-1; the decoder's start token is id S (decoder inputs have S + 1
one-hot dimensions). The parameters form one flat dict: ``enc_<name>`` and
``dec_<name>`` for the two cells' parameters, plus ``W_hq (H, S)`` and ``b_q (S,)``.

The backward pass joins the two networks: the gradient that reaches the decoder's
initial state is added to the encoder's gradient at its last step.
"""
from __future__ import annotations

import numpy as np

from ._validation import (check_array, check_choice, check_positive_int, check_rng,
                          check_targets)
from .cells import CELLS, PARAM_NAMES, cell_init
from .losses import cross_entropy
from .registry import cell_backward, cell_forward, final_state
from .text import one_hot

__all__ = ["seq2seq_init", "seq2seq_loss_and_grads", "seq2seq_greedy", "reverse_task"]


def reverse_task(N, L, S, rng):
    """Random sequences of L symbols in [0, S) and their reversals, each (N, L) int."""
    N, L, S = (check_positive_int("N", N), check_positive_int("L", L),
               check_positive_int("S", S))
    src = check_rng(rng).integers(0, S, (N, L))
    return src, src[:, ::-1].copy()


def seq2seq_init(cell, S, H, rng, dtype=np.float64):
    """Flat parameter dict of an encoder-decoder over S symbols with hidden size H."""
    check_choice("cell", cell, CELLS)
    S, H = check_positive_int("S", S), check_positive_int("H", H)
    params = {f"enc_{k}": v for k, v in cell_init(cell, S, H, rng, dtype).items()}
    params.update({f"dec_{k}": v for k, v in cell_init(cell, S + 1, H, rng, dtype).items()})
    k = 1.0 / np.sqrt(H)
    params["W_hq"] = rng.uniform(-k, k, (H, S)).astype(dtype)
    params["b_q"] = np.zeros(S, dtype=dtype)
    return params


def _check_params(params, cell):
    check_choice("cell", cell, CELLS)
    want = {f"{p}_{k}" for p in ("enc", "dec") for k in PARAM_NAMES[cell]} | {"W_hq", "b_q"}
    if not isinstance(params, dict) or set(params) != want:
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected the keys {sorted(want)} of "
                         f"seq2seq_init({cell!r}, ...)")
    dims = {}
    check_array("params['W_hq']", params["W_hq"], ("H", "S"), dims=dims)
    check_array("params['b_q']", params["b_q"], ("S",), dims=dims)
    return dims["H"], dims["S"]


def _part(params, cell, prefix):
    return {k: params[f"{prefix}_{k}"] for k in PARAM_NAMES[cell]}


def _run(cell, x, params, prefix, h0=None, c0=None):
    """cell_forward on the enc_ or dec_ parameters; errors name the prefixed key."""
    try:
        return cell_forward(cell, x, _part(params, cell, prefix), h0, c0)
    except ValueError as exc:
        raise ValueError(f"params['{prefix}_*'] (the {'encoder' if prefix == 'enc' else 'decoder'}"
                         f"): {exc}") from None


def _encode(params, cell, src):
    S = params["W_hq"].shape[1]
    return _run(cell, one_hot(src, S), params, "enc")


def seq2seq_loss_and_grads(params, cell, src, tgt):
    """Teacher-forced mean cross-entropy over the N x L_tgt predictions, and gradients.

    Parameters
    ----------
    params : dict
        From :func:`seq2seq_init`.
    cell : {"rnn", "lstm", "gru"}
    src : (N, L_src) int ndarray
    tgt : (N, L_tgt) int ndarray

    Returns
    -------
    loss : float
        Nats per target token.
    grads : dict
        Same keys as ``params``.
    """
    H, S = _check_params(params, cell)
    dims = {}
    src = check_targets("src", src, ("N", "L_src"), S, dims=dims, axis_name="S")
    tgt = check_targets("tgt", tgt, ("N", "L_tgt"), S, dims=dims, axis_name="S")
    if src.shape[1] == 0 or tgt.shape[1] == 0:
        raise ValueError(f"src has shape {src.shape} and tgt {tgt.shape}; expected at "
                         "least one step in each")
    W_hq, b_q = params["W_hq"], params["b_q"]
    N, L = tgt.shape
    # encoder; its final state starts the decoder
    h_enc, c_enc = _encode(params, cell, src)
    h_T, c_T = final_state(c_enc)
    dec_in = np.concatenate([np.full((N, 1), S), tgt[:, :-1]], axis=1)   # <start>, y_0..
    s, c_dec = _run(cell, one_hot(dec_in, S + 1), params, "dec", h_T, c_T)
    s2 = s.reshape(N * L, H)
    loss, dlogits = cross_entropy(s2 @ W_hq + b_q, tgt.reshape(-1))   # mean over N * L
    grads = {"W_hq": s2.T @ dlogits, "b_q": dlogits.sum(axis=0)}
    ds = (dlogits @ W_hq.T).reshape(N, L, H)
    _, g_dec, dh_T, dc_T = cell_backward(cell, ds, c_dec)
    # the decoder started from the encoder's final state: its dh0, dc0 enter there
    _, g_enc, _, _ = cell_backward(cell, np.zeros_like(h_enc), c_enc, dc_T, dh_last=dh_T)
    grads.update({f"dec_{k}": v for k, v in g_dec.items()})
    grads.update({f"enc_{k}": v for k, v in g_enc.items()})
    return float(loss), grads


def seq2seq_greedy(params, cell, src, L_out):
    """Decode ``L_out`` tokens greedily (feeding back the argmax). Returns (N, L_out) int."""
    H, S = _check_params(params, cell)
    L_out = check_positive_int("L_out", L_out)
    src = check_targets("src", src, ("N", "L_src"), S, axis_name="S")
    if src.shape[1] == 0:
        raise ValueError(f"src has shape {src.shape}; expected (N, L_src) with L_src >= 1")
    _, c_enc = _encode(params, cell, src)
    state = final_state(c_enc)
    y = np.full(src.shape[0], S)
    out = np.empty((src.shape[0], L_out), dtype=np.int64)
    for t in range(L_out):
        s, cache = _run(cell, one_hot(y[:, None], S + 1), params, "dec", *state)
        state = final_state(cache)
        y = out[:, t] = np.argmax(s[:, 0] @ params["W_hq"] + params["b_q"], axis=1)
    return out
