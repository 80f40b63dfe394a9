"""How far back does a gradient reach? Exact state Jacobians of RNN, LSTM and GRU.

For one input sequence x (T, D) we run a cell and compute, for every earlier step k,
the Jacobian of the last hidden state with respect to an earlier one,

    J_k = d h_{T-1} / d h_k        (H, H),    k = T-2, ..., -1,

and its spectral norm ||J_k||_2 (the largest factor by which a perturbation of h_k
can be amplified at the end; equivalently the largest gradient that a loss on
h_{T-1} can send back to h_k, per unit of gradient). For the LSTM, whose state is
the pair (h_k, c_k), we also report ||d h_{T-1} / d c_k||_2, the reach of the cell
path; d h_{T-1} / d h_k holds c_k fixed.

The Jacobian rows are obtained with the cells' own backward steps: the batch holds H
copies of the sequence and the backward pass starts from dh_{T-1} = I (one unit vector
per copy), so one backward sweep gives every J_k exactly (no finite differences).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice
from . import gru as _gru, lstm as _lstm
from .gru import gru_step_forward
from .lstm import lstm_step_forward

__all__ = ["hidden_jacobian_norms"]


def hidden_jacobian_norms(cell, params, x, h0=None, c0=None, formulation="pytorch"):
    """Spectral norms of d h_{T-1} / d h_k (and / d c_k for the LSTM).

    Parameters
    ----------
    cell : {"rnn", "lstm", "gru"}
    params : dict
        The cell's parameters (``W_xh, W_hh, b_h`` / ``W_xh, W_hh, b`` /
        ``W_xh, W_hh, b_xh, b_hh``); extra keys (a head) are ignored.
    x : (T, D) ndarray
        One input sequence.
    h0, c0 : (H,) ndarray, optional
        Initial states (zeros by default).
    formulation : {"pytorch", "cho"}
        GRU only: where the reset gate acts (see :mod:`rnnbook.gru`).

    Returns
    -------
    dict
        ``gap`` (T,) = T-1-k for k = T-2 .. -1 (1 .. T), ``h`` (T,) the norms
        ||d h_{T-1}/d h_k||_2 in the same order, ``c`` (T,) for the LSTM
        (||d h_{T-1}/d c_k||_2, else None), and ``f_mean`` (mean forget-gate value,
        LSTM) / ``z_mean`` (mean update gate, GRU).
    """
    check_choice("cell", cell, ("rnn", "lstm", "gru"))
    from .registry import cell_spec
    need = cell_spec(cell).params
    if not isinstance(params, dict) or not set(need) <= set(params):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected at least {list(need)} for a "
                         f"{cell!r} cell")
    x = check_array("x", x, ("T", "D"))
    T = x.shape[0]
    H = params["W_hh"].shape[0]
    X = np.repeat(x[None], H, axis=0)                      # H copies: (H, T, D)
    h = np.zeros((H, H)) if h0 is None else np.repeat(np.asarray(h0)[None], H, 0)
    c = np.zeros((H, H)) if c0 is None else np.repeat(np.asarray(c0)[None], H, 0)
    # one checked step validates the shapes; the loop then runs the unchecked kernels
    if cell == "lstm":
        lstm_step_forward(X[:, 0], h, c, params["W_xh"], params["W_hh"], params["b"])
    elif cell == "gru":
        gru_step_forward(X[:, 0], h, params["W_xh"], params["W_hh"], params["b_xh"],
                         params["b_hh"], formulation)
    caches, gate_means = [], []
    for t in range(T):
        if cell == "rnn":
            from .rnn import rnn_step_forward
            h, cache = rnn_step_forward(X[:, t], h, params["W_xh"], params["W_hh"],
                                        params["b_h"])
        elif cell == "lstm":
            h, c, cache = _lstm._step_forward(X[:, t], h, c, params["W_xh"],
                                              params["W_hh"], params["b"])
            gate_means.append(cache.f[0].mean())
        else:
            h, cache = _gru._step_forward(X[:, t], h, params["W_xh"], params["W_hh"],
                                          params["b_xh"], params["b_hh"], formulation)
            gate_means.append(cache.z[0].mean())
        caches.append(cache)
    dh = np.eye(H)
    dc = np.zeros((H, H))
    norms_h, norms_c = np.empty(T), np.empty(T)
    for t in range(T - 1, -1, -1):                          # dh holds dh_{T-1}/dh_t
        if cell == "rnn":
            from .rnn import rnn_step_backward
            dh = rnn_step_backward(dh, caches[t])[1]
        elif cell == "lstm":
            _, dh, dc, *_ = _lstm._step_backward(dh, dc, caches[t])
            norms_c[T - 1 - t] = np.linalg.norm(dc, 2)
        else:
            dh = _gru._step_backward(dh, caches[t])[1]
        norms_h[T - 1 - t] = np.linalg.norm(dh, 2)          # d h_{T-1} / d h_{t-1}
    return {"gap": np.arange(1, T + 1), "h": norms_h,
            "c": norms_c if cell == "lstm" else None,
            "f_mean": float(np.mean(gate_means)) if cell == "lstm" else None,
            "z_mean": float(np.mean(gate_means)) if cell == "gru" else None}
