"""Regenerate the reference notebooks: `make notebooks`.

tests/test_book.py compares the chapters as the book build executes them with these
references, with nbval's rules (so `pytest --nbval tests/notebooks` works too).

For each chapter `chapters/NN_name.md` (the source), execute it top to bottom in a
fresh kernel and write `tests/notebooks/NN_name.ipynb` with the *text* outputs only:
pictures (PNG/JPEG/SVG) and HTML are dropped, since the comparison skips pictures
and frame HTML would bloat git; cells tagged `nbval-ignore-output` keep no output.
Cell ids are the cell's index (`cell-0`, ...), so a rerun changes only outputs.
The reference notebooks are never paired with the chapters (no jupytext `formats`
metadata), so saving a chapter in JupyterLab cannot rewrite them.

Usage: python .ci/notebooks.py [chapters/NN_name.md ...]   (default: every chapter)
"""
import os
import sys
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
REFERENCES = ROOT / "tests" / "notebooks"
DROP = {"image/png", "image/jpeg", "image/svg+xml", "text/html", "text/markdown",
        "application/vnd.jupyter.widget-view+json", "application/vnd.jupyter.widget-state+json"}


def strip(nb):
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            cell.outputs = []
            continue
        kept = []
        for out in cell.outputs:
            if "data" in out:
                out["data"] = {k: v for k, v in out["data"].items() if k not in DROP}
                if not out["data"]:
                    continue
            if (out["output_type"] == "stream" and kept and kept[-1]["output_type"] == "stream"
                    and kept[-1]["name"] == out["name"]):
                kept[-1]["text"] += out["text"]          # one output per run of a stream
                continue
            kept.append(out)
        cell.outputs = kept
    nb.metadata.pop("widgets", None)
    nb.metadata.get("jupytext", {}).pop("formats", None)   # never paired with the .md
    return nb


def build(md_path):
    md_path = Path(md_path).resolve()
    nb = jupytext.read(md_path)
    start = time.perf_counter()
    NotebookClient(nb, timeout=900, kernel_name="python3",
                   resources={"metadata": {"path": str(md_path.parent)}}).execute()
    seconds = time.perf_counter() - start
    nb = strip(nb)
    REFERENCES.mkdir(parents=True, exist_ok=True)
    out = REFERENCES / (md_path.stem + ".ipynb")
    nbformat.write(nb, out)
    print(f"{md_path.relative_to(ROOT)}: executed in {seconds:.1f} s -> "
          f"{out.relative_to(ROOT)} ({out.stat().st_size / 1024:.0f} KiB)")


if __name__ == "__main__":
    os.environ.pop("MPLBACKEND", None)         # kernels must use the inline backend
    os.environ.pop("RNNBOOK_EXPLORER", None)   # explorers in their live form
    os.environ["RNNBOOK_EXPLORER_PREFILL"] = "0"   # no background frame rendering
    paths = sys.argv[1:] or sorted(str(p) for p in (ROOT / "chapters").glob("[0-9][0-9]_*.md"))
    for p in paths:
        build(p)
