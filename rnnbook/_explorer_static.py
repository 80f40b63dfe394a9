"""The static front end of the explorers (the built book): every frame in the page.

One frame per point of the slider grid, played by a small self-contained HTML control
(no CDN, no kernel).
"""
from __future__ import annotations

import base64
import html
import json

from ._explorer_core import grid
from ._explorer_frames import css_width, frame_png, label as _label, render

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
