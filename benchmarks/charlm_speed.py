"""Training throughput of the character-level language model: batched vs unbatched.

Usage: python benchmarks/charlm_speed.py [--batch 16,32,64,128] [--seconds 2]

Both implementations train the same vanilla RNN language model (hidden size 100,
sequence length 25, Adagrad with learning rate 0.1, as in Karpathy's min-char-rnn) on
the book's grammar corpus, in one process, with the same BLAS settings:

* ``baseline``: an unbatched, per-sequence implementation in the style of
  min-char-rnn, written here from scratch: column vectors, one character at a time,
  dictionaries of per-step states, one sequence of 25 characters per update, the
  gradients clipped elementwise to [-5, 5];
* ``rnnbook``: :func:`rnnbook.lm.lm_loss_and_grads` on N parallel rows of the stream
  (:func:`rnnbook.text.tbptt_batches`), the input projection of all steps in one
  matrix product, gradient clipping by global norm, :class:`rnnbook.optim.Adagrad`.

Throughput is training characters (predictions whose gradient is used) per second of
*process CPU time* (``time.process_time``), which on a shared, busy machine is far
steadier than wall-clock time; with one BLAS thread the two agree on an idle machine.
The two implementations are timed alternately (3 rounds, best round of each) and the
ratio printed.

BLAS threads: OpenBLAS is limited to one thread (``OPENBLAS_NUM_THREADS=1`` unless set)
because on a shared machine multi-threaded BLAS on these small matrices is slower and
erratic; the same setting applies to both implementations.
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from rnnbook.corpus import grammar_corpus  # noqa: E402
from rnnbook.lm import lm_init, lm_loss_and_grads  # noqa: E402
from rnnbook.optim import Adagrad, clip_by_global_norm  # noqa: E402
from rnnbook.text import Vocabulary, tbptt_batches  # noqa: E402

H, T, LR = 100, 25, 0.1


class MinCharRNN:
    """Unbatched reference: one sequence, one character at a time (min-char-rnn style)."""

    def __init__(self, V, rng):
        self.V = V
        self.Wxh = rng.standard_normal((H, V)) * 0.01       # column-vector convention
        self.Whh = rng.standard_normal((H, H)) * 0.01
        self.Why = rng.standard_normal((V, H)) * 0.01
        self.bh = np.zeros((H, 1))
        self.by = np.zeros((V, 1))
        self.mem = [np.zeros_like(p) for p in self.params()]

    def params(self):
        return [self.Wxh, self.Whh, self.Why, self.bh, self.by]

    def loss_fun(self, inputs, targets, hprev):
        xs, hs, ps = {}, {-1: np.copy(hprev)}, {}
        loss = 0.0
        for t in range(len(inputs)):
            xs[t] = np.zeros((self.V, 1))
            xs[t][inputs[t]] = 1
            hs[t] = np.tanh(self.Wxh @ xs[t] + self.Whh @ hs[t - 1] + self.bh)
            y = self.Why @ hs[t] + self.by
            e = np.exp(y - np.max(y))
            ps[t] = e / np.sum(e)
            loss += -np.log(ps[t][targets[t], 0])
        dWxh, dWhh, dWhy = (np.zeros_like(self.Wxh), np.zeros_like(self.Whh),
                            np.zeros_like(self.Why))
        dbh, dby = np.zeros_like(self.bh), np.zeros_like(self.by)
        dhnext = np.zeros_like(hs[0])
        for t in reversed(range(len(inputs))):
            dy = np.copy(ps[t])
            dy[targets[t]] -= 1
            dWhy += dy @ hs[t].T
            dby += dy
            dh = self.Why.T @ dy + dhnext
            dhraw = (1 - hs[t] * hs[t]) * dh
            dbh += dhraw
            dWxh += dhraw @ xs[t].T
            dWhh += dhraw @ hs[t - 1].T
            dhnext = self.Whh.T @ dhraw
        grads = [dWxh, dWhh, dWhy, dbh, dby]
        for g in grads:
            np.clip(g, -5, 5, out=g)
        return loss, grads, hs[len(inputs) - 1]

    def train(self, ids, seconds):
        """Train for about ``seconds``; return characters per second."""
        p, hprev, chars = 0, np.zeros((H, 1)), 0
        start, cpu = time.perf_counter(), time.process_time()
        while time.perf_counter() - start < seconds:
            if p + T + 1 >= len(ids):
                p, hprev = 0, np.zeros((H, 1))
            inputs, targets = ids[p:p + T], ids[p + 1:p + T + 1]
            _, grads, hprev = self.loss_fun(inputs, targets, hprev)
            for param, g, m in zip(self.params(), grads, self.mem):
                m += g * g
                param += -LR * g / np.sqrt(m + 1e-8)
            p += T
            chars += T
        return chars / (time.process_time() - cpu)


def batched(ids, V, N, seconds, rng):
    """Train rnnbook's batched model for about ``seconds``; return characters per second."""
    params = lm_init("rnn", V, H, rng)
    opt = Adagrad(lr=LR)
    xs, ys = tbptt_batches(ids, N, T)
    state, k, chars = None, 0, 0
    start, cpu = time.perf_counter(), time.process_time()
    while time.perf_counter() - start < seconds:
        if k == len(xs):
            k, state = 0, None
        _, grads, state = lm_loss_and_grads(params, "rnn", xs[k], ys[k], state)
        grads, _ = clip_by_global_norm(grads, 5.0)
        opt.step(params, grads)
        k += 1
        chars += xs[k - 1].size
    return chars / (time.process_time() - cpu)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", default="16,32,64,128",
                        help="comma-separated batch sizes N of the batched model")
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    args = parser.parse_args()
    text = grammar_corpus(200_000, seed=0)
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    batches = [int(n) for n in args.batch.split(",")]
    rng = np.random.default_rng(0)
    base, ours = [], {N: [] for N in batches}
    for _ in range(3):
        base.append(MinCharRNN(vocab.V, rng).train(ids, args.seconds))
        for N in batches:
            ours[N].append(batched(ids, vocab.V, N, args.seconds, rng))
    b = max(base)
    print(f"vocabulary V = {vocab.V}, hidden H = {H}, sequence length T = {T}, "
          f"BLAS threads = {os.environ['OPENBLAS_NUM_THREADS']}")
    print("throughput in training characters per CPU second")
    print(f"min-char-rnn style, unbatched:  {b:9.0f} characters/s")
    for N in batches:
        o = max(ours[N])
        print(f"rnnbook, batched, N = {N:4d}:   {o:9.0f} characters/s   "
              f"ratio {o / b:5.1f}x (target >= 10x)")


if __name__ == "__main__":
    main()
