"""Chapter 7 explorer: leaky units h_t = alpha h_{t-1} + (1 - alpha) tanh(...).

Left: how the error signal sent back from the last step shrinks with the distance
T - 1 - k (ratio ||delta_k|| / ||delta_{T-1}||, delta_k = dL/da_k from the package's
:func:`rnnbook.leaky.leaky_rnn_backward`, median over a batch), next to alpha^(T-1-k),
the decay of the direct path alone. Right: memory of a single input pulse at step 5: the
distance between the states with and without the pulse.
"""
from functools import lru_cache

import numpy as np

from ..dynamics import scaled_gaussian
from ..explorer import Explorer, Slider, register
from ..leaky import leaky_rnn_backward, leaky_rnn_forward

N, D, H, T = 4, 2, 16, 100
YLIM = (-30.0, 5.0)
PULSE = 5


@lru_cache(maxsize=1)
def _base():
    rng = np.random.default_rng(7)
    G = scaled_gaussian(H, 1.0, rng)
    x = rng.standard_normal((N, T, D))
    W_xh = rng.standard_normal((D, H)) / np.sqrt(D)
    delta = rng.standard_normal((N, H))
    return G, x, W_xh, delta


@lru_cache(maxsize=None)
def compute(alpha, rho):
    """Gradient-ratio curve and pulse memory for one slider position."""
    G, x, W_xh, delta = _base()
    W_hh = rho * G
    h0, b = np.zeros((N, H)), np.zeros(H)
    # delta_k = dL/da_k from the package's leaky_rnn_backward: an identity input block fed
    # zeros leaves the forward pass unchanged, and dx of that block is delta (see
    # rnnbook.explorers.bptt.deltas)
    x_aug = np.concatenate([x, np.zeros((N, T, H))], axis=2)
    W_aug = np.concatenate([W_xh, np.eye(H)], axis=0)
    with np.errstate(all="ignore"):
        h, cache = leaky_rnn_forward(x_aug, h0, W_aug, W_hh, b, alpha)
        dh = np.zeros_like(h)
        dh[:, -1] = delta
        d = leaky_rnn_backward(dh, cache)[0][:, :, D:]                 # (N, T, H)
        norms = np.linalg.norm(d, axis=2)                               # (N, T)
        logs = np.median(np.log10(norms[:, ::-1] / norms[:, -1:]), axis=0)   # gap 0..T-1
    logs = np.where(np.isfinite(logs), np.maximum(logs, -300.0), -300.0)
    # pulse memory: same inputs, plus a pulse of size 1 on channel 0 at step PULSE
    xp = x.copy()
    xp[:, PULSE, 0] += 1.0
    hp, _ = leaky_rnn_forward(xp, h0, W_xh, W_hh, b, alpha)
    with np.errstate(divide="ignore"):
        mem = np.log10(np.median(np.linalg.norm(hp - h, axis=2), axis=0) + 1e-300)
    note = ""
    if logs[-1] < YLIM[0]:
        note = f"vanishes: 1e{logs[-1]:.0f} at T-1-k = {T - 1}"
    elif logs.max() > YLIM[1]:
        note = f"explodes: up to 1e{logs.max():.0f} (clipped)"
    return {"gap": np.arange(T), "logs": logs, "mem": mem, "alpha": alpha,
            "rho": rho, "note": note}


def _clip(v):
    return np.clip(v, *YLIM)


def draw(fig, data):
    ax1, ax2 = fig.subplots(1, 2)
    (meas,) = ax1.plot(data["gap"], _clip(data["logs"]), "o-", ms=2, label="measured")
    with np.errstate(divide="ignore"):
        ref = data["gap"] * np.log10(max(data["alpha"], 1e-300))
    (direct,) = ax1.plot(data["gap"], _clip(ref), "--", label=r"$\alpha^{T-1-k}$ (direct path)")
    ax1.set(xlabel=r"distance back in time, $T-1-k$ (steps)",
            ylabel=r"$\log_{10}\|\delta_k\| / \|\delta_{T-1}\|$", ylim=(YLIM[0] - 1, YLIM[1] + 1))
    fig.legend(handles=[meas, direct], ncol=2, loc="outside lower center",
               frameon=False)                  # below the panels, off the data
    (mem,) = ax2.plot(np.arange(T), np.clip(data["mem"], -16, 1), color="C2")
    ax2.axvline(PULSE, color="0.5", lw=0.8)
    ax2.set(xlabel=r"time step $t$", ylabel=r"$\log_{10}\|h_t^{\mathrm{pulse}} - h_t\|$",
            ylim=(-17, 2), title=f"memory of a pulse at $t$ = {PULSE}")
    # The numbers above the panels, off the data; the left title turns into the warning
    # (red) when the gradient leaves the plot.
    title = fig.suptitle(" ", fontsize=12)
    warn = ax1.set_title(" ")
    return {"meas": meas, "direct": direct, "mem": mem, "title": title, "warn": warn,
            "animated": [meas, direct, mem, title, warn]}


def update(handles, data):
    handles["meas"].set_ydata(_clip(data["logs"]))
    with np.errstate(divide="ignore"):
        ref = data["gap"] * np.log10(max(data["alpha"], 1e-300))
    handles["direct"].set_ydata(_clip(ref))
    handles["mem"].set_ydata(np.clip(data["mem"], -16, 1))
    handles["title"].set_text(rf"leak $\alpha$ = {data['alpha']:g}, "
                              rf"$\rho(W_{{hh}})$ = {data['rho']:g}")
    handles["warn"].set_text(data["note"] or "gradient sent back")
    handles["warn"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="leaky_units",
    title="Leaky units: the leak alpha sets how long gradients and inputs survive",
    sliders=(Slider("alpha", (0.0, 0.5, 0.8, 0.9, 0.95, 0.99), 0.9, "leak alpha"),
             Slider("rho", (0.5, 1.0, 1.5), 1.0, "spectral radius of W_hh")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.0)))
