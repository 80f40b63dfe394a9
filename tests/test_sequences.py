"""n-gram counts, causal convolution and input sensitivities of rnnbook.sequences."""
import numpy as np
import pytest

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.sequences import causal_conv1d, input_sensitivity, ngram_counts


def test_ngram_counts():
    c = ngram_counts("a b a b a".split(), 2)
    assert c == {("a", "b"): 2, ("b", "a"): 2}
    assert sum(ngram_counts(list("abcde"), 5).values()) == 1
    assert ngram_counts(list("ab"), 3) == {}
    with pytest.raises(ValueError, match="n"):
        ngram_counts(list("ab"), 0)


def test_causal_conv1d_definition_and_gradient():
    rng = np.random.default_rng(0)
    x, K, b = rng.standard_normal((2, 6, 3)), rng.standard_normal((3, 3, 4)), rng.standard_normal(4)
    o = causal_conv1d(x, K, b)
    t = 4
    ref = b + sum(x[:, t - j] @ K[j] for j in range(3))
    np.testing.assert_allclose(o[:, t], ref, rtol=1e-13)
    np.testing.assert_allclose(o[:, 0], x[:, 0] @ K[0] + b, rtol=1e-13)
    # sensitivity of the last output = gradient of sum(o[:, -1]) w.r.t. x, by norm
    dx = numerical_gradient(lambda v: causal_conv1d(v, K, b)[:, -1], x, h=1e-5)
    s = input_sensitivity("conv", x, (K, b))
    assert rel_error(np.sqrt((dx ** 2).sum(axis=(0, 2))), s) < 1e-7
    assert np.all(s[:3] == 0) and np.all(s[3:] > 0)
    with pytest.raises(ValueError, match="x"):
        causal_conv1d(x[..., :2], K, b)


def test_rnn_sensitivity_matches_finite_differences():
    from rnnbook.rnn import rnn_forward
    rng = np.random.default_rng(1)
    x = rng.standard_normal((2, 5, 3))
    W_xh, W_hh, b_h = rng.standard_normal((3, 4)), 0.5 * rng.standard_normal((4, 4)), np.zeros(4)
    dx = numerical_gradient(lambda v: rnn_forward(v, np.zeros((2, 4)), W_xh, W_hh, b_h)[0][:, -1],
                            x, h=1e-5)
    s = input_sensitivity("rnn", x, (W_xh, W_hh, b_h))
    assert rel_error(np.sqrt((dx ** 2).sum(axis=(0, 2))), s) < 1e-7
    with pytest.raises(ValueError, match="kind"):
        input_sensitivity("lstm", x, ())
