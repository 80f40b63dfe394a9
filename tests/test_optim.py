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
