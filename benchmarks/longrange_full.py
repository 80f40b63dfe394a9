"""Speed of the long-range harness of chapter 10 (writes nothing).

The recorded sweep itself is run on purpose, not by ``make bench``::

    python -m rnnbook.experiments.longrange_sweep --record

This benchmark times Adam updates of the chapter's setting (H = 16, batch 32, T = 100)
for each cell and runs the sweep's ``--quick`` grid into a temporary directory.
"""
import os
import sys
import tempfile
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from rnnbook.experiments import longrange as lr  # noqa: E402
from rnnbook.experiments import longrange_sweep as sweep  # noqa: E402


def main():
    for cell, init in (("rnn", "default"), ("lstm", "chrono"), ("gru", "long")):
        r = lr.run_task("adding", cell, 100, steps=40, eval_every=1000, n_eval=32, init=init)
        print(f"{cell:5s} adding T=100: {1e3 * r['cpu_seconds'] / 40:6.1f} CPU-ms per update")
    with tempfile.TemporaryDirectory() as d:
        t0 = time.process_time()
        sweep.main(["--quick", "--partial", os.path.join(d, "p.jsonl"), "--out", d])
        print(f"quick sweep: {time.process_time() - t0:.1f} CPU-s")


if __name__ == "__main__":
    main()
