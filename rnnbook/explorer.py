"""Explorers: one pure function of slider values, two front ends.

An :class:`Explorer` is a pure ``compute(**slider_values) -> data`` function plus its
:class:`Slider` specifications, and two drawing functions: ``draw(fig, data)`` builds
the axes and artists once and returns handles; ``update(handles, data)`` changes those
artists in place. From the same explorer:

* :func:`live` (JupyterLab): ipywidgets sliders over one frame view (an anywidget,
  ``rnnbook._explorer_view``) that holds one PNG per slider position and switches
  between them in the browser, one ``<img>`` pointed at the position's frame per
  keypress; each position's frame is rendered once (compute + update of the *same*
  figure + PNG) and cached: the first in the kernel, the others by the kernel and
  worker processes, the positions one slider away first, some before the explorer is
  shown and the rest after it (``rnnbook._explorer_live``);
* :func:`static_html` (the built book): one frame per point of the slider grid, played
  by a small self-contained HTML control (no CDN, no kernel; ``rnnbook._explorer_static``);
* :func:`show` picks the front end: static when the environment variable
  ``RNNBOOK_EXPLORER=static`` is set (the book build sets it) or ipywidgets or
  anywidget is missing.

Frames are drawn with the book's plotting style (:func:`rnnbook.plotting.book_style`) at
``SCALE`` times the figure's ``dpi`` and shown at the figure's native CSS width
(``figsize * dpi`` pixels), so they are sharp on screens with device-pixel-ratio 1 and 2
(``rnnbook._explorer_frames``).

``REGISTRY`` lists every explorer of the book (``rnnbook.explorers`` registers
them all), so tests can sweep every slider position and benchmarks can time each step.
"""
from __future__ import annotations

import os

from ._explorer_core import REGISTRY, Explorer, Slider, get, grid, overflow_note, register
from ._explorer_frames import SCALE, css_width, frame_png, render
from ._explorer_frames import _draw  # noqa: F401  (benchmarks time the drawing alone)
from ._explorer_live import _FRAMES, _QUEUED, _Frames, _Live, live  # noqa: F401
from ._explorer_static import static_html

__all__ = ["Slider", "Explorer", "REGISTRY", "SCALE", "register", "get", "render", "frame_png",
           "css_width", "static_html", "live", "show", "grid", "overflow_note"]


def show(name_or_explorer, **values):
    """Display an explorer: live in a kernel with ipywidgets, static in the book build."""
    from IPython.display import HTML, display

    explorer = (get(name_or_explorer) if isinstance(name_or_explorer, str)
                else name_or_explorer)
    mode = os.environ.get("RNNBOOK_EXPLORER", "live")
    if mode != "static":
        try:
            display(live(explorer, values))
            return
        except ImportError:
            pass
    display(HTML(static_html(explorer, values)))
