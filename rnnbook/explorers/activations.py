"""Preface explorer: the four activation functions and their derivatives, f(w a)."""
import numpy as np

from ..activations import ACTIVATIONS
from ..explorer import Explorer, Slider, register

A = np.linspace(-4.0, 4.0, 401)


def compute(activation, w):
    f, df_from_h = ACTIVATIONS[activation]
    h = f(w * A)
    return {"h": h, "dh": w * df_from_h(h), "activation": activation, "w": w}


def draw(fig, data):
    ax = fig.subplots()
    (line_f,) = ax.plot(A, data["h"], lw=2, label=r"$h = f(w a)$")
    (line_df,) = ax.plot(A, data["dh"], lw=2, ls="--", label=r"$dh/da = w f\,'(w a)$")
    ax.set(xlabel=r"input $a$", ylabel="value", ylim=(-4.2, 4.2), xlim=(-4, 4))
    ax.axhline(0, color="k", lw=0.5)
    # The legend sits to the right of the axes: the curves can reach any corner.
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    title = ax.set_title("")
    return {"f": line_f, "df": line_df, "title": title, "animated": [line_f, line_df, title]}


def update(handles, data):
    handles["f"].set_ydata(np.clip(data["h"], -4.2, 4.2))
    handles["df"].set_ydata(np.clip(data["dh"], -4.2, 4.2))
    handles["title"].set_text(f"{data['activation']} with input weight w = {data['w']:g}")


register(Explorer(
    name="activations",
    title="Activation functions and their derivatives",
    sliders=(Slider("activation", ("tanh", "sigmoid", "relu", "identity"), "tanh", "activation f"),
             Slider("w", (0.25, 0.5, 1.0, 2.0, 4.0), 1.0, "input weight w")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.2)))
