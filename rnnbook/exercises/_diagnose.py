"""Diagnoses from evidence: which systematic change of the reference the reader's output is.

An output is named as a typical mistake only when it matches the reference changed in
that one way to a tight tolerance (``TIGHT``); a near miss is not a diagnosis.
"""
from __future__ import annotations

import numpy as np

from ..gradcheck import rel_error
from ._spec import GENERIC_DESCRIBE, letter_sizes

__all__ = ["TIGHT", "close", "diagnose_values", "diagnose_shape", "shape_letters"]

TIGHT = 1e-6        # a match
DIFFERENT = 1e-4    # a variant must differ at least this much from the reference


def close(a, b, tol=TIGHT):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return (a.shape == b.shape and bool(np.all(np.isfinite(a)))
            and bool(np.all(np.isfinite(b))) and rel_error(a, b) < tol)


def shape_letters(shape, dims):
    """(3, 5) -> '(N, H) = (3, 5)' when every size names one letter, else '(3, 5)'."""
    sizes = letter_sizes(dims)
    inverse = {}
    for k, v in sizes.items():
        inverse.setdefault(v, []).append(k)
    names = [inverse[s][0] if len(inverse.get(s, ())) == 1 else None for s in shape]
    nums = "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
    if shape and all(names):
        lets = "(" + ", ".join(names) + ("," if len(shape) == 1 else "") + ")"
        return f"{lets} = {nums}"
    return nums


def diagnose_values(ex, k, got, ref, variant_outs):
    """(key, sentence) for output ``k`` of the right shape, or None. A variant's key is
    its diagnosis code, optionally followed by "/detail" (e.g. "transpose/recurrent")."""
    for code, outs in variant_outs.items():
        v = np.asarray(outs[k], float)
        if close(got, v) and not close(v, ref, DIFFERENT):
            return code, ex.describe.get(code, code)
    if not np.any(ref):
        return None
    if not np.all(np.isfinite(got)):
        return "not_finite", "contains inf or nan"
    if not np.any(got):
        return "zeros", GENERIC_DESCRIBE["zeros"]
    if close(got, -ref):
        return "sign", GENERIC_DESCRIBE["sign"]
    if ref.ndim == 2 and ref.shape[0] == ref.shape[1] and close(got, ref.T):
        return "transpose", GENERIC_DESCRIBE["transpose"]
    c = float(np.sum(got * ref) / np.sum(ref * ref))
    if abs(c - 1) > 1e-3 and abs(c + 1) > 1e-3 and close(got, c * ref):
        N, T = ex.dims.get("N"), ex.dims.get("T")
        for div, what in ((N, "N"), (T, "T"), (N and T and N * T, "N T")):
            if div and abs(c * div - 1) < 1e-6:
                return ("mean_instead_of_sum",
                        f"the right gradient divided by {what} = {div} (a mean instead of a sum)")
        return "scale", f"the right gradient times a constant factor {c:.2g}"
    return None


def diagnose_shape(ex, k, got, ref, variant_outs):
    """(code, sentence) for output ``k`` whose shape differs from the reference's."""
    for code, outs in variant_outs.items():
        v = np.asarray(outs[k], float)
        if close(got, v):
            return code, ex.describe.get(code, code)
    gs, rs = got.shape, ref.shape
    if got.ndim == 2 and gs == rs[::-1]:
        return "transpose", "has the transposed shape (missing transpose)"
    if got.ndim == ref.ndim + 1 and gs[1:] == rs and gs[0] in (ex.dims.get("N"), ex.dims.get("T")):
        axis = "the batch (N)" if gs[0] == ex.dims.get("N") else "time (T)"
        return "not_summed", f"not summed over {axis}: an extra leading axis"
    if got.ndim == ref.ndim + 2 and gs[2:] == rs:
        return "not_summed", "not summed over the batch and time: two extra leading axes"
    if np.squeeze(got).shape == np.squeeze(ref).shape and got.size == ref.size:
        return "extra_axis", GENERIC_DESCRIBE["extra_axis"]
    return "wrong_shape", GENERIC_DESCRIBE["wrong_shape"]
