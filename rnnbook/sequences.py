"""Small tools for the chapter on sequences: n-gram counts, a causal 1-D convolution,
and how far back an output of a recurrent or a convolutional layer can see.

* :func:`ngram_counts`: the distinct n-grams of a token list and how often each occurs;
* :func:`causal_conv1d`: o_t = sum_{j<k} x_{t-j} K_j + b, the time-delay network that
  shares its weights across time like an RNN but sees only k steps;
* :func:`input_sensitivity`: ||d out_{T-1} / d x_t|| for every t, for either layer.
"""
from __future__ import annotations

from collections import Counter

import numpy as np

from ._validation import check_array, check_choice, check_positive_int, check_sequence
from .rnn import rnn_backward, rnn_forward

__all__ = ["ngram_counts", "causal_conv1d", "input_sensitivity"]


def ngram_counts(tokens, n):
    """Counter of the n-grams (tuples of n consecutive tokens) of ``tokens``."""
    n = check_positive_int("n", n)
    tokens = check_sequence("tokens", tokens, "a sequence of tokens (a string or a list)")
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def causal_conv1d(x, K, b):
    """Causal 1-D convolution over time: o_t = sum_{j=0}^{k-1} x_{t-j} K_j + b.

    Steps before the start count as zeros. The same k (D, H) matrices are used at
    every step (weight sharing), but o_t depends on x_{t-k+1}, ..., x_t only.

    Parameters
    ----------
    x : (N, T, D) ndarray
    K : (k, D, H) ndarray
        K[j] multiplies the input j steps back.
    b : (H,) ndarray

    Returns
    -------
    o : (N, T, H) ndarray
    """
    dims = {}
    K = check_array("K", K, ("k", "D", "H"), dims=dims)
    b = check_array("b", b, ("H",), dims=dims)
    x = check_array("x", x, ("N", "T", "D"), dims=dims)
    k, T = K.shape[0], x.shape[1]
    o = np.broadcast_to(b, x.shape[:2] + (K.shape[2],)).copy()
    for j in range(min(k, T)):
        o[:, j:] += x[:, :T - j] @ K[j]
    return o


def input_sensitivity(kind, x, weights, activation="tanh"):
    """||d sum(out_{T-1}) / d x_t|| for t = 0..T-1 (Frobenius norm over the batch and D).

    Parameters
    ----------
    kind : {"rnn", "conv"}
    x : (N, T, D) ndarray
    weights : tuple
        ``(W_xh, W_hh, b_h)`` for "rnn" (h0 = 0), ``(K, b)`` for "conv".

    Returns
    -------
    (T,) ndarray
    """
    check_choice("kind", kind, ("rnn", "conv"))
    names, specs = {"rnn": (("W_xh", "W_hh", "b_h"), (("D", "H"), ("H", "H"), ("H",))),
                    "conv": (("K", "b"), (("k", "D", "H"), ("H",)))}[kind]
    if not isinstance(weights, (tuple, list)) or len(weights) != len(names):
        got = (f"a {type(weights).__name__} of length {len(weights)}"
               if isinstance(weights, (tuple, list)) else f"{type(weights).__name__} "
               f"{weights!r:.40}")
        raise ValueError(f"weights is {got}; expected the tuple ({', '.join(names)}) "
                         f"for kind = {kind!r}")
    dims = {}
    weights = [check_array(f"weights[{i}]", w, spec, dims=dims, note=f"for {n}")
               for i, (n, w, spec) in enumerate(zip(names, weights, specs))]
    x = check_array("x", x, ("N", "T", "D"), dims=dims)
    if kind == "rnn":
        W_xh, W_hh, b_h = weights
        h, cache = rnn_forward(x, np.zeros((x.shape[0], W_hh.shape[0])), W_xh, W_hh, b_h,
                               activation)
        dh = np.zeros_like(h)
        dh[:, -1] = 1.0
        dx = rnn_backward(dh, cache)[0]
    else:
        K, b = weights
        k, T = K.shape[0], x.shape[1]
        dx = np.zeros_like(x)
        for j in range(min(k, T)):           # out_{T-1} sees x_{T-1-j} through K[j]
            dx[:, T - 1 - j] = np.ones((x.shape[0], K.shape[2])) @ K[j].T
    return np.sqrt(np.sum(dx ** 2, axis=(0, 2)))
