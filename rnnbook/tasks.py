"""Synthetic sequence tasks with long-range dependencies, generated locally.

All generators take an explicit ``rng`` (a ``numpy.random.Generator``), so a task
drawn twice from ``np.random.default_rng(seed)`` is identical::

    rng = np.random.default_rng(0)
    x, y = adding_problem(N=64, T=50, rng=rng)        # x (64, 50, 2), y (64, 1)

=================  ========================================  ===========================
task               source                                    output
=================  ========================================  ===========================
adding_problem     Hochreiter & Schmidhuber (1997), Exp. 4   x (N, T, 2), y (N, 1)
temporal_order     Hochreiter & Schmidhuber (1997), Exp. 6a  x (N, T, 8), y (N,) int
delayed_recall     a cue to remember for ``lag`` steps       x (N, lag+1, S+1), y (N,)
copying_memory     Arjovsky, Shah & Bengio (2016), Sec. 4.1  x (N, T+20, 10), y (N, T+20)
narma10            Atiya & Parlos (2000), reservoir form     u (T,), y (T,)
=================  ========================================  ===========================

References
----------
S. Hochreiter, J. Schmidhuber (1997). Long short-term memory. Neural Computation
9(8), 1735-1780. Experiment 4 (adding problem) and Experiment 6a (temporal order).
M. Arjovsky, A. Shah, Y. Bengio (2016). Unitary evolution recurrent neural networks.
ICML. Section 4.1 (copying memory problem).
A. F. Atiya, A. G. Parlos (2000). New results on recurrent network training: unifying
the algorithms and accelerating convergence. IEEE Trans. Neural Networks 11(3).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_finite_scalar, check_positive_int

__all__ = ["adding_problem", "adding_constant_baseline", "temporal_order",
           "TEMPORAL_ORDER_SYMBOLS", "delayed_recall", "narma10",
           "ADDING_SUCCESS_THRESHOLD", "copying_memory", "copying_baseline"]

#: A sequence of the adding problem counts as solved when |prediction - y| < 0.04.
ADDING_SUCCESS_THRESHOLD = 0.04

#: Channel order of the one-hot inputs of :func:`temporal_order`.
TEMPORAL_ORDER_SYMBOLS = ("a", "b", "c", "d", "X", "Y", "B", "E")


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng is {type(rng).__name__}; expected a numpy.random.Generator "
                         "(e.g. np.random.default_rng(0))")
    return rng


def adding_problem(N, T, rng):
    """The adding problem of Hochreiter & Schmidhuber (1997), Experiment 4.

    Each time step holds a pair (value, marker):

    * value: uniform in [-1, 1];
    * marker: 1.0 at exactly two positions, -1.0 at the first and the last position
      (unless marked), 0.0 elsewhere.

    The two marked positions are chosen as in the paper: the first one uniformly
    among the first ten steps (its value is X1); the second one uniformly among the
    first ``T // 2 - 1`` *still unmarked* steps (its value is X2). If step 0 gets
    marked, its value is set to 0 (the paper's "X1 is set to zero in the rare case
    where the first pair got marked"). The target is

        y = 0.5 + (X1 + X2) / 4.0                    (in [0, 1]),

    seen only at the end of the sequence. A sequence counts as processed correctly
    when the absolute error of the final output is below 0.04
    (:data:`ADDING_SUCCESS_THRESHOLD`).

    Baseline: the best constant prediction is 0.5 (the mean of y). It has mean
    squared error Var(y) = 1/24 ~ 0.042 and is "correct" whenever
    |X1 + X2| < 0.16, which for two independent U[-1, 1] values has probability
    0.1536 (0.16 when X1 = 0), so about 15.4 % of sequences; see
    :func:`adding_constant_baseline`. A model must beat this clearly to count as
    having learned anything.

    Deviation from the paper: the paper draws each sequence length uniformly in
    [T, T + T/10]; here every sequence has exactly length ``T`` so that a batch is one
    array. The marked positions depend on T only through T // 2, as in the paper.

    Parameters
    ----------
    N : int
        Number of sequences.
    T : int
        Sequence length, at least 10 (the first marker is among the first ten steps).
    rng : numpy.random.Generator

    Returns
    -------
    x : (N, T, 2) ndarray
        x[..., 0] the values, x[..., 1] the markers.
    y : (N, 1) ndarray
        The targets 0.5 + (X1 + X2) / 4.
    """
    N = check_positive_int("N", N)
    T = check_positive_int("T", T, minimum=10)
    rng = _check_rng(rng)
    values = rng.uniform(-1.0, 1.0, size=(N, T))
    markers = np.zeros((N, T))
    markers[:, 0] = -1.0
    markers[:, -1] = -1.0
    rows = np.arange(N)
    i1 = rng.integers(0, 10, size=N)
    # second marker: uniform among the first T//2 - 1 unmarked steps, i.e. among
    # positions {0, ..., T//2 - 1} without i1 (T//2 - 1 of them)
    n2 = T // 2 - 1
    r = rng.integers(0, n2, size=N)
    i2 = r + (r >= i1)                     # skip over i1
    markers[rows, i1] = 1.0
    markers[rows, i2] = 1.0
    first_marked = (i1 == 0) | (i2 == 0)
    values[first_marked, 0] = 0.0
    x = np.stack([values, markers], axis=-1)
    y = 0.5 + (values[rows, i1] + values[rows, i2]) / 4.0
    return x, y[:, None]


def adding_constant_baseline(y, threshold=ADDING_SUCCESS_THRESHOLD):
    """Mean squared error and success rate of the best constant predictor 0.5.

    Parameters
    ----------
    y : (N, 1) ndarray
        Targets of :func:`adding_problem`.
    threshold : float
        Success threshold on the absolute error.

    Returns
    -------
    mse : float
        mean((0.5 - y)^2) (about 1/24 = 0.042).
    success : float
        Fraction of sequences with |0.5 - y| < threshold (about 0.154).
    """
    y = check_array("y", y, ("N", 1))
    threshold = check_finite_scalar("threshold", threshold, low=0.0, open_low=True)
    err = 0.5 - y
    return float(np.mean(err ** 2)), float(np.mean(np.abs(err) < threshold))


def temporal_order(N, T, rng):
    """The temporal-order problem of Hochreiter & Schmidhuber (1997), Experiment 6a.

    An alphabet of 8 symbols, one-hot in the channel order
    :data:`TEMPORAL_ORDER_SYMBOLS` = (a, b, c, d, X, Y, B, E). As in the paper the
    sequence starts with E and ends with the trigger symbol B; every other step is a
    random distractor from {a, b, c, d}, except two steps t1 and t2 that hold X or Y
    (each independently with probability 1/2). The class is the order of the two
    relevant symbols: XX -> 0, XY -> 1, YX -> 2, YY -> 3 (the paper's Q, R, S, U).

    The paper uses lengths 100-110 with t1 in [10, 20] and t2 in [50, 60]. Here the
    length is exactly ``T`` and the windows scale with it: t1 uniform in
    [T//10, T//5] and t2 uniform in [T//2, (6*T)//10] (0-based indices), which are
    the paper's windows for T = 100.

    Parameters
    ----------
    N : int
        Number of sequences.
    T : int
        Sequence length, at least 10.
    rng : numpy.random.Generator

    Returns
    -------
    x : (N, T, 8) ndarray
        One-hot symbols.
    y : (N,) ndarray of int
        Class in {0, 1, 2, 3}.
    """
    N = check_positive_int("N", N)
    T = check_positive_int("T", T, minimum=10)
    rng = _check_rng(rng)
    sym = rng.integers(0, 4, size=(N, T))          # distractors a, b, c, d
    sym[:, 0] = 7                                  # E starts
    sym[:, -1] = 6                                 # trigger B ends
    rows = np.arange(N)
    t1 = rng.integers(T // 10, T // 5 + 1, size=N)
    t2 = rng.integers(T // 2, (6 * T) // 10 + 1, size=N)
    s1 = rng.integers(0, 2, size=N)                # 0 = X, 1 = Y
    s2 = rng.integers(0, 2, size=N)
    sym[rows, t1] = 4 + s1
    sym[rows, t2] = 4 + s2
    x = np.eye(8)[sym]
    y = (2 * s1 + s2).astype(np.int64)
    return x, y


def delayed_recall(N, lag, rng, n_symbols=4):
    """Remember a cue for ``lag`` steps, then report it.

    Step 0 holds a one-hot cue among ``n_symbols`` symbols, steps 1 .. lag-1 are
    blank (all zeros), and step ``lag`` raises the recall flag (the last channel).
    The target is the cue. Chance accuracy is 1 / n_symbols.

    Parameters
    ----------
    N : int
        Number of sequences.
    lag : int
        Steps between the cue and the recall flag (>= 1); the length is lag + 1.
    rng : numpy.random.Generator
    n_symbols : int
        Number of cue symbols S (>= 2).

    Returns
    -------
    x : (N, lag + 1, n_symbols + 1) ndarray
    y : (N,) ndarray of int in [0, n_symbols)
    """
    N = check_positive_int("N", N)
    lag = check_positive_int("lag", lag)
    n_symbols = check_positive_int("n_symbols", n_symbols, minimum=2)
    rng = _check_rng(rng)
    y = rng.integers(0, n_symbols, size=N).astype(np.int64)
    x = np.zeros((N, lag + 1, n_symbols + 1))
    x[np.arange(N), 0, y] = 1.0
    x[:, lag, n_symbols] = 1.0
    return x, y


def copying_memory(N, T, rng, n_copy=10, n_symbols=8):
    """The copying-memory problem of Arjovsky, Shah & Bengio (2016), Section 4.1.

    Categories 0 .. n_symbols + 1: 0 is the blank, 1 .. n_symbols the data symbols,
    n_symbols + 1 the delimiter. The input (length T + 2 n_copy) is ``n_copy`` symbols
    drawn uniformly from 1 .. n_symbols, then T - 1 blanks, the delimiter, and
    ``n_copy`` blanks. The target is blank for the first T + n_copy steps, then the
    ``n_copy`` symbols in order. With the paper's n_copy = 10, n_symbols = 8 the
    sequence has length T + 20 and the delimiter arrives T + 9 steps after the first
    symbol.

    Memoryless baseline (the paper's): predict the blank until the delimiter, then
    the uniform distribution over the n_symbols symbols; its cross-entropy per step
    is n_copy log(n_symbols) / (T + 2 n_copy), :func:`copying_baseline`.

    Returns
    -------
    x : (N, T + 2 n_copy, n_symbols + 2) ndarray
        One-hot inputs.
    y : (N, T + 2 n_copy) ndarray of int in [0, n_symbols]
        Targets (categories 0 .. n_symbols: the delimiter is never a target).
    """
    N = check_positive_int("N", N)
    T = check_positive_int("T", T)
    n_copy = check_positive_int("n_copy", n_copy)
    n_symbols = check_positive_int("n_symbols", n_symbols, minimum=2)
    rng = _check_rng(rng)
    L = T + 2 * n_copy
    data = rng.integers(1, n_symbols + 1, size=(N, n_copy))
    seq = np.zeros((N, L), dtype=np.int64)
    seq[:, :n_copy] = data
    seq[:, T + n_copy - 1] = n_symbols + 1
    y = np.zeros((N, L), dtype=np.int64)
    y[:, T + n_copy:] = data
    return np.eye(n_symbols + 2)[seq], y


def copying_baseline(T, n_copy=10, n_symbols=8):
    """Cross-entropy per time step of the memoryless strategy (Arjovsky et al. 2016):
    n_copy log(n_symbols) / (T + 2 n_copy), i.e. 10 log 8 / (T + 20) by default."""
    T = check_positive_int("T", T)
    n_copy = check_positive_int("n_copy", n_copy)
    n_symbols = check_positive_int("n_symbols", n_symbols, minimum=2)
    return n_copy * float(np.log(n_symbols)) / (T + 2 * n_copy)


def narma10(T, rng, max_tries=100):
    """The NARMA10 benchmark (Atiya & Parlos 2000, form used in reservoir computing).

    Input u_t uniform in [0, 0.5]; the system

        s_{t+1} = 0.3 s_t + 0.05 s_t sum_{i=0}^{9} s_{t-i} + 1.5 u_{t-9} u_t + 0.1

    started from s = 0 (terms with negative indices are 0). The returned target is
    aligned with the input a model has seen: ``y[t] = s_{t+1}``, which depends on
    u_0 .. u_t only, i.e.

        y_t = 0.3 y_{t-1} + 0.05 y_{t-1} sum_{i=0}^{9} y_{t-1-i} + 1.5 u_{t-9} u_t + 0.1.

    This system occasionally diverges for an unlucky input; a draw whose output is
    non-finite or leaves [0, 1.5] is discarded and a new input is drawn (at most
    ``max_tries`` times; the draws consumed from ``rng`` are therefore not a fixed
    number, but the result is still deterministic for a seeded rng).

    Parameters
    ----------
    T : int
        Length (>= 1).
    rng : numpy.random.Generator
    max_tries : int

    Returns
    -------
    u : (T,) ndarray
    y : (T,) ndarray
    """
    T = check_positive_int("T", T)
    max_tries = check_positive_int("max_tries", max_tries)
    rng = _check_rng(rng)
    for _ in range(max_tries):
        u = rng.uniform(0.0, 0.5, size=T)
        y = np.zeros(T)
        ok = True
        for t in range(T):
            prev = y[t - 1] if t >= 1 else 0.0
            window = y[max(0, t - 10):t].sum()          # y_{t-1} ... y_{t-10}
            u_lag = u[t - 9] if t >= 9 else 0.0
            y[t] = 0.3 * prev + 0.05 * prev * window + 1.5 * u_lag * u[t] + 0.1
            if not (0.0 <= y[t] <= 1.5):
                ok = False
                break
        if ok:
            return u, y
    raise RuntimeError(f"narma10 diverged in {max_tries} draws; try another rng")
