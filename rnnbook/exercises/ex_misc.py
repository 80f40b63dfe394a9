"""Exercises of chapters 7, 11 and 12: clipping, temperature, sampling, bidirectional."""
from __future__ import annotations

import copy

import numpy as np

from ..losses import softmax
from . import adapters
from ._check import _call
from ._spec import DIMS, Exercise, register

__all__ = []

N, T, D, H, V = (DIMS[k] for k in "NTDHV")

# ------------------------------------------------------------ chapter 7: clipping
GRAD_KEYS = (("W_xh", ("D", "H")), ("W_hh", ("H", "H")), ("b_h", ("H",)),
             ("W_hq", ("H", "V")), ("b_q", ("V",)))


def _clip_cases(rng):
    grads = {k: rng.standard_normal(tuple(DIMS[c] for c in s)) for k, s in GRAD_KEYS}
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
    return [("a gradient whose global norm is above max_norm",
             dict(grads=grads, max_norm=round(norm / 3, 1))),
            ("a gradient whose global norm is below max_norm",
             dict(grads={k: 0.05 * g for k, g in grads.items()}, max_norm=round(norm / 3, 1)))]


def _clip_unpack(result):
    if not isinstance(result, (tuple, list)) or len(result) != 2:
        raise ValueError("expected a tuple (clipped, norm): a dict with the keys of grads "
                         "and the global norm before clipping")
    clipped, norm = result
    if not isinstance(clipped, dict):
        raise ValueError(f"clipped is a {type(clipped).__name__}; expected a dict with the "
                         "keys of grads")
    missing = [k for k, _ in GRAD_KEYS if k not in clipped]
    if missing:
        raise ValueError(f"clipped has no key {missing[0]!r}; expected the keys of grads")
    return tuple(clipped[k] for k, _ in GRAD_KEYS) + (norm,)


def _clip_variant(mistake):
    def f(grads, max_norm):
        gnorm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads.values())))
        if mistake == "per_array_norm":
            out = {}
            for k, g in grads.items():
                n = np.sqrt(np.sum(g ** 2))
                out[k] = g * (max_norm / n if n > max_norm else 1.0)
        elif mistake == "elementwise_clip":
            out = {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}
        elif mistake == "always_rescale":
            out = {k: g * max_norm / gnorm for k, g in grads.items()}
        elif mistake == "inverted_ratio":
            s = gnorm / max_norm if gnorm > max_norm else 1.0
            out = {k: g * s for k, g in grads.items()}
        else:
            out = adapters.clip_by_global_norm(grads, max_norm)[0]
        norm = gnorm
        if mistake == "norm_after_clip":
            norm = float(np.sqrt(sum(np.sum(g ** 2) for g in out.values())))
        elif mistake == "norm_squared":
            norm = gnorm ** 2
        return tuple(out[k] for k, _ in GRAD_KEYS) + (norm,)
    return f


def _clip_ref(grads, max_norm):
    return _clip_unpack(adapters.clip_by_global_norm(grads, max_norm))


def _clip_solution(grads, max_norm):
    return adapters.clip_by_global_norm(grads, max_norm)


CLIP_MISTAKES = ("per_array_norm", "elementwise_clip", "always_rescale", "inverted_ratio",
                 "norm_after_clip", "norm_squared")

register(Exercise(
    name="clip_by_global_norm", chapter="07_remedies",
    title="clipping all gradients together by their global norm",
    args=("grads", "max_norm"),
    outputs=tuple((f"clipped[{k!r}]", s) for k, s in GRAD_KEYS) + (("norm", ()),),
    cases=_clip_cases, reference=_clip_ref, solution=_clip_solution, unpack=_clip_unpack,
    variants={k: _clip_variant(k) for k in CLIP_MISTAKES},
    fd_note="finite differences: n/a (clipping is not a gradient).",
    describe={"per_array_norm": "each array is clipped by its own norm; the global norm "
              "treats all gradients as one vector, which keeps its direction",
              "elementwise_clip": "clipped entry by entry (clip by value), which changes "
              "the direction",
              "always_rescale": "rescaled to norm max_norm even though the norm was "
              "already below it (small gradients are scaled up)",
              "inverted_ratio": "multiplied by norm / max_norm instead of max_norm / norm",
              "norm_after_clip": "the norm after clipping; the function returns the norm "
              "before clipping (it is what one monitors)",
              "norm_squared": "the sum of squares: the square root is missing"},
    hints={None: ["The global norm is sqrt of the sum of the squares of ALL entries of "
                  "ALL arrays.",
                  "If it is above max_norm, multiply every array by the same factor "
                  "max_norm / norm; otherwise return the arrays unchanged.",
                  "Return new arrays (the caller's must not change) and the norm before "
                  "clipping."],
           "per_array_norm": ["One norm for all arrays together: sum the squares over "
                              "every array before the square root."],
           "elementwise_clip": ["Clipping by the norm multiplies every array by one "
                                "factor; np.clip changes entries independently."],
           "always_rescale": ["Only rescale when the norm exceeds max_norm; otherwise the "
                              "factor is 1."],
           "inverted_ratio": ["After clipping the global norm must equal max_norm: which "
                              "factor does that?"],
           "norm_after_clip": ["Compute the norm first, and return that value."],
           "norm_squared": ["A norm is the square root of the sum of squares."]},
))


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
    status, again = _call(fn, [copy.deepcopy(inputs[a]) for a in ex.args], 5.0)
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


# ------------------------------------------------ chapter 12: bidirectional backward
BI_OUT = (("dx", ("N", "T", "D")), ("dh0_f", ("N", "H")), ("dh0_b", ("N", "H")),
          ("dW_xh_f", ("D", "H")), ("dW_hh_f", ("H", "H")), ("db_h_f", ("H",)),
          ("dW_xh_b", ("D", "H")), ("dW_hh_b", ("H", "H")), ("db_h_b", ("H",)))


def _bi_cases(rng):
    def params():
        return {"W_xh": rng.normal(0, 0.5, (D, H)), "W_hh": rng.normal(0, 0.5, (H, H)),
                "b_h": rng.normal(0, 0.3, H)}
    return [("random float64, tanh cells", dict(
        dh=rng.standard_normal((N, T, 2 * H)), x=rng.standard_normal((N, T, D)),
        h0_f=rng.uniform(-0.9, 0.9, (N, H)), h0_b=rng.uniform(-0.9, 0.9, (N, H)),
        params_f=params(), params_b=params()))]


def _bi_variant(mistake):
    def f(dh, x, h0_f, h0_b, params_f, params_b):
        dh_f, dh_b = dh[:, :, :H], dh[:, :, H:]
        if mistake == "halves_swapped":
            dh_f, dh_b = dh_b, dh_f
        gf = adapters.rnn_backward(dh_f, x, h0_f, **params_f)
        gb = adapters.rnn_backward(dh_b if mistake == "time_not_reversed" else dh_b[:, ::-1],
                                   x[:, ::-1], h0_b, **params_b)
        dx_b = gb[0] if mistake == "dx_not_reversed" else gb[0][:, ::-1]
        dx = gf[0] if mistake == "dx_not_summed" else gf[0] + dx_b
        return (dx, gf[1], gb[1]) + tuple(gf[2:]) + tuple(gb[2:])
    return f


def _bi_loss(p):
    h, _ = adapters.forward["bi"](p["x"], p["h0_f"], p["h0_b"], p["params_f"], p["params_b"])
    return float(np.sum(p["dh"] * h))


register(Exercise(
    name="bidirectional_backward", chapter="12_deep_bidirectional",
    title="backward pass of a bidirectional tanh RNN (rb.rnn_backward may be used)",
    args=("dh", "x", "h0_f", "h0_b", "params_f", "params_b"), outputs=BI_OUT,
    cases=_bi_cases, reference=adapters.bidirectional_backward_ref,
    variants={k: _bi_variant(k) for k in ("time_not_reversed", "dx_not_reversed",
                                           "halves_swapped", "dx_not_summed")},
    loss=_bi_loss,
    grad_of={"dx": "x", "dh0_f": "h0_f", "dh0_b": "h0_b",
             **{f"d{k}_{s}": (f"params_{s}", k) for s in "fb" for k in ("W_xh", "W_hh", "b_h")}},
    describe={"time_not_reversed": "the backward direction ran on the reversed sequence, "
              "but its gradients dh were not reversed to match",
              "dx_not_reversed": "the backward direction's dx is still in reversed time "
              "order: flip it back before adding",
              "halves_swapped": "the halves of dh are swapped: h_t = [forward, backward], "
              "so dh[:, :, :H] belongs to the forward direction",
              "dx_not_summed": "dx of one direction only: x feeds both directions, so "
              "dx is the sum of the two"},
    hints={None: ["The backward direction is an ordinary RNN run on x[:, ::-1]; its "
                  "backward pass is rb.rnn_backward on gradients in the same reversed "
                  "order.",
                  "Split dh into dh[:, :, :H] (forward) and dh[:, :, H:] (backward).",
                  "x feeds both directions: dx is the forward dx plus the backward dx "
                  "flipped back in time."]},
))
