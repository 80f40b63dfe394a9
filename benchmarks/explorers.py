"""Time every step of the live explorer path: compute + redraw + PNG encoding.

For each registered explorer, run its one-off ``prepare`` step and start at the
default position (a fresh figure, as when the chapter cell runs; the prepare time is
printed separately), then move one slider at a time through the whole grid, the
way a reader drags: each step is timed from the slider value to the PNG bytes that
the ipywidgets Image receives. Prints one line per explorer with p50 and p95 in ms,
then `worst p95: X ms`. Target: p95 under 100 ms on this 2-core machine.

With ``--breakdown`` each step is split into compute (the explorer's pure function),
update (changing the artists), draw (Agg: a full draw, or only the animated artists
over a saved background) and encode (PNG), printed as p50/p95 per part.

Usage: python benchmarks/explorers.py [--breakdown] [name ...]
"""
import sys
import time

import numpy as np

from rnnbook import explorer as ex
import rnnbook.explorers  # noqa: F401


def steps_of(e):
    """Every grid point, visited so that consecutive points differ in one slider."""
    points = ex.grid(e)
    # snake order over the row-major grid: the last slider reverses on every row
    if len(e.sliders) > 1:
        n_last = len(e.sliders[-1].values)
        rows = [points[i:i + n_last] for i in range(0, len(points), n_last)]
        points = [p for k, row in enumerate(rows) for p in (row if k % 2 == 0 else row[::-1])]
    return points


def time_explorer(e):
    t0 = time.perf_counter()
    e.ready()                                # one-off precomputation, when the cell runs
    prepare = time.perf_counter() - t0
    state = ex.render(e, e.defaults())
    ex.frame_png(state[0], fast=True)
    times = []
    for point in steps_of(e):
        t0 = time.perf_counter()
        state = ex.render(e, point, state)
        ex.frame_png(state[0], fast=True)
        times.append(1000 * (time.perf_counter() - t0))
    return np.array(times), prepare


PARTS = ("compute", "update", "draw", "encode")


def breakdown(e):
    """Per-part times (ms) of every step, as a dict of arrays."""
    from rnnbook.plotting import book_style
    e.ready()
    state = ex.render(e, e.defaults())
    times = {k: [] for k in PARTS}
    for point in steps_of(e):
        with np.errstate(all="ignore"), book_style():
            t0 = time.perf_counter()
            data = e.compute(**point)
            t1 = time.perf_counter()
            full = e.update(state[1], data) == "redraw"
            t2 = time.perf_counter()
            ex._draw(state[0], state[1], full)
            t3 = time.perf_counter()
        ex.frame_png(state[0], fast=True)
        t4 = time.perf_counter()
        for k, a, b in zip(PARTS, (t0, t1, t2, t3), (t1, t2, t3, t4)):
            times[k].append(1000 * (b - a))
    return {k: np.array(v) for k, v in times.items()}


def main(names):
    if names and names[0] == "--breakdown":
        for name in names[1:] or sorted(ex.REGISTRY):
            t = breakdown(ex.REGISTRY[name])
            print(f"{name:24s} " + "  ".join(
                f"{k} {np.median(v):5.1f}/{np.percentile(v, 95):5.1f}" for k, v in t.items())
                + "  ms (p50/p95)")
        return
    worst = 0.0
    for name in names or sorted(ex.REGISTRY):
        t, prepare = time_explorer(ex.REGISTRY[name])
        p50, p95 = np.percentile(t, 50), np.percentile(t, 95)
        worst = max(worst, p95)
        print(f"{name:28s} steps {len(t):4d}   p50 {p50:6.1f} ms   p95 {p95:6.1f} ms"
              f"   (one-off prepare {prepare:5.1f} s)")
    print(f"worst p95: {worst:.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1:])
