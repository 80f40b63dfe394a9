"""LSTM layer: finite-difference gradient checks, step/sequence agreement, shapes, bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.lstm import (LSTMCache, lstm_backward, lstm_backward_all, lstm_forward, lstm_init,
                          lstm_param_count, lstm_step_backward, lstm_step_forward)


def make(N=3, T=4, D=3, H=2, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    c0 = rng.standard_normal((N, H))
    W_xh = 0.6 * rng.standard_normal((D, 4 * H))
    W_hh = 0.6 * rng.standard_normal((H, 4 * H))
    b = 0.3 * rng.standard_normal(4 * H)
    return x, h0, W_xh, W_hh, b, c0


def test_step_gradients():
    x, h0, W_xh, W_hh, b, c0 = make(T=1)
    x = x[:, 0]
    h, c, cache = lstm_step_forward(x, h0, c0, W_xh, W_hh, b)
    rng = np.random.default_rng(1)
    dh, dc = rng.standard_normal(h.shape), rng.standard_normal(c.shape)
    grads = lstm_step_backward(dh, dc, cache)
    inputs = [x, h0, c0, W_xh, W_hh, b]
    order = [0, 1, 2, 3, 4, 5]          # dx, dh_prev, dc_prev, dW_xh, dW_hh, db
    for k, g in zip(order, grads):
        def f(v, k=k):
            a = list(inputs)
            a[k] = v
            h_, c_, _ = lstm_step_forward(a[0], a[1], a[2], *a[3:])
            return np.concatenate([h_, c_], axis=1)
        num = numerical_gradient(f, inputs[k], df=np.concatenate([dh, dc], 1), h=1e-5)
        assert rel_error(num, g) < 1e-7, k


def test_sequence_gradients_including_h0_c0():
    x, h0, W_xh, W_hh, b, c0 = make(T=5)
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    dh = np.random.default_rng(2).standard_normal(h.shape)
    grads = lstm_backward_all(dh, cache)
    names = ["x", "h0", "W_xh", "W_hh", "b", "c0"]
    inputs = dict(zip(names, [x, h0, W_xh, W_hh, b, c0]))
    for name, g in zip(names, grads):
        def f(v, name=name):
            a = dict(inputs, **{name: v})
            return lstm_forward(**a)[0]
        num = numerical_gradient(f, inputs[name], df=dh, h=1e-5)
        assert rel_error(num, g) < 1e-7, name


def test_dc_last_gradient():
    """dc_last feeds dLoss/dc_T: check it against a loss on the final cell state."""
    x, h0, W_xh, W_hh, b, c0 = make(T=3)
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    dcT = np.random.default_rng(3).standard_normal(h0.shape)
    grads = lstm_backward_all(np.zeros_like(h), cache, dc_last=dcT)
    num = numerical_gradient(lambda v: lstm_forward(x, h0, v, W_hh, b, c0)[1].c[:, -1],
                             W_xh, df=dcT, h=1e-5)
    assert rel_error(num, grads[2]) < 1e-7


def test_sequence_equals_loop_of_steps():
    x, h0, W_xh, W_hh, b, c0 = make(N=2, T=6, D=4, H=3, seed=4)
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    dh = np.random.default_rng(5).standard_normal(h.shape)
    ref = lstm_backward_all(dh, cache)
    hs, cs, caches = h0, c0, []
    for t in range(x.shape[1]):
        hs, cs, cache_t = lstm_step_forward(x[:, t], hs, cs, W_xh, W_hh, b)
        caches.append(cache_t)
        assert rel_error(hs, h[:, t]) < 1e-12
    dh_next, dc_next = np.zeros_like(h0), np.zeros_like(c0)
    dx, total = np.zeros_like(x), [0, 0, 0]
    for t in reversed(range(x.shape[1])):
        dx[:, t], dh_next, dc_next, *dW = lstm_step_backward(dh[:, t] + dh_next, dc_next,
                                                             caches[t])
        total = [s + g for s, g in zip(total, dW)]
    for a, r in zip([dx, dh_next, *total, dc_next], ref):
        assert rel_error(a, r) < 1e-10


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 4), D=dims(1, 3), H=dims(1, 3),
       seed=st.integers(0, 10_000))
def test_shapes_and_directional_gradient(N, T, D, H, seed):
    x, h0, W_xh, W_hh, b, c0 = make(N, T, D, H, seed)
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    assert h.shape == (N, T, H) and cache.c.shape == (N, T, H)
    assert np.all(np.abs(h) < 1)
    dh = np.random.default_rng(seed + 1).standard_normal(h.shape)
    grads = lstm_backward_all(dh, cache)
    for g, ref in zip(grads, [x, h0, W_xh, W_hh, b, c0]):
        assert g.shape == ref.shape
    # one random direction in the joint parameter space
    rng = np.random.default_rng(seed + 2)
    params = [x, h0, W_xh, W_hh, b, c0]
    us = [rng.standard_normal(p.shape) for p in params]
    eps = 1e-5
    def L(s):
        p = [q + s * u for q, u in zip(params, us)]
        return np.sum(dh * lstm_forward(p[0], p[1], p[2], p[3], p[4], p[5])[0])
    numeric = (L(eps) - L(-eps)) / (2 * eps)
    analytic = sum(np.sum(g * u) for g, u in zip(grads, us))
    assert abs(numeric - analytic) <= 1e-6 * max(1.0, abs(analytic))


def test_h0_none_means_zeros():
    x, h0, W_xh, W_hh, b, c0 = make()
    h1, _ = lstm_forward(x, None, W_xh, W_hh, b)
    h2, _ = lstm_forward(x, np.zeros_like(h0), W_xh, W_hh, b, np.zeros_like(c0))
    assert np.array_equal(h1, h2)


def test_saturated_gates_stay_finite():
    x, h0, W_xh, W_hh, b, c0 = make()
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        h, cache = lstm_forward(x * 1e4, h0, W_xh, W_hh, b * 1e4, c0)
        grads = lstm_backward(np.ones_like(h), cache)
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_param_count_and_init():
    p = lstm_init(5, 7, np.random.default_rng(0), forget_bias=1.0)
    assert sum(v.size for v in p.values()) == lstm_param_count(5, 7) == 4 * 7 * (5 + 7 + 1)
    assert np.all(p["b"][7:14] == 1.0) and np.all(p["b"][:7] == 0.0)


@pytest.mark.parametrize("bad, name", [
    (dict(x=np.zeros((2, 3))), "x"),
    (dict(x=np.zeros((2, 3, 9))), "x"),
    (dict(h0=np.zeros((5, 2))), "h0"),
    (dict(c0=np.zeros((3, 5))), "c0"),
    (dict(W_xh=np.zeros((3, 7))), "W_xh"),
    (dict(W_hh=np.zeros((3, 8))), "W_hh"),
    (dict(b=np.zeros(5)), "b"),
    (dict(x=np.full((3, 4, 3), np.nan)), "x"),
    (dict(x=np.zeros((3, 4, 3), dtype=int)), "x"),
])
def test_bad_inputs_name_the_argument(bad, name):
    x, h0, W_xh, W_hh, b, c0 = make()
    args = dict(x=x, h0=h0, W_xh=W_xh, W_hh=W_hh, b=b, c0=c0)
    args.update(bad)
    with pytest.raises(ValueError, match=rf"^{name} "):
        lstm_forward(**args)


def test_backward_bad_inputs():
    x, h0, W_xh, W_hh, b, c0 = make()
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    with pytest.raises(ValueError, match="^dh "):
        lstm_backward(h[:, :-1], cache)
    with pytest.raises(ValueError, match="^cache "):
        lstm_backward(h, tuple(cache))


def test_backward_has_one_arity_and_dc0_has_one_home():
    """lstm_backward -> (dx, dh0, dW_xh, dW_hh, db) always (BOOK_PLAN section 4);
    lstm_backward_all adds dc0; the deprecated return_dc0=True equals the latter."""
    x, h0, W_xh, W_hh, b, c0 = make()
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    dh = np.random.default_rng(9).standard_normal(h.shape)
    extra = np.random.default_rng(10).standard_normal(h0.shape)
    five = lstm_backward(dh, cache)
    six = lstm_backward_all(dh, cache)
    assert len(five) == 5 and len(lstm_backward(dh, cache, dc_last=extra)) == 5
    assert len(six) == 6 and all(np.array_equal(a, b_) for a, b_ in zip(five, six))
    assert all(np.array_equal(a, b_) for a, b_ in zip(lstm_backward(dh, cache, return_dc0=True), six))
    with pytest.raises(TypeError):
        lstm_backward(dh, cache, extra)                   # the extras are keyword-only


def test_zero_steps_rejected_at_forward():
    x, h0, W_xh, W_hh, b, c0 = make()
    with pytest.raises(ValueError, match=r"^x has shape \(3, 0, 3\); expected \(N, T, D\) with T >= 1"):
        lstm_forward(x[:, :0], h0, W_xh, W_hh, b, c0)


@pytest.mark.parametrize("bad, name", [
    (dict(x=np.zeros((3, 4))), "x"), (dict(x=np.zeros((3, 3, 1))), "x"),
    (dict(h_prev=np.zeros((3, 5))), "h_prev"), (dict(c_prev=np.zeros((2, 2))), "c_prev"),
    (dict(c_prev=np.full((3, 2), np.inf)), "c_prev"), (dict(W_xh=np.zeros((3, 6))), "W_xh"),
    (dict(W_hh=np.zeros((2, 4))), "W_hh"), (dict(b=np.zeros(8, dtype=int)), "b"),
    (dict(x=None), "x"), (dict(h_prev="h"), "h_prev"),
])
def test_step_functions_validate(bad, name):
    x, h0, W_xh, W_hh, b, c0 = make()
    args = dict(x=x[:, 0], h_prev=h0, c_prev=c0, W_xh=W_xh, W_hh=W_hh, b=b)
    args.update(bad)
    with pytest.raises(ValueError, match=rf"^{name} "):
        lstm_step_forward(**args)
    h, c, cache = lstm_step_forward(x[:, 0], h0, c0, W_xh, W_hh, b)
    with pytest.raises(ValueError, match="^dc "):
        lstm_step_backward(h, c[:, :1], cache)
    with pytest.raises(ValueError, match="^dh "):
        lstm_step_backward(np.full_like(h, np.nan), c, cache)
    with pytest.raises(ValueError, match="^cache "):
        lstm_step_backward(h, c, tuple(cache))


def test_float32_stays_float32():
    x, h0, W_xh, W_hh, b, c0 = (a.astype(np.float32) for a in make())
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b, c0)
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in lstm_backward_all(np.ones_like(h), cache))
    hs, cs, step_cache = lstm_step_forward(x[:, 0], h0, c0, W_xh, W_hh, b)
    assert hs.dtype == cs.dtype == np.float32
