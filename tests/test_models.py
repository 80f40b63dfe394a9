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


def _loss_by_hand(o, y, mask, loss):
    """The loss of forward_backward written as a plain loop over the unmasked entries,
    from the definitions (independent of rnnbook.losses): mean over the batch, sum
    over the steps that count."""
    N, T = y.shape[:2]
    total = 0.0
    for n in range(N):
        for t in range(T):
            if mask is not None and not mask[n, t]:
                continue
            if loss == "ce":
                z = [float(v) for v in o[n, t]]
                m = max(z)
                total -= z[y[n, t]] - m - np.log(sum(np.exp(v - m) for v in z))
            else:
                total += 0.5 * sum((float(a) - float(b)) ** 2 for a, b in zip(o[n, t], y[n, t]))
    return total / N


@pytest.mark.parametrize("loss", ["ce", "mse"])
@pytest.mark.parametrize("cell", CELLS)
def test_masked_loss_equals_loop_over_unmasked_entries(cell, loss):
    """A mask must remove steps from the loss (the MSE once ignored it): compare with a
    loop over the unmasked entries, and check masked-out steps get zero gradient."""
    rng = np.random.default_rng(3)
    params = init_params(cell, 2, 3, 3, rng)
    x, y = data("all", loss, N=4, T=5, seed=4)
    mask = rng.random((4, 5)) < 0.5
    mask[0, 0], mask[0, 1] = True, False
    L, _ = forward_backward(params, cell, x, y, head="all", mask=mask)
    o = predict(params, cell, x, head="all")
    assert L == pytest.approx(_loss_by_hand(o, y, mask, loss), rel=1e-12)
    assert L != pytest.approx(_loss_by_hand(o, y, None, loss), rel=1e-6)
    # a change of the output at a masked-out step changes nothing
    y2 = y.copy()
    y2[~mask] = (y2[~mask] + 1) % 3 if loss == "ce" else y2[~mask] + 10.0
    assert forward_backward(params, cell, x, y2, head="all", mask=mask)[0] == L


@pytest.mark.parametrize("cell", CELLS)
def test_unmasked_and_last_losses_equal_loop(cell):
    rng = np.random.default_rng(5)
    params = init_params(cell, 2, 3, 3, rng)
    for loss in ("ce", "mse"):
        x, y = data("all", loss, seed=6)
        o = predict(params, cell, x, head="all")
        L, _ = forward_backward(params, cell, x, y, head="all")
        assert L == pytest.approx(_loss_by_hand(o, y, None, loss), rel=1e-12)
        x, y = data("last", loss, seed=7)
        o = predict(params, cell, x)[:, None]
        L, _ = forward_backward(params, cell, x, y)
        assert L == pytest.approx(_loss_by_hand(o, y[:, None], None, loss), rel=1e-12)


def test_one_param_count():
    """models.param_count counts a dict or a layer's sizes; context's is the same function."""
    import rnnbook as rb
    for cell in CELLS:
        p = init_params(cell, 4, 6, 2, np.random.default_rng(0))
        assert param_count(p) == param_count(cell, 4, 6, 2) == param_count(params=p)
        assert param_count(cell, 4, 6) == rb.cell_param_count(cell, 4, 6)
    assert rb.context.param_count is param_count
    with pytest.raises(ValueError, match="params"):
        param_count({})
    with pytest.raises(ValueError, match="V is -1"):
        param_count("rnn", 2, 3, -1)


def test_targets_range_checked():
    p = init_params("rnn", 2, 3, 3, np.random.default_rng(0))
    x = np.zeros((2, 4, 2))
    with pytest.raises(ValueError, match=r"targets has values in \[-1, 0\]"):
        forward_backward(p, "rnn", x, np.array([0, -1]))
    with pytest.raises(ValueError, match=r"targets has values in \[0, 3\]"):
        forward_backward(p, "rnn", x, np.array([[0, 1, 2, 3]] * 2), head="all")
    with pytest.raises(ValueError, match="mask has dtype"):
        forward_backward(p, "rnn", x, np.zeros((2, 4), int), head="all", mask=np.ones((2, 4)))
