"""Validation helpers, activations, losses and gradient checking."""
import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

import rnnbook as rb
from rnnbook._validation import (check_array, check_cache, check_choice, check_finite_scalar,
                                 check_positive_int, check_same_shape)

floats = st.floats(-50, 50, allow_nan=False)


# --- validation ---------------------------------------------------------------
def test_check_array_names_argument_and_shapes():
    dims = {}
    check_array("W_xh", np.zeros((5, 3)), ("D", "H"), dims=dims)
    with pytest.raises(ValueError, match=r"x has shape \(4, 3\); expected \(N, D\) .*D = 5"):
        check_array("x", np.zeros((4, 3)), ("N", "D"), dims=dims)
    with pytest.raises(ValueError, match=r"x has shape \(4,\); expected \(N, T, D\)"):
        check_array("x", np.zeros(4), ("N", "T", "D"))
    with pytest.raises(ValueError, match=r"W_hh has shape \(2, 3\); expected \(H, H\) with H = 2"):
        check_array("W_hh", np.zeros((2, 3)), ("H", "H"))
    with pytest.raises(ValueError, match=r"b has shape \(3,\); expected \(4,\)"):
        check_array("b", np.zeros(3), (4,))


def test_check_array_rejects_nonfinite_and_integer():
    with pytest.raises(ValueError, match="x contains 1 non-finite"):
        check_array("x", np.array([1.0, np.nan]), ("N",))
    with pytest.raises(ValueError, match="x contains 2 non-finite"):
        check_array("x", np.array([np.inf, -np.inf]), ("N",))
    with pytest.raises(ValueError, match="x has dtype int64; expected a floating"):
        check_array("x", np.array([1, 2], dtype=np.int64), ("N",))
    with pytest.raises(ValueError, match="x has dtype object"):
        check_array("x", np.array([None, 1.0], dtype=object), ("N",))
    with pytest.raises(ValueError, match="x could not be converted"):
        check_array("x", [[1.0], [1.0, 2.0]], ("N", "D"))
    assert check_array("x", np.array([np.nan]), ("N",), finite=False).shape == (1,)


def test_other_validators():
    with pytest.raises(ValueError, match=r"dh has shape \(2,\); expected \(3,\) \(the shape of h\)"):
        check_same_shape("dh", np.zeros(2), "h", np.zeros(3))
    with pytest.raises(ValueError, match="dh has dtype"):
        check_same_shape("dh", np.zeros(3, dtype=int), "h", np.zeros(3))
    with pytest.raises(ValueError, match="dh contains non-finite"):
        check_same_shape("dh", np.array([np.nan]), "h", np.zeros(1))
    with pytest.raises(ValueError, match="activation is 'softsign'; expected one of"):
        check_choice("activation", "softsign", ("tanh", "relu"))
    assert check_positive_int("k", None, allow_none=True) is None
    for bad in (0, -1, 1.5, True, "3"):
        with pytest.raises(ValueError, match="k is"):
            check_positive_int("k", bad)
    assert check_finite_scalar("lr", "0.5") == 0.5
    _, cache = rb.rnn_forward(np.zeros((1, 2, 3)), np.zeros((1, 4)), np.zeros((3, 4)),
                              np.zeros((4, 4)), np.zeros(4))
    assert check_cache(cache, rb.RNNCache, "rnn_forward") is cache
    with pytest.raises(ValueError, match="cache is a tuple; expected the RNNCache returned by rnn_forward"):
        check_cache(tuple(cache), rb.RNNCache, "rnn_forward")
    for bad in (np.nan, np.inf, "x", -1.0):
        with pytest.raises(ValueError, match="lr is"):
            check_finite_scalar("lr", bad, low=0.0)


# --- activations ----------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(rb.ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name):
    a = np.array([-3.0, -0.7, 0.3, 2.5])          # away from relu's kink at 0
    f, df = rb.ACTIVATIONS[name]
    assert rb.rel_error(df(f(a)), rb.numerical_gradient(f, a)) < 1e-7


def test_sigmoid_is_stable_and_silent_for_huge_inputs():
    a = np.array([-1e4, -800.0, -30.0, 0.0, 30.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = rb.sigmoid(a)
    assert np.all(np.isfinite(s))
    assert s[0] == 0.0 and s[-1] == 1.0 and s[3] == 0.5
    assert abs(s[2] - np.exp(-30.0) / (1 + np.exp(-30.0))) < 1e-25   # relative accuracy in the tail
    np.testing.assert_allclose(rb.sigmoid(a) + rb.sigmoid(-a), 1.0)


@given(arrays(np.float64, st.integers(1, 20), elements=floats))
def test_sigmoid_symmetry_and_range(a):
    s = rb.sigmoid(a)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s, 1 - rb.sigmoid(-a), atol=1e-15)


def test_unknown_activation():
    with pytest.raises(ValueError, match="activation is 'gelu'"):
        rb.activation("gelu")
    with pytest.raises(ValueError, match="activation is 'gelu'"):
        rb.activation_grad("gelu")
    assert rb.activation("relu")(np.array([-1.0, 2.0])).tolist() == [0.0, 2.0]


# --- losses ------------------------------------------------------------------------
def test_softmax_examples_and_stability():
    p = rb.softmax(np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_allclose(p, np.exp([1, 2, 3, 4]) / np.exp([1, 2, 3, 4]).sum())
    big = rb.softmax(np.array([[1e4, -1e4, 0.0]]))
    assert np.all(np.isfinite(big)) and big[0, 0] == 1.0
    np.testing.assert_allclose(rb.log_softmax(np.array([[1e4, 1e4]])), np.log(0.5) * np.ones((1, 2)))


def test_cross_entropy_value_gradient_and_stability():
    rng = np.random.default_rng(0)
    z, y = rng.standard_normal((5, 4)), np.array([0, 3, 1, 1, 2])
    loss, dz = rb.cross_entropy(z, y)
    p = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    assert abs(loss - (-np.log(p[np.arange(5), y]).mean())) < 1e-12
    assert rb.rel_error(dz, rb.numerical_gradient(lambda z_: rb.cross_entropy(z_, y)[0], z)) < 1e-7
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, dz = rb.cross_entropy(np.array([[1e4, -1e4], [-1e4, 1e4]]), np.array([1, 1]))
    assert loss == pytest.approx(1e4) and np.all(np.isfinite(dz))


def test_cross_entropy_rejects_bad_targets():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="targets has values in"):
        rb.cross_entropy(z, np.array([0, 3]))
    with pytest.raises(ValueError, match="targets has dtype"):
        rb.cross_entropy(z, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"targets has shape \(3,\); expected \(N,\) with N = 2"):
        rb.cross_entropy(z, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="logits contains"):
        rb.cross_entropy(np.array([[np.nan, 0.0]]), np.array([0]))


def test_mse():
    y, t = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[0.0, 2.0], [3.0, 3.0]])
    loss, dy = rb.mse(y, t)
    assert loss == pytest.approx(0.5 * (1 + 4) / 2)
    assert rb.rel_error(dy, rb.numerical_gradient(lambda y_: rb.mse(y_, t)[0], y)) < 1e-7
    with pytest.raises(ValueError, match=r"target has shape \(2,\); expected \(2, 2\)"):
        rb.mse(y, np.zeros(2))


# --- gradient checking --------------------------------------------------------------
def test_numerical_gradient_does_not_modify_input_and_handles_df():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    g = rb.numerical_gradient(lambda v: np.sum(v ** 3), x)
    np.testing.assert_array_equal(x, before)
    assert rb.rel_error(g, 3 * x ** 2) < 1e-8
    df = np.array([[1.0, 0.0], [2.0, -1.0]])
    g = rb.numerical_gradient(lambda v: np.sin(v), x, df=df)
    assert rb.rel_error(g, df * np.cos(x)) < 1e-8


def test_rel_error_definition():
    assert rb.rel_error(np.array([1.0, 0.0]), np.array([1.0, 0.0])) == 0.0
    assert rb.rel_error(np.array([1.0]), np.array([3.0])) == pytest.approx(0.5)
    assert rb.rel_error(np.zeros(3), np.array([0, 0, 1e-9])) == pytest.approx(0.1)
    assert rb.rel_error(np.zeros(0), np.zeros(0)) == 0.0
    with pytest.raises(ValueError, match="b has shape"):
        rb.rel_error(np.zeros(2), np.zeros(3))


def test_directional_check_detects_a_wrong_gradient():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((30, 20))
    f = lambda v: np.sum(np.tanh(v) ** 2)
    good = 2 * np.tanh(x) * (1 - np.tanh(x) ** 2)
    assert rb.directional_check(f, x, good, rng=rng, n_directions=3) < 1e-7
    assert rb.directional_check(f, x, 1.01 * good, rng=rng) > 1e-3
    with pytest.raises(ValueError, match="grad has shape"):
        rb.directional_check(f, x, good[:3])


def test_numerical_gradient_is_accurate_in_float64_without_longdouble():
    # Saturated and cancelling entries: gradients down to 1e-7 next to outputs of
    # order one, where the two-point difference in float64 is off by more than 1e-7.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((4, 5))
    W = 3.0 * rng.standard_normal((5, 6))
    df = rng.standard_normal((4, 6))
    f = lambda v: np.tanh(v @ W) + 10.0
    analytic = (df * (1 - np.tanh(x @ W) ** 2)) @ W.T
    num = rb.numerical_gradient(f, x, df=df)
    assert num.dtype == np.float64
    assert rb.rel_error(num, analytic) < 1e-9
    two_point = rb.numerical_gradient(f, x, df=df, h=1e-6)
    assert rb.rel_error(two_point, analytic) > rb.rel_error(num, analytic)


def test_numerical_gradient_steps_inside_a_relu_kink():
    x = np.array([-3e-4, -1e-5, 2e-5, 5e-4, 0.7])          # all within 3 * 2^-10 of 0
    num = rb.numerical_gradient(lambda v: np.maximum(v, 0.0), x)
    np.testing.assert_allclose(num, [0, 0, 1, 1, 1], atol=1e-9)


def test_explicit_step_is_the_textbook_two_point_difference():
    x = np.array([0.3, -1.2])
    f = lambda v: np.sum(np.exp(v))
    h = 1e-3
    expected = (np.exp(x + h) - np.exp(x - h)) / (2 * h)
    np.testing.assert_allclose(rb.numerical_gradient(f, x, h=h), expected, rtol=1e-9)
    six = rb.numerical_gradient(f, x, h=h, order=6)
    assert rb.rel_error(six, np.exp(x)) < 1e-11 < rb.rel_error(expected, np.exp(x))


@pytest.mark.parametrize("h", [0, 0.0, -1e-6, np.nan, np.inf, True, "1e-6"])
def test_numerical_gradient_rejects_bad_steps(h):
    with pytest.raises(ValueError, match=r"^h is"):
        rb.numerical_gradient(np.sin, np.ones(3), h=h)
    with pytest.raises(ValueError, match=r"^h is"):
        rb.directional_check(np.sin, np.ones(3), np.cos(np.ones(3)), h=h)


def test_numerical_gradient_rejects_bad_order_nan_f_and_df():
    with pytest.raises(ValueError, match=r"^order is 3"):
        rb.numerical_gradient(np.sin, np.ones(3), h=1e-3, order=3)
    with pytest.raises(ValueError, match=r"^order is 4 but h is None"):
        rb.numerical_gradient(np.sin, np.ones(3), order=4)
    with pytest.raises(ValueError, match=r"^f returned a non-finite value"):
        rb.numerical_gradient(lambda v: np.sum(np.where(v > 1e-4, v, np.nan)), np.array([1.0, 1e-4]))
    with pytest.raises(ValueError, match=r"^f returned a non-finite value"):
        rb.numerical_gradient(lambda v: np.full(2, np.nan), np.ones(2))
    with pytest.raises(ValueError, match=r"^df has shape \(3,\); expected \(2,\)"):
        rb.numerical_gradient(lambda v: v * 2, np.ones(2), df=np.ones(3))
    with pytest.raises(ValueError, match=r"^df contains 1 non-finite"):
        rb.numerical_gradient(lambda v: v * 2, np.ones(2), df=np.array([1.0, np.nan]))


def test_directional_check_never_passes_broken_input():
    x = np.linspace(-1, 1, 6)
    f = lambda v: np.sum(np.tanh(v))
    good = 1 - np.tanh(x) ** 2
    assert rb.directional_check(f, x, good, n_directions=2) < 1e-9
    bad_grad = good.copy()
    bad_grad[2] = np.nan
    with pytest.raises(ValueError, match=r"^grad contains 1 non-finite"):
        rb.directional_check(f, x, bad_grad)
    with pytest.raises(ValueError, match=r"^f returned a non-finite value"):
        rb.directional_check(lambda v: np.nan * np.sum(v), x, good)
    for n in (0, -1, 1.5, None):
        with pytest.raises(ValueError, match=r"^n_directions is"):
            rb.directional_check(f, x, good, n_directions=n)
    with pytest.raises(ValueError, match=r"^x contains 1 non-finite"):
        rb.directional_check(f, np.array([0.0, np.inf]), np.ones(2))
