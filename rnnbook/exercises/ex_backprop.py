"""Exercises of chapters 1 and 4: MLP backward, the RNN step, full BPTT.

The readers' functions receive the upstream gradient and the inputs of the forward
pass (they recompute the forward pass themselves). The ``_variant`` functions are the
same computations with one typical mistake switched on; the checker compares the
reader's outputs with them to name a mistake.
"""
from __future__ import annotations

import numpy as np

from . import adapters
from ._spec import DIMS, Exercise, register

__all__ = []

N, T, D, H, V = (DIMS[k] for k in "NTDHV")


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


# ---------------------------------------------------------------- chapter 1: MLP
def _mlp_variant(mistake):
    def f(dy, x, W1, b1, W2, b2):
        a1 = x @ W1 + b1
        O1 = _sig(a1)
        y = _sig(O1 @ W2 + b2)
        if mistake == "no_activation_derivative":
            d2 = dy
        elif mistake == "fprime_wrong_argument":
            d2 = dy * _sig(y) * (1 - _sig(y))
        else:
            d2 = dy * y * (1 - y)
        dO1 = d2 @ W2.T
        if mistake in ("no_activation_derivative", "no_activation_derivative/hidden"):
            d1 = dO1
        elif mistake == "fprime_wrong_argument":
            d1 = dO1 * _sig(O1) * (1 - _sig(O1))
        else:
            d1 = dO1 * O1 * (1 - O1)
        return d1 @ W1.T, x.T @ d1, d1.sum(0), O1.T @ d2, d2.sum(0)
    return f


def _mlp_cases(rng):
    return [("random float64, sigmoid layers", dict(
        dy=rng.standard_normal((N, V)), x=rng.standard_normal((N, D)),
        W1=rng.normal(0, 0.7, (D, H)), b1=rng.normal(0, 0.3, H),
        W2=rng.normal(0, 0.7, (H, V)), b2=rng.normal(0, 0.3, V)))]


def _mlp_loss(p):
    return float(np.sum(p["dy"] * adapters.forward["mlp"](p["x"], p["W1"], p["b1"], p["W2"],
                                                          p["b2"])[1]))


FPRIME_WRONG = ("f' evaluated at the output instead of the pre-activation: the derivative "
                "is written with the cached output (f'(a) = 1 - h^2 for tanh, O (1 - O) for "
                "the sigmoid), so f must not be applied again")
NO_FPRIME = "the activation derivative f'(a) is missing (the gradient skips the nonlinearity)"

register(Exercise(
    name="mlp_backward", chapter="01_backprop",
    title="backward pass of a two-layer sigmoid MLP",
    args=("dy", "x", "W1", "b1", "W2", "b2"),
    outputs=(("dx", ("N", "D")), ("dW1", ("D", "H")), ("db1", ("H",)),
             ("dW2", ("H", "V")), ("db2", ("V",))),
    cases=_mlp_cases, reference=adapters.mlp_backward,
    variants={k: _mlp_variant(k) for k in ("no_activation_derivative",
                                           "no_activation_derivative/hidden",
                                           "fprime_wrong_argument")},
    loss=_mlp_loss,
    grad_of={"dx": "x", "dW1": "W1", "db1": "b1", "dW2": "W2", "db2": "b2"},
    describe={"no_activation_derivative": NO_FPRIME,
              "no_activation_derivative/hidden": "the hidden layer's sigmoid derivative "
              "O1 (1 - O1) is missing",
              "fprime_wrong_argument": FPRIME_WRONG},
    hints={None: ["Work backwards one layer at a time: first da2 = dLoss/da2 for the "
                  "output layer's pre-activation, then everything of layer 2, then dO1.",
                  "For a = O W + b: dW = O^T da, db = da summed over the batch, "
                  "dO = da W^T; and da = dO * f'(a).",
                  "The sigmoid's derivative is f'(a) = O (1 - O) with O = f(a)."],
           "no_activation_derivative": ["Between dO and da there is the derivative of "
                                        "the activation: da = dO * f'(a).",
                                        "For the sigmoid, f'(a) = O (1 - O)."],
           "fprime_wrong_argument": ["O (1 - O) already is f'(a) when O = sigmoid(a): "
                                     "do not apply the sigmoid to O again."]},
))


# ------------------------------------------------------- chapter 4: one RNN step
def _step_variant(mistake):
    def f(dh, x, h_prev, W_xh, W_hh, b_h):
        h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
        if mistake == "no_activation_derivative":
            da = dh
        elif mistake == "fprime_wrong_argument":
            da = dh * (1 - np.tanh(h) ** 2)
        else:
            da = dh * (1 - h ** 2)
        dh_prev = da @ (W_hh if mistake == "transpose" else W_hh.T)
        return da @ W_xh.T, dh_prev, x.T @ da, h_prev.T @ da, da.sum(0)
    return f


def _step_cases(rng):
    return [("random float64, tanh", dict(
        dh=rng.standard_normal((N, H)), x=rng.standard_normal((N, D)),
        h_prev=rng.uniform(-0.9, 0.9, (N, H)), W_xh=rng.normal(0, 0.5, (D, H)),
        W_hh=rng.normal(0, 0.5, (H, H)), b_h=rng.normal(0, 0.3, H)))]


def _step_loss(p):
    return float(np.sum(p["dh"] * adapters.forward["rnn_step"](
        p["x"], p["h_prev"], p["W_xh"], p["W_hh"], p["b_h"])))


RNN_GRADS = {"dx": "x", "dW_xh": "W_xh", "dW_hh": "W_hh", "db_h": "b_h"}
RNN_HINTS = {
    "no_activation_derivative": ["Every gradient of the step passes through the "
                                 "pre-activation a = x W_xh + h_prev W_hh + b_h: first "
                                 "da = dh * f'(a).",
                                 "For tanh, f'(a) = 1 - h^2 with h = tanh(a)."],
    "fprime_wrong_argument": ["1 - h^2 already is tanh'(a) when h = tanh(a): do not apply "
                              "tanh to h again."],
    "transpose": ["a = h_prev W_hh, so dh_prev = da W_hh^T (and dW_hh = h_prev^T da).",
                  "With a square W_hh both orders have the right shape; only the values "
                  "tell them apart."],
}

register(Exercise(
    name="rnn_step_backward", chapter="04_bptt",
    title="backward pass of one tanh RNN step",
    args=("dh", "x", "h_prev", "W_xh", "W_hh", "b_h"),
    outputs=(("dx", ("N", "D")), ("dh_prev", ("N", "H")), ("dW_xh", ("D", "H")),
             ("dW_hh", ("H", "H")), ("db_h", ("H",))),
    cases=_step_cases, reference=adapters.rnn_step_backward,
    variants={k: _step_variant(k) for k in ("no_activation_derivative",
                                            "fprime_wrong_argument", "transpose")},
    loss=_step_loss, grad_of={**RNN_GRADS, "dh_prev": "h_prev"},
    describe={"no_activation_derivative": NO_FPRIME, "fprime_wrong_argument": FPRIME_WRONG,
              "transpose": "uses W_hh where W_hh^T belongs (missing transpose)"},
    hints={None: ["Recompute h = tanh(x W_xh + h_prev W_hh + b_h), then da = dh * f'(a); "
                  "every output follows from da.",
                  "The two matrix rules of chapter 1: for a = X W, dX = da W^T and "
                  "dW = X^T da; the bias gets da summed over the batch.",
                  "Check each output's shape against the one listed: dX has the shape "
                  "of X."], **RNN_HINTS},
))


# --------------------------------------------------- chapters 4 and 5: BPTT
def _bptt(dh, x, h0, W_xh, W_hh, b_h, k=None, mistake=None):
    """Depth-k truncated (k=None: full) BPTT with one optional mistake."""
    Tn = x.shape[1]
    h = np.empty(dh.shape)
    prev = h0
    for t in range(Tn):
        prev = h[:, t] = np.tanh(x[:, t] @ W_xh + prev @ W_hh + b_h)
    fp = np.ones_like(h) if mistake == "no_activation_derivative" else 1 - h ** 2
    WT = W_hh if mistake == "transpose" else W_hh.T
    da, dh0 = np.zeros_like(h), np.zeros_like(h0)
    if k is None and mistake == "chunked":
        raise ValueError("chunked needs k")
    depth = Tn if k is None else k
    for t in range(Tn):                           # the loss term of step t ...
        start = (t // depth) * depth if mistake == "chunked" else t - depth + 1
        if mistake == "no_backprop_through_time":
            start = t
        g = dh[:, t] * fp[:, t]
        da[:, t] += g
        for s in range(t - 1, max(start, 0) - 1, -1):      # ... reaches s = t-1 .. start
            g = g @ WT
            g = g if mistake == "no_activation_derivative/carry" else g * fp[:, s]
            da[:, s] += g
        if start <= 0:
            dh0 += g if mistake == "dh0_off_by_one_step" else g @ WT
    if mistake == "wrong_time_order":             # recursion run forwards in time
        da, carry = np.zeros_like(h), np.zeros_like(h0)
        for t in range(Tn):
            da[:, t] = (dh[:, t] + carry) * fp[:, t]
            carry = da[:, t] @ WT
        dh0 = da[:, 0] @ WT
    if mistake == "forgot_dh0":
        dh0 = np.zeros_like(h0)
    hp = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    if mistake == "not_summed_over_time":         # parameters from the last step only
        sl = slice(Tn - 1, Tn)
        da_p, x_p, hp_p = da[:, sl], x[:, sl], hp[:, sl]
    else:
        da_p, x_p, hp_p = da, x, hp
    return (da @ W_xh.T, dh0, np.einsum("ntd,nth->dh", x_p, da_p),
            np.einsum("ntj,nth->jh", hp_p, da_p), da_p.sum((0, 1)))


def _seq_cases(rng, k=None):
    inputs = dict(dh=rng.standard_normal((N, T, H)), x=rng.standard_normal((N, T, D)),
                  h0=rng.uniform(-0.9, 0.9, (N, H)), W_xh=rng.normal(0, 0.5, (D, H)),
                  W_hh=rng.normal(0, 0.6, (H, H)), b_h=rng.normal(0, 0.3, H))
    if k is None:
        return [("random float64, tanh, a loss term at every step", inputs)]
    return [(f"random float64, tanh, k = {k}", {**inputs, "k": k})]


def _seq_loss(p):
    return float(np.sum(p["dh"] * adapters.forward["rnn"](
        p["x"], p["h0"], p["W_xh"], p["W_hh"], p["b_h"])))


SEQ_MISTAKES = ("no_activation_derivative", "no_activation_derivative/carry",
                "no_backprop_through_time", "not_summed_over_time", "forgot_dh0",
                "dh0_off_by_one_step", "transpose", "wrong_time_order")
SEQ_DESCRIBE = {
    "no_activation_derivative": NO_FPRIME,
    "no_activation_derivative/carry": "the gradient arriving from step t+1 is added after "
    "the multiplication by f'(a_t) instead of before",
    "no_backprop_through_time": "each step sees only its own loss term: the gradient "
    "from later steps (dh_prev of step t+1) is never added",
    "not_summed_over_time": "only the last step's contribution: the weights are shared by "
    "all steps, so their gradients are sums over t",
    "forgot_dh0": "dh0 is zero: the gradient that leaves the sequence at h_{-1} is "
    "forgotten (it is dh_prev of step 0)",
    "dh0_off_by_one_step": "dh0 equals delta_0: the last product with W_hh^T "
    "(dh_{-1} = delta_0 W_hh^T) is missing",
    "transpose": "the recursion multiplies by W_hh where W_hh^T belongs (missing transpose)",
    "wrong_time_order": "the recursion runs forwards in time; it must start at the last "
    "step, t = T-1, and go back to t = 0",
}
SEQ_HINTS = {
    None: ["Loop t = T-1, ..., 0 with a carry: the total gradient at h_t is dh[:, t] plus "
           "what step t+1 sends back; then use the step backward of this chapter.",
           "The weights are shared by all steps: add every step's dW_xh, dW_hh, db_h.",
           "After the loop, the carry is dLoss/dh_{-1}: that is dh0."],
    "no_backprop_through_time": ["dh_t is the local gradient dh[:, t] PLUS the dh_prev "
                                 "returned by step t+1.",
                                 "Keep a variable carry = 0 before the loop; each step "
                                 "uses dh[:, t] + carry and sets carry = dh_prev."],
    "not_summed_over_time": ["Initialise dW_xh, dW_hh, db_h with zeros and ADD each "
                             "step's contribution (+=), do not overwrite it."],
    "forgot_dh0": ["h0 is an input like any other: return the carry that leaves step 0."],
    "dh0_off_by_one_step": ["dh0 is what step 0 sends back to its h_prev: delta_0 times "
                            "W_hh^T."],
    "wrong_time_order": ["Step t's gradient needs what step t+1 sends back, so the loop "
                         "runs backwards: range(T - 1, -1, -1)."],
    "no_activation_derivative/carry": ["delta_t = (dh[:, t] + carry) * f'(a_t): the "
                                       "carried gradient also passes through the "
                                       "nonlinearity of step t."],
    **{k: v for k, v in RNN_HINTS.items() if k != "fprime_wrong_argument"},
}


def _seq_variant(mistake):
    return lambda dh, x, h0, W_xh, W_hh, b_h: _bptt(dh, x, h0, W_xh, W_hh, b_h,
                                                    mistake=mistake)


SEQ_OUTPUTS = (("dx", ("N", "T", "D")), ("dh0", ("N", "H")), ("dW_xh", ("D", "H")),
               ("dW_hh", ("H", "H")), ("db_h", ("H",)))

register(Exercise(
    name="rnn_backward", chapter="04_bptt",
    title="full backpropagation through time for a tanh RNN",
    args=("dh", "x", "h0", "W_xh", "W_hh", "b_h"),
    outputs=SEQ_OUTPUTS, cases=_seq_cases, reference=adapters.rnn_backward,
    variants={k: _seq_variant(k) for k in SEQ_MISTAKES},
    loss=_seq_loss, grad_of={**RNN_GRADS, "dh0": "h0"},
    describe=SEQ_DESCRIBE, hints=SEQ_HINTS,
))
