"""Exercises that check the reader's own code and say what is wrong.

>>> from rnnbook.exercises import check
>>> report = check("rnn_step_backward", my_rnn_step_backward)   # doctest: +SKIP
>>> report.passed, report.diagnoses                              # doctest: +SKIP

``check`` runs the reader's function on small seeded float64 inputs, compares every
output with the package's reference and with finite differences, and, when an output
is wrong, names the typical mistake it matches (a missing transpose, a missing
activation derivative, a sign error, a constant factor, a gradient not summed over
time or batch, truncation off by one step, a forgotten dh0, inputs changed in place,
...), with a hint ladder (``hint=2``, ``hint=3``) that never gives the solution.
``list()`` shows every exercise with the signature to implement.
"""
from __future__ import annotations

import builtins
import html as _html

from . import ex_backprop, ex_truncated, ex_misc, ex_gated, ex_sampling  # noqa: F401 (register)
from ._check import check
from ._report import Report
from ._spec import REGISTRY

__all__ = ["check", "list", "Report", "ExerciseList"]


class ExerciseList(tuple):
    """Tuple of (name, chapter, signature, shapes) rows, shown as a table."""

    def __str__(self):
        lines = []
        for name, chapter, sig, shapes in self:
            shapes = shapes.replace("; outputs: ", "\n    outputs: ")
            lines.append(f"{name}  (chapter {chapter})\n    {sig}\n    {shapes}")
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_html_(self):
        e = _html.escape
        rows = "".join(f"<tr><td><code>{e(n)}</code></td><td>{e(str(c))}</td>"
                       f"<td><code>{e(s)}</code><br>"
                       f"{e(sh).replace('; outputs', '<br>outputs')}</td></tr>"
                       for n, c, s, sh in self)
        return ('<table><tr><th style="text-align:left">exercise</th><th>chapter</th>'
                f'<th style="text-align:left">signature and shapes</th></tr>{rows}</table>')


def _shapes(ex):
    """'inputs: dh (N, H), ...; outputs: dx (N, D), ...' in the book's letters."""
    import numpy as np
    from ._check import SEED, describe_inputs
    inputs = ex.cases(np.random.default_rng(SEED))[0][1]
    outs = [f"{n} {ex.shape_text(s)}" for n, s in ex.outputs if s]
    return ("inputs: " + describe_inputs(ex, inputs, values=False)
            + ("; outputs: " + ", ".join(outs) if outs else ""))


def list():   # noqa: A001  (the name the book uses: rnnbook.exercises.list())
    """Every exercise: name, chapter number, signature to implement, output shapes."""
    exercises = sorted(REGISTRY.values(), key=lambda e: e.chapter_number)
    return ExerciseList(builtins.tuple((ex.name, ex.chapter_number, ex.signature(),
                                        _shapes(ex)) for ex in exercises))
