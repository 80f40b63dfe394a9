"""The cell registry: one forward/backward interface and one set of conventions for
the six recurrent layers (rnn, leaky, skip, jordan, lstm, gru)."""
import numpy as np
import pytest

import rnnbook as rb
from rnnbook.deep import deep_backward, deep_forward, deep_init
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.registry import (ALL_CELLS, CellGrads, cell_backward, cell_forward,
                              cell_spec, final_state)

N, T, D, H, V = 2, 4, 3, 3, 2
OPTIONS = {"rnn": dict(activation="sigmoid"), "leaky": dict(alpha=np.array([0.2, 0.5, 0.9])),
           "skip": dict(d=2), "jordan": dict(output_activation="tanh"), "lstm": {},
           "gru": dict(formulation="cho")}


def params_of(cell, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    G = {"lstm": 4, "gru": 3}.get(cell, 1)
    shapes = {"W_xh": (D, G * H), "W_hh": (H, G * H), "b_h": (H,), "b": (4 * H,),
              "b_xh": (3 * H,), "b_hh": (3 * H,), "W_skip": (H, H), "W_yh": (V, H),
              "W_hq": (H, V), "b_q": (V,)}
    return {k: (0.6 * rng.standard_normal(shapes[k])).astype(dtype)
            for k in cell_spec(cell).params}


def state_size(cell):
    return V if cell == "jordan" else H


@pytest.mark.parametrize("cell", ALL_CELLS)
def test_gradients_of_every_argument(cell):
    """cell_backward returns (dx, dparams, dh0, dc0), each checked by finite
    differences of L = sum(dh * h) + dh_last . h_{T-1} (+ dc_last . c_{T-1})."""
    rng = np.random.default_rng(1)
    p = params_of(cell)
    S = state_size(cell)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, S))
    c0 = rng.standard_normal((N, H)) if cell == "lstm" else None
    dh, dh_last = rng.standard_normal((N, T, S)), rng.standard_normal((N, S))
    dc_last = rng.standard_normal((N, H)) if cell == "lstm" else None
    opts = OPTIONS[cell]

    def loss(x, p, h0, c0):
        h, cache = cell_forward(cell, x, p, h0, c0, **opts)
        hT, cT = final_state(cache)
        extra = float(np.sum(dc_last * cT)) if cT is not None else 0.0
        return float(np.sum(dh * h) + np.sum(dh_last * hT)) + extra

    _, cache = cell_forward(cell, x, p, h0, c0, **opts)
    g = cell_backward(cell, dh, cache, dc_last, dh_last=dh_last)
    assert isinstance(g, CellGrads) and g._fields == ("dx", "dparams", "dh0", "dc0")
    assert rel_error(numerical_gradient(lambda v: loss(v, p, h0, c0), x, h=1e-5), g.dx) < 1e-7
    assert rel_error(numerical_gradient(lambda v: loss(x, p, v, c0), h0, h=1e-5), g.dh0) < 1e-7
    for k in p:
        num = numerical_gradient(lambda v, k=k: loss(x, {**p, k: v}, h0, c0), p[k], h=1e-5)
        assert rel_error(num, g.dparams[k]) < 1e-7, k
    if cell == "lstm":
        num = numerical_gradient(lambda v: loss(x, p, h0, v), c0, h=1e-5)
        assert rel_error(num, g.dc0) < 1e-7
    else:
        assert g.dc0 is None


@pytest.mark.parametrize("cell", ALL_CELLS)
def test_h0_none_is_zeros_and_nothing_is_mutated(cell):
    rng = np.random.default_rng(2)
    p = params_of(cell)
    x = rng.standard_normal((N, T, D))
    keep = {k: v.copy() for k, v in p.items()}, x.copy()
    h_none, c1 = cell_forward(cell, x, p, **OPTIONS[cell])
    h_zero, _ = cell_forward(cell, x, p, np.zeros((N, state_size(cell))), **OPTIONS[cell])
    assert np.array_equal(h_none, h_zero)
    dh = rng.standard_normal(h_none.shape)
    dh_copy = dh.copy()
    g = cell_backward(cell, dh, c1)
    assert np.array_equal(dh, dh_copy) and np.array_equal(x, keep[1])
    assert all(np.array_equal(p[k], keep[0][k]) for k in p)
    assert all(g.dparams[k] is not p[k] for k in p) and g.dx is not x
    hT, _ = final_state(c1)
    hT += 1.0                                         # final_state returns a copy
    assert np.array_equal(final_state(c1)[0], h_none[:, -1])


@pytest.mark.parametrize("cell", ALL_CELLS)
def test_float32_in_float32_out(cell):
    rng = np.random.default_rng(3)
    p = params_of(cell, dtype=np.float32)
    x = rng.standard_normal((N, T, D)).astype(np.float32)
    h, cache = cell_forward(cell, x, p, **OPTIONS[cell])
    g = cell_backward(cell, np.ones_like(h), cache)
    assert h.dtype == np.float32
    assert g.dx.dtype == g.dh0.dtype == np.float32
    assert all(v.dtype == np.float32 for v in g.dparams.values())


@pytest.mark.parametrize("cell", ALL_CELLS)
def test_zero_steps_is_a_clear_error(cell):
    with pytest.raises(ValueError, match=r"x has shape \(2, 0, 3\); expected \(N, T, D\) with T >= 1"):
        cell_forward(cell, np.zeros((N, 0, D)), params_of(cell), **OPTIONS[cell])


def test_registry_equals_the_teaching_functions():
    """The registry adds nothing: same numbers as the positional functions (and it
    passes ``activation`` through, which cell_forward once dropped)."""
    rng = np.random.default_rng(4)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    p = params_of("rnn")
    h, cache = cell_forward("rnn", x, p, h0, activation="relu")
    h_ref, c_ref = rb.rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"], "relu")
    assert np.array_equal(h, h_ref)
    dh = rng.standard_normal(h.shape)
    g, ref = cell_backward("rnn", dh, cache), rb.rnn_backward(dh, c_ref)
    assert np.array_equal(g.dx, ref[0]) and np.array_equal(g.dh0, ref[1])
    assert all(np.array_equal(g.dparams[k], r) for k, r in zip(("W_xh", "W_hh", "b_h"), ref[2:]))
    assert not np.array_equal(h, cell_forward("rnn", x, p, h0)[0])      # tanh differs


def test_options_checked():
    p = params_of("leaky")
    x = np.zeros((N, T, D))
    with pytest.raises(ValueError, match="alpha is missing"):
        cell_forward("leaky", x, p)
    with pytest.raises(ValueError, match=r"options \['formulation'\]"):
        cell_forward("leaky", x, p, alpha=0.5, formulation="cho")
    with pytest.raises(ValueError, match=r"formulation is 'Cho'.*case-sensitive"):
        cell_forward("gru", x, params_of("gru"), formulation="Cho")
    with pytest.raises(ValueError, match="c0 is given"):
        cell_forward("gru", x, params_of("gru"), c0=np.zeros((N, H)))
    with pytest.raises(ValueError, match="cell is 'LSTM'"):
        cell_forward("LSTM", x, params_of("lstm"))
    _, cache = cell_forward("gru", x, params_of("gru"))
    with pytest.raises(ValueError, match="dc_last is given"):
        cell_backward("gru", np.zeros((N, T, H)), cache, np.zeros((N, H)))
    with pytest.raises(ValueError, match="expected the CellCache of a 'lstm'"):
        cell_backward("lstm", np.zeros((N, T, H)), cache)


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_deep_and_cell_backward_share_one_order(cell):
    """deep_backward and cell_backward both return (dx, dparams, dh0, dc0); a one-layer
    stack gives exactly the numbers of the cell."""
    rng = np.random.default_rng(5)
    params = deep_init(cell, D, H, 1, rng)
    x = rng.standard_normal((N, T, D))
    h, dcache = deep_forward(x, params, cell)
    dh = rng.standard_normal(h.shape)
    deep = deep_backward(dh, dcache)
    one = cell_backward(cell, dh, cell_forward(cell, x, params[0][0])[1])
    assert deep._fields == one._fields == ("dx", "dparams", "dh0", "dc0")
    assert np.array_equal(deep.dx, one.dx) and np.array_equal(deep.dh0[0], one.dh0)
    assert all(np.array_equal(deep.dparams[0][0][k], one.dparams[k]) for k in one.dparams)
    assert (deep.dc0 is None) == (one.dc0 is None)


def test_every_layer_takes_dh_last_as_a_keyword():
    """The extra gradient into the final state has one name, dh_last (dc_last for the
    LSTM's cell state, dy_last for Jordan's output); it equals adding to dh[:, -1]."""
    rng = np.random.default_rng(6)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    extra = rng.standard_normal((N, H))
    p = params_of("lstm")
    runs = {
        "rnn": (rb.rnn_backward, rb.rnn_forward(x, h0, *params_of("rnn").values())[1]),
        "gru": (rb.gru_backward, rb.gru_forward(x, h0, *params_of("gru").values())[1]),
        "lstm": (rb.lstm_backward, rb.lstm_forward(x, h0, p["W_xh"], p["W_hh"], p["b"])[1]),
        "leaky": (rb.leaky_rnn_backward, rb.leaky_rnn_forward(x, h0, *params_of("leaky").values(), 0.5)[1]),
        "skip": (rb.skip_rnn_backward, rb.skip_rnn_forward(
            x, h0, *[params_of("skip")[k] for k in ("W_xh", "W_hh", "W_skip", "b_h")], 2)[1]),
    }
    for name, (backward, cache) in runs.items():
        dh = rng.standard_normal((N, T, H))
        dh2 = dh.copy()
        dh2[:, -1] += extra
        a, b = backward(dh, cache, dh_last=extra), backward(dh2, cache)
        assert all(np.allclose(u, v, rtol=1e-13, atol=1e-13) for u, v in zip(a, b)), name
