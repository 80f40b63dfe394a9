"""One plotting style for every figure of the book, chapters and explorers alike.

:func:`use_book_style` sets matplotlib's rcParams (sizes legible at page width and on a
phone, a colour-blind-safe palette, mathtext labels) and, inside IPython, asks the
inline backend for PNGs at twice the pixel density ("retina"), so figures stay crisp
on high-DPI screens. Chapters call it once in their setup cell; explorers render with
the same parameters through :func:`book_style`.

The palette is Okabe & Ito's (2008, "Color Universal Design"), distinguishable under
the common forms of colour blindness; ``PALETTE`` lists it in cycle order.
"""
from __future__ import annotations

import contextlib

import matplotlib as mpl
from cycler import cycler

__all__ = ["PALETTE", "STYLE", "use_book_style", "book_style"]

#: The Okabe-Ito colours, in cycle order (blue, vermillion, bluish green, orange,
#: reddish purple, sky blue, yellow, black).
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#CC79A7", "#56B4E9",
           "#F0E442", "#000000")

#: The rcParams of every figure of the book. Text sizes are chosen for the page as
#: a reader sees it: a figure of the default width (7 in at 100 dpi, 700 CSS px) is
#: shown at about its natural size in the 688-px text column of a 1280-px window and
#: scaled to the 358-px column of a 390-px phone, so 1 pt of figure text is about
#: 1.4 CSS px on the page and 0.7 px on the phone; tick labels and legends at 11 pt
#: are 15 px and 7.8 px there (tests/test_plotting.py holds the minimum).
STYLE = {
    "figure.figsize": (7.0, 3.4),
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "figure.constrained_layout.use": True,
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "legend.title_fontsize": 11,
    "legend.framealpha": 0.85,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "lines.linewidth": 2.0,
    "axes.linewidth": 1.0,
    "xtick.major.width": 1.0,
    "ytick.major.width": 1.0,
    "mathtext.fontset": "dejavusans",
    "axes.prop_cycle": cycler(color=list(PALETTE)),
}


def use_book_style(retina=True):
    """Apply :data:`STYLE` globally; in IPython also switch inline figures to 2x PNG."""
    mpl.rcParams.update(STYLE)
    if retina:
        try:
            from IPython import get_ipython
            ip = get_ipython()
        except ImportError:          # pragma: no cover - IPython is optional
            ip = None
        if ip is not None and hasattr(ip, "run_line_magic"):
            try:
                from matplotlib_inline.backend_inline import set_matplotlib_formats
                set_matplotlib_formats("retina")
            except ImportError:      # pragma: no cover
                pass


@contextlib.contextmanager
def book_style():
    """Context manager: draw with :data:`STYLE` without changing global state."""
    with mpl.rc_context(STYLE):
        yield
