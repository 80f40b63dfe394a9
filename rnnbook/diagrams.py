"""Network diagrams drawn with matplotlib (the book ships no images).

Each function draws on a given ``ax`` (labels in mathtext, the book's notation) and
returns it; :func:`figure` makes a figure of the right size in the book's style.

* :func:`draw_context_network`: an Elman or a Jordan network with its context units;
* :func:`draw_unrolled`: a recurrent network unfolded over T steps, for each of the
  three design patterns of Goodfellow et al. (2016, section 10.2);
* :func:`draw_folded_unfolded`: the cell with its loop, and the same cell unfolded;
* :func:`draw_bptt_graph`: the computational graph of BPTT, forward and backward;
* :func:`draw_worked_example`: the 2-3-2-1 network of chapter 01's worked example;
* :func:`draw_lstm_cell`, :func:`draw_gru_cell`: one step of the gated cells.
"""
from __future__ import annotations

from ._diagram_parts import (_BWD, _FWD, _REC, _SMALL, _TEXT, _arrow, _box, _edge,
                             _finish, _gate, _link)
from ._validation import check_choice, check_positive_int

__all__ = ["figure", "draw_context_network", "draw_unrolled", "draw_folded_unfolded",
           "draw_bptt_graph", "draw_worked_example", "draw_lstm_cell", "draw_gru_cell"]


def figure(width=7.0, height=3.0):
    """A figure and one axis in the book's style, for a diagram."""
    import matplotlib.pyplot as plt
    from .plotting import book_style
    with book_style():
        fig, ax = plt.subplots(figsize=(width, height))
    return fig, ax


def draw_context_network(ax, kind):
    """Draw an Elman (``kind="elman"``) or Jordan (``"jordan"``) network on ``ax``.

    The context units hold a copy of the hidden state (Elman) or of the output
    (Jordan) from the previous step; the dashed arrow is that one-step-delayed copy.
    """
    check_choice("kind", kind, ("elman", "jordan"))
    w = 1.6                                    # wide enough for "hidden h_t" at _TEXT
    _box(ax, (0, 0), "input $x_t$", "x", w=w)
    _box(ax, (0, 1.5), "hidden $h_t$", "h", w=w)
    _box(ax, (0, 3.0), r"output $\hat y_t$", "y", w=w)
    ctx = "context\n$h_{t-1}$" if kind == "elman" else "context\n" + r"$\hat y_{t-1}$"
    _box(ax, (-2.2, 1.5), ctx, "c", w=1.4, h=0.8)
    _arrow(ax, (0, 0), (0, 1.5), "$W_{xh}$", offset=(0.4, 0))
    _arrow(ax, (0, 1.5), (0, 3.0), "$W_{hq}$", offset=(0.4, 0))
    # edge to edge, so that neither arrow end crosses a box's text
    _arrow(ax, (-1.5, 1.5), (-w / 2, 1.5), "$W_{hh}$" if kind == "elman" else "$W_{yh}$",
           offset=(0, 0.22), shrink=2)
    if kind == "elman":
        _arrow(ax, (-0.3, 1.8), (-2.2, 1.9), "copy (delay 1)", rad=0.6, dashed=True,
               color=_REC, offset=(-0.5, 0.95), shrink=2)
    else:
        _arrow(ax, (-w / 2, 3.0), (-2.2, 1.9), "copy (delay 1)", rad=0.3, dashed=True,
               color=_BWD, offset=(-0.6, 0.8), shrink=2)
    return _finish(ax, (-3.3, 1.2), (-0.6, 3.6),
                   f"{'Elman' if kind == 'elman' else 'Jordan'} network")


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
        _link(ax, (X, 0), (X, 1.4))
        if pattern != "last" or t == T - 1:
            _box(ax, (X, 2.8), f"$o_{t}$" if pattern != "last" else "$o$", "y", w=0.9)
            _link(ax, (X, 1.4), (X, 2.8))
        if t > 0:
            if pattern == "output":
                _link(ax, (X - dx, 2.8), (X, 1.4), color=_BWD)
            else:
                _link(ax, (X - dx, 1.4), (X, 1.4), color=_REC)
    _box(ax, (-dx, 1.4), "$h_{-1}$" if pattern != "output" else "$o_{-1}$", "c", w=0.9)
    _link(ax, (-dx, 1.4), (0, 1.4), color=_BWD if pattern == "output" else _REC)
    titles = {"hidden": r"(1) output at every step, recurrence $h \to h$",
              "output": r"(2) output at every step, recurrence $o \to h$",
              "last": r"(3) recurrence $h \to h$, one output at the end"}
    return _finish(ax, (-dx - 0.7, (T - 1) * dx + 0.7), (-0.6, 3.4), titles[pattern])


def draw_folded_unfolded(ax, T=3):
    """The Elman cell drawn folded (one cell, a loop through a one-step delay) and
    unfolded over ``T`` steps (one copy per step, all copies sharing the weights)."""
    T = check_positive_int("T", T)
    # folded
    _box(ax, (0, 0), "$x_t$", "x", w=0.9)
    _box(ax, (0, 1.5), "$h_t$", "h", w=0.9)
    _box(ax, (0, 3.0), "$o_t$", "y", w=0.9)
    _link(ax, (0, 0), (0, 1.5), text="$W_{xh}$", offset=(0.45, 0))
    _link(ax, (0, 1.5), (0, 3.0), text="$W_{hq}$", offset=(0.45, 0))
    ax.annotate("", xy=(-0.47, 1.62), xytext=(-0.47, 1.38),
                arrowprops=dict(arrowstyle="-|>", color=_REC, lw=1.4,
                                connectionstyle="arc3,rad=-2.2"))
    ax.text(-1.45, 1.5, "$W_{hh}$\n(delay 1)", color=_REC, fontsize=_SMALL, ha="center", va="center")
    # unfolded: h_{-1} one step (dx) left of h_0, so that every W_hh label has the
    # same room between two boxes
    x0, dx = 4.4, 1.8
    ax.annotate("unfold", xy=(x0 - dx - 0.55, 1.5), xytext=(0.75, 1.5), ha="left",
                va="center", fontsize=_TEXT, color="0.3",
                arrowprops=dict(arrowstyle="-|>", color="0.4", lw=1.6, shrinkA=4, shrinkB=0))
    _box(ax, (x0 - dx, 1.5), "$h_{-1}$", "c", w=0.9)
    prev = (x0 - dx, 1.5)
    for t in range(T):
        X = x0 + t * dx
        _box(ax, (X, 0), f"$x_{t}$", "x", w=0.9)
        _box(ax, (X, 1.5), f"$h_{t}$", "h", w=0.9)
        _box(ax, (X, 3.0), f"$o_{t}$", "y", w=0.9)
        _link(ax, (X, 0), (X, 1.5), text="$W_{xh}$", offset=(0.45, -0.1), fontsize=_SMALL)
        _link(ax, (X, 1.5), (X, 3.0), text="$W_{hq}$", offset=(0.45, 0.1), fontsize=_SMALL)
        _link(ax, prev, (X, 1.5), text="$W_{hh}$", color=_REC, offset=(0, 0.3),
              fontsize=_SMALL)
        prev = (X, 1.5)
    ax.text(x0 + (T - 1) * dx + 0.75, 1.5, r"$\cdots$", fontsize=_TEXT, va="center")
    return _finish(ax, (-2.1, x0 + (T - 1) * dx + 1.2), (-0.5, 3.5))


def draw_bptt_graph(ax, T=3):
    """The computational graph of an RNN with an output layer and a loss at every step
    (black: forward pass), and the gradients of BPTT flowing back (dashed, vermillion):
    the error signal delta_t = dL/da_t runs from step t+1 to step t through W_hh^T and
    leaves the sequence as dL/dh_{-1}."""
    T = check_positive_int("T", T)
    dx, y = 2.6, {"x": 0.0, "a": 1.3, "h": 2.6, "o": 3.9, "l": 5.2}
    _box(ax, (-dx + 0.6, y["h"]), "$h_{-1}$", "c", w=0.9)
    for t in range(T):
        X = t * dx
        _box(ax, (X, y["x"]), f"$x_{t}$", "x", w=0.9)
        _box(ax, (X, y["a"]), f"$a_{t}$", "h", w=0.9)
        _box(ax, (X, y["h"]), f"$h_{t}$", "h", w=0.9)
        _box(ax, (X, y["o"]), f"$o_{t}$", "y", w=0.9)
        _box(ax, (X, y["l"]), rf"$\ell_{t}$", "l", w=0.9)
        for lo, hi, label, off in (("x", "a", "$W_{xh}$", -0.45), ("a", "h", "$f$", -0.3),
                                   ("h", "o", "$W_{hq}$", -0.45),
                                   ("o", "l", r"$y_{%d}$" % t, -0.35)):
            _link(ax, (X, y[lo]), (X, y[hi]), text=label, offset=(off, 0), fontsize=_SMALL)
        # W_hh: from the right edge of h_{t-1} to the left edge of a_t, labelled above
        # the arrow (clear of it and of both boxes)
        src = (-dx + 0.6, y["h"]) if t == 0 else ((t - 1) * dx, y["h"])
        start, end = (src[0] + 0.54, src[1]), (X - 0.54, y["a"])
        _arrow(ax, start, end, color=_REC, shrink=0)
        ax.text((start[0] + end[0]) / 2 + 0.22, (start[1] + end[1]) / 2 + 0.27, "$W_{hh}$",
                color=_REC, fontsize=_SMALL, ha="center", va="center")
        # backward, right of each column: dL/do_t, then delta_t; then delta_t W_hh^T
        # back to h_{t-1} (curved, below the W_hh arrow)
        xb = X + 0.66
        for hi, lo in (("l", "o"), ("o", "h"), ("h", "a")):
            _arrow(ax, (xb, y[hi] - 0.1), (xb, y[lo] + 0.1), shrink=0, color=_BWD, dashed=True)
        ax.text(xb + 0.08, (y["l"] + y["o"]) / 2, r"$\partial L/\partial o_{%d}$" % t,
                color=_BWD, fontsize=_SMALL, ha="left", va="center")
        ax.text(xb + 0.08, y["a"] - 0.15, r"$\delta_{%d}$" % t, color=_BWD, fontsize=_TEXT,
                ha="left", va="center")
        dst = (src[0] + 0.54, y["h"] - 0.26)
        _arrow(ax, (X - 0.54, y["a"] - 0.12), dst, rad=-0.3, shrink=0, color=_BWD,
               dashed=True, lw=1.1)
    ax.text(-dx + 0.6, y["h"] - 0.45, r"$\partial L/\partial h_{-1}$", color=_BWD,
            fontsize=_SMALL, ha="center", va="top")
    ax.text((T - 1) * dx / 2, y["l"] + 0.8, r"$L = \sum_t \ell_t$", fontsize=_TEXT, ha="center")
    return _finish(ax, (-dx - 0.3, (T - 1) * dx + 2.0), (-0.6, 6.5))


# where (as a fraction of the edge, centre to centre) the weight of edge i -> j is
# written: clear of the boxes and arrowheads (0.3 to 0.62) and of the points where the
# edges of a layer cross (fractions 1/3, 1/2 and 2/3)
_WEIGHT_AT = {(1, 3): 0.5, (1, 4): 0.3, (1, 5): 0.62, (2, 3): 0.62, (2, 4): 0.3,
              (2, 5): 0.5, (3, 6): 0.5, (3, 7): 0.3, (4, 6): 0.3, (4, 7): 0.3,
              (5, 6): 0.3, (5, 7): 0.5, (6, 8): 0.5, (7, 8): 0.5}


def draw_worked_example(ax, weights=None):
    """The 2-3-2-1 sigmoid network of chapter 01's worked example: neurons 1-2 are the
    inputs, 3-5 and 6-7 the hidden layers, 8 the output; each edge carries w_ij."""
    if weights is None:
        from .worked_example import WORKED_WEIGHTS as weights
    layers = ((1, 2), (3, 4, 5), (6, 7), (8,))
    kinds = ("x", "h", "h", "y")
    pos = {}
    for l, (layer, kind) in enumerate(zip(layers, kinds)):
        for k, n in enumerate(layer):
            pos[n] = (2.6 * l, 1.3 * ((len(layer) - 1) / 2 - k))
            _box(ax, pos[n], str(n), kind, w=0.6, h=0.6)
    for l in range(3):
        for i in layers[l]:
            for j in layers[l + 1]:
                (x1, y1), (x2, y2) = pos[i], pos[j]
                ax.annotate("", xy=_edge(pos[j], pos[i], 0.6, 0.6),
                            xytext=_edge(pos[i], pos[j], 0.6, 0.6), arrowprops=dict(
                                arrowstyle="-|>", color="0.35", lw=1.0, shrinkA=0, shrinkB=0))
                # each label on its own edge, away from the boxes, from the other labels
                # and from the points where edges cross
                fx = _WEIGHT_AT[i, j]
                ax.text(x1 + fx * (x2 - x1), y1 + fx * (y2 - y1), f"{weights[f'w{i}{j}']:g}",
                        fontsize=_SMALL, ha="center", va="center",
                        bbox=dict(fc="white", ec="none", pad=0.5))
    for name, xx in zip(("inputs", "hidden 1", "hidden 2", "output"), (0, 2.6, 5.2, 7.8)):
        ax.text(xx, -2.1, name, ha="center", fontsize=_SMALL, color="0.3")
    return _finish(ax, (-0.7, 8.5), (-2.4, 1.9))


def draw_lstm_cell(ax):
    """One LSTM step: gates i, f, omega (output) and candidate g computed from x_t and
    h_{t-1}; the cell path c_{t-1} -> c_t uses only a product and a sum."""
    yc, yh = 3.2, 0.0
    ax.plot([-1.2, 6.2], [yc, yc], color=_REC, lw=2.2, zorder=0)        # cell path
    ax.plot([-1.2, 4.3], [yh, yh], color="0.3", lw=1.2, zorder=0)      # [h_{t-1}, x_t]
    ax.text(-1.3, yc, "$c_{t-1}$", ha="right", va="center", fontsize=_TEXT)
    ax.text(6.3, yc, "$c_t$", ha="left", va="center", fontsize=_TEXT)
    ax.text(-1.3, yh, "$h_{t-1}$", ha="right", va="center", fontsize=_TEXT)
    ax.text(0.5, -1.0, "$x_t$", ha="center", va="center", fontsize=_TEXT)
    ax.annotate("", xy=(0.5, yh), xytext=(0.5, -0.8),
                arrowprops=dict(arrowstyle="-|>", color="0.3", lw=1.1))
    gates = [(0.6, r"$f_t$", r"$\sigma$"), (1.9, "$i_t$", r"$\sigma$"),
             (3.0, "$g_t$", r"$\tanh$"), (4.3, r"$\omega_t$", r"$\sigma$")]
    for gx, name, act in gates:
        _gate(ax, (gx, 1.3), act)
        ax.plot([gx, gx], [yh, 1.05], color="0.3", lw=1.0, zorder=0)
        ax.text(gx + 0.45, 1.75, name, fontsize=_TEXT, ha="left", va="center")
    # arrows run from outline to outline (gate boxes 0.75 x 0.5, operation circles of
    # radius 0.25), so that no arrowhead covers an operation's symbol
    gate, op = (0.75, 0.5), 0.25
    _box(ax, (0.6, yc), r"$\times$", "op", h=0.5)
    _link(ax, (0.6, 1.3), (0.6, yc), gate, op, lw=1.1)
    _box(ax, (2.45, 2.4), r"$\times$", "op", h=0.5)
    _link(ax, (1.9, 1.3), (2.45, 2.4), gate, op, lw=1.1)
    _link(ax, (3.0, 1.3), (2.45, 2.4), gate, op, lw=1.1)
    _box(ax, (2.45, yc), "$+$", "op", h=0.5)
    _link(ax, (2.45, 2.4), (2.45, yc), op, op, lw=1.1)
    _gate(ax, (5.3, 2.4), r"$\tanh$")
    ax.plot([5.3, 5.3], [yc, 2.65], color=_REC, lw=1.1)
    _box(ax, (5.3, 1.3), r"$\times$", "op", h=0.5)
    _link(ax, (5.3, 2.4), (5.3, 1.3), gate, op, lw=1.1)
    _link(ax, (4.3, 1.3), (5.3, 1.3), gate, op, lw=1.1)
    _arrow(ax, _edge((5.3, 1.3), (6.2, 1.3), r=op), (6.2, 1.3), shrink=0, lw=1.1)
    ax.text(6.3, 1.3, "$h_t$", ha="left", va="center", fontsize=_TEXT)
    ax.text(2.6, 4.0, r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t, \quad"
            r"h_t = \omega_t \odot \tanh(c_t)$", ha="center", fontsize=_TEXT)
    return _finish(ax, (-2.4, 7.0), (-1.3, 4.4))


def draw_gru_cell(ax):
    """One GRU step (PyTorch's form): reset r_t, update z_t, candidate
    n_t = tanh(x_t W_in + b_in + r_t * (h_{t-1} W_hn + b_hn)) and
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}."""
    yh, yx = 3.0, 0.0
    ax.plot([-1.2, 6.2], [yh, yh], color=_REC, lw=2.2, zorder=0)        # state path
    ax.text(-1.3, yh, "$h_{t-1}$", ha="right", va="center", fontsize=_TEXT)
    ax.text(6.3, yh, "$h_t$", ha="left", va="center", fontsize=_TEXT)
    ax.plot([-1.2, 4.0], [yx, yx], color="0.3", lw=1.2, zorder=0)
    ax.text(-1.3, yx, "$x_t$", ha="right", va="center", fontsize=_TEXT)
    for gx, name, act in [(0.4, "$r_t$", r"$\sigma$"), (1.7, "$z_t$", r"$\sigma$")]:
        _gate(ax, (gx, 1.2), act)
        ax.plot([gx, gx], [yx, 0.95], color="0.3", lw=1.0, zorder=0)
        ax.plot([gx, gx], [1.45, yh], color=_REC, lw=0.8, ls=":", zorder=0)
        ax.text(gx + 0.45, 0.75, name, fontsize=_TEXT, ha="left", va="center")
    _box(ax, (3.4, 1.9), r"$\times$", "op", h=0.5)          # r_t * (h W_hn + b_hn)
    # arrows end on the outlines, so that no arrowhead covers an operation's symbol
    _arrow(ax, (0.4, 1.5), _edge((3.4, 1.9), (0.4, 1.9), r=0.25), shrink=0, lw=1.0, rad=-0.15)
    ax.plot([3.4, 3.4], [2.15, yh], color=_REC, lw=1.0)
    # left of the line from h_{t-1}, clear of the z_t arrow that passes on the right
    ax.text(3.3, 2.62, r"$h_{t-1}W_{hn}$", fontsize=_SMALL, ha="right")
    _gate(ax, (3.4, 1.0), r"$\tanh$")
    _link(ax, (3.4, 1.9), (3.4, 1.0), 0.25, (0.75, 0.5), lw=1.0)
    ax.plot([3.4, 3.4], [yx, 0.75], color="0.3", lw=1.0)
    ax.text(3.9, 0.65, "$n_t$", fontsize=_TEXT, ha="left")
    _box(ax, (5.0, yh), "mix", "op", h=0.7, fontsize=_SMALL)
    _arrow(ax, (1.7, 1.5), _edge((5.0, yh), (1.7, 1.5), r=0.35), shrink=0, lw=1.0)
    _arrow(ax, (3.8, 1.0), _edge((5.0, yh), (5.0, 1.0), r=0.35), shrink=0, lw=1.0, rad=0.3)
    ax.text(2.5, 3.8, r"$h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}$", ha="center",
            fontsize=_TEXT)
    return _finish(ax, (-2.4, 7.0), (-0.6, 4.3))
