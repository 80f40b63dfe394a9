"""Explorers: one pure function of slider values, two front ends.

An :class:`Explorer` is a pure ``compute(**slider_values) -> data`` function plus its
:class:`Slider` specifications, and two drawing functions: ``draw(fig, data)`` builds
the axes and artists once and returns handles; ``update(handles, data)`` changes those
artists in place. From the same explorer:

* :func:`live` (JupyterLab): ipywidgets sliders and an ``ipywidgets.Image``. Each
  slider position's frame is rendered once (compute + update of the *same* figure +
  PNG) and cached; after the first frame a worker process renders the other
  positions, nearest first, so that a step usually only sends a cached PNG;
* :func:`static_html` (the built book): one frame per point of the slider grid, played
  by a small self-contained HTML control (no CDN, no kernel);
* :func:`show` picks the front end: static when the environment variable
  ``RNNBOOK_EXPLORER=static`` is set (the book build sets it) or ipywidgets is missing.

Frames are drawn with the book's plotting style (:func:`rnnbook.plotting.book_style`) at
:data:`SCALE` times the figure's ``dpi`` and shown at the figure's native CSS width
(``figsize * dpi`` pixels), so they are sharp on screens with device-pixel-ratio 1 and 2.

:data:`REGISTRY` lists every explorer of the book (``rnnbook.explorers`` registers
them all), so tests can sweep every slider position and benchmarks can time each step.
"""
from __future__ import annotations

import base64
import html
import io
import itertools
import json
import os
import struct
import zlib
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

__all__ = ["Slider", "Explorer", "REGISTRY", "SCALE", "register", "get", "render", "frame_png",
           "css_width", "static_html", "live", "show", "grid", "overflow_note"]


class Slider(NamedTuple):
    """One slider: keyword ``name`` of ``compute``, its grid of ``values``, a default."""
    name: str
    values: tuple
    default: Any
    label: str = ""

    def index(self, value):
        """Index of ``value`` in the grid (the nearest value for numbers)."""
        if value in self.values:
            return self.values.index(value)
        return int(np.argmin([abs(v - value) for v in self.values]))


@dataclass(frozen=True)
class Explorer:
    """A figure driven by sliders. See the module docstring."""
    name: str
    title: str
    sliders: tuple
    compute: Callable[..., Any]
    draw: Callable[[Any, Any], Any]
    update: Callable[[Any, Any], None]
    figsize: tuple = (8.0, 3.4)
    dpi: int = 80
    #: optional one-off precomputation (e.g. training the networks the sliders pick
    #: between), run when the explorer is shown, before its first frame
    prepare: Any = None

    def __post_init__(self):
        names = [s.name for s in self.sliders]
        if not self.sliders or len(set(names)) != len(names):
            raise ValueError(f"sliders of explorer {self.name!r} are {names}; "
                             "expected at least one slider, with unique names")
        for s in self.sliders:
            if s.default not in s.values:
                raise ValueError(f"slider {s.name!r} of explorer {self.name!r} has default "
                                 f"{s.default!r}; expected one of its values {s.values}")

    def ready(self):
        """Run ``prepare`` (if any) once per process; returns the explorer."""
        if self.prepare is not None and not getattr(self, "_prepared", False):
            if self.prepare == "grid":
                with np.errstate(all="ignore"):
                    for point in grid(self):
                        self.compute(**point)
            else:
                self.prepare()
            object.__setattr__(self, "_prepared", True)
        return self

    def defaults(self):
        """Slider values at their defaults, as a dict."""
        return {s.name: s.default for s in self.sliders}

    def check_values(self, values):
        """Fill missing sliders with defaults and reject unknown names."""
        known = {s.name for s in self.sliders}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"values has sliders {sorted(unknown)}; expected names "
                             f"among {sorted(known)}")
        return {**self.defaults(), **values}


#: name -> Explorer, every explorer in the book
REGISTRY: dict = {}


def register(explorer):
    """Add ``explorer`` to :data:`REGISTRY` (names are unique) and return it."""
    if explorer.name in REGISTRY and REGISTRY[explorer.name] is not explorer:
        raise ValueError(f"explorer name {explorer.name!r} is already registered")
    REGISTRY[explorer.name] = explorer
    return explorer


def get(name):
    """The registered explorer called ``name`` (importing ``rnnbook.explorers``)."""
    from . import explorers  # noqa: F401  (registers every explorer)
    if name not in REGISTRY:
        raise ValueError(f"name is {name!r}; expected one of {sorted(REGISTRY)}")
    return REGISTRY[name]


def grid(explorer):
    """Every combination of slider values, as a list of dicts (row-major order)."""
    names = [s.name for s in explorer.sliders]
    return [dict(zip(names, combo))
            for combo in itertools.product(*(s.values for s in explorer.sliders))]


def overflow_note(*arrays, limit=1e6):
    """Text saying the values overflowed, or "" when all are finite and below ``limit``.

    Explorers call this so that exploding values are *shown as such* instead of
    raising or silently disappearing from the plot.
    """
    worst = 0.0
    for a in arrays:
        a = np.asarray(a, dtype=float)
        if a.size and not np.all(np.isfinite(a)):
            return "overflow: values reached inf/NaN (not drawn)"
        if a.size:
            worst = max(worst, float(np.max(np.abs(a))))
    return f"overflow: |value| up to {worst:.1e} (clipped in the plot)" if worst > limit else ""


#: frames are rendered at SCALE x the explorer's dpi and shown at 1/SCALE of their size
SCALE = 2


def css_width(explorer):
    """Width in CSS pixels at which the explorer's frames are shown."""
    return int(round(explorer.figsize[0] * explorer.dpi))


def _new_figure(explorer):
    # A figure that is not managed by pyplot: no global state, no inline display.
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = Figure(figsize=explorer.figsize, dpi=SCALE * explorer.dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def render(explorer, values=None, state=None):
    """Compute and draw one slider position; returns ``(fig, handles)``.

    With ``state = (fig, handles)`` from an earlier call the same figure is updated
    in place (the live path); otherwise a new figure is created and drawn.

    Blitting: if ``draw`` returns a dict with the key ``"animated"`` (a list of the
    artists that ``update`` changes), the rest of the figure (axes, ticks, labels,
    legends: most of the drawing cost) is rendered once and kept as a background,
    and later steps redraw only those artists. ``update`` returns ``"redraw"`` when
    it changed something else (axis limits, say), which forces a full draw.
    """
    from .plotting import book_style
    values = explorer.check_values(values or {})
    with np.errstate(all="ignore"), book_style():
        data = explorer.compute(**values)
        if state is None:
            fig = _new_figure(explorer)
            handles = explorer.draw(fig, data)
            explorer.update(handles, data)
            fig.canvas.draw()
            # Freeze the layout found for the first frame: later frames only move
            # artists, and re-solving the constrained layout would double the cost.
            fig.set_layout_engine("none")
            full = True
        else:
            fig, handles = state
            full = explorer.update(handles, data) == "redraw"
        _draw(fig, handles, full)
    return fig, handles


def _draw(fig, handles, full):
    animated = handles.get("animated") if isinstance(handles, dict) else None
    if not animated:
        fig.canvas.draw()
    elif full or getattr(fig, "_rnnbook_background", None) is None:
        for artist in animated:
            artist.set_animated(True)
        fig.canvas.draw()                      # everything but the animated artists
        fig._rnnbook_background = fig.canvas.copy_from_bbox(fig.bbox)
        for artist in animated:
            fig.draw_artist(artist)
    else:
        fig.canvas.restore_region(fig._rnnbook_background)
        for artist in animated:
            fig.draw_artist(artist)


def frame_png(fig, compress_level=6, fast=False, palette=False):
    """The canvas as last drawn by :func:`render`, encoded as PNG bytes.

    Encodes the Agg buffer directly instead of calling ``savefig``, which would draw
    the whole figure a second time. ``fast=True`` (the live path) skips PNG's row
    filters and compresses with zlib level 1: about 3 times faster than Pillow's
    encoder on a 2x frame, for files of about the same size. ``palette=True`` (the
    static book, where every frame is in the page) stores 256 colours: half the size.
    """
    rgba = np.asarray(fig.canvas.buffer_rgba())
    if fast:
        h, w = rgba.shape[:2]
        raw = np.zeros((h, 1 + 3 * w), np.uint8)          # filter byte 0 (none) per row
        raw[:, 1:].reshape(h, w, 3)[:] = rgba[..., :3]

        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
        return (b"\x89PNG\r\n\x1a\n"
                + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + chunk(b"IEND", b""))
    from PIL import Image
    buf = io.BytesIO()
    image = Image.fromarray(rgba).convert("RGB")
    if palette:
        image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


_CONTROL_JS = """
(function () {
  var root = document.getElementById(%(id)s);
  var frames = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var img = root.querySelector('img');
  var inputs = root.querySelectorAll('input[type=range]');
  var outputs = root.querySelectorAll('output');
  function show() {
    var k = 0;
    for (var i = 0; i < inputs.length; i++) {
      var j = parseInt(inputs[i].value, 10);
      k = k * frames.sizes[i] + j;
      outputs[i].textContent = frames.labels[i][j];
      inputs[i].setAttribute('aria-valuetext', frames.labels[i][j]);
    }
    img.src = 'data:image/png;base64,' + frames.png[k];
    img.setAttribute('data-frame', k);
  }
  for (var i = 0; i < inputs.length; i++) inputs[i].addEventListener('input', show);
  show();
})();
"""

# One row per slider: label | track | value. Below 36em (a phone) the label moves above
# its track, which then takes the full width next to its value.
_CSS = """
.rnnbook-explorer{max-width:100%%;box-sizing:border-box;margin:0.5em 0}
.rnnbook-explorer p.rnnbook-title{font-weight:bold;margin:0.2em 0 0.4em;overflow-wrap:anywhere}
.rnnbook-explorer label{display:grid;grid-template-columns:minmax(6em,14em) minmax(0,1fr) 4.5em;
 gap:0.1em 0.6em;align-items:center;margin:0.15em 0;max-width:%(width)dpx}
.rnnbook-explorer label span{overflow-wrap:anywhere}
.rnnbook-explorer input[type=range]{width:100%%;min-width:0;margin:0}
.rnnbook-explorer output{font-family:monospace;white-space:nowrap}
.rnnbook-explorer img{display:block;width:%(width)dpx;max-width:100%%;height:auto;margin-top:0.4em}
@media (max-width:36em){.rnnbook-explorer label{grid-template-columns:minmax(0,1fr) auto}
 .rnnbook-explorer label span{grid-column:1/-1}}
"""


def _label(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def static_html(explorer, values=None):
    """Self-contained HTML playing precomputed frames over the whole slider grid."""
    start = explorer.check_values(values or {})
    explorer.ready()
    state = None
    pngs = []
    points = grid(explorer)
    for point in points:
        state = render(explorer, point, state)
        pngs.append(base64.b64encode(frame_png(state[0], compress_level=9, palette=True)).decode("ascii"))
    first = points.index({s.name: s.values[s.index(start[s.name])] for s in explorer.sliders})
    frames = {"sizes": [len(s.values) for s in explorer.sliders],
              "labels": [[_label(v) for v in s.values] for s in explorer.sliders],
              "png": pngs}
    dom_id = f"rnnbook-explorer-{explorer.name}"
    width = css_width(explorer)
    rows = []
    for s in explorer.sliders:
        j = s.index(start[s.name])
        rows.append(
            f'<label><span>{html.escape(s.label or s.name)}</span>'
            f'<input type="range" name="{html.escape(s.name)}" min="0" '
            f'max="{len(s.values) - 1}" step="1" value="{j}" '
            f'aria-valuetext="{html.escape(_label(s.values[j]))}">'
            f'<output>{html.escape(_label(s.values[j]))}</output></label>')
    payload = json.dumps(frames).replace("</", "<\\/")
    return (f'<div class="rnnbook-explorer" id="{dom_id}" '
            f'data-explorer="{html.escape(explorer.name)}">'
            f'<style>{_CSS % {"width": width}}</style>'
            f'<p class="rnnbook-title">{html.escape(explorer.title)}</p>'
            + "".join(rows) +
            f'<img alt="{html.escape(explorer.title)}" width="{width}" '
            f'src="data:image/png;base64,{pngs[first]}">'
            f'<script type="application/json">{payload}</script>'
            f'<script>{_CONTROL_JS % {"id": json.dumps(dom_id)}}</script></div>')


#: (explorer name, SCALE, slider values) -> PNG bytes of the live front end's frames
_FRAMES: dict = {}
_POOL = []                       # the one prefill worker process, started on first use


def _frame_in_worker(name, point):
    """Runs in the prefill worker process: one frame of a registered explorer."""
    states = globals().setdefault("_WORKER_STATES", {})
    states[name] = render(REGISTRY[name], point, states.get(name))
    return frame_png(states[name][0], fast=True)


class _Frames:
    """The live frames of one explorer: rendered on first use and cached.

    :meth:`prefill` renders the other slider positions, nearest first, in a worker
    process (a fork of the kernel, so it shares the prepared explorer), leaving the
    kernel free to answer the reader's slider moves: a step then only sends a cached
    PNG. Set ``RNNBOOK_EXPLORER_PREFILL=0`` to switch prefilling off.
    """

    def __init__(self, explorer):
        self.explorer = explorer
        self.state = None
        self.queued = {}            # key -> future of the worker process

    def key(self, point):
        return (self.explorer.name, SCALE, tuple(point[s.name] for s in self.explorer.sliders))

    def get(self, point):
        key = self.key(point)
        if key not in _FRAMES:
            if key in self.queued:
                self.queued.pop(key).cancel()      # no use rendering it twice
            self.state = render(self.explorer, point, self.state)
            _FRAMES[key] = frame_png(self.state[0], fast=True)
        return _FRAMES[key]

    def todo(self, start):
        """Grid points not yet rendered, nearest to ``start`` (in slider steps) first."""
        e = self.explorer
        here = [s.index(start[s.name]) for s in e.sliders]
        points = [p for p in grid(e) if self.key(p) not in _FRAMES]
        return sorted(points, key=lambda p: sum(abs(s.index(p[s.name]) - i)
                                                for s, i in zip(e.sliders, here)))

    def prefill(self, start):
        """Queue every frame not yet cached on the worker process; returns the futures."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        if (os.environ.get("RNNBOOK_EXPLORER_PREFILL", "1") == "0"
                or REGISTRY.get(self.explorer.name) is not self.explorer
                or "fork" not in multiprocessing.get_all_start_methods()):
            return []
        if not _POOL:
            import atexit
            _POOL.append(ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")))
            atexit.register(_POOL[0].shutdown, wait=False, cancel_futures=True)
        futures = []
        for point in self.todo(start):
            future = _POOL[0].submit(_frame_in_worker, self.explorer.name, point)
            future.add_done_callback(
                lambda f, key=self.key(point): f.cancelled() or f.exception()
                or _FRAMES.setdefault(key, f.result()))
            self.queued[self.key(point)] = future
            futures.append(future)
        return futures


def live(explorer, values=None):
    """ipywidgets front end: sliders plus an image, each position's frame cached."""
    import ipywidgets as widgets

    start = explorer.check_values(values or {})
    frames = _Frames(explorer.ready())
    width = css_width(explorer)
    image = widgets.Image(value=frames.get(start), format="png",
                          layout=widgets.Layout(width=f"{width}px", max_width="100%",
                                                height="auto"))
    # The same description width for every slider, so that the tracks line up.
    labels = [s.label or s.name for s in explorer.sliders]
    label_width = f"{0.55 * max(map(len, labels)) + 0.5:.1f}em"
    controls = []
    for s, label in zip(explorer.sliders, labels):
        control = widgets.SelectionSlider(
            options=[(_label(v), v) for v in s.values], value=start[s.name],
            description=label, continuous_update=True,
            style={"description_width": label_width},
            layout=widgets.Layout(width=f"{min(width, 640)}px", max_width="100%"))
        controls.append(control)

    def on_change(_change):
        point = {s.name: c.value for s, c in zip(explorer.sliders, controls)}
        image.value = frames.get(point)

    for c in controls:
        c.observe(on_change, names="value")
    frames.prefill(start)
    return widgets.VBox([widgets.HTML(f"<b>{html.escape(explorer.title)}</b>"),
                         *controls, image])


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
