"""What an exercise is: the function the reader writes, its inputs, and the evidence.

An :class:`Exercise` holds everything the checker needs and nothing it computes:

* ``args`` and ``outputs``: the signature the reader implements, with the shape of every
  output in the book's letters (N batch, T time, D input, H hidden, V vocabulary);
* ``cases(rng)``: small deterministic float64 inputs (a dict per case);
* ``reference``: the package's own implementation, adapted to the reader's signature
  (all adapters live in :mod:`rnnbook.exercises.adapters`);
* ``variants``: the same computation with one typical mistake each, keyed by the
  diagnosis code; the checker names a mistake only when the reader's output matches
  one of them to a tight tolerance;
* ``loss`` and ``grad_of``: a scalar loss whose finite-difference gradient each output
  should be (None when an output is not a gradient);
* ``hints``: the hint ladder, per diagnosis code (None: when nothing was diagnosed).
"""
from __future__ import annotations

import dataclasses
from typing import Callable, Optional

import numpy as np

__all__ = ["Exercise", "DIMS", "GENERIC_HINTS", "register", "REGISTRY"]

# One size per letter, all different, so that a shape can be read back as letters.
DIMS = {"N": 3, "T": 6, "D": 4, "H": 5, "V": 7}


def letter_sizes(dims):
    """Letters and derived letters (2H, 3H, 4H) with their sizes."""
    out = dict(dims)
    if "H" in dims:
        out.update({"2H": 2 * dims["H"], "3H": 3 * dims["H"], "4H": 4 * dims["H"]})
    return out


@dataclasses.dataclass
class Exercise:
    name: str
    chapter: str                       # e.g. "04_bptt"
    title: str
    args: tuple                        # argument names, in order
    outputs: tuple                     # ((name, ("N", "H")), ...); () letters: a scalar
    cases: Callable                    # rng -> list of (label, inputs dict)
    reference: Callable                # (**inputs) -> tuple of outputs
    variants: dict = dataclasses.field(default_factory=dict)   # code -> (**inputs) -> tuple
    loss: Optional[Callable] = None    # inputs dict -> scalar, for finite differences
    grad_of: dict = dataclasses.field(default_factory=dict)    # output name -> input name
    hints: dict = dataclasses.field(default_factory=dict)      # code or None -> [str, ...]
    describe: dict = dataclasses.field(default_factory=dict)   # code -> diagnosis sentence
    dims: dict = dataclasses.field(default_factory=lambda: dict(DIMS))
    unpack: Optional[Callable] = None  # reader's return value -> tuple of outputs
    compare: Optional[Callable] = None  # custom comparison (see _sampling)
    fd_note: str = ""                  # why finite differences do not apply
    returns: str = ""                  # the return value as the signature shows it
    solution: Optional[Callable] = None  # reference in the reader's signature (default: reference)

    @property
    def chapter_number(self):
        return int(self.chapter.split("_")[0])

    def signature(self):
        outs = self.returns or ", ".join(n for n, _ in self.outputs)
        if len(self.outputs) > 1 and not self.returns:
            outs = f"({outs})"
        return f"{self.name}({', '.join(self.args)}) -> {outs}"

    def shape_text(self, letters):
        if not letters:
            return "()"
        return "(" + ", ".join(letters) + (",)" if len(letters) == 1 else ")")

    def expected_shape(self, letters):
        sizes = letter_sizes(self.dims)
        return tuple(sizes[k] for k in letters)


REGISTRY: dict = {}


def register(ex):
    """Add ``ex`` to the registry (names are unique)."""
    if ex.name in REGISTRY:
        raise ValueError(f"exercise {ex.name!r} is registered twice")
    REGISTRY[ex.name] = ex
    return ex


# Diagnoses found from the numbers alone, for every exercise (see _diagnose).
GENERIC_HINTS = {
    "sign": ["The numbers are right but the sign is flipped. dX means +dLoss/dX, "
             "the gradient itself, not a step direction.",
             "Look for a minus sign you carried over from an update rule such as "
             "w <- w - alpha * dw, or from a delta defined as -dE/da."],
    "scale": ["This output is the right gradient times a constant. Look for a factor "
              "you added or lost: a 2 from a squared error, a 1/2, a mean instead of "
              "a sum.",
              "Compare one entry with the finite-difference value to see which factor "
              "it is."],
    "mean_instead_of_sum": ["This output is the gradient divided by the batch size or "
                            "the number of steps: a parameter is used at every sample "
                            "and step, so its gradient is the SUM of their "
                            "contributions, not their mean.",
                            "Replace .mean(...) by .sum(...) for this output."],
    "transpose": ["This output is the transpose of the right one. For a = X W the "
                  "matrix rules are dW = X^T da and dX = da W^T.",
                  "Check the order of the factors: (in, N) @ (N, out) gives the (in, "
                  "out) shape of the weight."],
    "zeros": ["This output is all zeros: it is never computed, or the gradient that "
              "should reach it is lost on the way.",
              "Follow every place where the corresponding input is used in the "
              "forward pass; each use sends back a term."],
    "not_summed": ["This output has an extra leading axis: the contributions of the "
                   "samples (or steps) are returned separately instead of summed.",
                   "A weight or bias is shared by all samples and steps: sum over "
                   "those axes, e.g. da.sum(axis=0) for a bias."],
    "extra_axis": ["This output has an extra axis of length 1 (keepdims=True, or a "
                   "bias written as a row (1, H)).",
                   "Return the shape listed as expected, e.g. np.sum(da, axis=0) "
                   "without keepdims."],
    "wrong_shape": ["Write the shape of every array next to each line; the expected "
                    "shapes are listed in the report.",
                    "A gradient dX always has the shape of X."],
    "mutates_inputs": ["Your function changed one of its inputs in place (e.g. dh *= ..., "
                       "h -= ..., or an out= argument). Callers reuse their arrays: "
                       "compute new arrays instead.",
                       "x = x * y makes a new array; x *= y overwrites the caller's."],
    "raised": ["Read the exception: a matmul error usually means a missing or extra "
               "transpose; compare the shapes listed in the report.",
               "Run your function once by hand on the shapes listed in the report."],
    "low_precision": ["Compute in float64 (numpy's default): float32 carries about 7 "
                      "digits, too few for a check to 1e-7. Look for astype(np.float32) "
                      "or dtype=np.float32 in your function."],
    "wrong_arguments": ["Define the function with the arguments the exercise lists (the "
                        "report names them), in that order, even those you do not use."],
    "returned_none": ["Your function returned None: is a `return` missing?"],
    "wrong_count": ["Your function returned a different number of results than the "
                    "signature asks for; return them in the order listed."],
    "not_finite": ["Your output contains inf or nan: an exp overflowed, or a division "
                   "by zero happened.",
                   "Subtract the row maximum before exp (softmax does not change), "
                   "and avoid dividing by a norm that can be 0."],
    "timeout": ["Your function took too long on small inputs: look for a loop that "
                "never ends or a loop over array entries that can be a matrix product."],
}

GENERIC_DESCRIBE = {
    "sign": "the right values with the opposite sign (sign error)",
    "scale": "the right gradient times a constant factor",
    "mean_instead_of_sum": "the right gradient divided by the batch size or the number of "
                           "steps (a mean instead of a sum)",
    "transpose": "the transpose of the right one (missing transpose)",
    "zeros": "all zeros",
    "not_summed": "not summed over the batch or over time (an extra leading axis)",
    "extra_axis": "an extra axis of length 1",
    "wrong_shape": "the wrong shape",
}


def fingerprint(ex):
    """Letters with their sizes for the report's header, e.g. 'N = 3, D = 4, H = 5'."""
    used = []
    for _, letters in ex.outputs:
        for k in letters:
            base = k[-1]
            if base not in used:
                used.append(base)
    return ", ".join(f"{k} = {ex.dims[k]}" for k in sorted(used, key="NTDHV".index))


def as_float_array(value):
    """np.asarray for a reader's output; raises TypeError with a readable message."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"cannot be read as an array of numbers ({type(value).__name__}: "
                        f"{exc})") from None
    return arr
