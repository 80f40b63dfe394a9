"""Which LSTM gate matters? A recorded gate-ablation experiment (chapter 10, exercise).

An LSTM (H = 16, chrono initialisation) is trained with the protocol of
:mod:`rnnbook.experiments.longrange_sweep` with one gate held open throughout
(:func:`rnnbook.experiments.longrange.ablate_gate`: its weights 0, its bias 30, so the
gate is 1): no input gate, no forget gate (the 1997 LSTM's constant error carousel),
no output gate; and the full LSTM. In the spirit of Jozefowicz et al. (2015) and Greff
et al. (2017), on the adding problem at T = 50, five seeds each (resumable: finished runs
are appended to a JSON-lines file and skipped on a restart)::

    python -m rnnbook.experiments.gate_ablation --record
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from . import longrange as lr
from .longrange_sweep import SETTINGS
from .results import record

NAME = "gate_ablation"
SEEDS = (0, 1, 2, 3, 4)
TASKS = {"adding": 400}                                # task: cap in updates
T = 50
VARIANTS = (None, "i", "f", "o")                       # None: the full LSTM


def planned_runs():
    return [(task, v, seed) for task in TASKS for v in VARIANTS for seed in SEEDS]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true", help="run and record (package data)")
    ap.add_argument("--out", default=None, help="directory of the recorded JSON")
    ap.add_argument("--partial", default=os.path.join(
        tempfile.gettempdir(), f"rnnbook-{NAME}.partial.jsonl"), help="finished runs")
    args = ap.parse_args(argv)
    if not args.record:
        ap.error("pass --record (this writes package data on purpose)")
    t0, done = time.perf_counter(), {}
    partial = Path(args.partial)
    if partial.exists():
        for line in partial.read_text().splitlines():
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue
            done[(r["task"], r["ablate"], r["seed"])] = r
    with partial.open("a") as fh:
        for task, variant, seed in planned_runs():
            if (task, variant, seed) in done:
                continue
            r = lr.run_task(task, "lstm", T, steps=TASKS[task], seed=seed, init="chrono",
                            ablate=variant, **SETTINGS)
            done[task, variant, seed] = dict(
                task=task, T=T, ablate=variant, seed=seed, solved=r["solved"],
                steps_to_solve=r["steps_to_solve"], final=round(r["final"], 4),
                cap=TASKS[task], nloss_final=round(float(r["nloss"][-1]), 4),
                cpu_seconds=round(r["cpu_seconds"], 2))
            fh.write(json.dumps(done[task, variant, seed]) + "\n")
            fh.flush()
            print(done[task, variant, seed], flush=True)
    out = [done[k] for k in planned_runs()]
    path = record(NAME, out, command="python -m rnnbook.experiments.gate_ablation --record",
                  seeds=SEEDS, params=dict(T=T, caps=TASKS, settings=SETTINGS,
                                           init="chrono", variants=list(VARIANTS)),
                  seconds=time.perf_counter() - t0, directory=args.out)
    print("recorded", path)
    return path


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
