"""Chapter 11's small language-model experiments, five seeds each, with their controls.

1. **Grammar corpus** (``grammar``): a vanilla RNN (H = 64, float32, Adam 5e-3, clip 5,
   600 updates of (N, T) = (32, 25) chunks) on the first 100,000 characters of
   ``grammar_corpus(120_000, seed=0)``, scored in bits per character on the last
   20,000. Controls: the unigram predictor and the corpus's entropy rate (the optimum).
2. **Bidirectional "language model"** (``bidirectional``): a bidirectional vanilla RNN
   (H = 48 per direction, float64, Adam 5e-3, clip 5, 300 chunks of the training plays,
   each read from zero states) predicting character t + 1 from both states at t; bpc on
   the first 50,000 characters of the test plays in chunks of 25, with the future
   visible and as when generating (the backward state of x_t alone). Control: a causal
   RNN with the same number of hidden units (2 x 48), trained and scored the same way.
3. **Look-back** (``lookback``): the chapter's Shakespeare RNN (H = 128, float32,
   Adam 5e-3, clip 5, 2,000 updates) from each seed, and each seed's untrained network
   (the control): :func:`rnnbook.lm.lm_lookback` on the validation plays (K = 60, 256
   positions drawn by ``default_rng(0)``, the same for every network), the test-plays
   bpc, and the largest |r| of a unit with the speaker-heading feature on the first
   30,000 validation characters.

Every run records its training CPU seconds (evaluation excluded). Run on purpose
(a few CPU minutes, one process)::

    python -m rnnbook.experiments.lm_seeds --record
"""
from __future__ import annotations

import time

import numpy as np

from ..bidirectional import bidirectional_backward, bidirectional_forward
from ..cells import cell_forward
from ..corpus import grammar_corpus, grammar_entropy_rate
from ..lm import lm_evaluate, lm_hidden_states, lm_init, lm_lookback, lm_loss_and_grads
from ..losses import cross_entropy
from ..optim import Adam, clip_by_global_norm
from ..shakespeare import shakespeare_split, text_features
from ..text import Vocabulary, one_hot, tbptt_batches
from .results import record, seed_args

__all__ = ["SEEDS", "train_rnn", "unigram_bpc", "grammar_data", "grammar_run",
           "bilm_init", "bilm_loss_and_grads", "bilm_train", "bilm_bpc",
           "causal_control_run", "bidirectional_run", "heading_r", "lookback_run"]

NAME = "lm_seeds"
SEEDS = (0, 1, 2, 3, 4)
GRAMMAR = dict(H=64, updates=600, chars=120_000, train=100_000, corpus_seed=0)
BIDIR = dict(H=48, updates=300, lr=5e-3, test_chars=50_000)
LOOKBACK = dict(H=128, updates=2000, K=60, positions=256, units_chars=30_000)


def train_rnn(ids, V, H, updates, lr=5e-3, N=32, T=25, seed=0, dtype=np.float32,
              every=None, on_every=None):
    """Truncated BPTT as in `rnnbook.lm.train_lm`, with a hook every `every` updates.

    Returns (params, losses (updates,) in nats, training CPU seconds).
    """
    p = lm_init("rnn", V, H, np.random.default_rng(seed), dtype=dtype)
    opt, (xs, ys), state, losses, cpu = Adam(lr=lr), tbptt_batches(ids, N, T), None, [], 0.0
    for step in range(1, updates + 1):
        t0 = time.process_time()
        k = (step - 1) % len(xs)
        state = None if k == 0 else state                  # the stream restarts: zero state
        loss, grads, state = lm_loss_and_grads(p, "rnn", xs[k], ys[k], state)
        grads, _ = clip_by_global_norm(grads, 5.0)
        opt.step(p, grads)
        cpu += time.process_time() - t0
        losses.append(loss)
        if every and step % every == 0:
            on_every(step, p)
    return p, np.array(losses), cpu


def unigram_bpc(train_ids, test_ids, V):
    """Bits per character of the unigram (constant) predictor counted on ``train_ids``."""
    freq = np.bincount(train_ids, minlength=V) / train_ids.size
    test_freq = np.bincount(test_ids, minlength=V) / test_ids.size
    return float(-(test_freq * np.log2(np.maximum(freq, 1e-12))).sum())


def grammar_data():
    """(V, train ids, test ids) of the grammar corpus of chapter 11."""
    text = grammar_corpus(GRAMMAR["chars"], seed=GRAMMAR["corpus_seed"])
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    return vocab.V, ids[:GRAMMAR["train"]], ids[GRAMMAR["train"]:]


def grammar_run(seed, data=None):
    """One grammar-corpus RNN: its held-out bpc and training CPU seconds."""
    V, train, test = data or grammar_data()
    p, _, cpu = train_rnn(train, V, GRAMMAR["H"], GRAMMAR["updates"], seed=seed)
    return {"seed": seed, "test_bpc": round(lm_evaluate(p, "rnn", test) / np.log(2), 4),
            "cpu_seconds": round(cpu, 3)}


def bilm_init(V, H, rng):
    """Parameters of the bidirectional model: ``f_*`` and ``b_*`` RNNs, ``W_hq`` (2H, V)."""
    bi = {}
    for side in ("f_", "b_"):
        init = lm_init("rnn", V, H, rng)
        bi.update({side + k: init[k] for k in ("W_xh", "W_hh", "b_h")})
    bi.update(W_hq=rng.uniform(-0.1, 0.1, (2 * H, V)), b_q=np.zeros(V))
    return bi


def _side(bi, side):
    return {k: bi[side + k] for k in ("W_xh", "W_hh", "b_h")}


def bilm_loss_and_grads(bi, x_ids, y_ids):
    """Next-character loss of a bidirectional RNN, o_t = [h_fwd_t, h_bwd_t] W_hq + b_q.

    ``x_ids``, ``y_ids`` (N, T) from zero states. Returns (loss, grads of ``bi``).
    """
    V = bi["W_hq"].shape[1]
    h, cache = bidirectional_forward(one_hot(x_ids, V), _side(bi, "f_"), _side(bi, "b_"),
                                     "rnn")                                   # (N, T, 2H)
    h2 = h.reshape(-1, h.shape[2])
    loss, dz = cross_entropy(h2 @ bi["W_hq"] + bi["b_q"], y_ids.reshape(-1))
    g = bidirectional_backward((dz @ bi["W_hq"].T).reshape(h.shape), cache)
    return loss, {**{"f_" + k: v for k, v in g.dparams_f.items()},
                  **{"b_" + k: v for k, v in g.dparams_b.items()},
                  "W_hq": h2.T @ dz, "b_q": dz.sum(0)}


def bilm_train(train_ids, V, seed, H=None, updates=None):
    """Train the bidirectional model on the first chunks of ``train_ids``.

    Returns (params, training CPU seconds).
    """
    H, updates = H or BIDIR["H"], updates or BIDIR["updates"]
    bi = bilm_init(V, H, np.random.default_rng(seed))
    opt, (bx, by), cpu = Adam(lr=BIDIR["lr"]), tbptt_batches(train_ids, 32, 25), 0.0
    for step in range(updates):                      # every chunk read from zero states
        t0 = time.process_time()
        _, grads = bilm_loss_and_grads(bi, bx[step], by[step])
        opt.step(bi, clip_by_global_norm(grads, 5.0)[0])
        cpu += time.process_time() - t0
    return bi, cpu


def _chunks(ids):
    return tbptt_batches(ids[:BIDIR["test_chars"] + 1], 40, 25)


def bilm_bpc(bi, ids, see_future):
    """Held-out bpc in chunks of 25; without the future, the backward direction reads
    only the current character (the most it can know while generating)."""
    V = bi["W_hq"].shape[1]
    tx, ty = _chunks(ids)
    total = 0.0
    for x_ids, y_ids in zip(tx, ty):
        if see_future:
            h, _ = bidirectional_forward(one_hot(x_ids, V), _side(bi, "f_"), _side(bi, "b_"),
                                         "rnn")
        else:
            h_f, _ = cell_forward("rnn", one_hot(x_ids, V), _side(bi, "f_"))
            h_b = np.tanh(bi["b_W_xh"][x_ids] + bi["b_b_h"])     # backward state of x_t alone
            h = np.concatenate([h_f, h_b], axis=2)
        total += cross_entropy((h @ bi["W_hq"] + bi["b_q"]).reshape(-1, V),
                               y_ids.reshape(-1))[0]
    return total / len(tx) / np.log(2)


def causal_control_run(train_ids, test_ids, V, seed):
    """The control: a causal RNN with 2 H units, trained and scored like the bidirectional
    model (same chunks from zero states, same optimiser and budget)."""
    p = lm_init("rnn", V, 2 * BIDIR["H"], np.random.default_rng(seed))
    opt, (bx, by), cpu = Adam(lr=BIDIR["lr"]), tbptt_batches(train_ids, 32, 25), 0.0
    for step in range(BIDIR["updates"]):
        t0 = time.process_time()
        _, grads, _ = lm_loss_and_grads(p, "rnn", bx[step], by[step])
        opt.step(p, clip_by_global_norm(grads, 5.0)[0])
        cpu += time.process_time() - t0
    tx, ty = _chunks(test_ids)
    bpc = np.mean([lm_loss_and_grads(p, "rnn", x, y)[0] for x, y in zip(tx, ty)]) / np.log(2)
    return float(bpc), cpu


def bidirectional_run(seed, split=None):
    """One bidirectional model and its causal control: bpc and CPU seconds."""
    split = split or shakespeare_split()
    V, train, test = split.vocab.V, split.vocab.encode(split.train), split.vocab.encode(split.test)
    bi, cpu = bilm_train(train, V, seed)
    causal, cpu_c = causal_control_run(train, test, V, seed)
    return {"seed": seed, "bpc_future_visible": round(bilm_bpc(bi, test, True), 4),
            "bpc_as_generating": round(bilm_bpc(bi, test, False), 4),
            "bpc_causal_control": round(causal, 4), "cpu_seconds": round(cpu, 3),
            "cpu_seconds_control": round(cpu_c, 3)}


def heading_r(params, text):
    """Largest |Pearson r| of a hidden unit with the speaker-heading feature of ``text``."""
    ids = shakespeare_split().vocab.encode(text)
    hs = lm_hidden_states(params, "rnn", ids).astype(np.float64)
    hz = (hs - hs.mean(0)) / (hs.std(0) + 1e-12)
    f = text_features(text)["heading"]
    return float(np.abs(hz.T @ ((f - f.mean()) / f.std()) / len(f)).max())


def lookback_run(seed, split=None, updates=None):
    """One trained Shakespeare RNN and its untrained start: look-back, bpc, heading unit."""
    split = split or shakespeare_split()
    vocab = split.vocab
    train, valid, test = (vocab.encode(t) for t in (split.train, split.valid, split.test))
    H, K, n = LOOKBACK["H"], LOOKBACK["K"], LOOKBACK["positions"]
    updates = updates or LOOKBACK["updates"]
    p, _, cpu = train_rnn(train, vocab.V, H, updates, seed=seed)
    p0 = lm_init("rnn", vocab.V, H, np.random.default_rng(seed), dtype=np.float32)
    text = split.valid[:LOOKBACK["units_chars"]]
    out = {"seed": seed, "updates": updates, "cpu_seconds": round(cpu, 3)}
    for tag, q in (("trained", p), ("untrained", p0)):
        q64 = {k: v.astype(np.float64) for k, v in q.items()}
        look = lm_lookback(q64, "rnn", valid, K=K, N=n, rng=np.random.default_rng(0))
        out[f"lookback_{tag}"] = [float(f"{v:.6e}") for v in look / look[0]]
        out[f"test_bpc_{tag}"] = round(lm_evaluate(q, "rnn", test) / np.log(2), 4)
        out[f"heading_r_{tag}"] = round(heading_r(q, text), 4)
    return out


def main(argv=None):
    args = seed_args(argv, __doc__.splitlines()[0], SEEDS)
    t0 = time.perf_counter()
    split, gdata, results = shakespeare_split(), grammar_data(), []
    V, g_train, g_test = gdata
    for seed in args.seeds:
        for kind, r in (("grammar", grammar_run(seed, gdata)),
                        ("bidirectional", bidirectional_run(seed, split)),
                        ("lookback", lookback_run(seed, split))):
            results.append({"kind": kind, **r})
            print(kind, {k: v for k, v in r.items() if not k.startswith("lookback_")},
                  flush=True)
    controls = {"grammar_unigram_bpc": round(unigram_bpc(g_train, g_test, V), 4),
                "grammar_entropy_rate": round(float(grammar_entropy_rate(200_000, seed=0)), 4),
                "shakespeare_unigram_bpc": round(unigram_bpc(
                    split.vocab.encode(split.train), split.vocab.encode(split.test),
                    split.vocab.V), 4)}
    print(controls)
    if args.record:
        path = record(NAME, results + [{"kind": "controls", **controls}],
                      command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0,
                      params={"grammar": GRAMMAR, "bidirectional": BIDIR, "lookback": LOOKBACK,
                              "optimizer": "Adam", "clip": 5.0, "N": 32, "T": 25,
                              "lr": 5e-3, "grammar_entropy_rate_chars": 200_000})
        print("recorded", path)


if __name__ == "__main__":
    main()
