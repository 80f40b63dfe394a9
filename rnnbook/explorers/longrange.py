"""Chapter 10 explorer: learning curves of the recorded long-range sweep.

Precomputed: the curves come from ``rnnbook/experiments/data/longrange_sweep.json``
(``python -m rnnbook.experiments.longrange_sweep --record``); nothing is trained when a
slider moves. For one task, length T and cell, every initialisation of that cell is
drawn, one thin line per seed: the normalised held-out loss (1 = the memoryless
baseline: constant predictor, chance, or the copying baseline) against Adam updates,
starting at the untrained network (update 0); the legend, outside the axes, counts the
seeds that solved the task. A missing recorded file is an error.
"""
from functools import lru_cache

import numpy as np

from ..experiments.results import load
from ..explorer import Explorer, Slider, register
from ..plotting import PALETTE

TASKS = ("adding", "temporal_order", "delayed_recall", "copying")
INITS = {"lstm": ("zeros", "forget1", "hs97", "chrono"), "gru": ("default", "long"),
         "rnn": ("default", "orthogonal", "irnn")}
SEEDS = 5
XMAX = 1000          # the largest cap of the sweep; one x range for every frame


@lru_cache(maxsize=1)
def _results():
    return load("longrange_sweep").results


@lru_cache(maxsize=None)
def compute(task, T, cell):
    """Per initialisation: a list of (updates, normalised loss, solved) per seed."""
    curves = {}
    for init in INITS[cell]:
        runs = sorted((r for r in _results() if (r["task"], r["T"], r["cell"], r["init"])
                       == (task, T, cell, init)), key=lambda r: r["seed"])
        curves[init] = [(np.asarray(r["curve_steps"], float),
                         np.asarray(r["nloss"], float), r["solved"]) for r in runs]
    cap = max([int(s[-1]) for runs in curves.values() for s, _, _ in runs] or [1])
    return {"task": task, "T": T, "cell": cell, "curves": curves, "cap": cap}


def draw(fig, data):
    # Fixed axes with a margin on the right for the legend, so that neither the legend
    # nor the solved counts (in the legend) can cover a curve, whatever the cell.
    fig.set_layout_engine("none")
    ax = fig.add_axes((0.11, 0.15, 0.59, 0.74))
    lines = {}
    for k in range(4):
        lines[k] = [ax.plot([], [], lw=1.2, color=PALETTE[k], alpha=0.8)[0]
                    for s in range(SEEDS)]
    ax.axhline(1.0, color="0.4", ls=":", lw=1)
    ax.set(xlabel="Adam updates (batches of 32)",
           ylabel="held-out loss / baseline", ylim=(-0.02, 1.3), xlim=(0, XMAX))
    title = ax.set_title(" ")
    legend = ax.legend([lines[k][0] for k in range(4)], ["-"] * 4, loc="upper left",
                       bbox_to_anchor=(1.02, 1.0), title="init: solved", frameon=False)
    animated = [line for k in range(4) for line in lines[k]] + [title, legend]
    return {"ax": ax, "lines": lines, "legend": legend, "title": title, "animated": animated}


def update(handles, data):
    inits = INITS[data["cell"]]
    legend = handles["legend"]
    for k, seed_lines in handles["lines"].items():
        runs = data["curves"].get(inits[k], []) if k < len(inits) else []
        for s, line in enumerate(seed_lines):
            if s < len(runs):
                line.set_data(runs[s][0], np.minimum(runs[s][1], 1.28))
            else:
                line.set_data([], [])
        label = ""
        if k < len(inits):
            label = (f"{inits[k]}: {sum(r[2] for r in runs)}/{len(runs)}" if runs
                     else f"{inits[k]}: –")
        legend.get_texts()[k].set_text(label)
        legend.legend_handles[k].set_visible(k < len(inits))
    name = "lag" if data["task"] == "delayed_recall" else "T"
    recorded = any(data["curves"].get(init) for init in inits)
    handles["title"].set_text(f"{data['task'].replace('_', ' ')}, {name} = {data['T']}, "
                              f"{data['cell'].upper()}"
                              + (" (one line per seed)" if recorded else ": not recorded"))


register(Explorer(
    name="longrange_curves",
    title="Long-range tasks: learning curves of the recorded sweep",
    sliders=(Slider("task", TASKS, "adding", "task"),
             Slider("T", (100, 200), 100, "length T (lag for delayed recall)"),
             Slider("cell", ("lstm", "gru", "rnn"), "lstm", "cell")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.8)))
