"""GRU layer (PyTorch and Cho et al. formulations): gradient checks, shapes, bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.gru import (gru_backward, gru_forward, gru_init, gru_param_count,
                         gru_step_backward, gru_step_forward)

FORMS = ["pytorch", "cho"]
NAMES = ["x", "h0", "W_xh", "W_hh", "b_xh", "b_hh"]


def make(N=3, T=4, D=3, H=2, seed=0):
    rng = np.random.default_rng(seed)
    return dict(x=rng.standard_normal((N, T, D)), h0=rng.standard_normal((N, H)),
                W_xh=0.6 * rng.standard_normal((D, 3 * H)),
                W_hh=0.6 * rng.standard_normal((H, 3 * H)),
                b_xh=0.3 * rng.standard_normal(3 * H), b_hh=0.3 * rng.standard_normal(3 * H))


@pytest.mark.parametrize("form", FORMS)
def test_sequence_gradients_including_h0(form):
    args = make(T=5)
    h, cache = gru_forward(**args, formulation=form)
    dh = np.random.default_rng(2).standard_normal(h.shape)
    grads = gru_backward(dh, cache)
    for name, g in zip(NAMES, grads):
        def f(v, name=name):
            return gru_forward(**dict(args, **{name: v}), formulation=form)[0]
        num = numerical_gradient(f, args[name], df=dh, h=1e-5)
        assert rel_error(num, g) < 1e-7, (form, name)


@pytest.mark.parametrize("form", FORMS)
def test_step_gradients(form):
    args = make(T=1)
    inputs = [args["x"][:, 0], args["h0"], args["W_xh"], args["W_hh"], args["b_xh"],
              args["b_hh"]]
    h, cache = gru_step_forward(*inputs, formulation=form)
    dh = np.random.default_rng(1).standard_normal(h.shape)
    for k, g in enumerate(gru_step_backward(dh, cache)):
        def f(v, k=k):
            a = list(inputs)
            a[k] = v
            return gru_step_forward(*a, formulation=form)[0]
        assert rel_error(numerical_gradient(f, inputs[k], df=dh, h=1e-5), g) < 1e-7, k


def test_dh_last_gradient():
    args = make(T=3)
    h, cache = gru_forward(**args)
    dhT = np.random.default_rng(3).standard_normal(args["h0"].shape)
    grads = gru_backward(np.zeros_like(h), cache, dh_last=dhT)
    dh = np.zeros_like(h)
    dh[:, -1] = dhT
    assert all(rel_error(a, b) < 1e-14 for a, b in zip(grads, gru_backward(dh, cache)))


@pytest.mark.parametrize("form", FORMS)
def test_sequence_equals_loop_of_steps(form):
    args = make(N=2, T=6, D=4, H=3, seed=4)
    h, cache = gru_forward(**args, formulation=form)
    dh = np.random.default_rng(5).standard_normal(h.shape)
    ref = gru_backward(dh, cache)
    hs, caches = args["h0"], []
    for t in range(h.shape[1]):
        hs, c = gru_step_forward(args["x"][:, t], hs, args["W_xh"], args["W_hh"],
                                 args["b_xh"], args["b_hh"], form)
        caches.append(c)
        assert rel_error(hs, h[:, t]) < 1e-12
    dh_next, total = np.zeros_like(hs), [0, 0, 0, 0]
    dx = np.zeros_like(args["x"])
    for t in reversed(range(h.shape[1])):
        dx[:, t], dh_next, *dW = gru_step_backward(dh[:, t] + dh_next, caches[t])
        total = [s + g for s, g in zip(total, dW)]
    for a, r in zip([dx, dh_next, *total], ref):
        assert rel_error(a, r) < 1e-10


def test_formulations_differ_but_agree_when_reset_is_one():
    """With the reset gate saturated at 1 both forms compute the same candidate."""
    args = make(seed=7)
    H = args["h0"].shape[1]
    for k in ("b_xh",):
        args[k] = args[k].copy()
        args[k][:H] = 50.0                       # r = sigmoid(50) = 1 in float64
    h1, _ = gru_forward(**args, formulation="pytorch")
    h2, _ = gru_forward(**args, formulation="cho")
    assert rel_error(h1, h2) < 1e-12
    h3, _ = gru_forward(**make(seed=7), formulation="cho")
    assert rel_error(h3, gru_forward(**make(seed=7))[0]) > 1e-3


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 4), D=dims(1, 3), H=dims(1, 3),
       seed=st.integers(0, 10_000), form=st.sampled_from(FORMS))
def test_shapes_and_directional_gradient(N, T, D, H, seed, form):
    args = make(N, T, D, H, seed)
    h, cache = gru_forward(**args, formulation=form)
    assert h.shape == (N, T, H)
    dh = np.random.default_rng(seed + 1).standard_normal(h.shape)
    grads = gru_backward(dh, cache)
    rng = np.random.default_rng(seed + 2)
    us = {k: rng.standard_normal(v.shape) for k, v in args.items()}
    for g, k in zip(grads, NAMES):
        assert g.shape == args[k].shape
    eps = 1e-5
    def L(s):
        p = {k: v + s * us[k] for k, v in args.items()}
        return np.sum(dh * gru_forward(**p, formulation=form)[0])
    numeric = (L(eps) - L(-eps)) / (2 * eps)
    analytic = sum(np.sum(g * us[k]) for g, k in zip(grads, NAMES))
    assert abs(numeric - analytic) <= 1e-6 * max(1.0, abs(analytic))


def test_saturated_gates_stay_finite():
    args = make()
    args["x"] = args["x"] * 1e4
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        h, cache = gru_forward(**args)
        grads = gru_backward(np.ones_like(h), cache)
    assert all(np.all(np.isfinite(g)) for g in grads)


def test_param_count_and_init():
    p = gru_init(5, 7, np.random.default_rng(0))
    assert sum(v.size for v in p.values()) == gru_param_count(5, 7) == 3 * 7 * (5 + 7 + 2)


@pytest.mark.parametrize("bad, name", [
    (dict(x=np.zeros((2, 3))), "x"),
    (dict(x=np.zeros((2, 3, 9))), "x"),
    (dict(h0=np.zeros((5, 2))), "h0"),
    (dict(W_xh=np.zeros((3, 7))), "W_xh"),
    (dict(W_hh=np.zeros((3, 6))), "W_hh"),
    (dict(b_xh=np.zeros(5)), "b_xh"),
    (dict(b_hh=np.zeros(5)), "b_hh"),
    (dict(h0=np.full((3, 2), np.inf)), "h0"),
    (dict(formulation="keras"), "formulation"),
])
def test_bad_inputs_name_the_argument(bad, name):
    args = make()
    args.update(bad)
    with pytest.raises(ValueError, match=rf"^{name} "):
        gru_forward(**args)


def test_backward_bad_inputs():
    h, cache = gru_forward(**make())
    with pytest.raises(ValueError, match="^dh "):
        gru_backward(h[:, :-1], cache)
    with pytest.raises(ValueError, match="^cache "):
        gru_backward(h, tuple(cache))


@pytest.mark.parametrize("bad", ["Cho", "PyTorch", "torch", None, 1])
def test_formulation_must_be_exact(bad):
    x, h0, W_xh, W_hh, b_xh, b_hh = (make()[k] for k in NAMES)
    with pytest.raises(ValueError, match="^formulation is"):
        gru_forward(x, h0, W_xh, W_hh, b_xh, b_hh, formulation=bad)
    with pytest.raises(ValueError, match="^formulation is"):
        gru_step_forward(x[:, 0], h0, W_xh, W_hh, b_xh, b_hh, formulation=bad)


def test_zero_steps_rejected_and_dh_last_keyword_only():
    x, h0, W_xh, W_hh, b_xh, b_hh = (make()[k] for k in NAMES)
    with pytest.raises(ValueError, match=r"^x has shape .*T >= 1"):
        gru_forward(x[:, :0], h0, W_xh, W_hh, b_xh, b_hh)
    h, cache = gru_forward(x, h0, W_xh, W_hh, b_xh, b_hh)
    with pytest.raises(TypeError):
        gru_backward(h, cache, h0)


@pytest.mark.parametrize("bad, name", [
    (dict(x=np.zeros((3, 4))), "x"), (dict(h_prev=np.zeros((3, 5))), "h_prev"),
    (dict(h_prev=np.full((3, 2), np.nan)), "h_prev"), (dict(W_xh=np.zeros((3, 7))), "W_xh"),
    (dict(W_hh=np.zeros((2, 5))), "W_hh"), (dict(b_xh=np.zeros(5)), "b_xh"),
    (dict(b_hh=np.zeros(6, dtype=int)), "b_hh"), (dict(x=None), "x"),
])
def test_step_functions_validate(bad, name):
    x, h0, W_xh, W_hh, b_xh, b_hh = (make()[k] for k in NAMES)
    args = dict(x=x[:, 0], h_prev=h0, W_xh=W_xh, W_hh=W_hh, b_xh=b_xh, b_hh=b_hh)
    args.update(bad)
    with pytest.raises(ValueError, match=rf"^{name} "):
        gru_step_forward(**args)
    h, cache = gru_step_forward(x[:, 0], h0, W_xh, W_hh, b_xh, b_hh)
    with pytest.raises(ValueError, match="^dh "):
        gru_step_backward(h[:, :1], cache)
    with pytest.raises(ValueError, match="^cache "):
        gru_step_backward(h, tuple(cache))


def test_float32_stays_float32():
    x, h0, W_xh, W_hh, b_xh, b_hh = (make()[k].astype(np.float32) for k in NAMES)
    h, cache = gru_forward(x, None, W_xh, W_hh, b_xh, b_hh, formulation="cho")
    assert h.dtype == np.float32
    assert all(g.dtype == np.float32 for g in gru_backward(np.ones_like(h), cache))
