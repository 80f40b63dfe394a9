"""Tests of rnnbook.remedies: gradients of the adding-problem model and the harness."""
import numpy as np
import pytest

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.remedies import adding_init, adding_loss_and_grads, train_adding
from rnnbook.tasks import adding_problem


@pytest.mark.parametrize("cell, kw", [("rnn", {}), ("rnn", {"activation": "sigmoid"}),
                                      ("leaky", {"alpha": 0.7}), ("skip", {"d": 3})])
def test_adding_model_gradients(cell, kw):
    rng = np.random.default_rng(0)
    params = adding_init(3, rng, cell=cell, scheme="orthogonal")
    x, y = adding_problem(4, 10, rng)
    _, grads = adding_loss_and_grads(params, x, y, cell=cell, **kw)
    assert set(grads) == set(params)
    for k in params:
        def f(v, k=k):
            p = dict(params)
            p[k] = v
            return adding_loss_and_grads(p, x, y, cell=cell, **kw)[0]
        coarse = numerical_gradient(f, params[k], h=2e-3)
        fine = numerical_gradient(f, params[k], h=1e-3)
        assert rel_error((4 * fine - coarse) / 3, grads[k]) < 1e-7, k


def test_train_adding_runs_and_reports_baseline():
    r = train_adding(10, steps=5, H=4, batch=8, n_test=200)
    assert r["loss"].shape == (5,) and not r["diverged"]
    assert 0.05 < r["baseline_success"] < 0.3
    assert 0 <= r["success"] <= 1
    with pytest.raises(ValueError, match=r"^cell\b"):
        train_adding(10, cell="lstm")
    with pytest.raises(ValueError, match=r"^T\b"):
        train_adding(5)


def test_train_adding_reports_divergence():
    r = train_adding(40, scheme="gaussian", scale=30.0, activation="identity", steps=20,
                     H=4, batch=8, lr=1.0, optimizer="sgd", n_test=50)
    assert r["diverged"] and r["success"] == 0.0 and np.isnan(r["test_mse"])
