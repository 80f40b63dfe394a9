"""Chapter 8 explorer: the forget-gate bias decides how far back an LSTM's gradient reaches.

For one random input sequence, the spectral norms ||d h_{T-1} / d h_k|| and
||d h_{T-1} / d c_k|| of an LSTM (PyTorch default weights, forget-gate bias b_f on the
slider) against the gap T-1-k, next to a vanilla tanh RNN with the same weight scale.
The dashed line is mean(f)^gap, the decay of the cell path alone (c_t = f_t c_{t-1} + ...).
The right panel shows the distribution of the forget-gate values f_t.
"""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, overflow_note, register
from ..memory import hidden_jacobian_norms
from ..models import init_params
from ._gated import D, H, LIMIT, T, inputs, log_clipped, rnn_norms


@lru_cache(maxsize=None)
def compute(forget_bias):
    """Jacobian norms and forget-gate values for one forget-gate bias."""
    from ..lstm import lstm_forward
    p = init_params("lstm", D, H, 1, np.random.default_rng(1), forget_bias=forget_bias)
    r = hidden_jacobian_norms("lstm", p, inputs())
    _, cache = lstm_forward(inputs()[None], None, p["W_xh"], p["W_hh"], p["b"])
    f = cache.gates[0, :, H:2 * H].ravel()
    gap = r["gap"]
    return {"gap": gap, "h": r["h"], "c": r["c"], "rnn": rnn_norms(),
            "pred": r["f_mean"] ** gap, "f": f, "f_mean": r["f_mean"], "b_f": forget_bias,
            "note": overflow_note(r["h"], r["c"], limit=LIMIT)}


def draw(fig, data):
    ax1, ax2 = fig.subplots(1, 2, width_ratios=(2, 1))
    (lr,) = ax1.plot(data["gap"], log_clipped(data["rnn"]), color="0.5", lw=1.5,
                     label=r"vanilla RNN $\Vert\partial h_{T-1}/\partial h_k\Vert$")
    (lh,) = ax1.plot(data["gap"], log_clipped(data["h"]), color="C0", lw=2, label=r"LSTM $\Vert\partial h_{T-1}/\partial h_k\Vert$")
    (lc,) = ax1.plot(data["gap"], log_clipped(data["c"]), color="C3", lw=2, label=r"LSTM $\Vert\partial h_{T-1}/\partial c_k\Vert$")
    (lp,) = ax1.plot(data["gap"], log_clipped(data["pred"]), "k--", lw=1, label=r"$\bar f^{\,T-1-k}$ (cell path)")
    ax1.set(xlabel=r"gap $T-1-k$ (steps)", ylabel=r"$\log_{10}$ spectral norm", ylim=(-22, 4),
            xlim=(0, T))
    fig.legend(handles=[lr, lh, lc, lp], ncol=2, loc="outside lower center",
               frameon=False)                          # below the panels, off the data
    bins = np.linspace(0, 1, 26)
    counts, _ = np.histogram(data["f"], bins=bins)
    bars = ax2.stairs(counts / counts.sum(), bins, fill=True, color="C2")
    ax2.set(xlabel=r"forget gate value $f_t$", ylabel=r"fraction of ($t$, unit)", ylim=(0, 1),
            xlim=(0, 1))
    ax2.set_title("forget gate values")
    # The numbers go above the panels, never over data; the left title turns into the
    # warning (red) on overflow.
    text = fig.suptitle(" ", fontsize=12)
    warn = ax1.set_title(" ")
    return {"lr": lr, "lh": lh, "lc": lc, "lp": lp, "bars": bars, "bins": bins,
            "text": text, "warn": warn, "animated": [lh, lc, lp, bars, text, warn]}


def update(handles, data):
    handles["lh"].set_ydata(log_clipped(data["h"]))
    handles["lc"].set_ydata(log_clipped(data["c"]))
    handles["lp"].set_ydata(log_clipped(data["pred"]))
    counts, _ = np.histogram(data["f"], bins=handles["bins"])
    handles["bars"].set_data(counts / counts.sum())
    handles["text"].set_text(f"forget-gate bias $b_f$ = {data['b_f']:g}: mean $f$ = "
                             f"{data['f_mean']:.3f}")
    handles["warn"].set_text(data["note"] or "how far back the gradient reaches")
    handles["warn"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="lstm_forget_bias",
    title="LSTM: the forget-gate bias sets how far back gradients reach",
    sliders=(Slider("forget_bias", (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0), 1.0,
                    "forget-gate bias b_f"),),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.4)))
