"""Sequence models (RNN/LSTM/GRU + affine head): gradient checks, shapes, bad inputs."""
import numpy as np
import pytest

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.models import (forward_backward, init_params, make_loss_and_grads,
                            param_count, predict)

CELLS = ["rnn", "lstm", "gru"]


def richardson_gradient(f, x, h=1e-3):
    """Fourth-order finite differences: (4 g(h) - g(2h)) / 3 from two centred ones.

    The scalar losses here have many gradient entries near 1e-5, where the plain
    centred difference's error (~1e-11) already breaks rel_error < 1e-7.
    """
    return (4 * numerical_gradient(f, x, h=h) - numerical_gradient(f, x, h=2 * h)) / 3


def data(head, loss, N=3, T=4, D=2, V=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, T, D))
    shape = (N,) if head == "last" else (N, T)
    if loss == "ce":
        y = rng.integers(0, V, shape)
    else:
        y = rng.standard_normal(shape + (V,))
    return x, y


@pytest.mark.parametrize("cell", CELLS)
@pytest.mark.parametrize("head, loss, masked", [("last", "ce", False), ("last", "mse", False),
                                                ("all", "ce", False), ("all", "mse", True)])
def test_gradients(cell, head, loss, masked):
    rng = np.random.default_rng(1)
    params = init_params(cell, 2, 3, 3, rng)
    for k in params:                     # non-zero biases so every path is exercised
        params[k] = 0.7 * rng.standard_normal(params[k].shape)
    x, y = data(head, loss)
    mask = (rng.random(y.shape[:2]) < 0.7) if masked else None
    L, grads = forward_backward(params, cell, x, y, head=head, mask=mask)
    assert set(grads) == set(params)
    for k in params:
        def f(v, k=k):
            return forward_backward(dict(params, **{k: v}), cell, x, y, head=head,
                                    mask=mask)[0]
        num = richardson_gradient(f, params[k])
        assert rel_error(num, grads[k]) < 1e-7, (cell, k)


@pytest.mark.parametrize("cell", CELLS)
def test_param_count_and_shapes(cell):
    p = init_params(cell, 5, 7, 3, np.random.default_rng(0))
    assert sum(v.size for v in p.values()) == param_count(cell, 5, 7, 3)
    x = np.zeros((2, 6, 5))
    assert predict(p, cell, x).shape == (2, 3)
    assert predict(p, cell, x, head="all").shape == (2, 6, 3)


def test_training_reduces_loss():
    from rnnbook.optim import Adam
    rng = np.random.default_rng(0)
    params = init_params("gru", 2, 8, 2, rng)
    x, y = data("last", "ce", N=32, T=5, V=2)
    y = (x[:, 0, 0] > 0).astype(int)       # remember the sign of the first input
    lg = make_loss_and_grads("gru", lambda step: (x, y))
    first = lg(params, 0)[0]
    opt = Adam(lr=0.05)
    for step in range(60):
        L, g = lg(params, step)
        opt.step(params, g)
    assert L < 0.5 * first


@pytest.mark.parametrize("kw, name", [
    (dict(cell="elman"), "cell"), (dict(head="first"), "head"), (dict(loss="l1"), "loss"),
    (dict(targets=np.zeros(3, dtype=int) + 7), "targets"),
    (dict(targets=np.zeros((3, 4), dtype=int)), "targets"),
    (dict(x=np.zeros((3, 4))), "x"), (dict(mask=np.ones((3, 4), bool)), "mask"),
])
def test_bad_inputs(kw, name):
    params = init_params("lstm", 2, 3, 3, np.random.default_rng(0))
    x, y = data("last", "ce")
    args = dict(params=params, cell="lstm", x=x, targets=y)
    args.update(kw)
    with pytest.raises(ValueError, match=rf"^{name} "):
        forward_backward(**args)
