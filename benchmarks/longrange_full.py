"""The full long-range sweep of chapter 10 (RNN vs LSTM vs GRU across T).

Runs :data:`rnnbook.longrange.FULL_GRID` with two seeds on one BLAS thread and writes
the results to ``rnnbook/explorers/_longrange_full.py`` (a generated data module read
by the chapter 10 explorer and results table). Takes tens of minutes.

Usage: ``OPENBLAS_NUM_THREADS=1 python benchmarks/longrange_full.py``
"""
import json
import os
import pprint
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from rnnbook.longrange import FULL_GRID, FULL_STEPS, results_table, sweep  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "rnnbook", "explorers",
                   "_longrange_full.py")


def main():
    t0 = time.time()
    seeds = (0, 1)

    def report(r):
        print(f"{r['task']:15s} T={r['T']:4d} {r['cell']:5s} seed={r['seed']} "
              f"solved={r['solved']} steps={r['steps_to_solve']} final={r['final']:.3f} "
              f"({r['seconds']:.0f} s)", flush=True)

    # each finished run is appended to a JSON-lines file, so an interrupted sweep resumes
    partial = OUT.replace(".py", ".partial.jsonl")
    done = []
    if os.path.exists(OUT):                      # an earlier complete run (smaller grid)
        scope = {}
        with open(OUT) as f:
            exec(f.read(), scope)
        done += scope.get("RESULTS", [])
    if os.path.exists(partial):
        with open(partial) as f:
            done += [json.loads(line) for line in f if line.strip()]

    def save(r):
        report(r)
        with open(partial, "a") as f:
            f.write(json.dumps(r) + "\n")

    t_done = sum(r["seconds"] for r in done)
    results = sweep(FULL_GRID, FULL_STEPS, seeds=seeds, callback=save, done=done)
    for r in results:
        r["curve"] = [round(v, 4) for v in r["curve"]]
        r["seconds"] = round(r["seconds"], 1)
    with open(OUT, "w") as f:
        f.write('"""Results of benchmarks/longrange_full.py (generated; do not edit).\n\n'
                f"FULL_GRID = {FULL_GRID!r}, FULL_STEPS = {FULL_STEPS!r}, seeds = {seeds!r},"
                " H = 16, batch 32, Adam lr 1e-2, clip 1.0.\n"
                f'Total time {time.time() - t0 + t_done:.0f} s of training on one BLAS thread.\n"""\n\n')
        f.write("RESULTS = " + pprint.pformat(results, width=100, compact=True) + "\n")
    os.remove(partial)
    for row in results_table(results):
        print(row)


if __name__ == "__main__":
    main()
