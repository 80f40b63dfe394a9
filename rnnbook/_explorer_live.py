"""The live front end of the explorers (JupyterLab): a keypress switches frames in the browser.

Every slider position has its own ``ipywidgets.Image``. They sit in nested
``ipywidgets.Stack`` containers, one level per slider, and each Stack's
``selected_index`` is linked in the browser (:func:`ipywidgets.jslink`) to its slider's
``index``: moving a slider shows a frame the browser already holds, with no round trip
to the kernel. Each position's frame is rendered once and cached (:data:`_FRAMES`).

Frames are rendered in the order a reader is likely to need them (:func:`order`): the
start position; then the "axis lines" through it, the positions reached by moving one
slider (a reader moves one slider at a time), nearest first; then the rest, nearest
first. The renderers are the kernel and :data:`WORKERS` worker processes (forks of the
kernel, at lower CPU priority), taking frames from the front of that order.

**What the reader waits for** when the explorer is shown: the start frame, rendered in
the kernel, then at most :data:`PREDISPLAY_SECONDS` more, while the kernel and the
workers render the next frames in that order; the explorer appears as soon as every
frame is rendered or that budget is spent, with every frame rendered so far already in
it. The workers then render the remaining frames, nearest to the reader's current
position first (the order is recomputed after every move), and each is sent to the
browser as soon as it is ready. A position not rendered yet shows a blank placeholder
of the frame's size until the kernel, which sees every slider move, renders it; when
moves come faster than frames, the kernel renders only the newest position. With
``RNNBOOK_EXPLORER_PREFILL=0`` nothing is rendered ahead: only the start frame before
display, then each position when the reader first visits it.
"""
from __future__ import annotations

import asyncio
import html
import os
import time

import numpy as np

from ._explorer_core import REGISTRY, grid
from ._explorer_frames import SCALE, css_height, css_width, frame_png, label, png_rgb, render

#: seconds the kernel may spend, after the start frame and before the explorer is shown,
#: rendering the frames the reader is likely to visit first (with the workers)
PREDISPLAY_SECONDS = 1.0
#: worker processes that render frames ahead of the reader (forks of the kernel, nice 10)
WORKERS = 2

#: (explorer name, SCALE, slider values) -> PNG bytes of the live front end's frames
_FRAMES: dict = {}
#: the same keys -> future of a worker, while a frame is queued there
_QUEUED: dict = {}
_POOL = []                       # the worker processes, started on first use


def _prefill_on():
    return os.environ.get("RNNBOOK_EXPLORER_PREFILL", "1") != "0"


def _worker_start():
    os.nice(10)                  # prefilling yields the CPU to the kernel and the browser


def _frame_in_worker(name, point):
    """Runs in a worker process: one frame of a registered explorer."""
    states = globals().setdefault("_WORKER_STATES", {})
    states[name] = render(REGISTRY[name].ready(), point, states.get(name))
    return frame_png(states[name][0], fast=True)


def order(explorer, start):
    """Every grid point, in the order frames are rendered ahead of a reader at ``start``.

    First ``start``; then the axis lines through it (the points one slider away), nearest
    first in slider steps, the earlier slider first at equal distance; then every other
    point, nearest first (L1 distance in slider steps).
    """
    here = [s.index(start[s.name]) for s in explorer.sliders]

    def rank(point):
        off = [abs(s.index(point[s.name]) - i) for s, i in zip(explorer.sliders, here)]
        moved = [j for j, o in enumerate(off) if o]
        return len(moved) > 1, sum(off), moved[:1]
    return sorted(grid(explorer), key=rank)


class _Frames:
    """The live frames of one explorer: rendered on first use and cached.

    :meth:`prefill` queues the slider positions not rendered yet on the worker processes
    (forks of the kernel, so they share the prepared explorer), in :func:`order`,
    leaving the kernel free to answer the reader's slider moves; :meth:`render_ahead`
    lets the kernel take frames from the same queue while the reader is not there yet.
    """

    def __init__(self, explorer):
        self.explorer = explorer
        self.state = None

    def key(self, point):
        return (self.explorer.name, SCALE, tuple(point[s.name] for s in self.explorer.sliders))

    def get(self, point):
        key = self.key(point)
        if key not in _FRAMES:
            future = _QUEUED.pop(key, None)
            if future is not None:
                future.cancel()                # no use rendering it twice
            self.state = render(self.explorer, point, self.state)
            _FRAMES[key] = frame_png(self.state[0], fast=True)
        return _FRAMES[key]

    def todo(self, start):
        """Grid points not yet rendered, in :func:`order` from ``start``."""
        return [p for p in order(self.explorer, start) if self.key(p) not in _FRAMES]

    def render_ahead(self, start, seconds):
        """Render frames in the kernel too, in :func:`order` from ``start``, skipping those
        a worker has started, until every frame is cached or ``seconds`` have passed;
        returns the number rendered here."""
        from concurrent.futures import wait
        deadline = time.monotonic() + seconds
        rendered = 0
        for point in self.todo(start):
            if time.monotonic() >= deadline:
                return rendered
            key = self.key(point)
            future = _QUEUED.get(key)
            if key in _FRAMES or (future is not None and not future.cancel()):
                continue                       # done, or a worker is on it
            self.get(point)
            rendered += 1
        busy = [f for k, f in list(_QUEUED.items()) if k[0] == self.explorer.name]
        if busy:                               # the workers' last frames
            wait(busy, timeout=max(0.0, deadline - time.monotonic()))
        return rendered

    def prefill(self, start, done=None, reorder=False):
        """Queue every frame not yet cached on the worker processes; returns the futures.

        ``done(key)`` is called (in a thread of the executor) when a frame is cached.
        ``reorder=True`` first takes back the frames still waiting in the queue, so that
        the workers render them in :func:`order` from ``start``.
        """
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        if (not _prefill_on() or REGISTRY.get(self.explorer.name) is not self.explorer
                or "fork" not in multiprocessing.get_all_start_methods()):
            return []
        if not _POOL:
            import atexit
            _POOL.append(ProcessPoolExecutor(WORKERS, initializer=_worker_start,
                                             mp_context=multiprocessing.get_context("fork")))
            atexit.register(_POOL[0].shutdown, wait=False, cancel_futures=True)

        def finished(future, key):
            if _QUEUED.get(key) is future:
                del _QUEUED[key]
            if not future.cancelled() and future.exception() is None:
                _FRAMES.setdefault(key, future.result())
                if done is not None:
                    done(key)

        if reorder:                            # the reader moved: nearest to there first
            for key, future in list(_QUEUED.items()):
                if key[0] == self.explorer.name and future.cancel():
                    _QUEUED.pop(key, None)
        futures = []
        for point in self.todo(start):
            key = self.key(point)
            if key not in _QUEUED:             # queued by an earlier display: share it
                _QUEUED[key] = _POOL[0].submit(_frame_in_worker, self.explorer.name, point)
            _QUEUED[key].add_done_callback(lambda f, key=key: finished(f, key))
            futures.append(_QUEUED[key])
        return futures


def _blank(explorer):
    """A white PNG with the frame's aspect ratio: the placeholder of an unrendered frame."""
    w, h = css_width(explorer), css_height(explorer)
    return png_rgb(np.full((max(1, h // 8), max(1, w // 8), 3), 255, np.uint8))


def _stack_class():
    """``ipywidgets.Stack`` whose ``selected_index``, set in the browser by the link, is
    not echoed back: one message per Stack and keypress instead of two."""
    import ipywidgets as widgets
    from traitlets import CInt
    if "cls" not in _STACK:
        class QuietStack(widgets.Stack):
            selected_index = CInt(help="The index of the selected page.", allow_none=True,
                                  default_value=None).tag(sync=True, echo_update=False)
        _STACK["cls"] = QuietStack
    return _STACK["cls"]


_STACK: dict = {}


class _Live:
    """The widgets of one displayed explorer and the kernel's side of their updates."""

    def __init__(self, explorer, start):
        import ipywidgets as widgets
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
            self.frames.prefill(start, done=self._ready)
            self.frames.render_ahead(start, PREDISPLAY_SECONDS)
        width = css_width(e)
        layout = widgets.Layout(width=f"{width}px", max_width="100%", height="auto")
        for point in grid(e):
            key = self.frames.key(point)
            self.images[key[2]] = widgets.Image(value=_FRAMES.get(key, self.blank),
                                                format="png", layout=layout)
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
        self.links = []
        frame = self._stack(())
        scope = f"rnnbook-live-{e.name}"        # the rule applies to this explorer only
        css = (f"<style>.{scope} .widget-readout{{width:{min(readout, 30) * 0.6 + 1:.1f}em;"
               "min-width:0;max-width:none;text-align:left;white-space:nowrap;overflow:hidden;"
               "text-overflow:ellipsis}</style>")
        self.box = widgets.VBox([widgets.HTML(f"{css}<b>{html.escape(e.title)}</b>"),
                                 *self.controls, frame])
        self.box.add_class("rnnbook-live")
        self.box.add_class(scope)
        for c in self.controls:
            c.observe(self._moved, names="value")

    def _stack(self, prefix):
        """The nested Stacks below the slider values ``prefix`` (an Image at the leaves)."""
        import ipywidgets as widgets
        d = len(prefix)
        if d == len(self.explorer.sliders):
            return self.images[prefix]
        s, control = self.explorer.sliders[d], self.controls[d]
        stack = _stack_class()([self._stack(prefix + (v,)) for v in s.values],
                              selected_index=control.index)
        self.links.append(widgets.jslink((control, "index"), (stack, "selected_index")))
        return stack

    def point(self):
        return {s.name: c.value for s, c in zip(self.explorer.sliders, self.controls)}

    def _moved(self, _change):
        """A slider moved (the browser already shows that position's frame or a blank)."""
        self.wanted = self.point()
        if self.loop is None or not self.loop.is_running():
            self._serve()
        elif not self.scheduled:
            # Answer after the slider messages already waiting have been read, so that a
            # burst of keypresses renders only the newest position.
            self.scheduled = True
            self.loop.call_later(0.002, self._serve)

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
    """ipywidgets front end: sliders switching between cached frames in the browser."""
    start = explorer.check_values(values or {})
    return _Live(explorer.ready(), start).box
