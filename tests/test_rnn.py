"""Elman RNN layer: finite-difference gradient checks, shapes, truncation, bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from fd_reference import as_long
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.rnn import (RNNCache, rnn_backward, rnn_forward, rnn_step_backward,
                         rnn_step_forward)

ACTS = ["tanh", "sigmoid", "relu", "identity"]


def make(N=3, T=4, D=3, H=4, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    W_xh = scale * rng.standard_normal((D, H))
    W_hh = scale * rng.standard_normal((H, H))
    b_h = 0.1 * rng.standard_normal(H)
    return x, h0, W_xh, W_hh, b_h


def relu_safe(args, act):
    """For relu, reject draws with a pre-activation near 0 (the kink)."""
    if act != "relu":
        return True
    x, h0, W_xh, W_hh, b_h = args
    h, _ = rnn_forward(x, h0, W_xh, W_hh, b_h, "relu")
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    a = x @ W_xh + h_prev @ W_hh + b_h
    return np.min(np.abs(a)) > 1e-3


def safe_args(act, **kw):
    for seed in range(100):
        args = make(seed=seed, **kw)
        if relu_safe(args, act):
            return args
    raise AssertionError("no seed with pre-activations away from 0")


@pytest.mark.parametrize("act", ACTS)
def test_step_gradients(act):
    x, h0, W_xh, W_hh, b_h = safe_args(act, T=1)
    x = x[:, 0]
    h, cache = rnn_step_forward(x, h0, W_xh, W_hh, b_h, act)
    dh = np.random.default_rng(1).standard_normal(h.shape)
    grads = rnn_step_backward(dh, cache)
    inputs = [x, h0, W_xh, W_hh, b_h]
    for i, g in enumerate(grads):
        def f(v, i=i):
            a = list(inputs)
            a[i] = v
            return rnn_step_forward(*a, act)[0]
        num = numerical_gradient(f, inputs[i], df=dh, h=1e-5)
        assert rel_error(num, g) < 1e-7, (act, i)


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("truncate", [None, 1, 2, 3])
def test_sequence_gradients(act, truncate):
    """Loss = sum(dh * h): gradients through all T steps, including dh0."""
    x, h0, W_xh, W_hh, b_h = safe_args(act, T=5)
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    dh = np.random.default_rng(2).standard_normal(h.shape)
    grads = rnn_backward(dh, cache, truncate=truncate)
    if truncate is None:
        inputs = [x, h0, W_xh, W_hh, b_h]
        for i, g in enumerate(grads):
            def f(v, i=i):
                a = list(inputs)
                a[i] = v
                return rnn_forward(*a, act)[0]
            num = numerical_gradient(f, inputs[i], df=dh, h=1e-5)
            assert rel_error(num, g) < 1e-7, (act, i)
    else:
        ref = truncated_reference(dh, x, h0, W_xh, W_hh, b_h, act, truncate)
        for g, r in zip(grads, ref):
            assert rel_error(g, r) < 1e-7


def truncated_reference(dh, x, h0, W_xh, W_hh, b_h, act, k):
    """Truncated gradient by finite differences: loss term t sees a fresh copy of the
    network started from the constant h_{t-k} and run for k steps."""
    h, _ = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    T = x.shape[1]
    total = [np.zeros_like(v) for v in (x, h0, W_xh, W_hh, b_h)]
    for t in range(T):
        s0 = max(0, t - k + 1)
        start = h0 if s0 == 0 else h[:, s0 - 1]
        xs = x[:, s0:t + 1]
        dht = dh[:, t]
        inputs = [xs, start, W_xh, W_hh, b_h]
        for i in range(5):
            if i == 1 and s0 > 0:
                continue                       # h_{t-k} is a constant
            def f(v, i=i):
                a = list(inputs)
                a[i] = v
                return rnn_forward(*a, act)[0][:, -1]
            num = numerical_gradient(f, inputs[i], df=dht, h=1e-5)
            if i == 0:
                total[0][:, s0:t + 1] += num
            else:
                total[i] += num
    return total


@pytest.mark.parametrize("act", ACTS)
def test_truncate_geq_T_equals_full(act):
    x, h0, W_xh, W_hh, b_h = make(T=4)
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    dh = np.random.default_rng(3).standard_normal(h.shape)
    full = rnn_backward(dh, cache)
    for k in (4, 5, 100):
        for a, b in zip(full, rnn_backward(dh, cache, truncate=k)):
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    # truncate=1: no gradient flows back in time
    dx, dh0, *_ = rnn_backward(dh, cache, truncate=1)
    fp = {"tanh": 1 - h ** 2}.get(act)
    if fp is not None:
        np.testing.assert_allclose(dx, (dh * fp) @ W_xh.T, rtol=1e-12)
        np.testing.assert_allclose(dh0, (dh[:, 0] * fp[:, 0]) @ W_hh.T, rtol=1e-12)


def test_truncated_dh0_only_from_first_k_steps():
    x, h0, W_xh, W_hh, b_h = make(T=6)
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    dh = np.zeros_like(h)
    dh[:, 3] = 1.0                                   # only the loss at t = 3
    assert np.all(rnn_backward(dh, cache, truncate=3)[1] == 0)
    assert np.any(rnn_backward(dh, cache, truncate=4)[1] != 0)


def test_sequence_equals_loop_of_steps():
    x, h0, W_xh, W_hh, b_h = make(T=5)
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    dh = np.random.default_rng(4).standard_normal(h.shape)
    hp, caches = h0, []
    for t in range(x.shape[1]):
        hp, c = rnn_step_forward(x[:, t], hp, W_xh, W_hh, b_h)
        caches.append(c)
        np.testing.assert_allclose(hp, h[:, t], rtol=1e-13)
    dx, dh0, dW_xh, dW_hh, db_h = rnn_backward(dh, cache)
    carry = np.zeros_like(h0)
    acc = [np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)]
    for t in reversed(range(x.shape[1])):
        dxt, carry, a, b, c = rnn_step_backward(dh[:, t] + carry, caches[t])
        np.testing.assert_allclose(dxt, dx[:, t], rtol=1e-12, atol=1e-14)
        acc = [acc[0] + a, acc[1] + b, acc[2] + c]
    np.testing.assert_allclose(carry, dh0, rtol=1e-12)
    for a, b in zip(acc, (dW_xh, dW_hh, db_h)):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 4), D=dims(1, 3), H=dims(1, 3),
       act=st.sampled_from(["tanh", "sigmoid", "identity"]),
       truncate=st.sampled_from([None, 1, 2, 3]), seed=st.integers(0, 2**16))
def test_shapes_and_gradients_hypothesis(N, T, D, H, act, truncate, seed):
    x, h0, W_xh, W_hh, b_h = make(N, T, D, H, seed=seed)
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h, act)
    assert h.shape == (N, T, H)
    assert isinstance(cache, RNNCache)
    dh = np.random.default_rng(seed + 1).standard_normal(h.shape)
    grads = rnn_backward(dh, cache, truncate=truncate)
    for g, ref in zip(grads, (x, h0, W_xh, W_hh, b_h)):
        assert g.shape == ref.shape
    if truncate is None or truncate >= T:
        # Reference differences in extended precision: random shapes include tiny
        # gradient entries, whose float64 round-off alone could exceed 1e-7 of them.
        xe, h0e, W_xhe, W_hhe, b_he = as_long(x, h0, W_xh, W_hh, b_h)
        num = numerical_gradient(lambda W: rnn_forward(xe, h0e, W, W_hhe, b_he, act)[0], W_xhe, df=dh)
        assert rel_error(num, grads[2]) < 1e-7
        num = numerical_gradient(lambda v: rnn_forward(xe, v, W_xhe, W_hhe, b_he, act)[0], h0e, df=dh)
        assert rel_error(num, grads[1]) < 1e-7


def bad(fn, name, *args, **kw):
    with pytest.raises(ValueError, match=name):
        fn(*args, **kw)


def test_bad_inputs_forward():
    x, h0, W_xh, W_hh, b_h = make(N=2, T=3, D=3, H=4)
    bad(rnn_forward, "x", x[0], h0, W_xh, W_hh, b_h)                    # wrong rank
    bad(rnn_forward, "x", x[..., :2], h0, W_xh, W_hh, b_h)              # wrong D
    bad(rnn_forward, "h0", x, h0[:, :3], W_xh, W_hh, b_h)               # wrong H
    bad(rnn_forward, "h0", x, h0[:1], W_xh, W_hh, b_h)                  # wrong N
    bad(rnn_forward, "W_hh", x, h0, W_xh, W_hh[:3, :3], b_h)            # mismatched H
    bad(rnn_forward, "b_h", x, h0, W_xh, W_hh, b_h[:2])
    bad(rnn_forward, "W_xh", x, h0, W_xh[0], W_hh, b_h)
    bad(rnn_forward, "x", x[:, :0], h0, W_xh, W_hh, b_h)                # T = 0
    xn = x.copy(); xn[0, 0, 0] = np.nan
    bad(rnn_forward, "x", xn, h0, W_xh, W_hh, b_h)
    Wi = W_hh.copy(); Wi[0, 0] = np.inf
    bad(rnn_forward, "W_hh", x, h0, W_xh, Wi, b_h)
    bad(rnn_forward, "activation", x, h0, W_xh, W_hh, b_h, activation="softplus")
    bad(rnn_forward, "x", x.astype(int), h0, W_xh, W_hh, b_h)


def test_bad_inputs_step_and_backward():
    x, h0, W_xh, W_hh, b_h = make(N=2, T=3, D=3, H=4)
    bad(rnn_step_forward, "x", x, h0, W_xh, W_hh, b_h)                  # rank 3 for a step
    bad(rnn_step_forward, "h_prev", x[:, 0], h0[:, :2], W_xh, W_hh, b_h)
    bad(rnn_step_forward, "activation", x[:, 0], h0, W_xh, W_hh, b_h, activation="TANH")
    h, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    bad(rnn_backward, "dh", h[:, :2], cache)
    bad(rnn_backward, "dh", h[0], cache)
    dn = h.copy(); dn[0, 0, 0] = np.nan
    bad(rnn_backward, "dh", dn, cache)
    bad(rnn_backward, "truncate", h, cache, truncate=0)
    bad(rnn_backward, "truncate", h, cache, truncate=1.5)
    bad(rnn_backward, "cache", h, tuple(cache))
    hs, sc = rnn_step_forward(x[:, 0], h0, W_xh, W_hh, b_h)
    bad(rnn_step_backward, "dh", hs[:, :2], sc)
    bad(rnn_step_backward, "cache", hs, cache)


def test_error_message_names_shapes():
    x, h0, W_xh, W_hh, b_h = make(N=2, T=3, D=3, H=4)
    with pytest.raises(ValueError, match=r"x has shape \(2, 3, 2\); expected \(N, T, D\)"):
        rnn_forward(x[..., :2], h0, W_xh, W_hh, b_h)


def test_h0_none_means_zeros_and_float32_is_kept():
    import rnnbook as rb
    rng = np.random.default_rng(11)
    x, W_xh, W_hh, b_h = (rng.standard_normal(s) for s in ((2, 3, 4), (4, 5), (5, 5), (5,)))
    h1, _ = rb.rnn_forward(x, None, W_xh, W_hh, b_h)
    h2, _ = rb.rnn_forward(x, np.zeros((2, 5)), W_xh, W_hh, b_h)
    assert np.array_equal(h1, h2)
    f32 = [a.astype(np.float32) for a in (x, W_xh, W_hh, b_h)]
    for act in ("tanh", "sigmoid", "relu", "identity"):
        h, cache = rb.rnn_forward(f32[0], None, *f32[1:], activation=act)
        assert h.dtype == np.float32, act
        assert all(g.dtype == np.float32 for g in rb.rnn_backward(np.ones_like(h), cache))


def test_activations_return_new_arrays():
    import rnnbook as rb
    a = np.array([-1.0, 0.5])
    for f in (rb.identity, rb.relu, rb.tanh, rb.sigmoid):
        out = f(a)
        assert out is not a and not np.shares_memory(out, a)
    with pytest.raises(ValueError, match="^a has dtype"):
        rb.sigmoid(None)
