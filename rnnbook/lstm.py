"""Long short-term memory (LSTM): forward and backward passes over a sequence.

One step (the step functions live in ``rnnbook.lstm_step`` and are importable from
here too), with row vectors and the four gates stacked along the last axis in
PyTorch's order (i, f, g, o)::

    a_t = x_t W_xh + h_{t-1} W_hh + b                  (N, 4H)
    i_t = sigmoid(a_t[:, 0:H])      input gate
    f_t = sigmoid(a_t[:, H:2H])     forget gate
    g_t = tanh(a_t[:, 2H:3H])       candidate cell value
    ω_t = sigmoid(a_t[:, 3H:4H])    output gate (code name ``o``)
    c_t = f_t * c_{t-1} + i_t * g_t                     cell state
    h_t = ω_t * tanh(c_t)                               hidden state

Shapes: x (N, T, D), h0 and c0 (N, H), W_xh (D, 4H), W_hh (H, 4H), b (4H,).
PyTorch's ``nn.LSTM`` stores ``weight_ih_l0 = W_xh.T``, ``weight_hh_l0 = W_hh.T`` and
two biases whose sum is ``b``.

The sequence functions do not call the step functions in their loop: they compute the
input projections ``x_t W_xh + b`` for all T steps in one matrix product before the
loop, and the weight gradients with one product over all steps after it
(``dW_xh = X^T dA``, ``dW_hh = H_prev^T dA``), so the loop over time only holds the
work that really is sequential. The tests check that both give the same numbers.

The gate nonlinearities are computed in place with ``exp`` (see ``_gates.sigmoid_``),
which numpy evaluates about twice as fast as ``tanh``: the g columns of the weights are
scaled by 2 so that one sigmoid pass over the (N, 4H) block gives all gates, with
tanh(u) = 2 sigmoid(2u) - 1 (absolute error about 1e-16). No overflow for any finite
input.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._gates import sigmoid_, tanh_
from ._validation import (check_array, check_cache, check_nonempty_time, check_positive_int,
                          check_rng, check_same_shape, check_state, float_dtype)
from .lstm_step import (LSTMStepCache, _activate, _check_step_params,  # noqa: F401
                        _step_backward, _step_forward, lstm_step_backward,
                        lstm_step_forward)

__all__ = ["LSTMStepCache", "LSTMCache", "lstm_step_forward", "lstm_step_backward",
           "lstm_forward", "lstm_backward", "lstm_backward_all", "lstm_param_count", "lstm_init"]


class LSTMCache(NamedTuple):
    """What :func:`lstm_backward` needs from :func:`lstm_forward`."""
    x: np.ndarray        # (N, T, D)
    h0: np.ndarray       # (N, H)
    c0: np.ndarray       # (N, H)
    h: np.ndarray        # (N, T, H) hidden states h_0 .. h_{T-1}
    c: np.ndarray        # (N, T, H) cell states c_0 .. c_{T-1}
    tanh_c: np.ndarray   # (N, T, H)
    gates: np.ndarray    # (N, T, 4H) i, f, g, o after their activations
    W_xh: np.ndarray     # (D, 4H)
    W_hh: np.ndarray     # (H, 4H)
    b: np.ndarray        # (4H,)


def _check_inputs(x, h0, W_xh, W_hh, b, c0):
    dims = {}
    W_xh, W_hh, b = _check_step_params(W_xh, W_hh, b, dims)
    x = check_array("x", x, ("N", "T", "D"), dims=dims, note="with D = W_xh.shape[0]")
    check_nonempty_time(x)
    dtype = float_dtype(x, W_xh, W_hh, b)
    h0 = check_state("h0", h0, (dims["N"], dims["H"]), dtype)
    c0 = check_state("c0", c0, (dims["N"], dims["H"]), dtype)
    return x, h0, W_xh, W_hh, b, c0


def lstm_forward(x, h0, W_xh, W_hh, b, c0=None):
    """Run an LSTM over a whole sequence.

    Parameters
    ----------
    x : (N, T, D) ndarray
        T >= 1 (T = 0 raises ``ValueError``: there is no final state to return).
    h0 : (N, H) ndarray or None
        Initial hidden state (None: zeros).
    W_xh : (D, 4H) ndarray
    W_hh : (H, 4H) ndarray
    b : (4H,) ndarray
        Gates stacked in PyTorch's order (i, f, g, o).
    c0 : (N, H) ndarray, optional
        Initial cell state (default zeros).

    Returns
    -------
    h : (N, T, H) ndarray
        Hidden states h_0 .. h_{T-1} (the cell states are in ``cache.c``).
    cache : LSTMCache
    """
    x, h0, W_xh, W_hh, b, c0 = _check_inputs(x, h0, W_xh, W_hh, b, c0)
    N, T, D = x.shape
    H = h0.shape[1]
    dtype = np.result_type(x, h0, c0, W_xh, W_hh, b)
    # g = tanh(a_g) = 2 sigmoid(2 a_g) - 1: with the g columns scaled by 2, one
    # sigmoid pass over the whole (N, 4H) block gives all four gates
    s = np.ones(4 * H, dtype=dtype)
    s[2 * H:3 * H] = 2.0
    W_hh_s = W_hh * s
    # input projections of all steps in one product: (N*T, D) @ (D, 4H)
    gates = (x.reshape(N * T, D) @ (W_xh * s)).reshape(N, T, 4 * H)
    gates += b * s
    h = np.empty((N, T, H), dtype=dtype)
    c = np.empty((N, T, H), dtype=dtype)
    tanh_c = np.empty((N, T, H), dtype=dtype)
    a = np.empty((N, 4 * H), dtype=dtype)
    ig = np.empty((N, H), dtype=dtype)
    h_prev, c_prev = h0, c0
    for t in range(T):
        gt = gates[:, t]
        np.matmul(h_prev, W_hh_s, out=a)
        gt += a                                                   # a_t (g part doubled)
        sigmoid_(gt)                                              # i, f, (g+1)/2, o
        g = gt[:, 2 * H:3 * H]
        g *= 2.0
        g -= 1.0                                                  # g = tanh(a_g)
        ct = c[:, t]
        np.multiply(gt[:, H:2 * H], c_prev, out=ct)               # f * c_prev
        np.multiply(gt[:, :H], g, out=ig)                         # i * g
        ct += ig
        tanh_(ct, out=tanh_c[:, t])
        np.multiply(gt[:, 3 * H:], tanh_c[:, t], out=h[:, t])     # o * tanh(c)
        h_prev, c_prev = h[:, t], ct
    return h, LSTMCache(x, h0, c0, h, c, tanh_c, gates, W_xh, W_hh, b)


def lstm_backward(dh, cache, *, dh_last=None, dc_last=None, return_dc0=False):
    """Backpropagation through time for :func:`lstm_forward`.

    Parameters
    ----------
    dh : (N, T, H) ndarray
        dLoss/dh_t for every step (from the layers above; zeros where unused).
    cache : LSTMCache
    dh_last, dc_last : (N, H) ndarray, optional
        Extra dLoss/dh_{T-1} and dLoss/dc_{T-1} from outside the sequence, e.g. from
        a decoder started from the final state (default zeros).
    return_dc0 : bool
        Deprecated, kept so that existing notebooks run: ``True`` returns the six
        values of :func:`lstm_backward_all`. Call :func:`lstm_backward_all` instead.

    Returns
    -------
    dx : (N, T, D) ndarray
    dh0 : (N, H) ndarray
    dW_xh : (D, 4H) ndarray
    dW_hh : (H, 4H) ndarray
    db : (4H,) ndarray

    The gradient of the initial cell state c0 is returned by :func:`lstm_backward_all`
    (and by :func:`rnnbook.cells.cell_backward`).
    """
    grads = lstm_backward_all(dh, cache, dh_last=dh_last, dc_last=dc_last)
    return grads if return_dc0 else grads[:5]


def lstm_backward_all(dh, cache, *, dh_last=None, dc_last=None):
    """Backward of :func:`lstm_forward` with the gradient of every argument, c0 included.

    Same parameters as :func:`lstm_backward`.

    Returns
    -------
    (dx, dh0, dW_xh, dW_hh, db, dc0)
        One gradient per argument of ``lstm_forward(x, h0, W_xh, W_hh, b, c0)``, in
        that order; dc0 (N, H) is dLoss/dc_{-1}.
    """
    ca = check_cache(cache, LSTMCache, "lstm_forward")
    x, h0, c0, h, c, tanh_c, gates = ca.x, ca.h0, ca.c0, ca.h, ca.c, ca.tanh_c, ca.gates
    W_xh, W_hh = ca.W_xh, ca.W_hh
    dh = check_same_shape("dh", dh, "cache.h", h)
    N, T, H = h.shape
    D = x.shape[2]
    dtype = np.result_type(dh, h)
    # local derivatives of every gate at every step, computed for all t at once and
    # kept in dA: sigmoid' = s (1 - s) for i, f, o and tanh' = 1 - g^2 for g
    dA = np.subtract(1.0, gates, dtype=dtype)
    dA *= gates
    g_all = gates[..., 2 * H:3 * H]
    np.multiply(g_all, g_all, out=dA[..., 2 * H:3 * H])
    np.subtract(1.0, dA[..., 2 * H:3 * H], out=dA[..., 2 * H:3 * H])
    K = np.multiply(tanh_c, tanh_c, dtype=dtype)          # K = o * (1 - tanh(c)^2)
    np.subtract(1.0, K, out=K)
    K *= gates[..., 3 * H:]
    dc = np.zeros((N, H), dtype=dtype)
    if dc_last is not None:
        dc += check_same_shape("dc_last", dc_last, "cache.c0", c0)
    dh_next = np.zeros((N, H), dtype=dtype)
    if dh_last is not None:
        dh_next += check_same_shape("dh_last", dh_last, "cache.h0", h0)
    dh_t = np.empty((N, H), dtype=dtype)
    tmp = np.empty((N, H), dtype=dtype)
    U = np.empty((N, 4 * H), dtype=dtype)                 # dLoss/d(gate outputs)
    U_i, U_f, U_g, U_o = U[:, :H], U[:, H:2 * H], U[:, 2 * H:3 * H], U[:, 3 * H:]
    W_hh_T = np.ascontiguousarray(W_hh.T)
    for t in range(T - 1, -1, -1):
        gt = gates[:, t]
        i, f, g = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:3 * H]
        c_prev = c[:, t - 1] if t > 0 else c0
        np.add(dh[:, t], dh_next, out=dh_t)
        np.multiply(dh_t, K[:, t], out=tmp)               # h = o * tanh(c)
        dc += tmp
        np.multiply(dc, g, out=U_i)                       # c = f * c_prev + i * g
        np.multiply(dc, c_prev, out=U_f)
        np.multiply(dc, i, out=U_g)
        np.multiply(dh_t, tanh_c[:, t], out=U_o)
        da = dA[:, t]
        da *= U                                           # through the gate nonlinearities
        dc *= f                                           # to the previous step
        np.matmul(da, W_hh_T, out=dh_next)
    # weight gradients: one product over all N*T rows
    dA_flat = dA.reshape(N * T, 4 * H)
    h_prev = np.concatenate([h0[:, None, :], h[:, :-1]], axis=1).reshape(N * T, H)
    dW_xh = x.reshape(N * T, D).T @ dA_flat
    dW_hh = h_prev.T @ dA_flat
    db = dA_flat.sum(axis=0)
    dx = (dA_flat @ W_xh.T).reshape(N, T, D)
    return dx, dh_next, dW_xh, dW_hh, db, dc


def lstm_param_count(D, H):
    """Number of parameters of an LSTM layer: 4H(D + H) weights + 4H biases.

    PyTorch keeps two bias vectors (``bias_ih`` and ``bias_hh``), so ``nn.LSTM``
    reports 4H more: 4H(D + H + 2).
    """
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    return 4 * H * (D + H) + 4 * H


def lstm_init(D, H, rng, forget_bias=1.0, dtype=np.float64, *, input_bias=0.0,
              chrono=None):
    """Initial parameters ``dict(W_xh, W_hh, b)``.

    Weights are uniform in [-1/sqrt(H), 1/sqrt(H)] (PyTorch's weight draw); the biases
    come from :func:`rnnbook.init.lstm_gate_bias`: forget gate ``forget_bias`` (default
    1: Gers et al., 2000; Jozefowicz et al., 2015), input gate ``input_bias`` (default
    0), g and o gates 0; or, with ``chrono=T_max``, the chrono initialisation of
    Tallec & Ollivier (2018), b_f ~ log U[1, T_max - 1], b_i = -b_f (drawn from
    ``rng`` after the weights). PyTorch itself draws the biases from U(+-1/sqrt(H)).
    """
    from .init import lstm_gate_bias
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    check_rng(rng)
    k = 1.0 / np.sqrt(H)
    W_xh = rng.uniform(-k, k, (D, 4 * H)).astype(dtype)
    W_hh = rng.uniform(-k, k, (H, 4 * H)).astype(dtype)
    b = lstm_gate_bias(H, rng, forget_bias=forget_bias, input_bias=input_bias,
                       chrono=chrono).astype(dtype)
    return dict(W_xh=W_xh, W_hh=W_hh, b=b)
