"""Chapter 12's experiments: tagging with deep and bidirectional GRUs, and reversing
sequences with a GRU encoder-decoder; recorded over five seeds.

* **Tagging** (:func:`tag_task`, :func:`tagging_accuracy`): a random sequence of T = 12
  symbols from S = 5; the target at step t is the previous symbol, the next one, or
  their sum mod S. Models: GRU, H = 16 per direction, 1 or 2 layers, uni- or
  bidirectional, a linear output layer; Adam 1e-2, clip 5, batches of 32, 400 updates;
  accuracy on 500 test sequences. :func:`tag_ceiling` is the best accuracy any model
  can reach (targets that need a symbol outside the input can only be guessed).
* **Reversal** (:func:`train_reverser`): sources of L symbols from 6, targets reversed;
  GRU encoder-decoder (H = 32), Adam 2e-2, clip 5, batches of 32, 300 updates; greedy
  decoding of 1000 test sequences. :func:`teacher_forced_predictions` decodes with the
  true prefix (the intervention of exercise 12-4).

Run on purpose (a few CPU minutes; the chapter reads both experiments)::

    python -m rnnbook.experiments.seq_tasks --record [--jobs 2] [--tagging-only]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from ..cells import cell_forward, final_state
from ..deep import deep_backward, deep_forward, deep_init
from ..losses import log_softmax
from ..optim import Adam
from ..seq2seq import reverse_task, seq2seq_greedy, seq2seq_init, seq2seq_loss_and_grads
from ..text import one_hot
from ..train import train
from .results import record

__all__ = ["TASKS", "MODELS", "tag_task", "tag_ceiling", "tagging_accuracy", "tagging_curve",
           "train_reverser", "teacher_forced_predictions"]

NAME = "seq_tasks"
SEEDS = (0, 1, 2, 3, 4)
S_TAG, T_TAG, H_TAG = 5, 12, 16
TASKS = ("previous", "next", "sum")
#: the tasks of the recorded comparison (the past-only task needs no comparison)
RECORDED_TASKS = ("next", "sum")
#: (layers, bidirectional)
MODELS = ((1, False), (2, False), (1, True), (2, True))
#: the neighbours each target needs: -1 the previous symbol, +1 the next one
NEEDS = {"previous": (-1,), "next": (1,), "sum": (-1, 1)}
TAG_STEPS, REV_STEPS, REV_LENGTHS = 400, 300, (3, 5, 7)


def tag_task(kind, N, rng, S=S_TAG, T=T_TAG):
    """Inputs (N, T) and targets (N, T): y_t = x_{t-1}, x_{t+1} or their sum mod S,
    where x_{-1} and x_T are drawn but not shown."""
    x = rng.integers(0, S, (N, T + 2))
    prev, nxt = x[:, :-2], x[:, 2:]
    y = {"previous": prev, "next": nxt, "sum": (prev + nxt) % S}[kind]
    return x[:, 1:-1], y


def tag_ceiling(kind, S=S_TAG, T=T_TAG):
    """Best possible accuracy: a target whose needed neighbour lies outside the input
    (before step 0 or after step T-1) is independent of the input, chance 1/S."""
    known = [all(0 <= t + d < T for d in NEEDS[kind]) for t in range(T)]
    return float(np.mean([1.0 if k else 1.0 / S for k in known]))


def _flatten(stack, head):
    flat = {f"l{l}d{d}_{k}": v for l, layer in enumerate(stack)
            for d, p in enumerate(layer) for k, v in p.items()}
    return {**flat, **head}


def tagger_loss_and_grads(stack, head, x_ids, y_ids, S=S_TAG):
    """Mean cross-entropy of a deep GRU tagger, its gradients and the log-probabilities."""
    h, cache = deep_forward(one_hot(x_ids, S), stack, "gru")
    N, T, H2 = h.shape
    logp = log_softmax(h.reshape(N * T, H2) @ head["W_hq"] + head["b_q"])
    rows, cols = np.arange(N * T), y_ids.reshape(-1)
    loss = -logp[rows, cols].mean()
    dz = np.exp(logp)
    dz[rows, cols] -= 1.0
    dz /= N * T
    _, dstack, _, _ = deep_backward((dz @ head["W_hq"].T).reshape(N, T, H2), cache)
    grads = _flatten(dstack, {"W_hq": h.reshape(N * T, H2).T @ dz, "b_q": dz.sum(0)})
    return loss, grads, logp


def tagging_curve(kind, layers, bidir, checkpoints, seed=0):
    """Train one tagger and measure it on 500 test sequences after each number of
    updates in ``checkpoints`` (increasing, 0 = the untrained network).

    Returns ``(accuracy, cpu_seconds)``: two lists, one entry per checkpoint, the
    second the training CPU time spent up to that checkpoint (tests excluded). Training
    is one run (the optimiser and the data stream continue between checkpoints), so the
    accuracy at n updates is exactly that of ``tagging_accuracy(..., steps=n)``."""
    checkpoints = [int(c) for c in checkpoints]
    if not checkpoints or checkpoints[0] < 0 or any(b <= a for a, b in
                                                     zip(checkpoints, checkpoints[1:])):
        raise ValueError(f"checkpoints is {checkpoints}; expected increasing counts >= 0")
    rng = np.random.default_rng(seed)
    stack = deep_init("gru", S_TAG, H_TAG, layers, rng, bidirectional=bidir)
    width = H_TAG * (2 if bidir else 1)
    head = {"W_hq": rng.uniform(-0.25, 0.25, (width, S_TAG)), "b_q": np.zeros(S_TAG)}
    flat = _flatten(stack, head)                    # same arrays: updates reach the stack
    data = np.random.default_rng(seed + 100)
    opt = Adam(lr=1e-2)

    def loss_and_grads(p, step):
        loss, g, _ = tagger_loss_and_grads(stack, head, *tag_task(kind, 32, data))
        return loss, g
    x_te, y_te = tag_task(kind, 500, np.random.default_rng(999))
    accuracy, cpu, done, spent = [], [], 0, 0.0
    for c in checkpoints:
        if c > done:
            t0 = time.process_time()
            train(flat, loss_and_grads, opt, c - done, clip=5.0, progress=False)
            spent += time.process_time() - t0
            done = c
        _, _, logp = tagger_loss_and_grads(stack, head, x_te, y_te)
        accuracy.append(float((logp.argmax(1) == y_te.reshape(-1)).mean()))
        cpu.append(spent)
    return accuracy, cpu


def tagging_accuracy(kind, layers, bidir, steps, seed=0):
    """Train one tagger for ``steps`` updates; return its accuracy on 500 test sequences."""
    return tagging_curve(kind, layers, bidir, (steps,), seed)[0][0]


def train_reverser(L, steps, H=32, S=6, seed=0):
    """Train a GRU encoder-decoder to reverse sequences of L symbols.

    Returns params, the training history, the per-position accuracy (L,) and the
    fraction of whole sequences correct, on 1000 test sequences (greedy decoding)."""
    params = seq2seq_init("gru", S, H, np.random.default_rng(seed))
    data = np.random.default_rng(10_000 + seed)

    def loss_and_grads(p, step):
        return seq2seq_loss_and_grads(p, "gru", *reverse_task(32, L, S, data))
    hist = train(params, loss_and_grads, Adam(lr=2e-2), steps, clip=5.0, progress=False)
    src, tgt = reverse_task(1000, L, S, np.random.default_rng(7))
    out = seq2seq_greedy(params, "gru", src, L)
    return params, hist, (out == tgt).mean(axis=0), float((out == tgt).all(axis=1).mean())


def teacher_forced_predictions(params, cell, src, tgt):
    """The decoder's argmax at every position when it is fed the *true* previous target
    tokens (teacher forcing) instead of its own predictions. Returns (N, L) int."""
    S = params["W_hq"].shape[1]
    N, L = tgt.shape
    enc = {k[4:]: v for k, v in params.items() if k.startswith("enc_")}
    dec = {k[4:]: v for k, v in params.items() if k.startswith("dec_")}
    _, c_enc = cell_forward(cell, one_hot(src, S), enc)
    dec_in = np.concatenate([np.full((N, 1), S), tgt[:, :-1]], axis=1)
    s, _ = cell_forward(cell, one_hot(dec_in, S + 1), dec, *final_state(c_enc))
    return np.argmax(s @ params["W_hq"] + params["b_q"], axis=2)


def _tag_run(kind, layers, bidir, seed):
    t0 = time.process_time()
    acc = tagging_accuracy(kind, layers, bidir, TAG_STEPS, seed)
    return {"experiment": "tagging", "task": kind, "layers": layers, "bidirectional": bidir,
            "seed": seed, "accuracy": acc, "updates": TAG_STEPS,
            "cpu_seconds": round(time.process_time() - t0, 3)}


def _rev_run(L, seed):
    t0 = time.process_time()
    _, _, per_pos, seq_acc = train_reverser(L, REV_STEPS, seed=seed)
    return {"experiment": "reverse", "L": L, "seed": seed, "per_position": per_pos,
            "sequences_correct": seq_acc, "updates": REV_STEPS,
            "cpu_seconds": round(time.process_time() - t0, 3)}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write the results file")
    ap.add_argument("--jobs", type=int, default=1, help="parallel processes")
    ap.add_argument("--tagging-only", action="store_true",
                    help="skip the reversal runs (chapter 12 reads both; do not record so)")
    args = ap.parse_args(argv)
    if args.record and args.tagging_only:
        ap.error("--record writes both experiments; drop --tagging-only")
    t0 = time.perf_counter()
    specs = [(_tag_run, (k, la, b, s)) for k in RECORDED_TASKS for la, b in MODELS
             for s in SEEDS]
    if not args.tagging_only:
        specs += [(_rev_run, (L, s)) for L in REV_LENGTHS for s in SEEDS]
    if args.jobs <= 1:
        results = [f(*a) for f, a in specs]
    else:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(args.jobs) as ex:
            results = [fut.result() for fut in [ex.submit(f, *a) for f, a in specs]]
    for r in results:
        print({k: v for k, v in r.items() if k != "per_position"}, flush=True)
    if args.record:
        path = record(NAME, results, command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0,
                      params={"tagging": {"S": S_TAG, "T": T_TAG, "H": H_TAG, "cell": "gru",
                                          "steps": TAG_STEPS, "batch": 32, "lr": 1e-2,
                                          "clip": 5.0, "n_test": 500},
                              "reverse": {"lengths": list(REV_LENGTHS), "S": 6, "H": 32,
                                          "cell": "gru", "steps": REV_STEPS, "batch": 32,
                                          "lr": 2e-2, "clip": 5.0, "n_test": 1000}})
        print("recorded", path)


if __name__ == "__main__":
    main()
