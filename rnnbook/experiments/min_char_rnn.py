"""A faithful re-implementation of min-char-rnn, the speed baseline of chapter 11.

Karpathy's ``min-char-rnn.py`` (2015) trains a vanilla RNN character model in about
100 lines of numpy. This module performs exactly its operations, written from its
published description: column vectors, one character at a time with ``np.dot``
(also for the outer products), the softmax as ``exp(y) / sum(exp(y))`` without a
max shift, the loss summed over a sequence of ``seq_length = 25`` characters, the
gradients clipped elementwise to [-5, 5], Adagrad with learning rate 0.1, hidden
size 100, weights drawn as ``randn * 0.01``, the hidden state carried from one
sequence to the next and reset at the end of the data. The original also samples
200 characters every 100 iterations and prints them; that work is left out here (it
only makes the baseline faster).

Parameters map to the book's row-vector notation (:mod:`rnnbook.lm`) as
``W_xh = Wxh.T``, ``W_hh = Whh.T``, ``b_h = bh[:, 0]``, ``W_hq = Why.T``, ``b_q = by[:, 0]``
(:func:`to_book`).
"""
from __future__ import annotations

import time

import numpy as np

__all__ = ["MinCharRNN", "loss_fun", "to_book"]

HIDDEN, SEQ_LENGTH, LEARNING_RATE = 100, 25, 1e-1


def loss_fun(params, inputs, targets, hprev, clip=True):
    """min-char-rnn's ``lossFun``: summed loss, gradients, last hidden state.

    ``params`` is the tuple (Wxh (H, V), Whh (H, H), Why (V, H), bh (H, 1), by (V, 1));
    ``inputs``, ``targets`` are lists of ids; ``hprev`` is (H, 1).
    """
    Wxh, Whh, Why, bh, by = params
    vocab_size = Why.shape[0]
    xs, hs, ys, ps = {}, {}, {}, {}
    hs[-1] = np.copy(hprev)
    loss = 0
    for t in range(len(inputs)):
        xs[t] = np.zeros((vocab_size, 1))
        xs[t][inputs[t]] = 1
        hs[t] = np.tanh(np.dot(Wxh, xs[t]) + np.dot(Whh, hs[t - 1]) + bh)
        ys[t] = np.dot(Why, hs[t]) + by
        ps[t] = np.exp(ys[t]) / np.sum(np.exp(ys[t]))
        loss += -np.log(ps[t][targets[t], 0])
    dWxh, dWhh, dWhy = np.zeros_like(Wxh), np.zeros_like(Whh), np.zeros_like(Why)
    dbh, dby = np.zeros_like(bh), np.zeros_like(by)
    dhnext = np.zeros_like(hs[0])
    for t in reversed(range(len(inputs))):
        dy = np.copy(ps[t])
        dy[targets[t]] -= 1
        dWhy += np.dot(dy, hs[t].T)
        dby += dy
        dh = np.dot(Why.T, dy) + dhnext
        dhraw = (1 - hs[t] * hs[t]) * dh
        dbh += dhraw
        dWxh += np.dot(dhraw, xs[t].T)
        dWhh += np.dot(dhraw, hs[t - 1].T)
        dhnext = np.dot(Whh.T, dhraw)
    if clip:
        for dparam in [dWxh, dWhh, dWhy, dbh, dby]:
            np.clip(dparam, -5, 5, out=dparam)
    return loss, dWxh, dWhh, dWhy, dbh, dby, hs[len(inputs) - 1]


def to_book(params):
    """The same parameters as a :mod:`rnnbook.lm` dict (row-vector convention)."""
    Wxh, Whh, Why, bh, by = params
    return {"W_xh": Wxh.T.copy(), "W_hh": Whh.T.copy(), "b_h": bh[:, 0].copy(),
            "W_hq": Why.T.copy(), "b_q": by[:, 0].copy()}


class MinCharRNN:
    """min-char-rnn's model and training loop over a list of character ids."""

    def __init__(self, vocab_size, seed=0, hidden_size=HIDDEN):
        rng = np.random.RandomState(seed)          # the original uses np.random.randn
        H, V = hidden_size, vocab_size
        self.params = (rng.randn(H, V) * 0.01, rng.randn(H, H) * 0.01,
                       rng.randn(V, H) * 0.01, np.zeros((H, 1)), np.zeros((V, 1)))
        self.mem = tuple(np.zeros_like(p) for p in self.params)
        self.n, self.p = 0, 0
        self.hprev = np.zeros((H, 1))
        self.smooth_loss = -np.log(1.0 / V) * SEQ_LENGTH

    def train(self, data, cpu_seconds):
        """Train on ``data`` (list of ids) for ``cpu_seconds`` of process CPU time.

        Returns the number of characters trained on (``seq_length`` per iteration).
        """
        start, chars = time.process_time(), 0
        Wxh, Whh, Why, bh, by = self.params
        while time.process_time() - start < cpu_seconds:
            if self.p + SEQ_LENGTH + 1 >= len(data) or self.n == 0:
                self.hprev = np.zeros_like(self.hprev)
                self.p = 0
            inputs = data[self.p:self.p + SEQ_LENGTH]
            targets = data[self.p + 1:self.p + SEQ_LENGTH + 1]
            loss, dWxh, dWhh, dWhy, dbh, dby, self.hprev = loss_fun(
                self.params, inputs, targets, self.hprev)
            self.smooth_loss = self.smooth_loss * 0.999 + loss * 0.001
            for param, dparam, mem in zip(self.params, [dWxh, dWhh, dWhy, dbh, dby],
                                          self.mem):
                mem += dparam * dparam
                param += -LEARNING_RATE * dparam / np.sqrt(mem + 1e-8)
            self.p += SEQ_LENGTH
            self.n += 1
            chars += SEQ_LENGTH
        return chars
