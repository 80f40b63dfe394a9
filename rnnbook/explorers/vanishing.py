"""Chapter 6 explorer: how a gradient sent back from the last step grows or shrinks
with the distance T - k, for a recurrent matrix with a chosen spectral radius rho, a
sequence length T and an activation.

W_hh (H = 128 units) is a Gaussian matrix rescaled to spectral radius rho (so its
largest singular value sigma is larger, about 2 rho). The inputs are scaled by the
``input`` slider: strong inputs drive tanh units into saturation, where f' is small and
gradients vanish; weak inputs leave the units near zero, where f' is close to 1, and a
large rho then makes gradients explode. The plot shows the measured ratio
||g_k|| / ||g_{T-1}|| with g_k = dL/dh_k = g_{T-1} dh_{T-1}/dh_k (median over a batch of
random vectors g_{T-1}; this costs vector-matrix products only), the curve rho^(T-1-k),
and Pascanu et al.'s bound (sigma gamma)^(T-1-k). Curves leaving the plotted range are
clipped at its edge and labelled.
"""
from functools import lru_cache

import numpy as np

from ..dynamics import GAMMA, gradient_norms, largest_singular_value
from ..explorer import Explorer, Slider, register
from ..rnn import rnn_forward

N, D, H = 4, 3, 128
YLIM = (-30.0, 30.0)          # log10 range drawn


@lru_cache(maxsize=1)
def _base():
    rng = np.random.default_rng(6)
    G = rng.standard_normal((H, H)) / np.sqrt(H)
    G /= np.max(np.abs(np.linalg.eigvals(G)))            # spectral radius 1
    return (rng.standard_normal((N, 100, D)), rng.standard_normal((D, H)) / np.sqrt(D),
            G, 0.1 * rng.standard_normal((N, H)), rng.standard_normal((N, H)))


@lru_cache(maxsize=None)
def compute(rho, T, activation, input_scale=1.0):
    """log10 norms of the measured product, of rho^gap and of the Pascanu bound."""
    x, W_xh, G, h0, delta = _base()
    W_hh = rho * G
    _, cache = rnn_forward(input_scale * x[:, :T], h0, W_xh, W_hh, np.zeros(H), activation)
    norms = gradient_norms(cache, delta)                  # (N, T + 1), finite here
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        logs = np.median(np.log10(norms[:, 1:] / norms[:, :1]), axis=0)   # gaps 1..T
    logs = np.maximum(logs, -300.0)
    gap = np.arange(1, T + 1)
    sigma = largest_singular_value(W_hh)
    log_bound = gap * np.log10(sigma * GAMMA[activation])
    log_rho = gap * np.log10(rho)
    top = max(log_bound.max(), log_rho.max())
    note = ""
    if logs.max() > YLIM[1]:
        note = f"measured norm explodes: up to 1e{logs.max():.0f} (clipped at 1e{YLIM[1]:.0f})"
    elif top > YLIM[1]:
        note = f"a bound leaves the plot: up to 1e{top:.0f} (clipped)"
    elif logs[-1] < YLIM[0]:
        note = f"vanishes: 1e{logs[-1]:.0f} at T - 1 - k = {T} (below the plot)"
    return {"gap": gap, "logs": logs, "log_bound": log_bound, "log_rho": log_rho,
            "rho": rho, "sigma": sigma, "gamma": GAMMA[activation], "T": T,
            "activation": activation, "input_scale": input_scale, "note": note}


def _clip(v):
    return np.clip(v, *YLIM)


def draw(fig, data):
    ax = fig.subplots()
    (meas,) = ax.plot(data["gap"], _clip(data["logs"]), "o-", ms=3, color="C0",
                      label=r"measured $\|g_k\| / \|g_{T-1}\|$ (median)")
    (rho,) = ax.plot(data["gap"], _clip(data["log_rho"]), "--", color="C2",
                     label=r"$\rho^{T-1-k}$")
    (bnd,) = ax.plot(data["gap"], _clip(data["log_bound"]), ":", color="C3", lw=2,
                     label=r"bound $(\sigma_{\max}\gamma)^{T-1-k}$")
    ax.axhline(0.0, color="0.5", lw=0.8)
    ax.set(xlabel=r"distance back in time, $T-1-k$ (steps)",
           ylabel=r"$\log_{10}$ of the ratio", ylim=(YLIM[0] - 1, YLIM[1] + 1),
           xlim=(0, 101))
    # Legend below the axes; the numbers above them (two lines) and the warning (red)
    # in the axes title: the curves can reach every part of the axes.
    fig.legend(handles=[meas, rho, bnd], ncol=2, loc="outside lower center", frameon=False)
    info = fig.suptitle(" \n ", fontsize=12)
    warn = ax.set_title(" ")
    return {"meas": meas, "rho": rho, "bnd": bnd, "info": info, "warn": warn,
            "animated": [meas, rho, bnd, info, warn]}


def update(handles, data):
    for key, field in (("meas", "logs"), ("rho", "log_rho"), ("bnd", "log_bound")):
        handles[key].set_data(data["gap"], _clip(data[field]))
    handles["info"].set_text(
        f"f = {data['activation']}, T = {data['T']}, H = {H}, "
        f"input scale {data['input_scale']:g}\n"
        rf"$\rho$ = {data['rho']:g}, $\sigma_{{\max}}$ = {data['sigma']:.2f}, "
        rf"$\gamma$ = {data['gamma']:g}, $\sigma_{{\max}}\gamma$ = "
        f"{data['sigma'] * data['gamma']:.2f}")
    handles["warn"].set_text(data["note"] or "gradient sent back in time")
    handles["warn"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="spectral_radius",
    title="Vanishing and exploding: gradient norms vs spectral radius, T and activation",
    sliders=(Slider("rho", (0.5, 0.8, 0.9, 1.0, 1.1, 1.5, 2.0), 1.0,
                    "spectral radius of W_hh"),
             Slider("T", (10, 50, 100), 50, "sequence length T"),
             Slider("activation", ("identity", "tanh", "sigmoid"), "tanh", "activation f"),
             Slider("input_scale", (1.0, 0.3, 0.1), 1.0, "input scale")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.6)))
