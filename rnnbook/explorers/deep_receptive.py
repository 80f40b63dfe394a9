"""Explorer "deep_receptive": which inputs does the top state at time t depend on?

For a randomly initialised stack (PyTorch's default uniform initialisation, seeded) of
1 to 3 layers, unidirectional or bidirectional, the figure shows the size of the
gradient of the top layer's state at step t with respect to each input x_s,
||d sum(h_top[t]) / d x_s||, computed with :func:`rnnbook.deep.deep_backward`.
A unidirectional stack only sees s <= t; a bidirectional one sees the whole sequence.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..deep import deep_backward, deep_forward, deep_init
from ..explorer import Explorer, Slider, register

T, D, H = 20, 3, 8


@lru_cache(maxsize=None)
def _setup(cell, layers, bidirectional):
    rng = np.random.default_rng(0)
    params = deep_init(cell, D, H, layers, rng, bidirectional=bidirectional)
    x = rng.standard_normal((1, T, D))
    h, cache = deep_forward(x, params, cell)
    return h, cache


def compute(cell, layers, direction, t):
    h, cache = _setup(cell, layers, direction == "bidirectional")
    dh = np.zeros_like(h)
    dh[0, t] = 1.0
    dx = deep_backward(dh, cache)[0]
    g = np.linalg.norm(dx[0], axis=1)
    return dict(g=g, t=t, cell=cell, layers=layers, direction=direction)


def draw(fig, data):
    ax = fig.add_subplot(1, 1, 1)
    s = np.arange(T)
    line, = ax.semilogy(s, np.maximum(data["g"], 1e-12), "o-", color="C0",
                        label=r"$\|\partial \sum h^{\mathrm{top}}_t / \partial x_s\|$")
    mark = ax.axvline(data["t"], color="C1", ls="--", label=r"output step $t$")
    ax.set_xlim(-0.5, T - 0.5)
    ax.set_ylim(1e-8, 10)
    ax.set_xlabel(r"input step $s$")
    ax.set_ylabel("gradient norm (log scale)")
    ax.set_xticks(range(0, T, 5))
    fig.legend(handles=[line, mark], loc="outside lower center", ncol=2,
               frameon=False)                    # below the axes, off the data
    title = ax.set_title(" \n ")
    return dict(ax=ax, line=line, mark=mark, title=title, animated=[line, mark, title])


def update(handles, data):
    handles["line"].set_ydata(np.clip(data["g"], 1e-12, None))
    handles["mark"].set_xdata([data["t"], data["t"]])
    handles["title"].set_text(f"{data['layers']}-layer {data['direction']} "
                              f"{data['cell'].upper()}, t = {data['t']}: inputs that reach "
                              r"$h^{\mathrm{top}}_t$" "\n(values below $10^{-8}$: not reached)")


register(Explorer(
    name="deep_receptive",
    title="Stacked and bidirectional RNNs: which inputs reach the top state at step t",
    sliders=(Slider("cell", ("rnn", "gru"), "rnn", "cell"),
             Slider("layers", (1, 2, 3), 2, "layers"),
             Slider("direction", ("unidirectional", "bidirectional"), "bidirectional",
                    "direction"),
             Slider("t", (0, 5, 10, 15, 19), 10, "output step t")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.9)))
