"""The recorded results of chapters 05, 07 and 12 match the code that produced them:
the grid in the file is the module's grid, and one cheap run, redone now, gives exactly
the recorded numbers (the runs are deterministic)."""
import numpy as np
import pytest

from rnnbook.experiments import load


def test_tbptt_recall_grid_and_one_run():
    from rnnbook.experiments import tbptt_recall as E
    rec = load("tbptt_recall")
    assert rec.provenance["seeds"] == list(E.SEEDS)
    assert {k: rec.provenance["params"][k] for k in E.CONFIG} == E.CONFIG
    with_d = {(r["method"], r["seed"]) for r in rec.results if r["distractors"]}
    assert with_d == {(m, s) for m in E.METHODS for s in E.SEEDS}
    blank = {(r["method"], r["seed"]) for r in rec.results if not r["distractors"]}
    assert blank == {(m, s) for m in E.BLANK_METHODS for s in E.SEEDS}
    for method in ("untrained", "TBPTT(n, n)"):
        redo = E.train_method(method, 0)
        old = next(r for r in rec.results if r["method"] == method and r["seed"] == 0
                   and r["distractors"])
        assert redo["accuracy"] == old["accuracy"] and redo["updates"] == old["updates"]
        np.testing.assert_allclose(redo["curve"], old["curve"], rtol=1e-9)


def test_tbptt_distractor_task():
    from rnnbook.experiments.tbptt_recall import distractor_recall_stream
    x, y, m = distractor_recall_stream(7, 4, 3, np.random.default_rng(0))
    assert x.shape == (7, 15, 6) and y.shape == m.shape == (7, 15)
    assert np.all(x[:, :, :4].sum(2)[:, [0, 1, 2, 3]] == 1)          # symbol every delay step
    assert np.all(x[:, [0, 5, 10], 4] == 1) and np.all(x[:, [4, 9, 14], 5] == 1)
    assert m.sum() == 21 and np.all(m[:, [4, 9, 14]])
    assert np.array_equal(y[:, 4], x[:, 0, :4].argmax(1))            # the stored symbol
    xb, _, _ = distractor_recall_stream(7, 4, 3, np.random.default_rng(0), distractors=False)
    assert np.all(xb[:, 1:4, :4] == 0)


@pytest.mark.parametrize("name", ["clipping_leak", "remedies_sweep"])
def test_remedies_grids_and_one_run(name):
    from rnnbook.experiments import remedies_adding as E
    rec = load(name)
    assert rec.provenance["seeds"] == list(E.SEEDS)
    specs = (E.clipping_specs() + E.leak_specs()) if name == "clipping_leak" else E.sweep_specs()
    key = lambda r: tuple(sorted((k, str(v)) for k, v in r.items()
                                 if k in ("experiment", "seed", "clip", "steps", "alpha", "T",
                                          "variant")))
    expected = sorted(key({"experiment": e, "seed": s, **extra}) for e, s, extra, _ in specs)
    assert sorted(key(r) for r in rec.results) == expected
    cheap = min(specs, key=lambda sp: sp[3].get("steps", 0) * sp[3].get("T", 20))
    redo = E._run(*cheap)
    old = next(r for r in rec.results if key(r) == key(redo))
    assert redo["success"] == old["success"] and redo["diverged"] == old["diverged"]
    if not old["diverged"]:
        assert abs(redo["test_mse"] - old["test_mse"]) <= 1e-12 * max(1.0, old["test_mse"])


def test_seq_tasks_ceiling_and_grid():
    from rnnbook.experiments import seq_tasks as E
    assert E.tag_ceiling("previous") == pytest.approx(11 / 12 + 1 / 60)
    assert E.tag_ceiling("next") == pytest.approx(11 / 12 + 1 / 60)
    assert E.tag_ceiling("sum") == pytest.approx(10 / 12 + 2 / 60)
    # the ceiling is the accuracy of the Bayes-optimal tagger, measured here by simulation
    x, y = E.tag_task("sum", 20000, np.random.default_rng(0))
    pred = (np.roll(x, 1, axis=1) + np.roll(x, -1, axis=1)) % E.S_TAG
    pred[:, [0, -1]] = 0                                           # unknowable: any guess
    assert abs(np.mean(pred == y) - E.tag_ceiling("sum")) < 0.01
    rec = load("seq_tasks")
    tags = {(r["task"], r["layers"], r["bidirectional"], r["seed"])
            for r in rec.results if r["experiment"] == "tagging"}
    assert tags == {(k, la, b, s) for k in E.RECORDED_TASKS for la, b in E.MODELS for s in E.SEEDS}


def test_teacher_forced_predictions_first_token_is_greedy():
    from rnnbook.experiments.seq_tasks import teacher_forced_predictions
    from rnnbook.seq2seq import reverse_task, seq2seq_greedy, seq2seq_init
    p = seq2seq_init("gru", 5, 6, np.random.default_rng(0))
    src, tgt = reverse_task(20, 4, 5, np.random.default_rng(1))
    greedy = seq2seq_greedy(p, "gru", src, 4)
    forced = teacher_forced_predictions(p, "gru", src, tgt)
    assert np.array_equal(forced[:, 0], greedy[:, 0])
    # feeding the greedy tokens as the "true" prefix reproduces greedy decoding exactly
    assert np.array_equal(teacher_forced_predictions(p, "gru", src, greedy), greedy)
