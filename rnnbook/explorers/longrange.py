"""Chapter 10 explorer: learning curves of RNN, LSTM and GRU on the long-range tasks.

Precomputed: the curves come from the recorded full run (benchmarks/longrange_full.py,
stored in ``_longrange_full.py``); nothing is trained when a slider moves. For each task
and length T (the lag for delayed recall): the fraction of held-out sequences processed
correctly (the paper's per-sequence criterion) against training steps, seed 0, with the
95 % "solved" line and the chance level.
"""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, register
from ..longrange import CHANCE, FULL_GRID, FULL_STEPS, SOLVED_AT

CELLS = ("rnn", "lstm", "gru")
COLORS = {"rnn": "0.45", "lstm": "C0", "gru": "C3"}
LENGTHS = (1, 2, 3, 4)     # position in FULL_GRID[task] (1 = shortest; clamped)


@lru_cache(maxsize=1)
def _results():
    try:
        from ._longrange_full import RESULTS
    except ImportError:
        RESULTS = []
    return RESULTS


@lru_cache(maxsize=None)
def compute(task, length):
    """Curves (steps, fraction correct) for every cell at one task and length."""
    lengths = FULL_GRID[task]
    T = lengths[min(LENGTHS.index(length), len(lengths) - 1)]
    curves = {}
    for cell in CELLS:
        runs = [r for r in _results() if (r["task"], r["T"], r["cell"], r["seed"])
                == (task, T, cell, 0)]
        if runs:
            curves[cell] = (np.asarray(runs[0]["curve_steps"], float),
                            np.asarray(runs[0]["curve"], float), runs[0]["solved"])
        else:
            curves[cell] = (np.array([np.nan]), np.array([np.nan]), False)
    return {"task": task, "T": T, "curves": curves, "steps": FULL_STEPS[task],
            "missing": not _results()}


def draw(fig, data):
    ax = fig.subplots()
    lines = {}
    for cell in CELLS:
        (lines[cell],) = ax.plot([], [], "o-", ms=2.5, lw=1.5, color=COLORS[cell], label=cell)
    ax.axhline(SOLVED_AT, color="k", ls="--", lw=1, label="solved (95 %)")
    (chance,) = ax.plot([0, 4000], [0, 0], color="0.6", ls=":", lw=1, label="chance")
    ax.set(xlabel="training step (batches of 32)", ylabel="held-out fraction correct",
           ylim=(-0.02, 1.02), xlim=(0, 4000))
    ax.legend(fontsize=8, loc="center right")
    title = ax.set_title("")
    text = ax.text(0.02, 0.89, "", transform=ax.transAxes, va="top", fontsize=8)
    return {"ax": ax, "lines": lines, "chance": chance, "title": title, "text": text}


def update(handles, data):
    for cell, (steps, frac, solved) in data["curves"].items():
        handles["lines"][cell].set_data(steps, frac)
    handles["ax"].set_xlim(0, data["steps"])
    c = CHANCE[data["task"]]
    handles["chance"].set_data([0, data["steps"]], [c, c])
    name = "lag" if data["task"] == "delayed_recall" else "T"
    handles["title"].set_text(f"{data['task']}, {name} = {data['T']} (seed 0, full run)")
    solved = ", ".join(f"{cell} {'yes' if data['curves'][cell][2] else 'no'}"
                       for cell in CELLS)
    handles["text"].set_text("no recorded full run: run benchmarks/longrange_full.py"
                             if data["missing"] else f"solved: {solved}")
    return "redraw"


register(Explorer(
    name="longrange_curves",
    title="Long-range tasks: learning curves of RNN, LSTM and GRU (recorded full run)",
    sliders=(Slider("task", ("adding", "temporal_order", "delayed_recall"), "adding", "task"),
             Slider("length", LENGTHS, 2, "length (or lag): position in the grid")),
    compute=compute, draw=draw, update=update, figsize=(8.0, 3.4)))
