"""Text utilities, the grammar corpus and the language model (gradient checks)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from strategies import dims
from hypothesis import strategies as st

from rnnbook.corpus import grammar_corpus
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.lm import (lm_evaluate, lm_hidden_for_budget, lm_init, lm_loss_and_grads,
                        lm_next_probs, lm_param_count, lm_sample)
from rnnbook.text import (Vocabulary, bits_per_character, one_hot, perplexity,
                          sample_next, softmax_temperature, start_end_pairs,
                          tbptt_batches)


def test_corpus_deterministic_and_small():
    a, b = grammar_corpus(5000, seed=3), grammar_corpus(5000, seed=3)
    assert a == b and len(a) == 5000 and a != grammar_corpus(5000, seed=4)
    assert len(set(grammar_corpus(50_000))) < 45


def test_vocabulary_roundtrip():
    v = Vocabulary("hello world")
    assert v.decode(v.encode("hello")) == "hello"
    w = Vocabulary("I was late".split(), specials=("<s>", "</s>"))
    assert w.tokens[:2] == ("<s>", "</s>")
    inputs, targets = start_end_pairs("I was late".split())
    assert inputs == ["<s>", "I", "was", "late"] and targets == ["I", "was", "late", "</s>"]
    assert w.decode(w.encode(inputs), sep=" ") == "<s> I was late"
    with pytest.raises(ValueError, match="not in the vocabulary"):
        v.encode("xyz!")


@settings(deadline=None)
@given(N=dims(1, 4), T=dims(1, 5), V=dims(1, 6), seed=st.integers(0, 99))
def test_one_hot(N, T, V, seed):
    ids = np.random.default_rng(seed).integers(0, V, (N, T))
    x = one_hot(ids, V)
    assert x.shape == (N, T, V) and np.all(x.sum(-1) == 1)
    assert np.array_equal(x.argmax(-1), ids)


@settings(deadline=None)
@given(L=dims(2, 200), N=dims(1, 5), T=dims(1, 7))
def test_tbptt_batches_continue(L, N, T):
    ids = np.arange(L)
    if (L - 1) // N // T == 0:
        with pytest.raises(ValueError, match="at least"):
            tbptt_batches(ids, N, T)
        return
    xs, ys = tbptt_batches(ids, N, T)
    assert xs.shape == ys.shape and xs.shape[1:] == (N, T)
    assert np.array_equal(ys, xs + 1)                      # targets are the next tokens
    for k in range(1, xs.shape[0]):                        # chunk k continues chunk k-1
        assert np.array_equal(xs[k, :, 0], xs[k - 1, :, -1] + 1)


def test_sampling_and_temperature():
    logits = np.array([[1.0, 2.0, 3.0, 4.0]])
    assert np.allclose(softmax_temperature(logits, 1.0).sum(), 1.0)
    assert softmax_temperature(logits, 1e-3)[0, 3] > 0.999
    assert np.allclose(softmax_temperature(logits, 1e4), 0.25, atol=1e-3)
    rng = np.random.default_rng(0)
    draws = np.concatenate([sample_next(np.repeat(logits, 1000, 0), 1.0, rng)
                            for _ in range(20)])
    freq = np.bincount(draws, minlength=4) / draws.size
    assert np.allclose(freq, softmax_temperature(logits, 1.0)[0], atol=0.01)
    assert bits_per_character(math.log(2)) == pytest.approx(1.0)
    assert perplexity(math.log(5)) == pytest.approx(5.0)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_lm_gradcheck(cell):
    rng = np.random.default_rng(0)
    V, H, N, T = 5, 3, 2, 4
    params = lm_init(cell, V, H, rng)
    x, y = rng.integers(0, V, (N, T)), rng.integers(0, V, (N, T))
    h0 = 0.3 * rng.standard_normal((N, H))
    state = (h0, 0.3 * rng.standard_normal((N, H)) if cell == "lstm" else None)
    loss, grads, _ = lm_loss_and_grads(params, cell, x, y, state)
    for k, v in params.items():
        def f(w, k=k):
            p = dict(params)
            p[k] = w
            return lm_loss_and_grads(p, cell, x, y, state)[0]
        assert rel_error(numerical_gradient(f, v, h=3e-5), grads[k]) < 1e-7, k
    assert loss > 0


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_lm_state_carry_and_helpers(cell):
    """Evaluating in chunks with the carried state equals one long pass."""
    rng = np.random.default_rng(1)
    V, H = 6, 4
    params = lm_init(cell, V, H, rng)
    ids = rng.integers(0, V, 41)
    chunked = lm_evaluate(params, cell, ids, N=1, T=8)         # 5 chunks of 8
    whole = lm_evaluate(params, cell, ids, N=1, T=40)
    assert chunked == pytest.approx(whole, rel=1e-12)
    p = lm_next_probs(params, cell, ids[:5])
    assert p.shape == (V,) and p.sum() == pytest.approx(1.0)
    out = lm_sample(params, cell, ids[:3], 10, 0.8, np.random.default_rng(0))
    assert out.shape == (10,) and out.max() < V
    budget = lm_param_count("rnn", V, 20)
    H2 = lm_hidden_for_budget(cell, V, budget)
    assert lm_param_count(cell, V, H2) <= budget < lm_param_count(cell, V, H2 + 1)
