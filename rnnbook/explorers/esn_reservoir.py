"""Chapter 7 explorer: an echo state network on NARMA10 as the reservoir's spectral
radius rho and the input scaling change.

Left: the echo state property, the distance between two runs of the reservoir that
start from different random states and receive the same input. Right: the trained
ridge readout on held-out data, with its NRMSE (1 = predicting the mean).
"""
from functools import lru_cache

import numpy as np

from ..esn import echo_state_distance, esn_init, esn_states, nrmse, ridge_readout
from ..explorer import Explorer, Slider, register
from ..tasks import narma10

H, T_TOTAL, WASHOUT, T_TRAIN, T_ESP = 60, 700, 100, 500, 150
NRMSE_LIMIT = 3.0


@lru_cache(maxsize=1)
def _data():
    rng = np.random.default_rng(8)
    u, y = narma10(T_TOTAL, rng)
    h_a, h_b = rng.uniform(-1, 1, (2, 1, H))
    return u[None, :, None], y[None, :, None], h_a, h_b


@lru_cache(maxsize=None)
def compute(rho, input_scaling):
    """Echo-state distance and held-out NARMA10 predictions for one position."""
    U, Y, h_a, h_b = _data()
    p = esn_init(1, H, np.random.default_rng(9), rho=rho, input_scaling=input_scaling)
    dist = echo_state_distance(p, U[:, :T_ESP], h_a, h_b)[0]
    S = esn_states(U, p)[0]                                    # one run: (T_TOTAL, H)
    W_out, b_out = ridge_readout(S[WASHOUT:T_TRAIN], Y[0, WASHOUT:T_TRAIN], ridge=1e-6)
    pred = (S[T_TRAIN:] @ W_out + b_out)[:, 0]
    target = Y[0, T_TRAIN:, 0]
    err = nrmse(pred, target)
    note = f"prediction clipped: NRMSE {err:.2g}" if err > NRMSE_LIMIT else ""
    return {"dist": np.log10(dist + 1e-300), "pred": pred[:120], "target": target[:120],
            "nrmse": err, "rho": rho, "input_scaling": input_scaling, "note": note}


def draw(fig, data):
    ax1, ax2 = fig.subplots(1, 2)
    (dist,) = ax1.plot(np.arange(T_ESP), np.clip(data["dist"], -16, 2))
    ax1.set(xlabel=r"time step $t$", ylabel=r"$\log_{10}\|h_t^{(a)} - h_t^{(b)}\|$", ylim=(-17, 2),
            title="two initial states, same input")
    ax2.plot(np.arange(120), data["target"], color="k", lw=1.2, label="NARMA10 target")
    (pred,) = ax2.plot(np.arange(120), np.clip(data["pred"], -0.5, 1.5), color="C1",
                       lw=1.0, label="ESN readout")
    ax2.set(xlabel="held-out time step", ylabel=r"$y$", ylim=(-0.1, 1.0))
    # Legend below the panels, the numbers above them and the warning (red) in the
    # panel's title: the prediction can reach every part of its axes.
    fig.legend(handles=ax2.get_lines(), ncol=2, loc="outside lower center", frameon=False)
    title = fig.suptitle(" ", fontsize=12)
    warn = ax2.set_title(" ")
    return {"dist": dist, "pred": pred, "title": title, "warn": warn,
            "animated": [dist, pred, title, warn]}


def update(handles, data):
    handles["dist"].set_ydata(np.clip(data["dist"], -16, 2))
    handles["pred"].set_ydata(np.clip(data["pred"], -0.5, 1.5))
    handles["title"].set_text(rf"$\rho$ = {data['rho']:g}, input scaling "
                              f"{data['input_scaling']:g}: NRMSE = {data['nrmse']:.2f} "
                              "(1 = predicting the mean)")
    handles["warn"].set_text(data["note"] or "readout on NARMA10")
    handles["warn"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="esn_reservoir",
    title="Echo state network: spectral radius of the reservoir, echo state property, NARMA10",
    sliders=(Slider("rho", (0.1, 0.5, 0.8, 0.95, 1.1, 1.3, 1.6, 2.0), 0.95,
                    "spectral radius of the reservoir"),
             Slider("input_scaling", (0.1, 0.5, 1.0), 0.5, "input scaling")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.0)))
