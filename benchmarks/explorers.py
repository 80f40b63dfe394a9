"""Time every step of the live explorer path: compute + redraw + PNG encoding.

For each registered explorer, run its one-off ``prepare`` step and start at the
default position (a fresh figure, as when the chapter cell runs; the prepare time is
printed separately), then move one slider at a time through the whole grid, the
way a reader drags: each step is timed from the slider value to the PNG bytes that
the ipywidgets Image receives. Prints one line per explorer with p50 and p95 in ms,
then `worst p95: X ms`. Target: p95 under 100 ms on this 2-core machine.

Usage: python benchmarks/explorers.py [name ...]
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


def main(names):
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
