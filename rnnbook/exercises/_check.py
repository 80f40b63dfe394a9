"""check(name, fn): run the reader's function against the reference, never crash.

Everything the reader's function can do wrong (raise, hang, return None or the wrong
number of results, change its inputs, return wrong shapes or values) ends up as a
sentence in the :class:`~rnnbook.exercises._report.Report`; nothing is re-raised.
"""
from __future__ import annotations

import copy
import difflib
import functools

import numpy as np

from ..gradcheck import numerical_gradient, rel_error
from ._call import call, changed, unpack
from ._diagnose import diagnose_shape, diagnose_values, shape_letters
from ._report import Report, Row
from ._spec import GENERIC_HINTS, REGISTRY, fingerprint

__all__ = ["check", "run_reference"]

SEED = 15
PASS_TOL = 1e-7
FD_STEP = 1e-5


@functools.lru_cache(maxsize=None)
def _fd_gradients(name):
    """Finite-difference gradients of the first case (the inputs are deterministic)."""
    ex = REGISTRY[name]
    inputs = ex.cases(np.random.default_rng(SEED))[0][1]
    grads = {}
    for out, arg in ex.grad_of.items():
        if isinstance(arg, tuple):              # (argument, key) for a dict of arrays
            def f(value, arg=arg):
                return ex.loss({**inputs, arg[0]: {**inputs[arg[0]], arg[1]: value}})
            grads[out] = numerical_gradient(f, inputs[arg[0]][arg[1]], h=FD_STEP)
            continue

        def f(value, arg=arg):
            return ex.loss({**inputs, arg: value})
        grads[out] = numerical_gradient(f, inputs[arg], h=FD_STEP)
    return grads


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


def describe_inputs(ex, inputs, values=True):
    """The inputs of ``ex`` in the book's letters, one part per argument.

    ``values=True`` (a failure report): arrays as ``dh (N, H) = (3, 5)``, scalars as
    ``lr = 0.1``, joined with "; ". ``values=False`` (the list of exercises): arrays as
    ``dh (N, H)``, other arguments by their type, joined with ", ".
    """
    parts = []
    for k in ex.args:
        v = inputs[k]
        if isinstance(v, np.ndarray):
            shape = shape_letters(v.shape, ex.dims)
            parts.append(f"{k} {shape if values else shape.split(' = ')[0]}")
        elif isinstance(v, dict):
            parts.append(f"{k} dict of {len(v)} arrays")
        elif values and isinstance(v, (int, float, str)):
            parts.append(f"{k} = {v}")
        else:
            parts.append(f"{k} {type(v).__name__}")
    return ("; " if values else ", ").join(parts)


def _low_precision(ex, result):
    """Names of outputs the reader returned in a float type below float64."""
    values = result if isinstance(result, (tuple, list)) else (result,)
    return [name for (name, _), v in zip(ex.outputs, values)
            if getattr(v, "dtype", None) in (np.float32, np.float16)]


def _fail(report, code, text):
    report.notes.append(text)
    report.diagnoses.append(code)
    return report


def _finish(ex, report, hint):
    """Attach the hint ladder (first diagnosis, else the exercise's own ladder)."""
    if report.passed:
        return report
    ladder = []
    for key in report.keys + report.diagnoses:
        code = key.split("/")[0]
        ladder = ex.hints.get(key) or ex.hints.get(code) or GENERIC_HINTS.get(code) or []
        if ladder:
            break
    if not ladder:
        ladder = ex.hints.get(None, [])
    report.hint_level = hint
    report.hints = list(ladder[:hint])
    report.more_hints = max(0, len(ladder) - hint)
    return report


def _compare(ex, report, inputs, ref, got, first_case):
    fd = _fd_gradients(ex.name) if (first_case and ex.loss is not None) else {}
    variants = None
    failed = False
    for k, ((name, letters), r, g) in enumerate(zip(ex.outputs, ref, got)):
        r = np.asarray(r, float)
        row = Row(name, f"{ex.shape_text(letters)} = {tuple(r.shape)}" if letters else "scalar")
        if letters:
            row.expected = shape_letters(r.shape, ex.dims)
        if g.shape != r.shape:
            row.received = shape_letters(g.shape, ex.dims) if g.ndim else "a scalar"
        else:
            row.err_ref = rel_error(g, r) if np.all(np.isfinite(g)) else float("nan")
            if name in fd:
                row.err_fd = rel_error(g, fd[name]) if np.all(np.isfinite(g)) else float("nan")
            row.ok = row.err_ref < PASS_TOL
        if not row.ok:
            failed = True
            if variants is None:
                with np.errstate(all="ignore"):
                    variants = {c: _as_tuple(v(*[copy.deepcopy(inputs[a]) for a in ex.args]))
                                for c, v in ex.variants.items()}
            diag = (diagnose_values(ex, k, g, r, variants) if not row.received
                    else diagnose_shape(ex, k, g, r, variants))
            if diag:
                key, row.diagnosis = diag
                code = key.split("/")[0]
                if code not in report.diagnoses:
                    report.diagnoses.append(code)
                    report.keys.append(key)
        report.rows.append(row)
    if fd:
        report.fd_note = ("finite differences: centred, step 1e-5, of the loss "
                          "whose gradients these outputs are (accurate to about 1e-8, so "
                          "the last column only says whether they agree to 1e-6).")
    elif ex.fd_note:
        report.fd_note = ex.fd_note
    return failed


def run_one(ex, fn, hint, timeout, used_reference):
    report = Report(ex.name, title=f"chapter {ex.chapter_number}: {ex.title}",
                    used_reference=used_reference)
    if used_reference:
        report.notes.append("No function given yet (None), so this is the report of the "
                            "book's reference solution: what a passing report looks like. "
                            "Write your function in the cell above (and delete the line "
                            "that sets it to None), then run both cells.")
    cases = ex.cases(np.random.default_rng(SEED))
    for i, (label, inputs) in enumerate(cases):
        report.case = f"{label}; {fingerprint(ex)}" if fingerprint(ex) else label
        ref = ex.reference(**copy.deepcopy(inputs))
        if len(ex.outputs) == 1 and not isinstance(ref, tuple):
            ref = (ref,)
        mine = copy.deepcopy(inputs)
        status, result = call(fn, [mine[a] for a in ex.args], timeout)
        if status == "timeout":
            _fail(report, "timeout", f"Stopped after {result:g} s: your function is too slow "
                  f"or does not return (inputs: {describe_inputs(ex, inputs)}).")
            return _finish(ex, report, hint)
        if status == "raised":
            msg = str(result).strip().splitlines()
            msg = msg[0] if msg else ""
            _fail(report, "raised", f"Your function raised {type(result).__name__}: {msg}")
            report.notes.append(f"It was called with {describe_inputs(ex, inputs)}.")
            if isinstance(result, TypeError) and "argument" in msg:
                report.notes.append(f"The function must take exactly these arguments, in "
                                    f"this order: {', '.join(ex.args)}.")
                report.keys.append("wrong_arguments")
            return _finish(ex, report, hint)
        mutated = changed(inputs, mine)
        got, problem = unpack(ex, result)
        if problem:
            _fail(report, *problem)
            return _finish(ex, report, hint)
        if ex.compare is not None:
            failed = ex.compare(ex, report, inputs, ref, got, fn)
        else:
            failed = _compare(ex, report, inputs, ref, got, i == 0)
        low = _low_precision(ex, result)
        if failed and low:
            report.diagnoses.insert(0, "low_precision")
            report.keys.insert(0, "low_precision")
            report.findings.append(f"Output(s) {', '.join(low)} are computed in "
                                   "float32 or float16: the check needs float64.")
        if mutated:
            report.diagnoses.append("mutates_inputs")
            report.findings.append("Your function modified its input(s) "
                                   f"{', '.join(mutated)} in place.")
            failed = True
        if failed:
            if len(cases) > 1:
                report.notes.append(f"Failed on input case {i + 1} of {len(cases)}: {label}.")
            return _finish(ex, report, hint)
        if i + 1 < len(cases):
            first = report.rows
            report.rows, report.fd_note = [], ""
    report.rows = first if len(cases) > 1 else report.rows
    report.case = cases[0][0] + (f"; {fingerprint(ex)}" if fingerprint(ex) else "")
    report.passed = True
    if len(cases) > 1:
        report.findings.append(f"All {len(cases)} input cases pass: "
                               + "; ".join(lbl for lbl, _ in cases) + ".")
    if ex.loss is not None or ex.compare is None:
        report.findings.append("Inputs were not modified.")
    return report


def check(name, fn, hint=1, timeout=5.0):
    """Check the reader's implementation ``fn`` of exercise ``name``.

    Parameters
    ----------
    name : str
        An exercise (see :func:`rnnbook.exercises.list`).
    fn : callable or None
        The reader's function, with the signature the exercise lists. None checks the
        book's reference solution instead (to show what a passing report looks like).
    hint : int
        How many steps of the hint ladder to show when the check fails (never the
        solution itself).
    timeout : float or None
        Seconds before a call is stopped.

    Returns
    -------
    Report
        ``.passed``, ``.diagnoses`` (codes), readable as text and as HTML.
    """
    try:
        if not isinstance(name, str):
            return Report(repr(name), notes=[
                f"The first argument is the exercise's name, a string; got "
                f"{type(name).__name__}. Example: check('rnn_step_backward', my_function). "
                "All names: rnnbook.exercises.list()."], diagnoses=["unknown_exercise"])
        ex = REGISTRY.get(name.strip())
        if ex is None:
            near = difflib.get_close_matches(name.strip(), list(REGISTRY), n=3, cutoff=0.5)
            near += [n for n in REGISTRY if name.strip() and name.strip() in n and n not in near]
            text = f"There is no exercise named {name!r}."
            if near:
                text += " Did you mean " + " or ".join(repr(n) for n in near[:3]) + "?"
            text += " All names: rnnbook.exercises.list()."
            return Report(name, notes=[text], diagnoses=["unknown_exercise"])
        try:
            hint = max(1, int(hint))
        except (TypeError, ValueError):
            hint = 1
        if fn is None:
            return run_one(ex, ex.solution or ex.reference, hint, timeout, True)
        if not callable(fn):
            return Report(name, title=f"chapter {ex.chapter_number}: {ex.title}", notes=[
                f"The second argument must be your function; got {type(fn).__name__}. "
                f"Write def {ex.signature()} and pass the function itself (no parentheses)."],
                diagnoses=["not_callable"])
        return run_one(ex, fn, hint, timeout, False)
    except Exception as exc:    # a bug of the checker itself must not crash the notebook
        return Report(str(name), notes=[f"The checker itself failed ({type(exc).__name__}: "
                                        f"{exc}); please report this."],
                      diagnoses=["checker_error"])


def run_reference(name):
    """The reference outputs for the first case (used by the tests)."""
    ex = REGISTRY[name]
    inputs = ex.cases(np.random.default_rng(SEED))[0][1]
    return inputs, ex.reference(**copy.deepcopy(inputs))
