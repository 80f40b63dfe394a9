"""The recorded learning curves of chapter 12's taggers, and its reversal runs, match the
code and the table they extend: the grid is the module's grid, the accuracy at 400
updates is exactly the one recorded in seq_tasks.json (same seeds, same data stream),
and a short run redone now gives the recorded numbers."""
import numpy as np
import pytest

from rnnbook.experiments import load
from rnnbook.experiments import seq_tasks as E
from rnnbook.experiments import tagging_curves as C


def test_grid_and_provenance():
    rec = load("tagging_curves")
    assert rec.provenance["seeds"] == list(E.SEEDS)
    assert rec.provenance["params"]["checkpoints"] == list(C.CHECKPOINTS)
    keys = {(r["task"], r["layers"], r["bidirectional"], r["seed"]) for r in rec.results}
    assert keys == {(k, la, b, s) for k in E.RECORDED_TASKS for la, b in E.MODELS
                    for s in E.SEEDS}
    for r in rec.results:
        assert r["updates"] == list(C.CHECKPOINTS)
        assert len(r["accuracy"]) == len(r["cpu_seconds"]) == len(C.CHECKPOINTS)
        assert r["cpu_seconds"][0] == 0 and np.all(np.diff(r["cpu_seconds"]) >= 0)


def test_accuracy_at_400_updates_is_the_recorded_table():
    curves = load("tagging_curves").results
    table = {(r["task"], r["layers"], r["bidirectional"], r["seed"]): r["accuracy"]
             for r in load("seq_tasks").results if r["experiment"] == "tagging"}
    i = list(C.CHECKPOINTS).index(E.TAG_STEPS)
    for r in curves:
        assert r["accuracy"][i] == table[r["task"], r["layers"], r["bidirectional"], r["seed"]]


def test_one_short_run_redone():
    rec = load("tagging_curves")
    old = next(r for r in rec.results if r["task"] == "sum" and r["layers"] == 1
               and not r["bidirectional"] and r["seed"] == 0)
    redo = C.curve_run("sum", 1, False, 0, checkpoints=C.CHECKPOINTS[:3])
    assert redo["accuracy"] == old["accuracy"][:3]


def test_curve_equals_separate_runs_and_validates_checkpoints():
    acc, cpu = E.tagging_curve("next", 1, True, (0, 5, 10), seed=3)
    assert acc[2] == E.tagging_accuracy("next", 1, True, 10, seed=3)
    assert acc[0] == E.tagging_curve("next", 1, True, (0,), seed=3)[0][0]
    assert cpu[0] == 0.0 and cpu[2] >= cpu[1] > 0
    for bad in ((), (5, 5), (10, 5), (-1, 3)):
        with pytest.raises(ValueError, match="checkpoints"):
            E.tagging_curve("next", 1, False, bad)


def test_reversal_runs_grid_and_one_run_redone():
    rec = load("seq_tasks")
    rev = [r for r in rec.results if r["experiment"] == "reverse"]
    assert {(r["L"], r["seed"]) for r in rev} == {(L, s) for L in E.REV_LENGTHS for s in E.SEEDS}
    assert all(r["updates"] == E.REV_STEPS and len(r["per_position"]) == r["L"] for r in rev)
    old = next(r for r in rev if r["L"] == 3 and r["seed"] == 0)
    _, _, per_pos, whole = E.train_reverser(3, E.REV_STEPS, seed=0)
    assert whole == old["sequences_correct"]
    np.testing.assert_allclose(per_pos, old["per_position"], rtol=0, atol=0)
