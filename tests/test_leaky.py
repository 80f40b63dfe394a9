"""Tests of rnnbook.leaky: forward recurrence and finite-difference checks of backward."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from fd_reference import as_long, fd_gradient
from rnnbook.gradcheck import rel_error
from rnnbook.leaky import leaky_rnn_backward, leaky_rnn_forward
from rnnbook.rnn import rnn_forward



def _data(N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, T, D)), rng.standard_normal((N, H)),
            rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.5,
            rng.standard_normal(H) * 0.2, rng.standard_normal((N, T, H)))


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 5), D=dims(1, 3), H=dims(1, 4),
       act=st.sampled_from(["tanh", "sigmoid", "identity"]),
       per_unit=st.booleans(), seed=st.integers(0, 10**6))
def test_leaky_gradients_finite_differences(N, T, D, H, act, per_unit, seed):
    x, h0, W_xh, W_hh, b_h, dh = _data(N, T, D, H, seed)
    alpha = np.random.default_rng(seed + 1).uniform(0, 0.95, H) if per_unit else 0.6
    h, cache = leaky_rnn_forward(x, h0, W_xh, W_hh, b_h, alpha, act)
    grads = leaky_rnn_backward(dh, cache)
    args = as_long(x, h0, W_xh, W_hh, b_h)
    for i, g in enumerate(grads):
        def f(z, i=i):
            a = list(args)
            a[i] = z
            return leaky_rnn_forward(*a, alpha, act)[0]
        num = fd_gradient(f, args[i], dh)
        assert rel_error(num, g) < 1e-7, ["dx", "dh0", "dW_xh", "dW_hh", "db_h"][i]


def test_leaky_reduces_to_elman_and_formula():
    x, h0, W_xh, W_hh, b_h, _ = _data(2, 6, 3, 4, 0)
    h_leaky, _ = leaky_rnn_forward(x, h0, W_xh, W_hh, b_h, 0.0)
    h_elman, _ = rnn_forward(x, h0, W_xh, W_hh, b_h)
    assert np.allclose(h_leaky, h_elman, atol=1e-14)
    h, c = leaky_rnn_forward(x, h0, W_xh, W_hh, b_h, 0.7)
    v2 = np.tanh(x[:, 2] @ W_xh + h[:, 1] @ W_hh + b_h)
    assert np.allclose(h[:, 2], 0.7 * h[:, 1] + 0.3 * v2, atol=1e-14)


@pytest.mark.parametrize("kw, name", [
    (dict(alpha=1.5), "alpha"), (dict(alpha=np.ones(3) * 0.5), "alpha"),
    (dict(activation="softsign"), "activation"),
])
def test_leaky_bad_arguments(kw, name):
    x, h0, W_xh, W_hh, b_h, _ = _data(1, 3, 2, 4, 0)
    args = dict(alpha=0.5, activation="tanh") | kw
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        leaky_rnn_forward(x, h0, W_xh, W_hh, b_h, args["alpha"], args["activation"])
    with pytest.raises(ValueError, match=r"^h0\b"):
        leaky_rnn_forward(x, h0[:, :3], W_xh, W_hh, b_h, 0.5)
    with pytest.raises(ValueError, match=r"^cache\b"):
        leaky_rnn_backward(np.zeros((1, 3, 4)), None)
