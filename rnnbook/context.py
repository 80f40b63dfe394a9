"""Elman and Jordan classifiers that read a sequence and answer at its last step.

The two simple recurrent networks differ only in what they feed back (their *context
units*):

* Elman: the previous hidden state, h_t = f(x_t W_xh + h_{t-1} W_hh + b_h); the answer
  is o = h_{T-1} W_hq + b_q;
* Jordan: the previous output, h_t = f(x_t W_xh + y_{t-1} W_yh + b_h),
  y_t = o_t = h_t W_hq + b_q; the answer is y_{T-1} itself.

Both are trained with a softmax cross-entropy on the answer. Parameters live in dicts
(the form :func:`rnnbook.train.train` expects); the loss functions return
``(loss, grads)`` with the same keys.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ._validation import check_array, check_choice, check_positive_int, check_rng
from .jordan import jordan_backward, jordan_forward
from .layers import affine_backward, affine_forward, temporal_softmax_loss
from .losses import cross_entropy
from .models import param_count          # one home: rnnbook.models.param_count(params)
from .rnn import rnn_backward, rnn_forward

__all__ = ["init_context_net", "context_loss_and_grads", "context_predict", "param_count",
           "recall_with_wait", "recall_run"]

KINDS = ("elman", "jordan")


def init_context_net(kind, D, H, V, rng, scale=1.0):
    """Random parameters of an Elman or a Jordan classifier.

    Input weights ~ N(0, 1/D), recurrent (or context) weights ~ N(0, scale^2 / H) or
    N(0, scale^2 / V), output weights ~ N(0, 1/H), zero biases.

    Returns
    -------
    dict
        Elman: W_xh (D, H), W_hh (H, H), b_h (H,), W_hq (H, V), b_q (V,).
        Jordan: W_xh (D, H), W_yh (V, H), b_h (H,), W_hq (H, V), b_q (V,).
    """
    check_choice("kind", kind, KINDS)
    D, H, V = (check_positive_int(n, v) for n, v in (("D", D), ("H", H), ("V", V)))
    check_rng(rng)
    p = {"W_xh": rng.standard_normal((D, H)) / np.sqrt(D), "b_h": np.zeros(H)}
    if kind == "elman":
        p.update(W_hh=scale * rng.standard_normal((H, H)) / np.sqrt(H),
                 W_hq=rng.standard_normal((H, V)) / np.sqrt(H), b_q=np.zeros(V))
    else:
        p.update(W_yh=scale * rng.standard_normal((V, H)) / np.sqrt(V),
                 W_hq=rng.standard_normal((H, V)) / np.sqrt(H), b_q=np.zeros(V))
    return p


_KEYS = {"elman": {"W_xh", "W_hh", "b_h", "W_hq", "b_q"},
         "jordan": {"W_xh", "W_yh", "b_h", "W_hq", "b_q"}}


def _kind(params, x):
    """'elman' or 'jordan' from the keys of ``params``; also checks x (N, T, D)."""
    keys = set(params) if isinstance(params, dict) else None
    kind = next((k for k, v in _KEYS.items() if keys == v), None)
    if kind is None:
        got = sorted(keys) if keys is not None else type(params).__name__
        raise ValueError(f"params has keys {got}; expected the keys of an Elman net "
                         f"{sorted(_KEYS['elman'])} or of a Jordan net "
                         f"{sorted(_KEYS['jordan'])} (see init_context_net)")
    check_array("x", x, ("N", "T", "D"))
    return kind


def context_predict(params, x, all_steps=False):
    """Scores of the answer at the last step, (N, V), for x (N, T, D); with
    ``all_steps=True`` the scores of every step, (N, T, V)."""
    if _kind(params, x) == "elman":
        h, _ = rnn_forward(x, None, params["W_xh"], params["W_hh"], params["b_h"])
        o = h @ params["W_hq"] + params["b_q"]
        return o if all_steps else o[:, -1]
    y, _ = jordan_forward(x, None, params["W_xh"], params["W_yh"], params["b_h"],
                          params["W_hq"], params["b_q"])
    return y if all_steps else y[:, -1]


def context_loss_and_grads(params, x, targets):
    """Cross-entropy of the answers and its gradients.

    Parameters
    ----------
    params : dict
        From :func:`init_context_net`.
    x : (N, T, D) ndarray
    targets : (N,) or (N, T) int ndarray
        (N,): one answer at the last step. (N, T): an answer at every step (the loss is
        summed over steps, see :func:`rnnbook.layers.temporal_softmax_loss`).

    Returns
    -------
    loss : float
    grads : dict with the keys of ``params``
    """
    if _kind(params, x) == "elman":
        h, cache = rnn_forward(x, None, params["W_xh"], params["W_hh"], params["b_h"])
        if np.ndim(targets) == 2:
            o, ca = affine_forward(h, params["W_hq"], params["b_q"])
            loss, do = temporal_softmax_loss(o, targets)
            dh, dW_hq, db_q = affine_backward(do, ca)
        else:
            o, ca = affine_forward(h[:, -1], params["W_hq"], params["b_q"])
            loss, do = cross_entropy(o, targets)
            dh_last, dW_hq, db_q = affine_backward(do, ca)
            dh = np.zeros_like(h)
            dh[:, -1] = dh_last
        _, _, dW_xh, dW_hh, db_h = rnn_backward(dh, cache)
        return loss, {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q}
    y, cache = jordan_forward(x, None, params["W_xh"], params["W_yh"],
                              params["b_h"], params["W_hq"], params["b_q"])
    if np.ndim(targets) == 2:
        loss, dy = temporal_softmax_loss(y, targets)
    else:
        loss, dlast = cross_entropy(y[:, -1], targets)
        dy = np.zeros_like(y)
        dy[:, -1] = dlast
    _, _, dW_xh, dW_yh, db_h, dW_hq, db_q = jordan_backward(dy, cache)
    return loss, {"W_xh": dW_xh, "W_yh": dW_yh, "b_h": db_h, "W_hq": dW_hq, "b_q": db_q}


def recall_with_wait(N, lag, rng, n_symbols=4):
    """:func:`rnnbook.tasks.delayed_recall` with an answer required at *every* step.

    The targets are the extra class ``n_symbols`` ("wait") at steps 0 .. lag-1 and the
    cue at step ``lag``. A network whose only context is its previous output must
    therefore say "wait" while it remembers the cue.

    Returns
    -------
    x : (N, lag + 1, n_symbols + 1) ndarray
    targets : (N, lag + 1) int ndarray in [0, n_symbols]
    """
    from .tasks import delayed_recall
    x, y = delayed_recall(N, lag, rng, n_symbols)
    targets = np.full((x.shape[0], x.shape[1]), n_symbols, dtype=np.int64)
    targets[:, -1] = y
    return x, targets


@lru_cache(maxsize=None)
def recall_run(kind, lag, H, steps=300, seed=0, n_symbols=4, batch=32, lr=0.02):
    """Train an Elman or Jordan net on :func:`recall_with_wait`; cached per argument.

    Adam(lr), gradients clipped at global norm 5, a fresh batch per step (seeded by
    ``seed`` and the step). Returns a dict with ``loss`` (steps,) and ``accuracy`` (the
    fraction of 1000 held-out sequences whose cue is recalled at step ``lag``).
    """
    from .optim import Adam
    from .train import train
    S = n_symbols
    params = init_context_net(kind, S + 1, H, S + 1, np.random.default_rng(seed))

    def loss_and_grads(p, step):
        x, t = recall_with_wait(batch, lag, np.random.default_rng([seed, step]), S)
        return context_loss_and_grads(p, x, t)

    hist = train(params, loss_and_grads, Adam(lr=lr), steps, clip=5.0, progress=False)
    x, t = recall_with_wait(1000, lag, np.random.default_rng([seed, 10**6]), S)
    accuracy = float(np.mean(context_predict(params, x).argmax(axis=1) == t[:, -1]))
    hist["loss"].setflags(write=False)
    return {"loss": hist["loss"], "accuracy": accuracy}
