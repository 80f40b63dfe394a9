"""TBPTT(k1, k2) (rnnbook.tbptt) and randomized truncation, ARTBP (rnnbook.artbp).

References: finite differences of the model loss; exact enumeration of every cut pattern (ARTBP is
unbiased); a statistical test that the mean of many ARTBP gradients converges.
"""
import math

import numpy as np
import pytest

from rnnbook.gradcheck import numerical_gradient, rel_error
from rnnbook.optim import SGD, Adam
from rnnbook.rnn import rnn_backward, rnn_forward
from rnnbook.artbp import artbp_backward, artbp_cuts, artbp_gradients, artbp_train
from rnnbook.tasks import delayed_recall
from rnnbook.tbptt import (PARAM_NAMES, TBPTTWindow, elman_loss_and_grads, tbptt_gradients,
                           tbptt_train, tbptt_windows)

def make(N=3, T=9, D=2, H=4, V=3, seed=0, scale=0.6, mask_p=None):
    rng = np.random.default_rng(seed)
    p = {"W_xh": scale * rng.standard_normal((D, H)),
         "W_hh": scale * rng.standard_normal((H, H)),
         "b_h": 0.1 * rng.standard_normal(H),
         "W_hq": rng.standard_normal((H, V)),
         "b_q": 0.1 * rng.standard_normal(V)}
    x = rng.standard_normal((N, T, D))
    y = rng.integers(0, V, (N, T))
    mask = None if mask_p is None else rng.random((N, T)) < mask_p
    h0 = 0.5 * rng.standard_normal((N, H))
    return p, x, y, mask, h0


def flat(grads):
    return np.concatenate([grads[k].ravel() for k in PARAM_NAMES])


def copy(p):
    return {k: v.copy() for k, v in p.items()}


def test_canonical_windows():
    n = 12
    assert tbptt_windows(n, n, n) == [TBPTTWindow(0, 0, n, None)]              # BPTT
    w = tbptt_windows(n, 1, n)                                                   # W&P
    assert len(w) == n and all(v.start == 0 and v.stop == v.chunk_start + 1 for v in w)
    w = tbptt_windows(n, 4, 1)                                                   # (k1, 1)
    assert [(v.start, v.chunk_start, v.stop, v.truncate) for v in w] == \
        [(0, 0, 4, 1), (4, 4, 8, 1), (8, 8, 12, 1)]
    w = tbptt_windows(n, 3, 5)                                                   # k1<k2<n
    assert [(v.start, v.chunk_start, v.stop) for v in w] == \
        [(0, 0, 3), (1, 3, 6), (4, 6, 9), (7, 9, 12)]
    assert all(v.truncate is None for v in w)
    w = tbptt_windows(n, 4, 4)                                                   # k1 = k2
    assert [(v.start, v.chunk_start, v.stop, v.truncate) for v in w] == \
        [(0, 0, 4, None), (4, 4, 8, None), (8, 8, 12, None)]
    assert tbptt_windows(n, n, 5) == [TBPTTWindow(0, 0, n, 5)]                   # (n, k)
    assert tbptt_windows(10, 4, 4)[-1] == TBPTTWindow(8, 8, 10, None)            # short tail
    assert tbptt_windows(10, 4, 6)[-1] == TBPTTWindow(6, 8, 10, None)


# ---------------------------------------------------------------- gradients
def test_model_gradient_matches_finite_differences():
    p, x, y, mask, h0 = make(seed=1, mask_p=0.6)
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    for k in PARAM_NAMES:
        def f(v, k=k):
            q = dict(p)
            q[k] = v
            return elman_loss_and_grads(q, x, y, mask, h0)[0]
        assert rel_error(numerical_gradient(f, p[k], h=1e-5), g[k]) < 1e-7, k


def test_tbptt_n_n_equals_full_bptt():
    p, x, y, mask, h0 = make(seed=2, mask_p=0.7)
    T = x.shape[1]
    L, g = elman_loss_and_grads(p, x, y, mask, h0)
    for k2 in (T, T + 5):
        L2, g2 = tbptt_gradients(p, x, y, T, k2, mask, h0)
        assert abs(L - L2) < 1e-12
        for k in PARAM_NAMES:
            np.testing.assert_allclose(g2[k], g[k], rtol=1e-12, atol=1e-14)


def test_tbptt_n_k_equals_truncate_k():
    p, x, y, mask, h0 = make(seed=3)
    T = x.shape[1]
    for k in (1, 3, T - 1):
        _, g = elman_loss_and_grads(p, x, y, mask, h0, truncate=k)
        _, g2 = tbptt_gradients(p, x, y, T, k, mask, h0)
        for name in PARAM_NAMES:
            np.testing.assert_allclose(g2[name], g[name], rtol=1e-12, atol=1e-14)


# ---------------------------------------------------------------- training
def test_tbptt_train_n_n_is_one_full_bptt_step():
    p, x, y, mask, h0 = make(seed=6, mask_p=0.5)
    T = x.shape[1]
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    q = copy(p)
    out = tbptt_train(q, x, y, T, T, SGD(lr=0.1), mask=mask, h0=h0)
    assert out["loss"].shape == (1,)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(q[k], p[k] - 0.1 * g[k], rtol=1e-12, atol=1e-14)


def test_tbptt_train_lr0_keeps_params_and_state():
    p, x, y, mask, h0 = make(seed=7)
    q = copy(p)
    out = tbptt_train(q, x, y, 2, 5, SGD(lr=0.0), h0=h0)
    for k in PARAM_NAMES:
        np.testing.assert_array_equal(q[k], p[k])
    h, _ = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    np.testing.assert_allclose(out["h_last"], h[:, -1], rtol=1e-13)
    assert abs(out["loss"].sum() - elman_loss_and_grads(p, x, y, None, h0)[0]) < 1e-10


def test_tbptt_train_clips_the_update_it_applies():
    """One update (TBPTT(n, n)) with SGD(lr=1): the step taken is -g scaled to norm clip."""
    p, x, y, mask, h0 = make(seed=11, mask_p=0.8)
    T = x.shape[1]
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    norm = np.sqrt(sum(np.sum(g[k] ** 2) for k in PARAM_NAMES))
    for clip in (1e-3 * norm, 0.5 * norm):
        q = copy(p)
        out = tbptt_train(q, x, y, T, T, SGD(lr=1.0), mask=mask, h0=h0, clip=clip)
        assert abs(out["grad_norm"][0] - norm) < 1e-12 * norm      # reported before clipping
        for k in PARAM_NAMES:
            np.testing.assert_allclose(q[k] - p[k], -g[k] * clip / norm, rtol=1e-9, atol=1e-15)
    q = copy(p)                                                    # below the threshold: unchanged
    tbptt_train(q, x, y, T, T, SGD(lr=1.0), mask=mask, h0=h0, clip=2 * norm)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(q[k] - p[k], -g[k], rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("k1,k2", [(3, 3), (2, 5), (4, 1)])
def test_tbptt_train_clips_every_window(k1, k2):
    """With SGD(lr=1) each update moves the parameters by at most clip, so U updates move
    them by at most U * clip, while the unclipped run moves them much further."""
    p, x, y, mask, h0 = make(seed=12, scale=1.5)
    clip = 1e-4
    q = copy(p)
    out = tbptt_train(q, x, y, k1, k2, SGD(lr=1.0), mask=mask, h0=h0, clip=clip)
    assert np.all(out["grad_norm"] > clip)                         # every update was clipped
    moved = np.sqrt(sum(np.sum((q[k] - p[k]) ** 2) for k in PARAM_NAMES))
    assert moved <= len(out["loss"]) * clip * (1 + 1e-9)
    r = copy(p)
    tbptt_train(r, x, y, k1, k2, SGD(lr=1.0), mask=mask, h0=h0)
    assert np.sqrt(sum(np.sum((r[k] - p[k]) ** 2) for k in PARAM_NAMES)) > 100 * moved


def test_artbp_train_clips_the_update_it_applies():
    p, x, y, mask, h0 = make(seed=13)
    T = x.shape[1]
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    norm = np.sqrt(sum(np.sum(g[k] ** 2) for k in PARAM_NAMES))
    q = copy(p)
    artbp_train(q, x, y, 0.0, SGD(lr=1.0), np.random.default_rng(0), mask=mask, h0=h0,
                clip=1e-2 * norm)                                  # c = 0: one full-BPTT update
    for k in PARAM_NAMES:
        np.testing.assert_allclose(q[k] - p[k], -1e-2 * g[k], rtol=1e-9, atol=1e-15)


def delayed_recall_stream(N, lag, episodes, rng):
    """Episodes of delayed recall back to back; a loss term only at the recall steps."""
    xs, ys, ms = [], [], []
    for _ in range(episodes):
        x, y = delayed_recall(N, lag, rng)
        t = np.zeros((N, lag + 1), dtype=np.int64)
        t[:, -1] = y
        m = np.zeros((N, lag + 1), dtype=bool)
        m[:, -1] = True
        xs.append(x), ys.append(t), ms.append(m)
    return np.concatenate(xs, 1), np.concatenate(ys, 1), np.concatenate(ms, 1)


@pytest.mark.parametrize("k1,k2", [(24, 24), (1, 24), (6, 1), (3, 8), (6, 6), (5, 5)])
def test_canonical_settings_run(k1, k2):
    rng = np.random.default_rng(0)
    x, y, m = delayed_recall_stream(8, 5, 4, rng)            # n = T = 24
    p, *_ = make(D=x.shape[2], H=8, V=4, seed=1)
    out = tbptt_train(p, x, y, k1, k2, Adam(lr=1e-2), mask=m, clip=5.0)
    assert out["loss"].shape == (math.ceil(24 / k1),)
    assert np.all(np.isfinite(out["loss"])) and np.all(np.isfinite(out["grad_norm"]))
    assert out["h_last"].shape == (8, 8) and np.all(np.isfinite(out["h_last"]))


# ---------------------------------------------------------------- ARTBP
def test_artbp_limits():
    """c = 0: nothing is cut, every factor is 1: full BPTT. Every edge cut: truncate=1."""
    p, x, y, mask, h0 = make(seed=8)
    T = x.shape[1]
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    _, g0, cuts = artbp_gradients(p, x, y, 0.0, np.random.default_rng(0), mask, h0)
    assert not cuts.any()
    for k in PARAM_NAMES:
        np.testing.assert_allclose(g0[k], g[k], rtol=1e-12, atol=1e-14)
    _, g1 = elman_loss_and_grads(p, x, y, mask, h0, truncate=1)
    _, gc, _ = artbp_gradients(p, x, y, 0.5, cuts=np.ones(T, bool), mask=mask, h0=h0)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(gc[k], g1[k], rtol=1e-12, atol=1e-14)


def test_artbp_backward_is_exactly_unbiased_by_enumeration():
    """Sum over all 2^(T-1) cut patterns, weighted by their probability = full BPTT."""
    rng = np.random.default_rng(9)
    N, T, D, H = 2, 6, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    W_xh, W_hh, b_h = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
    dh = rng.standard_normal((N, T, H))
    _, cache = rnn_forward(x, h0, W_xh, W_hh, b_h)
    full = rnn_backward(dh, cache)
    c = np.array([0.0, 0.3, 0.6, 0.2, 0.5, 0.7])
    acc = [np.zeros_like(a) for a in full]
    for bits in range(2 ** (T - 1)):
        cuts = np.array([False] + [bool(bits >> i & 1) for i in range(T - 1)])
        prob = np.prod(np.where(cuts[1:], c[1:], 1 - c[1:]))
        for a, g in zip(acc, artbp_backward(dh, cache, c, cuts)):
            a += prob * g
    for a, b in zip(acc, full):
        np.testing.assert_allclose(a, b, rtol=1e-11, atol=1e-13)


def test_artbp_mean_converges_to_full_gradient():
    """Statistical test (fixed seed). With M draws, each coordinate of the mean has
    standard error s_j / sqrt(M), s_j the measured standard deviation. Unbiased: every
    |z_j| = |mean_j - g_j| / (s_j / sqrt(M)) < 5 (P(|z| > 5) ~ 6e-7 per coordinate, 28
    random coordinates) and the squared error is near its expectation sum_j s_j^2 / M (< 3x).
    The biased fixed truncation at the same mean depth (1/c = 4) fails the same test.
    Measured with this seed: max |z| = 1.6, squared error / expectation = 0.22; the fixed
    truncation's max |z| = 41."""
    p, x, y, mask, h0 = make(N=4, T=10, seed=10)
    c, M = 0.25, 1500
    rng = np.random.default_rng(123)
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    g = flat(g)
    G = np.stack([flat(artbp_gradients(p, x, y, c, rng, mask, h0)[1]) for _ in range(M)])
    mean, se = G.mean(0), G.std(0, ddof=1) / np.sqrt(M)
    live = se > 1e-12                       # the head's gradients are exact (no variance)
    z = np.abs(mean - g)[live] / se[live]
    assert z.max() < 5.0, z.max()
    np.testing.assert_allclose(mean[~live], g[~live], rtol=1e-10, atol=1e-12)
    assert np.sum((mean - g) ** 2) < 3.0 * np.sum(se ** 2)
    _, gt = elman_loss_and_grads(p, x, y, mask, h0, truncate=4)
    z_fixed = np.abs(flat(gt) - g)[live] / se[live]
    assert z_fixed.max() > 5.0, z_fixed.max()   # the test has the power to see a bias


def test_artbp_train_one_update_per_subsequence():
    rng = np.random.default_rng(0)
    x, y, m = delayed_recall_stream(8, 5, 4, rng)
    p, *_ = make(D=x.shape[2], H=8, V=4, seed=1)
    out = artbp_train(p, x, y, 0.2, Adam(lr=1e-2), np.random.default_rng(3), mask=m, clip=5.0)
    assert len(out["loss"]) == out["cuts"].sum() + 1
    assert np.all(np.isfinite(out["loss"]))


def test_artbp_train_with_c0_is_full_bptt_step():
    p, x, y, mask, h0 = make(seed=11)
    _, g = elman_loss_and_grads(p, x, y, mask, h0)
    q = copy(p)
    artbp_train(q, x, y, 0.0, SGD(lr=0.1), np.random.default_rng(0), mask, h0)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(q[k], p[k] - 0.1 * g[k], rtol=1e-12, atol=1e-14)


def test_artbp_cuts_frequency():
    cuts = artbp_cuts(20001, 0.2, np.random.default_rng(0))
    assert not cuts[0]
    assert abs(cuts[1:].mean() - 0.2) < 0.01                 # 3.5 standard errors


# ---------------------------------------------------------------- bad arguments
def bad(name, fn, *args, **kw):
    with pytest.raises(ValueError, match=name):
        fn(*args, **kw)


def test_bad_arguments_name_the_argument():
    p, x, y, mask, h0 = make(seed=12)
    rng = np.random.default_rng(0)
    bad("k1", tbptt_windows, 10, 0, 3)
    bad("k2", tbptt_windows, 10, 3, 1.5)
    bad("T", tbptt_windows, 0, 3, 3)
    bad("k1", tbptt_gradients, p, x, y, None, 3)
    bad("k2", tbptt_train, p, x, y, 3, 0, SGD(0.1))
    bad("optimizer", tbptt_train, p, x, y, 3, 3, "sgd")
    bad("clip", tbptt_train, p, x, y, 3, 3, SGD(0.1), clip=-1.0)
    bad("params", tbptt_gradients, {"W_xh": p["W_xh"]}, x, y, 3, 3)
    bad("W_hh", tbptt_gradients, dict(p, W_hh=p["W_hh"][:2]), x, y, 3, 3)
    bad("x", tbptt_gradients, p, x[..., :1], y, 3, 3)
    bad("targets", tbptt_gradients, p, x, y.astype(float), 3, 3)
    bad("targets", tbptt_gradients, p, x, y[:, :4], 3, 3)
    bad("mask", tbptt_gradients, p, x, y, 3, 3, mask=np.ones(y.shape))
    bad("h0", tbptt_gradients, p, x, y, 3, 3, h0=h0[:, :2])
    bad("activation", tbptt_gradients, p, x, y, 3, 3, activation="softsign")
    bad("truncate", elman_loss_and_grads, p, x, y, truncate=0)
    bad("c", artbp_gradients, p, x, y, 1.0, rng)
    bad("c", artbp_gradients, p, x, y, -0.1, rng)
    bad("c", artbp_gradients, p, x, y, np.full(3, 0.2), rng)
    bad("c", artbp_gradients, p, x, y, "0.2", rng)
    bad("c", artbp_gradients, p, x, y, np.nan, rng)
    bad("rng", artbp_gradients, p, x, y, 0.2, 42)
    bad("cuts", artbp_gradients, p, x, y, 0.2, cuts=np.ones(4, bool))
    bad("rng", artbp_train, p, x, y, 0.2, SGD(0.1), None)
    _, cache = rnn_forward(x, h0, p["W_xh"], p["W_hh"], p["b_h"])
    bad("cache", artbp_backward, np.zeros(cache.h.shape), tuple(cache), 0.2, np.zeros(9, bool))
    bad("dh", artbp_backward, np.zeros((1, 2, 3)), cache, 0.2, np.zeros(9, bool))


def test_tbptt_train_stops_at_a_non_finite_loss():
    p, x, y, mask, h0 = make(seed=13)
    p["W_hh"] = 50.0 * np.eye(4)                       # relu states overflow to inf
    x = 1e300 * np.abs(x)
    with np.errstate(all="ignore"):
        out = tbptt_train(p, x, y, 3, 3, SGD(lr=0.1), h0=np.abs(h0), activation="relu")
    assert out["h_last"] is None and np.isnan(out["loss"][-1])


def test_explorer_deltas_are_the_package_backward_pass():
    """rnnbook.explorers.bptt.deltas: sum_k x_k^T delta_k and sum_k h_{k-1}^T delta_k
    must be rnn_backward's dW_xh and dW_hh for the same loss."""
    from rnnbook.explorers.bptt import deltas
    rng = np.random.default_rng(3)
    N, T, D, H = 3, 7, 2, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    W_xh, W_hh, dL = rng.standard_normal((D, H)), 0.7 * rng.standard_normal((H, H)), rng.standard_normal((N, H))
    h, delta = deltas(x, h0, W_xh, W_hh, "tanh", dL)
    h_ref, cache = rnn_forward(x, h0, W_xh, W_hh, np.zeros(H))
    dh = np.zeros_like(h_ref)
    dh[:, -1] = dL
    _, _, dW_xh, dW_hh, db_h = rnn_backward(dh, cache)
    h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    assert rel_error(h, h_ref) < 1e-14
    assert rel_error(np.einsum("ntd,nth->dh", x, delta), dW_xh) < 1e-12
    assert rel_error(np.einsum("ntg,nth->gh", h_prev, delta), dW_hh) < 1e-12
    assert rel_error(delta.sum((0, 1)), db_h) < 1e-12
