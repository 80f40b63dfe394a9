"""Network diagrams drawn with matplotlib (the book ships no images).

* :func:`draw_context_network`: an Elman or a Jordan network with its context units;
* :func:`draw_unrolled`: a recurrent network unfolded over T steps, for each of the
  three design patterns of Goodfellow et al. (2016, section 10.2).
"""
from __future__ import annotations

from ._validation import check_choice, check_positive_int

__all__ = ["draw_context_network", "draw_unrolled"]

_COLORS = {"x": "#cfe3f7", "h": "#fde7c4", "y": "#d8f0d2", "c": "#eeeeee"}


def _box(ax, xy, text, kind, w=1.3, h=0.6):
    from matplotlib.patches import FancyBboxPatch
    x, y = xy
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.05",
                                fc=_COLORS[kind], ec="0.2", lw=1.2))
    ax.text(x, y, text, ha="center", va="center", fontsize=9)


def _arrow(ax, start, end, text="", rad=0.0, color="0.15", offset=(0.0, 0.0), dashed=False):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=1.3, shrinkA=14, shrinkB=14,
                                connectionstyle=f"arc3,rad={rad}",
                                linestyle="--" if dashed else "-"))
    if text:
        ax.text((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1], text,
                fontsize=8, ha="center", va="center", color=color)


def draw_context_network(ax, kind):
    """Draw an Elman (``kind="elman"``) or Jordan (``"jordan"``) network on ``ax``.

    The context units hold a copy of the hidden state (Elman) or of the output
    (Jordan) from the previous step; the dashed arrow is that one-step-delayed copy.
    """
    check_choice("kind", kind, ("elman", "jordan"))
    _box(ax, (0, 0), "input $x_t$", "x")
    _box(ax, (0, 1.5), "hidden $h_t$", "h")
    _box(ax, (0, 3.0), "output $y_t$", "y")
    ctx = "context\n$h_{t-1}$" if kind == "elman" else "context\n$y_{t-1}$"
    _box(ax, (-2.2, 1.5), ctx, "c", w=1.4, h=0.8)
    _arrow(ax, (0, 0), (0, 1.5), "$W_{xh}$", offset=(0.35, 0))
    _arrow(ax, (0, 1.5), (0, 3.0), "$W_{hq}$" if kind == "elman" else "$W_{hy}$",
           offset=(0.35, 0))
    _arrow(ax, (-2.2, 1.5), (0, 1.5), "$W_{hh}$" if kind == "elman" else "$W_{yh}$",
           offset=(0, 0.22))
    if kind == "elman":
        _arrow(ax, (0, 1.5), (-2.2, 1.5), "copy (delay 1)", rad=0.6, dashed=True,
               color="C0", offset=(0, 0.8))
    else:
        _arrow(ax, (0, 3.0), (-2.2, 1.5), "copy (delay 1)", rad=0.3, dashed=True,
               color="C3", offset=(-0.9, 0.95))
    ax.set(xlim=(-3.3, 1.2), ylim=(-0.6, 3.6), aspect="equal",
           title=f"{'Elman' if kind == 'elman' else 'Jordan'} network")
    ax.axis("off")


def draw_unrolled(ax, T=4, pattern="hidden"):
    """Draw a recurrent network unfolded over ``T`` steps.

    ``pattern``: ``"hidden"`` (output at every step, hidden-to-hidden recurrence),
    ``"output"`` (output at every step, output-to-hidden recurrence, Jordan-like),
    ``"last"`` (hidden-to-hidden recurrence, one output after the last step).
    """
    T = check_positive_int("T", T)
    check_choice("pattern", pattern, ("hidden", "output", "last"))
    dx = 1.9
    for t in range(T):
        X = t * dx
        _box(ax, (X, 0), f"$x_{t}$", "x", w=0.9)
        _box(ax, (X, 1.4), f"$h_{t}$", "h", w=0.9)
        _arrow(ax, (X, 0), (X, 1.4))
        if pattern != "last" or t == T - 1:
            _box(ax, (X, 2.8), f"$y_{t}$" if pattern != "last" else "$y$", "y", w=0.9)
            _arrow(ax, (X, 1.4), (X, 2.8))
        if t > 0:
            if pattern == "output":
                _arrow(ax, (X - dx, 2.8), (X, 1.4), color="C3")
            else:
                _arrow(ax, (X - dx, 1.4), (X, 1.4), color="C0")
    _box(ax, (-dx, 1.4), "$h_{-1}$" if pattern != "output" else "$y_{-1}$", "c", w=0.9)
    _arrow(ax, (-dx, 1.4), (0, 1.4), color="C3" if pattern == "output" else "C0")
    titles = {"hidden": "(1) output at every step, recurrence h -> h",
              "output": "(2) output at every step, recurrence y -> h",
              "last": "(3) recurrence h -> h, one output at the end"}
    ax.set(xlim=(-dx - 0.7, (T - 1) * dx + 0.7), ylim=(-0.6, 3.4), title=titles[pattern])
    ax.set_aspect("equal")
    ax.axis("off")
