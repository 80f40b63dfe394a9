"""Training speed of the book's character LM against a faithful min-char-rnn.

Usage: python -m rnnbook.experiments.charlm_speed [--seconds 3] [--budget 60] [--rounds 3]
       [--record]    (also: python benchmarks/charlm_speed.py, the same script)

Both train a vanilla RNN character model (hidden size 100, sequence length 25) on the
training plays of :func:`rnnbook.shakespeare.shakespeare_split`, in one process, one
BLAS thread, timed in process CPU seconds (``time.process_time``, steadier than wall
time on a shared machine):

* ``min-char-rnn``: :class:`rnnbook.experiments.min_char_rnn.MinCharRNN`, min-char-rnn's
  own operations (per-character column vectors with ``np.dot``, Adagrad 0.1, clip to
  [-5, 5]); its loss and gradients equal the book's per-sequence computation
  (``tests/test_min_char_rnn.py``);
* ``plain loop``: the same per-character loop written as one would today (``@``
  instead of ``np.dot``, a max-shifted softmax), to show the baseline is not slowed;
* ``rnnbook``: :func:`rnnbook.lm.lm_loss_and_grads` (fused RNN path) on N parallel
  rows (:func:`rnnbook.text.tbptt_batches`), clipping by global norm 5, Adagrad 0.1,
  float64 (the default) and float32. The fused path exists for the vanilla RNN only;
  the LSTM and the GRU always run the general implementation (:mod:`rnnbook.cells`).

Part 1 prints training characters per CPU second (best of ``--rounds`` alternating
rounds of ``--seconds`` each), the ratios, and which configurations (rows N, dtype)
reach ``TARGET_RATIO`` times min-char-rnn's rate. Part 2 trains min-char-rnn for
``--budget`` CPU seconds, measures its validation bits per character (first 50,000
characters of the validation plays) and then the CPU seconds the book's LM (N = 32,
float32, Adam 5e-3) needs to reach the same validation bpc. With ``--record`` the
numbers are written to ``rnnbook/experiments/data/charlm_speed.json`` (chapter 11
reads them).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from rnnbook.experiments.min_char_rnn import MinCharRNN, to_book  # noqa: E402
from rnnbook.experiments.results import record  # noqa: E402
from rnnbook.lm import lm_evaluate, lm_init, lm_loss_and_grads  # noqa: E402
from rnnbook.optim import Adagrad, Adam, clip_by_global_norm  # noqa: E402
from rnnbook.shakespeare import shakespeare_split  # noqa: E402
from rnnbook.text import tbptt_batches  # noqa: E402

H, T = 100, 25
ROWS = (8, 16, 32, 64, 128)
TARGET_RATIO = 10.0


def plain_loop(V, data, cpu_seconds, seed=0):
    """Per-character loop with ``@`` and a max-shifted softmax; returns characters."""
    rng = np.random.RandomState(seed)
    P = [rng.randn(H, V) * 0.01, rng.randn(H, H) * 0.01, rng.randn(V, H) * 0.01,
         np.zeros((H, 1)), np.zeros((V, 1))]
    mem = [np.zeros_like(p) for p in P]
    p, hprev, chars, start = 0, np.zeros((H, 1)), 0, time.process_time()
    while time.process_time() - start < cpu_seconds:
        if p + T + 1 >= len(data):
            p, hprev = 0, np.zeros((H, 1))
        Wxh, Whh, Why, bh, by = P
        xs, hs, ps = {}, {-1: hprev}, {}
        for t in range(T):
            xs[t] = np.zeros((V, 1))
            xs[t][data[p + t]] = 1
            hs[t] = np.tanh(Wxh @ xs[t] + Whh @ hs[t - 1] + bh)
            y = Why @ hs[t] + by
            e = np.exp(y - y.max())
            ps[t] = e / e.sum()
        g = [np.zeros_like(q) for q in P]
        dhnext = np.zeros((H, 1))
        for t in reversed(range(T)):
            dy = ps[t].copy()
            dy[data[p + t + 1]] -= 1
            g[2] += dy @ hs[t].T
            g[4] += dy
            dhraw = (1 - hs[t] * hs[t]) * (Why.T @ dy + dhnext)
            g[3] += dhraw
            g[0] += dhraw @ xs[t].T
            g[1] += dhraw @ hs[t - 1].T
            dhnext = Whh.T @ dhraw
        for q, dq, m in zip(P, g, mem):
            np.clip(dq, -5, 5, out=dq)
            m += dq * dq
            q += -0.1 * dq / np.sqrt(m + 1e-8)
        hprev, p, chars = hs[T - 1], p + T, chars + T
    return chars


def book(V, ids, N, cpu_seconds, dtype, seed=0):
    """The book's LM, N rows, Adagrad 0.1; returns characters trained on."""
    params = lm_init("rnn", V, H, np.random.default_rng(seed), dtype=dtype)
    opt = Adagrad(lr=0.1)
    xs, ys = tbptt_batches(ids, N, T)
    state, k, chars, start = None, 0, 0, time.process_time()
    while time.process_time() - start < cpu_seconds:
        if k == len(xs):
            k, state = 0, None
        _, grads, state = lm_loss_and_grads(params, "rnn", xs[k], ys[k], state)
        grads, _ = clip_by_global_norm(grads, 5.0)
        opt.step(params, grads)
        chars, k = chars + xs[k].size, k + 1
    return chars


def time_to_reach(V, ids, valid, target_bpc, limit, every=0.25):
    """CPU seconds the book's LM (N = 32, float32, Adam 5e-3) needs to reach target_bpc."""
    params = lm_init("rnn", V, H, np.random.default_rng(0), dtype=np.float32)
    opt = Adam(lr=5e-3)
    xs, ys = tbptt_batches(ids, 32, T)
    state, k, cpu, next_eval = None, 0, 0.0, every
    while cpu < limit:
        t0 = time.process_time()
        if k == len(xs):
            k, state = 0, None
        _, grads, state = lm_loss_and_grads(params, "rnn", xs[k], ys[k], state)
        grads, _ = clip_by_global_norm(grads, 5.0)
        opt.step(params, grads)
        k += 1
        cpu += time.process_time() - t0
        if cpu >= next_eval:
            next_eval += every
            bpc = lm_evaluate(params, "rnn", valid) / np.log(2)
            if bpc <= target_bpc:
                return cpu, bpc
    return float("nan"), bpc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU s per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--budget", type=float, default=60.0,
                        help="CPU seconds of min-char-rnn training in part 2 (0: skip)")
    parser.add_argument("--record", action="store_true", help="write the JSON results file")
    args = parser.parse_args(argv)
    started = time.time()
    split = shakespeare_split()
    V = split.vocab.V
    ids = split.vocab.encode(split.train)
    data = ids.tolist()
    valid = split.vocab.encode(split.valid[:50_000])
    print(f"Shakespeare training plays: {len(ids)} characters, V = {V}, H = {H}, "
          f"T = {T}, BLAS threads = {os.environ['OPENBLAS_NUM_THREADS']}")
    S = args.seconds
    load_before = os.getloadavg()
    print(f"load average (1, 5, 15 min) at the start: {load_before[0]:.2f} {load_before[1]:.2f} "
          f"{load_before[2]:.2f} on {os.cpu_count()} cores")
    rate = {"min-char-rnn": [], "plain loop": []}
    for _ in range(args.rounds):
        rate["min-char-rnn"].append(MinCharRNN(V).train(data, S) / S)
        rate["plain loop"].append(plain_loop(V, data, S) / S)
        for dt in (np.float64, np.float32):
            for N in ROWS:
                rate.setdefault((N, dt.__name__), []).append(book(V, ids, N, S, dt) / S)
    best = {k: max(v) for k, v in rate.items()}
    b = best["min-char-rnn"]
    print(f"\nPart 1: training characters per CPU second (best of {args.rounds} rounds "
          f"of {S:g} s)")
    print(f"min-char-rnn (faithful, np.dot):     {b:9.0f}  1.00x")
    print(f"plain per-character loop (@, shift): {best['plain loop']:9.0f}  "
          f"{best['plain loop'] / b:.2f}x  (min-char-rnn is {b / best['plain loop']:.2f}x "
          "the plain loop)")
    print(f"{'rows N':>8} {'dtype':>8} {'chars/s':>10} {'ratio':>7} "
          f"{'>= ' + format(TARGET_RATIO, 'g') + 'x':>6} {'vs plain loop':>14}")
    for N in ROWS:
        for dt in ("float64", "float32"):
            a = best[(N, dt)]
            print(f"{N:8d} {dt:>8} {a:10.0f} {a / b:6.1f}x {'yes' if a / b >= TARGET_RATIO else 'no':>6} "
                  f"{a / best['plain loop']:13.1f}x")
    meet = [f"N = {N} {dt}" for N in ROWS for dt in ("float64", "float32")
            if best[(N, dt)] / b >= TARGET_RATIO]
    miss = [f"N = {N} {dt}" for N in ROWS for dt in ("float64", "float32")
            if best[(N, dt)] / b < TARGET_RATIO]
    print(f"at least {TARGET_RATIO:g}x: " + (", ".join(meet) or "none"))
    print(f"below {TARGET_RATIO:g}x: " + (", ".join(miss) or "none"))
    if args.budget > 0:
        print(f"\nPart 2: CPU seconds to reach min-char-rnn's validation bpc after "
              f"{args.budget:g} CPU s")
        model = MinCharRNN(V)
        model.train(data, args.budget)
        target = lm_evaluate(to_book(model.params), "rnn", valid) / np.log(2)
        print(f"min-char-rnn after {args.budget:g} CPU s ({model.n} updates): "
              f"validation {target:.3f} bpc")
        cpu, bpc = time_to_reach(V, ids, valid, target, limit=args.budget)
        print(f"rnnbook (N = 32, float32, Adam 5e-3) reached {bpc:.3f} bpc after "
              f"{cpu:.2f} CPU s: {args.budget / cpu:.1f}x less CPU time")
    load_after = os.getloadavg()
    print(f"load average at the end: {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}")
    if args.record:
        rows = [{"kind": "rate", "impl": k if isinstance(k, str) else "rnnbook",
                 "N": None if isinstance(k, str) else k[0],
                 "dtype": "float64" if isinstance(k, str) else k[1], "chars_per_s": v}
                for k, v in rate.items()]
        if args.budget > 0:
            rows.append({"kind": "to_target", "baseline_cpu_s": args.budget,
                         "baseline_updates": model.n, "target_bpc": target,
                         "book_cpu_s": cpu, "book_bpc": bpc})
        path = record("charlm_speed", rows, seeds=[0], seconds=time.time() - started,
                      command="python -m rnnbook.experiments.charlm_speed --record "
                      + " ".join(f"--{k} {getattr(args, k)}" for k in
                                 ("seconds", "rounds", "budget")),
                      params={"H": H, "T": T, "rows": list(ROWS), "V": V,
                              "seconds": S, "rounds": args.rounds, "budget": args.budget,
                              "blas_threads": os.environ["OPENBLAS_NUM_THREADS"],
                              "clock": "time.process_time (process CPU seconds)",
                              "target_ratio": TARGET_RATIO,
                              "loadavg_start": [round(x, 2) for x in load_before],
                              "loadavg_end": [round(x, 2) for x in load_after],
                              "cores": os.cpu_count(),
                              "valid_chars": 50_000})
        print("recorded", path)


if __name__ == "__main__":
    main()
