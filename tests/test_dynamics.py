"""Tests of rnnbook.dynamics: exact Jacobian products, norms, bounds, matrix families."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.dynamics import (GAMMA, gradient_norms, jacobian_norms, jacobian_product,
                              largest_singular_value, non_normal, pascanu_bound,
                              power_norms, scaled_gaussian, scaled_orthogonal,
                              spectral_radius, step_jacobians)
from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.rnn import rnn_backward, rnn_forward


def _run(N, T, D, H, W_hh, activation, seed=0, scale=1.0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D)) * scale
    h0 = rng.standard_normal((N, H)) * 0.5
    W_xh = rng.standard_normal((D, H)) * 0.5
    b_h = rng.standard_normal(H) * 0.1
    return rnn_forward(x, h0, W_xh, W_hh, b_h, activation)


@pytest.mark.parametrize("rho", [0.5, 0.9, 1.0, 1.1, 1.5])
def test_linear_scaled_orthogonal_gives_rho_to_the_T(rho):
    H, T = 6, 20
    rng = np.random.default_rng(1)
    W = scaled_orthogonal(H, rho, rng)
    _, cache = _run(2, T, 3, H, W, "identity")
    P = jacobian_product(cache)                      # dh_{T-1}/dh0: T factors
    for n in range(2):
        for _ in range(5):
            u = rng.standard_normal(H)
            u /= np.linalg.norm(u)
            assert np.linalg.norm(P[n] @ u) == pytest.approx(rho ** T, rel=1e-10)
            assert np.linalg.norm(u @ P[n]) == pytest.approx(rho ** T, rel=1e-10)
    norms = jacobian_norms(cache)
    assert np.allclose(norms, rho ** np.arange(1, T + 1)[None], rtol=1e-10)


def test_jacobian_product_matches_finite_differences():
    H, T, k = 4, 6, 1
    rng = np.random.default_rng(2)
    W = scaled_gaussian(H, 1.2, rng)
    _, cache = _run(1, T, 2, H, W, "tanh")
    P = jacobian_product(cache, t=T - 1, k=k)
    # finite differences: perturb h_k, rerun the remaining steps from it
    x_rest = cache.x[:, k + 1:]

    def h_last(hk):
        h, _ = rnn_forward(x_rest, hk[None], cache.W_xh, cache.W_hh, cache.b_h, "tanh")
        return h[0, -1]

    hk = cache.h[0, k].copy()
    num = np.stack([numerical_gradient(lambda z: h_last(z)[i], hk) for i in range(H)])
    assert rel_error(num, P[0]) < 1e-7


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 8), H=dims(1, 5),
       act=st.sampled_from(["tanh", "sigmoid", "relu", "identity"]),
       seed=st.integers(0, 10**6))
def test_jacobian_product_agrees_with_rnn_backward(N, T, H, act, seed):
    rng = np.random.default_rng(seed)
    W = rng.standard_normal((H, H)) * 0.7
    _, cache = _run(N, T, 2, H, W, act, seed=seed)
    delta = rng.standard_normal((N, H))
    dh = np.zeros((N, T, H))
    dh[:, -1] = delta
    _, dh0, *_ = rnn_backward(dh, cache)
    P = jacobian_product(cache)
    assert np.allclose(np.einsum("nh,nhk->nk", delta, P), dh0, atol=1e-12)
    assert step_jacobians(cache).shape == (N, T, H, H)
    g = gradient_norms(cache, delta)
    assert g.shape == (N, T + 1)
    assert np.allclose(g[:, -1], np.linalg.norm(dh0, axis=1), atol=1e-12)


@pytest.mark.parametrize("act", ["tanh", "sigmoid"])
def test_pascanu_sufficient_condition_on_random_instances(act):
    rng = np.random.default_rng(3)
    gamma = GAMMA[act]
    for trial in range(30):
        H, T = int(rng.integers(2, 8)), int(rng.integers(5, 40))
        W = rng.standard_normal((H, H))
        sigma_target = rng.uniform(0.2, 0.99) / gamma      # sigma_max < 1/gamma
        W *= sigma_target / largest_singular_value(W)
        _, cache = _run(3, T, 2, H, W, act, seed=trial, scale=2.0)
        norms = jacobian_norms(cache)                      # gaps 1 .. T
        bound = pascanu_bound(W, act, np.arange(1, T + 1))
        assert np.all(bound < 1)
        assert np.all(norms <= bound[None] * (1 + 1e-10))


def test_seed_bound_on_delta_norms():
    rng = np.random.default_rng(4)
    H, T = 5, 30
    W = scaled_gaussian(H, 1.3, rng)
    _, cache = _run(2, T, 2, H, W, "tanh")
    delta = rng.standard_normal((2, H))
    g = gradient_norms(cache, delta)
    beta_W = largest_singular_value(W)
    beta_f = np.abs(1 - cache.h ** 2).max()
    bound = g[:, :1] * (beta_W * beta_f) ** np.arange(T + 1)[None]
    assert np.all(g <= bound * (1 + 1e-10))


def test_log_norms_never_overflow():
    H, T = 3, 400
    W = scaled_orthogonal(H, 8.0, np.random.default_rng(0))
    # zero input and state: the states stay 0, only the Jacobians explode
    _, cache = rnn_forward(np.zeros((1, T, 1)), np.zeros((1, H)), np.zeros((1, H)), W,
                           np.zeros(H), "identity")
    logs = jacobian_norms(cache, log10=True)
    assert np.all(np.isfinite(logs))
    assert logs[0, -1] == pytest.approx(T * np.log10(8.0), rel=1e-10)
    assert np.isinf(jacobian_norms(cache)[0, -1])


def test_spectral_radius_and_singular_value_of_families():
    rng = np.random.default_rng(5)
    for rho in (0.3, 0.9, 1.7):
        Q = scaled_orthogonal(10, rho, rng)
        assert spectral_radius(Q) == pytest.approx(rho, rel=1e-10)
        assert largest_singular_value(Q) == pytest.approx(rho, rel=1e-10)
        G = scaled_gaussian(10, rho, rng)
        assert spectral_radius(G) == pytest.approx(rho, rel=1e-10)
        assert largest_singular_value(G) > rho
        M = non_normal(6, rho, shear=1.0, rng=rng)
        # a rotated Jordan block: rounding moves its eigenvalues by ~ eps^(1/6)
        assert spectral_radius(M) == pytest.approx(rho, rel=2e-2)
        assert spectral_radius(non_normal(6, rho)) == rho        # triangular: exact
        assert largest_singular_value(M) > rho + 0.5


def test_non_normal_transient_growth():
    W = non_normal(2, 0.9, shear=1.0)
    p = power_norms(W, 200)
    assert p[0] == 1.0
    assert p.max() > 3.0                       # grows first although rho = 0.9
    assert 5 <= int(np.argmax(p)) <= 15
    assert p[-1] < 1e-6                         # and vanishes eventually
    assert np.allclose(power_norms(scaled_orthogonal(4, 0.9, np.random.default_rng(0)), 10),
                       0.9 ** np.arange(11))


@pytest.mark.parametrize("call, name", [
    (lambda: spectral_radius(np.ones((2, 3))), "W"),
    (lambda: scaled_orthogonal(0, 0.9, np.random.default_rng(0)), "H"),
    (lambda: scaled_gaussian(3, -1.0, np.random.default_rng(0)), "rho"),
    (lambda: scaled_gaussian(3, 1.0, 0), "rng"),
    (lambda: pascanu_bound(np.eye(2), "softplus", 3), "activation"),
    (lambda: jacobian_product("nope"), "cache"),
    (lambda: power_norms(np.eye(2), -1), "K"),
])
def test_bad_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_bad_times():
    _, cache = _run(1, 5, 1, 2, np.eye(2) * 0.5, "tanh")
    with pytest.raises(ValueError, match=r"^t\b"):
        jacobian_product(cache, t=5)
    with pytest.raises(ValueError, match=r"^k\b"):
        jacobian_product(cache, t=2, k=2)
    with pytest.raises(ValueError, match=r"^delta\b"):
        gradient_norms(cache, np.zeros((1, 3)))


@pytest.mark.parametrize("act, f", [("tanh", np.tanh),
                                    ("sigmoid", lambda a: 1.0 / (1.0 + np.exp(-a))),
                                    ("relu", lambda a: np.maximum(a, 0.0)),
                                    ("identity", lambda a: a)])
def test_gamma_is_the_measured_maximum_of_the_derivative(act, f):
    """GAMMA[act] = sup |f'(a)|, measured by centred differences of f written here (not
    read from rnnbook.activations) on a fine grid: 1/4 for the sigmoid, 1 for the others."""
    a = np.linspace(-10.0, 10.0, 200_001) + 1e-7          # the grid avoids relu's kink
    h = 1e-5
    slope = np.abs(f(a + h) - f(a - h)) / (2 * h)
    assert GAMMA[act] == pytest.approx(slope.max(), abs=1e-8)


def test_leaky_jacobians_match_finite_differences_and_skip_is_rejected():
    """A leaky cache gives alpha I + (1 - alpha) diag(f') W_hh^T, not Elman's Jacobian."""
    from rnnbook.leaky import leaky_rnn_forward
    from rnnbook.skip import skip_rnn_forward
    rng = np.random.default_rng(7)
    N, T, D, H = 2, 6, 3, 4
    x, W_xh = rng.standard_normal((N, T, D)), rng.standard_normal((D, H))
    W_hh, b = 0.5 * rng.standard_normal((H, H)), 0.1 * rng.standard_normal(H)
    h0, alpha = rng.standard_normal((N, H)), np.array([0.0, 0.5, 0.9, 0.99])
    _, cache = leaky_rnn_forward(x, h0, W_xh, W_hh, b, alpha)
    P = jacobian_product(cache)                                  # dh_{T-1}/dh0
    for n in range(N):
        for j in range(H):
            def f(v, n=n, j=j):
                h0_ = h0.copy()
                h0_[n, j] = v[0]
                return leaky_rnn_forward(x, h0_, W_xh, W_hh, b, alpha)[0][n, -1]
            col = np.array([(f([h0[n, j] + e]) - f([h0[n, j] - e])) / (2 * e)
                            for e in (1e-6,)])[0]
            assert np.abs(col - P[n][:, j]).max() < 1e-8
    delta = rng.standard_normal((N, H))
    g = gradient_norms(cache, delta)
    assert np.allclose(g[:, -1], np.linalg.norm(np.einsum("nh,nhk->nk", delta, P), axis=1))
    assert np.allclose(jacobian_norms(cache)[:, -1], np.linalg.norm(P, 2, axis=(1, 2)))
    _, skip_cache = skip_rnn_forward(x, h0, W_xh, W_hh, W_hh, b, 2)
    for fn in (jacobian_norms, step_jacobians, jacobian_product):
        with pytest.raises(ValueError, match="cache is a SkipCache"):
            fn(skip_cache)
