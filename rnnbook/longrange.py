"""Long-range experiments: train an RNN, LSTM or GRU on a task and judge the result.

Tasks (generators in :mod:`rnnbook.tasks`) and the per-sequence criteria used:

==============  ==============================================  =====================
task            a sequence is processed correctly when          source of criterion
==============  ==============================================  =====================
adding          |prediction - target| < 0.04                    H&S (1997), Exp. 4
temporal_order  every output is within 0.3 of the one-hot        H&S (1997), Exp. 6a
                target (here: softmax outputs)
delayed_recall  the argmax output is the cue                    (classification)
==============  ==============================================  =====================

A *run* draws a fresh training batch every step (as in the paper, data are unlimited),
trains with Adam and global-norm clipping, and every ``eval_every`` steps measures the
fraction of correctly processed sequences on a fixed held-out set. The run *solves*
the task when that fraction reaches ``SOLVED_AT`` (95 %); it then stops early. The
paper's own stopping rules are stricter (e.g. adding: 2000 consecutive correct
training sequences); the 95 % threshold is this book's choice, stated wherever used.

``T`` is the sequence length; for ``delayed_recall`` it is the lag (length lag + 1).
"""
from __future__ import annotations

import time

import numpy as np

from ._validation import check_choice, check_positive_int
from .losses import softmax
from .models import forward_backward, init_params, predict
from .optim import Adam, clip_by_global_norm
from .tasks import ADDING_SUCCESS_THRESHOLD, adding_problem, delayed_recall, temporal_order

__all__ = ["TASKS", "SOLVED_AT", "CHANCE", "task_batch", "task_sizes", "correct", "run_task",
           "sweep", "results_table", "FULL_GRID", "FULL_STEPS", "FAST_GRID", "FAST_STEPS"]

TASKS = ("adding", "temporal_order", "delayed_recall")
SOLVED_AT = 0.95
#: fraction of test sequences solved at chance level; for the adding problem, the
#: fraction that the constant predictor 0.5 solves
CHANCE = {"adding": 0.154, "temporal_order": 0.0, "delayed_recall": 0.25}


def task_batch(task, N, T, rng):
    """``(x, y)`` of a task: y float (N, 1) for adding, int (N,) otherwise."""
    if task == "adding":
        return adding_problem(N, T, rng)
    if task == "temporal_order":
        return temporal_order(N, T, rng)
    return delayed_recall(N, T, rng)


def task_sizes(task):
    """Input size D and output size V of a task."""
    return {"adding": (2, 1), "temporal_order": (8, 4), "delayed_recall": (5, 4)}[task]


def correct(task, out, y):
    """Boolean (N,) array: which sequences are processed correctly (see the table)."""
    if task == "adding":
        return np.abs(out[:, 0] - y[:, 0]) < ADDING_SUCCESS_THRESHOLD
    if task == "temporal_order":
        p = softmax(out, axis=-1)
        target = np.eye(out.shape[1])[y]
        return np.max(np.abs(p - target), axis=1) < 0.3
    return np.argmax(out, axis=1) == y


def run_task(task, cell, T, H=16, steps=1000, batch=32, lr=1e-2, clip=1.0, seed=0,
             eval_every=50, n_eval=512, forget_bias=1.0):
    """Train one model on one task; return a dict describing the run.

    Returns
    -------
    dict with keys task, cell, T, H, seed, solved (bool), steps_to_solve (int or
    None), final (fraction correct at the end), best, curve_steps, curve (fraction
    correct at each evaluation), loss (training loss per step), seconds, params (the
    trained parameters).
    """
    check_choice("task", task, TASKS)
    check_choice("cell", cell, ("rnn", "lstm", "gru"))
    T = check_positive_int("T", T)
    rng = np.random.default_rng(seed)
    D, V = task_sizes(task)
    params = init_params(cell, D, H, V, rng, forget_bias=forget_bias)
    x_eval, y_eval = task_batch(task, n_eval, T, np.random.default_rng(10_000 + seed))
    opt = Adam(lr=lr)
    losses, curve_steps, curve = [], [], []
    solved_at = None
    t0 = time.perf_counter()
    with np.errstate(over="ignore", under="ignore"):
        for step in range(1, steps + 1):
            x, y = task_batch(task, batch, T, rng)
            L, grads = forward_backward(params, cell, x, y, head="last")
            if clip is not None:
                grads, _ = clip_by_global_norm(grads, clip)
            opt.step(params, grads)
            losses.append(L)
            if step % eval_every == 0 or step == steps:
                frac = float(np.mean(correct(task, predict(params, cell, x_eval), y_eval)))
                curve_steps.append(step)
                curve.append(frac)
                if frac >= SOLVED_AT:
                    solved_at = step
                    break
    return dict(task=task, cell=cell, T=T, H=H, seed=seed, solved=solved_at is not None,
                steps_to_solve=solved_at, final=curve[-1], best=max(curve),
                curve_steps=np.array(curve_steps), curve=np.array(curve),
                loss=np.array(losses), seconds=time.perf_counter() - t0, params=params)


#: The grid of the full run (``RNNBOOK_FULL=1`` in chapter 10 and
#: ``benchmarks/longrange_full.py``): lengths (lags for delayed_recall) per task.
FULL_GRID = {"delayed_recall": (10, 30, 100), "temporal_order": (10, 20, 50, 100),
             "adding": (10, 20, 50, 100)}
FULL_STEPS = {"adding": 4000, "temporal_order": 3000, "delayed_recall": 2000}
FAST_GRID = {"adding": (10,), "temporal_order": (10,), "delayed_recall": (5, 15)}
FAST_STEPS = {"adding": 400, "temporal_order": 300, "delayed_recall": 300}


def sweep(grid, steps, cells=("rnn", "lstm", "gru"), seeds=(0,), H=16, callback=None,
          done=(), **kw):
    """Run :func:`run_task` for every task, length, cell and seed of ``grid``.

    Returns a list of result dicts (learning curves as lists, so they serialise).
    ``done``: results of an interrupted sweep; runs found there are not repeated.
    """
    out = []
    known = {(r["task"], r["T"], r["cell"], r["seed"]): r for r in done}
    for task, lengths in grid.items():
        for T in lengths:
            for cell in cells:
                for seed in seeds:
                    if (task, T, cell, seed) in known:
                        out.append(known[(task, T, cell, seed)])
                        continue
                    r = run_task(task, cell, T, H=H, steps=steps[task], seed=seed, **kw)
                    r = {k: (v.tolist() if isinstance(v, np.ndarray) else v)
                         for k, v in r.items() if k not in ("loss", "params")}
                    out.append(r)
                    if callback is not None:
                        callback(r)
    return out


def results_table(results):
    """Rows (task, T, cell, solved runs / runs, median steps to solve, mean final)."""
    rows = []
    keys = sorted({(r["task"], r["T"], r["cell"]) for r in results},
                  key=lambda k: (TASKS.index(k[0]), k[1], ("rnn", "lstm", "gru").index(k[2])))
    for task, T, cell in keys:
        rs = [r for r in results if (r["task"], r["T"], r["cell"]) == (task, T, cell)]
        solved = [r["steps_to_solve"] for r in rs if r["solved"]]
        rows.append((task, T, cell, f"{len(solved)}/{len(rs)}",
                     int(np.median(solved)) if solved else None,
                     round(float(np.mean([r["final"] for r in rs])), 2)))
    return rows
