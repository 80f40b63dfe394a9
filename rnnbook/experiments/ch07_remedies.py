"""Chapter 07's recorded sweeps: the remedies on the adding problem, over seeds.

Three experiments, one results file ``ch07_remedies.json`` (one dict per run, field
``experiment``):

* ``"clipping"``: IRNN (ReLU, W_hh = I) trained with SGD + momentum 0.9, learning rate
  0.05, T = 20, with and without clipping the global gradient norm at 1, for 200 and
  for 2000 updates;
* ``"leak"``: leaky tanh units, orthogonal W_hh, T = 20, 200 Adam updates, for several
  leaks alpha;
* ``"sweep"``: every variant of :data:`rnnbook.remedies.VARIANTS` for
  T in {10, 25, 50, 100, 200}, 2000 Adam updates (learning rate 0.01, H = 16, batch 32).

Every run records its seed, success rate and test MSE on 1000 fresh sequences, whether
it diverged, the constant predictor's success on the same test set and the CPU seconds
it took. Run on purpose (about 30-60 CPU minutes)::

    python -m rnnbook.experiments.ch07_remedies --record
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from ..remedies import VARIANTS, train_adding
from .results import record

NAME = "ch07_remedies"
SEEDS = (0, 1, 2, 3, 4)
CLIP = dict(T=20, activation="relu", scheme="identity", optimizer="sgd", lr=0.05)
CLIP_STEPS = (200, 2000)
LEAK = dict(T=20, cell="leaky", scheme="orthogonal", steps=200)
ALPHAS = (0.0, 0.5, 0.9, 0.95)
SWEEP_TS = (10, 25, 50, 100, 200)
SWEEP_STEPS = 2000


def _run(experiment, seed, **kw):
    t0 = time.process_time()
    r = train_adding(seed=seed, **kw)
    gn = np.asarray(r["grad_norm"], dtype=float)
    return {"experiment": experiment, "seed": seed,
            "success": r["success"], "test_mse": r["test_mse"], "diverged": r["diverged"],
            "baseline_success": r["baseline_success"], "baseline_mse": r["baseline_mse"],
            "max_grad_norm": float(np.nanmax(gn)) if np.isfinite(gn).any() else None,
            "cpu_seconds": round(time.process_time() - t0, 3)}


def clipping_runs(seeds=SEEDS, steps=CLIP_STEPS):
    """IRNN with SGD, with and without clipping at 1."""
    out = []
    for n in steps:
        for clip in (None, 1.0):
            for s in seeds:
                r = _run("clipping", s, steps=n, clip=clip, **CLIP)
                r.update(clip=clip, steps=n)
                out.append(r)
    return out


def leak_runs(seeds=SEEDS, alphas=ALPHAS):
    """Leaky tanh units at T = 20 for several leaks."""
    out = []
    for a in alphas:
        for s in seeds:
            r = _run("leak", s, alpha=a, **LEAK)
            r.update(alpha=a, T=LEAK["T"], steps=LEAK["steps"])
            out.append(r)
    return out


def sweep_runs(seeds=SEEDS, Ts=SWEEP_TS, steps=SWEEP_STEPS, variants=None):
    """Every remedy of :data:`VARIANTS` over sequence lengths."""
    out = []
    for T in Ts:
        for name, kw in (variants or VARIANTS).items():
            for s in seeds:
                r = _run("sweep", s, T=T, steps=steps, **kw)
                r.update(variant=name, T=T, steps=steps)
                out.append(r)
                print(f"T={T:4d} {name:32s} seed {s}: success {r['success']:.2f} "
                      f"({r['cpu_seconds']:.1f} s)", flush=True)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write the results file")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    results = clipping_runs() + leak_runs() + sweep_runs()
    seconds = time.perf_counter() - t0
    if args.record:
        path = record(NAME, results, command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=seconds,
                      params={"clipping": CLIP | {"steps": list(CLIP_STEPS), "clip": [None, 1.0],
                                                  "H": 16, "batch": 32, "momentum": 0.9},
                              "leak": LEAK | {"alphas": list(ALPHAS), "optimizer": "adam",
                                              "lr": 0.01, "H": 16, "batch": 32},
                              "sweep": {"Ts": list(SWEEP_TS), "steps": SWEEP_STEPS,
                                        "variants": {k: v for k, v in VARIANTS.items()},
                                        "optimizer": "adam", "lr": 0.01, "H": 16,
                                        "batch": 32, "n_test": 1000}})
        print("recorded", path)


if __name__ == "__main__":
    main()
