"""Exercises of chapter 11: the distribution at temperature T, and sampling from it.

A sampler cannot be compared draw by draw (readers may use rng.choice or an inverse
CDF); it is checked by the frequencies of many draws, and a mistake is named only when
the frequencies fit another distribution (greedy, T ignored or inverted, shifted by one
id, uniform) within the same number of standard errors.
"""
from __future__ import annotations

import copy

import numpy as np

from ..losses import softmax
from . import adapters
from ._call import call
from ._spec import DIMS, Exercise, register

__all__ = []

N, V = DIMS["N"], DIMS["V"]


# ------------------------------------------------------ chapter 11: temperature
def _temp_cases(rng):
    logits = rng.normal(0, 2, (N, V))
    big = rng.normal(0, 1, (N, V)) * 50 + 700     # exp overflows without the max shift
    return [("logits of size about 2, temperature 0.5", dict(logits=logits, temperature=0.5)),
            ("logits near 700, temperature 0.1", dict(logits=big, temperature=0.1))]


def _temp_variant(mistake):
    def f(logits, temperature):
        if mistake == "temperature_inverted":
            return softmax(logits * temperature)
        if mistake == "temperature_ignored":
            return softmax(logits)
        if mistake == "wrong_axis":
            return softmax((logits / temperature).T).T
        if mistake == "not_normalised":
            z = logits / temperature
            return np.exp(z - z.max(axis=-1, keepdims=True))
        if mistake == "not_normalised/power":
            return softmax(logits) ** (1 / temperature)
        raise KeyError(mistake)
    return f


register(Exercise(
    name="softmax_temperature", chapter="11_language_models",
    title="the next-token distribution at temperature T",
    args=("logits", "temperature"), outputs=(("p", ("N", "V")),),
    cases=_temp_cases, reference=adapters.softmax_temperature,
    variants={k: _temp_variant(k) for k in ("temperature_inverted", "temperature_ignored",
                                             "wrong_axis", "not_normalised",
                                             "not_normalised/power")},
    fd_note="finite differences: n/a (not a gradient).",
    describe={"temperature_inverted": "softmax(logits * temperature): the logits must be "
              "DIVIDED by the temperature",
              "temperature_ignored": "softmax(logits): the temperature is not used",
              "wrong_axis": "normalised over the batch axis instead of the vocabulary "
              "(the last axis)",
              "not_normalised": "exp(logits / temperature) without dividing by the sum",
              "not_normalised/power": "softmax(logits) ** (1 / temperature), which is not "
              "normalised again"},
    hints={None: ["p = softmax(logits / T) along the last axis.",
                  "Subtract each row's maximum before exp: softmax does not change, and "
                  "exp cannot overflow.",
                  "Each row of p must sum to 1."],
           "not_finite": ["Subtract each row's maximum of logits / T before exp: "
                          "softmax does not change and exp(700 / 0.1) no longer "
                          "overflows."]},
))


# --------------------------------------------------------- chapter 11: sampling
SAMPLES = 6000          # per row type; the standard error of a frequency is <= 0.0065
Z_MAX = 4.5


def _sample_cases(rng):
    rows = np.array([[2.0, 1.0, 0.5, -1.0, 0.0], [-0.5, 0.3, 1.5, 0.2, -2.0]])
    logits = np.tile(rows, (SAMPLES, 1))
    return [(f"2 rows of logits, each repeated {SAMPLES} times, temperature 0.5",
             dict(logits=logits, temperature=0.5, rng=np.random.default_rng(7)))]


def _freqs(ids, Vn):
    ids = ids.astype(np.int64)
    return np.stack([np.bincount(ids[r::2], minlength=Vn)[:Vn] / (ids.size // 2)
                     for r in (0, 1)])


def _zmax(freq, p):
    se = np.sqrt(np.maximum(p * (1 - p), 1e-4) / SAMPLES)
    return float(np.max(np.abs(freq - p) / se))


def _sample_compare(ex, report, inputs, ref, got, fn):
    logits, temp = inputs["logits"], inputs["temperature"]
    ids = got[0]
    Nn, Vn = logits.shape
    if ids.shape != (Nn,):
        report.notes.append(f"ids has shape {ids.shape}; expected (N,) = ({Nn},): one id "
                            "per row of logits.")
        report.diagnoses.append("wrong_shape")
        return True
    if not np.all(np.isfinite(ids)) or np.any(ids != np.round(ids)) or ids.min() < 0 \
            or ids.max() >= Vn:
        report.notes.append(f"ids must be integers in 0 .. V-1 = {Vn - 1}; got values from "
                            f"{ids.min():g} to {ids.max():g}.")
        report.diagnoses.append("wrong_range")
        return True
    p = softmax(logits[:2] / temp)
    freq = _freqs(ids, Vn)
    z = max(_zmax(freq[r], p[r]) for r in (0, 1))
    fmt = lambda a: "(" + ", ".join(f"{v:.2f}" for v in a) + ")"
    for r in (0, 1):
        report.findings.append(f"row {r}: frequencies {fmt(freq[r])}; softmax(logits / T) "
                               f"{fmt(p[r])}")
    report.findings.append(f"Largest deviation: {z:.1f} standard errors (allowed "
                           f"{Z_MAX:g}).")
    status, again = call(fn, [copy.deepcopy(inputs[a]) for a in ex.args], 5.0)
    same = status == "ok" and np.array_equal(np.asarray(again, float), ids)
    if not same:
        report.findings.append("Called twice with generators in the same state, your "
                               "function drew different ids: it does not draw from the "
                               "rng it is given.")
    if z <= Z_MAX and same:
        return False
    candidates = {"temperature_ignored": softmax(logits[:2]),
                  "temperature_inverted": softmax(logits[:2] * temp),
                  "greedy": np.eye(Vn)[np.argmax(logits[:2], axis=1)],
                  "off_by_one": np.roll(p, 1, axis=1),
                  "uniform": np.full((2, Vn), 1.0 / Vn)}
    for code, q in candidates.items():
        if z > Z_MAX and max(_zmax(freq[r], q[r]) for r in (0, 1)) <= Z_MAX:
            report.diagnoses.append(code)
            report.findings.append("Diagnosis: the frequencies match " + ex.describe[code]
                                   + ".")
            break
    if not same:
        report.diagnoses.append("ignores_rng")
    if not report.diagnoses:
        report.diagnoses.append("wrong_distribution")
    return True


register(Exercise(
    name="sample_next", chapter="11_language_models",
    title="drawing the next token at temperature T",
    args=("logits", "temperature", "rng"), outputs=(("ids", ("N",)),),
    cases=_sample_cases, reference=adapters.sample_next, compare=_sample_compare,
    dims={"N": 2 * SAMPLES, "V": 5},
    describe={"temperature_ignored": "softmax(logits), the temperature not used",
              "temperature_inverted": "softmax(logits * T), the temperature inverted",
              "greedy": "the argmax of each row (greedy decoding, no sampling)",
              "off_by_one": "the right distribution shifted by one id (an off-by-one in "
              "the inverse-CDF search)",
              "uniform": "a uniform draw that ignores the logits"},
    hints={None: ["Compute p = softmax(logits / T) for every row, then draw one id per "
                  "row with probability p.",
                  "With u = rng.random() the id is the number of entries of "
                  "cumsum(p) that are below u.",
                  "Use only the rng you are given, so that a seed reproduces the sample."],
           "ignores_rng": ["Draw with the generator passed in (rng.random, rng.choice), "
                           "not with np.random.*."],
           "greedy": ["argmax is the limit T -> 0; sampling draws id j with "
                      "probability p_j."],
           "off_by_one": ["Check the first id: with u below p_0 the draw must be 0."]},
))
