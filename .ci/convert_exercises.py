"""Convert a chapter's gated exercises to a syntax both the book and JupyterLab render.

sphinx-exercise's gated syntax (``{exercise-start}`` ... ``{exercise-end}``,
``{solution-start}`` ... ``{solution-end}``) lets a solution span notebook cells, so the
book shows a solution's code cells inside the collapsed solution. JupyterLab renders
each markdown cell on its own (jupyterlab-myst), so a gate opened in one cell and
closed in another is never closed: the cell shows its raw source. The converted form:

    :::{exercise}
    :label: ex-02-1
    The question.
    :::

    ::::{solution} ex-02-1
    :class: dropdown
    The solution's text.
    ::::

    ```{code-cell} ipython3
    :tags: [hide-cell]
    the solution's code (still executed by the book build and by nbval)
    ```

Each directive sits in one markdown cell (JupyterLab renders it, collapsed); the
solution's code cells follow it, tagged ``hide-cell`` (the book collapses code and
output behind a toggle). Text of a solution that came after one of its code cells
moves into the dropdown too (reported on stderr). The chapter is read and written
with jupytext, so it stays in canonical form.

Usage: python .ci/convert_exercises.py chapters/NN_name.md [...]   (rewrites in place)
"""
import re
import sys

import jupytext
from nbformat.v4 import new_markdown_cell

EX_START = re.compile(r"```\{exercise-start\}[^\n]*\n((?::[^\n]*\n)*)```[ \t]*(?:\n|$)")
EX_END = re.compile(r"```\{exercise-end\}[^\n]*\n```[ \t]*(?:\n|$)")
SOL_START = re.compile(r"```\{solution-start\}[ \t]*([^\n]*)\n((?::[^\n]*\n)*)```[ \t]*(?:\n|$)")
SOL_END = re.compile(r"```\{solution-end\}[^\n]*\n```[ \t]*(?:\n|$)")
HIDE = "hide-cell"


def convert_exercises(text):
    """Gated exercise markers in one markdown cell's text -> colon fences."""
    text = EX_START.sub(lambda m: ":::{exercise}\n" + m.group(1), text)
    return EX_END.sub(":::\n", text)


def solution_block(label, options, prose):
    body = "\n\n".join(p.strip("\n") for p in prose if p.strip())
    if re.search(r"^::::", body, flags=re.M):
        raise ValueError(f"solution {label}: its text contains a '::::' fence")
    return f"::::{{solution}} {label}\n{options}{body}\n::::\n"


def convert_notebook(nb, name="chapter"):
    """Return ``nb`` with gated solutions split into a dropdown and hidden code cells."""
    out, notes = [], []
    sol = None                      # (label, options, prose parts, code cells) while open
    for cell in nb.cells:
        if cell.cell_type == "code":
            if sol is None:
                out.append(cell)
            else:
                tags = list(cell.metadata.get("tags", []))
                if HIDE not in tags:
                    tags.append(HIDE)
                cell.metadata["tags"] = tags
                sol[3].append(cell)
            continue
        if cell.cell_type != "markdown":
            if sol is not None:
                raise ValueError(f"{name}: a {cell.cell_type} cell inside solution {sol[0]}")
            out.append(cell)
            continue
        text = cell.source
        pieces = []                 # markdown text of this cell outside solutions
        while text:
            if sol is None:
                m = SOL_START.search(text)
                if m is None:
                    pieces.append(text)
                    break
                pieces.append(text[:m.start()])
                sol = (m.group(1).strip(), m.group(2), [], [])
                text = text[m.end():]
            else:
                m = SOL_END.search(text)
                part = text if m is None else text[:m.start()]
                if part.strip() and sol[3]:
                    notes.append(f"{name}: text after the code of solution {sol[0]} moved "
                                 "into its dropdown")
                sol[2].append(part)
                if m is None:
                    break
                label, options, prose, code = sol
                pieces.append(solution_block(label, options, prose))
                md = "".join(pieces).strip("\n")
                if md:
                    out.append(jupytext_markdown(md, cell))
                out.extend(code)
                pieces, sol = [], None
                text = text[m.end():].lstrip("\n")
        md = convert_exercises("".join(pieces)).strip("\n")
        if md:
            out.append(jupytext_markdown(md, cell))
    if sol is not None:
        raise ValueError(f"{name}: solution {sol[0]} is never closed")
    for cell in out:
        if cell.cell_type == "markdown":
            cell.source = convert_exercises(cell.source)
            for marker in ("{exercise-start}", "{exercise-end}", "{solution-start}",
                           "{solution-end}"):
                if marker in cell.source:
                    raise ValueError(f"{name}: {marker} left after conversion")
    nb.cells = out
    return nb, notes


def jupytext_markdown(source, like):
    """A markdown cell with ``source`` and the metadata of the cell ``like``."""
    new = new_markdown_cell(source)
    new.metadata = dict(like.metadata)
    return new


def main(paths):
    for path in paths:
        nb = jupytext.read(path)
        nb, notes = convert_notebook(nb, name=path)
        for note in notes:
            print(note, file=sys.stderr)
        jupytext.write(nb, path, fmt="md:myst")
        text = open(path, encoding="utf-8").read()
        print(f"{path}: {text.count(':::{exercise}')} exercises, "
              f"{text.count('::::{solution}')} solutions")


if __name__ == "__main__":
    main(sys.argv[1:])
