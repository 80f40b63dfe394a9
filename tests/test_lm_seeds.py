"""Chapter 11's five-seed language-model runs (``lm_seeds.json``) match the module: the
file holds every seed of every experiment with its controls, and runs redone now give
the recorded numbers."""
import numpy as np

from rnnbook.experiments import load
from rnnbook.experiments import lm_seeds as M


def _rows(kind):
    return [r for r in load("lm_seeds").results if r["kind"] == kind]


def test_every_seed_of_every_experiment_is_recorded():
    rec = load("lm_seeds")
    assert rec.provenance["command"] == "python -m rnnbook.experiments.lm_seeds --record"
    assert rec.provenance["seeds"] == list(M.SEEDS)
    for kind in ("grammar", "bidirectional", "lookback"):
        assert [r["seed"] for r in _rows(kind)] == list(M.SEEDS), kind
        assert all(r["cpu_seconds"] > 0 for r in _rows(kind))
    for r in _rows("lookback"):
        for tag in ("trained", "untrained"):
            look = np.array(r[f"lookback_{tag}"])
            assert look.shape == (M.LOOKBACK["K"],) and look[0] == 1.0
            assert np.all(np.isfinite(look)) and np.all(look > 0)
    (c,) = _rows("controls")
    assert c["grammar_entropy_rate"] < c["grammar_unigram_bpc"]


def test_grammar_seed_redone():
    old = next(r for r in _rows("grammar") if r["seed"] == 2)
    assert M.grammar_run(2)["test_bpc"] == old["test_bpc"]


def test_bidirectional_seed_redone():
    old = next(r for r in _rows("bidirectional") if r["seed"] == 1)
    new = M.bidirectional_run(1)
    for k in ("bpc_future_visible", "bpc_as_generating", "bpc_causal_control"):
        assert new[k] == old[k], k


def test_untrained_control_redone():
    from rnnbook.lm import lm_init, lm_lookback
    from rnnbook.shakespeare import shakespeare_split
    split = shakespeare_split()
    old = next(r for r in _rows("lookback") if r["seed"] == 3)
    p0 = lm_init("rnn", split.vocab.V, M.LOOKBACK["H"], np.random.default_rng(3),
                 dtype=np.float32)
    look = lm_lookback({k: v.astype(np.float64) for k, v in p0.items()}, "rnn",
                       split.vocab.encode(split.valid), K=M.LOOKBACK["K"],
                       N=M.LOOKBACK["positions"], rng=np.random.default_rng(0))
    np.testing.assert_allclose(look / look[0], old["lookback_untrained"], rtol=1e-5)
    assert round(M.heading_r(p0, split.valid[:M.LOOKBACK["units_chars"]]), 4) == \
        old["heading_r_untrained"]


def test_unigram_bpc_is_the_cross_entropy_of_the_training_frequencies():
    train, test = np.array([0, 0, 1, 1]), np.array([0, 1, 1, 1])
    assert np.isclose(M.unigram_bpc(train, test, 2), 1.0)
