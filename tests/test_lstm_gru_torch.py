"""Parity of rnnbook's LSTM and GRU with torch.nn.LSTM / torch.nn.GRU (float64, batch_first)."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import rel_error
from rnnbook.gru import gru_backward, gru_forward
from rnnbook.lstm import lstm_backward, lstm_backward_all, lstm_forward

torch = pytest.importorskip("torch")

TOL = 1e-8


def t(a):
    return torch.tensor(a, requires_grad=True)


def lstm_case(N, T, D, H, seed):
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(seed)
    x, h0, c0 = (rng.standard_normal(s) for s in [(N, T, D), (N, H), (N, H)])
    W_xh = 0.5 * rng.standard_normal((D, 4 * H))
    W_hh = 0.5 * rng.standard_normal((H, 4 * H))
    b_ih, b_hh = 0.3 * rng.standard_normal(4 * H), 0.3 * rng.standard_normal(4 * H)
    dh = rng.standard_normal((N, T, H))
    h, cache = lstm_forward(x, h0, W_xh, W_hh, b_ih + b_hh, c0)
    ours = lstm_backward_all(dh, cache)

    m = torch.nn.LSTM(D, H, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(torch.tensor(W_xh.T))
        m.weight_hh_l0.copy_(torch.tensor(W_hh.T))
        m.bias_ih_l0.copy_(torch.tensor(b_ih))
        m.bias_hh_l0.copy_(torch.tensor(b_hh))
    xt, h0t, c0t = t(x), t(h0[None]), t(c0[None])
    out, _ = m(xt, (h0t, c0t))
    (out * torch.tensor(dh)).sum().backward()
    theirs = [xt.grad, h0t.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T,
              m.bias_ih_l0.grad, c0t.grad[0]]
    assert rel_error(m.bias_ih_l0.grad.numpy(), m.bias_hh_l0.grad.numpy()) < 1e-12
    errs = {"h": rel_error(out.detach().numpy(), h)}
    for name, a, b in zip(["dx", "dh0", "dW_xh", "dW_hh", "db", "dc0"], ours, theirs):
        errs[name] = rel_error(a, b.detach().numpy())
    return errs


def gru_case(N, T, D, H, seed):
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(seed)
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    p = dict(W_xh=0.5 * rng.standard_normal((D, 3 * H)),
             W_hh=0.5 * rng.standard_normal((H, 3 * H)),
             b_xh=0.3 * rng.standard_normal(3 * H), b_hh=0.3 * rng.standard_normal(3 * H))
    dh = rng.standard_normal((N, T, H))
    h, cache = gru_forward(x, h0, **p)
    ours = gru_backward(dh, cache)
    m = torch.nn.GRU(D, H, batch_first=True)
    with torch.no_grad():
        m.weight_ih_l0.copy_(torch.tensor(p["W_xh"].T))
        m.weight_hh_l0.copy_(torch.tensor(p["W_hh"].T))
        m.bias_ih_l0.copy_(torch.tensor(p["b_xh"]))
        m.bias_hh_l0.copy_(torch.tensor(p["b_hh"]))
    xt, h0t = t(x), t(h0[None])
    out, _ = m(xt, h0t)
    (out * torch.tensor(dh)).sum().backward()
    theirs = [xt.grad, h0t.grad[0], m.weight_ih_l0.grad.T, m.weight_hh_l0.grad.T,
              m.bias_ih_l0.grad, m.bias_hh_l0.grad]
    errs = {"h": rel_error(out.detach().numpy(), h)}
    for name, a, b in zip(["dx", "dh0", "dW_xh", "dW_hh", "db_xh", "db_hh"], ours, theirs):
        errs[name] = rel_error(a, b.detach().numpy())
    return errs


@pytest.mark.parametrize("case", [lstm_case, gru_case])
def test_parity_fixed_shape(case):
    errs = case(4, 7, 5, 6, seed=0)
    assert max(errs.values()) < TOL, errs


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 5), D=dims(1, 4), H=dims(1, 4),
       seed=st.integers(0, 10_000), case=st.sampled_from([lstm_case, gru_case]))
def test_parity_hypothesis(N, T, D, H, seed, case):
    errs = case(N, T, D, H, seed)
    assert max(errs.values()) < TOL, errs
