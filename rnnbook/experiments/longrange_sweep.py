"""The recorded long-range sweep of chapter 10: task x cell x initialisation x T.

Run on purpose (about an hour of one CPU core; resumable)::

    python -m rnnbook.experiments.longrange_sweep --record

Every finished run is appended at once, as one JSON line, to a partial file (default
``<tmp>/rnnbook-longrange_sweep.partial.jsonl``); a restarted sweep skips the runs found
there. When the grid is complete (or with ``--record-partial``, whatever is complete)
the results are written with :func:`rnnbook.experiments.results.record` to
``rnnbook/experiments/data/longrange_sweep.json`` with the command, seeds, grid and
budgets. ``--quick`` runs a tiny grid into a temporary directory (for tests).

The grid (:data:`GRID`) is a list of blocks ``(tasks, lengths, configs, cap)``, run in
order of priority: adding and temporal order with all nine cell/initialisation pairs at
T = 100; adding at T = 200 for the chapter's default LSTM and GRU; delayed recall at
T = 100; copying at T = 100; then the remaining T = 200 settings of the three
configurations that bridge T = 100. Each run
stops early when 95 % of the held-out sequences are processed correctly, otherwise
after ``cap`` Adam updates. The controls are in every record: the untrained network
(the evaluation at step 0 of each run) and the memoryless baselines of
:mod:`rnnbook.experiments.longrange` (normalised loss 1, fraction ``CHANCE``).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from . import longrange as lr
from .results import record

NAME = "longrange_sweep"
SEEDS = (0, 1, 2, 3, 4)
#: the nine (cell, initialisation) pairs of the sweep
CONFIGS = (("lstm", "zeros"), ("lstm", "forget1"), ("lstm", "hs97"), ("lstm", "chrono"),
           ("gru", "default"), ("gru", "long"),
           ("rnn", "default"), ("rnn", "orthogonal"), ("rnn", "irnn"))
#: the configurations that bridge T = 100 (see the T = 100 block), run again at T = 200
LONG = (("lstm", "hs97"), ("lstm", "chrono"), ("gru", "long"))
#: the configurations of the copying task (it is the costliest per update)
COPYING = (("lstm", "forget1"), ("lstm", "hs97"), ("lstm", "chrono"), ("gru", "long"),
           ("rnn", "orthogonal"), ("rnn", "irnn"))
#: The blocks of the sweep, in order of priority; each is a tuple of tasks, lengths,
#: configurations and a dict of caps in updates per task.
GRID = (
    (("adding", "temporal_order"), (100,), CONFIGS, {"adding": 600, "temporal_order": 500}),
    (("adding",), (200,), (("lstm", "chrono"), ("gru", "long")), {"adding": 1000}),
    (("delayed_recall",), (100,), CONFIGS, {"delayed_recall": 300}),
    (("copying",), (100,), COPYING, {"copying": 200}),
    (("adding",), (200,), (("lstm", "hs97"),), {"adding": 1000}),
    (("temporal_order", "delayed_recall"), (200,), LONG,
     {"temporal_order": 800, "delayed_recall": 400}),
)
#: training and evaluation settings shared by every run (the chapter's protocol)
SETTINGS = dict(H=16, batch=32, lr=1e-2, clip=1.0, eval_every=25, n_eval=256)
QUICK_GRID = ((("adding", "delayed_recall"), (10,), (("lstm", "hs97"), ("rnn", "irnn")),
               {"adding": 20, "delayed_recall": 20}),)


def planned_runs(grid=GRID, seeds=SEEDS, seed_major=False):
    """The list of (task, T, cell, init, seed, cap) the sweep runs, in order.

    ``seed_major``: within a block, all configurations of seed 0 first, then seed 1, ...
    (so that an interrupted sweep has the same seeds for every configuration)."""
    out = []
    for tasks, lengths, configs, caps in grid:
        for task in tasks:
            for T in lengths:
                pairs = ([(c, s) for s in seeds for c in configs] if seed_major
                         else [(c, s) for c in configs for s in seeds])
                for (cell, init), seed in pairs:
                    out.append((task, T, cell, init, seed, caps[task]))
    return out


def run_key(r):
    return (r["task"], r["T"], r["cell"], r["init"], r["seed"])


def one_run(task, T, cell, init, seed, cap, settings=SETTINGS):
    """One run as a JSON-ready dict (curves as lists; no parameters, no loss trace)."""
    r = lr.run_task(task, cell, T, steps=cap, seed=seed, init=init, **settings)
    keep = ("task", "cell", "init", "T", "H", "seed", "solved", "steps_to_solve", "final",
            "best", "seconds", "cpu_seconds")
    out = {k: r[k] for k in keep}
    out.update(cap=cap, curve_steps=r["curve_steps"].tolist(),
               curve=[round(v, 4) for v in r["curve"].tolist()],
               nloss=[round(v, 4) for v in r["nloss"].tolist()],
               seconds=round(r["seconds"], 2), cpu_seconds=round(r["cpu_seconds"], 2))
    return out


def summary(results):
    """One row per (task, T, cell, init) in plan order: a dict with n, solved (count),
    median/min/max updates to solve (None if none solved), median CPU-seconds per
    run, the cap, and the untrained network's median fraction correct (update 0)."""
    groups = {}
    for r in results:
        groups.setdefault((r["task"], r["T"], r["cell"], r["init"]), []).append(r)
    rows = []
    for (task, T, cell, init), rs in groups.items():
        ups = sorted(r["steps_to_solve"] for r in rs if r["solved"])
        rows.append(dict(task=task, T=T, cell=cell, init=init, n=len(rs), solved=len(ups),
                         median=int(np.median(ups)) if ups else None,
                         lo=ups[0] if ups else None, hi=ups[-1] if ups else None,
                         cpu=float(np.median([r["cpu_seconds"] for r in rs])),
                         cap=rs[0]["cap"],
                         untrained=float(np.median([r["curve"][0] for r in rs])),
                         final_nloss=float(np.median([r["nloss"][-1] for r in rs]))))
    return rows


def band(results, task, T, cell, init):
    """Median, min and max over seeds of the normalised loss on the common grid of
    evaluation points; a run that stopped early (solved) keeps its last value."""
    rs = [r for r in results if (r["task"], r["T"], r["cell"], r["init"]) == (task, T, cell, init)]
    if not rs:
        raise ValueError(f"no recorded runs for {(task, T, cell, init)}")
    steps = max((r["curve_steps"] for r in rs), key=len)
    Y = np.array([np.r_[r["nloss"], [r["nloss"][-1]] * (len(steps) - len(r["nloss"]))]
                  for r in rs])
    return np.asarray(steps), np.median(Y, axis=0), Y.min(axis=0), Y.max(axis=0)


def read_partial(path):
    """Runs already finished (one JSON object per line; a torn last line is ignored)."""
    done = {}
    if Path(path).exists():
        for line in Path(path).read_text().splitlines():
            try:
                r = json.loads(line)
            except json.JSONDecodeError:
                continue
            done[run_key(r)] = r
    return done


def main(argv=None, *, name=NAME, grid=GRID, seeds=SEEDS, settings=SETTINGS,
         seed_major=False, extra_params=None, description=None):
    """Run (or resume) a sweep and record it. The defaults are this module's sweep;
    other recorded sweeps (e.g. :mod:`rnnbook.experiments.copying_long`) pass their own
    ``name``, ``grid``, ``seeds``, ``settings`` and ``extra_params`` (added to the
    provenance)."""
    ap = argparse.ArgumentParser(description=description or __doc__.split("\n")[0])
    ap.add_argument("--record", action="store_true",
                    help="run (or resume) the sweep and record the results")
    ap.add_argument("--record-partial", action="store_true",
                    help="record the runs finished so far without running more")
    ap.add_argument("--quick", action="store_true", help="tiny grid (tests)")
    ap.add_argument("--partial", action="append", default=None,
                    help="partial results file (JSON lines; the first is written, all "
                         "are read; repeat for shards)")
    ap.add_argument("--shard", default="0/1",
                    help="i/n: run only the planned runs with index = i mod n")
    ap.add_argument("--blocks", default=None,
                    help="comma-separated indices of GRID blocks to run (default: all)")
    ap.add_argument("--out", default=None, help="directory of the recorded JSON")
    args = ap.parse_args(argv)
    if not (args.record or args.record_partial or args.quick):
        ap.error("nothing to do: pass --record (this writes package data on purpose)")
    if args.quick:
        grid, seeds = QUICK_GRID, (0,)
    partials = [Path(p) for p in (args.partial or [os.path.join(
        tempfile.gettempdir(), f"rnnbook-{name}{'-quick' if args.quick else ''}.partial.jsonl")])]
    partial = partials[0]
    shard, n_shards = (int(v) for v in args.shard.split("/"))
    out_dir = args.out or (tempfile.mkdtemp() if args.quick else None)
    plan = planned_runs(grid, seeds, seed_major)
    blocks = None if args.blocks is None else {int(b) for b in args.blocks.split(",")}
    in_block = [b for b, (tasks, lengths, configs, _) in enumerate(grid)
                for _t in tasks for _L in lengths for _c in configs for _s in seeds]
    done = {}
    for p in partials:
        done.update(read_partial(p))
    t0 = time.perf_counter()
    if not args.record_partial:
        if partial.exists() and partial.read_text()[-1:] not in ("", "\n"):
            with partial.open("a") as fh:          # a torn last line: start a new one
                fh.write("\n")
        with partial.open("a") as fh:
            for i, (task, T, cell, init, seed, cap) in enumerate(plan):
                if (task, T, cell, init, seed) in done or i % n_shards != shard:
                    continue
                if blocks is not None and in_block[i] not in blocks:
                    continue
                r = one_run(task, T, cell, init, seed, cap, settings)
                done[run_key(r)] = r
                fh.write(json.dumps(r) + "\n")
                fh.flush()
                print(f"[{i + 1}/{len(plan)}] {task} T={T} {cell}/{init} seed {seed}: "
                      f"solved at {r['steps_to_solve']} (cap {cap}), final {r['final']:.2f}, "
                      f"{r['cpu_seconds']:.1f} CPU-s", flush=True)
    if (n_shards > 1 or blocks is not None) and not args.record_partial:
        print(f"shard {shard}/{n_shards} done; record all shards with --record-partial")
        return partial
    results = [done[p[:5]] for p in plan if p[:5] in done]
    missing = [list(p[:5]) for p in plan if p[:5] not in done]
    cpu = sum(r["cpu_seconds"] for r in results)
    params = dict(grid=[dict(tasks=list(t), lengths=list(L), configs=[list(c) for c in C],
                             caps=caps) for t, L, C, caps in grid],
                  settings=settings, solved_at=lr.SOLVED_AT, chance=lr.CHANCE,
                  complete=not missing, missing=missing, total_cpu_seconds=round(cpu, 1),
                  order="blocks in order of priority; see GRID in the module"
                  + ("; seeds interleaved (seed_major)" if seed_major else ""),
                  **(extra_params or {}))
    cmd = f"python -m rnnbook.experiments.{name} " + (
        "--quick" if args.quick else "--record")
    path = record(name, results, command=cmd, seeds=seeds, params=params,
                  seconds=time.perf_counter() - t0, directory=out_dir)
    print(f"recorded {len(results)} of {len(plan)} runs ({cpu:.0f} CPU-s) to {path}"
          + ("" if not missing else f"; {len(missing)} runs missing"))
    return path


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
