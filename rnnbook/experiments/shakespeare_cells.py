"""RNN, LSTM and GRU language models on Shakespeare at equal parameter counts.

Usage::

    python -m rnnbook.experiments.shakespeare_cells            # run, print, record nothing
    python -m rnnbook.experiments.shakespeare_cells --record   # also write the JSON file

The three cells are independent: ``--cell lstm --part FILE`` runs one of them and
saves its part, ``--merge FILE ... --record`` writes the results file from the parts
(the same results as one sequential run, in a third of the wall-clock time on a
machine with free cores).

What it does (all numbers go to ``rnnbook/experiments/data/shakespeare_cells.json``):

1. **Equal parameter counts**: the budget is that of a vanilla RNN with H = 128 on
   the 83-character alphabet; the LSTM and the GRU get the largest H that fits
   (:func:`rnnbook.lm.lm_hidden_for_budget`).
2. **A learning rate per cell**: Adam with each learning rate of ``LR_GRID``, seeds
   ``GRID_SEEDS``, ``GRID_UPDATES`` updates; the rate with the lowest *median* (over the
   seeds) validation bits per character is kept for that cell (:func:`best_rates`).
3. **Seeds**: each cell with its rate, seeds ``SEEDS``, ``UPDATES`` updates of one
   (N, T) = (32, 25) chunk of the training plays (truncated BPTT, state carried,
   gradient clipped to global norm 5). Every ``EVERY`` updates: validation bpc on the
   first ``VALID_CHARS`` characters of the validation plays, and the process CPU
   seconds spent training so far (evaluation excluded). At the end: bpc on the first
   ``FINAL_VALID_CHARS`` characters of the validation plays and on the whole test plays.
4. **Samples** of seed 0 at a few points of training (temperature 0.8).

All three cells run the same general implementation (:mod:`rnnbook.cells` with one-hot
inputs, ``fused=False``), so the CPU-seconds axis compares cells, not code paths.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from ..lm import (lm_evaluate, lm_hidden_for_budget, lm_init, lm_loss_and_grads,
                  lm_param_count, lm_sample)
from ..optim import Adam, clip_by_global_norm
from ..shakespeare import shakespeare_split
from ..text import tbptt_batches
from .results import record

NAME = "shakespeare_cells"
CELL_NAMES = ("rnn", "lstm", "gru")
H_RNN, N, T, CLIP = 128, 32, 25, 5.0
LR_GRID = (2e-3, 5e-3, 1e-2, 2e-2, 5e-2, 0.1, 0.2)
GRID_UPDATES = 300
GRID_SEEDS = (0, 1, 2, 3, 4)
SEEDS = (0, 1, 2, 3, 4)
UPDATES, EVERY = 1000, 100
VALID_CHARS = 20_000
FINAL_VALID_CHARS = 60_000
SAMPLE_AT = (100, 300, 1000)
PRIME = "\n\n"


def best_rates(grid):
    """Each cell's chosen rate: the lowest median validation bpc over the grid's seeds.

    ``grid`` is a list of dicts with ``cell``, ``lr``, ``seed`` and ``valid_bpc`` (None
    for a run that diverged, counted as infinitely bad). Returns {cell: lr}.
    """
    scores = {}
    for g in grid:
        v = g["valid_bpc"]
        scores.setdefault((g["cell"], g["lr"]), []).append(np.inf if v is None else v)
    best = {}
    for (cell, lr), v in sorted(scores.items()):
        if cell not in best or np.median(v) < np.median(scores[(cell, best[cell])]):
            best[cell] = lr
    return best


def run(cell, H, lr, seed, updates, data, sample=False, final=False, log=print,
        every=None):
    """Train one model; return a dict of its curves (and samples / final scores).

    Validation bpc is measured every ``every`` updates (default ``EVERY``) and at the end;
    evaluation does not change the training run.
    """
    every = every or EVERY
    V = data["V"]
    params = lm_init(cell, V, H, np.random.default_rng(seed))
    opt = Adam(lr=lr)
    xs, ys = data["xs"], data["ys"]
    rng = np.random.default_rng(1000 + seed)
    state, cpu, losses = None, 0.0, []
    out = {"cell": cell, "H": H, "lr": lr, "seed": seed, "updates": [], "cpu_seconds": [],
           "valid_bpc": [], "train_bpc": [], "samples": []}
    for step in range(1, updates + 1):
        k = (step - 1) % len(xs)
        if k == 0:
            state = None
        t0 = time.process_time()
        loss, grads, state = lm_loss_and_grads(params, cell, xs[k], ys[k], state,
                                               fused=False)
        grads, _ = clip_by_global_norm(grads, CLIP)
        opt.step(params, grads)
        cpu += time.process_time() - t0
        losses.append(loss)
        if not np.isfinite(loss):
            break
        if step % every == 0 or step == updates:
            bpc = lm_evaluate(params, cell, data["valid_ids"][:VALID_CHARS]) / np.log(2)
            out["updates"].append(step)
            out["cpu_seconds"].append(round(cpu, 3))
            out["valid_bpc"].append(round(bpc, 4))
            out["train_bpc"].append(round(float(np.mean(losses[-every:])) / np.log(2), 4))
            log(f"  {cell} H={H} lr={lr:g} seed={seed} step {step}: valid {bpc:.3f} bpc, "
                f"{cpu:.1f} CPU s")
        if sample and step in SAMPLE_AT:
            ids = lm_sample(params, cell, data["prime"], 240, 0.8, rng)
            out["samples"].append({"updates": step, "text": data["decode"](ids)})
    if final:
        out["final_valid_bpc"] = round(lm_evaluate(
            params, cell, data["valid_ids"][:FINAL_VALID_CHARS]) / np.log(2), 4)
        out["final_test_bpc"] = round(lm_evaluate(params, cell, data["test_ids"])
                                      / np.log(2), 4)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the JSON results file")
    parser.add_argument("--quick", action="store_true", help="tiny budgets (smoke test)")
    parser.add_argument("--cell", choices=CELL_NAMES, help="run only this cell")
    parser.add_argument("--part", help="with --cell: save this cell's results (JSON) here")
    parser.add_argument("--merge", nargs="+", help="parts to merge instead of running")
    parser.add_argument("--grid-only", type=float, nargs="+", metavar="LR",
                        help="with --cell and --part: only run the grid at these rates")
    parser.add_argument("--lr", type=float,
                        help="with --cell and --part: skip the grid, train with this rate")
    parser.add_argument("--seeds", type=int, nargs="+", help="with --part: only these seeds")
    parser.add_argument("--grid-seeds", type=int, nargs="+",
                        help="with --grid-only and --part: only these grid seeds")
    args = parser.parse_args(argv)
    global UPDATES, GRID_UPDATES, EVERY, SEEDS, SAMPLE_AT, GRID_SEEDS
    if args.quick:
        UPDATES, GRID_UPDATES, EVERY, SEEDS, SAMPLE_AT = 40, 20, 20, (0, 1), (20, 40)
        GRID_SEEDS = (0, 1)
    started = time.time()
    if args.merge:
        parts = [json.loads(Path(f).read_text()) for f in args.merge]
        grid = [g for part in parts for g in part["grid"]]
        runs = [r for part in parts for r in part["runs"]]
        best = best_rates(grid)
        for r in runs:
            if r["lr"] != best[r["cell"]]:
                raise ValueError(f"the {r['cell']} runs used lr {r['lr']}, but the grid's best "
                                 f"rate is {best[r['cell']]}: rerun that cell")
        sizes = {c: h for part in parts for c, h in part["sizes"].items()}
        return _finish(args, grid, runs, best, sizes, parts[0]["V"], parts[0]["budget"],
                       max(p["seconds"] for p in parts), started, merged=len(parts))
    split = shakespeare_split()
    vocab = split.vocab
    xs, ys = tbptt_batches(vocab.encode(split.train), N, T)
    data = {"V": vocab.V, "xs": xs, "ys": ys, "valid_ids": vocab.encode(split.valid),
            "test_ids": vocab.encode(split.test), "prime": vocab.encode(PRIME),
            "decode": vocab.decode}
    budget = lm_param_count("rnn", vocab.V, H_RNN)
    sizes = {c: lm_hidden_for_budget(c, vocab.V, budget) for c in CELL_NAMES}
    print(f"V = {vocab.V}, budget {budget} parameters, H = {sizes}", flush=True)
    grid, best = [], {}
    cells = (args.cell,) if args.cell else CELL_NAMES
    for cell in cells:
        if args.lr:
            best[cell] = args.lr
            continue
        for seed in args.grid_seeds or GRID_SEEDS:
            for lr in args.grid_only or LR_GRID:
                r = run(cell, sizes[cell], lr, seed, GRID_UPDATES, data, every=GRID_UPDATES)
                grid.append({"cell": cell, "lr": lr, "seed": seed,
                             "valid_bpc": r["valid_bpc"][-1] if r["valid_bpc"] else None,
                             "cpu_seconds": r["cpu_seconds"][-1] if r["cpu_seconds"] else None})
        best[cell] = best_rates(grid)[cell]
        print(f"{cell}: best learning rate {best[cell]:g}", flush=True)
    runs = []
    for seed in (args.seeds or SEEDS) if not args.grid_only else ():
        for cell in cells:
            r = run(cell, sizes[cell], best[cell], seed, UPDATES, data,
                    sample=(seed == 0), final=True)
            r["params"] = lm_param_count(cell, vocab.V, sizes[cell])
            runs.append(r)
            print(f"{cell} seed {seed}: valid {r['final_valid_bpc']:.3f}, "
                  f"test {r['final_test_bpc']:.3f} bpc", flush=True)
    if args.part:
        Path(args.part).write_text(json.dumps(
            {"grid": grid, "runs": runs, "best": best, "sizes": {c: sizes[c] for c in cells},
             "V": vocab.V, "budget": budget, "seconds": time.time() - started}))
        return []
    return _finish(args, grid, runs, best, sizes, vocab.V, budget, time.time() - started,
                   started, split)


def _finish(args, grid, runs, best, sizes, V, budget, seconds, started, split=None,
            merged=0):
    split = split or shakespeare_split()
    order = {c: i for i, c in enumerate(CELL_NAMES)}
    grid = sorted(grid, key=lambda g: (order[g["cell"]], g["lr"], g["seed"]))
    runs = sorted(runs, key=lambda r: (r["seed"], order[r["cell"]]))
    results = [dict(kind="grid", **g) for g in grid] + [dict(kind="run", **r) for r in runs]
    if args.record:
        command = "python -m rnnbook.experiments.shakespeare_cells --record"
        params = {"H_rnn": H_RNN, "hidden": sizes, "budget": budget, "N": N, "T": T,
                  "clip": CLIP, "optimizer": "Adam", "lr_grid": sorted({g["lr"] for g in grid}),
                  "grid_updates": GRID_UPDATES, "grid_seeds": sorted({g["seed"] for g in grid}),
                  "grid_choice": "lowest median validation bpc over the grid seeds",
                  "best_lr": best,
                  "updates": UPDATES, "every": EVERY, "valid_chars": VALID_CHARS,
                  "final_valid_chars": FINAL_VALID_CHARS,
                  "sample_temperature": 0.8, "prime": PRIME, "V": V,
                  "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                  "valid_plays": list(split.valid_plays),
                  "test_plays": list(split.test_plays),
                  "implementation": "rnnbook.cells general path (one-hot input), float64",
                  "parts": (f"{merged} parallel parts (--cell/--seeds/--grid-only/--lr), "
                            "merged with --merge; seconds = the longest part")
                  if merged else "one sequential run"}
        path = record(NAME, results, command=command, seeds=SEEDS, params=params,
                      seconds=seconds)
        print("recorded", path)
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
