"""Tests of gradient clipping in rnnbook.optim (global norm keeps the direction;
elementwise clipping changes it)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from rnnbook.optim import clip_by_global_norm, clip_by_value, global_norm


def _grads(seed, scale):
    rng = np.random.default_rng(seed)
    return {"W_xh": rng.standard_normal((3, 4)) * scale,
            "W_hh": rng.standard_normal((4, 4)) * scale,
            "b_h": rng.standard_normal(4) * scale}


def _flat(g):
    return np.concatenate([g[k].ravel() for k in sorted(g)])


@settings(deadline=None)
@given(seed=st.integers(0, 10**6), scale=st.floats(1e-3, 1e3), max_norm=st.floats(0.1, 10))
def test_global_norm_clipping_keeps_direction(seed, scale, max_norm):
    g = _grads(seed, scale)
    c, norm = clip_by_global_norm(g, max_norm)
    assert norm == pytest.approx(np.linalg.norm(_flat(g)))
    assert global_norm(c) == pytest.approx(min(norm, max_norm), rel=1e-12)
    a, b = _flat(g), _flat(c)
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert cos == pytest.approx(1.0, abs=1e-12)
    if norm <= max_norm:
        assert all(np.array_equal(g[k], c[k]) for k in g)


def test_value_clipping_changes_direction():
    g = {"a": np.array([10.0, 0.1]), "b": np.array([-0.2])}
    c, norm = clip_by_value(g, 1.0)
    assert np.array_equal(c["a"], [1.0, 0.1]) and np.array_equal(c["b"], [-0.2])
    a, b = _flat(g), _flat(c)
    cos = a @ b / (np.linalg.norm(a) * np.linalg.norm(b))
    assert cos < 0.99
    assert norm == pytest.approx(np.linalg.norm(a))


def test_clipping_bad_arguments():
    with pytest.raises(ValueError, match=r"^max_norm\b"):
        clip_by_global_norm({"a": np.ones(2)}, -1.0)
    with pytest.raises(ValueError, match=r"^threshold\b"):
        clip_by_value({"a": np.ones(2)}, float("nan"))


@pytest.mark.parametrize("scale", [1e150, 1e200, 1e300])
def test_clipping_rescales_huge_gradients(scale):
    """Above ~1e154 the sum of squares overflows; the norm must still be exact and the
    clipped gradient must have norm max_norm in the same direction (not zeros)."""
    g = {"a": np.array([3.0, 0.0]) * scale, "b": np.array([[4.0]]) * scale}
    c, norm = clip_by_global_norm(g, 2.0)
    assert norm == pytest.approx(5.0 * scale, rel=1e-14)
    assert np.allclose(c["a"], [1.2, 0.0], rtol=1e-14) and np.allclose(c["b"], [[1.6]], rtol=1e-14)
    assert global_norm({"a": np.array([1e-200, 1e-200])}) == pytest.approx(np.sqrt(2) * 1e-200)


def test_global_norm_of_non_finite_and_clipping_rejects_it():
    assert np.isnan(global_norm({"a": np.array([np.nan, 1.0])}))
    assert global_norm({"a": np.array([np.inf, 1.0])}) == np.inf
    for fn, arg in ((clip_by_global_norm, 1.0), (clip_by_value, 1.0)):
        with pytest.raises(ValueError, match=r"grads\['a'\] contains NaN"):
            fn({"a": np.array([np.nan, 1.0])}, arg)


def test_clipping_returns_new_arrays():
    g = _grads(0, 1.0)
    before = {k: v.copy() for k, v in g.items()}
    for fn in (clip_by_global_norm, clip_by_value):
        for limit in (1e-3, 1e3):
            c, _ = fn(g, limit)
            assert all(c[k] is not g[k] and not np.shares_memory(c[k], g[k]) for k in g)
    assert all(np.array_equal(g[k], before[k]) for k in g)


def test_optimiser_hyperparameters_rejected():
    from rnnbook.optim import SGD, Adagrad, Adam
    bad = [(Adam, dict(beta1=1.0), "beta1"), (Adam, dict(beta2=1.0), "beta2"),
           (Adam, dict(eps=0.0), "eps"), (Adam, dict(eps=-1e-8), "eps"),
           (Adam, dict(lr=-1e-3), "lr"), (Adam, dict(lr=float("nan")), "lr"),
           (Adam, dict(beta1=-0.1), "beta1"), (Adagrad, dict(eps=0.0), "eps"),
           (SGD, dict(lr=float("inf")), "lr"), (SGD, dict(momentum=1.0), "momentum"),
           (Adam, dict(lr=True), "lr")]
    for cls, kw, name in bad:
        with pytest.raises(ValueError, match=rf"^{name} is"):
            cls(**kw)
    SGD(lr=0.0)                                        # lr = 0 (no update) is allowed


def test_optimiser_rejects_non_finite_gradients_and_parameters():
    from rnnbook.optim import Adam
    params = {"w": np.ones(3)}
    with pytest.raises(ValueError, match=r"grads\['w'\] contains NaN"):
        Adam().step(params, {"w": np.array([1.0, np.nan, 0.0])})
    with pytest.raises(ValueError, match=r"params\['w'\] contains NaN"):
        Adam().step({"w": np.array([np.nan, 1.0, 1.0])}, {"w": np.ones(3)})
    assert np.array_equal(params["w"], np.ones(3))    # nothing was changed


def test_adam_with_a_constant_gradient_steps_by_lr():
    """With the bias corrections, m_hat = g and v_hat = g^2 at every step for a constant
    g, so each update is -lr g / (|g| + eps): derived from the definition, no torch."""
    from rnnbook.optim import Adam
    g = {"w": np.array([0.3, -2.0, 1e-3]), "b": np.array([[5.0]])}
    params = {k: np.zeros_like(v) for k, v in g.items()}
    opt = Adam(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    for step in range(50):
        updates = opt.step(params, g)
        for k in g:
            assert np.allclose(updates[k], -0.01 * g[k] / (np.abs(g[k]) + 1e-8),
                               rtol=1e-12, atol=0), (step, k)
