"""Chapter 05's recorded comparison of TBPTT(k1, k2) settings on a task where memory
has to be learned.

**The task** (:func:`distractor_recall_stream`): episodes of ``lag + 1`` steps back to
back. Step 0 of an episode shows a random symbol (one-hot among S) together with a
*store* marker; steps 1 .. lag-1 show random *distractor* symbols (one-hot, no marker);
step ``lag`` raises the *recall* flag, and the target there (the only loss term of the
episode) is the stored symbol. Chance accuracy is 1/S. Unlike blank delays, the
distractors overwrite what an untrained recurrence holds: a random tanh network with a
small spectral radius keeps mostly the last few symbols, so a readout trained on top of
the frozen recurrence stays near chance, and the network must *learn* to keep the
marked symbol. That makes the task able to rank training methods by how far back their
gradient reaches.

**The comparison** (``run``): every method starts from the same network for a
given seed (tanh, H = 32, W_hh = rho * orthogonal), reads the same batches of 16
streams of ``episodes`` episodes with Adam (learning rate 3e-3, clip 5), and is scored
by recall accuracy on 400 held-out streams. Methods: TBPTT(k1, k2) settings, ARTBP,
the frozen recurrence with a trained readout (the control) and the untrained network
(the baseline). The budget of every run is recorded in updates and CPU seconds.

Run on purpose (several CPU minutes)::

    python -m rnnbook.experiments.tbptt_recall --record
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from ..artbp import artbp_train
from ..dynamics import scaled_orthogonal
from ..optim import Adam
from ..rnn import rnn_forward
from ..tbptt import elman_loss_and_grads, tbptt_train
from .results import record

__all__ = ["distractor_recall_stream", "init_params", "recall_accuracy", "train_method",
           "run", "METHODS"]

NAME = "tbptt_recall"
SEEDS = (0, 1, 2, 3, 4)
CONFIG = dict(lag=8, episodes=5, n_symbols=4, H=32, rho=0.8, batches=200, batch=16,
              lr=3e-3, clip=5.0, n_test=400)
#: readout updates per batch of the frozen-recurrence control (TBPTT(9, 9) makes 5)
FROZEN_UPDATES = 5


def distractor_recall_stream(N, lag, episodes, rng, n_symbols=4, distractors=True):
    """Streams of delayed-recall episodes with distractors (``distractors=False``: the
    delay steps are blank, as in :func:`rnnbook.tasks.delayed_recall`).

    Returns
    -------
    x : (N, episodes * (lag + 1), n_symbols + 2) ndarray
        Channels: the symbols, the store marker, the recall flag.
    targets : (N, episodes * (lag + 1)) int ndarray
        The stored symbol at recall steps (0 elsewhere).
    mask : (N, episodes * (lag + 1)) bool ndarray
        True at the recall steps only.
    """
    S, E = n_symbols, lag + 1
    x = np.zeros((N, episodes * E, S + 2))
    targets = np.zeros((N, episodes * E), dtype=np.int64)
    mask = np.zeros((N, episodes * E), dtype=bool)
    rows = np.arange(N)
    for e in range(episodes):
        t0 = e * E
        sym = rng.integers(0, S, (N, lag))          # the stored symbol and distractors
        for j in range(lag if distractors else 1):
            x[rows, t0 + j, sym[:, j]] = 1.0
        x[:, t0, S] = 1.0                            # store marker
        x[:, t0 + lag, S + 1] = 1.0                  # recall flag
        targets[:, t0 + lag] = sym[:, 0]
        mask[:, t0 + lag] = True
    return x, targets, mask


def init_params(D, H, V, rho, rng):
    """A tanh Elman network with W_hh = rho * (random orthogonal) and a linear head."""
    return {"W_xh": rng.standard_normal((D, H)) / np.sqrt(D),
            "W_hh": scaled_orthogonal(H, rho, rng),
            "b_h": np.zeros(H), "W_hq": rng.standard_normal((H, V)) / np.sqrt(H),
            "b_q": np.zeros(V)}


def recall_accuracy(p, x, targets, mask):
    """Fraction of recall steps answered correctly (state carried through the stream)."""
    h, _ = rnn_forward(x, np.zeros((x.shape[0], p["W_hh"].shape[0])), p["W_xh"],
                       p["W_hh"], p["b_h"])
    pred = np.argmax(h @ p["W_hq"] + p["b_q"], axis=2)
    return float(np.mean(pred[mask] == targets[mask]))


#: name -> (k1, k2); None marks the special methods
METHODS = {"TBPTT(n, n)": ("n", "n"), "TBPTT(9, 9)": (9, 9), "TBPTT(3, 12)": (3, 12),
           "TBPTT(5, 5)": (5, 5), "TBPTT(9, 1)": (9, 1), "ARTBP, c = 1/9": "artbp",
           "frozen recurrence, trained readout": "frozen", "untrained": "untrained"}


def train_method(method, seed, cfg=CONFIG, distractors=True):
    """Train one method from the seed's initial network; return a result dict."""
    c = cfg
    S, lag, E = c["n_symbols"], c["lag"], c["episodes"]
    d = distractors
    n = E * (lag + 1)
    p = init_params(S + 2, c["H"], S, c["rho"], np.random.default_rng(100 + seed))
    data_rng = np.random.default_rng(200 + seed)
    cut_rng = np.random.default_rng(300 + seed)
    test = distractor_recall_stream(c["n_test"], lag, E, np.random.default_rng(400 + seed), S, d)
    opt = Adam(lr=c["lr"])
    spec = METHODS[method]
    updates, curve = 0, []
    t0 = time.process_time()
    if spec != "untrained":
        for _ in range(c["batches"]):
            xs, ys, ms = distractor_recall_stream(c["batch"], lag, E, data_rng, S, d)
            if spec == "artbp":
                out = artbp_train(p, xs, ys, 1 / (lag + 1), opt, cut_rng, mask=ms, clip=c["clip"])
                losses = out["loss"]
            elif spec == "frozen":
                head, losses = {"W_hq": p["W_hq"], "b_q": p["b_q"]}, []
                for _ in range(FROZEN_UPDATES):     # as many updates as TBPTT(9, 9)
                    loss, g = elman_loss_and_grads(p, xs, ys, ms)
                    opt.step(head, {"W_hq": g["W_hq"], "b_q": g["b_q"]})
                    losses.append(loss / FROZEN_UPDATES)
            else:
                k1, k2 = (n if k == "n" else k for k in spec)
                out = tbptt_train(p, xs, ys, k1, k2, opt, mask=ms, clip=c["clip"])
                losses = out["loss"]
            updates += len(losses)
            curve.append(float(np.sum(losses)) / E)
    cpu = time.process_time() - t0
    return {"method": method, "seed": seed, "distractors": d,
            "accuracy": recall_accuracy(p, *test),
            "updates": updates, "cpu_seconds": round(cpu, 3), "curve": curve}


#: the methods also run on the blank-delay task (no distractors), where the frozen
#: recurrence keeps the cue by itself
BLANK_METHODS = ("TBPTT(9, 9)", "TBPTT(5, 5)", "frozen recurrence, trained readout")


def run(seeds=SEEDS, methods=None, cfg=CONFIG, verbose=False):
    out = []
    for seed in seeds:
        for m in BLANK_METHODS:
            r = train_method(m, seed, cfg, distractors=False)
            out.append(r)
            if verbose:
                print(f"seed {seed} blank delays: {m:36s} acc {r['accuracy']:.2f}", flush=True)
        for m in (methods or METHODS):
            r = train_method(m, seed, cfg)
            out.append(r)
            if verbose:
                print(f"seed {seed} {m:36s} acc {r['accuracy']:.2f} updates {r['updates']:4d} "
                      f"cpu {r['cpu_seconds']:.1f} s", flush=True)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write the results file")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = run(verbose=True)
    if args.record:
        path = record(NAME, results, command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0,
                      params=CONFIG | {"methods": list(METHODS), "optimizer": "adam",
                                       "artbp_c": 1 / (CONFIG["lag"] + 1)})
        print("recorded", path)


if __name__ == "__main__":
    main()
