"""Drawing primitives of :mod:`rnnbook.diagrams`: boxes, arrows between box outlines,
the colours and text sizes of the book's diagrams."""
from __future__ import annotations

from .plotting import STYLE

# light tints of the Okabe-Ito colours (rnnbook.plotting.PALETTE): input, hidden,
# output, context/initial state, loss, gate, operation
_COLORS = {"x": "#cfe3f2", "h": "#fbe0c8", "y": "#cdeee3", "c": "#ececec", "l": "#f3d6e8",
           "g": "#fff6c2", "op": "#ffffff"}
_FWD, _BWD, _REC = "0.15", "#D55E00", "#0072B2"
# text sizes follow the book style (legible on a phone: see rnnbook.plotting.STYLE)
_TEXT, _SMALL = STYLE["font.size"], STYLE["legend.fontsize"]


def _box(ax, xy, text, kind, w=1.3, h=0.6, fontsize=_TEXT, round_=True):
    from matplotlib.patches import Circle, FancyBboxPatch
    x, y = xy
    if kind == "op":
        ax.add_patch(Circle((x, y), h / 2, fc=_COLORS["op"], ec="0.2", lw=1.1))
    else:
        style = "round,pad=0.05" if round_ else "square,pad=0.02"
        ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=style,
                                    fc=_COLORS[kind], ec="0.2", lw=1.1))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def _arrow(ax, start, end, text="", rad=0.0, color=_FWD, offset=(0.0, 0.0), dashed=False,
           shrink=14, fontsize=_SMALL, lw=1.3):
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, shrinkA=shrink,
                                shrinkB=shrink, connectionstyle=f"arc3,rad={rad}",
                                linestyle="--" if dashed else "-"))
    if text:
        ax.text((start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1], text,
                fontsize=fontsize, ha="center", va="center", color=color)


def _edge(p, q, w=None, h=None, r=None, gap=0.04):
    """The point where the segment p -> q leaves the box (``w`` x ``h``, drawn with a
    0.05 pad) or the circle (radius ``r``) centred on p, ``gap`` further out: arrows
    drawn between such points start and end at the outlines, never inside a box."""
    (px, py), (qx, qy) = p, q
    dx, dy = qx - px, qy - py
    if r is not None:
        t = (r + gap) / max((dx * dx + dy * dy) ** 0.5, 1e-12)
    else:
        tx = (w / 2 + 0.05 + gap) / abs(dx) if dx else float("inf")
        ty = (h / 2 + 0.05 + gap) / abs(dy) if dy else float("inf")
        t = min(tx, ty)
    return (px + t * dx, py + t * dy)


def _link(ax, p, q, a=(0.9, 0.6), b=(0.9, 0.6), **kw):
    """An arrow from the outline of the box (or circle: a number) centred on p to the
    outline of the one centred on q; ``kw`` as for :func:`_arrow`."""
    def out(c, size, other):
        if isinstance(size, tuple):
            return _edge(c, other, w=size[0], h=size[1])
        return _edge(c, other, r=size)
    _arrow(ax, out(p, a, q), out(q, b, p), shrink=0, **kw)


def _finish(ax, xlim, ylim, title=None):
    ax.set(xlim=xlim, ylim=ylim)
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    ax.axis("off")
    return ax


def _gate(ax, xy, text, w=0.75):
    _box(ax, xy, text, "g", w=w, h=0.5, fontsize=_SMALL, round_=False)
