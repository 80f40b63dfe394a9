"""Stacked and bidirectional RNN/LSTM/GRU: finite differences and shapes."""
import numpy as np
import pytest
from hypothesis import given, settings
from strategies import dims
from hypothesis import strategies as st

from rnnbook.bidirectional import bidirectional_backward, bidirectional_forward
from rnnbook.cells import (CELLS, cell_forward, cell_init,
                           cell_param_count, final_state)
from rnnbook.deep import deep_backward, deep_forward, deep_init
from rnnbook.gradcheck import numerical_gradient, rel_error


def _problem(cell, N, T, D, H, L, bidir, seed=0):
    rng = np.random.default_rng(seed)
    dirs = 2 if bidir else 1
    params = deep_init(cell, D, H, L, rng, bidirectional=bidir)
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((L * dirs, N, H))
    c0 = 0.5 * rng.standard_normal((L * dirs, N, H)) if cell == "lstm" else None
    R = rng.standard_normal((N, T, dirs * H))
    return params, x, h0, c0, R


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("bidir", [False, True])
def test_deep_gradcheck(cell, bidir):
    N, T, D, H, L = 2, 3, 3, 2, 2
    params, x, h0, c0, R = _problem(cell, N, T, D, H, L, bidir)

    def loss_with(**over):
        p = [[dict(d) for d in layer] for layer in params]
        if "param" in over:
            l, d, k, v = over["param"]
            p[l][d][k] = v
        h, _ = deep_forward(over.get("x", x), p, cell, over.get("h0", h0), over.get("c0", c0))
        return np.sum(h * R)

    h, cache = deep_forward(x, params, cell, h0, c0)
    dx, dparams, dh0, dc0 = deep_backward(R, cache)
    assert rel_error(numerical_gradient(lambda v: loss_with(x=v), x, h=3e-5), dx) < 1e-7
    assert rel_error(numerical_gradient(lambda v: loss_with(h0=v), h0, h=3e-5), dh0) < 1e-7
    if cell == "lstm":
        assert rel_error(numerical_gradient(lambda v: loss_with(c0=v), c0, h=3e-5), dc0) < 1e-7
    else:
        assert dc0 is None
    for l, layer in enumerate(params):
        for d, p in enumerate(layer):
            for k, v in p.items():
                num = numerical_gradient(lambda w: loss_with(param=(l, d, k, w)), v, h=3e-5)
                assert rel_error(num, dparams[l][d][k]) < 1e-7, (l, d, k)


@pytest.mark.parametrize("cell", CELLS)
def test_bidirectional_halves(cell):
    """Forward half = the plain layer; backward half = the plain layer on reversed time."""
    rng = np.random.default_rng(1)
    pf, pb = cell_init(cell, 3, 4, rng), cell_init(cell, 3, 4, rng)
    x = rng.standard_normal((2, 5, 3))
    h, cache = bidirectional_forward(x, pf, pb, cell)
    hf, _ = cell_forward(cell, x, pf)
    hb, _ = cell_forward(cell, x[:, ::-1], pb)
    assert np.array_equal(h[:, :, :4], hf)
    assert np.array_equal(h[:, :, 4:], hb[:, ::-1])
    # the last backward state depends only on x at the last step
    x2 = x.copy()
    x2[:, :-1] += 1.0
    h2, _ = bidirectional_forward(x2, pf, pb, cell)
    assert np.allclose(h2[:, -1, 4:], h[:, -1, 4:])
    g = bidirectional_backward(np.ones_like(h), cache)
    assert g.dx.shape == x.shape and set(g.dparams_b) == set(pb)


@settings(deadline=None)
@given(cell=st.sampled_from(CELLS), N=dims(1, 3), T=dims(1, 4),
       D=dims(1, 3), H=dims(1, 3), L=dims(1, 3),
       bidir=st.booleans())
def test_deep_shapes(cell, N, T, D, H, L, bidir):
    params, x, h0, c0, R = _problem(cell, N, T, D, H, L, bidir)
    h, cache = deep_forward(x, params, cell, h0, c0)
    assert h.shape == R.shape
    dx, dparams, dh0, dc0 = deep_backward(R, cache)
    assert dx.shape == x.shape and dh0.shape == h0.shape
    for layer, dlayer in zip(params, dparams):
        for p, g in zip(layer, dlayer):
            assert {k: v.shape for k, v in p.items()} == {k: v.shape for k, v in g.items()}


@pytest.mark.parametrize("cell", CELLS)
def test_param_count_and_final_state(cell):
    rng = np.random.default_rng(0)
    p = cell_init(cell, 5, 3, rng)
    assert sum(v.size for v in p.values()) == cell_param_count(cell, 5, 3)
    x = rng.standard_normal((2, 4, 5))
    h, cache = cell_forward(cell, x, p)
    hT, cT = final_state(cache)
    # carrying the state over a split gives the same states as one long run
    h1, c1 = cell_forward(cell, x[:, :2], p)
    s1 = final_state(c1)
    h2, _ = cell_forward(cell, x[:, 2:], p, s1[0], s1[1])
    assert np.allclose(np.concatenate([h1, h2], axis=1), h, atol=1e-14)
    assert np.array_equal(hT, h[:, -1]) and ((cT is None) == (cell != "lstm"))


def test_errors():
    rng = np.random.default_rng(0)
    p = cell_init("rnn", 3, 2, rng)
    with pytest.raises(ValueError, match="cell"):
        cell_forward("elman", np.zeros((1, 2, 3)), p)
    with pytest.raises(ValueError, match="params has keys"):
        cell_forward("lstm", np.zeros((1, 2, 3)), p)
    with pytest.raises(ValueError, match="c0"):
        cell_forward("rnn", np.zeros((1, 2, 3)), p, c0=np.zeros((1, 2)))
    params = deep_init("rnn", 3, 2, 2, rng)
    with pytest.raises(ValueError, match="h0"):
        deep_forward(np.zeros((1, 2, 3)), params, "rnn", h0=np.zeros((1, 1, 2)))
    with pytest.raises(ValueError, match="cache"):
        deep_backward(np.zeros((1, 2, 2)), None)
