"""Parity of rnnbook.deep with torch.nn.RNN/LSTM/GRU(num_layers=2, bidirectional=True).

Outputs, dx, dh0 (and dc0 for the LSTM) and every weight gradient, in float64.
"""
import numpy as np
import pytest

from rnnbook.deep import deep_backward, deep_forward, deep_init
from rnnbook.gradcheck import rel_error

torch = pytest.importorskip("torch")

TORCH = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}


def _to_torch(module, params, cell):
    """Copy our params[l][d] into torch's weight_ih_l{l}{_reverse} etc."""
    with torch.no_grad():
        for l, layer in enumerate(params):
            for d, p in enumerate(layer):
                sfx = f"l{l}" + ("_reverse" if d else "")
                getattr(module, f"weight_ih_{sfx}").copy_(torch.from_numpy(p["W_xh"].T))
                getattr(module, f"weight_hh_{sfx}").copy_(torch.from_numpy(p["W_hh"].T))
                if cell == "gru":
                    b_ih, b_hh = p["b_xh"], p["b_hh"]
                else:
                    b = p["b_h"] if cell == "rnn" else p["b"]
                    b_ih, b_hh = 0.25 * b, 0.75 * b          # any split summing to b
                getattr(module, f"bias_ih_{sfx}").copy_(torch.from_numpy(b_ih))
                getattr(module, f"bias_hh_{sfx}").copy_(torch.from_numpy(b_hh))


def _grad_of(module, cell, l, d):
    sfx = f"l{l}" + ("_reverse" if d else "")
    g = lambda n: getattr(module, f"{n}_{sfx}").grad.numpy()
    out = {"W_xh": g("weight_ih").T, "W_hh": g("weight_hh").T}
    if cell == "gru":
        out.update(b_xh=g("bias_ih"), b_hh=g("bias_hh"))
    else:
        assert np.allclose(g("bias_ih"), g("bias_hh"), rtol=1e-12, atol=1e-14)
        out["b_h" if cell == "rnn" else "b"] = g("bias_ih")
    return out


@pytest.mark.parametrize("bidir", [True, False])
@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_parity_two_layers(cell, bidir):
    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(3)
    N, T, D, H, L = 3, 6, 4, 5, 2
    dirs = 2 if bidir else 1
    params = deep_init(cell, D, H, L, rng, bidirectional=bidir)
    x = rng.standard_normal((N, T, D))
    h0 = 0.5 * rng.standard_normal((L * dirs, N, H))
    c0 = 0.5 * rng.standard_normal((L * dirs, N, H)) if cell == "lstm" else None
    R = rng.standard_normal((N, T, dirs * H))

    h, cache = deep_forward(x, params, cell, h0, c0)
    dx, dparams, dh0, dc0 = deep_backward(R, cache)

    module = getattr(torch.nn, TORCH[cell])(D, H, num_layers=L, bidirectional=bidir,
                                            batch_first=True)
    _to_torch(module, params, cell)
    xt = torch.from_numpy(x).requires_grad_()
    h0t = torch.from_numpy(h0).clone().requires_grad_()
    if cell == "lstm":
        c0t = torch.from_numpy(c0).clone().requires_grad_()
        out, _ = module(xt, (h0t, c0t))
    else:
        out, _ = module(xt, h0t)
    (out * torch.from_numpy(R)).sum().backward()

    errs = {"h": rel_error(h, out.detach().numpy()), "dx": rel_error(dx, xt.grad.numpy()),
            "dh0": rel_error(dh0, h0t.grad.numpy())}
    if cell == "lstm":
        errs["dc0"] = rel_error(dc0, c0t.grad.numpy())
    for l in range(L):
        for d in range(dirs):
            ref = _grad_of(module, cell, l, d)
            for k, v in ref.items():
                errs[f"{k}[{l},{d}]"] = rel_error(dparams[l][d][k], v)
    worst = max(errs.values())
    assert worst < 1e-10, errs
