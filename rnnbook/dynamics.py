"""How gradients travel back in time: Jacobian products, their norms, and bounds.

For the Elman layer h_t = f(a_t), a_t = x_t W_xh + h_{t-1} W_hh + b_h (row vectors),
one step back multiplies a row gradient by

    dL/dh_{t-1} = (dL/dh_t * f'(a_t)) W_hh^T = dL/dh_t J_t,   J_t = diag(f'(a_t)) W_hh^T,

where J_t = dh_t/dh_{t-1} is the Jacobian (J_t[i, j] = d h_t[i] / d h_{t-1}[j]).
Going from step t back to step k multiplies the *product*

    dh_t/dh_k = J_t J_{t-1} ... J_{k+1}        (t - k factors),

and its norm obeys ||dh_t/dh_k|| <= (sigma_max(W_hh) gamma)^(t-k) with gamma the bound
on |f'| (1 for tanh, relu and identity; 1/4 for sigmoid). Time indices: h[:, t] for
t = 0 .. T-1 and k = -1 for the initial state h0.

Matrix families with a chosen spectral radius rho: :func:`scaled_orthogonal`
(normal: every |eigenvalue| = every singular value = rho), :func:`scaled_gaussian`
(largest singular value about 2 rho) and :func:`non_normal` (a sheared Jordan-like
block: all eigenvalues equal rho, yet ||W^k|| first grows). They and the spectral
functions live in ``rnnbook.spectra`` and are importable from here too.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_choice
from .activations import ACTIVATIONS
from .spectra import (_check_square, largest_singular_value, non_normal, power_norms,
                      scaled_gaussian, scaled_orthogonal, spectral_radius)

__all__ = ["GAMMA", "step_jacobians", "jacobian_product", "jacobian_norms",
           "product_norms", "gradient_norms", "spectral_radius", "largest_singular_value",
           "power_norms", "scaled_orthogonal", "scaled_gaussian", "non_normal",
           "pascanu_bound"]

#: Upper bound gamma of |f'(a)| for each activation (Pascanu et al. 2013).
GAMMA = {"tanh": 1.0, "sigmoid": 0.25, "relu": 1.0, "identity": 1.0}


def _check_cache(cache):
    """An Elman (RNNCache) or leaky (LeakyCache) forward cache, or a CellCache of one.

    Other layers (skip connections, LSTM, GRU, Jordan) have a different Jacobian,
    so their caches are rejected rather than read as if they were Elman's.
    """
    from .leaky import LeakyCache
    from .registry import CellCache
    from .rnn import RNNCache
    if isinstance(cache, CellCache):
        cache = cache.inner
    if not isinstance(cache, (RNNCache, LeakyCache)):
        raise ValueError(f"cache is a {type(cache).__name__}; expected the RNNCache of "
                         "rnn_forward or the LeakyCache of leaky_rnn_forward (the "
                         "Jacobians of other layers are not diag(f') W_hh^T; see "
                         "rnnbook.memory.hidden_jacobian_norms for the LSTM and GRU)")
    return cache


def _fprime_alpha(cache):
    """f'(a_t) (N, T, H) and the leak alpha (0 for the Elman layer)."""
    leaky = hasattr(cache, "alpha")
    fprime = ACTIVATIONS[cache.activation][1](cache.v if leaky else cache.h)
    return fprime, (cache.alpha if leaky else 0.0)


def _check_time(name, t, T, low):
    if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not low <= t <= T - 1:
        raise ValueError(f"{name} is {t!r}; expected an integer in [{low}, {T - 1}]")
    return int(t)


def step_jacobians(cache):
    """The per-step Jacobians J_t = dh_t/dh_{t-1} = diag(f'(a_t)) W_hh^T.

    For leaky units (:mod:`rnnbook.leaky`) J_t = alpha I + (1 - alpha) diag(f'(a_t)) W_hh^T.

    Parameters
    ----------
    cache : RNNCache or LeakyCache
        From :func:`rnnbook.rnn.rnn_forward` or :func:`rnnbook.leaky.leaky_rnn_forward`.

    Returns
    -------
    J : (N, T, H, H) ndarray
        J[n, t, i, j] = d h_t[i] / d h_{t-1}[j] for sequence n.
    """
    cache = _check_cache(cache)
    fprime, alpha = _fprime_alpha(cache)                        # (N, T, H)
    alpha = np.asarray(alpha)
    J = ((1.0 - alpha) * fprime)[..., :, None] * cache.W_hh.T[None, None]
    H = J.shape[-1]
    J[..., np.arange(H), np.arange(H)] += alpha                 # the leak's direct path
    return J


def jacobian_product(cache, t=None, k=-1):
    """The exact Jacobian dh_t/dh_k = J_t J_{t-1} ... J_{k+1}.

    Parameters
    ----------
    cache : RNNCache or LeakyCache
    t : int, optional
        Later step in [0, T-1]; default T-1.
    k : int
        Earlier step in [-1, t-1]; -1 is the initial state h0.

    Returns
    -------
    P : (N, H, H) ndarray
        P[n] = dh_t/dh_k; a row gradient g at step t becomes g @ P[n] at step k.
    """
    cache = _check_cache(cache)
    N, T, H = cache.h.shape
    t = T - 1 if t is None else _check_time("t", t, T, 0)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not -1 <= k < t:
        raise ValueError(f"k is {k!r}; expected an integer in [-1, {t - 1}] (k < t)")
    J = step_jacobians(cache)
    P = np.broadcast_to(np.eye(H), (N, H, H)).copy()
    for s in range(t, k, -1):
        P = P @ J[:, s]
    return P


def product_norms(J, log10=False):
    """Spectral norms of the running products J[:, t] J[:, t-1] ... J[:, t-j], j = 0 .. t.

    The building block of :func:`jacobian_norms`, for any stack of per-step
    Jacobians (e.g. of leaky units, alpha I + (1 - alpha) diag(f') W_hh^T). The
    product is renormalised at every step and its scale kept as a logarithm, so an
    exploding product never overflows.

    Parameters
    ----------
    J : (N, T, H, H) ndarray
        J[:, s] = dh_s/dh_{s-1}.
    log10 : bool
        Return log10 of the norms (finite for nonzero products, never +inf).

    Returns
    -------
    norms : (N, T) ndarray
        norms[n, j] = ||J_{T-1} ... J_{T-1-j}||_2 = ||dh_{T-1}/dh_{T-2-j}||_2.
    """
    J = check_array("J", J, ("N", "T", "H", "H"))
    if J.shape[2] != J.shape[3]:
        raise ValueError(f"J has shape {J.shape}; expected (N, T, H, H)")
    N, T, H, _ = J.shape
    P = np.broadcast_to(np.eye(H), (N, H, H)).copy()
    logscale = np.zeros(N)
    out = np.empty((N, T))
    with np.errstate(divide="ignore"):
        for j, s in enumerate(range(T - 1, -1, -1)):
            P = P @ J[:, s]
            nrm = np.linalg.norm(P, 2, axis=(1, 2))
            ok = nrm > 0
            out[:, j] = np.where(ok, logscale + np.log10(np.where(ok, nrm, 1.0)), -np.inf)
            P[ok] /= nrm[ok, None, None]
            logscale = out[:, j]
    if log10:
        return out
    with np.errstate(over="ignore"):
        return 10.0 ** out


def jacobian_norms(cache, t=None, log10=False):
    """Spectral norms ||dh_t/dh_k||_2 for every earlier step k = t-1, ..., -1.

    Computed with renormalisation (see :func:`product_norms`): with ``log10=True``
    you get finite log10-norms even where the norm itself exceeds the float range;
    otherwise such norms are inf (no warning).

    Parameters
    ----------
    cache : RNNCache
    t : int, optional
        Later step, default T-1.
    log10 : bool
        Return log10 of the norms.

    Returns
    -------
    norms : (N, t + 1) ndarray
        norms[n, j] = ||dh_t/dh_{t-1-j}||_2, i.e. column j has gap t - k = j + 1.
        A product that is exactly zero has norm 0 (log10: -inf).
    """
    cache = _check_cache(cache)
    N, T, H = cache.h.shape
    t = T - 1 if t is None else _check_time("t", t, T, 0)
    return product_norms(step_jacobians(cache)[:, :t + 1], log10=log10)


def gradient_norms(cache, delta, t=None):
    """Norms of a gradient sent back in time: ||delta_k|| with delta_k = delta_t dh_t/dh_k.

    Parameters
    ----------
    cache : RNNCache
    delta : (N, H) ndarray
        dL/dh_t at the later step t.
    t : int, optional
        Default T-1.

    Returns
    -------
    norms : (N, t + 2) ndarray
        norms[:, j] = ||delta_{t-j}||_2 for j = 0 .. t+1 (the last column is h0).
        Overflow gives inf (no warning).
    """
    cache = _check_cache(cache)
    N, T, H = cache.h.shape
    t = T - 1 if t is None else _check_time("t", t, T, 0)
    delta = check_array("delta", delta, (N, H), note="(N, H) of cache.h")
    fprime, alpha = _fprime_alpha(cache)
    out = np.empty((N, t + 2))
    g = delta
    out[:, 0] = np.linalg.norm(g, axis=1)
    with np.errstate(over="ignore", invalid="ignore"):
        for j, s in enumerate(range(t, -1, -1)):
            g = alpha * g + ((1.0 - alpha) * g * fprime[:, s]) @ cache.W_hh.T
            out[:, j + 1] = np.linalg.norm(g, axis=1)
    return out


def pascanu_bound(W_hh, activation, steps):
    """(sigma_max(W_hh) gamma)^steps, the bound on ||dh_t/dh_{t-steps}||_2.

    Pascanu, Mikolov & Bengio (2013): if sigma_max(W_hh) < 1/gamma the Jacobian
    products vanish at least geometrically. ``steps`` may be an int or an array.
    """
    W_hh = _check_square("W_hh", W_hh)
    check_choice("activation", activation, tuple(GAMMA))
    arr = np.asarray(steps) if not isinstance(steps, (str, bytes)) else np.asarray(None)
    if arr.dtype.kind not in "iuf" or arr.size == 0 or not np.all(np.isfinite(arr)) \
            or np.any(arr < 0):
        raise ValueError(f"steps is {steps!r}; expected a number or array of numbers >= 0")
    steps = arr.astype(float)
    with np.errstate(over="ignore"):
        return (largest_singular_value(W_hh) * GAMMA[activation]) ** steps
