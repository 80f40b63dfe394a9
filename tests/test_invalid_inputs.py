"""Invalid inputs that used to pass silently or fail with an obscure exception.

Each case must raise ``ValueError`` naming the argument (the rule of
``rnnbook._validation``); the hostile probe ``benchmarks/probe_api.py`` finds them.
"""
import numpy as np
import pytest

import rnnbook as rb
from rnnbook import lm
from rnnbook._validation import check_callable, check_params, check_rng, check_sequence

V, H = 3, 4


def _raises(name, func, *args, **kwargs):
    with pytest.raises(ValueError, match=name):
        func(*args, **kwargs)


@pytest.mark.parametrize("bad", [None, 42, "rng", np.random.RandomState(0)])
def test_check_rng_rejects_anything_but_a_generator(bad):
    _raises("rng", check_rng, bad)
    assert isinstance(check_rng(np.random.default_rng(0)), np.random.Generator)


def test_check_callable_and_check_params():
    _raises("f is int", check_callable, "f", 3)
    _raises("params is NoneType", check_params, None, ("a",), "maker()")
    _raises(r"missing \['b'\]", check_params, {"a": 1}, ("a", "b"), "maker()")
    _raises(r"unexpected \['c'\]", check_params, {"a": 1, "b": 2, "c": 3}, ("a", "b"), "maker()")


def test_check_sequence():
    assert check_sequence("tokens", "ab", "tokens") == ["a", "b"]
    assert check_sequence("sizes", (3, 2), "sizes", allow_str=False) == [3, 2]
    _raises("sizes is str 'ab'; expected sizes", check_sequence, "sizes", "ab", "sizes",
            allow_str=False)
    _raises("tokens is NoneType None; expected tokens", check_sequence, "tokens", None,
            "tokens")


@pytest.mark.parametrize("which", ["a", "b"])
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_rel_error_rejects_non_finite(which, bad):
    a, b = np.ones(3), np.ones(3)
    {"a": a, "b": b}[which][1] = bad
    _raises(f"{which} contains 1 non-finite", rb.rel_error, a, b)
    assert rb.rel_error(np.ones(3), np.ones(3)) == 0.0


@pytest.mark.parametrize("func", [rb.numerical_gradient, rb.directional_check])
@pytest.mark.parametrize("bad", [None, 3])
def test_gradient_checks_reject_non_callable_f(func, bad):
    args = (bad, np.ones(3)) if func is rb.numerical_gradient else (bad, np.ones(3), np.ones(3))
    _raises("f is", func, *args)


def test_numerical_gradient_of_array_f_is_gradient_of_its_sum():
    x = np.array([0.3, -1.2])
    num = rb.numerical_gradient(lambda v: v ** 2, x, h=1e-5)      # d/dx sum(x^2) = 2x
    assert rb.rel_error(num, 2 * x) < 1e-9


@pytest.mark.parametrize("bad", [np.ones(3, dtype=np.int64), "abc", object(), np.ones(4)])
def test_directional_check_rejects_bad_grad(bad):
    f = lambda v: float(np.sum(v ** 2))                          # noqa: E731
    _raises("grad", rb.directional_check, f, np.ones(3), bad)


@pytest.mark.parametrize("bad", [42, "rng"])
def test_directional_check_and_sample_next_reject_bad_rng(bad):
    f = lambda v: float(np.sum(v ** 2))                          # noqa: E731
    _raises("rng", rb.directional_check, f, np.ones(3), 2 * np.ones(3), rng=bad)
    _raises("rng", rb.sample_next, np.zeros((2, V)), 1.0, bad)
    _raises("rng", rb.sample_next, np.zeros((2, V)), 1.0, None)


def test_sample_next_draws_from_as_many_tokens_as_a_row_has():
    p = rb.sample_next(np.array([[0.0, 0.0, 50.0, 0.0]]), 1.0, np.random.default_rng(0))
    assert p.tolist() == [2]                                      # V + 1 = 4 columns: valid


@pytest.mark.parametrize("bad", [None, 7, "rng"])
def test_initialisers_reject_bad_rng(bad):
    _raises("rng", rb.init_context_net, "elman", 2, H, V, bad)
    _raises("rng", rb.lstm_init, 2, H, bad)
    _raises("rng", rb.gru_init, 2, H, bad)
    _raises("rng", rb.cell_init, "rnn", 2, H, bad)
    _raises("rng", rb.lm_init, "gru", V, H, bad)
    _raises("rng", rb.seq2seq_init, "gru", V, H, bad)
    _raises("rng", rb.reverse_task, 2, 3, V, bad)


@pytest.mark.parametrize("func", [rb.lstm_init, rb.gru_init])
@pytest.mark.parametrize("arg, bad", [("D", 0), ("D", 2.5), ("H", 0), ("H", "3"), ("H", None)])
def test_gated_initialisers_check_sizes(func, arg, bad):
    kw = {"D": 2, "H": H, "rng": np.random.default_rng(0), arg: bad}
    _raises(arg, func, **kw)


@pytest.mark.parametrize("func", [rb.lstm_param_count, rb.gru_param_count])
@pytest.mark.parametrize("arg, bad", [("D", 0), ("D", -1), ("H", 2.5), ("H", True)])
def test_param_counts_check_sizes(func, arg, bad):
    _raises(arg, func, **{"D": 2, "H": H, arg: bad})


def test_lm_param_count_and_seq2seq_init_name_their_own_arguments():
    _raises("V is 0", rb.lm_param_count, "rnn", 0, H)
    _raises("S is 0", rb.seq2seq_init, "rnn", 0, H, np.random.default_rng(0))


def test_one_hot_is_elementwise_over_ids_of_any_shape():
    ids = np.array([[[0, 2]]])
    out = rb.one_hot(ids, V)
    assert out.shape == (1, 1, 2, V) and out[0, 0, 1].tolist() == [0.0, 0.0, 1.0]
    _raises("ids", rb.one_hot, np.array([0, -1]), V)
    _raises("ids", rb.one_hot, np.array([0, V]), V)


def test_tbptt_batches_rejects_negative_ids_and_ids_beyond_V():
    ids = np.arange(40) % V
    bad = ids.copy()
    bad[5] = -1
    _raises("ids", rb.tbptt_batches, bad, 2, 5)
    big = ids.copy()
    big[5] = V
    _raises(f"ids in \\[0, {V}\\)", rb.tbptt_batches, big, 2, 5, V)
    xs, ys = rb.tbptt_batches(big, 2, 5)          # without V only >= 0 is required
    assert xs.max() == V
    _raises("V", rb.tbptt_batches, ids, 2, 5, 0)


def _lm_params(cell="gru"):
    return rb.lm_init(cell, V, H, np.random.default_rng(0))


@pytest.mark.parametrize("cell", ["rnn", "lstm", "gru"])
def test_lm_loss_and_grads_rejects_bad_params(cell):
    x = np.zeros((2, 3), dtype=int)
    good = _lm_params(cell)
    _raises("params is NoneType", rb.lm_loss_and_grads, None, cell, x, x)
    _raises("params is str", rb.lm_loss_and_grads, "abc", cell, x, x)
    _raises("params has keys", rb.lm_loss_and_grads, {}, cell, x, x)
    _raises("missing", rb.lm_loss_and_grads, {k: v for k, v in good.items() if k != "W_xh"},
            cell, x, x)
    _raises(r"params\['W_hq'\]", rb.lm_loss_and_grads, {**good, "W_hq": good["W_hq"][None]},
            cell, x, x)
    _raises(r"params\['b_q'\]", rb.lm_loss_and_grads, {**good, "b_q": good["b_q"][:-1]},
            cell, x, x)
    bad = {**good, "W_hq": good["W_hq"].copy()}
    bad["W_hq"][0, 0] = np.nan
    _raises(r"params\['W_hq'\]", rb.lm_loss_and_grads, bad, cell, x, x)


def test_fused_rnn_path_checks_the_cell_arrays_too():
    x = np.zeros((2, 3), dtype=int)
    good = _lm_params("rnn")
    _raises(r"params\['W_hh'\]", rb.lm_loss_and_grads, {**good, "W_hh": good["W_hh"][:, :-1]},
            "rnn", x, x)
    _raises(r"params\['W_xh'\]", rb.lm_loss_and_grads, {**good, "W_xh": good["W_xh"][:-1]},
            "rnn", x, x)


def test_lm_sampling_names_prime_ids_and_checks_rng():
    p = _lm_params("lstm")
    _raises("prime_ids", rb.lm_sample, p, "lstm", np.array([0, V]), 2, 1.0,
            np.random.default_rng(0))
    _raises("prime_ids", lm.lm_beam_search, p, "lstm", np.array([-1]), 2)
    _raises("rng", lm.lm_lookback, p, "lstm", np.arange(20) % V, K=3, N=2, rng=5)
    _raises("ids", lm.train_lm, p, "lstm", np.array([0, 1, V] * 10), 2, 3, 1, rb.SGD(0.1),
            progress=False)


@pytest.mark.parametrize("bad", [None, 5, "abc", (3,), (3, 0), (3, 2.5)])
def test_init_mlp_names_sizes(bad):
    _raises("sizes", rb.init_mlp, bad, np.random.default_rng(0))


@pytest.mark.parametrize("bad", [None, 7, "rng"])
def test_init_mlp_checks_rng_and_scale(bad):
    _raises("rng", rb.init_mlp, (3, 2), bad)
    _raises("scale", rb.init_mlp, (3, 2), np.random.default_rng(0), scale=-1.0)
    p = rb.init_mlp([3, 2], np.random.default_rng(0))          # any sequence of sizes
    assert p["W1"].shape == (3, 2) and p["b1"].shape == (2,)


def test_input_sensitivity_names_weights():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 4))
    rnn = (rng.standard_normal((4, 5)), rng.standard_normal((5, 5)), np.zeros(5))
    conv = (rng.standard_normal((2, 4, 5)), np.zeros(5))
    for kind, w in (("rnn", rnn), ("conv", conv)):
        _raises("weights is NoneType", rb.input_sensitivity, kind, x, None)
        _raises("weights is a tuple of length", rb.input_sensitivity, kind, x, w[:-1])
        _raises(r"weights\[0\] has shape", rb.input_sensitivity, kind, x, (w[0][None],) + w[1:])
        nan = (np.where(np.eye(*w[0].shape[-2:], dtype=bool), np.nan, w[0]),) + w[1:]
        _raises(r"weights\[0\] contains", rb.input_sensitivity, kind, x, nan)
        _raises("x has shape", rb.input_sensitivity, kind, x[..., :-1], w)
    _raises("weights is a tuple of length 3", rb.input_sensitivity, "conv", x, rnn)
    assert rb.input_sensitivity("conv", x, conv).shape == (3,)


@pytest.mark.parametrize("bad", [None, 7, "rng", np.random.RandomState(0)])
def test_one_rng_check_everywhere(bad):
    """init.py, esn.py and artbp.py use _validation.check_rng: the same message."""
    from rnnbook.init import chrono_bias
    msg = r"rng is .*; expected a numpy.random.Generator, e.g. np.random.default_rng\(0\)"
    _raises(msg, rb.orthogonal, 3, bad)
    _raises(msg, rb.init_rnn_params, 2, 3, bad)
    _raises(msg, chrono_bias, 3, 10, bad)
    _raises(msg, rb.esn_init, 1, 3, bad)
    _raises(msg, rb.artbp_cuts, 10, 0.3, bad)


def _elman(D=2, H=3, V=3):
    rng = np.random.default_rng(0)
    return rb.init_rnn_params(D, H, rng) | {"W_hq": rng.standard_normal((H, V)),
                                            "b_q": np.zeros(V)}


@pytest.mark.parametrize("bad", [-1, 3])
def test_truncated_training_checks_targets_against_the_output_layer(bad):
    """The range error names params['W_hq'], not the loss's internal logits."""
    p, x = _elman(), np.zeros((2, 4, 2))
    y = np.zeros((2, 4), dtype=int)
    y[1, 2] = bad
    msg = r"targets has values .* with V = params\['W_hq'\].shape\[1\] = 3"
    _raises(msg, rb.tbptt_train, p, x, y, 2, 2, rb.SGD(0.1))
    _raises(msg, rb.tbptt_gradients, p, x, y, 2, 2)
    _raises(msg, rb.artbp_train, p, x, y, 0.3, rb.SGD(0.1), np.random.default_rng(0))
    _raises(msg, rb.artbp_gradients, p, x, y, 0.3, np.random.default_rng(0))


@pytest.mark.parametrize("bad", [None, -1, 2.5, "0"])
def test_grammar_corpus_needs_a_fixed_integer_seed(bad):
    from rnnbook.corpus import grammar_entropy_rate
    _raises("seed", rb.grammar_corpus, 20, seed=bad)
    _raises("seed", grammar_entropy_rate, 20, seed=bad)
    assert rb.grammar_corpus(20, seed=np.int64(3)) == rb.grammar_corpus(20, seed=3)


def test_start_end_pairs_names_tokens():
    _raises("tokens is NoneType", rb.start_end_pairs, None)
    assert rb.start_end_pairs("ab") == (["<s>", "a", "b"], ["a", "b", "</s>"])
