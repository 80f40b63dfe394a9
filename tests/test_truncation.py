"""Truncated BPTT in ``rnn_backward(dh, cache, truncate=k)`` against independent references.

The semantics (CONVENTIONS, BOOK_PLAN section 4): the loss term at step t backpropagates
through steps t, t-1, ..., t-k+1 only; h_{t-k} is a constant. Reference: PyTorch autograd,
where for every loss step t the network is rerun from ``h_{t-k}.detach()`` (or from h0
when the window reaches the start) and only ``<dh_t, h_t>`` is backpropagated.
The finite-difference check of the same truncated objective lives in tests/test_rnn.py.
"""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import rel_error
from rnnbook.rnn import rnn_backward, rnn_forward

try:
    import torch
except ImportError:                    # only the tests marked needs_torch need it
    torch = None
needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")

TORCH_ACT = {} if torch is None else {"tanh": torch.tanh, "sigmoid": torch.sigmoid,
                                      "relu": torch.relu, "identity": lambda a: a}


def make(N=2, T=6, D=3, H=4, seed=0, scale=0.6):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    W_xh = scale * rng.standard_normal((D, H))
    W_hh = scale * rng.standard_normal((H, H))
    b_h = 0.1 * rng.standard_normal(H)
    dh = rng.standard_normal((N, T, H))
    return x, h0, W_xh, W_hh, b_h, dh


def torch_truncated(x, h0, W_xh, W_hh, b_h, dh, k, act="tanh"):
    """sum_t d<dh_t, h_t>/d(inputs), each term rerun from the detached state h_{t-k}."""
    torch.set_default_dtype(torch.float64)
    f = TORCH_ACT[act]
    N, T, D = x.shape
    tx = torch.tensor(x, requires_grad=True)
    th0 = torch.tensor(h0, requires_grad=True)
    tW_xh = torch.tensor(W_xh, requires_grad=True)
    tW_hh = torch.tensor(W_hh, requires_grad=True)
    tb_h = torch.tensor(b_h, requires_grad=True)
    tdh = torch.tensor(dh)
    with torch.no_grad():                       # the states of the full forward pass
        states, hp = [], th0
        for t in range(T):
            hp = f(tx[:, t] @ tW_xh + hp @ tW_hh + tb_h)
            states.append(hp)
    window = T if k is None else k
    for t in range(T):
        s0 = max(0, t - window + 1)             # first step of this term's window
        hp = th0 if s0 == 0 else states[s0 - 1].detach()
        for s in range(s0, t + 1):
            hp = f(tx[:, s] @ tW_xh + hp @ tW_hh + tb_h)
        (tdh[:, t] * hp).sum().backward()
    return [v.grad.numpy() for v in (tx, th0, tW_xh, tW_hh, tb_h)]


def check_against_torch(args, k, act="tanh", tol=1e-10):
    x, h0, W_xh, W_hh, b_h, dh = args
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    ours = rnn_backward(dh, cache, truncate=k)
    ref = torch_truncated(x, h0, W_xh, W_hh, b_h, dh, k, act)
    names = ("dx", "dh0", "dW_xh", "dW_hh", "db_h")
    for name, a, b in zip(names, ours, ref):
        err = rel_error(a, b) if np.any(b) or np.any(a) else 0.0
        assert err < tol, (name, k, err)
    return ours


@needs_torch
@pytest.mark.parametrize("act", ["tanh", "sigmoid", "identity"])
@pytest.mark.parametrize("k", [1, 2, 3, 5, 6, 7, 50])       # T = 6: 1, T-1, T, > T
def test_truncated_matches_torch_detached(act, k):
    check_against_torch(make(T=6, seed=k), k, act)


@needs_torch
@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 7), D=dims(1, 3), H=dims(1, 4),
       k_offset=st.integers(-6, 2), seed=st.integers(0, 2**16))
def test_truncated_matches_torch_hypothesis(N, T, D, H, k_offset, seed):
    k = max(1, T + k_offset)                     # covers 1, ..., T-1, T, T+1, T+2
    check_against_torch(make(N, T, D, H, seed=seed), k)


@needs_torch
@pytest.mark.parametrize("T", [1, 2, 7])
def test_k_at_least_T_equals_full_and_none(T):
    args = make(T=T, seed=T)
    x, h0, W_xh, W_hh, b_h, dh = args
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    full = rnn_backward(dh, cache)
    ref = torch_truncated(*args, None)
    for a, b in zip(full, ref):
        assert rel_error(a, b) < 1e-10
    for k in (T, T + 1, 10 * T):
        for a, b in zip(full, rnn_backward(dh, cache, truncate=k)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@needs_torch
def test_increments_are_the_lag_k_paths():
    """With a single loss term, every extra step of depth adds a non-zero path (the part
    of the gradient that travels exactly k-1 steps back), and each g(k) matches torch."""
    args = make(N=2, T=8, seed=11)
    x, h0, W_xh, W_hh, b_h, dh = args
    dh = dh.copy()
    dh[:, :-1] = 0.0                              # only the last loss term
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    prev = None
    norms = []
    for k in range(1, 9):
        g = rnn_backward(dh, cache, truncate=k)[3]                 # dW_hh
        ref = torch_truncated(x, h0, W_xh, W_hh, b_h, dh, k)[3]
        assert rel_error(g, ref) < 1e-10
        if prev is not None:
            norms.append(np.linalg.norm(g - prev))
        prev = g
    assert all(n > 0 for n in norms)              # every extra step adds a non-zero path


def test_truncated_dx_is_zero_outside_the_windows():
    """With one loss term at step t, dx_s = 0 for s <= t-k and dh0 = 0 when t >= k."""
    x, h0, W_xh, W_hh, b_h, dh = make(T=9, seed=5)
    dh = np.zeros_like(dh)
    dh[:, 6] = 1.0
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    for k in (1, 3, 6, 7):
        dx, dh0, *_ = rnn_backward(dh, cache, truncate=k)
        assert np.all(dx[:, :7 - k] == 0) and np.all(dx[:, 7:] == 0)
        assert np.all(np.any(dx[:, 7 - k:7] != 0, axis=(0, 2)))
        assert np.all(dh0 == 0) == (k < 7)


class _CountingArray(np.ndarray):
    """An ndarray that counts the matrix products it takes part in."""
    count = 0

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if ufunc is np.matmul:
            _CountingArray.count += 1
        inputs = tuple(np.asarray(i) if isinstance(i, _CountingArray) else i for i in inputs)
        return getattr(ufunc, method)(*inputs, **kwargs)


@pytest.mark.parametrize("T", [20, 40])
def test_cost_counts_products_with_W_hh(T):
    """Cost check without timing: count the matrix products with W_hh in the backward
    pass. Full BPTT: O(T) (one per step, plus at most a constant); truncate=k: at most
    T*min(k, T) + 2 (each loss term walks back k-1 steps, plus the dh0 term); k >= T
    takes the full path."""
    x, h0, W_xh, W_hh, b_h, dh = make(N=2, T=T, seed=1)
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    counted = cache._replace(W_hh=W_hh.view(_CountingArray))
    counts = {}
    for k in (None, 1, 2, 5, 10, T, 3 * T):
        _CountingArray.count = 0
        out = rnn_backward(dh, counted, truncate=k)
        counts[k] = _CountingArray.count
        ref = rnn_backward(dh, cache, truncate=k)
        for a, b in zip(out, ref):                 # the counting wrapper changes nothing
            np.testing.assert_array_equal(np.asarray(a), b)
    assert counts[None] <= T + 2
    assert counts[T] == counts[None] and counts[3 * T] == counts[None]
    for k in (1, 2, 5, 10):
        assert counts[k] <= T * k + 2, (k, counts[k])
