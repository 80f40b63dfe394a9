"""Readers' implementations for tests/test_exercises.py: one right, several typically wrong.

Written as a reader would write them (plain numpy, independent of the package), each
wrong one with the diagnosis code the checker must give it.
"""
import numpy as np


def sig(a):
    return 1 / (1 + np.exp(-a))


# ------------------------------------------------------------------ MLP (chapter 1)
def mlp_ok(dy, x, W1, b1, W2, b2):
    O1 = sig(x @ W1 + b1)
    y = sig(O1 @ W2 + b2)
    d2 = dy * y * (1 - y)
    d1 = (d2 @ W2.T) * O1 * (1 - O1)
    return d1 @ W1.T, x.T @ d1, d1.sum(0), O1.T @ d2, d2.sum(0)


def mlp_no_fprime(dy, x, W1, b1, W2, b2):
    O1 = sig(x @ W1 + b1)
    d1 = dy @ W2.T
    return d1 @ W1.T, x.T @ d1, d1.sum(0), O1.T @ dy, dy.sum(0)


def mlp_delta_sign(dy, x, W1, b1, W2, b2):      # the textbook delta = -dE/da
    return tuple(-g for g in mlp_ok(dy, x, W1, b1, W2, b2))


def mlp_db_not_summed(dy, x, W1, b1, W2, b2):
    O1 = sig(x @ W1 + b1)
    y = sig(O1 @ W2 + b2)
    d2 = dy * y * (1 - y)
    d1 = (d2 @ W2.T) * O1 * (1 - O1)
    return d1 @ W1.T, x.T @ d1, d1, O1.T @ d2, d2.sum(0)


def mlp_transposed_dW(dy, x, W1, b1, W2, b2):
    dx, dW1, db1, dW2, db2 = mlp_ok(dy, x, W1, b1, W2, b2)
    return dx, dW1.T, db1, dW2, db2


def mlp_mean(dy, x, W1, b1, W2, b2):
    O1 = sig(x @ W1 + b1)
    y = sig(O1 @ W2 + b2)
    d2 = dy * y * (1 - y)
    d1 = (d2 @ W2.T) * O1 * (1 - O1)
    return d1 @ W1.T, x.T @ d1, d1.mean(0), O1.T @ d2, d2.sum(0)


# ------------------------------------------------------------ RNN step (chapter 4)
def step_ok(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - h ** 2)
    return da @ W_xh.T, da @ W_hh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def step_no_fprime(dh, x, h_prev, W_xh, W_hh, b_h):
    da = dh
    return da @ W_xh.T, da @ W_hh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def step_tanh_twice(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - np.tanh(h) ** 2)
    return da @ W_xh.T, da @ W_hh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def step_missing_transpose(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - h ** 2)
    return da @ W_xh.T, da @ W_hh, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def step_dW_hh_transposed(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - h ** 2)
    return da @ W_xh.T, da @ W_hh.T, x.T @ da, da.T @ h_prev, da.sum(axis=0)


def step_db_keepdims(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - h ** 2)
    return da @ W_xh.T, da @ W_hh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0, keepdims=True)


def step_inplace(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    dh *= 1 - h ** 2                                  # overwrites the caller's dh
    return dh @ W_xh.T, dh @ W_hh.T, x.T @ dh, h_prev.T @ dh, dh.sum(axis=0)


def step_dx_transpose_raises(dh, x, h_prev, W_xh, W_hh, b_h):
    h = np.tanh(x @ W_xh + h_prev @ W_hh + b_h)
    da = dh * (1 - h ** 2)
    return da @ W_xh, da @ W_hh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def step_float32(dh, x, h_prev, W_xh, W_hh, b_h):
    args = [a.astype(np.float32) for a in (dh, x, h_prev, W_xh, W_hh, b_h)]
    return step_ok(*args)


def step_factor_two(dh, x, h_prev, W_xh, W_hh, b_h):
    dx, dh_prev, dW_xh, dW_hh, db_h = step_ok(dh, x, h_prev, W_xh, W_hh, b_h)
    return dx, dh_prev, 2 * dW_xh, dW_hh, db_h


# ----------------------------------------------------------- full BPTT (chapter 4)
def _forward(x, h0, W_xh, W_hh, b_h):
    h, prev = [], h0
    for t in range(x.shape[1]):
        prev = np.tanh(x[:, t] @ W_xh + prev @ W_hh + b_h)
        h.append(prev)
    return np.stack(h, axis=1)


def bptt(dh, x, h0, W_xh, W_hh, b_h, carry_on=True, fprime=True, accumulate=True,
         return_dh0=True, order=None, transpose=True):
    h = _forward(x, h0, W_xh, W_hh, b_h)
    T = x.shape[1]
    dx = np.zeros_like(x)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    carry = np.zeros_like(h0)
    for t in (order if order is not None else range(T - 1, -1, -1)):
        h_prev = h0 if t == 0 else h[:, t - 1]
        da = (dh[:, t] + carry) * ((1 - h[:, t] ** 2) if fprime else 1)
        dx[:, t] = da @ W_xh.T
        if accumulate:
            dW_xh += x[:, t].T @ da
            dW_hh += h_prev.T @ da
            db_h += da.sum(0)
        else:
            dW_xh, dW_hh, db_h = x[:, t].T @ da, h_prev.T @ da, da.sum(0)
        carry = da @ (W_hh.T if transpose else W_hh) if carry_on else 0 * carry
    if not carry_on:
        carry = da @ W_hh.T
    return dx, (carry if return_dh0 else np.zeros_like(h0)), dW_xh, dW_hh, db_h


def bptt_ok(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h)


def bptt_no_carry(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h, carry_on=False)


def bptt_last_step_only(dh, x, h0, W_xh, W_hh, b_h):
    """Weight gradients from the last step's delta only (the forward-order loop)."""
    dx, dh0, _, _, _ = bptt_ok(dh, x, h0, W_xh, W_hh, b_h)
    h = _forward(x, h0, W_xh, W_hh, b_h)
    da = dh[:, -1] * (1 - h[:, -1] ** 2)             # delta_{T-1}: nothing comes after
    return dx, dh0, x[:, -1].T @ da, h[:, -2].T @ da, da.sum(0)


def bptt_forgot_dh0(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h, return_dh0=False)


def bptt_no_fprime(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h, fprime=False)


def bptt_forward_order(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h, order=range(x.shape[1]))


def bptt_recursion_not_transposed(dh, x, h0, W_xh, W_hh, b_h):
    return bptt(dh, x, h0, W_xh, W_hh, b_h, transpose=False)


def bptt_sign(dh, x, h0, W_xh, W_hh, b_h):
    return tuple(-g for g in bptt_ok(dh, x, h0, W_xh, W_hh, b_h))


def bptt_inplace(dh, x, h0, W_xh, W_hh, b_h):
    """Adds the carried gradient into the caller's dh (dh[:, t] += carry)."""
    h = _forward(x, h0, W_xh, W_hh, b_h)
    dW_xh, dW_hh, db_h = np.zeros_like(W_xh), np.zeros_like(W_hh), np.zeros_like(b_h)
    dx = np.zeros_like(x)
    for t in range(x.shape[1] - 1, -1, -1):
        dh[:, t] *= 1 - h[:, t] ** 2                      # now delta_t, in the caller's array
        h_prev = h0 if t == 0 else h[:, t - 1]
        dx[:, t] = dh[:, t] @ W_xh.T
        dW_xh += x[:, t].T @ dh[:, t]
        dW_hh += h_prev.T @ dh[:, t]
        db_h += dh[:, t].sum(0)
        carry = dh[:, t] @ W_hh.T
        if t > 0:
            dh[:, t - 1] += carry
    return dx, carry, dW_xh, dW_hh, db_h


def bptt_returns_two(dh, x, h0, W_xh, W_hh, b_h):
    return bptt_ok(dh, x, h0, W_xh, W_hh, b_h)[:2]


def bptt_returns_none(dh, x, h0, W_xh, W_hh, b_h):
    bptt_ok(dh, x, h0, W_xh, W_hh, b_h)


# ------------------------------------------------------ truncated BPTT (chapter 5)
def trunc(dh, x, h0, W_xh, W_hh, b_h, k, depth=None, dh0=True):
    depth = k if depth is None else depth
    h = _forward(x, h0, W_xh, W_hh, b_h)
    fp = 1 - h ** 2
    T = x.shape[1]
    da, g0 = np.zeros_like(h), np.zeros_like(h0)
    for t in range(T):
        g = dh[:, t] * fp[:, t]
        da[:, t] += g
        s = t
        while s > 0 and t - s + 1 < depth:
            g = (g @ W_hh.T) * fp[:, s - 1]
            s -= 1
            da[:, s] += g
        if s == 0 and t - s + 1 <= depth and dh0:
            g0 += g @ W_hh.T
    hp = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
    return (da @ W_xh.T, g0, np.einsum("ntd,nth->dh", x, da),
            np.einsum("ntj,nth->jh", hp, da), da.sum((0, 1)))


def trunc_ok(dh, x, h0, W_xh, W_hh, b_h, k):
    return trunc(dh, x, h0, W_xh, W_hh, b_h, k)


def trunc_k_minus_one(dh, x, h0, W_xh, W_hh, b_h, k):
    return trunc(dh, x, h0, W_xh, W_hh, b_h, k, depth=k - 1)


def trunc_k_plus_one(dh, x, h0, W_xh, W_hh, b_h, k):
    return trunc(dh, x, h0, W_xh, W_hh, b_h, k, depth=k + 1)


def trunc_ignored(dh, x, h0, W_xh, W_hh, b_h, k):
    return bptt_ok(dh, x, h0, W_xh, W_hh, b_h)


def trunc_blocks(dh, x, h0, W_xh, W_hh, b_h, k):
    """TBPTT(k, k): backpropagate inside blocks of k steps, starting from detached states."""
    T = x.shape[1]
    h = _forward(x, h0, W_xh, W_hh, b_h)
    out = [np.zeros_like(x), np.zeros_like(h0), np.zeros_like(W_xh), np.zeros_like(W_hh),
           np.zeros_like(b_h)]
    for b in range(0, T, k):
        start = h0 if b == 0 else h[:, b - 1]
        g = bptt_ok(dh[:, b:b + k], x[:, b:b + k], start, W_xh, W_hh, b_h)
        out[0][:, b:b + k] = g[0]
        if b == 0:
            out[1] = g[1]
        for j in (2, 3, 4):
            out[j] = out[j] + g[j]
    return tuple(out)


def trunc_no_dh0(dh, x, h0, W_xh, W_hh, b_h, k):
    return trunc(dh, x, h0, W_xh, W_hh, b_h, k, dh0=False)


# ----------------------------------------------------------- clipping (chapter 7)
def clip_ok(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    s = max_norm / norm if norm > max_norm else 1.0
    return {k: g * s for k, g in grads.items()}, norm


def clip_per_array(grads, max_norm):
    out = {}
    for k, g in grads.items():
        n = np.linalg.norm(g)
        out[k] = g * max_norm / n if n > max_norm else g.copy()
    return out, np.sqrt(sum((g ** 2).sum() for g in grads.values()))


def clip_by_value(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, norm


def clip_always(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    return {k: g * max_norm / norm for k, g in grads.items()}, norm


def clip_inplace(grads, max_norm):
    norm = np.sqrt(sum((g ** 2).sum() for g in grads.values()))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return grads, norm


def clip_norm_after(grads, max_norm):
    clipped, _ = clip_ok(grads, max_norm)
    return clipped, np.sqrt(sum((g ** 2).sum() for g in clipped.values()))


def clip_no_sqrt(grads, max_norm):
    clipped, norm = clip_ok(grads, max_norm)
    return clipped, norm ** 2


def clip_returns_dict(grads, max_norm):
    return clip_ok(grads, max_norm)[0]


# -------------------------------------------------------------- LSTM (chapter 8)
def lstm(dh, dc, x, h_prev, c_prev, W_xh, W_hh, b, mistake=None):
    H = h_prev.shape[1]
    a = x @ W_xh + h_prev @ W_hh + b
    i, f = sig(a[:, :H]), sig(a[:, H:2 * H])
    if mistake == "order":
        o, g = sig(a[:, 2 * H:3 * H]), np.tanh(a[:, 3 * H:])
    else:
        g, o = np.tanh(a[:, 2 * H:3 * H]), sig(a[:, 3 * H:])
    c = f * c_prev + i * g
    do = dh * np.tanh(c)
    if mistake == "no_dh":
        dct = dc
    elif mistake == "no_tanh_prime":
        dct = dc + dh * o
    else:
        dct = dc + dh * o * (1 - np.tanh(c) ** 2)
    dc_prev = dct if mistake == "no_f" else dct * f
    blocks = [dct * g * i * (1 - i), dct * c_prev * f * (1 - f), dct * i * (1 - g ** 2),
              do * o * (1 - o)]
    if mistake == "no_gate_derivs":
        blocks = [dct * g, dct * c_prev, dct * i, do]
    if mistake == "order":
        blocks = blocks[:2] + blocks[2:][::-1]
    da = np.hstack(blocks)
    return da @ W_xh.T, da @ W_hh.T, dc_prev, x.T @ da, h_prev.T @ da, da.sum(0)


def lstm_ok(*a):
    return lstm(*a)


def lstm_no_dh(*a):
    return lstm(*a, mistake="no_dh")


def lstm_no_tanh_prime(*a):
    return lstm(*a, mistake="no_tanh_prime")


def lstm_no_f(*a):
    return lstm(*a, mistake="no_f")


def lstm_no_gate_derivs(*a):
    return lstm(*a, mistake="no_gate_derivs")


def lstm_gate_order(*a):
    return lstm(*a, mistake="order")


# --------------------------------------------------------------- GRU (chapter 9)
def gru(dh, x, h_prev, W_xh, W_hh, b_xh, b_hh, form="pytorch", mistake=None):
    H = h_prev.shape[1]
    ax = x @ W_xh + b_xh
    ah = h_prev @ W_hh + b_hh
    r = sig(ax[:, :H] + ah[:, :H])
    z = sig(ax[:, H:2 * H] + ah[:, H:2 * H])
    if form == "pytorch":
        n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    else:
        n = np.tanh(ax[:, 2 * H:] + (r * h_prev) @ W_hh[:, 2 * H:] + b_hh[2 * H:])
    if mistake == "swap_z":
        dn, dz, dhp = dh * z, dh * (n - h_prev), dh * (1 - z)
    else:
        dn, dz, dhp = dh * (1 - z), dh * (h_prev - n), dh * z
    if mistake == "no_direct":
        dhp = 0
    nd = mistake == "no_derivs"
    dan = dn if nd else dn * (1 - n ** 2)
    daz = dz if nd else dz * z * (1 - z)
    if form == "pytorch":
        dar = dan * ah[:, 2 * H:] * (1 if nd else r * (1 - r))
        dah = np.hstack([dar, daz, dan if mistake == "no_r" else dan * r])
        dh_prev = dhp + dah @ W_hh.T
        dW_hh, db_hh = h_prev.T @ dah, dah.sum(0)
    else:
        drh = dan @ W_hh[:, 2 * H:].T
        dar = drh * h_prev * r * (1 - r)
        dah = np.hstack([dar, daz])
        dh_prev = dhp + (0 if mistake == "no_rpath" else drh * r) + dah @ W_hh[:, :2 * H].T
        dW_hh = np.hstack([h_prev.T @ dah, (r * h_prev).T @ dan])
        db_hh = np.concatenate([dah.sum(0), dan.sum(0)])
    dax = np.hstack([dar, daz, dan])
    return dax @ W_xh.T, dh_prev, x.T @ dax, dW_hh, dax.sum(0), db_hh


def gru_ok(*a):
    return gru(*a)


def gru_swap_z(*a):
    return gru(*a, mistake="swap_z")


def gru_no_direct(*a):
    return gru(*a, mistake="no_direct")


def gru_no_r(*a):
    return gru(*a, mistake="no_r")


def gru_no_derivs(*a):
    return gru(*a, mistake="no_derivs")


def cho_no_reset_path(*a):
    return gru(*a, form="cho", mistake="no_rpath")


def gru_as_cho(*a):
    return gru(*a, form="cho")


def cho_ok(*a):
    return gru(*a, form="cho")


def cho_swap_z(*a):
    return gru(*a, form="cho", mistake="swap_z")


def cho_as_pytorch(*a):
    return gru(*a, form="pytorch")


def cho_no_direct(*a):
    return gru(*a, form="cho", mistake="no_direct")


# ------------------------------------------------- temperature, sampling (chapter 11)
def temp_ok(logits, temperature):
    z = logits / temperature
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def temp_times(logits, temperature):
    return temp_ok(logits * temperature ** 2, temperature)


def temp_overflow(logits, temperature):
    e = np.exp(logits / temperature)
    return e / e.sum(axis=1, keepdims=True)


def temp_axis0(logits, temperature):
    return temp_ok(logits.T, temperature).T


def temp_unnormalised(logits, temperature):
    z = logits / temperature
    return np.exp(z - z.max(axis=1, keepdims=True))


def sample_ok(logits, temperature, rng):
    p = temp_ok(logits, temperature)
    u = rng.random(len(p))
    return np.array([np.searchsorted(np.cumsum(row), ui, side="right")
                     for row, ui in zip(p, u)]).clip(0, p.shape[1] - 1)


def sample_greedy(logits, temperature, rng):
    return logits.argmax(axis=1)


def sample_no_temperature(logits, temperature, rng):
    return sample_ok(logits, 1.0, rng)


def sample_global_rng(logits, temperature, rng):
    return sample_ok(logits, temperature, np.random.default_rng())


def sample_off_by_one(logits, temperature, rng):
    return (sample_ok(logits, temperature, rng) + 1) % logits.shape[1]


# ---------------------------------------------------------- bidirectional (chapter 12)
def bi(dh, x, h0_f, h0_b, params_f, params_b, mistake=None):
    H = h0_f.shape[1]
    dh_f, dh_b = dh[:, :, :H], dh[:, :, H:]
    if mistake == "swap":
        dh_f, dh_b = dh_b, dh_f
    gf = bptt_ok(dh_f, x, h0_f, params_f["W_xh"], params_f["W_hh"], params_f["b_h"])
    dh_b = dh_b if mistake == "no_reverse" else dh_b[:, ::-1]
    gb = bptt_ok(dh_b, x[:, ::-1], h0_b, params_b["W_xh"], params_b["W_hh"], params_b["b_h"])
    dx_b = gb[0] if mistake == "dx_not_back" else gb[0][:, ::-1]
    dx = gf[0] if mistake == "dx_f_only" else gf[0] + dx_b
    return (dx, gf[1], gb[1]) + gf[2:] + gb[2:]


def bi_ok(*a):
    return bi(*a)


def bi_no_reverse(*a):
    return bi(*a, mistake="no_reverse")


def bi_swap(*a):
    return bi(*a, mistake="swap")


def bi_dx_not_back(*a):
    return bi(*a, mistake="dx_not_back")


def bi_dx_f_only(*a):
    return bi(*a, mistake="dx_f_only")


CORRECT = {"mlp_backward": mlp_ok, "rnn_step_backward": step_ok, "rnn_backward": bptt_ok,
           "truncated_bptt": trunc_ok, "clip_by_global_norm": clip_ok,
           "lstm_step_backward": lstm_ok, "gru_step_backward": gru_ok,
           "gru_step_backward_cho": cho_ok, "softmax_temperature": temp_ok,
           "sample_next": sample_ok, "bidirectional_backward": bi_ok}

# exercise -> [(wrong implementation, the diagnosis code it must get)]
MISTAKES = {
    "mlp_backward": [(mlp_no_fprime, "no_activation_derivative"), (mlp_delta_sign, "sign"),
                     (mlp_db_not_summed, "not_summed"), (mlp_transposed_dW, "transpose"),
                     (mlp_mean, "mean_instead_of_sum")],
    "rnn_step_backward": [(step_no_fprime, "no_activation_derivative"),
                          (step_tanh_twice, "fprime_wrong_argument"),
                          (step_missing_transpose, "transpose"),
                          (step_dW_hh_transposed, "transpose"),
                          (step_db_keepdims, "extra_axis"),
                          (step_inplace, "mutates_inputs"),
                          (step_dx_transpose_raises, "raised"),
                          (step_factor_two, "scale"),
                          (step_float32, "low_precision")],
    "rnn_backward": [(bptt_no_carry, "no_backprop_through_time"),
                     (bptt_last_step_only, "not_summed_over_time"),
                     (bptt_forgot_dh0, "forgot_dh0"),
                     (bptt_no_fprime, "no_activation_derivative"),
                     (bptt_forward_order, "wrong_time_order"),
                     (bptt_recursion_not_transposed, "transpose"),
                     (bptt_sign, "sign"), (bptt_inplace, "mutates_inputs"),
                     (bptt_returns_two, "wrong_count"),
                     (bptt_returns_none, "returned_none")],
    "truncated_bptt": [(trunc_k_minus_one, "truncation_off_by_one"),
                       (trunc_k_plus_one, "truncation_off_by_one"),
                       (trunc_ignored, "not_truncated"), (trunc_blocks, "chunked"),
                       (trunc_no_dh0, "forgot_dh0")],
    "clip_by_global_norm": [(clip_per_array, "per_array_norm"),
                            (clip_by_value, "elementwise_clip"),
                            (clip_always, "always_rescale"),
                            (clip_inplace, "mutates_inputs"),
                            (clip_norm_after, "norm_after_clip"),
                            (clip_no_sqrt, "norm_squared"),
                            (clip_returns_dict, "wrong_count")],
    "lstm_step_backward": [(lstm_no_dh, "dh_not_into_dc"),
                           (lstm_no_tanh_prime, "no_activation_derivative"),
                           (lstm_no_f, "dc_prev_missing_forget_gate"),
                           (lstm_no_gate_derivs, "no_activation_derivative"),
                           (lstm_gate_order, "gate_order")],
    "gru_step_backward": [(gru_swap_z, "z_convention"), (gru_no_direct, "missing_path"),
                          (gru_no_r, "reset_gate_missing"), (gru_as_cho, "wrong_formulation"),
                          (gru_no_derivs, "no_activation_derivative")],
    "gru_step_backward_cho": [(cho_swap_z, "z_convention"), (cho_no_direct, "missing_path"),
                              (cho_as_pytorch, "wrong_formulation"),
                              (cho_no_reset_path, "missing_path")],
    "softmax_temperature": [(temp_times, "temperature_inverted"),
                            (temp_overflow, "not_finite"), (temp_axis0, "wrong_axis"),
                            (temp_unnormalised, "not_normalised")],
    "sample_next": [(sample_greedy, "greedy"), (sample_no_temperature, "temperature_ignored"),
                    (sample_global_rng, "ignores_rng"), (sample_off_by_one, "off_by_one")],
    "bidirectional_backward": [(bi_no_reverse, "time_not_reversed"),
                               (bi_swap, "halves_swapped"),
                               (bi_dx_not_back, "dx_not_reversed"),
                               (bi_dx_f_only, "dx_not_summed")],
}
