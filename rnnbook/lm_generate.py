"""Generating text with a language model of :mod:`rnnbook.lm`.

Read a prefix (the *prime*) from a zero state, then either sample each next token at a
temperature and feed it back in (:func:`lm_sample`), keep the most probable
continuations (:func:`lm_beam_search`, beam width 1 is greedy decoding), or just show
the next token's distribution (:func:`lm_next_probs`). Every name here is also
importable from :mod:`rnnbook.lm`.
"""
from __future__ import annotations

import numpy as np

from ._lm_params import _check_params, _split
from ._validation import check_positive_int
from .cells import cell_forward, final_state
from .losses import log_softmax
from .text import _check_ids, one_hot, sample_next, softmax_temperature

__all__ = ["lm_next_probs", "lm_sample", "lm_beam_search"]


def _step(params, cell, ids, state):
    """Read one token per row: ids (B,) -> new state ((B, H), c)."""
    V = params["W_hq"].shape[1]
    _, cache = cell_forward(cell, one_hot(ids[:, None], V, dtype=params["W_hq"].dtype),
                            _split(params, cell), *state)
    return final_state(cache)


def _read(params, cell, prefix_ids, name="prefix_ids"):
    """The state after reading ``prefix_ids`` (L,) from zeros; errors call it ``name``."""
    _, V = _check_params(params, cell)
    prefix_ids = _check_ids(name, prefix_ids, V)
    if prefix_ids.ndim != 1 or prefix_ids.size == 0:
        raise ValueError(f"{name} has shape {prefix_ids.shape}; expected (L,) with L >= 1")
    _, cache = cell_forward(cell, one_hot(prefix_ids[None], V, dtype=params["W_hq"].dtype),
                            _split(params, cell))
    return final_state(cache)


def lm_next_probs(params, cell, prefix_ids, temperature=1.0):
    """Distribution of the next token after reading ``prefix_ids`` (L,), shape (V,)."""
    h, _ = _read(params, cell, prefix_ids)
    return softmax_temperature(h[0] @ params["W_hq"] + params["b_q"], temperature)


def lm_sample(params, cell, prime_ids, n, temperature, rng):
    """Generate ``n`` tokens after ``prime_ids`` (L,), feeding each sample back in.

    Returns
    -------
    (n,) int ndarray
    """
    n = check_positive_int("n", n)
    state = _read(params, cell, prime_ids, "prime_ids")
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        logits = state[0] @ params["W_hq"] + params["b_q"]     # (1, V)
        out[i] = sample_next(logits, temperature, rng)[0]
        state = _step(params, cell, out[i:i + 1], state)
    return out


def lm_beam_search(params, cell, prime_ids, n, beam_width=5):
    """The (approximately) most probable continuation of ``n`` tokens.

    Keeps the ``beam_width`` continuations with the highest log-probability after each
    step (beam_width = 1 is greedy decoding). Returns ``(ids (n,), log_prob)`` with
    ``log_prob`` the natural-log probability of the continuation given the prime.
    """
    n, B = check_positive_int("n", n), check_positive_int("beam_width", beam_width)
    h, c = _read(params, cell, prime_ids, "prime_ids")
    scores, seqs = np.zeros(1), np.zeros((1, 0), dtype=np.int64)
    for _ in range(n):
        logp = log_softmax(h @ params["W_hq"] + params["b_q"])    # (beams, V)
        total = (scores[:, None] + logp).reshape(-1)
        best = np.argsort(-total, kind="stable")[:B]
        parent, token = np.divmod(best, logp.shape[1])
        scores, seqs = total[best], np.concatenate([seqs[parent], token[:, None]], axis=1)
        h, c = _step(params, cell, token, (h[parent], None if c is None else c[parent]))
    return seqs[0], float(scores[0])
