"""The copying-memory task at T = 100 with a 128-unit LSTM and a longer budget.

The recorded sweep of chapter 10 (:mod:`rnnbook.experiments.longrange_sweep`) runs
copying only with the book's small setting (H = 16, batch 32, Adam 0.01, 200 updates).
This sweep moves towards the setting of Arjovsky, Shah & Bengio (2016, Section 4.1) and
Tallec & Ollivier (2018): a wider network (H = 128 LSTM units), batches of 20 fresh
sequences, Adam with learning rate 1e-2, the rate of the book's other long-range runs
(Arjovsky et al. used RMSProp; an earlier recording of this sweep with Adam at 1e-3 had
not reached the memoryless baseline after 1,000 updates, while at 1e-2 every run comes
within 10 % of it within 300), a longer budget, and
the task of :func:`rnnbook.tasks.copying_memory`
(length T + 20, eight symbols, blank and delimiter). Two initialisations: forget bias 1
(the usual LSTM baseline) and chrono (Tallec & Ollivier) with T_max = T + 20, the
longest dependency of the task. Five seeds, ``CAP`` Adam updates per run (early stop
when 95 % of held-out sequences are copied without error).

Controls in every record: the untrained network (evaluation at update 0) and the
memoryless baseline 10 log 8 / (T + 20) (normalised loss 1). The harness is
:func:`rnnbook.experiments.longrange.run_task`; running, resuming and recording are
those of :mod:`rnnbook.experiments.longrange_sweep`::

    nice -n 10 python -m rnnbook.experiments.copying_long --record

Every finished run is appended to a partial file (default
``<tmp>/rnnbook-copying_long.partial.jsonl``); seeds are interleaved (seed 0 of both
initialisations first), so ``--record-partial`` records a balanced part of the grid.
"""
from __future__ import annotations

import os
import sys

from . import longrange_sweep as sweep

NAME = "copying_long"
SEEDS = (0, 1, 2, 3, 4)
T = 100
CAP = 1000
CONFIGS = (("lstm", "forget1"), ("lstm", "chrono"))
GRID = ((("copying",), (T,), CONFIGS, {"copying": CAP}),)
#: training and evaluation settings of every run (see the module docstring)
SETTINGS = dict(H=128, batch=20, lr=1e-2, clip=1.0, eval_every=100, n_eval=200)


def planned_runs():
    """(task, T, cell, init, seed, cap) in the order they run (seeds interleaved)."""
    return sweep.planned_runs(GRID, SEEDS, seed_major=True)


def main(argv=None):
    load = [round(v, 2) for v in os.getloadavg()]
    return sweep.main(argv, name=NAME, grid=GRID, seeds=SEEDS, settings=SETTINGS,
                      seed_major=True, description=__doc__.split("\n")[0],
                      extra_params=dict(load_average_when_recorded=load, run_with="nice -n 10",
                                        blas_threads=os.environ.get("OPENBLAS_NUM_THREADS"),
                                        optimizer="adam"))


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
