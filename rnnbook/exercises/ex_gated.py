"""Exercises of chapters 8 and 9: the LSTM step and the GRU step (both formulations)."""
from __future__ import annotations

import numpy as np

from . import adapters
from ._spec import DIMS, Exercise, register

__all__ = []

N, D, H = DIMS["N"], DIMS["D"], DIMS["H"]


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


# ------------------------------------------------------------------ LSTM
def _lstm(dh, dc, x, h_prev, c_prev, W_xh, W_hh, b, mistake=None):
    a = x @ W_xh + h_prev @ W_hh + b
    blk = {"i": 0, "f": 1, "g": 2, "o": 3}
    if mistake == "gate_order":                   # (i, f, o, g) instead of (i, f, g, o)
        blk = {"i": 0, "f": 1, "o": 2, "g": 3}
    A = {k: a[:, j * H:(j + 1) * H] for k, j in blk.items()}
    i, f, o, g = _sig(A["i"]), _sig(A["f"]), _sig(A["o"]), np.tanh(A["g"])
    c = f * c_prev + i * g
    tc = np.tanh(c)
    do = dh * tc
    if mistake == "no_activation_derivative/cell":
        dct = dc + dh * o
    elif mistake == "dh_not_into_dc":
        dct = dc
    else:
        dct = dc + dh * o * (1 - tc ** 2)
    di, df, dg = dct * g, dct * c_prev, dct * i
    dc_prev = dct if mistake == "dc_prev_missing_forget_gate" else dct * f
    if mistake == "no_activation_derivative/gates":
        dA = {"i": di, "f": df, "g": dg, "o": do}
    else:
        dA = {"i": di * i * (1 - i), "f": df * f * (1 - f), "g": dg * (1 - g ** 2),
              "o": do * o * (1 - o)}
    da = np.concatenate([dA[k] for k in sorted(blk, key=blk.get)], axis=1)
    return da @ W_xh.T, da @ W_hh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(0)


def _lstm_cases(rng):
    return [("random float64, gates (i, f, g, o)", dict(
        dh=rng.standard_normal((N, H)), dc=rng.standard_normal((N, H)),
        x=rng.standard_normal((N, D)), h_prev=rng.uniform(-0.9, 0.9, (N, H)),
        c_prev=rng.standard_normal((N, H)), W_xh=rng.normal(0, 0.5, (D, 4 * H)),
        W_hh=rng.normal(0, 0.5, (H, 4 * H)), b=rng.normal(0, 0.3, 4 * H)))]


def _lstm_loss(p):
    h, c = adapters.forward["lstm_step"](p["x"], p["h_prev"], p["c_prev"], p["W_xh"],
                                         p["W_hh"], p["b"])
    return float(np.sum(p["dh"] * h) + np.sum(p["dc"] * c))


LSTM_MISTAKES = ("no_activation_derivative/cell", "no_activation_derivative/gates",
                 "dh_not_into_dc", "dc_prev_missing_forget_gate", "gate_order")

register(Exercise(
    name="lstm_step_backward", chapter="08_lstm",
    title="backward pass of one LSTM step",
    args=("dh", "dc", "x", "h_prev", "c_prev", "W_xh", "W_hh", "b"),
    outputs=(("dx", ("N", "D")), ("dh_prev", ("N", "H")), ("dc_prev", ("N", "H")),
             ("dW_xh", ("D", "4H")), ("dW_hh", ("H", "4H")), ("db", ("4H",))),
    cases=_lstm_cases, reference=adapters.lstm_step_backward,
    variants={k: (lambda m: lambda *a: _lstm(*a, mistake=m))(k) for k in LSTM_MISTAKES},
    loss=_lstm_loss,
    grad_of={"dx": "x", "dh_prev": "h_prev", "dc_prev": "c_prev", "dW_xh": "W_xh",
             "dW_hh": "W_hh", "db": "b"},
    describe={"no_activation_derivative/cell": "the path from h to c misses tanh'(c_t) = "
              "1 - tanh(c_t)^2",
              "no_activation_derivative/gates": "the gates' derivatives (sigmoid' and "
              "tanh') are missing: the gradients of the activated gates are used as "
              "gradients of the pre-activations",
              "dh_not_into_dc": "the gradient reaching c_t through h_t = omega_t * "
              "tanh(c_t) is not added to dc",
              "dc_prev_missing_forget_gate": "dc_prev is missing the factor f_t "
              "(c_t = f_t * c_{t-1} + i_t * g_t)",
              "gate_order": "the gates are read in the order (i, f, omega, g); the book "
              "and PyTorch stack them as (i, f, g, omega)"},
    hints={None: ["Recompute the gates from a = x W_xh + h_prev W_hh + b, stacked as "
                  "(i, f, g, omega) along the last axis, then c and h.",
                  "First the total gradient at c_t: the dc that arrives plus the path "
                  "through h_t = omega * tanh(c_t).",
                  "Then the gradients of the four gates, then of their pre-activations "
                  "(sigmoid' = s(1-s), tanh' = 1 - g^2), stacked in the same order; the "
                  "weights follow from the matrix rules."],
           "dh_not_into_dc": ["c_t is used twice: by the next step (dc) and by h_t. Add "
                              "dh * omega * (1 - tanh(c)^2) to dc."],
           "no_activation_derivative/cell": ["h_t = omega * tanh(c_t): its derivative "
                                             "with respect to c_t contains "
                                             "1 - tanh(c_t)^2."],
           "dc_prev_missing_forget_gate": ["Differentiate c_t = f * c_prev + i * g with "
                                           "respect to c_prev."],
           "gate_order": ["Slice a as [:, :H] -> i, [:, H:2H] -> f, [:, 2H:3H] -> g, "
                          "[:, 3H:] -> omega."],
           "no_activation_derivative/gates": ["Each gate is an activation of its "
                                              "pre-activation: multiply by sigmoid'(a) "
                                              "= s(1-s) or tanh'(a) = 1 - g^2."]},
))


# ------------------------------------------------------------------- GRU
def _gru(dh, x, h_prev, W_xh, W_hh, b_xh, b_hh, form, mistake=None):
    Ax = x @ W_xh + b_xh
    S = slice(2 * H, 3 * H)
    if form == "pytorch":
        Ah = h_prev @ W_hh + b_hh
        hn = Ah[:, S]
    else:
        Ah = h_prev @ W_hh[:, :2 * H] + b_hh[:2 * H]
    r, z = _sig(Ax[:, :H] + Ah[:, :H]), _sig(Ax[:, H:2 * H] + Ah[:, H:2 * H])
    if form == "pytorch":
        n = np.tanh(Ax[:, S] + r * hn)
    else:
        rh = r * h_prev
        n = np.tanh(Ax[:, S] + rh @ W_hh[:, S] + b_hh[S])
    if mistake == "z_convention":                 # h = z * n + (1 - z) * h_prev
        dn, dz, direct = dh * z, dh * (n - h_prev), dh * (1 - z)
    else:                                         # h = (1 - z) * n + z * h_prev
        dn, dz, direct = dh * (1 - z), dh * (h_prev - n), dh * z
    if mistake == "missing_path/direct":
        direct = 0 * direct
    nod = mistake == "no_activation_derivative"
    da_n = dn if nod else dn * (1 - n ** 2)
    da_z = dz if nod else dz * z * (1 - z)
    if form == "pytorch":
        dr = da_n * hn
        da_r = dr if nod else dr * r * (1 - r)
        dA_h = np.concatenate([da_r, da_z, da_n if mistake == "reset_gate_missing" else
                               da_n * r], axis=1)
        dh_prev = direct + dA_h @ W_hh.T
        dW_hh, db_hh = h_prev.T @ dA_h, dA_h.sum(0)
    else:
        d_rh = da_n @ W_hh[:, S].T
        da_r = d_rh * h_prev if nod else d_rh * h_prev * r * (1 - r)
        dA_h = np.concatenate([da_r, da_z], axis=1)
        via_r = 0 if mistake == "missing_path/reset" else d_rh * r
        dh_prev = direct + via_r + dA_h @ W_hh[:, :2 * H].T
        dW_hh = np.concatenate([h_prev.T @ dA_h, rh.T @ da_n], axis=1)
        db_hh = np.concatenate([dA_h.sum(0), da_n.sum(0)])
    dA_x = np.concatenate([da_r, da_z, da_n], axis=1)
    return dA_x @ W_xh.T, dh_prev, x.T @ dA_x, dW_hh, dA_x.sum(0), db_hh


def _gru_cases(rng):
    return [("random float64, gates (r, z, n)", dict(
        dh=rng.standard_normal((N, H)), x=rng.standard_normal((N, D)),
        h_prev=rng.uniform(-0.9, 0.9, (N, H)), W_xh=rng.normal(0, 0.5, (D, 3 * H)),
        W_hh=rng.normal(0, 0.5, (H, 3 * H)), b_xh=rng.normal(0, 0.3, 3 * H),
        b_hh=rng.normal(0, 0.3, 3 * H)))]


def _gru_loss(form):
    def loss(p):
        return float(np.sum(p["dh"] * adapters.forward["gru_step"](
            p["x"], p["h_prev"], p["W_xh"], p["W_hh"], p["b_xh"], p["b_hh"], form)))
    return loss


GRU_DESCRIBE = {
    "z_convention": "the backward of h = z * n + (1 - z) * h_prev (d2l's convention "
                    "swapped); the book and PyTorch use h = (1 - z) * n + z * h_prev",
    "no_activation_derivative": "the gates' derivatives (sigmoid' and tanh') are missing",
    "missing_path/direct": "dh_prev misses the direct path z * dh (h = ... + z * h_prev)",
    "missing_path/reset": "dh_prev misses the path through r * h_prev in the candidate",
    "reset_gate_missing": "the candidate block of the recurrent gradient misses the factor "
                          "r (n = tanh(x W_xn + b_xn + r * (h_prev W_hn + b_hn)))",
    "wrong_formulation": "the backward pass of the other GRU formulation",
}
GRU_HINTS = {
    None: ["Recompute r, z and n first (gates stacked as (r, z, n)), then h = (1 - z) * n "
           "+ z * h_prev.",
           "From dh: dn = dh * (1 - z), dz = dh * (h_prev - n), and a direct term dh * z "
           "for h_prev; then the pre-activations with sigmoid' and tanh'.",
           "h_prev is used in four places (r, z, the candidate and the direct path): "
           "dh_prev is the sum of four terms."],
    "z_convention": ["Which of n and h_prev does z multiply? Here z keeps the old state: "
                     "h = (1 - z) * n + z * h_prev."],
    "missing_path": ["h_prev is used in four places: list them and add one term for "
                     "each to dh_prev."],
    "reset_gate_missing": ["In this formulation r multiplies h_prev W_hn + b_hn: the "
                           "gradient of that block is da_n * r."],
    "wrong_formulation": ["Check where the reset gate acts: PyTorch's n = tanh(x W_xn + "
                          "b_xn + r * (h_prev W_hn + b_hn)), Cho et al.'s n = tanh(x W_xn "
                          "+ b_xn + (r * h_prev) W_hn + b_hn)."],
}
GRU_OUTPUTS = (("dx", ("N", "D")), ("dh_prev", ("N", "H")), ("dW_xh", ("D", "3H")),
               ("dW_hh", ("H", "3H")), ("db_xh", ("3H",)), ("db_hh", ("3H",)))
GRU_GRADS = {"dx": "x", "dh_prev": "h_prev", "dW_xh": "W_xh", "dW_hh": "W_hh",
             "db_xh": "b_xh", "db_hh": "b_hh"}
GRU_ARGS = ("dh", "x", "h_prev", "W_xh", "W_hh", "b_xh", "b_hh")


def _gru_variants(form):
    other = adapters.gru_step_backward_cho if form == "pytorch" else adapters.gru_step_backward
    keys = ["z_convention", "no_activation_derivative", "missing_path/direct"]
    keys.append("reset_gate_missing" if form == "pytorch" else "missing_path/reset")
    out = {k: (lambda m: lambda *a: _gru(*a, form, mistake=m))(k) for k in keys}
    out["wrong_formulation"] = other
    return out


# One exercise per formulation: the same fixtures, loss and mistakes, each with the other
# formulation's correct backward pass as its "wrong_formulation" mistake.
for _name, _form, _who in (("gru_step_backward", "pytorch", "PyTorch's"),
                           ("gru_step_backward_cho", "cho", "Cho et al.'s")):
    register(Exercise(
        name=_name, chapter="09_gru",
        title=f"backward pass of one GRU step, {_who} formulation",
        args=GRU_ARGS, outputs=GRU_OUTPUTS, cases=_gru_cases,
        reference=getattr(adapters, _name), variants=_gru_variants(_form),
        loss=_gru_loss(_form), grad_of=GRU_GRADS, describe=GRU_DESCRIBE, hints=GRU_HINTS,
    ))
