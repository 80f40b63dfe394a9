"""Explorers: one pure function of slider values, two front ends.

An :class:`Explorer` is a pure ``compute(**slider_values) -> data`` function plus its
:class:`Slider` specifications, and two drawing functions: ``draw(fig, data)`` builds
the axes and artists once and returns handles; ``update(handles, data)`` changes those
artists in place. From the same explorer:

* :func:`live` (JupyterLab): ipywidgets sliders; each step runs compute + update and
  re-renders the *same* figure to a PNG shown in an ``ipywidgets.Image``;
* :func:`static_html` (the built book): one frame per point of the slider grid, played
  by a small self-contained HTML control (no CDN, no kernel);
* :func:`show` picks the front end: static when the environment variable
  ``RNNBOOK_EXPLORER=static`` is set (the book build sets it) or ipywidgets is missing.

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
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np

__all__ = ["Slider", "Explorer", "REGISTRY", "register", "get", "render", "frame_png",
           "static_html", "live", "show", "grid", "overflow_note"]


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


def _new_figure(explorer):
    # A figure that is not managed by pyplot: no global state, no inline display.
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = Figure(figsize=explorer.figsize, dpi=explorer.dpi, layout="constrained")
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
    values = explorer.check_values(values or {})
    with np.errstate(all="ignore"):
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
    return fig, handles


def frame_png(fig, compress_level=6):
    """The canvas as last drawn by :func:`render`, encoded as PNG bytes.

    Encodes the Agg buffer directly instead of calling ``savefig``, which would draw
    the whole figure a second time.
    """
    from PIL import Image
    buf = io.BytesIO()
    Image.fromarray(np.asarray(fig.canvas.buffer_rgba())).convert("RGB").save(
        buf, format="png", compress_level=compress_level)
    return buf.getvalue()


_CONTROL_JS = """
(function () {
  var root = document.getElementById(%(id)s);
  var frames = JSON.parse(root.querySelector('script[type="application/json"]').textContent);
  var img = root.querySelector('img');
  var inputs = root.querySelectorAll('input[type=range]');
  function show() {
    var k = 0;
    for (var i = 0; i < inputs.length; i++) {
      var j = parseInt(inputs[i].value, 10);
      k = k * frames.sizes[i] + j;
      root.querySelectorAll('output')[i].textContent = frames.labels[i][j];
    }
    img.src = 'data:image/png;base64,' + frames.png[k];
    img.setAttribute('data-frame', k);
  }
  for (var i = 0; i < inputs.length; i++) inputs[i].addEventListener('input', show);
  show();
})();
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
        pngs.append(base64.b64encode(frame_png(state[0])).decode("ascii"))
    first = points.index({s.name: s.values[s.index(start[s.name])] for s in explorer.sliders})
    frames = {"sizes": [len(s.values) for s in explorer.sliders],
              "labels": [[_label(v) for v in s.values] for s in explorer.sliders],
              "png": pngs}
    dom_id = f"rnnbook-explorer-{explorer.name}"
    rows = []
    for s in explorer.sliders:
        rows.append(
            '<label style="display:flex;gap:0.6em;align-items:center;margin:0.2em 0">'
            f'<span style="min-width:15em">{html.escape(s.label or s.name)}</span>'
            f'<input type="range" name="{html.escape(s.name)}" min="0" '
            f'max="{len(s.values) - 1}" step="1" value="{s.index(start[s.name])}" '
            'style="flex:1">'
            '<output style="min-width:4em;font-family:monospace"></output></label>')
    payload = json.dumps(frames).replace("</", "<\\/")
    return (f'<div class="rnnbook-explorer" id="{dom_id}" '
            f'data-explorer="{html.escape(explorer.name)}">'
            f'<p style="font-weight:bold;margin:0.2em 0">{html.escape(explorer.title)}</p>'
            + "".join(rows) +
            f'<img alt="{html.escape(explorer.title)}" style="max-width:100%" '
            f'src="data:image/png;base64,{pngs[first]}">'
            f'<script type="application/json">{payload}</script>'
            f'<script>{_CONTROL_JS % {"id": json.dumps(dom_id)}}</script></div>')


def live(explorer, values=None):
    """ipywidgets front end: sliders plus an image updated in place at each step."""
    import ipywidgets as widgets

    start = explorer.check_values(values or {})
    state = render(explorer.ready(), start)
    image = widgets.Image(value=frame_png(state[0]), format="png")
    controls = []
    for s in explorer.sliders:
        control = widgets.SelectionSlider(
            options=[(_label(v), v) for v in s.values], value=start[s.name],
            description=s.label or s.name, continuous_update=True,
            style={"description_width": "initial"}, layout={"width": "32em"})
        controls.append(control)

    def on_change(_change):
        nonlocal state
        point = {s.name: c.value for s, c in zip(explorer.sliders, controls)}
        state = render(explorer, point, state)
        image.value = frame_png(state[0], compress_level=1)

    for c in controls:
        c.observe(on_change, names="value")
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
