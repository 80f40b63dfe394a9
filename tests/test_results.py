"""Recorded results: round trip, provenance, clear errors."""
import json

import numpy as np
import pytest

from rnnbook.experiments import load, record, recorded_names


def test_record_and_load_round_trip_with_provenance(tmp_path):
    runs = [{"seed": np.int64(0), "loss": np.float64(0.25), "curve": np.array([1.0, 0.5])},
            {"seed": 1, "loss": float("nan"), "curve": []}]
    path = record("demo", runs, command="python -m x --record", seeds=[0, 1],
                  params={"T": (10, 20)}, seconds=3.14159, directory=tmp_path)
    rec = load("demo", directory=tmp_path)
    assert rec.name == "demo"
    assert rec.results[0] == {"seed": 0, "loss": 0.25, "curve": [1.0, 0.5]}
    assert rec.results[1]["loss"] is None          # NaN is written as null, never invalid JSON
    p = rec.provenance
    assert p["command"] == "python -m x --record" and p["seeds"] == [0, 1]
    assert p["params"] == {"T": [10, 20]} and p["seconds"] == 3.1
    for key in ("package_version", "date", "python", "numpy", "platform"):
        assert p[key]
    assert json.loads(path.read_text())["name"] == "demo"
    assert recorded_names(tmp_path) == ["demo"]


def test_missing_file_names_the_command(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"python -m rnnbook.experiments.nothing --record"):
        load("nothing", directory=tmp_path)


@pytest.mark.parametrize("bad", ["", "Upper", "../x", "a b", 3])
def test_bad_names_are_rejected(bad, tmp_path):
    with pytest.raises(ValueError, match="name"):
        record(bad, [], command="c", seeds=[], directory=tmp_path)


def test_bad_results_and_command_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="results"):
        record("x", {"a": 1}, command="c", seeds=[], directory=tmp_path)
    with pytest.raises(ValueError, match="command"):
        record("x", [], command=" ", seeds=[], directory=tmp_path)


def test_corrupted_file_gets_one_clear_message(tmp_path):
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load("bad", directory=tmp_path)


def test_seed_parser_defaults_to_the_recorded_seeds():
    from rnnbook.experiments.results import seed_parser
    ap = seed_parser("a sweep", (0, 1, 2))
    args = ap.parse_args([])
    assert args.seeds == [0, 1, 2] and args.record is False
    args = ap.parse_args(["--record", "--seeds", "4"])
    assert args.seeds == [4] and args.record is True


def test_seed_args_refuses_a_recording_with_other_lists(capsys):
    from rnnbook.experiments.results import seed_args
    args = seed_args(["--seeds", "1", "--checkpoints", "5"], "a sweep", (0, 1), checkpoints=(0, 10))
    assert args.seeds == [1] and args.checkpoints == [5] and not args.record
    assert seed_args(["--record"], "a sweep", (0, 1), checkpoints=(0, 10)).checkpoints == [0, 10]
    for argv in (["--record", "--seeds", "1"], ["--record", "--checkpoints", "5"]):
        with pytest.raises(SystemExit):
            seed_args(argv, "a sweep", (0, 1), checkpoints=(0, 10))
        assert "--record uses the default seeds and checkpoints" in capsys.readouterr().err
