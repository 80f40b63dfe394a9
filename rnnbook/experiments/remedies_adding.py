"""Chapter 07's sweeps: the remedies on the adding problem, over seeds.

Three experiments (one dict per run, field ``experiment``), recorded in two files by
``python -m rnnbook.experiments.clipping_leak`` (clipping and leak) and
``python -m rnnbook.experiments.remedies_sweep`` (the sweep over T):

* ``"clipping"``: IRNN (ReLU, W_hh = I) trained with SGD + momentum 0.9, learning rate
  0.05, T = 20, with and without clipping the global gradient norm at 1, for 200 and
  for 2000 updates;
* ``"leak"``: leaky tanh units, orthogonal W_hh, T = 20, 200 Adam updates, for several
  leaks alpha;
* ``"sweep"``: every variant of :data:`rnnbook.remedies.VARIANTS` for
  T in {10, 25, 50, 100, 200}, 1000 Adam updates (learning rate 0.01, H = 16, batch 32).

Every run records its seed, success rate and test MSE on 1000 fresh sequences, whether
it diverged, the constant predictor's success on the same test set and the CPU seconds
it took. Runs are independent and deterministic, so ``--jobs`` runs them in parallel
processes without changing any result.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from ..remedies import VARIANTS, train_adding
from .results import record

NAME = "remedies_adding"
SEEDS = (0, 1, 2, 3, 4)
CLIP = dict(T=20, activation="relu", scheme="identity", optimizer="sgd", lr=0.05)
CLIP_STEPS = (200, 2000)
LEAK = dict(T=20, cell="leaky", scheme="orthogonal", steps=200)
ALPHAS = (0.0, 0.5, 0.9, 0.95)
SWEEP_TS = (10, 25, 50, 100, 200)
SWEEP_STEPS = 1000


def _run(experiment, seed, extra, kw):
    t0 = time.process_time()
    r = train_adding(seed=seed, **kw)
    gn = np.asarray(r["grad_norm"], dtype=float)
    out = {"experiment": experiment, "seed": seed,
           "success": r["success"], "test_mse": r["test_mse"], "diverged": r["diverged"],
           "baseline_success": r["baseline_success"], "baseline_mse": r["baseline_mse"],
           "max_grad_norm": float(np.nanmax(gn)) if np.isfinite(gn).any() else None,
           "cpu_seconds": round(time.process_time() - t0, 3)}
    out.update(extra)
    return out


def clipping_specs(seeds=SEEDS, steps=CLIP_STEPS):
    """IRNN with SGD, with and without clipping at 1."""
    return [("clipping", s, {"clip": clip, "steps": n}, dict(CLIP, steps=n, clip=clip))
            for n in steps for clip in (None, 1.0) for s in seeds]


def leak_specs(seeds=SEEDS, alphas=ALPHAS):
    """Leaky tanh units at T = 20 for several leaks."""
    return [("leak", s, {"alpha": a, "T": LEAK["T"], "steps": LEAK["steps"]}, dict(LEAK, alpha=a))
            for a in alphas for s in seeds]


def sweep_specs(seeds=SEEDS, Ts=SWEEP_TS, steps=SWEEP_STEPS, variants=None):
    """Every remedy of ``rnnbook.remedies.VARIANTS`` over sequence lengths (the longest first, then
    the shortest ones, so that an interrupted sweep has both ends of the range)."""
    order = [max(Ts)] + [T for T in sorted(Ts) if T != max(Ts)]
    return [("sweep", s, {"variant": name, "T": T, "steps": steps}, dict(kw, T=T, steps=steps))
            for T in order for name, kw in (variants or VARIANTS).items() for s in seeds]


def run_specs(specs, jobs=1, partial=None):
    """Run (experiment, seed, extra, kwargs) specs, in ``jobs`` processes. With
    ``partial`` (a path), every finished run is appended to that JSON-lines file and runs
    already in it are not repeated, so an interrupted sweep resumes where it stopped."""
    import json
    done = []
    if partial is not None:
        try:
            with open(partial) as f:
                done = [json.loads(line) for line in f if line.strip()]
        except FileNotFoundError:
            pass
    key = lambda r: (r["experiment"], r["seed"], r.get("clip"), r.get("steps"),
                     r.get("alpha"), r.get("T"), r.get("variant"))
    have = {key(r) for r in done}
    todo = [sp for sp in specs if key({"experiment": sp[0], "seed": sp[1], **sp[2]}) not in have]

    def keep(r):
        if partial is not None:
            with open(partial, "a") as f:
                f.write(json.dumps(r) + "\n")
        print(r["experiment"], r.get("variant", ""), r.get("T", ""), r["seed"],
              f"success {r['success']:.2f} ({r['cpu_seconds']:.1f} s)", flush=True)
        return r
    if jobs <= 1:
        new = [keep(_run(*sp)) for sp in todo]
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed
        with ProcessPoolExecutor(jobs) as ex:
            new = [keep(f.result()) for f in as_completed([ex.submit(_run, *sp) for sp in todo])]
    by_key = {key(r): r for r in done + new}
    return [by_key[key({"experiment": sp[0], "seed": sp[1], **sp[2]})] for sp in specs
            if key({"experiment": sp[0], "seed": sp[1], **sp[2]}) in by_key]


def main(name, specs, params, argv=None):
    ap = argparse.ArgumentParser(description=f"record {name}")
    ap.add_argument("--record", action="store_true", help="write the results file")
    ap.add_argument("--jobs", type=int, default=1, help="parallel processes")
    ap.add_argument("--partial", default=None,
                    help="JSON-lines file of finished runs (resume an interrupted sweep)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = run_specs(specs, args.jobs, args.partial)
    if args.record:
        if len(results) != len(specs):
            raise SystemExit(f"{len(specs) - len(results)} runs missing; not recorded")
        path = record(name, results, command=f"python -m rnnbook.experiments.{name} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0, params=params)
        print("recorded", path)
