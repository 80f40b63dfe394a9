"""The recorded language-model results are complete and consistent with their own
protocol (these tests read the JSON files; they do not rerun the experiments)."""
import numpy as np
import pytest

from rnnbook.experiments.results import load
from rnnbook.experiments.shakespeare_cells import best_rates
from rnnbook.lm import lm_hidden_for_budget, lm_param_count


def test_cell_comparison_protocol():
    rec = load("shakespeare_cells")
    p = rec.provenance["params"]
    assert rec.provenance["command"] == "python -m rnnbook.experiments.shakespeare_cells --record"
    grid = [r for r in rec.results if r["kind"] == "grid"]
    runs = [r for r in rec.results if r["kind"] == "run"]
    for cell in ("rnn", "lstm", "gru"):
        H = lm_hidden_for_budget(cell, p["V"], p["budget"])
        assert p["hidden"][cell] == H and lm_param_count(cell, p["V"], H) <= p["budget"]
        rows = [g for g in grid if g["cell"] == cell]
        assert sorted({g["lr"] for g in rows}) == sorted(p["lr_grid"])
        mine = [r for r in runs if r["cell"] == cell]
        assert sorted(r["seed"] for r in mine) == sorted(rec.provenance["seeds"])
        assert len(rec.provenance["seeds"]) >= 5
        for r in mine:
            assert r["lr"] == p["best_lr"][cell] and r["H"] == H
            assert r["updates"][-1] == p["updates"]
            assert np.all(np.diff(r["cpu_seconds"]) > 0)
            assert 0 < r["final_test_bpc"] < np.log2(p["V"])


def test_speed_record_has_every_configuration():
    rec = load("charlm_speed")
    p = rec.provenance["params"]
    impls = {(r["impl"], r["N"], r["dtype"]) for r in rec.results if r["kind"] == "rate"}
    for N in p["rows"]:
        assert ("rnnbook", N, "float64") in impls and ("rnnbook", N, "float32") in impls
    assert ("min-char-rnn", None, "float64") in impls
    reach = [r for r in rec.results if r["kind"] == "to_target"]
    assert len(reach) == 1 and reach[0]["book_bpc"] <= reach[0]["target_bpc"]
    assert reach[0]["book_cpu_s"] < reach[0]["baseline_cpu_s"]


def test_every_chosen_learning_rate_lies_inside_its_grid():
    p = load("shakespeare_cells").provenance["params"]
    for cell, lr in p["best_lr"].items():
        assert min(p["lr_grid"]) < lr < max(p["lr_grid"]), cell


def test_speed_record_gives_the_baseline_a_full_minute():
    rec = load("charlm_speed")
    reach = next(r for r in rec.results if r["kind"] == "to_target")
    assert reach["baseline_cpu_s"] >= 60 and rec.provenance["params"]["budget"] >= 60
    assert len(rec.provenance["params"]["loadavg_start"]) == 3


def test_grid_has_five_seeds_per_rate_and_chooses_by_the_median():
    rec = load("shakespeare_cells")
    p = rec.provenance["params"]
    grid = [r for r in rec.results if r["kind"] == "grid"]
    assert len(p["grid_seeds"]) >= 5
    for cell in ("rnn", "lstm", "gru"):
        for lr in p["lr_grid"]:
            seeds = sorted(g["seed"] for g in grid if g["cell"] == cell and g["lr"] == lr)
            assert seeds == p["grid_seeds"], (cell, lr)
    assert best_rates(grid) == p["best_lr"]


def test_best_rates_uses_the_median_and_counts_divergence_as_worst():
    grid = [{"cell": "rnn", "lr": lr, "seed": s, "valid_bpc": v}
            for lr, vs in ((0.01, (3.0, 3.0, 3.0)), (0.02, (2.0, 2.9, 9.0)),
                           (0.05, (1.0, None, None))) for s, v in enumerate(vs)]
    assert best_rates(grid) == {"rnn": 0.02}       # best median, though not the best mean


def test_one_grid_run_redone():
    from rnnbook.experiments import shakespeare_cells as S
    from rnnbook.shakespeare import shakespeare_split
    from rnnbook.text import tbptt_batches
    rec = load("shakespeare_cells")
    old = next(g for g in rec.results if g["kind"] == "grid" and g["cell"] == "rnn"
               and g["lr"] == 0.005 and g["seed"] == 1)
    split = shakespeare_split()
    xs, ys = tbptt_batches(split.vocab.encode(split.train), S.N, S.T)
    data = {"V": split.vocab.V, "xs": xs, "ys": ys,
            "valid_ids": split.vocab.encode(split.valid)}
    H = rec.provenance["params"]["hidden"]["rnn"]
    r = S.run("rnn", H, 0.005, 1, rec.provenance["params"]["grid_updates"], data,
              log=lambda *a: None, every=rec.provenance["params"]["grid_updates"])
    assert r["valid_bpc"][-1] == old["valid_bpc"]
