"""Reach of the cell state of trained LSTMs: chapter 08's trained network, five seeds.

For each seed, one LSTM (H = 16, chrono initialisation) is trained on the adding
problem at T = 100 with the protocol of :func:`rnnbook.experiments.longrange.run_task`
(600 Adam updates at most, stopping when 95 % of 256 held-out sequences are correct,
tested every 25 updates). On one fixed adding sequence (``task_batch("adding", 1, 100,
default_rng(5))``) we measure, at that run's own initial parameters (the untrained
network: the control) and after training, the spectral norms ||d h_{T-1} / d c_k||_2
against the gap (:func:`rnnbook.memory.hidden_jacobian_norms`) and the number of units
whose forget gate has mean > 0.99 over the sequence.

Run on purpose (about one CPU minute, one process)::

    python -m rnnbook.experiments.lstm_trained_reach --record
"""
from __future__ import annotations

import time

import numpy as np

from ..lstm import lstm_forward
from ..memory import hidden_jacobian_norms
from .longrange import run_task, task_batch
from .results import record, seed_args

__all__ = ["SEEDS", "SETTINGS", "OPEN_AT", "reach_sequence", "measure", "initial_params",
           "reach_run"]

NAME = "lstm_trained_reach"
SEEDS = (0, 1, 2, 3, 4)
#: the training run of chapter 08 (seed added per run)
SETTINGS = dict(task="adding", cell="lstm", T=100, steps=600, init="chrono",
                eval_every=25, n_eval=256)
#: mean forget-gate value above which a unit counts as open
OPEN_AT = 0.99


def reach_sequence():
    """The fixed adding sequence of the measurement: (1, 100, 2) inputs."""
    x, _ = task_batch("adding", 1, SETTINGS["T"], np.random.default_rng(5))
    return x


def measure(params, x):
    """Reach and open forget gates of an LSTM on one sequence ``x`` (1, T, D).

    Returns a dict: ``gap`` (T,), ``c`` (T,) the norms ||d h_{T-1}/d c_k||_2
    (see :func:`rnnbook.memory.hidden_jacobian_norms`), and ``n_open`` the number of
    the H units whose forget gate averages more than :data:`OPEN_AT` over the sequence.
    """
    r = hidden_jacobian_norms("lstm", params, x[0])
    H = params["W_hh"].shape[0]
    _, cache = lstm_forward(x, None, params["W_xh"], params["W_hh"], params["b"])
    f = cache.gates[0, :, H:2 * H]
    return {"gap": r["gap"], "c": r["c"], "n_open": int((f.mean(axis=0) > OPEN_AT).sum())}


def initial_params(seed):
    """The parameters ``run_task`` starts from for ``seed`` (a run with 0 updates)."""
    return run_task(seed=seed, **{**SETTINGS, "steps": 0})["params"]


def reach_run(seed, steps=None):
    """Train one seed and measure before/after; a JSON-ready dict.

    ``steps`` overrides the update budget (default ``SETTINGS["steps"]``, the recording).
    """
    kw = dict(SETTINGS) if steps is None else {**SETTINGS, "steps": steps}
    x = reach_sequence()
    before = measure(initial_params(seed), x)
    run = run_task(seed=seed, **kw)
    after = measure(run["params"], x)
    return {"seed": seed, "steps": kw["steps"], "solved": run["solved"],
            "steps_to_solve": run["steps_to_solve"], "final": run["final"],
            "cpu_seconds": round(run["cpu_seconds"], 3),
            "gap": [int(g) for g in before["gap"]],
            "log10_c_init": [round(float(v), 6) for v in np.log10(before["c"])],
            "log10_c_trained": [round(float(v), 6) for v in np.log10(after["c"])],
            "n_open_init": before["n_open"], "n_open_trained": after["n_open"]}


def main(argv=None):
    args = seed_args(argv, __doc__.splitlines()[0], SEEDS)
    t0 = time.perf_counter()
    results = []
    for seed in args.seeds:
        r = reach_run(seed)
        results.append(r)
        print(seed, "solved", r["solved"], r["steps_to_solve"], f"cpu {r['cpu_seconds']:.1f}",
              "log10 reach at gap 10/50/100 before",
              [r["log10_c_init"][g - 1] for g in (10, 50, 100)], "after",
              [r["log10_c_trained"][g - 1] for g in (10, 50, 100)],
              "open", r["n_open_init"], r["n_open_trained"], flush=True)
    if args.record:
        path = record(NAME, results, command=f"python -m rnnbook.experiments.{NAME} --record",
                      seeds=SEEDS, seconds=time.perf_counter() - t0,
                      params={**SETTINGS, "H": 16, "batch": 32, "lr": 1e-2, "clip": 1.0,
                              "reach_sequence": "task_batch('adding', 1, 100, "
                                                "default_rng(5))", "open_at": OPEN_AT})
        print("recorded", path)


if __name__ == "__main__":
    main()
