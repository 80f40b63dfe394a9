"""Chapter 3 explorer: Elman vs Jordan networks on the recall-with-wait task, as the
delay and the hidden size change (learning curves and held-out recall accuracy).

Each slider position trains two small networks once (200 Adam steps, cached by
:func:`rnnbook.context.recall_run`); the whole grid costs about 10 s once.
"""
import numpy as np

from ..context import recall_run
from ..explorer import Explorer, Slider, register

STEPS = 200


def compute(lag, H):
    """Learning curves and accuracies of both networks for one (lag, H)."""
    e = recall_run("elman", lag, H, steps=STEPS)
    j = recall_run("jordan", lag, H, steps=STEPS)
    return {"elman": e["loss"], "jordan": j["loss"], "acc_e": e["accuracy"],
            "acc_j": j["accuracy"], "lag": lag, "H": H}


def _smooth(v, w=10):
    return np.convolve(v, np.ones(w) / w, mode="valid")


def draw(fig, data):
    ax, axb = fig.subplots(1, 2, gridspec_kw={"width_ratios": [2.2, 1]})
    steps = np.arange(STEPS - 9)
    (le,) = ax.plot(steps, _smooth(data["elman"]), color="C0", label="Elman (context = h)")
    (lj,) = ax.plot(steps, _smooth(data["jordan"]), color="C3", label="Jordan (context = y)")
    # Reference lines are named in the legend (below the panels), never by text over data.
    guess = ax.axhline(np.log(4), color="0.5", ls=":", lw=1.5,
                       label="guessing the cue (loss ln 4, accuracy 0.25)")
    ax.set(xlabel="training step", ylabel="loss (nats / sequence)", ylim=(0, 3.0),
           xticks=[0, 50, 100, 150], title="learning curves (10-step mean)")
    fig.legend(handles=[le, lj, guess], ncol=2, loc="outside lower center", frameon=False)
    bars = axb.bar([0, 1], [data["acc_e"], data["acc_j"]], color=["C0", "C3"])
    axb.axhline(0.25, color="0.5", ls=":", lw=1.5)
    axb.set(xticks=[0, 1], xticklabels=["Elman", "Jordan"], ylim=(0, 1.05),
            yticks=[0, 0.25, 0.5, 0.75, 1.0], yticklabels=["0", "0.25", "0.5", "0.75", "1"],
            ylabel="held-out accuracy", title="recall")
    # The numbers of the current position: above both panels, off the data.
    title = fig.suptitle(" ", fontsize=12)
    return {"le": le, "lj": lj, "bars": bars, "title": title,
            "animated": [le, lj, *bars, title]}


def update(handles, data):
    handles["le"].set_ydata(_smooth(data["elman"]))
    handles["lj"].set_ydata(_smooth(data["jordan"]))
    handles["bars"][0].set_height(data["acc_e"])
    handles["bars"][1].set_height(data["acc_j"])
    handles["title"].set_text(f"delay {data['lag']} steps, H = {data['H']}: held-out "
                              f"recall accuracy Elman {data['acc_e']:.2f}, "
                              f"Jordan {data['acc_j']:.2f}")



LAGS, SIZES = (2, 4, 8, 12, 16), (4, 16)

register(Explorer(
    name="elman_jordan_recall",
    title="Elman vs Jordan: recalling a cue after a delay (answer 'wait' until asked)",
    sliders=(Slider("lag", LAGS, 8, "delay (steps)"),
             Slider("H", SIZES, 16, "hidden units H")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.0), prepare="grid"))
