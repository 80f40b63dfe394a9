"""Keypress-to-painted-image latency of the live explorers in JupyterLab.

Starts JupyterLab as `make lab` does (tests/test_lab.py's :func:`start_lab`, on
127.0.0.1, serving a temporary folder with one small notebook per explorer:
``show(name)``), drives it in headless Chromium (playwright, the system chromium,
every request to another host aborted), runs the notebook, then moves each slider of
the explorer with the keyboard: right to its last value, left to its first, back to its
default, ``--rounds`` times. Each step is timed in the page from the ``keydown`` event
to the frame in which the new image is painted: a MutationObserver on the output sees
the image shown change (the frame view's ``<img class="rnnbook-frame">`` gets a new
``src``; with ``--baseline`` and an older front end, a new ``<img class="widget-image">``
may replace the old one), ``img.decode()`` waits for the decoded bitmap (a placeholder
smaller than a full frame does not count: the step ends when the real frame is
painted, and is counted as "placeholder first"), and the time is taken in the next
``requestAnimationFrame`` callback (the frame that paints it). By default
the first key is pressed as soon as the explorer appears ("cold": the live front end
is still prefilling frames); ``--warm S`` waits S seconds first.

Prints per explorer the number of steps and p50/p95/max in ms (all steps, and the
first visit of each position, before the kernel has seen it), the number of steps in
which a placeholder was shown before the frame (the frame was not in the browser yet),
and the slider positions of steps that painted no new image within 10 s, then a last line
``worst lab p95: X ms``. Target: p95 under 100 ms (stretch 50 ms) on this machine.

With ``--baseline DIR`` (a folder holding another version of the ``rnnbook`` package,
e.g. a copy of the package before a change) a second server runs kernels that import
rnnbook from DIR, and each explorer is measured with the baseline, then with this
repository's package, one after the other, so that both see the same machine load.

Usage: python benchmarks/lab_latency.py [--rounds R] [--dpr 1] [--warm S] [--baseline DIR]
       [--screenshot DIR] [--raw] [name ...]
"""
import argparse
import contextlib
import json
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from test_lab import TOKEN, start_lab  # noqa: E402
from test_book import CHROMIUM, CHROMIUM_FLAGS  # noqa: E402
from test_lab_browser import LAB_ARGS, blocking_context, open_document, run_all  # noqa: E402

from rnnbook import explorer as ex  # noqa: E402
import rnnbook.explorers  # noqa: E402,F401


#: the explorer's image: the frame view's <img>, or an ipywidgets Image (older front ends)
FRAME = "img.rnnbook-frame, img.widget-image"

# Installed once per page: times each keydown -> painted image of the explorer output.
# The explorer shows one image at a time: either the same <img> gets a new src (the
# frame view, switched in the browser) or a new <img> replaces it (older front ends with
# one image widget per slider position). A step is done when the image shown is a
# full-size frame (not a placeholder), decoded, and a frame has been painted.
PROBE = """([full, frame]) => {
  const out = [...document.querySelectorAll(frame)]
    .map(i => i.closest('.jp-OutputArea-output')).find(o => o);
  const lat = window.__lat = {t0: null, steps: [], blanks: [], blank: false, img: null, src: null};
  document.addEventListener('keydown', () => { lat.t0 = performance.now(); lat.blank = false; },
                            true);
  const check = () => {
    const imgs = out.querySelectorAll(frame);
    if (imgs.length !== 1) return;
    const img = imgs[0];
    if (!img.src || (img === lat.img && img.src === lat.src)) return;
    lat.img = img; lat.src = img.src;
    const t0 = lat.t0, src = img.src;
    img.decode().then(() => {
      if (img.src !== src || t0 === null) return;
      if (img.naturalWidth < full) {              // a placeholder: the frame is not there yet
        if (t0 === lat.t0) lat.blank = true;
        return;
      }
      requestAnimationFrame(() => {
        lat.steps.push(performance.now() - t0);
        lat.blanks.push(lat.blank);
      });
    }).catch(() => null);
  };
  check();
  new MutationObserver(check).observe(out, {subtree: true, childList: true,
                                            attributes: true, attributeFilter: ['src']});
  const img = out.querySelector(frame);
  return [img.naturalWidth, img.getBoundingClientRect().width, window.devicePixelRatio];
}"""


def notebook(name):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"from rnnbook.explorer import show\nshow({name!r})")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def api(base, path, method="GET"):
    req = urllib.request.Request(base + path, method=method,
                                 headers={"Authorization": f"token {TOKEN}"})
    with urllib.request.urlopen(req, timeout=30) as r:
        body = r.read()
    return json.loads(body) if body else None


def open_and_run(page, base, name):
    open_document(page, base, f"{name}.ipynb")
    run_all(page)
    page.wait_for_function("(frame) => [...document.querySelectorAll(frame)].some("
                           "i => i.closest('.jp-OutputArea-output') && i.naturalWidth > 0)",
                           arg=FRAME, timeout=60_000)


def press(page, key, timeout=10.0):
    """Press ``key``; return the keypress-to-paint time in ms (None if no new image) and
    whether a placeholder was shown before the frame."""
    n = page.evaluate("() => window.__lat.steps.length")
    page.keyboard.press(key)
    t_end = time.monotonic() + timeout
    while time.monotonic() < t_end:
        steps, blanks = page.evaluate("() => [window.__lat.steps, window.__lat.blanks]")
        if len(steps) > n:
            time.sleep(0.03)                          # a reader's next keypress comes later
            return steps[n], blanks[n]
        time.sleep(0.005)
    return None, None


RAW = False                      # --raw: print every step


def measure(page, e, rounds):
    handles = page.locator(".jp-OutputArea-output .noUi-handle")
    if handles.count() != len(e.sliders):
        raise RuntimeError(f"{e.name}: {handles.count()} slider handles on the page, "
                           f"{len(e.sliders)} sliders")
    all_steps, first_steps, missed, blank = [], [], [], 0
    position = {s.name: s.index(s.default) for s in e.sliders}
    seen = {tuple(position.values())}
    for j, s in enumerate(e.sliders):
        handles.nth(j).focus()
        n = len(s.values)
        d = s.index(s.default)
        keys = []
        for _ in range(rounds):
            keys += ["ArrowRight"] * (n - 1 - d) + ["ArrowLeft"] * (n - 1) + ["ArrowRight"] * d
        for key in keys:
            position[s.name] += 1 if key == "ArrowRight" else -1
            t, shown_blank = press(page, key)
            if t is None:
                missed.append(tuple(position.values()))
                continue
            all_steps.append(t)
            if RAW:
                print(f"  {e.name} {tuple(position.values())} {t:6.1f} ms"
                      + (" placeholder first" if shown_blank else ""), flush=True)
            blank += shown_blank
            point = tuple(position.values())
            if point not in seen:
                first_steps.append(t)
                seen.add(point)
    return np.array(all_steps), np.array(first_steps), missed, blank


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dpr", type=float, default=1.0, help="device pixel ratio")
    parser.add_argument("--baseline", help="folder with another version of rnnbook/")
    parser.add_argument("--warm", type=float, default=0.0,
                        help="seconds to wait after the explorer appears before the first "
                             "keypress (a reader looking at it; the frames are prefilled)")
    parser.add_argument("--screenshot", help="folder for a PNG of each explorer's output "
                        "after the measurement")
    parser.add_argument("--raw", action="store_true", help="print every step: slider "
                        "indices after the key, ms, whether a placeholder came first")
    args = parser.parse_args()
    global RAW
    RAW = args.raw
    names = args.names or sorted(ex.REGISTRY)
    from playwright.sync_api import sync_playwright

    variants = [("", str(ROOT))]
    if args.baseline:
        variants.insert(0, ("baseline ", str(Path(args.baseline).resolve())))
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        for name in names:
            nbformat.write(notebook(name), Path(tmp) / f"{name}.ipynb")
        bases = [stack.enter_context(start_lab(root_dir=tmp, log=Path(tmp) / f"server{i}.log",
                                               args=LAB_ARGS, extra_env={"PYTHONPATH": path}))
                 for i, (_, path) in enumerate(variants)]
        p = stack.enter_context(sync_playwright())
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        worst = 0.0
        blocked = []
        for name in names:
            for (label, _), base in zip(variants, bases):
                context = blocking_context(browser, base, viewport={"width": 1280, "height": 900},
                                           device_scale_factor=args.dpr)
                page = context.new_page()
                try:
                    open_and_run(page, base, name)
                    natural, shown, dpr = page.evaluate(
                        PROBE, [ex.SCALE * ex.css_width(ex.REGISTRY[name]), FRAME])
                    time.sleep(args.warm)
                    steps, first, missed, blank = measure(page, ex.REGISTRY[name], args.rounds)
                    if args.screenshot:
                        Path(args.screenshot).mkdir(parents=True, exist_ok=True)
                        output = ".jp-OutputArea-output:has(.rnnbook-frame, .widget-image)"
                        page.locator(output).first.screenshot(
                            path=Path(args.screenshot) / f"{label.strip() or 'new'}-{name}.png")
                finally:
                    context.close()
                    blocked += context.blocked
                    for k in api(base, "/api/kernels"):
                        api(base, f"/api/kernels/{k['id']}", method="DELETE")
                p50, p95 = np.percentile(steps, [50, 95])
                f95 = np.percentile(first, 95) if len(first) else float("nan")
                if not label:
                    worst = max(worst, p95)
                print(f"{label + name:31s} steps {len(steps):3d}  p50 {p50:6.1f}  p95 {p95:6.1f}"
                      f"  max {steps.max():6.1f} ms | first visits {len(first):3d} p95 {f95:6.1f}"
                      f" ms | image {natural}px shown at {shown:.0f} css px (dpr {dpr:g})"
                      + f" | placeholder first in {blank} steps"
                      + (f" | {len(missed)} steps without a new image, at slider indices {missed}"
                         if missed else ""), flush=True)
        browser.close()
        if blocked:
            print(f"blocked requests to other hosts: {blocked[:5]}")
    print(f"worst lab p95: {worst:.1f} ms")


if __name__ == "__main__":
    main()
