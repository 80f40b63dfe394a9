"""The author-year bibliography styles of chapters/_ext/author_year_bib.py, on the
book's own .bib files (fast; the rendered page is checked in tests/test_book.py)."""
import re
import sys
from pathlib import Path

import pybtex.plugin
import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "chapters" / "_ext"))
author_year_bib = pytest.importorskip("author_year_bib")


@pytest.fixture(scope="module")
def labelled():
    entries = {}
    for bib in sorted((ROOT / "bib").glob("*.bib")):
        entries.update(parse_file(str(bib)).entries)
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "author_year")()
    ordered = list(style.sort(entries.values()))
    return {e.key: label for e, label in zip(ordered, style.format_labels(ordered))}, ordered


def test_labels_are_author_year_and_unique(labelled):
    labels, _ = labelled
    assert labels["hochreiter1997long"] == "Hochreiter and Schmidhuber, 1997"
    assert labels["elman1990finding"] == "Elman, 1990"
    assert labels["bengio1994learning"] == "Bengio et al., 1994"
    assert len(set(labels.values())) == len(labels)
    bad = [lab for lab in labels.values() if not re.fullmatch(r"\S.*, (\d{4}|n\.d\.)[a-z]?", lab)]
    assert not bad


def test_same_authors_and_year_get_a_b_suffixes(labelled):
    labels, _ = labelled
    pair = sorted([labels["karpathy2015minchar"], labels["karpathy2015unreasonable"]])
    assert pair == ["Karpathy, 2015a", "Karpathy, 2015b"]


def test_sorted_by_first_author(labelled):
    labels, ordered = labelled
    first = [re.split(r" and | et al\.|, (?=\d{4}|n\.d\.)", labels[e.key])[0].casefold()
             for e in ordered]
    assert first == sorted(first)


def test_text_year_carries_the_label_suffix():
    from types import SimpleNamespace
    from pybtex.database import Entry
    entry = Entry("misc", fields={"year": "2015", "title": "x"})
    data = {"entry": entry, "formatted_entry": SimpleNamespace(label="Karpathy, 2015b")}
    assert str(author_year_bib.year_with_suffix.format_data(data)) == "2015b"
    data["formatted_entry"] = SimpleNamespace(label="Elman, 1990")
    assert str(author_year_bib.year_with_suffix.format_data(data)) == "2015"


def test_citations_use_round_brackets_and_semicolons():
    style = author_year_bib.AuthorYearSuffixReferenceStyle()
    assert (style.bracket_textual.left, style.bracket_textual.right) == ("(", ")")
    assert (style.bracket_parenthetical.left, style.bracket_parenthetical.sep) == ("(", "; ")
    assert {"p", "t"} <= set(style.role_names())
