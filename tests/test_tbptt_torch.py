"""TBPTT(k1, k2) against PyTorch autograd with the state detached at each window start
(the tests that need torch; the others are in test_tbptt.py and run without it)."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from strategies import dims

from rnnbook.gradcheck import rel_error
from rnnbook.optim import SGD
from rnnbook.tbptt import PARAM_NAMES, elman_loss_and_grads, tbptt_gradients, tbptt_train

from test_tbptt import copy, make

torch = pytest.importorskip("torch")


# ---------------------------------------------------------------- torch reference
def torch_model(p):
    torch.set_default_dtype(torch.float64)
    return {k: torch.tensor(v, requires_grad=True) for k, v in p.items()}


def torch_term_loss(tp, x, y, mask, t, h_start, s0):
    """L_t from a network started at the constant h_start just before step s0."""
    h = h_start
    for s in range(s0, t + 1):
        h = torch.tanh(torch.tensor(x[:, s]) @ tp["W_xh"] + h @ tp["W_hh"] + tp["b_h"])
    logp = torch.log_softmax(h @ tp["W_hq"] + tp["b_q"], dim=1)
    picked = logp[torch.arange(x.shape[0]), torch.tensor(y[:, t])]
    m = torch.ones(x.shape[0]) if mask is None else torch.tensor(mask[:, t], dtype=torch.float64)
    return -(m * picked).sum() / x.shape[0]


def torch_tbptt_gradients(p, x, y, mask, h0, k1, k2):
    """Every loss term t of the chunk [c0, c1) is rerun from the detached state
    before max(b, t - k2 + 1), b = c0 - max(0, k2 - k1) (clipped at 0)."""
    tp = torch_model(p)
    N, T, _ = x.shape
    with torch.no_grad():
        states, h = [], torch.tensor(h0)
        for t in range(T):
            h = torch.tanh(torch.tensor(x[:, t]) @ tp["W_xh"] + h @ tp["W_hh"] + tp["b_h"])
            states.append(h)
    for c0 in range(0, T, k1):
        c1 = min(c0 + k1, T)
        b = max(0, c0 - max(0, k2 - k1))
        for t in range(c0, c1):
            s0 = max(b, t - k2 + 1)
            start = torch.tensor(h0) if s0 == 0 else states[s0 - 1].detach()
            torch_term_loss(tp, x, y, mask, t, start, s0).backward()
    return {k: v.grad.numpy() for k, v in tp.items()}


# ---------------------------------------------------------------- windows
@pytest.mark.parametrize("k1,k2", [(1, 9), (1, 3), (4, 1), (3, 5), (2, 7), (3, 3), (4, 4),
                                   (9, 4), (5, 2)])
def test_tbptt_gradients_match_torch_detached(k1, k2):
    p, x, y, mask, h0 = make(seed=k1 * 10 + k2, mask_p=0.8)
    _, g = tbptt_gradients(p, x, y, k1, k2, mask, h0)
    ref = torch_tbptt_gradients(p, x, y, mask, h0, k1, k2)
    for k in PARAM_NAMES:
        assert rel_error(g[k], ref[k]) < 1e-10, k


@settings(deadline=None)
@given(N=dims(1, 3), T=dims(1, 8), H=dims(1, 3), k1=dims(1, 9),
       k2=dims(1, 9), seed=st.integers(0, 2**16))
def test_tbptt_gradients_hypothesis(N, T, H, k1, k2, seed):
    p, x, y, mask, h0 = make(N=N, T=T, H=H, seed=seed)
    L, g = tbptt_gradients(p, x, y, k1, k2, mask, h0)
    assert abs(L - elman_loss_and_grads(p, x, y, mask, h0)[0]) < 1e-10   # loss is exact
    ref = torch_tbptt_gradients(p, x, y, mask, h0, k1, k2)
    for k in PARAM_NAMES:
        assert g[k].shape == p[k].shape
        assert rel_error(g[k], ref[k]) < 1e-9, k


def torch_tbptt_train(p, x, y, h0, k1, k2, lr):
    """Reference training loop: states stored online; each update reruns its window
    from the stored (detached) state with the current parameters; plain SGD."""
    tp = torch_model(p)
    N, T, _ = x.shape
    states = [None] * T
    for c0 in range(0, T, k1):
        c1 = min(c0 + k1, T)
        b = max(0, c0 - max(0, k2 - k1))
        window = {}
        with torch.no_grad():                       # the window's states, current params
            h = torch.tensor(h0) if b == 0 else states[b - 1]
            for s in range(b, c1):
                h = torch.tanh(torch.tensor(x[:, s]) @ tp["W_xh"] + h @ tp["W_hh"] + tp["b_h"])
                window[s] = h.clone()
        loss = 0.0
        for t in range(c0, c1):
            s0 = max(b, t - k2 + 1)
            start = torch.tensor(h0) if s0 == 0 else (states[s0 - 1] if s0 == b else window[s0 - 1])
            loss = loss + torch_term_loss(tp, x, y, None, t, start, s0)
        for s in range(c0, c1):
            states[s] = window[s]
        loss.backward()
        with torch.no_grad():
            for v in tp.values():
                v -= lr * v.grad
                v.grad = None
    return {k: v.detach().numpy() for k, v in tp.items()}, states[-1].numpy()


@pytest.mark.parametrize("k1,k2", [(3, 3), (4, 4), (2, 5), (1, 4), (4, 2), (9, 9)])
def test_tbptt_train_matches_torch_loop(k1, k2):
    p, x, y, _, h0 = make(seed=5)
    q = copy(p)
    out = tbptt_train(q, x, y, k1, k2, SGD(lr=0.3), h0=h0)
    ref, h_last = torch_tbptt_train(p, x, y, h0, k1, k2, lr=0.3)
    assert len(out["loss"]) == math.ceil(x.shape[1] / k1)
    for k in PARAM_NAMES:
        assert rel_error(q[k], ref[k]) < 1e-10, k
    assert rel_error(out["h_last"], h_last) < 1e-10


def test_tbptt_n_n_matches_torch():
    p, x, y, mask, h0 = make(seed=2, mask_p=0.7)
    T = x.shape[1]
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    ref = torch_tbptt_gradients(p, x, y, mask, h0, T, T)
    assert max(rel_error(g[k], ref[k]) for k in PARAM_NAMES) < 1e-10
