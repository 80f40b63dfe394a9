"""Chapter 2 explorer: how far back can the last output see? A causal 1-D convolution of
width k against a tanh RNN whose recurrent matrix has spectral radius rho, both sharing
their weights across T = 30 steps."""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, register
from ..sequences import input_sensitivity

T, N, D, H = 30, 4, 3, 16


@lru_cache(maxsize=1)
def _base():
    rng = np.random.default_rng(2)
    W = rng.standard_normal((H, H)) / np.sqrt(H)
    W /= np.max(np.abs(np.linalg.eigvals(W)))
    return (rng.standard_normal((N, T, D)), rng.standard_normal((D, H)) / np.sqrt(D), W,
            rng.standard_normal((9, D, H)) / np.sqrt(D))


@lru_cache(maxsize=None)
def compute(k, rho):
    """Sensitivities ||d out_{T-1} / d x_t|| of both layers (normalised at t = T-1)."""
    x, W_xh, W, K = _base()
    s_rnn = input_sensitivity("rnn", x, (W_xh, rho * W, np.zeros(H)))
    s_conv = input_sensitivity("conv", x, (K[:k], np.zeros(H)))
    s_rnn, s_conv = s_rnn / s_rnn[-1], s_conv / s_conv[-1]
    return {"rnn": s_rnn, "conv": s_conv, "k": k, "rho": rho,
            "params_rnn": D * H + H * H + H, "params_conv": k * D * H + H}


def _log(v):
    return np.log10(np.maximum(v, 1e-12))


def draw(fig, data):
    ax = fig.subplots()
    t = np.arange(T)
    (lr,) = ax.plot(t, _log(data["rnn"]), "o-", ms=3, color="C0", label="RNN (tanh)")
    (lc,) = ax.plot(t, _log(data["conv"]), "s-", ms=3, color="C2",
                    label="causal 1-D convolution\n(at -12: exactly zero, no path from $x_t$)")
    ax.set(xlabel=r"input step $t$ (the output is read at step 29)",
           ylabel=r"$\log_{10}\|\partial o_{29} / \partial x_t\|$ (relative)", ylim=(-12.5, 2.5),
           yticks=[-12, -8, -4, 0])
    # The legend sits below the axes: curves can reach any height at the left.
    fig.legend(handles=[lr, lc], ncol=2, loc="outside lower center", frameon=False)
    title = ax.set_title(" \n ")          # two lines (see update)
    return {"lr": lr, "lc": lc, "title": title, "animated": [lr, lc, title]}


def update(handles, data):
    handles["lr"].set_ydata(_log(data["rnn"]))
    handles["lc"].set_ydata(_log(data["conv"]))
    handles["title"].set_text(f"convolution: width k = {data['k']} "
                              f"({data['params_conv']} parameters)\n"
                              rf"RNN: $\rho(W_{{hh}})$ = {data['rho']:g} "
                              f"({data['params_rnn']} parameters)")


register(Explorer(
    name="sequences_reach",
    title="Parameter sharing in time: a 1-D convolution sees k steps, an RNN sees all",
    sliders=(Slider("k", (1, 3, 5, 9), 3, "convolution width k"),
             Slider("rho", (0.5, 0.9, 1.0, 1.5), 0.9, "RNN spectral radius")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.2)))
