"""The live front end of the explorers (JupyterLab): a keypress switches frames in the browser.

The explorer is its ipywidgets sliders over one frame view
(:class:`rnnbook._explorer_view.FrameView`, an anywidget with inline front-end code).
Every slider position has its own ``ipywidgets.Image`` model holding that position's
PNG; the frame view holds references to the sliders and to these models and, in the
browser, listens to the sliders' ``index``: a keypress computes the position's flat
index and points one ``<img>`` at the frame the browser already holds, with no round
trip to the kernel and the same work whatever the size of the grid. Each position's
frame is rendered once and cached, by the kernel and worker processes, the positions
one slider away from the reader first (:mod:`rnnbook._explorer_cache`).

**What the reader waits for** when the explorer is shown: the start frame, rendered in
the kernel, then at most :data:`PREDISPLAY_SECONDS` more, while the kernel and the
workers render the next frames in that order; the explorer appears as soon as every
frame is rendered or that budget is spent, with every frame rendered so far already in
it. The workers then render the remaining frames, nearest to the reader's current
position first (the order is recomputed after every move), and each is sent to the
browser as soon as it is ready. A position not rendered yet shows a blank placeholder
of the frame's size until the kernel, which sees every slider move, renders it (the
view then shows the frame); when moves come faster than frames, the kernel renders
only the newest position. With ``RNNBOOK_EXPLORER_PREFILL=0`` nothing is rendered
ahead: only the start frame before display, then each position when the reader first
visits it.
"""
from __future__ import annotations

import asyncio
import html

import numpy as np

from ._explorer_cache import (_FRAMES, _QUEUED, WORKERS, _Frames, _prefill_on,  # noqa: F401
                              order)
from ._explorer_core import grid
from ._explorer_frames import css_height, css_width, label, png_rgb

#: seconds the kernel may spend, after the start frame and before the explorer is shown,
#: rendering the frames the reader is likely to visit first (with the workers)
PREDISPLAY_SECONDS = 1.0


def _blank(explorer):
    """A white PNG with the frame's aspect ratio: the placeholder of an unrendered frame."""
    w, h = css_width(explorer), css_height(explorer)
    return png_rgb(np.full((max(1, h // 8), max(1, w // 8), 3), 255, np.uint8))


class _Live:
    """The widgets of one displayed explorer and the kernel's side of their updates."""

    def __init__(self, explorer, start):
        import ipywidgets as widgets
        from ._explorer_view import FrameView
        e = self.explorer = explorer
        self.frames = _Frames(e)
        self.blank = _blank(e)
        self.images = {}
        self.wanted = None
        self.scheduled = False
        try:
            self.loop = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None
        self.frames.get(start)                  # the first frame, rendered now
        if _prefill_on():                       # and the next ones, before display
            self.frames.prefill(start, done=self._ready, fork=True)
            self.frames.render_ahead(start, PREDISPLAY_SECONDS)
        width = css_width(e)
        layout = widgets.Layout()               # one for every Image (they are not shown)
        for point in grid(e):
            key = self.frames.key(point)
            self.images[key[2]] = widgets.Image(value=_FRAMES.get(key, self.blank),
                                                format="png", layout=layout)
        for point in grid(e):                   # cached by a worker while building
            key = self.frames.key(point)
            if key in _FRAMES and self.images[key[2]].value == self.blank:
                self.images[key[2]].value = _FRAMES[key]
        # One description width and one readout width for every slider: the tracks
        # start and end at the same x.
        labels = [s.label or s.name for s in e.sliders]
        readout = max(len(label(v)) for s in e.sliders for v in s.values)
        style = {"description_width": f"{0.55 * max(map(len, labels)) + 0.5:.1f}em"}
        self.controls = [
            widgets.SelectionSlider(
                options=[(label(v), v) for v in s.values], value=start[s.name],
                description=text, continuous_update=True, style=style,
                layout=widgets.Layout(width=f"{min(width, 640)}px", max_width="100%"))
            for s, text in zip(e.sliders, labels)]
        # self.images is in grid order (row-major over the sliders): flat_index order.
        self.view = FrameView(sliders=self.controls, frames=list(self.images.values()),
                              sizes=[len(s.values) for s in e.sliders], width=width,
                              alt=e.title)
        scope = f"rnnbook-live-{e.name}"        # the rule applies to this explorer only
        css = (f"<style>.{scope} .widget-readout{{width:{min(readout, 30) * 0.6 + 1:.1f}em;"
               "min-width:0;max-width:none;text-align:left;white-space:nowrap;overflow:hidden;"
               "text-overflow:ellipsis}</style>")
        self.box = widgets.VBox([widgets.HTML(f"{css}<b>{html.escape(e.title)}</b>"),
                                 *self.controls, self.view])
        self.box.add_class("rnnbook-live")
        self.box.add_class(scope)
        for c in self.controls:
            c.observe(self._moved, names="value")

    def point(self):
        return {s.name: c.value for s, c in zip(self.explorer.sliders, self.controls)}

    def _moved(self, _change):
        """A slider moved (the browser already shows that position's frame or a blank)."""
        self.wanted = self.point()
        if self.loop is None or not self.loop.is_running():
            self._serve()
        elif not self.scheduled:
            # Answer after the slider messages already waiting have been read, so that a
            # burst of keypresses renders only the newest position. The message may be
            # handled in another thread than the loop's (ipykernel 7 runs widget
            # messages in a subshell thread): a plain call_later from there would wait
            # until something else wakes the loop, up to 10 s.
            self.scheduled = True
            self.loop.call_soon_threadsafe(self.loop.call_later, 0.002, self._serve)

    def _serve(self):
        self.scheduled = False
        point, self.wanted = self.wanted, None
        if point is not None:
            image = self.images[self.frames.key(point)[2]]
            png = self.frames.get(point)
            if image.value != png:
                image.value = png
            self.frames.prefill(point, done=self._ready, reorder=True)

    def _ready(self, key):
        """A prefilled frame is cached (called in an executor thread): send it."""
        def send():
            image = self.images.get(key[2])      # None: not built yet (it will read _FRAMES)
            if image is not None and image.value == self.blank:
                image.value = _FRAMES[key]
        if self.loop is None:
            send()
        else:
            try:
                self.loop.call_soon_threadsafe(send)
            except RuntimeError:               # the kernel is shutting down
                pass


def live(explorer, values=None):
    """ipywidgets front end: sliders and one frame view switching between cached frames
    in the browser (ImportError without ipywidgets or anywidget)."""
    start = explorer.check_values(values or {})
    return _Live(explorer.ready(), start).box
