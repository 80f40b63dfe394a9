"""Output layer and temporal losses: gradient checks, masks, bad inputs."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.layers import affine_backward, affine_forward, temporal_mse, temporal_softmax_loss
from rnnbook.losses import cross_entropy


@pytest.mark.parametrize("shape", [(3, 4), (3, 5, 4), (1, 1, 1)])
def test_affine_gradients(shape):
    rng = np.random.default_rng(0)
    H, V = shape[-1], 3
    h, W, b = rng.standard_normal(shape), rng.standard_normal((H, V)), rng.standard_normal(V)
    o, cache = affine_forward(h, W, b)
    do = rng.standard_normal(o.shape)
    dh, dW, db = affine_backward(do, cache)
    assert rel_error(numerical_gradient(lambda v: affine_forward(v, W, b)[0], h, df=do), dh) < 1e-7
    assert rel_error(numerical_gradient(lambda v: affine_forward(h, v, b)[0], W, df=do), dW) < 1e-7
    assert rel_error(numerical_gradient(lambda v: affine_forward(h, W, v)[0], b, df=do), db) < 1e-7


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 4), V=dims(1, 4), seed=st.integers(0, 999),
       use_mask=st.booleans())
def test_temporal_softmax_gradient(N, T, V, seed, use_mask):
    rng = np.random.default_rng(seed)
    logits = 0.5 * rng.standard_normal((N, T, V))   # no vanishing probabilities
    targets = rng.integers(0, V, (N, T))
    mask = rng.random((N, T)) < 0.6 if use_mask else None
    loss, d = temporal_softmax_loss(logits, targets, mask)
    num = numerical_gradient(lambda z: temporal_softmax_loss(z, targets, mask)[0], logits, h=1e-5)
    assert rel_error(num, d) < 1e-7
    if mask is not None:
        assert np.all(d[~mask] == 0)


def test_temporal_softmax_matches_cross_entropy():
    rng = np.random.default_rng(1)
    logits = rng.standard_normal((4, 3, 5))
    targets = rng.integers(0, 5, (4, 3))
    loss, _ = temporal_softmax_loss(logits, targets)
    ref = sum(cross_entropy(logits[:, t], targets[:, t])[0] for t in range(3))
    assert abs(loss - ref) < 1e-12
    mask = np.zeros((4, 3), bool); mask[:, -1] = True
    assert abs(temporal_softmax_loss(logits, targets, mask)[0]
               - cross_entropy(logits[:, -1], targets[:, -1])[0]) < 1e-12


def test_temporal_mse_gradient():
    rng = np.random.default_rng(2)
    y, t = rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 2))
    mask = np.array([[True, False, True], [False, True, True]])
    loss, dy = temporal_mse(y, t, mask)
    assert rel_error(numerical_gradient(lambda v: temporal_mse(v, t, mask)[0], y), dy) < 1e-7
    assert abs(loss - 0.5 * np.sum(((y - t) * mask[..., None]) ** 2) / 2) < 1e-12


def test_layers_bad_inputs():
    rng = np.random.default_rng(3)
    logits, targets = rng.standard_normal((2, 3, 4)), rng.integers(0, 4, (2, 3))
    for args, name in [((logits[0], targets), "logits"), ((logits, targets[:, :2]), "targets"),
                       ((logits, targets + 4), "targets"), ((logits, targets.astype(float)), "targets"),
                       ((logits, targets, np.ones((2, 3))), "mask"),
                       ((logits, targets, np.ones((2, 2), bool)), "mask")]:
        with pytest.raises(ValueError, match=name):
            temporal_softmax_loss(*args)
    bad = logits.copy(); bad[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="logits"):
        temporal_softmax_loss(bad, targets)
    with pytest.raises(ValueError, match="h"):
        affine_forward(rng.standard_normal((2, 3)), rng.standard_normal((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="b_q"):
        affine_forward(rng.standard_normal((2, 4)), rng.standard_normal((4, 2)), np.zeros(3))
    o, c = affine_forward(rng.standard_normal((2, 4)), rng.standard_normal((4, 2)), np.zeros(2))
    with pytest.raises(ValueError, match="do"):
        affine_backward(np.zeros((2, 3)), c)
    with pytest.raises(ValueError, match="target"):
        temporal_mse(logits, logits[:, :2])


def test_one_home_for_the_losses():
    import rnnbook.losses as L
    from rnnbook.layers import temporal_mse, temporal_softmax_loss
    assert temporal_softmax_loss is L.temporal_cross_entropy and temporal_mse is L.temporal_mse


@pytest.mark.parametrize("fn, logits, targets", [
    ("cross_entropy", np.zeros((2, 3)), np.array([0, -1])),
    ("temporal_cross_entropy", np.zeros((2, 2, 3)), np.array([[0, 1], [2, -1]])),
    ("cross_entropy", np.zeros((2, 3)), np.array([0, 3])),
])
def test_negative_or_large_targets_are_errors_not_wraparound(fn, logits, targets):
    import rnnbook.losses as L
    with pytest.raises(ValueError, match="^targets has values in"):
        getattr(L, fn)(logits, targets)


def test_cross_entropy_equals_definition():
    """-(1/N) sum log softmax, with softmax written out here (not rnnbook's)."""
    import rnnbook.losses as L
    rng = np.random.default_rng(0)
    z, y = 3 * rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    loss, dz = L.cross_entropy(z, y)
    assert loss == pytest.approx(-np.mean(np.log(p[np.arange(5), y])), rel=1e-13)
    assert np.allclose(dz, (p - np.eye(4)[y]) / 5, atol=1e-15)
    assert L.softmax(np.array([1e4, 0.0]))[0] == 1.0            # the max shift
    with pytest.raises(ValueError, match="^z contains"):
        L.softmax(np.array([np.inf, 0.0]))
