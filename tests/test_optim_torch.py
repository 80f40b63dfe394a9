"""The optimisers against torch.optim over many steps (float64, several parameter arrays).

A bias correction frozen at t = 1, a swapped beta or a misplaced eps changes the
trajectory within a few steps; 60 steps of gradients that vary from step to step
must agree to 1e-12.
"""
import numpy as np
import pytest

from rnnbook.optim import SGD, Adagrad, Adam

torch = pytest.importorskip("torch")


def _run(ours, make_torch, steps=60, seed=0):
    rng = np.random.default_rng(seed)
    shapes = {"W_xh": (3, 4), "W_hh": (4, 4), "b_h": (4,), "W_hq": (4, 2)}
    params = {k: rng.standard_normal(s) for k, s in shapes.items()}
    tparams = {k: torch.tensor(v.copy(), dtype=torch.float64, requires_grad=True)
               for k, v in params.items()}
    opt = make_torch(list(tparams.values()))
    for step in range(steps):
        # gradients of a fixed quadratic plus step-dependent noise of varying scale
        grads = {k: 2.0 * v + (10.0 ** rng.uniform(-3, 1)) * rng.standard_normal(v.shape)
                 for k, v in params.items()}
        ours.step(params, grads)
        opt.zero_grad()
        for k, t in tparams.items():
            t.grad = torch.tensor(grads[k], dtype=torch.float64)
        opt.step()
    return max(float(np.max(np.abs(params[k] - t.detach().numpy()) /
                          (1.0 + np.abs(params[k])))) for k, t in tparams.items())


@pytest.mark.parametrize("lr, betas, eps", [(1e-3, (0.9, 0.999), 1e-8),
                                            (0.05, (0.5, 0.9), 1e-6),
                                            (0.2, (0.0, 0.99), 1e-3)])
def test_adam_matches_torch_over_60_steps(lr, betas, eps):
    err = _run(Adam(lr=lr, beta1=betas[0], beta2=betas[1], eps=eps),
               lambda p: torch.optim.Adam(p, lr=lr, betas=betas, eps=eps))
    assert err < 1e-12


def test_sgd_momentum_matches_torch_over_60_steps():
    err = _run(SGD(lr=0.05, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9))
    assert err < 1e-12


def test_adagrad_matches_torch_over_60_steps():
    # torch's Adagrad adds eps outside the square root, like ours
    err = _run(Adagrad(lr=0.1, eps=1e-10),
               lambda p: torch.optim.Adagrad(p, lr=0.1, eps=1e-10))
    assert err < 1e-12
