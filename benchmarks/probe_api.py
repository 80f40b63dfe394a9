"""A hostile probe of rnnbook's public API (the names re-exported by ``rnnbook``).

Usage: python benchmarks/probe_api.py [--only MODULE[,MODULE]] [--timeout 5] [-v]

For each public function the probe builds one valid call, then replaces each argument
in turn by hostile values chosen from the argument's kind: wrong number of
dimensions, wrong size, integer instead of floating dtype, NaN, infinity, None, a
string, an unrelated object; for sizes 0, -1, 2.5 and "3"; for options an unknown
name and the right name in capitals; for parameter dicts a missing key, a wrong
shape and a NaN; for caches None, a plain tuple and another layer's cache. Every
outcome is classified:

* ``clear``: ValueError or TypeError whose message names the argument as a word (for
  a dict, the argument or one of its keys), so that the letter c inside another word
  does not count as naming the argument ``c``;
* ``obscure``: any other exception, or one that does not name the argument;
* ``silent``: the invalid input was accepted (``silent-nan``: and a NaN or infinity
  came out);
* ``hang``: no answer within the timeout;
* ``mutated``: an argument was changed in place, or returned as the same object.

Valid calls are checked too (they must succeed, return finite numbers, and leave
their arguments alone). The script prints counts per module and the list of every
case that is not ``clear``; nothing is written to disk. It changes no tracked file.
"""
from __future__ import annotations

import argparse
import copy
import inspect
import re
import signal
import sys
from collections import Counter, defaultdict

import numpy as np

import rnnbook as rb


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


# ---------------------------------------------------------------- valid calls --
def _rng():
    return np.random.default_rng(0)


def _arr(*shape, seed=0, scale=0.5):
    return scale * np.random.default_rng(seed + sum(shape)).standard_normal(shape)


N, T, D, H, V = 2, 3, 4, 5, 3


def _rnn_cache():
    return rb.rnn_forward(_arr(N, T, D), np.zeros((N, H)), _arr(D, H), _arr(H, H), _arr(H))[1]


def _lstm_cache():
    return rb.lstm_forward(_arr(N, T, D), np.zeros((N, H)), _arr(D, 4 * H), _arr(H, 4 * H),
                           _arr(4 * H))[1]


def _gru_cache():
    return rb.gru_forward(_arr(N, T, D), np.zeros((N, H)), _arr(D, 3 * H), _arr(H, 3 * H),
                          _arr(3 * H), _arr(3 * H))[1]


def _cell_params(cell):
    return rb.cell_init(cell, D, H, _rng())


def _model_params():
    return rb.models.init_params("gru", D, H, V, _rng())


def _seq2seq_params():
    return rb.seq2seq_init("gru", 4, H, _rng())


def _ids(shape, hi, seed=0):
    return np.random.default_rng(seed).integers(0, hi, shape)


def _step_cache(kind):
    if kind == "rnn":
        return rb.rnn_step_forward(_arr(N, D), _arr(N, H), _arr(D, H), _arr(H, H), _arr(H))[1]
    if kind == "lstm":
        return rb.lstm_step_forward(_arr(N, D), _arr(N, H), _arr(N, H), _arr(D, 4 * H),
                                    _arr(H, 4 * H), _arr(4 * H))[2]
    return rb.gru_step_forward(_arr(N, D), _arr(N, H), _arr(D, 3 * H), _arr(H, 3 * H),
                               _arr(3 * H), _arr(3 * H))[1]


def _elman_params():
    return rb.init_rnn_params(D, H, _rng()) | {"W_hq": _arr(H, V), "b_q": _arr(V)}


def _grads():
    return {"W": _arr(3, 2), "b": _arr(2)}


# name -> (function, builder of valid kwargs, options)
# options: free_shape (args of any shape), free_dtype (args of any numeric dtype),
# none_ok (args that accept None), inplace (args documented as updated in place),
# skip (args not to mutate), ok (dict arg -> list of hostile labels that are valid).
SPECS = {
    # activations / losses
    # elementwise activations follow IEEE arithmetic (tanh(inf) = 1, NaN -> NaN): by design
    "sigmoid": (rb.sigmoid, lambda: dict(a=_arr(3, 2)), dict(free_shape={"a"}, free_dtype={"a"},
                                                            nonfinite_ok={"a"})),
    "tanh": (rb.tanh, lambda: dict(a=_arr(3, 2)), dict(free_shape={"a"}, free_dtype={"a"},
                                                      nonfinite_ok={"a"})),
    "relu": (rb.relu, lambda: dict(a=_arr(3, 2)), dict(free_shape={"a"}, free_dtype={"a"},
                                                      nonfinite_ok={"a"})),
    "identity": (rb.identity, lambda: dict(a=_arr(3, 2)), dict(free_shape={"a"}, free_dtype={"a"},
                                                              nonfinite_ok={"a"})),
    "activation": (rb.activation, lambda: dict(name="tanh"), {}),
    "activation_grad": (rb.activation_grad, lambda: dict(name="relu"), {}),
    "softmax": (rb.softmax, lambda: dict(z=_arr(3, 4)), dict(free_shape={"z"}, free_dtype={"z"},
                                                              skip={"axis"})),
    "log_softmax": (rb.log_softmax, lambda: dict(z=_arr(3, 4)),
                    dict(free_shape={"z"}, free_dtype={"z"}, skip={"axis"})),
    "cross_entropy": (rb.cross_entropy, lambda: dict(logits=_arr(4, V), targets=_ids(4, V)),
                      dict(last_free={"logits"})),
    "mse": (rb.mse, lambda: dict(y=_arr(4, 2), target=_arr(4, 2, seed=1)),
            dict(free_shape={"y"})),
    "temporal_softmax_loss": (rb.temporal_softmax_loss,
                              lambda: dict(logits=_arr(N, T, V), targets=_ids((N, T), V),
                                           mask=np.ones((N, T), bool)), dict(last_free={"logits"})),
    "temporal_mse": (rb.temporal_mse, lambda: dict(y=_arr(N, T, V), target=_arr(N, T, V, seed=1),
                                                   mask=np.ones((N, T), bool)), {}),
    "rel_error": (rb.rel_error, lambda: dict(a=_arr(3), b=_arr(3, seed=1)),
                  dict(free_shape={"a", "b"}, free_dtype={"a", "b"})),
    # layers
    "rnn_step_forward": (rb.rnn_step_forward, lambda: dict(
        x=_arr(N, D), h_prev=_arr(N, H), W_xh=_arr(D, H), W_hh=_arr(H, H), b_h=_arr(H)), {}),
    "rnn_step_backward": (rb.rnn_step_backward, lambda: dict(dh=_arr(N, H), cache=_step_cache("rnn")), {}),
    "rnn_forward": (rb.rnn_forward, lambda: dict(
        x=_arr(N, T, D), h0=_arr(N, H), W_xh=_arr(D, H), W_hh=_arr(H, H), b_h=_arr(H)), {}),
    "rnn_backward": (rb.rnn_backward, lambda: dict(dh=_arr(N, T, H), cache=_rnn_cache()),
                     dict(none_ok={"truncate"})),
    "lstm_step_forward": (rb.lstm_step_forward, lambda: dict(
        x=_arr(N, D), h_prev=_arr(N, H), c_prev=_arr(N, H), W_xh=_arr(D, 4 * H),
        W_hh=_arr(H, 4 * H), b=_arr(4 * H)), {}),
    "lstm_step_backward": (rb.lstm_step_backward, lambda: dict(
        dh=_arr(N, H), dc=_arr(N, H), cache=_step_cache("lstm")), {}),
    "lstm_forward": (rb.lstm_forward, lambda: dict(
        x=_arr(N, T, D), h0=_arr(N, H), W_xh=_arr(D, 4 * H), W_hh=_arr(H, 4 * H), b=_arr(4 * H),
        c0=_arr(N, H)), {}),
    "lstm_backward": (rb.lstm_backward, lambda: dict(dh=_arr(N, T, H), cache=_lstm_cache()), {}),
    "gru_step_forward": (rb.gru_step_forward, lambda: dict(
        x=_arr(N, D), h_prev=_arr(N, H), W_xh=_arr(D, 3 * H), W_hh=_arr(H, 3 * H),
        b_xh=_arr(3 * H), b_hh=_arr(3 * H), formulation="cho"), {}),
    "gru_step_backward": (rb.gru_step_backward, lambda: dict(dh=_arr(N, H), cache=_step_cache("gru")), {}),
    "gru_forward": (rb.gru_forward, lambda: dict(
        x=_arr(N, T, D), h0=_arr(N, H), W_xh=_arr(D, 3 * H), W_hh=_arr(H, 3 * H),
        b_xh=_arr(3 * H), b_hh=_arr(3 * H), formulation="cho"), {}),
    "gru_backward": (rb.gru_backward, lambda: dict(dh=_arr(N, T, H), cache=_gru_cache()), {}),
    "leaky_rnn_forward": (rb.leaky_rnn_forward, lambda: dict(
        x=_arr(N, T, D), h0=_arr(N, H), W_xh=_arr(D, H), W_hh=_arr(H, H), b_h=_arr(H),
        alpha=0.5), {}),
    "leaky_rnn_backward": (rb.leaky_rnn_backward, lambda: dict(dh=_arr(N, T, H), cache=rb.leaky_rnn_forward(
        _arr(N, T, D), np.zeros((N, H)), _arr(D, H), _arr(H, H), _arr(H), 0.5)[1]), {}),
    "skip_rnn_forward": (rb.skip_rnn_forward, lambda: dict(
        x=_arr(N, T, D), h0=_arr(N, H), W_xh=_arr(D, H), W_hh=_arr(H, H), W_skip=_arr(H, H),
        b_h=_arr(H), d=2), {}),
    "skip_rnn_backward": (rb.skip_rnn_backward, lambda: dict(dh=_arr(N, T, H), cache=rb.skip_rnn_forward(
        _arr(N, T, D), np.zeros((N, H)), _arr(D, H), _arr(H, H), _arr(H, H), _arr(H), 2)[1]), {}),
    "jordan_forward": (rb.jordan_forward, lambda: dict(
        x=_arr(N, T, D), y0=_arr(N, V), W_xh=_arr(D, H), W_yh=_arr(V, H), b_h=_arr(H),
        W_hq=_arr(H, V), b_q=_arr(V)), {}),
    "jordan_backward": (rb.jordan_backward, lambda: dict(dy=_arr(N, T, V), cache=rb.jordan_forward(
        _arr(N, T, D), np.zeros((N, V)), _arr(D, H), _arr(V, H), _arr(H), _arr(H, V), _arr(V))[1]), {}),
    "affine_forward": (rb.affine_forward, lambda: dict(h=_arr(N, T, H), W_hq=_arr(H, V), b_q=_arr(V)), {}),
    "affine_backward": (rb.affine_backward, lambda: dict(
        do=_arr(N, T, V), cache=rb.affine_forward(_arr(N, T, H), _arr(H, V), _arr(V))[1]), {}),
    "cell_forward": (rb.cell_forward, lambda: dict(cell="gru", x=_arr(N, T, D), params=_cell_params("gru"),
                                                   h0=_arr(N, H)), {}),
    "cell_backward": (rb.cell_backward, lambda: dict(
        cell="lstm", dh=_arr(N, T, H), cache=rb.cell_forward("lstm", _arr(N, T, D), _cell_params("lstm"))[1]), {}),
    "final_state": (rb.final_state, lambda: dict(
        cache=rb.cell_forward("lstm", _arr(N, T, D), _cell_params("lstm"))[1]), {}),
    "cell_param_count": (rb.cell_param_count, lambda: dict(cell="lstm", D=D, H=H), {}),
    "bidirectional_forward": (rb.bidirectional_forward, lambda: dict(
        x=_arr(N, T, D), params_f=_cell_params("rnn"), params_b=rb.cell_init("rnn", D, H, np.random.default_rng(1)),
        cell="rnn"), {}),
    "bidirectional_backward": (rb.bidirectional_backward, lambda: dict(
        dh=_arr(N, T, 2 * H), cache=rb.bidirectional_forward(
            _arr(N, T, D), _cell_params("rnn"), rb.cell_init("rnn", D, H, np.random.default_rng(1)), "rnn")[1]), {}),
    "deep_forward": (rb.deep_forward, lambda: dict(
        x=_arr(N, T, D), params=rb.deep_init("gru", D, H, 2, _rng()), cell="gru"), {}),
    "deep_backward": (rb.deep_backward, lambda: dict(
        dh=_arr(N, T, H), cache=rb.deep_forward(_arr(N, T, D), rb.deep_init("gru", D, H, 2, _rng()), "gru")[1]), {}),
    "param_count": (rb.param_count, lambda: dict(cell="rnn", D=D, H=H), {}),
    # models, tasks built on the layers
    "context_loss_and_grads": (rb.context_loss_and_grads, lambda: dict(
        params=rb.init_context_net("elman", D, H, V, _rng()), x=_arr(N, T, D), targets=_ids(N, V)), {}),
    "context_predict": (rb.context_predict, lambda: dict(
        params=rb.init_context_net("jordan", D, H, V, _rng()), x=_arr(N, T, D)), {}),
    "init_context_net": (rb.init_context_net, lambda: dict(kind="elman", D=D, H=H, V=V, rng=_rng()), {}),
    "seq2seq_loss_and_grads": (rb.seq2seq_loss_and_grads, lambda: dict(
        params=_seq2seq_params(), cell="gru", src=_ids((N, 3), 4), tgt=_ids((N, 3), 4, 1)), {}),
    "seq2seq_greedy": (rb.seq2seq_greedy, lambda: dict(
        params=_seq2seq_params(), cell="gru", src=_ids((N, 3), 4), L_out=3), {}),
    "adding_loss_and_grads": (rb.adding_loss_and_grads, lambda: dict(
        params=rb.remedies.adding_init(H, _rng(), "leaky"), x=rb.adding_problem(N, 10, _rng())[0],
        y=rb.adding_problem(N, 10, _rng())[1], cell="leaky", alpha=0.5), {}),
    "adding_predict": (rb.adding_predict, lambda: dict(
        params=rb.remedies.adding_init(H, _rng(), "skip"), x=rb.adding_problem(N, 10, _rng())[0],
        cell="skip", d=3), {}),
    "forward_backward": (rb.models.forward_backward, lambda: dict(
        params=_model_params(), cell="gru", x=_arr(N, T, D), targets=_ids((N, T), V), head="all",
        mask=np.ones((N, T), bool)), {}),
    # optimisation
    "SGD": (rb.SGD, lambda: dict(lr=0.1, momentum=0.9), {}),
    "Adam": (rb.Adam, lambda: dict(lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8), {}),
    "Adagrad": (rb.Adagrad, lambda: dict(lr=0.1, eps=1e-8), {}),
    "Adam.step": (lambda params, grads: rb.Adam().step(params, grads),
                  lambda: dict(params=_grads(), grads=_grads()), dict(inplace={"params"})),
    # a measurement: the norm of a gradient with NaN is NaN (training loops detect divergence so)
    "global_norm": (rb.global_norm, lambda: dict(grads=_grads()),
                    dict(free_dict={"grads"}, nonfinite_ok={"grads"})),
    "clip_by_global_norm": (rb.clip_by_global_norm, lambda: dict(grads=_grads(), max_norm=0.5),
                            dict(free_dict={"grads"})),
    "clip_by_value": (rb.clip_by_value, lambda: dict(grads=_grads(), threshold=0.5),
                      dict(free_dict={"grads"})),
    # train knows nothing of the shapes in params: only the caller's loss_and_grads does,
    # and its own exception (here numpy's matmul error) is the right answer to a wrong shape
    "train": (rb.train, lambda: dict(
        params={"w": np.ones(2)}, loss_and_grads=lambda p, s: (float(p["w"] @ p["w"]), {"w": 2 * p["w"]}),
        optimizer=rb.SGD(0.1), steps=3, progress=False), dict(inplace={"params", "optimizer"},
                                                               skip={"desc", "progress"},
                                                               skip_labels={"key wrong shape"})),
    # dynamics
    "step_jacobians": (rb.step_jacobians, lambda: dict(cache=_rnn_cache()), {}),
    "jacobian_product": (rb.jacobian_product, lambda: dict(cache=_rnn_cache(), t=2, k=0), {}),
    "jacobian_norms": (rb.jacobian_norms, lambda: dict(cache=_rnn_cache()), dict(none_ok={"t"})),
    "gradient_norms": (rb.gradient_norms, lambda: dict(cache=_rnn_cache(), delta=_arr(N, H)), {}),
    "product_norms": (rb.product_norms, lambda: dict(J=_arr(N, T, H, H)), {}),
    "spectral_radius": (rb.spectral_radius, lambda: dict(W=_arr(H, H)), {}),
    "largest_singular_value": (rb.largest_singular_value, lambda: dict(W=_arr(H, 3)),
                               dict(last_free={"W"})),
    "power_norms": (rb.power_norms, lambda: dict(W=_arr(H, H), K=4), dict(zero_ok={"K"})),
    "scaled_orthogonal": (rb.scaled_orthogonal, lambda: dict(H=H, rho=0.9, rng=_rng()), {}),
    "scaled_gaussian": (rb.scaled_gaussian, lambda: dict(H=H, rho=0.9, rng=_rng()), {}),
    "non_normal": (rb.non_normal, lambda: dict(H=H, rho=0.9, shear=1.0, rng=_rng()),
                   dict(none_ok={"rng"}, negative_ok={"shear"})),
    "pascanu_bound": (rb.pascanu_bound, lambda: dict(W_hh=_arr(H, H), activation="sigmoid", steps=5.0),
                      dict(zero_ok={"steps"})),
    # mlp, sequences, memory, esn
    "mlp_forward": (rb.mlp_forward, lambda: dict(x=_arr(4, 3), params=rb.init_mlp((3, 5, 2), _rng())),
                    dict(none_ok={"output_activation"})),
    "mlp_backward": (rb.mlp_backward, lambda: dict(
        dy=_arr(4, 2), cache=rb.mlp_forward(_arr(4, 3), rb.init_mlp((3, 5, 2), _rng()))[1]), {}),
    "causal_conv1d": (rb.causal_conv1d, lambda: dict(x=_arr(N, T, D), K=_arr(2, D, H), b=_arr(H)), {}),
    # tokens: any sequence, a string or an empty list included
    "ngram_counts": (rb.ngram_counts, lambda: dict(tokens=["a", "b", "a", "b"], n=2),
                     dict(skip_labels={"empty list", "string"})),
    "hidden_jacobian_norms": (rb.memory.hidden_jacobian_norms, lambda: dict(
        cell="lstm", params=_cell_params("lstm"), x=_arr(T, D)), {}),
    "esn_predict": (rb.esn_predict, lambda: dict(
        params=rb.esn_init(1, H, _rng()), u=_arr(1, 20, 1), W_out=_arr(H, 1), b_out=_arr(1)), {}),
    "echo_state_distance": (rb.echo_state_distance, lambda: dict(
        params=rb.esn_init(1, H, _rng()), u=_arr(1, 20, 1), h0_a=_arr(1, H), h0_b=_arr(1, H, seed=1)), {}),
    # the rest of the package (other modules)
    # f is shape-agnostic (v -> sum(v^2)), so an x of another shape is a valid point and
    # its gradient 2x is right: no size or number of dimensions of x can be wrong here
    # (a mismatch between x and the array f really uses is undetectable from outside).
    "numerical_gradient": (rb.numerical_gradient, lambda: dict(
        f=lambda v: float(np.sum(v ** 2)), x=_arr(3), h=1e-6), dict(free_shape={"x"})),
    "directional_check": (rb.directional_check, lambda: dict(
        f=lambda v: float(np.sum(v ** 2)), x=_arr(3), grad=2 * _arr(3), rng=_rng()), dict(none_ok={"rng"})),
    # one_hot is elementwise over ids of any shape (documented "(...)"): an extra axis
    # of ids gives an extra axis of vectors, which is right, not a silent error
    "one_hot": (rb.one_hot, lambda: dict(ids=_ids((N, T), V), V=V),
                dict(skip_labels={"ids ndim+1"})),
    "softmax_temperature": (rb.softmax_temperature, lambda: dict(logits=_arr(2, V), temperature=0.5),
                            dict(free_shape={"logits"})),
    # sample_next knows no V other than the length of a row of logits: (N, V + 1) is a
    # valid draw from V + 1 tokens, so the last axis is free
    "sample_next": (rb.sample_next, lambda: dict(logits=_arr(2, V), temperature=0.5, rng=_rng()),
                    dict(last_free={"logits"})),
    "perplexity": (rb.perplexity, lambda: dict(mean_nll=1.2), {}),
    "tbptt_batches": (rb.tbptt_batches, lambda: dict(ids=_ids(40, V), N=2, T=5, V=V), {}),
    "lm_hidden_for_budget": (rb.lm_hidden_for_budget, lambda: dict(cell="gru", V=V, budget=500), {}),
    "lm_loss_and_grads": (rb.lm_loss_and_grads, lambda: dict(
        params=rb.lm_init("gru", V, H, _rng()), cell="gru", x_ids=_ids((N, T), V), y_ids=_ids((N, T), V, 1)), {}),
    "adding_problem": (rb.adding_problem, lambda: dict(N=N, T=10, rng=_rng()), {}),
    "esn_states": (rb.esn_states, lambda: dict(u=_arr(1, 20, 1), params=rb.esn_init(1, H, _rng())), {}),
    "ridge_readout": (rb.ridge_readout, lambda: dict(S=_arr(20, H), Y=_arr(20, 1)),
                      dict(last_free={"S", "Y"})),
    "nrmse": (rb.nrmse, lambda: dict(pred=_arr(20), target=_arr(20, seed=1)), {}),
    "tbptt_windows": (rb.tbptt_windows, lambda: dict(T=10, k1=2, k2=4), {}),
    # added in the second pass: initialisers, the rest of the language model, tasks
    "lm_init": (rb.lm_init, lambda: dict(cell="gru", V=V, H=H, rng=_rng()), {}),
    "lm_param_count": (rb.lm_param_count, lambda: dict(cell="lstm", V=V, H=H), {}),
    "lm_evaluate": (rb.lm_evaluate, lambda: dict(
        params=rb.lm_init("gru", V, H, _rng()), cell="gru", ids=_ids(40, V), N=2, T=5), {}),
    "lm_next_probs": (rb.lm_next_probs, lambda: dict(
        params=rb.lm_init("lstm", V, H, _rng()), cell="lstm", prefix_ids=_ids(4, V)), {}),
    "lm_sample": (rb.lm_sample, lambda: dict(
        params=rb.lm_init("rnn", V, H, _rng()), cell="rnn", prime_ids=_ids(4, V), n=3,
        temperature=0.8, rng=_rng()), {}),
    "lm_beam_search": (rb.lm.lm_beam_search, lambda: dict(
        params=rb.lm_init("gru", V, H, _rng()), cell="gru", prime_ids=_ids(4, V), n=3,
        beam_width=2), {}),
    "lm_hidden_states": (rb.lm.lm_hidden_states, lambda: dict(
        params=rb.lm_init("rnn", V, H, _rng()), cell="rnn", ids=_ids(6, V)), {}),
    "lm_lookback": (rb.lm.lm_lookback, lambda: dict(
        params=rb.lm_init("gru", V, H, _rng()), cell="gru", ids=_ids(30, V), K=4, N=3,
        rng=_rng()), {}),
    "bits_per_character": (rb.bits_per_character, lambda: dict(mean_nll=1.2), {}),
    "lstm_backward_all": (rb.lstm_backward_all, lambda: dict(dh=_arr(N, T, H), cache=_lstm_cache()),
                          {}),
    "lstm_init": (rb.lstm_init, lambda: dict(D=D, H=H, rng=_rng()), {}),
    "lstm_param_count": (rb.lstm_param_count, lambda: dict(D=D, H=H), {}),
    "gru_init": (rb.gru_init, lambda: dict(D=D, H=H, rng=_rng()), {}),
    "gru_param_count": (rb.gru_param_count, lambda: dict(D=D, H=H), {}),
    "cell_init": (rb.cell_init, lambda: dict(cell="rnn", D=D, H=H, rng=_rng()), {}),
    "deep_init": (rb.deep_init, lambda: dict(cell="lstm", D=D, H=H, num_layers=2, rng=_rng()), {}),
    "seq2seq_init": (rb.seq2seq_init, lambda: dict(cell="gru", S=4, H=H, rng=_rng()), {}),
    "esn_init": (rb.esn_init, lambda: dict(D=1, H=H, rng=_rng()), {}),
    "recall_with_wait": (rb.recall_with_wait, lambda: dict(N=N, lag=3, rng=_rng()), {}),
    "delayed_recall": (rb.delayed_recall, lambda: dict(N=N, lag=3, rng=_rng()), {}),
    "temporal_order": (rb.temporal_order, lambda: dict(N=N, T=20, rng=_rng()), {}),
    "reverse_task": (rb.reverse_task, lambda: dict(N=N, L=3, S=4, rng=_rng()), {}),
    "artbp_cuts": (rb.artbp_cuts, lambda: dict(T=10, c=0.3, rng=_rng()), {}),
    "elman_loss_and_grads": (rb.elman_loss_and_grads, lambda: dict(
        params=rb.init_rnn_params(D, H, _rng()) | {"W_hq": _arr(H, V), "b_q": _arr(V)},
        x=_arr(N, T, D), targets=_ids((N, T), V)), {}),
    "tbptt_gradients": (rb.tbptt_gradients, lambda: dict(
        params=rb.init_rnn_params(D, H, _rng()) | {"W_hq": _arr(H, V), "b_q": _arr(V)},
        x=_arr(N, 6, D), targets=_ids((N, 6), V), k1=2, k2=3), {}),
    # the readout fits any number of outputs: y (N, T, K) with any K is valid
    "esn_fit": (rb.esn_fit, lambda: dict(params=rb.esn_init(1, H, _rng()), u=_arr(1, 40, 1),
                                         y=_arr(1, 40, 1, seed=1), washout=5),
                dict(last_free={"y"})),
    "init_mlp": (rb.init_mlp, lambda: dict(sizes=(3, 5, 2), rng=_rng()), {}),
    "glorot_uniform": (rb.glorot_uniform, lambda: dict(shape=(3, 4), rng=_rng()),
                       dict(negative_ok={"gain"})),
    "init_rnn_params": (rb.init_rnn_params, lambda: dict(D=D, H=H, rng=_rng()), {}),
    "narma10": (rb.narma10, lambda: dict(T=50, rng=_rng()), {}),
    "input_sensitivity": (rb.input_sensitivity, lambda: dict(
        kind="rnn", x=_arr(N, T, D), weights=(_arr(D, H), _arr(H, H), _arr(H))), {}),
    "adding_constant_baseline": (rb.adding_constant_baseline, lambda: dict(
        y=rb.adding_problem(20, 10, _rng())[1]), {}),
    # added in the third pass: ARTBP, TBPTT training, the grammar corpus, sentence pairs
    "artbp_backward": (rb.artbp_backward, lambda: dict(
        dh=_arr(N, T, H), cache=_rnn_cache(), c=0.3, cuts=np.array([False, True, False])), {}),
    "artbp_gradients": (rb.artbp_gradients, lambda: dict(
        params=_elman_params(), x=_arr(N, T, D), targets=_ids((N, T), V), c=0.3, rng=_rng()),
        {}),
    "artbp_train": (rb.artbp_train, lambda: dict(
        params=_elman_params(), x=_arr(N, T, D), targets=_ids((N, T), V), c=0.3,
        optimizer=rb.SGD(0.1), rng=_rng(), mask=np.ones((N, T), bool), h0=_arr(N, H), clip=5.0),
        dict(inplace={"params", "optimizer"})),
    "tbptt_train": (rb.tbptt_train, lambda: dict(
        params=_elman_params(), x=_arr(N, 6, D), targets=_ids((N, 6), V), k1=2, k2=3,
        optimizer=rb.SGD(0.1), mask=np.ones((N, 6), bool), h0=_arr(N, H), clip=5.0),
        dict(inplace={"params", "optimizer"})),
    "grammar_corpus": (rb.grammar_corpus, lambda: dict(n_chars=50, seed=0), {}),
    "grammar_entropy_rate": (rb.corpus.grammar_entropy_rate, lambda: dict(n_chars=200, seed=1),
                             {}),
    # tokens are any sequence (a string is a sequence of characters, [] an empty
    # sentence) and start / end any token (a string or an id): only tokens=None is invalid
    "start_end_pairs": (rb.start_end_pairs, lambda: dict(tokens=["a", "b"], start="<s>", end="</s>"),
                        dict(skip={"start", "end"}, skip_labels={"empty list", "string"})),
    "train_lm": (rb.train_lm, lambda: dict(
        params=rb.lm_init("gru", V, H, _rng()), cell="gru", ids=_ids(40, V), N=2, T=5, steps=2,
        optimizer=rb.SGD(0.1), clip=5.0, progress=False),
        dict(inplace={"params", "optimizer"}, skip={"desc", "progress"}, none_ok={"clip"})),
    "train_adding": (rb.train_adding, lambda: dict(
        T=10, cell="leaky", activation="tanh", scheme="glorot", scale=1.0, alpha=0.5, d=2,
        clip=1.0, H=3, batch=2, steps=2, lr=1e-2, optimizer="adam", seed=0, n_test=4), {}),
    "orthogonal": (rb.orthogonal, lambda: dict(shape=H, rng=_rng(), gain=1.0), dict(negative_ok={"gain"})),
}

MINE = {"activations", "losses", "rnn", "lstm", "gru", "leaky", "skip", "jordan", "layers",
        "cells", "registry", "bidirectional", "deep", "models", "context", "seq2seq",
        "remedies", "optim", "train", "dynamics", "mlp", "sequences", "memory", "esn",
        "worked_example", "lstm_step", "gru_step", "spectra"}

SIZE_NAMES = {"D", "H", "V", "N", "T", "L", "S", "K", "steps", "L_out", "num_layers", "d",
              "truncate", "k1", "k2", "n", "budget", "lag", "batch", "n_chars"}
NONNEG_FLOATS = {"lr", "max_norm", "threshold", "rho", "eps", "momentum", "beta1", "beta2",
                 "alpha", "temperature", "ridge", "h", "scale", "clip", "steps", "c"}


# ------------------------------------------------------------ hostile values --
STATE_NAMES = {"h0", "c0", "y0", "h0_f", "h0_b", "c0_f", "c0_b", "mask", "h0_a"}


def hostile(name, value, opts):
    """(label, bad value) pairs for one argument."""
    free_shape = name in opts.get("free_shape", ())
    free_dtype = name in opts.get("free_dtype", ())
    out = []
    if not (value is None or name in opts.get("none_ok", ()) or name in STATE_NAMES):
        out.append(("None", None))
    if isinstance(value, np.ndarray):
        if value.dtype == bool:
            out += [("int mask", value.astype(int)), ("mask shape", value[..., :-1])]
        elif np.issubdtype(value.dtype, np.integer):
            bad = value.copy()
            bad.flat[0] = -1
            big = value.copy()
            big.flat[0] = 10 ** 6
            out += [("index -1", bad), ("index too large", big),
                    ("float ids", value + 0.5), ("ids ndim+1", value[None])]
        else:
            if not free_shape:
                out.append(("ndim+1", value[None]))
                if name not in opts.get("last_free", ()):
                    out.append(("size+1", np.zeros(value.shape[:-1] + (value.shape[-1] + 1,))))
                if value.ndim > 1:
                    out.append(("ndim-1", value.reshape(-1)))
            if not free_dtype:
                out.append(("int dtype", np.ones(value.shape, dtype=np.int64)))
            nan, inf = value.copy(), value.copy()
            nan.flat[0] = np.nan
            inf.flat[-1] = -np.inf
            if name not in opts.get("nonfinite_ok", ()):
                out += [("NaN", nan), ("inf", inf)]
            out += [("string", "abc"), ("object", object())]
    elif isinstance(value, (bool, np.bool_)):
        pass
    elif isinstance(value, (int, np.integer)):
        if name in SIZE_NAMES or name in opts.get("zero_ok", ()):
            if name not in opts.get("zero_ok", ()):
                out.append(("zero", 0))
            out += [("negative", -1), ("fraction", 2.5), ("string", "3"), ("bool", True)]
        else:
            out += [("fraction", 2.5), ("string", "x")]
    elif isinstance(value, float):
        out += [("NaN", float("nan")), ("inf", float("inf")), ("string", "x")]
        if name in NONNEG_FLOATS and name not in opts.get("negative_ok", ()):
            out.append(("negative", -1.0))
        if name in ("beta1", "beta2", "momentum", "c"):
            out.append(("one", 1.0))
        if name in ("eps", "h", "temperature"):
            out.append(("zero", 0.0))
    elif isinstance(value, str):
        out += [("unknown name", "bogus"), ("integer", 3)]
        if value.upper() != value:
            out.append(("capitals", value.upper() if len(value) > 3 else value.capitalize()))
    elif isinstance(value, dict):
        keys = list(value)
        out += [("empty dict", {}), ("string", "abc")]
        if name not in opts.get("free_dict", ()):
            out.append(("missing key", {k: value[k] for k in keys[1:]}))
        v0 = value[keys[0]]
        if isinstance(v0, np.ndarray) and v0.dtype.kind == "f":
            nan = {k: np.array(v, copy=True) for k, v in value.items()}
            nan[keys[0]].flat[0] = np.nan
            if name not in opts.get("free_dict", ()):
                out.append(("key wrong shape", {**value, keys[0]: v0[None]}))
            if name not in opts.get("nonfinite_ok", ()):
                out.append(("key NaN", nan))
    elif isinstance(value, list):
        out += [("empty list", []), ("string", "abc")]
    elif isinstance(value, np.random.Generator):
        out += [("int rng", 42), ("string", "rng")]
    elif isinstance(value, tuple) and value and all(
            isinstance(v, np.ndarray) and v.dtype.kind == "f" for v in value):  # weights
        nan = tuple(np.array(v, copy=True) for v in value)
        nan[0].flat[0] = np.nan
        out += [("too short", value[:-1]), ("string", "abc"), ("item NaN", nan),
                ("item wrong shape", (value[0][None],) + value[1:])]
    elif isinstance(value, tuple) and hasattr(value, "_fields"):      # a cache
        other = _rnn_cache() if type(value).__name__ != "RNNCache" else _lstm_cache()
        out += [("plain tuple", tuple(value)), ("other cache", other)]
    elif callable(value):
        out += [("not callable", 3)]
    return out


# --------------------------------------------------------------- classifier --
def _arrays(obj, depth=0):
    """Arrays and scalars in a result (tuples, lists, dicts; NamedTuple caches skipped)."""
    if isinstance(obj, tuple) and hasattr(obj, "_fields") and type(obj).__name__.endswith("Cache"):
        return
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "fc":
        yield obj
    elif isinstance(obj, (float, np.floating)):
        yield np.asarray(obj)
    elif isinstance(obj, (tuple, list)) and depth < 3:
        for o in obj:
            yield from _arrays(o, depth + 1)
    elif isinstance(obj, dict) and depth < 3:
        for o in obj.values():
            yield from _arrays(o, depth + 1)


def _same_object(result, args):
    ids = {id(v) for v in args.values() if isinstance(v, (np.ndarray, dict, list))}
    items = [result] + (list(result) if isinstance(result, (tuple, list)) else []) + (
        list(result.values()) if isinstance(result, dict) else [])
    return any(id(r) in ids for r in items)


def _equal(a, b):
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and np.array_equal(a, b, equal_nan=True)
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b))
    return True


def _names(name, value):
    names = [name]
    if isinstance(value, dict):
        names += [str(k) for k in value]
    return names


def run(func, args, inplace, timeout):
    """Call func(**args); return (outcome, detail) with outcome in ok/exc/hang/mutated/nan."""
    before = {k: copy.deepcopy(v) for k, v in args.items()
              if isinstance(v, (np.ndarray, dict, list))}
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with np.errstate(all="ignore"):
            result = func(**args)
    except Hang:
        return "hang", f"no answer in {timeout} s"
    except Exception as exc:                                  # noqa: BLE001
        return "exc", exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    for k, v in before.items():
        if k not in inplace and not _equal(v, args[k]):
            return "mutated", f"{k} changed in place"
    if _same_object(result, {k: v for k, v in args.items() if k not in inplace}):
        return "mutated", "returned an argument object"
    if any(not np.all(np.isfinite(a)) for a in _arrays(result)):
        return "nan", "non-finite output"
    return "ok", ""


def probe(names, timeout, verbose):
    counts = defaultdict(Counter)
    bad = []
    for fname in names:
        func, build, opts = SPECS[fname]
        module = getattr(func, "__module__", "rnnbook.optim") or "?"
        module = module.replace("rnnbook.", "") if module.startswith("rnnbook") else "optim"
        inplace = set(opts.get("inplace", ()))
        try:
            sig = inspect.signature(func).parameters
            opts = {**opts, "none_ok": set(opts.get("none_ok", ())) | {
                k for k, p in sig.items() if p.default is None}}
        except (TypeError, ValueError):
            pass
        outcome, detail = run(func, build(), inplace, timeout)
        counts[module]["valid ok" if outcome == "ok" else "valid FAILED"] += 1
        if outcome != "ok":
            bad.append((module, fname, "valid call", "-", outcome, str(detail)[:150]))
        for arg in build():
            if arg in opts.get("skip", ()):
                continue
            for label, value in hostile(arg, build()[arg], opts):
                if label in opts.get("skip_labels", ()):
                    continue
                args = build()
                args[arg] = value
                outcome, detail = run(func, args, inplace, timeout)
                if outcome == "exc":
                    msg = str(detail)
                    named = isinstance(detail, (ValueError, TypeError)) and any(
                        re.search(rf"(?<![\w.]){re.escape(n)}(?!\w)", msg)
                        for n in _names(arg, build()[arg]))
                    kind = "clear" if named else "obscure"
                    detail = f"{type(detail).__name__}: {msg}"
                elif outcome == "ok":
                    kind = "silent"
                elif outcome == "nan":
                    kind = "silent-nan"
                else:
                    kind = outcome
                counts[module][kind] += 1
                if kind != "clear" or verbose:
                    bad.append((module, fname, arg, label, kind, str(detail)[:150]))
    return counts, bad


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated modules (default: all)")
    ap.add_argument("--mine", action="store_true", help="only the layer/loss/optim modules")
    ap.add_argument("--timeout", type=float, default=5.0)
    ap.add_argument("-v", "--verbose", action="store_true", help="list clear cases too")
    a = ap.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    names = list(SPECS)
    counts, bad = probe(names, a.timeout, a.verbose)
    keep = set(a.only.split(",")) if a.only else (MINE if a.mine else set(counts))
    kinds = ["clear", "obscure", "silent", "silent-nan", "hang", "mutated",
             "valid ok", "valid FAILED"]
    print(f"{'module':15s}" + "".join(f"{k:>13s}" for k in kinds))
    for group, mods in (("(layers etc.)", sorted(m for m in counts if m in MINE and m in keep)),
                        ("(other)", sorted(m for m in counts if m not in MINE and m in keep))):
        total = Counter()
        for m in mods:
            total.update(counts[m])
            print(f"{m:15s}" + "".join(f"{counts[m][k]:13d}" for k in kinds))
        invalid = sum(total[k] for k in kinds[:6])
        if invalid:
            print(f"{'total ' + group:15s}" + "".join(f"{total[k]:13d}" for k in kinds)
                  + f"   clear: {total['clear'] / invalid:.1%} of {invalid} invalid inputs")
    print("\nCases that are not clear:")
    for row in bad:
        if row[0] in keep:
            print("  " + " | ".join(str(r) for r in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
