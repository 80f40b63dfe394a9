"""Sequence models: one recurrent layer (RNN, LSTM or GRU) plus an affine head.

The head reads either the last hidden state (many-to-one, ``head="last"``) or every
hidden state (many-to-many, ``head="all"``)::

    h = cell(x)                     (N, T, H)
    o = h_T W_hq + b_q              (N, V)        head="last"
    o_t = h_t W_hq + b_q            (N, T, V)     head="all"

Losses: ``"ce"`` (softmax cross-entropy, integer targets) or ``"mse"`` (0.5 squared
error, float targets); ``"auto"`` picks by the targets' dtype. The loss is a mean over
the batch; with ``head="all"`` it is summed over the (unmasked) time steps.

:func:`forward_backward` returns ``(loss, grads)`` with one gradient per parameter, so
``lambda params, step: forward_backward(params, cell, *batch(step))`` is the
``loss_and_grads`` callable that :func:`rnnbook.train.train` expects.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice
from .gru import gru_backward, gru_forward, gru_init, gru_param_count
from .losses import log_softmax, softmax
from .lstm import lstm_backward, lstm_forward, lstm_init, lstm_param_count

__all__ = ["CELLS", "init_params", "param_count", "forward", "forward_backward",
           "predict", "make_loss_and_grads"]

CELLS = ("rnn", "lstm", "gru")
CELL_PARAMS = {"rnn": ("W_xh", "W_hh", "b_h"), "lstm": ("W_xh", "W_hh", "b"),
               "gru": ("W_xh", "W_hh", "b_xh", "b_hh")}


def init_params(cell, D, H, V, rng, forget_bias=1.0, *, init=None, T_max=None):
    """Parameters of a ``cell`` layer (D -> H) and a head (H -> V), as a dict.

    Weights uniform in +-1/sqrt(H) (PyTorch's weight draw), b_q = 0. Biases and W_hh
    by ``init`` (see :mod:`rnnbook.init`):

    * ``init=None`` (default): LSTM forget bias ``forget_bias`` (default 1), other
      biases 0; GRU and RNN biases 0, RNN W_hh uniform;
    * a preset name: LSTM "zeros", "forget1", "hs97", "chrono"; GRU "default",
      "long", "chrono"; RNN "default", "orthogonal", "irnn" (identity W_hh; the layer
      stays tanh). "chrono" needs ``T_max``;
    * a dict of keyword arguments of :func:`rnnbook.init.lstm_gate_bias` (LSTM) or
      :func:`rnnbook.init.gru_gate_bias` (GRU).
    """
    from .init import resolve_preset, rnn_recurrent_weights
    check_choice("cell", cell, CELLS)
    k = 1.0 / np.sqrt(H)
    if init is None:
        kw = {"lstm": dict(forget_bias=forget_bias), "gru": {},
              "rnn": {"preset": "default"}}[cell]
    else:
        kw = resolve_preset(cell, init, T_max)
    if cell == "lstm":
        p = lstm_init(D, H, rng, **kw)
    elif cell == "gru":
        p = gru_init(D, H, rng, **kw)
    else:
        W_xh = rng.uniform(-k, k, (D, H))
        p = dict(W_xh=W_xh, W_hh=rnn_recurrent_weights(H, rng, kw["preset"]),
                 b_h=np.zeros(H))
    p["W_hq"] = rng.uniform(-k, k, (H, V))
    p["b_q"] = np.zeros(V)
    return p


def param_count(cell, D, H, V=0):
    """Number of parameters of the layer (and of the head when V > 0)."""
    check_choice("cell", cell, CELLS)
    layer = {"rnn": H * (D + H) + H, "lstm": lstm_param_count(D, H),
             "gru": gru_param_count(D, H)}[cell]
    return layer + (H * V + V if V else 0)


def _layer(params, cell, x, h0):
    p = [params[k] for k in CELL_PARAMS[cell]]
    if cell == "rnn":
        from .rnn import rnn_forward
        return rnn_forward(x, h0, *p)
    if cell == "lstm":
        return lstm_forward(x, h0, *p)
    return gru_forward(x, h0, *p)


def _layer_backward(cell, dh, cache):
    if cell == "rnn":
        from .rnn import rnn_backward
        grads = rnn_backward(dh, cache)
    elif cell == "lstm":
        grads = lstm_backward(dh, cache)
    else:
        grads = gru_backward(dh, cache)
    return dict(zip(CELL_PARAMS[cell], grads[2:]))


def forward(params, cell, x, head="last", h0=None):
    """Outputs ``o`` ((N, V) for head="last", (N, T, V) for "all") and the states.

    Returns
    -------
    o : ndarray
    h : (N, T, H) ndarray
    cache : the layer's cache
    """
    check_choice("cell", cell, CELLS)
    check_choice("head", head, ("last", "all"))
    missing = [k for k in CELL_PARAMS[cell] + ("W_hq", "b_q") if k not in params]
    if missing:
        raise ValueError(f"params lacks {missing}; expected the keys of "
                         f"init_params({cell!r}, ...)")
    x = check_array("x", x, ("N", "T", "D"))
    if h0 is None:
        h0 = np.zeros((x.shape[0], params["W_hh"].shape[0]))
    h, cache = _layer(params, cell, x, h0)
    o = (h[:, -1] if head == "last" else h) @ params["W_hq"] + params["b_q"]
    return o, h, cache


def _loss(o, targets, loss, mask):
    """Loss (mean over N, sum over T) and dLoss/do for outputs o (N, [T,] V)."""
    N = o.shape[0]
    if loss == "ce":
        logp = log_softmax(o, axis=-1)
        picked = np.take_along_axis(logp, targets[..., None], axis=-1)[..., 0]
        do = softmax(o, axis=-1)
        np.put_along_axis(do, targets[..., None],
                          np.take_along_axis(do, targets[..., None], axis=-1) - 1.0, axis=-1)
        w = np.ones(targets.shape) if mask is None else mask.astype(float)
        return -float(np.sum(picked * w)) / N, do * w[..., None] / N
    diff = o - targets
    if mask is not None:
        diff = diff * mask[..., None]
    return 0.5 * float(np.sum(diff ** 2)) / N, diff / N


def forward_backward(params, cell, x, targets, head="last", loss="auto", mask=None,
                     h0=None):
    """Loss and gradients of every parameter.

    Parameters
    ----------
    params : dict
        From :func:`init_params`.
    cell : {"rnn", "lstm", "gru"}
    x : (N, T, D) ndarray
    targets : ndarray
        head="last": (N,) int (loss "ce") or (N, V) float ("mse");
        head="all": (N, T) int or (N, T, V) float.
    head : {"last", "all"}
    loss : {"auto", "ce", "mse"}
    mask : (N, T) bool ndarray, optional
        head="all" only: which steps count in the loss.
    h0 : (N, H) ndarray, optional

    Returns
    -------
    loss : float
    grads : dict
        Same keys and shapes as ``params``.
    """
    o, h, cache = forward(params, cell, x, head, h0)
    targets = np.asarray(targets)
    check_choice("loss", loss, ("auto", "ce", "mse"))
    if loss == "auto":
        loss = "ce" if np.issubdtype(targets.dtype, np.integer) else "mse"
    want = o.shape[:-1] if loss == "ce" else o.shape
    if targets.shape != want:
        raise ValueError(f"targets has shape {targets.shape}; expected {want} for "
                         f"head={head!r} and loss={loss!r}")
    if loss == "ce":
        if not np.issubdtype(targets.dtype, np.integer):
            raise ValueError(f"targets has dtype {targets.dtype}; expected integers "
                             "for loss='ce'")
        V = o.shape[-1]
        if targets.size and (targets.min() < 0 or targets.max() >= V):
            raise ValueError(f"targets has values outside [0, {V}); expected class "
                             f"indices below V = W_hq.shape[1] = {V}")
    if mask is not None:
        if head != "all":
            raise ValueError("mask is given; expected mask=None for head='last'")
        mask = np.asarray(mask, dtype=bool)
        if mask.shape != h.shape[:2]:
            raise ValueError(f"mask has shape {mask.shape}; expected (N, T) = {h.shape[:2]}")
    L, do = _loss(o, targets, loss, mask)
    H = h.shape[2]
    if head == "last":
        grads = {"W_hq": h[:, -1].T @ do, "b_q": do.sum(axis=0)}
        dh = np.zeros_like(h)
        dh[:, -1] = do @ params["W_hq"].T
    else:
        V = do.shape[-1]
        grads = {"W_hq": h.reshape(-1, H).T @ do.reshape(-1, V),
                 "b_q": do.reshape(-1, V).sum(axis=0)}
        dh = do @ params["W_hq"].T
    grads.update(_layer_backward(cell, dh, cache))
    return L, grads


def predict(params, cell, x, head="last"):
    """Model outputs (logits or regression values) without gradients."""
    return forward(params, cell, x, head)[0]


def make_loss_and_grads(cell, batch, head="last", loss="auto"):
    """The ``loss_and_grads(params, step)`` callable for :func:`rnnbook.train.train`.

    ``batch(step)`` returns ``(x, targets)`` (or ``(x, targets, mask)``).
    """
    check_choice("cell", cell, CELLS)

    def loss_and_grads(params, step):
        b = batch(step)
        mask = b[2] if len(b) > 2 else None
        return forward_backward(params, cell, b[0], b[1], head=head, loss=loss, mask=mask)
    return loss_and_grads
