"""The multilayer perceptron and the optimisers; seed 004's worked example."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

import rnnbook as rb
from rnnbook.worked_example import WORKED_X, worked_example_params


@settings(deadline=None)
@given(st.lists(dims(1, 4), min_size=2, max_size=4), dims(1, 3),
       st.sampled_from(sorted(rb.ACTIVATIONS)), st.booleans())
def test_mlp_gradients_match_finite_differences(sizes, N, activation, bias):
    rng = np.random.default_rng(len(sizes) * 10 + N)
    params = rb.init_mlp(sizes, rng, bias=bias)
    if bias:                                  # keep relu's pre-activations away from the kink
        params = {k: v + (0.3 if k.startswith("b") else 0.0) for k, v in params.items()}
    x = rng.standard_normal((N, sizes[0]))
    target = rng.standard_normal((N, sizes[-1]))

    def loss(p):
        return rb.mse(rb.mlp_forward(x, p, activation, "identity")[0], target)[0]

    y, cache = rb.mlp_forward(x, params, activation, "identity")
    if activation == "relu":                  # finite differences are invalid across the kink
        for l in range(1, len(sizes) - 1):
            a = cache.O[l - 1] @ params[f"W{l}"] + params.get(f"b{l}", 0.0)
            if np.any(np.abs(a) < 1e-4):
                return
    dx, grads, _ = rb.mlp_backward(rb.mse(y, target)[1], cache)
    # The reference differences are taken in extended precision (np.longdouble): the
    # sigmoid chains make some gradient entries tiny (1e-7), and in float64 the
    # round-off of a centred difference (eps * |loss| / h) alone would exceed 1e-7 of them.
    ext = {k: v.astype(np.longdouble) for k, v in params.items()}
    for k in params:
        num = rb.numerical_gradient(lambda v: loss({**ext, k: v}), ext[k])
        assert rb.rel_error(grads[k], num) < 1e-7
    num_x = rb.numerical_gradient(
        lambda v: rb.mse(rb.mlp_forward(v, ext, activation, "identity")[0], target)[0],
        x.astype(np.longdouble))
    assert rb.rel_error(dx, num_x) < 1e-7


def test_worked_example_forward_values_from_the_definition():
    # Independent recomputation from the definitions, neuron by neuron.
    w = {"13": -1, "23": 1, "14": 2.5, "24": 0.4, "15": 1, "25": -1.5, "36": 2.2, "46": -1.4,
         "56": 0.56, "37": 0.34, "47": 1.05, "57": 3.1, "68": 0.75, "78": -0.22}
    s = lambda a: 1 / (1 + np.exp(-a))
    O = {1: 0.6, 2: 0.7}
    for j, srcs in [(3, (1, 2)), (4, (1, 2)), (5, (1, 2)), (6, (3, 4, 5)), (7, (3, 4, 5)), (8, (6, 7))]:
        O[j] = s(sum(O[i] * w[f"{i}{j}"] for i in srcs))
    y, cache = rb.mlp_forward(WORKED_X, worked_example_params())
    np.testing.assert_allclose(np.concatenate([o[0] for o in cache.O[1:]]), [O[j] for j in range(3, 9)], rtol=1e-14)
    delta8 = (0.9 - O[8]) * O[8] * (1 - O[8])
    delta6 = delta8 * w["68"] * O[6] * (1 - O[6])
    _, grads, da = rb.mlp_backward(y - 0.9, cache)
    assert -da[2][0, 0] == pytest.approx(delta8, rel=1e-13)
    assert -da[1][0, 0] == pytest.approx(delta6, rel=1e-13)
    assert -grads["W3"][0, 0] == pytest.approx(delta8 * O[6], rel=1e-13)


def test_mlp_validation():
    p = worked_example_params()
    with pytest.raises(ValueError, match=r"x has shape \(1, 3\); expected \(N, n0\)|params\['W1'\] has shape"):
        rb.mlp_forward(np.zeros((1, 3)), p)
    with pytest.raises(ValueError, match="params has keys"):
        rb.mlp_forward(WORKED_X, {"W2": p["W2"]})
    with pytest.raises(ValueError, match="activation is 'soft'"):
        rb.mlp_forward(WORKED_X, p, activation="soft")
    with pytest.raises(ValueError, match=r"params\['b1'\] has shape"):
        rb.mlp_forward(WORKED_X, {**p, "b1": np.zeros(2)})
    y, cache = rb.mlp_forward(WORKED_X, p)
    with pytest.raises(ValueError, match=r"dy has shape \(2, 1\); expected \(1, 1\)"):
        rb.mlp_backward(np.zeros((2, 1)), cache)
    with pytest.raises(ValueError, match="sizes is"):
        rb.init_mlp((3,), np.random.default_rng(0))


def test_sgd_momentum_recurrence():
    params = {"w": np.array([1.0, -2.0])}
    opt = rb.SGD(lr=0.1, momentum=0.5)
    g1, g2 = np.array([1.0, 1.0]), np.array([2.0, -1.0])
    u1 = opt.step(params, {"w": g1})
    u2 = opt.step(params, {"w": g2})
    np.testing.assert_allclose(u1["w"], -0.1 * g1)
    np.testing.assert_allclose(u2["w"], 0.5 * u1["w"] - 0.1 * g2)
    np.testing.assert_allclose(params["w"], np.array([1.0, -2.0]) + u1["w"] + u2["w"])
    with pytest.raises(ValueError, match="grads has keys"):
        opt.step(params, {"v": g1})
    with pytest.raises(ValueError, match=r"grads\['w'\] has shape"):
        opt.step(params, {"w": np.zeros(3)})
    with pytest.raises(ValueError, match="momentum is"):
        rb.SGD(lr=0.1, momentum=1.5)


def test_adam_and_adagrad_first_steps():
    p = {"w": np.array([0.0, 0.0])}
    u = rb.Adam(lr=0.01).step(p, {"w": np.array([3.0, -1e-3])})
    np.testing.assert_allclose(u["w"], [-0.01, 0.01], rtol=1e-4)      # bias-corrected: lr * sign(g)
    p = {"w": np.array([0.0])}
    ada = rb.Adagrad(lr=0.5)
    ada.step(p, {"w": np.array([2.0])})
    u = ada.step(p, {"w": np.array([1.0])})
    np.testing.assert_allclose(u["w"], -0.5 * 1.0 / np.sqrt(5.0), rtol=1e-6)


def test_sgd_minimises_a_quadratic():
    A = np.diag([1.0, 10.0])
    for momentum in (0.0, 0.9):
        p, opt = {"x": np.array([1.0, 1.0])}, rb.SGD(lr=0.05, momentum=momentum)
        for _ in range(300):
            opt.step(p, {"x": A @ p["x"]})
        assert np.linalg.norm(p["x"]) < 1e-3
