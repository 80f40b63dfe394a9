"""The live explorers' frame view, front end included: its ES module run in Node.js.

The view's ``render`` (``rnnbook._explorer_view.ESM``) runs against stand-ins of the
widget manager and of the slider and Image models, holding the state that a real
``_Live`` sends to the browser. Node.js is needed anyway to set up the book (npm).
"""
import base64
import json
import shutil
import subprocess

import pytest

from rnnbook import explorer as ex
import rnnbook.explorers  # noqa: F401  (registers every explorer)

# Stand-ins: models with get/set/on/off (Backbone's semantics for what the view uses),
# a widget manager resolving model ids, an <img> and a document that creates it. Reads
# the state from stdin, runs the steps, prints what the <img> showed after each one.
HARNESS = r"""
import { readFileSync } from "node:fs";
import { resolveObjectURL } from "node:buffer";
import view, { flat } from "./view.mjs";

class Model {
  constructor(state) { this.state = state; this.handlers = []; }
  get(k) { return this.state[k]; }
  set(k, v) {
    this.state[k] = v;
    for (const [name, cb] of this.handlers) if (name === "change:" + k) cb();
  }
  on(name, cb, context) { this.handlers.push([name, cb, context]); }
  off(name, cb, context) { this.handlers = this.handlers.filter((h) => h[2] !== context); }
}
const input = JSON.parse(readFileSync(0, "utf8"));
const models = {};
for (const [id, state] of Object.entries(input.models)) {
  if ("value" in state) state.value = new DataView(Uint8Array.from(
    Buffer.from(state.value, "base64")).buffer);
  models[id] = new Model(state);
}
const model = new Model(input.view);
model.widget_manager = { get_model: async (id) => models[id] };
const img = { style: {}, src: "" };
globalThis.document = { createElement: () => img };
const decoded = [];                  // the images the view decodes ahead
globalThis.Image = class { decode() { decoded.push(this.src); return Promise.resolve(); } };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const el = { children: [], appendChild(c) { this.children.push(c); } };
const shown = async () => Buffer.from(await resolveObjectURL(img.src).arrayBuffer())
  .toString("base64");
const id = (ref) => ref.slice("IPY_MODEL_".length);
const out = { flat: input.points.map((p) => flat(p, input.view.sizes)), steps: [] };
const cleanup = await view.render({ model, el });
out.steps.push(["start", await shown()]);
await tick();
out.decoded = decoded.length;
for (const [kind, j, v] of input.steps) {
  if (kind === "slider") models[id(input.view.sliders[j])].set("index", v);
  else models[id(input.view.frames[j])].set("value",
    new DataView(Uint8Array.from(Buffer.from(v, "base64")).buffer));
  out.steps.push([kind, await shown()]);
  await tick();
}
out.appended = el.children.length === 1 && el.children[0] === img;
out.width = img.style.width;
cleanup();
out.listeners = Object.values(models).reduce((n, m) => n + m.handlers.length, 0);
console.log(JSON.stringify(out));
"""


def _b64(data):
    return base64.b64encode(bytes(data)).decode()


def test_frame_view_switches_and_updates_frames_in_the_browser(tmp_path, monkeypatch):
    pytest.importorskip("anywidget")
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js not found (make setup needs it too)")
    from rnnbook import _explorer_view as view_mod
    monkeypatch.setenv("RNNBOOK_EXPLORER_PREFILL", "0")
    e = ex.REGISTRY["spectral_radius"]                       # 4 sliders, 7 x 3 x 3 x 3
    for key in [k for k in ex._FRAMES if k[0] == e.name]:    # a cold cache: blanks
        del ex._FRAMES[key]
    live = ex._Live(e, e.defaults())
    state = live.view.get_state()
    models = {w.model_id: {"index": w.index} for w in live.controls}
    models.update({w.model_id: {"value": _b64(w.value)} for w in live.view.frames})
    here = [s.index(e.defaults()[s.name]) for s in e.sliders]
    last = len(e.sliders) - 1
    s = e.sliders[last]
    to = (here[last] + 1) % len(s.values)
    moved = {**e.defaults(), s.name: s.values[to]}
    k_moved = view_mod.flat_index(e, moved)
    later = b"a frame rendered later"
    steps = [("slider", last, to),                           # a move: the blank there
             ("frame", k_moved, _b64(later)),                # its frame arrives: shown
             ("frame", 0, _b64(b"elsewhere")),               # another's: nothing changes
             ("slider", last, here[last])]                   # back: the start frame
    points = [[s.index(p[s.name]) for s in e.sliders] for p in ex.grid(e)]
    (tmp_path / "view.mjs").write_text(view_mod.ESM)
    (tmp_path / "harness.mjs").write_text(HARNESS)
    data = json.dumps({"models": models, "view": {k: state[k] for k in
                       ("sliders", "frames", "sizes", "width", "alt")},
                       "points": points, "steps": steps})
    run = subprocess.run([node, "harness.mjs"], cwd=tmp_path, input=data, text=True,
                         capture_output=True, timeout=60)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    # The browser's flat index is the one the kernel lays the frames out by.
    assert out["flat"] == [view_mod.flat_index(e, p) for p in ex.grid(e)]
    start = bytes(_leaf_png(live, e.defaults()))
    shown = [base64.b64decode(s) for _, s in out["steps"]]
    assert start != live.blank
    assert shown == [start, bytes(live.blank), later, later, start]
    assert out["appended"] and out["width"] == f"{ex.css_width(e)}px"
    assert out["listeners"] == 0                             # removed with the view
    # Decoded ahead at the start: every position one key away.
    assert out["decoded"] == sum((i > 0) + (i < len(s.values) - 1)
                                 for i, s in zip(here, e.sliders))


def _leaf_png(live, point):
    from rnnbook import _explorer_view as view_mod
    return live.view.frames[view_mod.flat_index(live.explorer, point)].value
