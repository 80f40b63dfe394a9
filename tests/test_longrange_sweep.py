"""rnnbook.experiments.longrange (criteria, normalised loss, ablation) and the recorded
sweep rnnbook.experiments.longrange_sweep (resumable, provenance, recorded grid)."""
import json

import numpy as np
import pytest

import rnnbook.longrange as old_home
from rnnbook.experiments import longrange as lr
from rnnbook.experiments import longrange_sweep as sw
from rnnbook.experiments.results import DATA, load
from rnnbook.models import init_params


def test_old_module_is_an_alias():
    assert old_home.run_task is lr.run_task and old_home.TASKS == lr.TASKS


def test_normalised_loss_of_the_baselines_is_one():
    rng = np.random.default_rng(0)
    _, y = lr.task_batch("adding", 500, 20, rng)
    assert lr.normalised_loss("adding", np.full((500, 1), 0.5), y, 20) == pytest.approx(1.0)
    _, y = lr.task_batch("temporal_order", 50, 20, rng)
    assert lr.normalised_loss("temporal_order", np.zeros((50, 4)), y, 20) == pytest.approx(1.0)
    # copying: blank (logit +inf-like) before the answer, uniform over 1..8 during it
    T = 15
    _, y = lr.task_batch("copying", 40, T, rng)
    out = np.full(y.shape + (9,), -50.0)
    out[:, :T + 10, 0] = 50.0
    out[:, T + 10:, 1:] = 0.0
    assert lr.normalised_loss("copying", out, y, T) == pytest.approx(1.0, rel=1e-9)


def test_copying_criterion():
    _, y = lr.task_batch("copying", 3, 5, np.random.default_rng(0))
    out = np.eye(9)[y] * 10
    assert lr.correct("copying", out, y).tolist() == [True] * 3
    out[0, -1] = np.roll(out[0, -1], 1)
    assert lr.correct("copying", out, y).tolist() == [False, True, True]


def test_ablate_gate_holds_the_gate_open():
    p = init_params("lstm", 3, 4, 1, np.random.default_rng(0), init="chrono", T_max=20)
    lr.ablate_gate(p, "f")
    assert not p["W_xh"][:, 4:8].any() and not p["W_hh"][:, 4:8].any()
    assert np.all(p["b"][4:8] == 30.0) and p["b"][:4].any()
    r = lr.run_task("delayed_recall", "lstm", 3, H=4, steps=5, eval_every=5, n_eval=16,
                    init="zeros", ablate="f")
    assert np.all(r["params"]["b"][4:8] == 30.0) and not r["params"]["W_hh"][:, 4:8].any()
    with pytest.raises(ValueError, match="^ablate"):
        lr.run_task("adding", "gru", 10, ablate="f")


def test_run_task_records_the_untrained_network_and_cpu_time():
    r = lr.run_task("copying", "gru", 3, steps=4, eval_every=2, n_eval=16, init="long")
    assert r["curve_steps"].tolist()[0] == 0 and len(r["nloss"]) == len(r["curve"])
    assert r["cpu_seconds"] > 0 and r["init"] == "long"


def test_sweep_resumes_and_records(tmp_path):
    partial = tmp_path / "p.jsonl"
    path = sw.main(["--quick", "--partial", str(partial), "--out", str(tmp_path)])
    rec = load("longrange_sweep", directory=tmp_path)
    plan = sw.planned_runs(sw.QUICK_GRID, (0,))
    assert [sw.run_key(r) for r in rec.results] == [p[:5] for p in plan]
    assert rec.provenance["params"]["complete"] and rec.provenance["seeds"] == [0]
    lines = partial.read_text().splitlines()
    assert len(lines) == len(plan)
    # a torn last line and a missing run: the restart runs only the missing one
    partial.write_text("\n".join(lines[:-1]) + "\n{\"task\": \"add")
    sw.main(["--quick", "--partial", str(partial), "--out", str(tmp_path)])
    assert len(sw.read_partial(partial)) == len(plan)
    again = load("longrange_sweep", directory=tmp_path).results
    assert [json.dumps(r, sort_keys=True) for r in again[:-1]] == \
           [json.dumps(r, sort_keys=True) for r in rec.results[:-1]]
    assert path.parent == tmp_path


def test_recorded_sweep_matches_the_code():
    """The recorded file is what the code's grid would run (or a labelled part of it)."""
    if not (DATA / "longrange_sweep.json").exists():
        pytest.fail("rnnbook/experiments/data/longrange_sweep.json is missing; produce it "
                    "with `python -m rnnbook.experiments.longrange_sweep --record`")
    rec = load("longrange_sweep")
    plan = [p[:5] for p in sw.planned_runs()]
    keys = [sw.run_key(r) for r in rec.results]
    assert keys == [p for p in plan if p in set(keys)]          # a subset, in plan order
    prm = rec.provenance["params"]
    assert prm["settings"] == sw.SETTINGS and rec.provenance["seeds"] == list(sw.SEEDS)
    assert prm["complete"] == (len(keys) == len(plan))
    assert [list(m) for m in prm["missing"]] == [list(p) for p in plan if p not in set(keys)]
    for r in rec.results:
        assert r["curve_steps"][0] == 0 and len(r["curve"]) == len(r["nloss"])
        assert r["solved"] == (r["steps_to_solve"] is not None)
        if r["solved"]:
            assert r["curve"][-1] >= lr.SOLVED_AT and r["steps_to_solve"] <= r["cap"]


def test_recorded_gate_ablation_matches_the_code():
    from rnnbook.experiments import gate_ablation as ga
    rec = load("gate_ablation")
    assert [(r["task"], r["ablate"], r["seed"]) for r in rec.results] == ga.planned_runs()
    assert rec.provenance["params"]["caps"] == ga.TASKS
    assert rec.provenance["params"]["settings"] == sw.SETTINGS
    for r in rec.results:
        assert r["solved"] == (r["steps_to_solve"] is not None) and r["T"] == ga.T


def test_recorded_copying_matches_the_code():
    """The paper-sized copying sweep: the recorded runs are the code's grid (or a labelled,
    seed-balanced part of it), with the code's settings and the untrained control."""
    from rnnbook.experiments import copying_long as cl
    rec = load("copying_long")
    plan = [p[:5] for p in cl.planned_runs()]
    keys = [sw.run_key(r) for r in rec.results]
    assert keys == [p for p in plan if p in set(keys)]
    prm = rec.provenance["params"]
    assert prm["settings"] == cl.SETTINGS and rec.provenance["seeds"] == list(cl.SEEDS)
    assert prm["complete"] == (len(keys) == len(plan))
    assert [list(m) for m in prm["missing"]] == [list(p) for p in plan if p not in set(keys)]
    assert [g["caps"] for g in prm["grid"]] == [{"copying": cl.CAP}]
    seeds = {init: {r["seed"] for r in rec.results if r["init"] == init} for _, init in cl.CONFIGS}
    assert len({frozenset(s) for s in seeds.values()}) == 1     # the same seeds for both
    for r in rec.results:
        assert r["curve_steps"][0] == 0 and r["H"] == cl.SETTINGS["H"]
        assert r["nloss"][0] > 5            # the untrained network: far above the baseline
        assert r["solved"] == (r["steps_to_solve"] is not None)
        assert r["cap"] == cl.CAP
        assert r["solved"] or r["curve_steps"][-1] == r["cap"]


def test_copying_grid_pairs_the_control_with_each_seed():
    """Chrono and its control run seed by seed with the same budget, so that an interrupted
    sweep has both initialisations for the same seeds; two shards run one each."""
    from rnnbook.experiments import copying_long as cl
    plan = cl.planned_runs()
    assert [(p[3], p[4]) for p in plan] == [(i, s) for s in cl.SEEDS for i in ("chrono", "forget1")]
    assert {p[5] for p in plan} == {cl.CAP}
    assert {p[3] for p in plan[0::2]} == {"chrono"} and {p[3] for p in plan[1::2]} == {"forget1"}


def test_copying_main_records_with_its_own_name(tmp_path):
    from rnnbook.experiments import copying_long as cl
    path = cl.main(["--quick", "--partial", str(tmp_path / "p.jsonl"), "--out", str(tmp_path)])
    assert path.name == "copying_long.json"
    rec = load("copying_long", directory=tmp_path)
    assert rec.provenance["command"] == "python -m rnnbook.experiments.copying_long --quick"
    assert rec.provenance["params"]["settings"] == cl.SETTINGS
    assert all(r["H"] == cl.SETTINGS["H"] for r in rec.results)
