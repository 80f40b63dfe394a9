"""Sphinx extension: an author-year bibliography to match the author-year citations.

sphinxcontrib-bibtex's ``author_year`` reference style writes "Hochreiter and
Schmidhuber (1997)" in the text, but the pybtex formatting styles label the
bibliography's entries [1], [2], ... (``plain``) or [HS97] (``alpha``). This extension
registers, through the plugin mechanism both packages document:

* the pybtex label style ``author_year``: "Hochreiter and Schmidhuber, 1997",
  "Bengio et al., 1994", with a, b, ... after the year when two cited works share
  authors and year ("Tallec and Ollivier, 2018a");
* the pybtex sorting style ``author_year_title``-like ``author_title_year``: by the
  authors' last names, then year, then title; unsigned works sort by their title;
* the pybtex formatting style ``author_year`` (``plain``'s entry layout with the two
  styles above), named by ``bibtex_default_style``;
* the sphinxcontrib-bibtex reference style ``author_year_suffix``: ``author_year``
  whose year carries the same a/b suffix as the entry's label, in round brackets
  ("Elman (1990)", "(Jordan, 1986; Elman, 1990)"), named by ``bibtex_reference_style``.
"""
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import node
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference, year

NO_YEAR = "n.d."
_SUFFIX = re.compile(r"(?:\d{4}|n\.d\.)([a-z])$")


def _plain(rich_parts):
    """LaTeX-ish name parts ("Merri{\\"e}nboer") as plain text ("Merriënboer")."""
    return " ".join(part.render_as("text") for part in rich_parts)


def _surname(person):
    return _plain(person.rich_prelast_names + person.rich_last_names)


def _persons(entry):
    return entry.persons.get("author") or entry.persons.get("editor") or []


def author_part(entry):
    """The citation's author part as the text prints it: "Elman", "Hochreiter and
    Schmidhuber", "Bengio et al."; the title for an unsigned work."""
    persons = _persons(entry)
    if not persons:
        return Text.from_latex(entry.fields.get("title", entry.key)).render_as("text")
    names = [_surname(p) for p in persons]
    if len(names) == 1:
        return names[0]
    if len(names) == 2 and names[1] != "others":
        return f"{names[0]} and {names[1]}"
    return f"{names[0]} et al."


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Author, year" with a, b, ... for works sharing authors and year."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        bases = [f"{author_part(e)}, {e.fields.get('year', NO_YEAR)}" for e in entries]
        counts = Counter(bases)
        seen = defaultdict(int)
        for base in bases:
            if counts[base] == 1:
                yield base
            else:
                yield base + "abcdefghijklmnopqrstuvwxyz"[seen[base]]
                seen[base] += 1


class AuthorTitleYearSortingStyle(BaseSortingStyle):
    """By authors' (or editors') last and first names, year, title; an unsigned work
    by its title, so it sits where a reader looking up its in-text citation looks."""

    def sorting_key(self, entry):
        persons = _persons(entry)
        if persons:
            who = "   ".join(
                f"{_surname(p)}  {_plain(p.rich_first_names + p.rich_middle_names)}"
                for p in persons).lower()
        else:
            who = author_part(entry).lower()
        return (who, entry.fields.get("year", ""), entry.fields.get("title", "").lower())


class AuthorYearStyle(PlainStyle):
    """pybtex's ``plain`` entries, author-year labels, sorted by author."""

    default_label_style = "author_year"
    default_sorting_style = "author_title_year"


@node
def year_with_suffix(children, data):
    """The entry's year with the a/b suffix its bibliography label carries."""
    assert not children
    text = year.format_data(data)
    match = _SUFFIX.search(data["formatted_entry"].label)
    return Text(text, match.group(1)) if match else text


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name):
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
            pre_text,
            reference[join(sep=self.author_year_sep)[
                self.person.author_or_editor_or_title(full="s" in role_name),
                year_with_suffix]],
            post_text,
        ]


@dataclass
class _Textual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name):
        return join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[
                    pre_text, reference[year_with_suffix], post_text],
                self.bracket.right,
            ],
        ]


@dataclass
class _Year(ExtraYearReferenceStyle):
    def inner(self, role_name):
        return reference[year_with_suffix]


def _round(sep=", "):
    return lambda: BracketStyle(left="(", right=")", sep=sep)


@dataclass
class AuthorYearSuffixReferenceStyle(AuthorYearReferenceStyle):
    """``author_year`` with "2018a"/"2018b" where two works share authors and year, and
    a textbook's round brackets: "Elman (1990)", "(Jordan, 1986; Elman, 1990)"."""

    bracket_textual: BracketStyle = field(default_factory=_round())
    bracket_parenthetical: BracketStyle = field(default_factory=_round("; "))
    bracket_author: BracketStyle = field(default_factory=_round())
    bracket_label: BracketStyle = field(default_factory=_round("; "))
    bracket_year: BracketStyle = field(default_factory=_round("; "))

    def __post_init__(self):
        self.styles.extend([
            _Parenthetical(bracket=self.bracket_parenthetical, person=self.person,
                           author_year_sep=self.author_year_sep,
                           pre_text_sep=self.pre_text_sep,
                           post_text_sep=self.post_text_sep),
            _Textual(bracket=self.bracket_textual, person=self.person,
                     text_reference_sep=self.text_reference_sep,
                     pre_text_sep=self.pre_text_sep, post_text_sep=self.post_text_sep),
            ExtraAuthorReferenceStyle(bracket=self.bracket_author, person=self.person),
            ExtraLabelReferenceStyle(bracket=self.bracket_label),
            _Year(bracket=self.bracket_year),
            ExtraEmptyReferenceStyle(),
        ])
        # GroupReferenceStyle's own __post_init__ maps role names to the styles.
        super(AuthorYearReferenceStyle, self).__post_init__()


pybtex.plugin.register_plugin("pybtex.style.labels", "author_year", AuthorYearLabelStyle)
pybtex.plugin.register_plugin("pybtex.style.sorting", "author_title_year",
                              AuthorTitleYearSortingStyle)
pybtex.plugin.register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
register_plugin("sphinxcontrib.bibtex.style.referencing", "author_year_suffix",
                AuthorYearSuffixReferenceStyle)


def setup(app):
    return {"parallel_read_safe": True, "parallel_write_safe": True}
