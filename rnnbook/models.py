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

from ._validation import check_array, check_choice, check_positive_int, check_targets
from .cells import cell_param_count
from .gru import gru_init
from .losses import cross_entropy, mse, temporal_cross_entropy, temporal_mse
from .lstm import lstm_init
from .registry import cell_backward, cell_forward

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


def param_count(*args, **kwargs):
    """Number of parameters: of a parameter dict, or of a layer given its sizes.

    ``param_count(params)``
        The number of trainable numbers in a dict of arrays (any model).
    ``param_count(cell, D, H, V=0)``
        Of a ``cell`` layer D -> H (see :func:`rnnbook.cells.cell_param_count`) plus,
        when V > 0, an affine head H -> V.

    The two agree: ``param_count(init_params(cell, D, H, V, rng)) ==
    param_count(cell, D, H, V)``. (``rnnbook.context.param_count`` is this function.)
    """
    if len(args) + len(kwargs) == 1 and (args and isinstance(args[0], dict)
                                         or "params" in kwargs):
        params = args[0] if args else kwargs["params"]
        if not isinstance(params, dict) or not params:
            raise ValueError(f"params is {params!r}; expected a non-empty dict of arrays")
        return int(sum(np.size(v) for v in params.values()))
    return _layer_count(*args, **kwargs)


def _layer_count(cell, D, H, V=0):
    check_choice("cell", cell, CELLS)
    V = check_positive_int("V", V, minimum=0)
    return cell_param_count(cell, D, H) + (H * V + V if V else 0)


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
    if not isinstance(params, dict):
        raise ValueError(f"params is a {type(params).__name__}; expected the dict of "
                         f"init_params({cell!r}, ...)")
    missing = [k for k in CELL_PARAMS[cell] + ("W_hq", "b_q") if k not in params]
    if missing:
        raise ValueError(f"params lacks {missing}; expected the keys of "
                         f"init_params({cell!r}, ...)")
    x = check_array("x", x, ("N", "T", "D"))
    h, cache = cell_forward(cell, x, {k: params[k] for k in CELL_PARAMS[cell]}, h0)
    o = (h[:, -1] if head == "last" else h) @ params["W_hq"] + params["b_q"]
    return o, h, cache


def _loss(o, targets, loss, mask):
    """Loss (mean over N, sum over T) and dLoss/do for outputs o (N, [T,] V)."""
    if o.ndim == 2:
        return cross_entropy(o, targets) if loss == "ce" else mse(o, targets)
    if loss == "ce":
        return temporal_cross_entropy(o, targets, mask)
    return temporal_mse(o, targets, mask)


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
    check_choice("loss", loss, ("auto", "ce", "mse"))
    o, h, cache = forward(params, cell, x, head, h0)
    targets = np.asarray(targets)
    if loss == "auto":
        loss = "ce" if np.issubdtype(targets.dtype, np.integer) else "mse"
    want = o.shape[:-1] if loss == "ce" else o.shape
    if targets.shape != want:
        raise ValueError(f"targets has shape {targets.shape}; expected {want} for "
                         f"head={head!r} and loss={loss!r}")
    if loss == "ce":
        check_targets("targets", targets, want, o.shape[-1],
                      axis_name="V = W_hq.shape[1]")
    if mask is not None:
        if head != "all":
            raise ValueError("mask is given; expected mask=None for head='last'")
        mask = np.asarray(mask)
        if mask.dtype != bool:
            raise ValueError(f"mask has dtype {mask.dtype}; expected bool")
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
    grads.update(cell_backward(cell, dh, cache).dparams)
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
