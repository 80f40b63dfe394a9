"""Tests of rnnbook.tasks: shapes, determinism, targets recomputed from x, baselines."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.tasks import (ADDING_SUCCESS_THRESHOLD, adding_constant_baseline,
                           adding_problem, delayed_recall, narma10, temporal_order)


@settings(deadline=None)
@given(N=dims(1, 5), T=dims(10, 60), seed=st.integers(0, 10**6))
def test_adding_shapes_and_target_from_x(N, T, seed):
    x, y = adding_problem(N, T, np.random.default_rng(seed))
    assert x.shape == (N, T, 2) and y.shape == (N, 1)
    values, markers = x[..., 0], x[..., 1]
    assert np.all(np.abs(values) <= 1.0)
    for n in range(N):
        marked = np.flatnonzero(markers[n] == 1.0)
        assert len(marked) == 2
        assert marked.min() < 10                    # one of the first ten
        assert marked.max() < max(10, T // 2)
        # first and last step carry -1 unless marked
        for end in (0, T - 1):
            assert markers[n, end] in (-1.0, 1.0)
        others = np.setdiff1d(np.arange(T), np.r_[marked, 0, T - 1])
        assert np.all(markers[n, others] == 0.0)
        if 0 in marked:
            assert values[n, 0] == 0.0
        expect = 0.5 + values[n, marked].sum() / 4.0
        assert y[n, 0] == pytest.approx(expect, abs=1e-15)


def test_adding_deterministic_and_marker_distribution():
    a = adding_problem(7, 30, np.random.default_rng(3))
    b = adding_problem(7, 30, np.random.default_rng(3))
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    x, _ = adding_problem(20000, 40, np.random.default_rng(1))
    marked = np.argwhere(x[..., 1] == 1.0)[:, 1]
    assert marked.max() <= 40 // 2 - 1


def test_adding_constant_predictor_baseline():
    _, y = adding_problem(50_000, 40, np.random.default_rng(0))
    mse, success = adding_constant_baseline(y)
    # Var(y) = 2 * (1/3) / 16 = 1/24 (slightly less because X = 0 when step 0 is marked)
    assert abs(mse - 1 / 24) < 0.003
    # P(|X1 + X2| < 0.16) = 0.1536 for two U[-1, 1]; 0.16 if one of them is 0
    assert 0.145 < success < 0.165
    assert ADDING_SUCCESS_THRESHOLD == 0.04


@settings(deadline=None)
@given(N=dims(1, 5), T=dims(10, 120), seed=st.integers(0, 10**6))
def test_temporal_order_from_x(N, T, seed):
    x, y = temporal_order(N, T, np.random.default_rng(seed))
    assert x.shape == (N, T, 8) and y.shape == (N,)
    assert np.all(x.sum(-1) == 1.0)
    sym = x.argmax(-1)
    assert np.all(sym[:, 0] == 7) and np.all(sym[:, -1] == 6)
    for n in range(N):
        pos = np.flatnonzero((sym[n] == 4) | (sym[n] == 5))
        assert len(pos) == 2
        t1, t2 = pos
        assert T // 10 <= t1 <= T // 5 and T // 2 <= t2 <= (6 * T) // 10
        assert y[n] == 2 * (sym[n, t1] - 4) + (sym[n, t2] - 4)
    assert np.all((y >= 0) & (y < 4))


def test_temporal_order_paper_windows_and_balance():
    x, y = temporal_order(4000, 100, np.random.default_rng(2))
    sym = x.argmax(-1)
    rel = np.argwhere(sym >= 4)
    rel = rel[(sym[rel[:, 0], rel[:, 1]] <= 5)]
    assert rel[:, 1].min() == 10 and rel[:, 1].max() == 60
    counts = np.bincount(y, minlength=4) / len(y)
    assert np.all(np.abs(counts - 0.25) < 0.03)


@settings(deadline=None)
@given(N=dims(1, 5), lag=st.integers(1, 30), S=st.integers(2, 6),
       seed=st.integers(0, 10**6))
def test_delayed_recall(N, lag, S, seed):
    x, y = delayed_recall(N, lag, np.random.default_rng(seed), n_symbols=S)
    assert x.shape == (N, lag + 1, S + 1) and y.shape == (N,)
    assert np.array_equal(x[:, 0, :S].argmax(-1), y)
    assert np.all(x[:, lag, S] == 1.0)
    assert np.all(x[:, 1:lag].sum() == 0.0)
    assert np.all(x[:, 0, S] == 0.0) or lag == 0


def test_narma10_recurrence_and_range():
    u, y = narma10(2000, np.random.default_rng(0))
    assert u.shape == (2000,) and y.shape == (2000,)
    assert np.all((u >= 0) & (u <= 0.5))
    # independent recomputation of s_{t+1} from the s-sequence (s_0 = 0, y_t = s_{t+1})
    s = np.concatenate([[0.0], y])
    for t in range(2000):
        hist = sum(s[t - i] for i in range(10) if t - i >= 0)
        u9 = u[t - 9] if t >= 9 else 0.0
        assert s[t + 1] == pytest.approx(0.3 * s[t] + 0.05 * s[t] * hist
                                         + 1.5 * u9 * u[t] + 0.1, rel=1e-12)
    u2, y2 = narma10(2000, np.random.default_rng(0))
    assert np.array_equal(u, u2) and np.array_equal(y, y2)
    assert np.all(np.isfinite(y)) and y.max() < 1.5


@pytest.mark.parametrize("call, name", [
    (lambda r: adding_problem(0, 20, r), "N"),
    (lambda r: adding_problem(4, 5, r), "T"),
    (lambda r: adding_problem(4, 20.0, r), "T"),
    (lambda r: adding_problem(4, 20, 3), "rng"),
    (lambda r: temporal_order(4, 3, r), "T"),
    (lambda r: delayed_recall(4, 0, r), "lag"),
    (lambda r: delayed_recall(4, 3, r, n_symbols=1), "n_symbols"),
    (lambda r: narma10(-1, r), "T"),
])
def test_bad_arguments_name_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call(np.random.default_rng(0))


# --- copying memory (Arjovsky et al. 2016)
from rnnbook.tasks import copying_baseline, copying_memory  # noqa: E402


@pytest.mark.parametrize("T", [1, 5, 100])
def test_copying_memory_layout(T):
    x, y = copying_memory(7, T, np.random.default_rng(T))
    L = T + 20
    assert x.shape == (7, L, 10) and y.shape == (7, L)
    sym = x.argmax(axis=-1)
    assert np.all(x.sum(axis=-1) == 1.0)                    # one-hot
    data = sym[:, :10]
    assert data.min() >= 1 and data.max() <= 8
    assert np.all(sym[:, 10:T + 9] == 0)                   # T - 1 blanks
    assert np.all(sym[:, T + 9] == 9)                      # the delimiter
    assert np.all(sym[:, T + 10:] == 0)
    assert np.all(y[:, :T + 10] == 0) and np.array_equal(y[:, T + 10:], data)
    x2, y2 = copying_memory(7, T, np.random.default_rng(T))
    assert np.array_equal(x, x2) and np.array_equal(y, y2)


def test_copying_baseline_is_the_memoryless_cross_entropy():
    T = 30
    assert copying_baseline(T) == pytest.approx(10 * np.log(8) / (T + 20), rel=1e-15)
    # the memoryless strategy: blank (p = 1) until the delimiter, then uniform on 1..8
    _, y = copying_memory(4000, T, np.random.default_rng(0))
    p = np.zeros(y.shape + (9,))
    p[:, :T + 10, 0] = 1.0
    p[:, T + 10:, 1:] = 1.0 / 8
    ce = -np.log(np.take_along_axis(p, y[..., None], axis=-1)[..., 0])
    assert ce.mean() == pytest.approx(copying_baseline(T), rel=1e-12)


def test_copying_bad_arguments():
    with pytest.raises(ValueError, match="^T"):
        copying_memory(2, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="^rng"):
        copying_memory(2, 3, 0)
