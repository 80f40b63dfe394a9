"""Long-range experiments: train an RNN, LSTM or GRU on a task and judge the result.

Tasks (generators in :mod:`rnnbook.tasks`) and the per-sequence criteria used:

==============  ==============================================  =====================
task            a sequence is processed correctly when          source of criterion
==============  ==============================================  =====================
adding          |prediction - target| < 0.04                    H&S (1997), Exp. 4
temporal_order  every output is within 0.3 of the one-hot        H&S (1997), Exp. 6a
                target (here: softmax outputs)
delayed_recall  the argmax output is the cue                    (classification)
copying         all 10 recalled symbols are right (argmax)      (this book; Arjovsky
                                                                et al. 2016 report loss)
==============  ==============================================  =====================

A *run* draws a fresh training batch every step (as in the paper, data are unlimited),
trains with Adam and global-norm clipping, and every ``eval_every`` steps (and once
before training: the untrained network) measures on a fixed held-out set the fraction
of correctly processed sequences and the *normalised loss*: the held-out loss divided
by the loss of the task's baseline that uses no memory (adding: the constant predictor
0.5, loss = MSE; temporal order and delayed recall: chance, loss = cross-entropy
log 4; copying: the memoryless strategy of Arjovsky et al., 10 log 8 / (T + 20) per
step). A plateau at 1 is "has learned nothing the baseline does not know". The run
*solves* the task when the fraction correct reaches ``SOLVED_AT`` (95 %); it then stops
early. The paper's own stopping rules are stricter (e.g. adding: 2000 consecutive
correct training sequences); the 95 % threshold is this book's choice.

``T`` is the sequence length; for ``delayed_recall`` the lag (length lag + 1); for
``copying`` the paper's T (length T + 20).

Initialisation: ``init`` names a preset of :mod:`rnnbook.init` ("zeros", "forget1",
"hs97", "chrono" for the LSTM; "default", "long", "chrono" for the GRU; "default",
"orthogonal", "irnn" for the RNN); "chrono" uses T_max = the task's dependency length.
"""
from __future__ import annotations

import time

import numpy as np

from .._validation import check_choice, check_positive_int
from ..losses import log_softmax, softmax
from ..models import forward_backward, init_params, predict
from ..optim import Adam, clip_by_global_norm
from ..tasks import (ADDING_SUCCESS_THRESHOLD, adding_problem, copying_baseline,
                     copying_memory, delayed_recall, temporal_order)

__all__ = ["TASKS", "SOLVED_AT", "CHANCE", "task_batch", "task_sizes", "task_head",
           "correct", "normalised_loss", "run_task", "sweep", "results_table",
           "FULL_GRID", "FULL_STEPS", "FAST_GRID", "FAST_STEPS", "GATES", "ablate_gate"]

TASKS = ("adding", "temporal_order", "delayed_recall", "copying")
SOLVED_AT = 0.95
#: The fraction of test sequences solved without memory (chance level); for the adding
#: problem the fraction that the constant predictor 0.5 solves; for copying, chance
#: of getting all 10 symbols right, 8^-10
CHANCE = {"adding": 0.154, "temporal_order": 0.0, "delayed_recall": 0.25,
          "copying": 0.0}
#: the LSTM's gate slices in PyTorch order (i, f, g, o)
GATES = {"i": 0, "f": 1, "g": 2, "o": 3}


def task_batch(task, N, T, rng):
    """``(x, y)`` of a task: y float (N, 1) for adding, int (N,) or (N, L) otherwise."""
    check_choice("task", task, TASKS)
    if task == "adding":
        return adding_problem(N, T, rng)
    if task == "temporal_order":
        return temporal_order(N, T, rng)
    if task == "copying":
        return copying_memory(N, T, rng)
    return delayed_recall(N, T, rng)


def task_sizes(task):
    """Input size D and output size V of a task."""
    return {"adding": (2, 1), "temporal_order": (8, 4), "delayed_recall": (5, 4),
            "copying": (10, 9)}[task]


def task_head(task):
    """"all" for copying (an output at every step), "last" otherwise."""
    return "all" if task == "copying" else "last"


def dependency_length(task, T):
    """The longest gap the task asks to bridge (the T_max of chrono)."""
    return {"adding": T, "temporal_order": T, "delayed_recall": T,
            "copying": T + 20}[task]


def correct(task, out, y):
    """Boolean (N,) array: which sequences are processed correctly (see the table)."""
    if task == "adding":
        return np.abs(out[:, 0] - y[:, 0]) < ADDING_SUCCESS_THRESHOLD
    if task == "temporal_order":
        p = softmax(out, axis=-1)
        target = np.eye(out.shape[1])[y]
        return np.max(np.abs(p - target), axis=1) < 0.3
    if task == "copying":
        return np.all(np.argmax(out[:, -10:], axis=-1) == y[:, -10:], axis=1)
    return np.argmax(out, axis=1) == y


def normalised_loss(task, out, y, T):
    """Held-out loss divided by the loss of the memoryless baseline (see above)."""
    if task == "adding":
        return float(np.mean((out[:, 0] - y[:, 0]) ** 2) / np.mean((0.5 - y[:, 0]) ** 2))
    logp = log_softmax(out, axis=-1)
    ce = -np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
    if task == "copying":
        return float(np.mean(ce) / copying_baseline(T))
    return float(np.mean(ce) / np.log(out.shape[-1]))


def ablate_gate(params, gate):
    """Remove one LSTM gate by fixing it open (= 1): its weights 0, its bias 30.

    ``gate`` in {"i", "f", "o"}: no input gate (i = 1), no forget gate (f = 1, the
    constant error carousel of the 1997 LSTM), no output gate (omega = 1); see
    Greff et al. (2017) and Jozefowicz et al. (2015). Modifies ``params`` in place.
    """
    check_choice("gate", gate, ("i", "f", "o"))
    H = params["W_hh"].shape[0]
    sl = slice(GATES[gate] * H, (GATES[gate] + 1) * H)
    params["W_xh"][:, sl] = 0.0
    params["W_hh"][:, sl] = 0.0
    params["b"][sl] = 30.0
    return params


def run_task(task, cell, T, H=16, steps=1000, batch=32, lr=1e-2, clip=1.0, seed=0,
             eval_every=50, n_eval=512, forget_bias=1.0, init=None, ablate=None):
    """Train one model on one task; return a dict describing the run.

    ``init``: a preset name of :mod:`rnnbook.init` (default None: the LSTM's forget
    bias ``forget_bias``, all other biases 0). ``ablate``: an LSTM gate ("i", "f",
    "o") held open throughout (see :func:`ablate_gate`).

    Returns
    -------
    dict with keys task, cell, init, T, H, seed, solved (bool), steps_to_solve (int
    or None), final (fraction correct at the end), best, curve_steps (starting at 0,
    the untrained network), curve (fraction correct), nloss (normalised held-out
    loss), loss (training loss per step), seconds (wall), cpu_seconds, params (the
    trained parameters).
    """
    check_choice("task", task, TASKS)
    check_choice("cell", cell, ("rnn", "lstm", "gru"))
    T = check_positive_int("T", T)
    if ablate is not None and cell != "lstm":
        raise ValueError(f"ablate is {ablate!r} for a {cell!r} cell; expected None "
                         "(gate ablation is for the LSTM)")
    rng = np.random.default_rng(seed)
    D, V = task_sizes(task)
    head = task_head(task)
    params = init_params(cell, D, H, V, rng, forget_bias=forget_bias, init=init,
                         T_max=dependency_length(task, T))
    if ablate is not None:
        ablate_gate(params, ablate)
    x_eval, y_eval = task_batch(task, n_eval, T, np.random.default_rng(10_000 + seed))
    opt = Adam(lr=lr)
    losses, curve_steps, curve, nloss = [], [], [], []
    solved_at = None
    t0, c0 = time.perf_counter(), time.process_time()

    def evaluate(step):
        out = predict(params, cell, x_eval, head=head)
        curve_steps.append(step)
        curve.append(float(np.mean(correct(task, out, y_eval))))
        nloss.append(normalised_loss(task, out, y_eval, T))
        return curve[-1]

    with np.errstate(over="ignore", under="ignore"):
        evaluate(0)
        for step in range(1, steps + 1):
            x, y = task_batch(task, batch, T, rng)
            L, grads = forward_backward(params, cell, x, y, head=head)
            if clip is not None:
                grads, _ = clip_by_global_norm(grads, clip)
            opt.step(params, grads)
            if ablate is not None:
                ablate_gate(params, ablate)
            losses.append(L)
            if step % eval_every == 0 or step == steps:
                if evaluate(step) >= SOLVED_AT:
                    solved_at = step
                    break
    return dict(task=task, cell=cell, init=init, ablate=ablate, T=T, H=H, seed=seed,
                solved=solved_at is not None, steps_to_solve=solved_at, final=curve[-1],
                best=max(curve), curve_steps=np.array(curve_steps), curve=np.array(curve),
                nloss=np.array(nloss), loss=np.array(losses),
                seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - c0,
                params=params)


#: Grid of the chapter's former full run, kept for :func:`sweep` callers; the recorded
#: sweep of chapter 10 is :mod:`rnnbook.experiments.longrange_sweep`.
FULL_GRID = {"delayed_recall": (10, 30, 100), "temporal_order": (10, 20, 50, 100),
             "adding": (10, 20, 50, 100)}
FULL_STEPS = {"adding": 4000, "temporal_order": 3000, "delayed_recall": 2000}
FAST_GRID = {"adding": (10,), "temporal_order": (10,), "delayed_recall": (5, 15)}
FAST_STEPS = {"adding": 400, "temporal_order": 300, "delayed_recall": 300}


def sweep(grid, steps, cells=("rnn", "lstm", "gru"), seeds=(0,), H=16, callback=None,
          done=(), **kw):
    """Run :func:`run_task` for every task, length, cell and seed of ``grid``.

    ``cells`` are names or ``(cell, init)`` pairs. Returns a list of result dicts
    (curves as lists, so they serialise). ``done``: results of an interrupted sweep;
    runs found there are not repeated.
    """
    def key(r):
        return (r["task"], r["T"], r["cell"], r.get("init"), r["seed"])
    out = []
    known = {key(r): r for r in done}
    for task, lengths in grid.items():
        for T in lengths:
            for c in cells:
                cell, init = (c, None) if isinstance(c, str) else c
                for seed in seeds:
                    k = (task, T, cell, init, seed)
                    if k in known:
                        out.append(known[k])
                        continue
                    r = run_task(task, cell, T, H=H, steps=steps[task], seed=seed,
                                 init=init, **kw)
                    r = {k2: (v.tolist() if isinstance(v, np.ndarray) else v)
                         for k2, v in r.items() if k2 not in ("loss", "params")}
                    out.append(r)
                    if callback is not None:
                        callback(r)
    return out


def results_table(results):
    """Rows (task, T, cell, init, solved/runs, median, min, max updates to solve,
    median final fraction correct), in the order task, T, cell, init."""
    order = {"rnn": 0, "lstm": 1, "gru": 2}
    keys = sorted({(r["task"], r["T"], r["cell"], r.get("init") or "-") for r in results},
                  key=lambda k: (TASKS.index(k[0]), k[1], order[k[2]], k[3]))
    rows = []
    for task, T, cell, init in keys:
        rs = [r for r in results
              if (r["task"], r["T"], r["cell"], r.get("init") or "-") == (task, T, cell, init)]
        solved = [r["steps_to_solve"] for r in rs if r["solved"]]
        rows.append((task, T, cell, init, f"{len(solved)}/{len(rs)}",
                     int(np.median(solved)) if solved else None,
                     min(solved) if solved else None, max(solved) if solved else None,
                     round(float(np.median([r["final"] for r in rs])), 2)))
    return rows
