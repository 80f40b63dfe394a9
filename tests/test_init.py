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


# --- gate biases and presets (rnnbook.init, used by lstm_init / gru_init / init_params)
from rnnbook.cells import cell_init  # noqa: E402
from rnnbook.gru import gru_forward, gru_init  # noqa: E402
from rnnbook.init import (GRU_PRESETS, LSTM_PRESETS, chrono_bias, gru_gate_bias,  # noqa: E402
                          lstm_gate_bias, resolve_preset, rnn_recurrent_weights)
from rnnbook.lstm import lstm_init  # noqa: E402
from rnnbook.models import init_params  # noqa: E402


def sigmoid(a):
    return 1.0 / (1.0 + np.exp(-a))


@pytest.mark.parametrize("preset, b_i, b_f", [("zeros", 0.0, 0.0), ("forget1", 0.0, 1.0),
                                               ("hs97", -3.0, 3.0)])
def test_lstm_constant_presets(preset, b_i, b_f):
    H = 5
    b = lstm_gate_bias(H, **LSTM_PRESETS[preset])
    assert b.shape == (4 * H,)
    assert np.all(b[:H] == b_i) and np.all(b[H:2 * H] == b_f)
    assert np.all(b[2 * H:] == 0.0)                       # g and o gates


def test_chrono_lstm_and_gru():
    H, T_max = 2000, 100
    b = lstm_gate_bias(H, np.random.default_rng(0), chrono=T_max)
    b_f, b_i = b[H:2 * H], b[:H]
    assert np.array_equal(b_i, -b_f) and np.all(b[2 * H:] == 0)
    # b_f = log u with u ~ U[1, T_max - 1]: exp(b_f) is uniform on [1, 99]
    u = np.exp(b_f)
    assert u.min() >= 1.0 and u.max() <= T_max - 1
    assert abs(u.mean() - T_max / 2) < 2.0                 # mean of U[1, 99] is 50
    # time constants 1 / (1 - f) = 1 + exp(b_f) lie in [2, T_max]
    tau = 1.0 / (1.0 - sigmoid(b_f))
    assert tau.min() >= 2.0 - 1e-9 and tau.max() <= T_max + 1e-9
    # the GRU's chrono is the same draw in b_z, with i = 1 - f built in
    b_xh, b_hh = gru_gate_bias(H, np.random.default_rng(0), chrono=T_max)
    assert np.array_equal(b_xh[H:2 * H], b_f) and not b_hh.any()
    assert not b_xh[:H].any() and not b_xh[2 * H:].any()
    assert np.array_equal(chrono_bias(H, T_max, np.random.default_rng(0)), b_f)


def test_gru_long_memory_bias_keeps_the_state():
    H, D = 4, 3
    kw = resolve_preset("gru", "long")
    p = gru_init(D, H, np.random.default_rng(0), **kw)
    assert np.all(p["b_xh"][H:2 * H] == 3.0) and not p["b_hh"].any()
    x = np.zeros((1, 1, D))
    h0 = np.ones((1, H))
    # with zero input and a large update bias, h_0 stays close to h_{-1}
    h, _ = gru_forward(x, h0, np.zeros_like(p["W_xh"]), np.zeros_like(p["W_hh"]),
                       p["b_xh"], p["b_hh"])
    assert np.allclose(h[0, 0], sigmoid(3.0) * 1.0)       # z h_{-1} + (1 - z) tanh(0)


def test_init_functions_delegate_and_keep_their_draws():
    rng = np.random.default_rng
    # the default draws are unchanged (same weights as before the presets existed)
    k = 1 / np.sqrt(7)
    g = rng(0)
    W_xh, W_hh = g.uniform(-k, k, (5, 28)), g.uniform(-k, k, (7, 28))
    p = lstm_init(5, 7, rng(0))
    assert np.array_equal(p["W_xh"], W_xh) and np.array_equal(p["W_hh"], W_hh)
    assert np.array_equal(p["b"], lstm_gate_bias(7, forget_bias=1.0))
    # presets change only the biases: weights equal across presets
    for preset in LSTM_PRESETS:
        q = init_params("lstm", 5, 7, 2, rng(3), init=preset, T_max=50)
        assert np.array_equal(q["W_hh"], init_params("lstm", 5, 7, 2, rng(3))["W_hh"])
    for preset in GRU_PRESETS:
        q = init_params("gru", 5, 7, 2, rng(3), init=preset, T_max=50)
        assert q["b_xh"].shape == (21,) and q["b_hh"].shape == (21,)
    # determinism
    a = init_params("lstm", 5, 7, 2, rng(4), init="chrono", T_max=80)
    b = init_params("lstm", 5, 7, 2, rng(4), init="chrono", T_max=80)
    assert all(np.array_equal(a[n], b[n]) for n in a)
    # cell_init: PyTorch default (all uniform) unless a preset is asked for
    c = cell_init("lstm", 3, 4, rng(0))
    assert np.abs(c["b"]).max() <= 0.5 and c["b"].std() > 0
    c = cell_init("lstm", 3, 4, rng(0), init="hs97")
    assert np.array_equal(c["b"], lstm_gate_bias(4, forget_bias=3.0, input_bias=-3.0))


@pytest.mark.parametrize("preset", ["default", "orthogonal", "irnn"])
def test_rnn_presets(preset):
    H = 6
    W = rnn_recurrent_weights(H, np.random.default_rng(0), preset)
    assert W.shape == (H, H)
    sv = np.linalg.svd(W, compute_uv=False)
    if preset == "default":
        assert np.abs(W).max() <= 1 / np.sqrt(H)
    else:                                          # orthogonal and identity: all sv = 1
        assert np.allclose(sv, 1.0, atol=1e-12)
    if preset == "irnn":
        assert np.array_equal(W, np.eye(H))
    p = init_params("rnn", 2, H, 1, np.random.default_rng(0), init=preset)
    assert p["W_hh"].shape == (H, H) and not p["b_h"].any()


@pytest.mark.parametrize("call, name", [
    (lambda: lstm_gate_bias(3, chrono=2.0, rng=np.random.default_rng(0)), "T_max"),
    (lambda: lstm_gate_bias(3, forget_bias=np.nan), "forget_bias"),
    (lambda: gru_gate_bias(3, update_bias="x"), "update_bias"),
    (lambda: resolve_preset("lstm", "chrono"), "init"),
    (lambda: resolve_preset("lstm", "glorot"), "init"),
    (lambda: rnn_recurrent_weights(3, np.random.default_rng(0), "he"), "preset"),
])
def test_bad_gate_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}"):
        call()
