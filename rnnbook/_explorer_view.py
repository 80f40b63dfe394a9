"""The frame view of the live explorers: one widget that switches frames in the browser.

:class:`FrameView` (an ``anywidget.AnyWidget``; its front-end code is the inline ES
module :data:`ESM`, nothing is fetched) holds references to the explorer's sliders and
to one ``ipywidgets.Image`` model per slider position, in :func:`flat_index` order. In
the browser it listens to the sliders' ``index`` directly: a keypress computes the flat
index of the new position and points one ``<img>`` at that position's frame (an object
URL made once from the Image model's bytes), with no message to the kernel and the same
work whatever the number of positions. After each move the frames one key away are
decoded ahead (an off-screen ``Image`` each), so that a first visit does not wait for
the PNG decoder. When the kernel or a worker renders a frame later, the Image model's
new bytes reach the browser; the view drops the old URL and, if the reader is at that
position, shows the new frame at once.
"""
from __future__ import annotations

import anywidget
import ipywidgets as widgets
import traitlets

#: the view's front end. ``flat`` is the same row-major index as :func:`flat_index`.
ESM = r"""
export function flat(indices, sizes) {
  let k = 0;
  for (let j = 0; j < sizes.length; j++) k = k * sizes[j] + indices[j];
  return k;
}

export default {
  async render({ model, el }) {
    const manager = model.widget_manager;
    const get = (ref) => manager.get_model(ref.slice("IPY_MODEL_".length));
    const sliders = await Promise.all(model.get("sliders").map(get));
    const frames = await Promise.all(model.get("frames").map(get));
    const sizes = model.get("sizes");
    const img = document.createElement("img");
    img.className = "rnnbook-frame";
    img.alt = model.get("alt");
    img.style.width = `${model.get("width")}px`;
    img.style.maxWidth = "100%";
    img.style.height = "auto";
    img.style.display = "block";
    el.appendChild(img);
    const urls = new Map();
    const url = (k) => {
      let u = urls.get(k);
      if (u === undefined) {
        u = URL.createObjectURL(new Blob([frames[k].get("value")], { type: "image/png" }));
        urls.set(k, u);
      }
      return u;
    };
    let shown = -1;
    let near = new Map();            // decoded ahead: the positions one key away
    const warm = () => {
      const here = sliders.map((s) => s.get("index"));
      const next = new Map();
      here.forEach((i, j) => {
        for (const d of [-1, 1]) {
          if (i + d < 0 || i + d >= sizes[j]) continue;
          const k = flat(here.map((v, m) => (m === j ? i + d : v)), sizes);
          const u = url(k);
          let pre = near.get(k);
          if (pre === undefined || pre.src !== u) {
            pre = new Image();
            pre.src = u;
            pre.decode().catch(() => null);
          }
          next.set(k, pre);
        }
      });
      near = next;
    };
    const show = () => {
      shown = flat(sliders.map((s) => s.get("index")), sizes);
      const u = url(shown);
      if (img.src !== u) img.src = u;
      setTimeout(warm, 0);
    };
    const context = {};              // this view's listeners, removed with the view
    for (const s of sliders) s.on("change:index", show, context);
    frames.forEach((f, k) => f.on("change:value", () => {
      const u = urls.get(k);
      urls.delete(k);
      if (k === shown) show();
      else if (near.has(k)) setTimeout(warm, 0);
      if (u !== undefined) URL.revokeObjectURL(u);
    }, context));
    show();
    return () => {
      for (const m of [...sliders, ...frames]) m.off(null, null, context);
      for (const u of urls.values()) URL.revokeObjectURL(u);
      urls.clear();
    };
  },
};
"""


def flat_index(explorer, point):
    """Position of ``point`` in :func:`rnnbook._explorer_core.grid` order (row-major over
    the sliders in their order); the browser's ``flat`` computes the same from the
    sliders' indices."""
    k = 0
    for s in explorer.sliders:
        k = k * len(s.values) + s.index(point[s.name])
    return k


class FrameView(anywidget.AnyWidget):
    """One ``<img>`` showing the frame of the sliders' position (see the module doc)."""

    _esm = ESM
    #: the explorer's sliders, in the explorer's order
    sliders = traitlets.List(traitlets.Instance(widgets.Widget)).tag(
        sync=True, **widgets.widget_serialization)
    #: one Image model per slider position, in flat_index order
    frames = traitlets.List(traitlets.Instance(widgets.Image)).tag(
        sync=True, **widgets.widget_serialization)
    #: number of values of each slider
    sizes = traitlets.List(traitlets.Int()).tag(sync=True)
    #: width in CSS pixels at which frames are shown
    width = traitlets.Int(0).tag(sync=True)
    #: text alternative of the image
    alt = traitlets.Unicode("").tag(sync=True)
