"""One notation for the whole book (see the preface): the known collisions stay fixed.

Each check scans the markdown (prose and mathematics) of every chapter, not the code:
- the output weights are W_hq with logits o_t; W_{hy} is not used for the output layer;
- the initial state is h_{-1}: no gradient "with respect to h_0" meant as the state
  before the sequence (\\partial h_0, dh_0 in mathematics);
- the LSTM output gate is omega_t, so "o_t = sigma(...)" never defines a gate;
- sources are cited with author and year, never as "seed 00N";
- cross-references to chapters are links ({doc}`04_bptt`), not plain "chapter 04".
"""
import re
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.md")) + \
    sorted((ROOT / "chapters").glob("appendix_*.md"))

COLLISIONS = {
    "output weights written W_{hy} (the book writes W_{hq})": r"W_\{hy\}",
    "gradient w.r.t. h_0 for the initial state (the book writes h_{-1})":
        r"\\partial\s*h_\{?0\}?(?![0-9])|\bdh_\{?0\}?(?![0-9])",
    "LSTM output gate written o_t (the book writes \\omega_t)":
        r"o_(?:t|\{t\})\s*&?=\s*\\sigma",
    "a source cited as 'seed 00N'": r"(?i)\bseeds?\s*0\d\d",
    "a plain-text chapter reference (use {doc}`NN_name`)": r"(?<![`/_\w])[Cc]hapters?\s+\d\d\b",
}


def _markdown(md):
    """The markdown cells of a chapter, without its code cells, and with `code` spans
    and link targets removed (they may legitimately name files or code)."""
    nb = jupytext.read(md)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    text = re.sub(r"``[^`]*``|`[^`]*`", "`code`", text)
    return text


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
@pytest.mark.parametrize("what", sorted(COLLISIONS))
def test_no_known_notation_collision(md, what):
    text = _markdown(md)
    hits = []
    for m in re.finditer(COLLISIONS[what], text):
        near = text[max(0, m.start() - 80):m.end() + 80]
        if what.startswith("a plain-text chapter") and re.search(r"\{cite|Goodfellow|Deep Learning", near):
            continue                     # a chapter of a cited work, not of this book
        line = text.count("\n", 0, m.start())
        hits.append(text.splitlines()[line].strip()[:120])
    assert not hits, f"{md.name}: {what}:\n  " + "\n  ".join(hits[:8])


def test_package_public_names_do_not_say_seed():
    import rnnbook
    import rnnbook.worked_example as we
    names = [n for mod in (rnnbook, we) for n in getattr(mod, "__all__", dir(mod))]
    bad = sorted({n for n in names if re.search(r"(?i)seed_?00\d", n)})
    assert not bad, f"public names that cite a source as a 'seed': {bad}"


def test_the_preface_states_the_notation_once():
    text = (ROOT / "chapters" / "00_preface.md").read_text()
    for symbol in [r"h_{-1}", r"t = 0, 1, \dots, T-1", r"\delta_t", r"\omega_t", r"W_{hq}",
                   r"\hat y_t", "r_t", "z_t", "n_t"]:
        assert symbol in text, f"the preface does not define {symbol}"
