"""Jordan network: gradient checks through all steps (including dy0), shapes, bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from fd_reference import as_long
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.jordan import JordanCache, jordan_backward, jordan_forward

ACTS = ["tanh", "sigmoid", "relu", "identity"]


def make(N=3, T=5, D=3, H=4, V=2, seed=0, scale=0.5):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, T, D)), rng.standard_normal((N, V)),
            scale * rng.standard_normal((D, H)), scale * rng.standard_normal((V, H)),
            0.1 * rng.standard_normal(H), scale * rng.standard_normal((H, V)),
            0.1 * rng.standard_normal(V))


def check_all(args, act, out_act, dy):
    y, cache = jordan_forward(*args, act, out_act)
    grads = jordan_backward(dy, cache)
    worst = 0.0
    # The reference differences run in extended precision (np.longdouble), so their
    # round-off stays far below 1e-7 even for the smallest gradient entries.
    ext = as_long(*args)
    for i, g in enumerate(grads):
        def f(v, i=i):
            a = list(ext)
            a[i] = v
            return jordan_forward(*a, act, out_act)[0]
        num = numerical_gradient(f, ext[i], df=dy)
        assert g.shape == args[i].shape
        worst = max(worst, rel_error(num, g))
    return worst


def relu_ok(args, act, out_act):
    if "relu" not in (act, out_act):
        return True
    y, c = jordan_forward(*args, act, out_act)
    x, y0, W_xh, W_yh, b_h, W_hq, b_q = args
    y_prev = np.concatenate([y0[:, None], y[:, :-1]], axis=1)
    a = x @ W_xh + y_prev @ W_yh + b_h
    o = c.h @ W_hq + b_q
    return (act != "relu" or np.abs(a).min() > 1e-3) and (out_act != "relu" or np.abs(o).min() > 1e-3)


def not_tiny(args, act, out_act, dy):
    grads = jordan_backward(dy, jordan_forward(*args, act, out_act)[1])
    return min(np.abs(g).min() for g in grads) > 1e-3


@pytest.mark.parametrize("act", ACTS)
@pytest.mark.parametrize("out_act", ["identity", "tanh", "sigmoid", "relu"])
def test_jordan_gradients(act, out_act):
    dy = np.random.default_rng(1).standard_normal((3, 5, 2))
    for seed in range(200):                  # relu: stay off the kink; and no gradient
        args = make(seed=seed)               # entry so tiny (< 1e-3) that the relative
        if relu_ok(args, act, out_act) and not_tiny(args, act, out_act, dy):   # error
            break                            # only measures finite-difference noise
    assert check_all(args, act, out_act, dy) < 1e-7


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 4), D=dims(1, 3), H=dims(1, 3),
       V=dims(1, 3), seed=st.integers(0, 2**16))
def test_jordan_shapes_hypothesis(N, T, D, H, V, seed):
    args = make(N, T, D, H, V, seed=seed)
    dy = np.random.default_rng(seed).standard_normal((N, T, V))
    y, cache = jordan_forward(*args)
    assert y.shape == (N, T, V) and isinstance(cache, JordanCache)
    assert check_all(args, "tanh", "identity", dy) < 1e-7


def test_context_is_previous_output():
    x, y0, W_xh, W_yh, b_h, W_hq, b_q = make()
    y, c = jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq, b_q)
    h1 = np.tanh(x[:, 1] @ W_xh + y[:, 0] @ W_yh + b_h)
    np.testing.assert_allclose(c.h[:, 1], h1, rtol=1e-13)
    np.testing.assert_allclose(y[:, 1], h1 @ W_hq + b_q, rtol=1e-13)


def test_jordan_bad_inputs():
    x, y0, W_xh, W_yh, b_h, W_hq, b_q = make()
    with pytest.raises(ValueError, match="x"):
        jordan_forward(x[0], y0, W_xh, W_yh, b_h, W_hq, b_q)
    with pytest.raises(ValueError, match="y0"):
        jordan_forward(x, y0[:, :1], W_xh, W_yh, b_h, W_hq, b_q)
    with pytest.raises(ValueError, match="W_hq"):
        jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq[:2], b_q)
    xn = x.copy(); xn[0, 0, 0] = np.inf
    with pytest.raises(ValueError, match="x"):
        jordan_forward(xn, y0, W_xh, W_yh, b_h, W_hq, b_q)
    with pytest.raises(ValueError, match="output_activation"):
        jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq, b_q, output_activation="softmax")
    with pytest.raises(ValueError, match="activation"):
        jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq, b_q, activation="elu")
    y, c = jordan_forward(x, y0, W_xh, W_yh, b_h, W_hq, b_q)
    with pytest.raises(ValueError, match="dy"):
        jordan_backward(y[:, :2], c)
    with pytest.raises(ValueError, match="cache"):
        jordan_backward(y, tuple(c))
