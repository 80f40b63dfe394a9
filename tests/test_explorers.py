"""Every explorer of the book, at every slider position, in both front ends."""
import time
import warnings

import numpy as np
import pytest

from rnnbook import explorer as ex
from rnnbook import _explorer_cache as cache_mod
from rnnbook import _explorer_live as live_mod
from rnnbook import _explorer_view as view_mod
import rnnbook.explorers  # noqa: F401  (registers every explorer)


def _forget_frames(e):
    """Drop every cached frame of explorer ``e`` (a test starts from a cold cache)."""
    for key in [k for k in ex._FRAMES if k[0] == e.name]:
        del ex._FRAMES[key]


def _cold_live(monkeypatch, name, predisplay_seconds):
    """The live front end of explorer ``name`` displayed from a cold frame cache, with
    ``predisplay_seconds`` of rendering ahead; returns ``(explorer, live)``."""
    pytest.importorskip("ipywidgets")
    monkeypatch.setattr(live_mod, "PREDISPLAY_SECONDS", predisplay_seconds)
    e = ex.REGISTRY[name]
    _forget_frames(e)
    return e, ex._Live(e, e.defaults())


NAMES = sorted(ex.REGISTRY)


def test_registry_is_not_empty_and_names_are_unique():
    assert {"activations", "backprop_training"} <= set(NAMES)
    for name, e in ex.REGISTRY.items():
        assert e.name == name and e.title


@pytest.mark.parametrize("name", NAMES)
def test_every_slider_position_renders_without_warnings(name):
    e = ex.REGISTRY[name]
    points = ex.grid(e)
    assert 1 <= len(points) <= 200, f"{name} has {len(points)} frames; keep the grid small"
    state = None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for point in points:
            state = ex.render(e, point, state)       # the live path: one figure, updated
        fresh = ex.render(e, points[-1])             # a new figure at the last position
    # The live figure after the sweep shows the same picture as a fresh one.
    a = np.asarray(state[0].canvas.buffer_rgba())
    b = np.asarray(fresh[0].canvas.buffer_rgba())
    assert a.shape == b.shape
    assert np.mean(np.any(a != b, axis=-1)) < 0.01, "in-place updates drift from a fresh render"


@pytest.mark.parametrize("name", NAMES)
def test_sliders_change_the_picture(name):
    e = ex.REGISTRY[name]
    base = ex.render(e, {})
    base_png = ex.frame_png(base[0])
    for s in e.sliders:
        other = s.values[(s.index(s.default) + 1) % len(s.values)]
        fig, _ = ex.render(e, {s.name: other})
        assert ex.frame_png(fig) != base_png, f"slider {s.name} of {name} changes nothing"


def test_static_html_is_self_contained():
    e = ex.REGISTRY["activations"]
    page = ex.static_html(e)
    # Readers without JavaScript see the default frame; the others live in the JSON payload.
    default = ex.grid(e).index(e.defaults())
    frames = __import__("json").loads(page.split('<script type="application/json">')[1].split("</script>")[0])
    assert f'src="data:image/png;base64,{frames["png"][default]}"' in page
    assert len(frames["png"]) == len(ex.grid(e)) and len(set(frames["png"])) == len(frames["png"])
    assert page.count('type="range"') == len(e.sliders)
    assert "http://" not in page and "https://" not in page
    # Narrow screens: the label goes above its slider; the figure keeps its width.
    assert "@media (max-width:36em)" in page and f'width="{ex.css_width(e)}"' in page
    assert page.count('"png": [') == 1
    assert len(page) < 3_000_000


def _leaf(live, point):
    """The Image model the frame view shows when the sliders are at ``point``."""
    return live.view.frames[view_mod.flat_index(live.explorer, point)]


def test_live_front_end_switches_frames_in_the_browser(monkeypatch):
    widgets = pytest.importorskip("ipywidgets")
    from PIL import Image
    import io
    monkeypatch.setenv("RNNBOOK_EXPLORER_PREFILL", "0")
    e = ex.REGISTRY["bptt_delta_norms"]
    assert len(e.sliders) >= 2
    live = ex._Live(e, e.defaults())
    box = live.box
    # The sliders, then ONE frame view that holds the sliders themselves (it listens to
    # their index in the browser: no link, no Stack) and one Image per position.
    assert box.children[1:-1] == tuple(live.controls) and box.children[-1] is live.view
    assert live.view.sliders == live.controls
    assert not any(isinstance(w, widgets.Stack) for w in box.children)
    assert live.view.sizes == [len(s.values) for s in e.sliders]
    assert len(live.view.frames) == len(ex.grid(e)) == len(set(map(id, live.view.frames)))
    assert live.view.width == ex.css_width(e)
    # The first frame is there at once, at SCALE x the CSS width; the others are blanks
    # with the frame's aspect ratio until rendered.
    first = _leaf(live, e.defaults())
    assert isinstance(first, widgets.Image) and first.value != live.blank
    size = Image.open(io.BytesIO(first.value)).size
    assert size[0] == ex.SCALE * ex.css_width(e)
    blank = Image.open(io.BytesIO(live.blank)).size
    assert abs(blank[0] / blank[1] - size[0] / size[1]) < 0.05
    s0 = e.sliders[0]
    other = {**e.defaults(), s0.name: s0.values[(s0.index(s0.default) + 1) % len(s0.values)]}
    assert _leaf(live, other).value == live.blank
    # The kernel sees the move and renders the new position into its own image.
    live.controls[0].value = other[s0.name]
    assert _leaf(live, other).value not in (live.blank, first.value)
    assert _leaf(live, other).value == ex.frame_png(ex.render(e, other)[0], fast=True)
    # Back at the start: served from the cache, byte for byte.
    live.controls[0].value = s0.default
    assert _leaf(live, e.defaults()).value == first.value
    # Every slider has the same description width, so their tracks line up.
    assert len({c.style.description_width for c in live.controls}) == 1
    assert "widget-readout" in box.children[0].value and "rnnbook-live" in box._dom_classes
    assert type(ex.live(e)).__name__ == "VBox"


def test_frame_view_holds_every_position_at_its_flat_index(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("RNNBOOK_EXPLORER_PREFILL", "0")
    e = ex.REGISTRY["spectral_radius"]                       # 4 sliders, 7 x 3 x 3 x 3
    live = ex._Live(e, e.defaults())
    points = ex.grid(e)
    flat = [view_mod.flat_index(e, p) for p in points]
    assert sorted(flat) == list(range(len(points)))          # a slot for every position
    # Row-major over the sliders in their order: the last slider moves by 1, the first
    # by the product of the other sizes.
    sizes = live.view.sizes
    start = e.defaults()
    for j, s in enumerate(e.sliders):
        moved = {**start, s.name: s.values[(s.index(start[s.name]) + 1) % len(s.values)]}
        step = int(np.prod(sizes[j + 1:]))
        assert view_mod.flat_index(e, moved) - view_mod.flat_index(e, start) in (
            step, -step * (sizes[j] - 1))
    for point in points:
        key = tuple(point[s.name] for s in e.sliders)
        assert _leaf(live, point) is live.images[key]


def test_live_front_end_renders_only_the_newest_of_a_burst(monkeypatch):
    pytest.importorskip("ipywidgets")
    import asyncio
    monkeypatch.setenv("RNNBOOK_EXPLORER_PREFILL", "0")
    e = ex.REGISTRY["lstm_forget_bias"]
    s = e.sliders[0]
    _forget_frames(e)

    async def burst():
        live = ex._Live(e, e.defaults())
        for v in s.values[s.index(s.default) + 1:]:           # three keys, no pause
            live.controls[0].value = v
        await asyncio.sleep(0.5)
        return live

    live = asyncio.run(burst())
    filled = [v for v in s.values if _leaf(live, {s.name: v}).value != live.blank]
    assert filled == [s.default, s.values[-1]]


def test_a_move_handled_in_another_thread_is_served_at_once(monkeypatch):
    """ipykernel 7 handles widget messages in a subshell thread, not the loop's."""
    pytest.importorskip("ipywidgets")
    import asyncio
    import threading
    monkeypatch.setenv("RNNBOOK_EXPLORER_PREFILL", "0")
    e = ex.REGISTRY["lstm_forget_bias"]
    s = e.sliders[0]
    other = s.values[(s.index(s.default) + 1) % len(s.values)]
    _forget_frames(e)

    async def move_from_a_thread():
        live = ex._Live(e, e.defaults())
        served = asyncio.get_running_loop().create_future()
        serve = live._serve
        monkeypatch.setattr(live, "_serve", lambda: (serve(), served.set_result(None)))
        def move():                            # while the loop sleeps in select
            time.sleep(0.2)
            live.controls[0].value = other
        mover = threading.Thread(target=move)
        t0 = time.monotonic()
        mover.start()
        try:                                   # only a wake-up of the loop serves it
            await asyncio.wait_for(served, 5.0)
        except asyncio.TimeoutError:
            pass
        mover.join()
        return live, time.monotonic() - t0

    live, seconds = asyncio.run(move_from_a_thread())
    assert seconds < 2.0, f"served after {seconds:.1f} s"
    assert _leaf(live, {s.name: other}).value != live.blank


def test_prefilled_frames_are_sent_to_the_browser(monkeypatch):
    e, live = _cold_live(monkeypatch, "activations", predisplay_seconds=0.0)
    # Shown at once: the other positions are blanks until the workers' frames arrive.
    assert any(i.value == live.blank for i in live.images.values())
    deadline = time.monotonic() + 300
    while any(i.value == live.blank for i in live.images.values()):
        assert time.monotonic() < deadline, "prefill did not finish"
        time.sleep(0.1)
    point = ex.grid(e)[-1]
    assert _leaf(live, point).value == ex.frame_png(ex.render(e, point)[0], fast=True)


@pytest.mark.parametrize("name", ["spectral_radius", "deep_receptive", "truncation_depth"])
def test_prefill_order_puts_the_axis_lines_through_the_start_first(name):
    e = ex.REGISTRY[name]
    start = {s.name: s.values[-1] for s in e.sliders}      # a corner: lines of full length
    points = live_mod.order(e, start)
    assert sorted(map(str, points)) == sorted(map(str, ex.grid(e)))
    steps = [[abs(s.index(p[s.name]) - s.index(start[s.name])) for s in e.sliders]
             for p in points]
    moved = [sum(d > 0 for d in off) for off in steps]
    n_axis = sum(len(s.values) - 1 for s in e.sliders)
    # The start, then every point one slider away (what a reader reaches by moving one
    # slider), then the rest; each part nearest first.
    assert moved[0] == 0 and moved[1:1 + n_axis] == [1] * n_axis
    assert all(m >= 2 for m in moved[1 + n_axis:])
    for part in (steps[1:1 + n_axis], steps[1 + n_axis:]):
        assert [sum(d) for d in part] == sorted(sum(d) for d in part)
    # At equal distance the first slider's neighbours come first.
    assert steps[1][0] == 1


def test_render_ahead_honours_its_budget_and_stops_when_everything_is_cached():
    e = ex.REGISTRY["spectral_radius"]                      # 189 frames: more than 0.5 s
    frames = ex._Frames(e)
    _forget_frames(e)
    frames.get(e.defaults())                                 # the figure exists (as in _Live)
    clock = time.monotonic
    spans, get = [], frames.get

    def timed_get(point):
        t = clock()
        get(point)
        spans.append((t, clock()))
    frames.get = timed_get
    t0 = clock()
    rendered = frames.render_ahead(e.defaults(), 0.5)
    took = clock() - t0
    # It starts no frame after the budget, so it returns within one frame of it.
    assert rendered == len(spans) >= 1
    assert max(start for start, _ in spans) - t0 < 0.5
    longest = max(end - start for start, end in spans)
    assert took < 0.5 + longest + 0.5, f"render_ahead took {took:.2f} s for a 0.5 s budget"
    # The frames it rendered are the first ones of the order, after the start.
    done = [ex._Frames(e).key(p) in ex._FRAMES for p in live_mod.order(e, e.defaults())]
    assert all(done[:1 + rendered]) and not all(done)
    # A small grid fits: it returns as soon as every frame is cached, long before the budget.
    small = ex._Frames(ex.REGISTRY["lstm_forget_bias"])
    small.get(small.explorer.defaults())
    t = time.monotonic()
    small.render_ahead(small.explorer.defaults(), 120.0)
    assert time.monotonic() - t < 60 and not small.todo(small.explorer.defaults())


def test_a_move_puts_the_axis_lines_through_the_new_position_first():
    e = ex.REGISTRY["spectral_radius"]
    frames = ex._Frames(e)
    start = e.defaults()
    other = {s.name: s.values[-1] for s in e.sliders}
    try:
        frames.prefill(start, fork=True)
        frames.prefill(other, reorder=True)
        with cache_mod._LOCK:
            upcoming = frames.queue[::-1][:8]
    finally:
        with cache_mod._LOCK:
            frames.queue.clear()                 # no more work for the workers
    assert len(upcoming) == 8
    for point in upcoming:
        assert sum(point[s.name] != other[s.name] for s in e.sliders) <= 1, point


def test_live_front_end_shows_the_frames_rendered_before_display(monkeypatch):
    e, live = _cold_live(monkeypatch, "lstm_forget_bias", predisplay_seconds=120.0)
    blank = [k for k, i in live.images.items() if i.value == live.blank]
    assert blank == [], f"blank after display: {blank}; with a worker: {list(ex._QUEUED)}"
    point = ex.grid(e)[0]
    assert _leaf(live, point).value == ex.frame_png(ex.render(e, point)[0], fast=True)


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self/fd"), reason="Linux only")
def test_workers_do_not_move_the_kernels_file_offsets():
    import os
    import matplotlib
    font = os.path.join(matplotlib.get_data_path(), "fonts", "ttf", "DejaVuSans.ttf")

    def offset_after_a_fork_reads(own):
        with open(font, "rb") as f:
            f.seek(100)
            pid = os.fork()
            if pid == 0:                                     # the worker: read elsewhere
                if own:
                    cache_mod._own_file_offsets()
                os.lseek(f.fileno(), 5000, os.SEEK_SET)
                os._exit(0)
            os.waitpid(pid, 0)
            return os.lseek(f.fileno(), 0, os.SEEK_CUR)

    assert offset_after_a_fork_reads(own=False) == 5000     # what a plain fork shares
    assert offset_after_a_fork_reads(own=True) == 100


def test_fast_png_has_the_same_pixels():
    from PIL import Image
    import io
    fig, _ = ex.render(ex.REGISTRY["activations"], {})
    fast = np.asarray(Image.open(io.BytesIO(ex.frame_png(fig, fast=True))))
    slow = np.asarray(Image.open(io.BytesIO(ex.frame_png(fig))))
    assert fast.shape == slow.shape and np.array_equal(fast, slow)


def test_prefill_renders_every_other_frame_in_a_worker():
    e = ex.REGISTRY["activations"]
    frames = ex._Frames(e)
    _forget_frames(e)
    assert frames.prefill(e.defaults()) == len(ex.grid(e))
    # The executor holds a few frames at a time; the rest wait in the queue, in order.
    assert len([k for k in ex._QUEUED if k[0] == e.name]) <= live_mod.WORKERS + 1
    assert frames.wait(300)
    assert not frames.todo(e.defaults())                     # every grid point cached
    point = ex.grid(e)[-1]
    worker = ex._FRAMES[frames.key(point)]
    assert worker == ex.frame_png(ex.render(e, point)[0], fast=True)


def test_explorer_validation():
    e = ex.REGISTRY["activations"]
    with pytest.raises(ValueError, match="values has sliders"):
        ex.render(e, {"nope": 1})
    with pytest.raises(ValueError, match="name is 'nope'"):
        ex.get("nope")
    with pytest.raises(ValueError, match="has default"):
        ex.Explorer("x", "x", (ex.Slider("a", (1, 2), 3),), e.compute, e.draw, e.update)
    with pytest.raises(ValueError, match="unique names"):
        ex.Explorer("x", "x", (ex.Slider("a", (1,), 1), ex.Slider("a", (1,), 1)),
                    e.compute, e.draw, e.update)
    with pytest.raises(ValueError, match="already registered"):
        ex.register(ex.Explorer("activations", "t", e.sliders, e.compute, e.draw, e.update))
    assert ex.Slider("w", (0.25, 0.5, 1.0), 0.5).index(0.6) == 1


def test_overflow_note():
    assert ex.overflow_note(np.array([1.0, 2.0])) == ""
    assert "inf/NaN" in ex.overflow_note(np.array([1.0, np.inf]))
    assert "1.0e+08" in ex.overflow_note(np.array([1e8]))


def test_show_picks_the_front_end(monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    monkeypatch.setenv("RNNBOOK_EXPLORER", "static")
    ex.show("activations")
    assert "rnnbook-explorer" in shown[-1].data
    monkeypatch.setenv("RNNBOOK_EXPLORER", "live")
    ex.show(ex.REGISTRY["activations"], w=2.0)
    assert type(shown[-1]).__name__ == "VBox"


def test_prepare_runs_once_before_the_first_frame():
    calls = []
    base = ex.REGISTRY["activations"]

    def compute(activation, w):
        calls.append((activation, w))
        return base.compute(activation, w)

    e = ex.Explorer("prep-grid", "t", base.sliders, compute, base.draw, base.update, prepare="grid")
    ex.static_html(e)
    assert len(calls) == 2 * len(ex.grid(e))        # every point by prepare, then each frame
    ex.static_html(e)
    assert len(calls) == 3 * len(ex.grid(e))        # prepare does not run again
    ran = []
    e2 = ex.Explorer("prep-call", "t", base.sliders, base.compute, base.draw, base.update,
                     prepare=lambda: ran.append(1))
    e2.ready().ready()
    assert ran == [1]
