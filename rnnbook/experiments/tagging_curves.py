"""Learning curves of chapter 12's taggers: is the chapter's budget of 400 updates enough?

The models and training of :mod:`rnnbook.experiments.seq_tasks` (GRU, H = 16 per
direction, 1 or 2 layers, uni- or bidirectional; tasks *next* and *sum*; Adam 1e-2,
clip 5, batches of 32), each trained once per seed and tested on the same 500 test
sequences after every number of updates in :data:`CHECKPOINTS`. Update 0 is the
untrained network (a control); the accuracy at 400 updates is exactly the one recorded
in ``seq_tasks.json`` (same seeds, same data stream). Each run also records the training
CPU seconds spent up to each checkpoint (tests excluded).

Run on purpose (about five CPU minutes, one process)::

    python -m rnnbook.experiments.tagging_curves --record
"""
from __future__ import annotations

import time

from .results import record, seed_args
from .seq_tasks import MODELS, RECORDED_TASKS, SEEDS, tagging_curve

__all__ = ["CHECKPOINTS", "curve_run"]

NAME = "tagging_curves"
#: numbers of updates at which every model is tested (0 is the untrained network)
CHECKPOINTS = (0, 25, 50, 100, 200, 400, 800, 1600)


def curve_run(kind, layers, bidir, seed, checkpoints=CHECKPOINTS):
    """One model, one seed: the test accuracy and training CPU-s at each checkpoint."""
    accuracy, cpu = tagging_curve(kind, layers, bidir, checkpoints, seed)
    return {"task": kind, "layers": layers, "bidirectional": bidir, "seed": seed,
            "updates": list(checkpoints), "accuracy": accuracy,
            "cpu_seconds": [round(c, 3) for c in cpu]}


def main(argv=None):
    args = seed_args(argv, __doc__.splitlines()[0], SEEDS, checkpoints=CHECKPOINTS)
    t0 = time.perf_counter()
    results = []
    for kind in RECORDED_TASKS:
        for layers, bidir in MODELS:
            for seed in args.seeds:
                r = curve_run(kind, layers, bidir, seed, args.checkpoints)
                results.append(r)
                print(kind, layers, "bi" if bidir else "uni", seed,
                      " ".join(f"{a:.3f}" for a in r["accuracy"]),
                      f"cpu {r['cpu_seconds'][-1]:.1f}", flush=True)
    print(f"training CPU-s in all: {sum(r['cpu_seconds'][-1] for r in results):.1f}")
    if args.record:
        path = record(NAME, results, command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0,
                      params={"S": 5, "T": 12, "H": 16, "cell": "gru", "batch": 32,
                              "lr": 1e-2, "clip": 5.0, "n_test": 500,
                              "checkpoints": list(CHECKPOINTS),
                              "tasks": list(RECORDED_TASKS),
                              "models": [list(m) for m in MODELS]})
        print("recorded", path)


if __name__ == "__main__":
    main()
