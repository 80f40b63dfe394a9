"""Gated recurrent unit (GRU): forward and backward passes, two formulations.

The step functions live in ``rnnbook.gru_step`` and are importable from here too.

Gates stacked along the last axis in PyTorch's order (r, z, n). With row vectors and
``A_x = x_t W_xh + b_xh``, ``A_h = h_{t-1} W_hh + b_hh`` (both (N, 3H))::

    r_t = sigmoid(A_x[:, 0:H]  + A_h[:, 0:H])        reset gate
    z_t = sigmoid(A_x[:, H:2H] + A_h[:, H:2H])       update gate
    n_t = tanh(A_x[:, 2H:3H] + r_t * A_h[:, 2H:3H])  candidate  ("pytorch")
    h_t = (1 - z_t) * n_t + z_t * h_{t-1}

``formulation="pytorch"`` (default) is the form of PyTorch and cuDNN (and of the first
arXiv version of Cho et al. 2014, 1406.1078v1): the reset gate multiplies
``h_{t-1} W_hn + b_hn`` *after* the matrix product. ``formulation="cho"`` is the form of
the published EMNLP paper (arXiv v3), where the reset gate is applied to the state
*before* the product::

    n_t = tanh(A_x[:, 2H:3H] + (r_t * h_{t-1}) W_hh[:, 2H:3H] + b_hh[:, 2H:3H])

Both keep two biases, ``b_xh (3H,)`` and ``b_hh (3H,)`` (as PyTorch does); in the
"cho" form and for the r and z gates only their sum matters. The three gates have
three separate weight blocks: the stacking is a storage layout, not weight sharing.

Shapes: x (N, T, D), h0 (N, H), W_xh (D, 3H), W_hh (H, 3H); PyTorch's ``nn.GRU``
stores ``weight_ih_l0 = W_xh.T``, ``weight_hh_l0 = W_hh.T``, ``bias_ih_l0 = b_xh``,
``bias_hh_l0 = b_hh``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._gates import sigmoid_, tanh_
from ._validation import (check_array, check_cache, check_nonempty_time, check_positive_int,
                          check_rng, check_same_shape, check_state, float_dtype)
from .gru_step import (GRU_FORMULATIONS, GRUStepCache, _check_params,  # noqa: F401
                       _step_backward, _step_forward, gru_step_backward, gru_step_forward)

__all__ = ["GRUStepCache", "GRUCache", "gru_step_forward", "gru_step_backward", "gru_forward",
           "gru_backward", "gru_param_count", "gru_init", "GRU_FORMULATIONS"]


class GRUCache(NamedTuple):
    """What :func:`gru_backward` needs from :func:`gru_forward`."""
    x: np.ndarray        # (N, T, D)
    h0: np.ndarray       # (N, H)
    h: np.ndarray        # (N, T, H)
    gates: np.ndarray    # (N, T, 3H): r, z, n after their activations
    hn: np.ndarray       # (N, T, H): h_{t-1} W_hn + b_hn ("pytorch") or r * h_{t-1} ("cho")
    W_xh: np.ndarray     # (D, 3H)
    W_hh: np.ndarray     # (H, 3H)
    formulation: str


def _check_inputs(x, h0, W_xh, W_hh, b_xh, b_hh, formulation):
    dims = {}
    W_xh, W_hh, b_xh, b_hh = _check_params(W_xh, W_hh, b_xh, b_hh, formulation, dims)
    x = check_array("x", x, ("N", "T", "D"), dims=dims, note="with D = W_xh.shape[0]")
    check_nonempty_time(x)
    h0 = check_state("h0", h0, (dims["N"], dims["H"]), float_dtype(x, W_xh, W_hh, b_xh, b_hh))
    return x, h0, W_xh, W_hh, b_xh, b_hh


def gru_forward(x, h0, W_xh, W_hh, b_xh, b_hh, formulation="pytorch"):
    """Run a GRU over a whole sequence.

    Parameters
    ----------
    x : (N, T, D) ndarray
        T >= 1 (T = 0 raises ``ValueError``: there is no final state to return).
    h0 : (N, H) ndarray or None
        Initial state (None: zeros).
    W_xh : (D, 3H) ndarray
    W_hh : (H, 3H) ndarray
    b_xh, b_hh : (3H,) ndarray
        Gates stacked in PyTorch's order (r, z, n).
    formulation : {"pytorch", "cho"}
        Where the reset gate acts: after the product with W_hn (PyTorch, cuDNN) or
        on h_{t-1} before it (Cho et al., 2014).

    Returns
    -------
    h : (N, T, H) ndarray
    cache : GRUCache
    """
    x, h0, W_xh, W_hh, b_xh, b_hh = _check_inputs(x, h0, W_xh, W_hh, b_xh, b_hh,
                                                  formulation)
    N, T, D = x.shape
    H = h0.shape[1]
    dtype = np.result_type(x, h0, W_xh, W_hh, b_xh, b_hh)
    cho = formulation == "cho"
    gates = (x.reshape(N * T, D) @ W_xh).reshape(N, T, 3 * H)   # all input projections
    # the r, z parts of b_hh only add to b_xh; so does b_hn in the "cho" form
    gates += b_xh + np.concatenate([b_hh[:2 * H], b_hh[2 * H:] if cho else 0 * b_hh[2 * H:]])
    h = np.empty((N, T, H), dtype=dtype)
    hn = np.empty((N, T, H), dtype=dtype)
    A_h = np.empty((N, 3 * H if not cho else 2 * H), dtype=dtype)
    W_rz = W_hh[:, :2 * H] if cho else W_hh
    W_hn, b_hn = W_hh[:, 2 * H:], b_hh[2 * H:]
    tmp = np.empty((N, H), dtype=dtype)
    h_prev = h0
    for t in range(T):
        gt = gates[:, t]
        r, z, n = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:]
        np.matmul(h_prev, W_rz, out=A_h)
        rz = gt[:, :2 * H]
        rz += A_h[:, :2 * H]
        sigmoid_(rz)
        hn_t = hn[:, t]
        if cho:
            np.multiply(r, h_prev, out=hn_t)                 # r * h_prev
            np.matmul(hn_t, W_hn, out=tmp)                   # (r * h_prev) W_hn
        else:
            np.add(A_h[:, 2 * H:], b_hn, out=hn_t)           # h_prev W_hn + b_hn
            np.multiply(r, hn_t, out=tmp)
        n += tmp
        tanh_(n)
        ht = h[:, t]
        np.subtract(h_prev, n, out=ht)                       # h = n + z * (h_prev - n)
        ht *= z
        ht += n
        h_prev = ht
    return h, GRUCache(x, h0, h, gates, hn, W_xh, W_hh, formulation)


def gru_backward(dh, cache, *, dh_last=None):
    """Backpropagation through time for :func:`gru_forward`.

    Parameters
    ----------
    dh : (N, T, H) ndarray
        dLoss/dh_t for every step.
    cache : GRUCache
    dh_last : (N, H) ndarray, optional
        Extra dLoss/dh_{T-1} from outside the sequence (default zeros).

    Returns
    -------
    dx : (N, T, D) ndarray
    dh0 : (N, H) ndarray
    dW_xh : (D, 3H) ndarray
    dW_hh : (H, 3H) ndarray
    db_xh, db_hh : (3H,) ndarray
    """
    ca = check_cache(cache, GRUCache, "gru_forward")
    x, h0, h, gates, hn, W_xh, W_hh = ca.x, ca.h0, ca.h, ca.gates, ca.hn, ca.W_xh, ca.W_hh
    formulation = ca.formulation
    dh = check_same_shape("dh", dh, "cache.h", h)
    N, T, H = h.shape
    D = x.shape[2]
    cho = formulation == "cho"
    dtype = np.result_type(dh, h)
    # local derivatives for all steps at once, kept in dA_x:
    # r (1 - r), z (1 - z) and (1 - z)(1 - n^2)  (n's slot includes h's factor 1 - z)
    dA_x = np.subtract(1.0, gates, dtype=dtype)
    dA_x *= gates
    z_all, n_all, dn_all = gates[..., H:2 * H], gates[..., 2 * H:], dA_x[..., 2 * H:]
    np.multiply(n_all, n_all, out=dn_all)
    np.subtract(1.0, dn_all, out=dn_all)
    dn_all *= 1.0 - z_all
    dA_hn = np.empty((N, T, H), dtype=dtype)             # d(h W_hn + b_hn) or d(r*h)
    dh_next = np.zeros((N, H), dtype=dtype)
    if dh_last is not None:
        dh_next += check_same_shape("dh_last", dh_last, "cache.h0", h0)
    dh_t = np.empty((N, H), dtype=dtype)
    tmp = np.empty((N, H), dtype=dtype)
    dA_h = np.empty((N, 3 * H), dtype=dtype)             # pytorch form: [da_r, da_z, dhn]
    W_hh_T = np.ascontiguousarray(W_hh.T)
    W_rz_T = W_hh_T[:2 * H] if cho else W_hh_T
    W_hn_T = W_hh_T[2 * H:]
    for t in range(T - 1, -1, -1):
        gt = gates[:, t]
        r, z, n = gt[:, :H], gt[:, H:2 * H], gt[:, 2 * H:]
        h_prev = h[:, t - 1] if t > 0 else h0
        da = dA_x[:, t]
        da_r, da_z, da_n = da[:, :H], da[:, H:2 * H], da[:, 2 * H:]
        np.add(dh[:, t], dh_next, out=dh_t)
        da_n *= dh_t                                         # dh (1 - z)(1 - n^2)
        np.subtract(h_prev, n, out=tmp)                      # dh (h_prev - n) z (1 - z)
        tmp *= dh_t
        da_z *= tmp
        dhn = dA_hn[:, t]
        if cho:
            np.matmul(da_n, W_hn_T, out=dhn)                 # d(r * h_prev)
            np.multiply(dhn, h_prev, out=tmp)                # dr
        else:
            np.multiply(da_n, r, out=dhn)                    # d(h_prev W_hn + b_hn)
            np.multiply(da_n, hn[:, t], out=tmp)             # dr
        da_r *= tmp
        # to the previous step: the direct path z * dh plus the matrix products
        if cho:
            np.matmul(da[:, :2 * H], W_rz_T, out=dh_next)
            np.multiply(dhn, r, out=tmp)
            dh_next += tmp
        else:
            dA_h[:, :2 * H] = da[:, :2 * H]
            dA_h[:, 2 * H:] = dhn
            np.matmul(dA_h, W_hh_T, out=dh_next)
        np.multiply(dh_t, z, out=tmp)
        dh_next += tmp
    # weight gradients: one product over all N*T rows
    dA_x_flat = dA_x.reshape(N * T, 3 * H)
    dA_hn_flat = dA_hn.reshape(N * T, H)
    h_prev_all = np.concatenate([h0[:, None, :], h[:, :-1]], axis=1).reshape(N * T, H)
    dW_xh = x.reshape(N * T, D).T @ dA_x_flat
    db_xh = dA_x_flat.sum(axis=0)
    if cho:
        dW_hh = np.concatenate([h_prev_all.T @ dA_x_flat[:, :2 * H],
                                hn.reshape(N * T, H).T @ dA_x_flat[:, 2 * H:]], axis=1)
        db_hh = db_xh.copy()
    else:
        dA_h_flat = np.concatenate([dA_x_flat[:, :2 * H], dA_hn_flat], axis=1)
        dW_hh = h_prev_all.T @ dA_h_flat
        db_hh = np.concatenate([db_xh[:2 * H], dA_hn_flat.sum(axis=0)])
    dx = (dA_x_flat @ W_xh.T).reshape(N, T, D)
    return dx, dh_next, dW_xh, dW_hh, db_xh, db_hh


def gru_param_count(D, H):
    """Number of parameters of a GRU layer: 3H(D + H) weights + 6H biases (two sets).

    With a single bias (the "cho" form needs only one) it is 3H(D + H) + 3H.
    """
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    return 3 * H * (D + H) + 6 * H


def gru_init(D, H, rng, dtype=np.float64, *, update_bias=0.0, chrono=None):
    """Initial parameters ``dict(W_xh, W_hh, b_xh, b_hh)``.

    Weights uniform in +-1/sqrt(H) (PyTorch's weight draw); biases from
    :func:`rnnbook.init.gru_gate_bias`: zero except the update gate's, ``b_xh[H:2H] =
    update_bias`` (default 0; a positive value starts the cell remembering, since
    h_t = (1 - z_t) n_t + z_t h_{t-1}), or with ``chrono=T_max`` b_z ~ log U[1, T_max - 1]
    (the GRU form of Tallec & Ollivier's chrono initialisation, drawn after the
    weights). PyTorch itself draws the biases from U(+-1/sqrt(H)).
    """
    from .init import gru_gate_bias
    D, H = check_positive_int("D", D), check_positive_int("H", H)
    check_rng(rng)
    k = 1.0 / np.sqrt(H)
    W_xh = rng.uniform(-k, k, (D, 3 * H)).astype(dtype)
    W_hh = rng.uniform(-k, k, (H, 3 * H)).astype(dtype)
    b_xh, b_hh = gru_gate_bias(H, rng, update_bias=update_bias, chrono=chrono)
    return dict(W_xh=W_xh, W_hh=W_hh, b_xh=b_xh.astype(dtype), b_hh=b_hh.astype(dtype))
