"""float32 logits give float32 gradients, close to the float64 computation."""
import numpy as np
import pytest

from rnnbook.losses import cross_entropy, log_softmax, softmax, temporal_cross_entropy


def _logits(shape, scale=3.0):
    return np.random.default_rng(0).standard_normal(shape) * scale


@pytest.mark.parametrize("scale", [3.0, 1e3])
def test_cross_entropy_keeps_float32(scale):
    z64 = _logits((40, 83), scale)
    y = np.random.default_rng(1).integers(0, 83, 40)
    l64, d64 = cross_entropy(z64, y)
    l32, d32 = cross_entropy(z64.astype(np.float32), y)
    assert d32.dtype == np.float32 and d64.dtype == np.float64
    assert isinstance(l32, float) and np.isfinite(l32) and np.all(np.isfinite(d32))
    assert abs(l32 - l64) <= 1e-5 * max(1.0, abs(l64))
    assert np.max(np.abs(d32 - d64)) < 1e-6             # |dlogits| <= 1/N


def test_temporal_cross_entropy_and_softmax_keep_float32():
    z64 = _logits((5, 7, 11))
    y = np.random.default_rng(2).integers(0, 11, (5, 7))
    mask = np.random.default_rng(3).random((5, 7)) < 0.7
    for m in (None, mask):
        l64, d64 = temporal_cross_entropy(z64, y, m)
        l32, d32 = temporal_cross_entropy(z64.astype(np.float32), y, m)
        assert d32.dtype == np.float32
        assert abs(l32 - l64) <= 1e-5 * max(1.0, abs(l64))
        assert np.max(np.abs(d32 - d64)) < 1e-6
    z32 = z64.astype(np.float32)
    assert softmax(z32).dtype == np.float32 and log_softmax(z32).dtype == np.float32
    assert np.max(np.abs(softmax(z32) - softmax(z64))) < 1e-6
    assert np.max(np.abs(log_softmax(z32) - log_softmax(z64))) < 1e-5
