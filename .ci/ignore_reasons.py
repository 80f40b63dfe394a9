"""Move each test-harness reason out of the reader's view, into cell metadata.

A cell whose output legitimately varies carries the tag ``nbval-ignore-output`` and,
by the project's convention, a first line ``# nbval-ignore-output: <reason>``. That
comment is scaffolding: it is shown to every reader of the book. This script moves the
reason into the cell's metadata (key ``nbval-ignore-reason``), removes the comment (and
a blank line right after it), and writes the chapter back in jupytext's canonical MyST
form, so a save in JupyterLab changes nothing.

Usage: python .ci/ignore_reasons.py chapters/NN_name.md [...]   (--check: only report)
"""
import re
import sys

import jupytext

TAG = "nbval-ignore-output"
KEY = "nbval-ignore-reason"
COMMENT = re.compile(r"^#\s*nbval-ignore-output:\s*(?P<reason>\S.*?)\s*$")


def convert(nb):
    """Convert every tagged cell of ``nb`` in place; return the number converted."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or TAG not in cell.metadata.get("tags", []):
            continue
        lines = cell.source.split("\n")
        m = COMMENT.match(lines[0]) if lines else None
        if not m:
            continue
        rest = lines[1:]
        if rest and not rest[0].strip():
            rest = rest[1:]
        cell.source = "\n".join(rest)
        cell.metadata[KEY] = m.group("reason")
        n += 1
    return n


def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths:
        print(__doc__)
        return 2
    pending = 0
    for path in paths:
        nb = jupytext.read(path)
        n = convert(nb)
        pending += n
        if n and not check:
            jupytext.write(nb, path, fmt="md:myst")
        print(f"{path}: {n} reason(s) {'to move' if check else 'moved'} into metadata")
    return 1 if (check and pending) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
