"""Tests of rnnbook.skip: forward recurrence and finite-difference checks of backward."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from fd_reference import as_long, fd_gradient
from rnnbook.gradcheck import rel_error
from rnnbook.skip import skip_rnn_backward, skip_rnn_forward



def _data(N, T, D, H, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((N, T, D)), rng.standard_normal((N, H)),
            rng.standard_normal((D, H)) * 0.5, rng.standard_normal((H, H)) * 0.4,
            rng.standard_normal((H, H)) * 0.4, rng.standard_normal(H) * 0.2,
            rng.standard_normal((N, T, H)))


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 7), D=dims(1, 3), H=dims(1, 4),
       d=st.integers(2, 4), act=st.sampled_from(["tanh", "sigmoid", "identity"]),
       seed=st.integers(0, 10**6))
def test_skip_gradients_finite_differences(N, T, D, H, d, act, seed):
    x, h0, W_xh, W_hh, W_skip, b_h, dh = _data(N, T, D, H, seed)
    h, cache = skip_rnn_forward(x, h0, W_xh, W_hh, W_skip, b_h, d, act)
    grads = skip_rnn_backward(dh, cache)
    args = as_long(x, h0, W_xh, W_hh, W_skip, b_h)
    names = ["dx", "dh0", "dW_xh", "dW_hh", "dW_skip", "db_h"]
    for i, g in enumerate(grads):
        def f(z, i=i):
            a = list(args)
            a[i] = z
            return skip_rnn_forward(*a, d, act)[0]
        num = fd_gradient(f, args[i], dh)
        assert rel_error(num, g) < 1e-7, names[i]


def test_skip_forward_formula():
    x, h0, W_xh, W_hh, W_skip, b_h, _ = _data(2, 8, 3, 4, 0)
    h, _ = skip_rnn_forward(x, h0, W_xh, W_hh, W_skip, b_h, 3)
    assert np.allclose(h[:, 5], np.tanh(x[:, 5] @ W_xh + h[:, 4] @ W_hh + h[:, 2] @ W_skip + b_h))
    assert np.allclose(h[:, 1], np.tanh(x[:, 1] @ W_xh + h[:, 0] @ W_hh + h0 @ W_skip + b_h))


def test_skip_bad_arguments():
    x, h0, W_xh, W_hh, W_skip, b_h, _ = _data(1, 3, 2, 4, 0)
    with pytest.raises(ValueError, match=r"^d\b"):
        skip_rnn_forward(x, h0, W_xh, W_hh, W_skip, b_h, 1)
    with pytest.raises(ValueError, match=r"^W_skip\b"):
        skip_rnn_forward(x, h0, W_xh, W_hh, W_skip[:3], b_h, 2)
    with pytest.raises(ValueError, match=r"^cache\b"):
        skip_rnn_backward(np.zeros((1, 3, 4)), None)
