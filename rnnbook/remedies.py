"""Train a one-layer recurrent network on the adding problem, with or without a remedy.

The model reads x (N, T, 2) and predicts y from its last state with a linear head,

    h = layer(x),    y_hat = h_{T-1} W_hq + b_q,    loss = 0.5 * mean((y_hat - y)^2),

where ``layer`` is one of

* ``"rnn"``: the Elman layer (:mod:`rnnbook.rnn`), any activation and initialisation;
* ``"leaky"``: leaky units with leak ``alpha`` (:mod:`rnnbook.leaky`);
* ``"skip"``: an Elman layer with a skip connection from h_{t-d} (:mod:`rnnbook.skip`).

:func:`train_adding` draws a fresh batch at every step (on-line, as Hochreiter &
Schmidhuber did), optionally clips the gradient norm, and reports the test mean
squared error and the fraction of test sequences with |error| < 0.04 next to the
constant predictor 0.5 (about 15 % success, MSE 1/24).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice, check_finite_scalar, check_positive_int
from .init import INITIALISERS, init_rnn_params, orthogonal
from .losses import mse
from .optim import SGD, Adam
from .registry import cell_backward, cell_forward, cell_spec
from .tasks import ADDING_SUCCESS_THRESHOLD, adding_constant_baseline, adding_problem
from .train import train

__all__ = ["adding_init", "adding_loss_and_grads", "adding_predict", "train_adding",
           "adding_sweep", "VARIANTS"]

CELLS = ("rnn", "leaky", "skip")


def adding_init(H, rng, cell="rnn", scheme="glorot", scale=1.0):
    """Parameters W_xh (2, H), W_hh (H, H), b_h (H,), W_hq (H, 1), b_q (1,) and, for
    ``cell="skip"``, W_skip (H, H) (orthogonal times 0.5 * scale).

    ``scheme``/``scale`` choose W_hh as in :func:`rnnbook.init.init_rnn_params`.
    """
    H = check_positive_int("H", H)
    check_choice("cell", cell, CELLS)
    p = init_rnn_params(2, H, rng, scheme=scheme, scale=scale)
    p["W_hq"] = rng.standard_normal((H, 1)) / np.sqrt(H)
    p["b_q"] = np.full(1, 0.5)                  # start at the constant predictor
    if cell == "skip":
        p["W_skip"] = orthogonal(H, rng, gain=0.5 * scale)
    return p


def _cell_params(params, cell):
    check_choice("cell", cell, CELLS)
    want = set(cell_spec(cell).params) | {"W_hq", "b_q"}
    if not isinstance(params, dict) or set(params) != want:
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected {sorted(want)} "
                         f"(adding_init(H, rng, cell={cell!r}))")
    return {k: params[k] for k in cell_spec(cell).params}


def _forward(params, x, cell, activation, alpha, d):
    check_choice("cell", cell, CELLS)
    options = {"rnn": {}, "leaky": {"alpha": alpha}, "skip": {"d": d}}[cell]
    return cell_forward(cell, x, _cell_params(params, cell), activation=activation,
                        **options)


def adding_predict(params, x, cell="rnn", activation="tanh", alpha=0.0, d=2):
    """Predictions (N, 1) = h_{T-1} W_hq + b_q."""
    h, _ = _forward(params, x, cell, activation, alpha, d)
    return h[:, -1] @ params["W_hq"] + params["b_q"]


def adding_loss_and_grads(params, x, y, cell="rnn", activation="tanh", alpha=0.0, d=2):
    """Loss 0.5 * mean((y_hat - y)^2) and the gradient of every parameter.

    Returns
    -------
    loss : float
    grads : dict with the keys of ``params``
    """
    h, cache = _forward(params, x, cell, activation, alpha, d)
    y = check_array("y", y, (x.shape[0], 1), note="(N, 1) with N = x.shape[0]")
    nan = (float("nan"), {k: np.full_like(v, np.nan) for k, v in params.items()})
    with np.errstate(over="ignore", invalid="ignore"):
        y_hat = h[:, -1] @ params["W_hq"] + params["b_q"]
        if not np.all(np.isfinite(y_hat)):
            return nan
        loss, dy = mse(y_hat, y)                          # 0.5 mean over N of err^2
        dh = np.zeros_like(h)
        dh[:, -1] = dy @ params["W_hq"].T
        grads = {"W_hq": h[:, -1].T @ dy, "b_q": dy.sum(axis=0)}
        grads.update(cell_backward(cell, dh, cache).dparams)
    return loss, grads


def train_adding(T, cell="rnn", activation="tanh", scheme="glorot", scale=1.0, alpha=0.0,
                 d=2, clip=None, H=16, batch=32, steps=300, lr=1e-2, optimizer="adam",
                 seed=0, n_test=1000):
    """Train on the adding problem of length T and evaluate on fresh sequences.

    Parameters
    ----------
    T : int
        Sequence length (>= 10).
    cell : {"rnn", "leaky", "skip"}
    activation : {"tanh", "sigmoid", "relu", "identity"}
    scheme : {"orthogonal", "identity", "glorot", "gaussian"}
        Initialisation of W_hh, with gain/diagonal/spectral radius ``scale``.
    alpha : float
        Leak of ``cell="leaky"``.
    d : int
        Skip length of ``cell="skip"``.
    clip : float or None
        Maximum global gradient norm.
    H, batch, steps : int
    lr : float
    optimizer : {"adam", "sgd"}
        Adam, or SGD with momentum 0.9.
    seed : int
    n_test : int

    Returns
    -------
    dict
        ``loss`` and ``grad_norm`` per step (NaN after a divergence), ``diverged``
        (bool), ``test_mse`` (mean squared error, NaN if diverged), ``success``
        (fraction with |error| < 0.04), ``baseline_mse`` and ``baseline_success``
        of the constant 0.5 on the same test set, and ``params``.
    """
    T = check_positive_int("T", T, minimum=10)
    check_choice("cell", cell, CELLS)
    check_choice("scheme", scheme, tuple(INITIALISERS))
    check_choice("optimizer", optimizer, ("adam", "sgd"))
    lr = check_finite_scalar("lr", lr, low=0.0)
    scale = check_finite_scalar("scale", scale, low=0.0)
    H = check_positive_int("H", H)
    batch = check_positive_int("batch", batch)
    d = check_positive_int("d", d)
    seed = check_positive_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    params = adding_init(H, rng, cell, scheme, scale)
    data_rng = np.random.default_rng(seed + 1000)
    opt = Adam(lr=lr) if optimizer == "adam" else SGD(lr=lr, momentum=0.9)

    def loss_and_grads(p, step):
        x, y = adding_problem(batch, T, data_rng)
        if not all(np.all(np.isfinite(v)) for v in p.values()):
            return float("nan"), p                    # diverged: train() stops here
        return adding_loss_and_grads(p, x, y, cell, activation, alpha, d)

    with np.errstate(over="ignore", invalid="ignore"):
        hist = train(params, loss_and_grads, opt, steps=check_positive_int("steps", steps),
                     clip=clip, progress=False)
    x_test, y_test = adding_problem(check_positive_int("n_test", n_test), T,
                                    np.random.default_rng(seed + 2000))
    diverged = bool(np.isnan(hist["loss"]).any()) or not all(
        np.all(np.isfinite(v)) for v in params.values())
    if diverged:
        test_mse, success = float("nan"), 0.0
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            err = adding_predict(params, x_test, cell, activation, alpha, d) - y_test
        test_mse = float(np.mean(err ** 2))
        success = float(np.mean(np.abs(err) < ADDING_SUCCESS_THRESHOLD))
        if not np.isfinite(test_mse):
            diverged, test_mse, success = True, float("nan"), 0.0
    b_mse, b_success = adding_constant_baseline(y_test)
    return {"loss": hist["loss"], "grad_norm": hist["grad_norm"], "diverged": diverged,
            "test_mse": test_mse, "success": success, "baseline_mse": b_mse,
            "baseline_success": b_success, "params": params}


#: The remedies compared in the book, as keyword arguments of :func:`train_adding`.
VARIANTS = {
    "tanh, Glorot": dict(),
    "tanh, Glorot, clip 1": dict(clip=1.0),
    "tanh, orthogonal": dict(scheme="orthogonal"),
    "IRNN (ReLU, identity), clip 1": dict(activation="relu", scheme="identity", clip=1.0),
    "leaky tanh, alpha 0.9": dict(cell="leaky", alpha=0.9, scheme="orthogonal"),
    "skip d = 5, tanh": dict(cell="skip", d=5, scheme="orthogonal"),
}


def adding_sweep(Ts, variants=None, steps=300, seeds=(0,), **common):
    """Success rate and test MSE of every variant for every length T.

    Parameters
    ----------
    Ts : sequence of int
    variants : dict name -> kwargs of :func:`train_adding`, default :data:`VARIANTS`
    steps : int
    seeds : sequence of int
        Results are averaged over seeds.
    **common
        Extra keyword arguments for every run (H, batch, lr, ...).

    Returns
    -------
    dict
        ``success[name]`` and ``mse[name]``: (len(Ts),) arrays (mean over seeds;
        a diverged run counts as success 0 and MSE inf); ``baseline``: (len(Ts),)
        success of the constant predictor.
    """
    variants = VARIANTS if variants is None else variants
    success = {k: np.zeros(len(Ts)) for k in variants}
    mse = {k: np.zeros(len(Ts)) for k in variants}
    baseline = np.zeros(len(Ts))
    for i, T in enumerate(Ts):
        for name, kw in variants.items():
            for seed in seeds:
                r = train_adding(T, steps=steps, seed=seed, **(common | kw))
                success[name][i] += r["success"] / len(seeds)
                mse[name][i] += (np.inf if r["diverged"] else r["test_mse"]) / len(seeds)
                baseline[i] += r["baseline_success"] / len(seeds) / len(variants)
    return {"Ts": list(Ts), "success": success, "mse": mse, "baseline": baseline}
