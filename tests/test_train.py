"""The training loop: reduces a loss, clips, records, stops on NaN, validates."""
import numpy as np
import pytest

from rnnbook.layers import affine_backward, affine_forward, temporal_softmax_loss
from rnnbook.optim import SGD, Adam
from rnnbook.rnn import rnn_backward, rnn_forward
from rnnbook.train import train


def tiny_problem(seed=0):
    """Predict the previous input symbol (a one-step memory task), N=16, T=6, V=3."""
    rng = np.random.default_rng(seed)
    sym = rng.integers(0, 3, (16, 6))
    x = np.eye(3)[sym]
    targets = np.concatenate([np.zeros((16, 1), int), sym[:, :-1]], axis=1)
    H = 8
    params = {"W_xh": 0.3 * rng.standard_normal((3, H)), "W_hh": 0.3 * rng.standard_normal((H, H)),
              "b_h": np.zeros(H), "W_hq": 0.3 * rng.standard_normal((H, 3)), "b_q": np.zeros(3)}

    def loss_and_grads(p, step):
        h, c = rnn_forward(x, np.zeros((16, H)), p["W_xh"], p["W_hh"], p["b_h"])
        o, ca = affine_forward(h, p["W_hq"], p["b_q"])
        loss, do = temporal_softmax_loss(o, targets)
        dh, dW_hq, db_q = affine_backward(do, ca)
        _, _, dW_xh, dW_hh, db_h = rnn_backward(dh, c)
        return loss, dict(W_xh=dW_xh, W_hh=dW_hh, b_h=db_h, W_hq=dW_hq, b_q=db_q)
    return params, loss_and_grads


@pytest.mark.parametrize("opt", [SGD(lr=0.1), SGD(lr=0.1, momentum=0.9), Adam(lr=0.05)])
def test_train_reduces_loss(opt):
    params, fn = tiny_problem()
    hist = train(params, fn, opt, steps=150, progress=False)
    assert hist["loss"].shape == (150,) and hist["grad_norm"].shape == (150,)
    assert hist["loss"][-1] < 0.5 * hist["loss"][0]


def test_clipping_applied():
    params, fn = tiny_problem()
    seen = []

    class Spy:
        def step(self, p, g):
            seen.append(np.sqrt(sum(np.sum(v ** 2) for v in g.values())))
    hist = train(params, fn, Spy(), steps=3, clip=1e-3, progress=False)
    assert np.all(hist["clipped"]) and np.all(hist["grad_norm"] > 1e-3)
    np.testing.assert_allclose(seen, 1e-3, rtol=1e-12)
    hist = train(params, fn, Spy(), steps=2, clip=1e6, progress=False)
    assert not hist["clipped"].any()


def test_stops_on_nan():
    calls = []

    def fn(p, step):
        calls.append(step)
        return (np.nan if step == 2 else 1.0), {"w": np.ones(1)}
    hist = train({"w": np.zeros(1)}, fn, SGD(lr=0.1), steps=5, progress=False)
    assert calls == [0, 1, 2]
    assert np.isnan(hist["loss"][2:]).all() and np.all(hist["loss"][:2] == 1.0)


def test_train_bad_inputs():
    params, fn = tiny_problem()
    with pytest.raises(ValueError, match="steps"):
        train(params, fn, SGD(), steps=0, progress=False)
    with pytest.raises(ValueError, match="clip"):
        train(params, fn, SGD(), steps=1, clip=-1.0, progress=False)
    with pytest.raises(ValueError, match="params"):
        train([], fn, SGD(), steps=1, progress=False)
    with pytest.raises(ValueError, match="optimizer"):
        train(params, fn, object(), steps=1, progress=False)
    with pytest.raises(ValueError, match="loss_and_grads"):
        train(params, None, SGD(), steps=1, progress=False)


def test_progress_in_the_static_book_is_one_printed_line(monkeypatch, capsys):
    import rnnbook as rb
    monkeypatch.setenv("RNNBOOK_EXPLORER", "static")
    params = {"w": np.array([3.0])}
    rb.train(params, lambda p, step: (float(p["w"][0] ** 2), {"w": 2 * p["w"]}),
             rb.SGD(lr=0.1), steps=20, desc="demo")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("demo: 20/20 steps, loss ")
