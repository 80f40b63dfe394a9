"""The recorded reach of chapter 08's five trained LSTMs: the file has the five seeds of
the module, its "at initialisation" curves are those of each run's own starting point,
and seed 0 trained again now gives the recorded numbers."""
import numpy as np

from rnnbook.experiments import load
from rnnbook.experiments import lstm_trained_reach as M


def test_recorded_seeds_and_shapes():
    rec = load("lstm_trained_reach")
    assert rec.provenance["seeds"] == list(M.SEEDS)
    assert [r["seed"] for r in rec.results] == list(M.SEEDS)
    for r in rec.results:
        assert r["gap"] == list(range(1, M.SETTINGS["T"] + 1))
        assert len(r["log10_c_init"]) == len(r["log10_c_trained"]) == M.SETTINGS["T"]
        assert np.all(np.isfinite(r["log10_c_init"] + r["log10_c_trained"]))
        assert 0 <= r["n_open_init"] <= 16 and 0 <= r["n_open_trained"] <= 16
        assert r["cpu_seconds"] > 0


def test_initial_curve_is_the_runs_starting_point():
    rec = load("lstm_trained_reach")
    r = next(q for q in rec.results if q["seed"] == 3)
    m = M.measure(M.initial_params(3), M.reach_sequence())
    np.testing.assert_allclose(np.log10(m["c"]), r["log10_c_init"], atol=1e-6)
    assert m["n_open"] == r["n_open_init"]
    # different seeds start from different points
    r0 = next(q for q in rec.results if q["seed"] == 0)
    assert r0["log10_c_init"] != r["log10_c_init"]


def test_seed_0_redone():
    old = next(q for q in load("lstm_trained_reach").results if q["seed"] == 0)
    new = M.reach_run(0)
    for k in ("solved", "steps_to_solve", "final", "n_open_init", "n_open_trained"):
        assert new[k] == old[k], k
    np.testing.assert_allclose(new["log10_c_trained"], old["log10_c_trained"], atol=1e-6)
    np.testing.assert_allclose(new["log10_c_init"], old["log10_c_init"], atol=1e-6)
