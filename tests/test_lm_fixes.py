"""Language-model behaviour whose expectations are derived independently.

Each test computes what the answer must be without the code under test (a log-sum-exp
written out, a loop over characters, a brute-force search, min-char-rnn's own
arithmetic) and compares.
"""
import math

import numpy as np
import pytest

from rnnbook.corpus import grammar_corpus, grammar_entropy_rate
from rnnbook.experiments.min_char_rnn import loss_fun, to_book
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.lm import (lm_beam_search, lm_evaluate, lm_hidden_for_budget, lm_init,
                        lm_lookback, lm_loss_and_grads, lm_next_probs, lm_param_count,
                        train_lm)
from rnnbook.optim import SGD
from rnnbook.text import coloured_text_html, sample_next, softmax_temperature, \
    tbptt_batches


def _reference_loss(params, x, y, h0):
    """Mean next-token cross-entropy by an explicit per-step loop and log-sum-exp."""
    N, T = x.shape
    total = 0.0
    for n in range(N):
        h = h0[n].copy()
        for t in range(T):
            h = np.tanh(params["W_xh"][x[n, t]] + h @ params["W_hh"] + params["b_h"])
            o = h @ params["W_hq"] + params["b_q"]
            m = max(o)
            lse = m + math.log(sum(math.exp(v - m) for v in o))
            total += lse - o[y[n, t]]
    return total / (N * T)


@pytest.mark.parametrize("fused", [True, False])
def test_lm_loss_matches_explicit_loop_even_for_huge_logits(fused):
    """Kills a softmax without its max shift: logits of size ~1e3 overflow exp."""
    rng = np.random.default_rng(0)
    V, H, N, T = 7, 5, 3, 6
    p = lm_init("rnn", V, H, rng)
    x, y = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    h0 = 0.5 * rng.standard_normal((N, H))
    for scale in (1.0, 3e3):
        q = dict(p, W_hq=p["W_hq"] * scale)
        loss, grads, _ = lm_loss_and_grads(q, "rnn", x, y, (h0, None), fused=fused)
        ref = _reference_loss(q, x, y, h0)
        assert np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())
        assert loss == pytest.approx(ref, rel=1e-12)


def test_fused_path_equals_general_path():
    rng = np.random.default_rng(1)
    V, H, N, T = 11, 6, 4, 9
    p = lm_init("rnn", V, H, rng)
    x, y = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    x[0, :3] = 2                                             # repeated tokens: summed rows
    h0 = 0.4 * rng.standard_normal((N, H))
    a = lm_loss_and_grads(p, "rnn", x, y, (h0, None), fused=True)
    b = lm_loss_and_grads(p, "rnn", x, y, (h0, None), fused=False)
    assert a[0] == pytest.approx(b[0], rel=1e-13)
    for k in p:
        assert np.allclose(a[1][k], b[1][k], rtol=1e-10, atol=1e-15), k
    assert np.allclose(a[2][0], b[2][0], rtol=0, atol=1e-15)


@pytest.mark.parametrize("fused", [True, False])
def test_rnn_gradcheck_both_paths(fused):
    rng = np.random.default_rng(2)
    V, H, N, T = 5, 3, 2, 4
    p = lm_init("rnn", V, H, rng)
    x, y = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    x[1, 1] = x[1, 2]
    state = (0.3 * rng.standard_normal((N, H)), None)
    _, g, _ = lm_loss_and_grads(p, "rnn", x, y, state, fused=fused)
    for k, v in p.items():
        f = lambda w, k=k: lm_loss_and_grads({**p, k: w}, "rnn", x, y, state, fused=fused)[0]
        assert rel_error(numerical_gradient(f, v, h=3e-5), g[k]) < 1e-7, k


def test_float32_option_keeps_dtype_and_agrees():
    rng = np.random.default_rng(3)
    p64 = lm_init("rnn", 9, 8, rng)
    p32 = {k: v.astype(np.float32) for k, v in p64.items()}
    x, y = rng.integers(0, 9, (4, 5)), rng.integers(0, 9, (4, 5))
    l64, g64, _ = lm_loss_and_grads(p64, "rnn", x, y)
    l32, g32, _ = lm_loss_and_grads(p32, "rnn", x, y)
    assert all(g.dtype == np.float32 for g in g32.values())
    assert l32 == pytest.approx(l64, rel=1e-5)
    assert max(rel_error(g32[k].astype(float), g64[k]) for k in p64) < 1e-4


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_token_ids_are_range_checked(cell):
    rng = np.random.default_rng(0)
    p = lm_init(cell, 4, 3, rng)
    x = rng.integers(0, 4, (2, 3))
    for bad in (-1, 4):
        y = x.copy()
        y[1, 2] = bad                      # -1 would silently mean V - 1
        with pytest.raises(ValueError, match="y_ids"):
            lm_loss_and_grads(p, cell, x, y)
        with pytest.raises(ValueError, match="x_ids"):
            lm_loss_and_grads(p, cell, y, x)
    with pytest.raises(ValueError, match="ids"):
        lm_evaluate(p, cell, np.array([0, 1, 2, 3, 4] * 10), N=2, T=3)


def test_softmax_temperature_subtracts_the_max_first():
    # 1e305 / 1e-6 overflows to inf: dividing before the shift would give inf - inf
    logits = np.array([[0.0, 1e305, -1e305, 5.0]])
    for tau in (1e-6, 1e-3, 1.0, 1e6):
        p = softmax_temperature(logits, tau)
        assert np.all(np.isfinite(p)) and p[0, 1] == pytest.approx(1.0)
    # independent value: softmax([1, 3] / 0.5) = [1, e^4] / (1 + e^4)
    p = softmax_temperature(np.array([1.0, 3.0]), 0.5)
    assert p[1] == pytest.approx(math.exp(4) / (1 + math.exp(4)), rel=1e-14)
    rng = np.random.default_rng(0)
    ids = sample_next(np.array([[-1e305, 1e305, 0.0]] * 50), 1e-6, rng)
    assert np.all(ids == 1)                       # the argmax, never the fallback id 0


def test_tbptt_batches_rejects_empty_and_too_short_streams():
    for L in (0, 1, 6):                           # N T + 1 = 7 tokens needed
        with pytest.raises(ValueError, match="at least"):
            tbptt_batches(np.arange(L), 2, 3)
    xs, ys = tbptt_batches(np.arange(7), 2, 3)
    assert xs.shape == (1, 2, 3) and xs[0].tolist() == [[0, 1, 2], [3, 4, 5]]
    p = lm_init("rnn", 5, 2, np.random.default_rng(0))
    with pytest.raises(ValueError, match="at least"):
        lm_evaluate(p, "rnn", np.zeros(0, dtype=int))
    with pytest.raises(ValueError, match="at least"):
        train_lm(p, "rnn", np.zeros(0, dtype=int), 2, 3, 1, SGD(0.1), progress=False)


def test_hidden_for_budget_is_the_brute_force_answer_and_rejects_inf():
    for cell in ("rnn", "lstm", "gru"):
        for budget in (lm_param_count(cell, 13, 1), 500, 4321, 37843):
            brute = max(H for H in range(1, 300) if lm_param_count(cell, 13, H) <= budget)
            assert lm_hidden_for_budget(cell, 13, budget) == brute
        assert lm_hidden_for_budget(cell, 13, 1e13) > 1000       # returns, fast
        for bad in (float("inf"), float("nan"), 3):
            with pytest.raises(ValueError, match="budget"):
                lm_hidden_for_budget(cell, 13, bad)


def test_train_lm_resets_the_state_when_the_stream_restarts():
    """With a learning rate of 0 the loss of step K (the wrap) is the fresh-state loss."""
    rng = np.random.default_rng(4)
    V, N, T = 6, 2, 3
    p = lm_init("rnn", V, 5, rng)
    ids = rng.integers(0, V, 2 * N * T + 1)           # K = 2 chunks
    xs, ys = tbptt_batches(ids, N, T)
    hist = train_lm(p, "rnn", ids, N, T, 5, SGD(lr=0.0), clip=None, progress=False)
    fresh = [lm_loss_and_grads(p, "rnn", xs[k], ys[k])[0] for k in range(2)]
    carried = lm_loss_and_grads(p, "rnn", xs[1], ys[1],
                                lm_loss_and_grads(p, "rnn", xs[0], ys[0])[2])[0]
    assert hist["loss"][0] == pytest.approx(fresh[0], rel=1e-14)
    assert hist["loss"][1] == pytest.approx(carried, rel=1e-14)
    assert hist["loss"][2] == pytest.approx(fresh[0], rel=1e-14)   # reset, not carried
    assert hist["loss"][3] == pytest.approx(carried, rel=1e-14)
    final = lm_loss_and_grads(p, "rnn", xs[0], ys[0], (np.ones((N, 5)), None))[0]
    assert abs(final - fresh[0]) > 1e-6                 # the state does matter here


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_beam_search_width_one_is_greedy_and_scores_are_log_probs(cell):
    rng = np.random.default_rng(5)
    V = 6
    p = lm_init(cell, V, 4, rng)
    p["W_hq"] *= 4
    prime = np.array([1, 2])
    seq, prefix = [], list(prime)
    for _ in range(5):                                  # greedy by hand
        seq.append(int(np.argmax(lm_next_probs(p, cell, np.array(prefix)))))
        prefix.append(seq[-1])
    ids, logp = lm_beam_search(p, cell, prime, 5, beam_width=1)
    assert ids.tolist() == seq
    for width in (1, 3, 8):
        ids, logp = lm_beam_search(p, cell, prime, 5, beam_width=width)
        direct = sum(math.log(lm_next_probs(p, cell, np.concatenate([prime, ids[:i]]))[ids[i]])
                     for i in range(5))
        assert logp == pytest.approx(direct, rel=1e-10)
        if width > 1:
            assert logp >= lm_beam_search(p, cell, prime, 5, beam_width=1)[1] - 1e-12


def test_lookback_without_recurrence_sees_only_the_current_input():
    rng = np.random.default_rng(6)
    p = lm_init("rnn", 7, 5, rng)
    ids = rng.integers(0, 7, 300)
    g = lm_lookback(p, "rnn", ids, K=10, N=8)
    assert g.shape == (10,) and np.all(g[1:] > 0) and g[0] > 0
    p["W_hh"][:] = 0.0
    g0 = lm_lookback(p, "rnn", ids, K=10, N=8)
    assert g0[0] > 0 and np.all(g0[1:] == 0)


def test_grammar_entropy_rate_is_a_lower_bound_of_simple_models():
    text = grammar_corpus(100_000, seed=0)
    ids = np.frombuffer(text.encode(), dtype=np.uint8)
    freq = np.bincount(ids) / ids.size
    unigram = -(freq[freq > 0] * np.log2(freq[freq > 0])).sum()
    pairs = ids[:-1].astype(int) * 256 + ids[1:]
    joint = np.bincount(pairs) / pairs.size
    prev = np.bincount(ids[:-1], minlength=256) / (ids.size - 1)
    nz = np.nonzero(joint)[0]
    bigram = -(joint[nz] * np.log2(joint[nz] / prev[nz // 256])).sum()   # H(x_t | x_t-1)
    rate = grammar_entropy_rate(100_000, seed=0)
    assert 0.3 < rate < bigram < unigram
    assert rate == grammar_entropy_rate(100_000, seed=0)
    assert grammar_corpus(5000, seed=3) == grammar_corpus(5000, seed=3)


def test_coloured_text_html():
    out = coloured_text_html("a<b\n", np.array([1.0, -0.5, 0.0, 0.25]), title="unit 3")
    assert "&lt;" in out and "unit 3" in out and out.count("<span") == 4
    assert "rgba(230,159,0,1.00)" in out and "rgba(0,114,178,0.50)" in out
    with pytest.raises(ValueError, match="values"):
        coloured_text_html("ab", np.zeros(3))


def test_min_char_rnn_equals_the_book_per_sequence():
    """min-char-rnn's summed loss and gradients are T times the book's mean ones."""
    rng = np.random.RandomState(0)
    V, H, T = 9, 7, 25
    params = (rng.randn(H, V) * 0.3, rng.randn(H, H) * 0.3, rng.randn(V, H) * 0.3,
              rng.randn(H, 1) * 0.1, rng.randn(V, 1) * 0.1)
    data = rng.randint(0, V, T + 1).tolist()
    hprev = rng.randn(H, 1) * 0.5
    loss, *g, h_last = loss_fun(params, data[:T], data[1:], hprev, clip=False)
    book = to_book(params)
    for fused in (True, False):
        l2, g2, state = lm_loss_and_grads(book, "rnn", np.array([data[:T]]),
                                          np.array([data[1:]]), (hprev.T, None), fused=fused)
        assert loss == pytest.approx(T * l2, rel=1e-12)
        for mine, key in zip(g, ("W_xh", "W_hh", "W_hq", "b_h", "b_q")):
            theirs = T * g2[key]
            mine = mine.T if mine.shape[1] > 1 else mine[:, 0]
            assert rel_error(mine, theirs) < 1e-11, key
        assert np.allclose(state[0][0], h_last[:, 0], rtol=0, atol=1e-14)
    clipped = loss_fun(tuple(10 * p for p in params), data[:T], data[1:], hprev)[1:6]
    assert max(np.abs(c).max() for c in clipped) <= 5.0
