"""Text for language models: vocabularies, one-hot vectors, batches, sampling, bits.

The pieces of an RNN language model that do not depend on the cell:

* :class:`Vocabulary` numbers the tokens (characters or words), optionally with the
  start and end tokens ``<s>`` and ``</s>`` (as in Han Bingtao's tutorial);
* :func:`one_hot` turns ids into one-hot vectors v with v_j = 1 if j = i else 0;
* :func:`start_end_pairs` builds the (input, target) pairs of a sentence:
  inputs ``<s> w_1 ... w_n``, targets ``w_1 ... w_n </s>``;
* :func:`tbptt_batches` cuts one long stream into N parallel rows and T-step chunks,
  so that chunk k+1 of row n continues chunk k of row n and the hidden state can be
  carried across chunks (truncated BPTT);
* :func:`softmax_temperature` / :func:`sample_next` draw the next token at a temperature;
* :func:`bits_per_character` converts a mean cross-entropy in nats to bits.
"""
from __future__ import annotations

import math

import numpy as np

from ._validation import (check_array, check_finite_scalar, check_positive_int, check_rng,
                          check_sequence)
from .losses import softmax

__all__ = ["Vocabulary", "one_hot", "start_end_pairs", "tbptt_batches",
           "softmax_temperature", "sample_next", "bits_per_character", "perplexity",
           "coloured_text_html"]

START, END = "<s>", "</s>"


class Vocabulary:
    """A numbering of tokens: ``token -> id`` and back.

    Parameters
    ----------
    tokens : iterable of str
        The tokens of a corpus (characters of a string, or words). Duplicates are
        removed; the ids follow sorted order, so the numbering is reproducible.
    specials : tuple of str
        Extra tokens put first, e.g. ``("<s>", "</s>")``.

    Examples
    --------
    >>> vocab = Vocabulary("hello")
    >>> vocab.tokens
    ('e', 'h', 'l', 'o')
    >>> vocab.encode("hell").tolist()
    [1, 0, 2, 2]
    """

    def __init__(self, tokens, specials=()):
        specials = tuple(specials)
        rest = sorted(set(tokens) - set(specials))
        self.tokens = specials + tuple(rest)
        self.index = {tok: i for i, tok in enumerate(self.tokens)}
        if not self.tokens:
            raise ValueError("tokens is empty; expected at least one token")

    def __len__(self):
        return len(self.tokens)

    @property
    def V(self):
        """The vocabulary size V."""
        return len(self.tokens)

    def encode(self, tokens):
        """ids (L,) int ndarray of a sequence of tokens (a string is a sequence of chars)."""
        try:
            return np.array([self.index[t] for t in tokens], dtype=np.int64)
        except KeyError as exc:
            raise ValueError(f"tokens contains {exc.args[0]!r}, which is not in the "
                             f"vocabulary of {self.V} tokens") from None

    def decode(self, ids, sep=""):
        """The tokens of ``ids`` joined with ``sep`` (a string for characters)."""
        ids = np.asarray(ids)
        if ids.size and (ids.min() < 0 or ids.max() >= self.V):
            raise ValueError(f"ids has values in [{ids.min()}, {ids.max()}]; expected "
                             f"ids in [0, {self.V})")
        return sep.join(self.tokens[int(i)] for i in ids.reshape(-1))

    def __repr__(self):
        shown = ", ".join(repr(t) for t in self.tokens[:8])
        return f"Vocabulary(V={self.V}: {shown}{', ...' if self.V > 8 else ''})"


def _check_ids(name, ids, V=None):
    """Integer token ids >= 0 (and < V when V is given); negative ids are never
    read from the end of the vocabulary."""
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise ValueError(f"{name} has dtype {ids.dtype}; expected integer token ids")
    if ids.size and ids.min() < 0:
        raise ValueError(f"{name} has values in [{ids.min()}, {ids.max()}]; expected "
                         "token ids >= 0")
    if V is not None and ids.size and ids.max() >= V:
        raise ValueError(f"{name} has values in [{ids.min()}, {ids.max()}]; expected "
                         f"ids in [0, {V}) with V = {V}")
    return ids


def one_hot(ids, V, dtype=np.float64):
    """One-hot vectors: ``out[..., j] = 1`` where ``j = ids[...]``, else 0.

    Parameters
    ----------
    ids : (...) int ndarray
        Token ids in [0, V), any shape, e.g. (N, T).
    V : int
        Vocabulary size.

    Returns
    -------
    (..., V) ndarray
    """
    V = check_positive_int("V", V)
    ids = _check_ids("ids", ids, V)
    out = np.zeros(ids.shape + (V,), dtype=dtype)
    np.put_along_axis(out, ids[..., None], 1.0, axis=-1)
    return out


def start_end_pairs(tokens, start=START, end=END):
    """Training pairs as in Han Bingtao's tutorial: predict every token, then the end of the sentence.

    ``tokens = [w1, w2, w3]`` gives ``inputs = [<s>, w1, w2, w3]`` and
    ``targets = [w1, w2, w3, </s>]``: at each step the target is the next token.
    """
    tokens = check_sequence("tokens", tokens,
                            "a sequence of tokens (a list of words or ids, or a string)")
    return [start] + tokens, tokens + [end]


def tbptt_batches(ids, N, T, V=None):
    """Cut one token stream into N parallel rows and chunks of T steps.

    The stream is split into N contiguous rows of equal length; chunk k of row n is
    ``rows[n, kT : (k+1)T]`` and its targets are the next tokens. Chunk k+1 of row n
    starts exactly where chunk k of row n stopped, so the final hidden state of one
    chunk is the correct initial state of the next one (truncated BPTT with
    k1 = k2 = T).

    Parameters
    ----------
    ids : (L,) int ndarray
        The token stream.
    N : int
        Number of parallel rows (the batch size).
    T : int
        Chunk length (the truncation length).
    V : int, optional
        Vocabulary size: when given, every id must be in [0, V). Ids are always
        checked to be >= 0.

    Returns
    -------
    inputs : (K, N, T) int ndarray
    targets : (K, N, T) int ndarray
        ``targets[k, n, t]`` is the token after ``inputs[k, n, t]`` in the stream.
        K = ((L - 1) // N) // T chunks; the tail that does not fill a chunk is dropped.
    """
    if V is not None:
        V = check_positive_int("V", V)
    ids = _check_ids("ids", ids, V)
    if ids.ndim != 1:
        raise ValueError(f"ids has shape {ids.shape}; expected (L,)")
    N = check_positive_int("N", N)
    T = check_positive_int("T", T)
    row = (ids.size - 1) // N
    K = row // T
    if K <= 0:                                 # also an empty stream: row = K = -1
        raise ValueError(f"ids has length {ids.size}; expected at least N*T + 1 = "
                         f"{N * T + 1} tokens for one chunk with N = {N}, T = {T}")
    x = ids[:N * row].reshape(N, row)[:, :K * T]
    y = ids[1:N * row + 1].reshape(N, row)[:, :K * T]
    return (x.reshape(N, K, T).transpose(1, 0, 2).copy(),
            y.reshape(N, K, T).transpose(1, 0, 2).copy())


def softmax_temperature(logits, temperature=1.0):
    """softmax(logits / temperature) along the last axis.

    temperature -> 0 approaches the one-hot of the argmax (greedy); temperature = 1
    is the model's distribution; temperature > 1 flattens it towards uniform.

    The maximum is subtracted *before* dividing by the temperature: the shifted
    logits are <= 0, so dividing by a small temperature overflows at worst to -inf,
    never to inf - inf = NaN; such a value is replaced by the most negative float,
    whose exponential is the same zero probability (the book's softmax accepts only
    finite logits).
    """
    logits = check_array("logits", logits, tuple(f"d{i}" for i in range(np.ndim(logits))))
    if logits.ndim == 0 or logits.shape[-1] == 0:
        raise ValueError(f"logits has shape {logits.shape}; expected (..., V) with V >= 1")
    temperature = check_finite_scalar("temperature", temperature, low=1e-6)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    with np.errstate(over="ignore"):
        shifted /= temperature
    np.maximum(shifted, np.finfo(shifted.dtype).min, out=shifted)     # -inf -> exp = 0
    return softmax(shifted)


def sample_next(logits, temperature, rng):
    """Draw one id per row from softmax(logits / temperature).

    Parameters
    ----------
    logits : (N, V) ndarray
        Scores of V >= 1 tokens for each of N rows (any V: the row's length is the
        number of tokens to choose from).
    temperature : float > 0
    rng : numpy.random.Generator

    Returns
    -------
    (N,) int ndarray
    """
    logits = check_array("logits", logits, ("N", "V"))
    check_rng(rng)
    p = softmax_temperature(logits, temperature)
    if not np.all(np.isfinite(p)):             # cannot happen for finite logits; never
        raise ValueError("softmax(logits / temperature) is not finite")   # return id 0
    u = rng.random((p.shape[0], 1))
    ids = (np.cumsum(p, axis=1) < u).sum(axis=1)          # inverse-CDF sampling
    return np.minimum(ids, p.shape[1] - 1).astype(np.int64)


def bits_per_character(mean_nll):
    """Mean cross-entropy in nats per character -> bits per character (divide by ln 2)."""
    return check_finite_scalar("mean_nll", mean_nll, low=0.0) / math.log(2.0)


def perplexity(mean_nll):
    """exp(mean cross-entropy in nats): the effective number of equally likely choices."""
    return math.exp(check_finite_scalar("mean_nll", mean_nll, low=0.0))


def coloured_text_html(text, values, vmax=None, title=""):
    """HTML of ``text`` with each character's background coloured by ``values`` (L,).

    Negative values are blue, positive ones orange (the book's Okabe-Ito colours),
    the intensity |v| / vmax (default: the largest |v|). Newlines are kept (the text
    is shown in a monospaced block); the result can be shown with
    ``IPython.display.HTML`` and renders the same in the static book.
    """
    import html

    values = check_array("values", values, ("L",))
    if values.shape[0] != len(text):
        raise ValueError(f"values has shape {values.shape}; expected ({len(text)},), one "
                         "value per character of text")
    vmax = float(np.abs(values).max()) if vmax is None else check_finite_scalar(
        "vmax", vmax, low=0.0)
    scale = values / vmax if vmax > 0 else np.zeros_like(values)
    spans = []
    for ch, v in zip(text, np.clip(scale, -1, 1)):
        rgb = (230, 159, 0) if v > 0 else (0, 114, 178)
        colour = f"rgba({rgb[0]},{rgb[1]},{rgb[2]},{abs(v):.2f})"
        shown = "\u21b5\n" if ch == "\n" else html.escape(ch)
        spans.append(f'<span style="background:{colour}">{shown}</span>')
    head = f"<div><b>{html.escape(title)}</b></div>" if title else ""
    return (f'<div class="rnnbook-units">{head}<pre style="font-family:monospace;'
            f'line-height:1.35;white-space:pre-wrap;color:#000;background:#fff">'
            + "".join(spans) + "</pre></div>")
