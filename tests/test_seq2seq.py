"""The encoder-decoder of rnnbook.seq2seq: gradient checks and a tiny training run."""
import numpy as np
import pytest

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.optim import Adam
from rnnbook.seq2seq import (reverse_task, seq2seq_greedy, seq2seq_init,
                             seq2seq_loss_and_grads)
from rnnbook.train import train


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_seq2seq_gradcheck(cell):
    rng = np.random.default_rng(0)
    p = seq2seq_init(cell, 4, 3, rng)
    src, tgt = reverse_task(2, 3, 4, rng)
    _, g = seq2seq_loss_and_grads(p, cell, src, tgt)
    assert set(g) == set(p)
    for k in p:
        f = lambda v, k=k: seq2seq_loss_and_grads({**p, k: v}, cell, src, tgt)[0]
        assert rel_error(numerical_gradient(f, p[k], h=1e-4), g[k]) < 1e-7, k


def test_seq2seq_learns_to_reverse_short_sequences():
    rng = np.random.default_rng(0)
    p = seq2seq_init("rnn", 4, 24, rng)
    train(p, lambda q, step: seq2seq_loss_and_grads(
        q, "rnn", *reverse_task(32, 3, 4, np.random.default_rng(step))),
        Adam(lr=2e-2), 300, clip=5.0, progress=False)
    src, tgt = reverse_task(200, 3, 4, np.random.default_rng(99))
    assert (seq2seq_greedy(p, "rnn", src, 3) == tgt).mean() > 0.95


def test_seq2seq_errors():
    p = seq2seq_init("gru", 4, 3, np.random.default_rng(0))
    with pytest.raises(ValueError, match="tgt has shape"):
        seq2seq_loss_and_grads(p, "gru", np.zeros((2, 3), int), np.zeros((3, 3), int))
    # a target of -1 must not silently mean the last symbol S - 1
    with pytest.raises(ValueError, match=r"tgt has values in \[-1, 0\]"):
        seq2seq_loss_and_grads(p, "gru", np.zeros((2, 3), int), -np.eye(2, 3, dtype=int))
    with pytest.raises(ValueError, match="src has values"):
        seq2seq_loss_and_grads(p, "gru", np.full((2, 3), 4), np.zeros((2, 3), int))
    with pytest.raises(ValueError, match="src has dtype"):
        seq2seq_greedy(p, "gru", np.zeros((2, 3)), 3)
    with pytest.raises(ValueError, match="params has keys"):
        seq2seq_loss_and_grads({}, "gru", np.zeros((2, 3), int), np.zeros((2, 3), int))
    with pytest.raises(ValueError, match="cell"):
        seq2seq_greedy(p, "elman", np.zeros((2, 3), int), 3)
