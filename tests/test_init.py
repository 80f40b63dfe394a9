"""Tests of rnnbook.init."""
import numpy as np
import pytest

from rnnbook.init import gaussian, glorot_uniform, identity, init_rnn_params, orthogonal


@pytest.mark.parametrize("shape", [(1, 1), (5, 5), (7, 3), (3, 7)])
def test_orthogonal(shape):
    Q = orthogonal(shape, np.random.default_rng(0), gain=2.0)
    assert Q.shape == shape
    small = min(shape)
    G = Q.T @ Q if shape[0] >= shape[1] else Q @ Q.T
    assert np.allclose(G, 4.0 * np.eye(small), atol=1e-12)
    assert np.array_equal(Q, orthogonal(shape, np.random.default_rng(0), gain=2.0))


def test_identity_glorot_gaussian():
    assert np.array_equal(identity(3, scale=0.5), 0.5 * np.eye(3))
    W = glorot_uniform((200, 100), np.random.default_rng(0))
    assert np.abs(W).max() <= np.sqrt(6 / 300)
    assert abs(W.var() - 2 / 300) < 0.1 * 2 / 300
    G = gaussian(150, np.random.default_rng(1), scale=0.9)
    assert abs(np.max(np.abs(np.linalg.eigvals(G))) - 0.9) < 0.15


@pytest.mark.parametrize("scheme", ["orthogonal", "identity", "glorot", "gaussian"])
def test_init_rnn_params(scheme):
    p = init_rnn_params(3, 5, np.random.default_rng(0), scheme=scheme)
    assert p["W_xh"].shape == (3, 5) and p["W_hh"].shape == (5, 5) and p["b_h"].shape == (5,)


@pytest.mark.parametrize("call, name", [
    (lambda: orthogonal((0, 3), np.random.default_rng(0)), r"shape\[0\]"),
    (lambda: orthogonal("x", np.random.default_rng(0)), "shape"),
    (lambda: orthogonal(3, None), "rng"),
    (lambda: gaussian(3, np.random.default_rng(0), scale=-1), "scale"),
    (lambda: init_rnn_params(3, 5, np.random.default_rng(0), scheme="he"), "scheme"),
])
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        call()
