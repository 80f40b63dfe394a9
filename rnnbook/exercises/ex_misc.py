"""Exercises of chapters 7 and 12: clipping by the global norm, the bidirectional backward."""
from __future__ import annotations

import numpy as np

from . import adapters
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
    returns="(clipped, norm)",
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
