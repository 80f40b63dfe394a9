"""Chapter 9 explorer: the GRU's update gate z plays the LSTM forget gate's role.

h_t = (1 - z_t) n_t + z_t h_{t-1}, so along the direct path d h_t / d h_{t-1} is about
diag(z_t): the update-gate bias b_z (slider) sets how far back gradients reach. The
second slider switches between the reset-after form (PyTorch, cuDNN, arXiv v1 of Cho et
al.) and the reset-before form (the EMNLP version of Cho et al., ``formulation="cho"``).
"""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, overflow_note, register
from ..memory import hidden_jacobian_norms
from ..models import init_params
from ._gated import D, H, LIMIT, T, inputs, log_clipped, rnn_norms


@lru_cache(maxsize=None)
def compute(update_bias, formulation):
    """GRU Jacobian norms for one update-gate bias and formulation."""
    p = init_params("gru", D, H, 1, np.random.default_rng(1),
                    init={"update_bias": update_bias})
    r = hidden_jacobian_norms("gru", p, inputs(), formulation=formulation)
    return {"gap": r["gap"], "h": r["h"], "rnn": rnn_norms(), "z_mean": r["z_mean"],
            "pred": r["z_mean"] ** r["gap"], "b_z": update_bias, "form": formulation,
            "note": overflow_note(r["h"], limit=LIMIT)}


def draw(fig, data):
    ax = fig.subplots()
    ax.plot(data["gap"], log_clipped(data["rnn"]), color="0.5", lw=1.5, label="vanilla RNN")
    (lh,) = ax.plot(data["gap"], log_clipped(data["h"]), color="C0", lw=2, label=r"GRU $\Vert\partial h_{T-1}/\partial h_k\Vert$")
    (lp,) = ax.plot(data["gap"], log_clipped(data["pred"]), "k--", lw=1, label=r"$\bar z^{\,T-1-k}$")
    ax.set(xlabel=r"gap $T-1-k$ (steps)", ylabel=r"$\log_{10}$ spectral norm", ylim=(-22, 4),
           xlim=(0, T))
    # Legend below the axes and numbers in the title: never over data.
    fig.legend(ncol=3, loc="outside lower center", frameon=False)
    text = ax.set_title(" \n ")          # always two lines (see update)
    return {"lh": lh, "lp": lp, "text": text, "animated": [lh, lp, text]}


def update(handles, data):
    handles["lh"].set_ydata(log_clipped(data["h"]))
    handles["lp"].set_ydata(log_clipped(data["pred"]))
    handles["text"].set_text(f"{data['form']} formulation, $b_z$ = {data['b_z']:g}, "
                             f"mean $z$ = {data['z_mean']:.3f}\n"
                             + (data["note"] or "how far back the gradient reaches"))
    handles["text"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="gru_update_bias",
    title="GRU: the update-gate bias sets how far back gradients reach",
    sliders=(Slider("update_bias", (-2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 6.0), 0.0,
                    "update-gate bias b_z"),
             Slider("formulation", ("pytorch", "cho"), "pytorch", "formulation")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.9)))
