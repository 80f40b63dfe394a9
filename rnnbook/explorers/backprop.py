"""Chapter 1 explorer: learning rate and momentum against the training curve of the
worked-example network of the Habr article on backpropagation (2-3-2-1 sigmoid units, no
biases, one sample; chapter 01)."""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, overflow_note, register
from ..mlp import _mlp_backward, _mlp_forward
from ..optim import SGD
from ..worked_example import WORKED_X, WORKED_TARGET, worked_example_params

STEPS = 300


@lru_cache(maxsize=None)
def compute(lr, momentum):
    """Train the worked-example network for STEPS updates; return its curves."""
    params = worked_example_params()
    opt = SGD(lr=lr, momentum=momentum)
    loss, out = np.empty(STEPS + 1), np.empty(STEPS + 1)
    target = np.array([[WORKED_TARGET]])
    for k in range(STEPS + 1):
        y, cache = _mlp_forward(WORKED_X, params, "sigmoid", "sigmoid")
        loss[k] = 0.5 * float(np.sum((y - target) ** 2))
        out[k] = float(y[0, 0])
        if k < STEPS:
            _, grads, _ = _mlp_backward(y - target, cache)
            opt.step(params, grads)
    return {"loss": loss, "out": out, "lr": lr, "momentum": momentum}


def draw(fig, data):
    ax_loss, ax_out = fig.subplots(1, 2)
    steps = np.arange(STEPS + 1)
    reference = compute(0.3, 0.1)          # the source's own setting, for comparison
    ax_loss.semilogy(steps, reference["loss"], color="0.6", lw=1.5,
                     label="source's setting (lr 0.3, momentum 0.1)")
    (line_loss,) = ax_loss.semilogy(steps, data["loss"], color="C0", lw=2,
                                    label="slider setting")
    ax_loss.set(xlabel=r"update $k$", ylabel=r"loss $E = (O_8 - 0.9)^2 / 2$",
                ylim=(1e-12, 1.0), yticks=[1e-12, 1e-8, 1e-4, 1], title="training loss")
    target = ax_out.axhline(WORKED_TARGET, color="k", ls="--", lw=1, label="target 0.9")
    ax_out.plot(steps, reference["out"], color="0.6", lw=1.5)
    (line_out,) = ax_out.plot(steps, data["out"], color="C0", lw=2)
    ax_out.set(xlabel=r"update $k$", ylabel=r"network output $O_8$", ylim=(0.4, 1.0),
               title="output and target")
    # Legend below the panels and the numbers above them: never over a curve.
    fig.legend(handles=[*ax_loss.get_lines(), target], ncol=2, loc="outside lower center",
               frameon=False)
    note = fig.suptitle(" ", fontsize=12)
    return {"line_loss": line_loss, "line_out": line_out, "note": note,
            "animated": [line_loss, line_out, note]}


def update(handles, data):
    loss = np.maximum(data["loss"], 1e-12)   # exact zeros cannot be drawn on a log axis
    handles["line_loss"].set_ydata(loss)
    handles["line_out"].set_ydata(data["out"])
    final = data["loss"][-1]
    note = overflow_note(data["out"])
    handles["note"].set_text(f"lr = {data['lr']:g}, momentum = {data['momentum']:g}: "
                             f"loss after {STEPS} updates {final:.2e}"
                             + (f"; {note}" if note else ""))
    handles["note"].set_color("red" if note else "black")


LRS, MOMENTA = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0), (0.0, 0.1, 0.5, 0.9, 0.99)



register(Explorer(
    name="backprop_training",
    title="The worked example's network: learning rate and momentum vs the training curve",
    sliders=(Slider("lr", LRS, 0.3, "learning rate α"),
             Slider("momentum", MOMENTA, 0.1, "momentum γ")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.9), prepare="grid"))
