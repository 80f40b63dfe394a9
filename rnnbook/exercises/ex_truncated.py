"""Exercise of chapter 5: depth-k truncated BPTT (``rb.rnn_backward(..., truncate=k)``)."""
from __future__ import annotations

from . import adapters
from ._spec import Exercise, register
from .ex_backprop import SEQ_DESCRIBE, SEQ_HINTS, SEQ_OUTPUTS, _bptt, _seq_cases

__all__ = []


# --------------------------------------------------- chapter 5: truncated BPTT
def _trunc_variant(mistake):
    def f(dh, x, h0, W_xh, W_hh, b_h, k):
        if mistake == "truncation_off_by_one/short":
            return _bptt(dh, x, h0, W_xh, W_hh, b_h, k=max(k - 1, 1))
        if mistake == "truncation_off_by_one/long":
            return _bptt(dh, x, h0, W_xh, W_hh, b_h, k=k + 1)
        if mistake == "not_truncated":
            return _bptt(dh, x, h0, W_xh, W_hh, b_h)
        return _bptt(dh, x, h0, W_xh, W_hh, b_h, k=k, mistake=mistake)
    return f


TRUNC_MISTAKES = ("truncation_off_by_one/short", "truncation_off_by_one/long",
                  "not_truncated", "chunked", "forgot_dh0", "no_activation_derivative",
                  "dh0_off_by_one_step", "transpose")

register(Exercise(
    name="truncated_bptt", chapter="05_truncated_bptt",
    title="depth-k truncated BPTT: each loss term backpropagates through k steps",
    args=("dh", "x", "h0", "W_xh", "W_hh", "b_h", "k"),
    outputs=SEQ_OUTPUTS, cases=lambda rng: _seq_cases(rng, k=3),
    reference=adapters.truncated_backward,
    variants={k: _trunc_variant(k) for k in TRUNC_MISTAKES},
    fd_note="finite differences: n/a (a truncated gradient is not the gradient of the "
            "loss; the reference is rb.rnn_backward(..., truncate=k)).",
    describe={**SEQ_DESCRIBE,
              "truncation_off_by_one/short": "each loss term reaches back k-1 steps "
              "instead of k (truncation off by one step)",
              "truncation_off_by_one/long": "each loss term reaches back k+1 steps "
              "instead of k (truncation off by one step)",
              "not_truncated": "the full BPTT gradient: the truncation is not applied",
              "chunked": "gradients flow only inside fixed blocks of k steps: that is "
              "TBPTT(k, k), not a depth-k truncation of every loss term"},
    hints={None: ["The loss term of step t backpropagates through steps t, t-1, ..., "
                  "t-k+1: k steps including its own; h_{t-k} is a constant.",
                  "Loop over the loss terms t; for each, walk back at most k-1 steps and "
                  "add every delta into da[:, s]; then form all the weight gradients "
                  "from da at once.",
                  "dh0 receives gradient only from the terms whose window reaches "
                  "step 0, i.e. t < k."],
           "truncation_off_by_one": ["Count the steps of one window, the loss term's own "
                                     "step included: with k = 1 only the step itself "
                                     "contributes.",
                                     "For t = k-1 the window is steps k-1, ..., 0, so it "
                                     "just reaches h0."],
           "not_truncated": ["Stop each term's walk back after k steps (its own step "
                             "included)."],
           "chunked": ["Truncation here is per loss term: the term at step t always "
                       "reaches back min(k, t+1) steps, wherever t lies."],
           **{c: v for c, v in SEQ_HINTS.items() if c is not None}},
))
