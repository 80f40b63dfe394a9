"""Optimisers and gradient clipping, on dicts of named parameter arrays.

Parameters live in a dict ``{"W_xh": array, ...}`` and gradients in a dict with the
same keys. Optimisers update the arrays *in place* and keep their state (velocities,
moments) per key::

    opt = SGD(lr=0.1, momentum=0.9)
    opt.step(params, grads)          # params[k] -= ... for every k

Clipping returns new gradient dicts and the norm before clipping. Norms are computed
after dividing by the largest entry, so gradients up to the float range (1e308) are
measured and rescaled exactly instead of overflowing to inf.

Gradients must be finite floating arrays with the keys and shapes of the parameters;
a NaN or an infinity raises ``ValueError`` naming the key (it would otherwise spread
into every parameter).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_finite_scalar

__all__ = ["SGD", "Adam", "Adagrad", "global_norm", "clip_by_global_norm",
           "clip_by_value"]


def _check_dict(name, d):
    if not isinstance(d, dict) or not d:
        raise ValueError(f"{name} is {type(d).__name__}; expected a non-empty dict of "
                         "named arrays")
    for k, v in d.items():
        a = np.asarray(v) if not isinstance(v, np.ndarray) else v
        if a.dtype == object or not np.issubdtype(a.dtype, np.floating):
            raise ValueError(f"{name}[{k!r}] has dtype {a.dtype}; expected a floating array")


def _check_finite_grads(grads):
    _check_dict("grads", grads)
    for k, g in grads.items():
        if not np.all(np.isfinite(g)):
            raise ValueError(f"grads[{k!r}] contains NaN or inf; expected finite values")


def _check_grads(params, grads):
    _check_dict("params", params)
    for k, v in params.items():
        if not np.all(np.isfinite(v)):
            raise ValueError(f"params[{k!r}] contains NaN or inf; expected finite values "
                             "(the training has diverged)")
    _check_finite_grads(grads)
    if set(params) != set(grads):
        raise ValueError(f"grads has keys {sorted(grads)}; expected the keys of params "
                         f"{sorted(params)}")
    for k in params:
        if np.shape(grads[k]) != np.shape(params[k]):
            raise ValueError(f"grads[{k!r}] has shape {np.shape(grads[k])}; expected "
                             f"{np.shape(params[k])} (the shape of params[{k!r}])")


class SGD:
    """Stochastic gradient descent with (optionally Nesterov-free, classical) momentum.

    v <- momentum * v - lr * g;  theta <- theta + v.  With momentum = 0 this is plain
    gradient descent theta <- theta - lr * g.
    """

    def __init__(self, lr=0.01, momentum=0.0):
        self.lr = check_finite_scalar("lr", lr, low=0.0)
        self.momentum = check_finite_scalar("momentum", momentum, low=0.0, high=1.0,
                                            open_high=True)
        self.velocity = {}

    def step(self, params, grads):
        """Update ``params`` in place from ``grads``; returns the updates applied."""
        _check_grads(params, grads)
        updates = {}
        for k, g in grads.items():
            v = self.momentum * self.velocity.get(k, 0.0) - self.lr * g
            self.velocity[k] = v
            params[k] += v
            updates[k] = v
        return updates


class Adam:
    """Adam (Kingma & Ba, 2015) with bias-corrected first and second moments.

    m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,
    theta <- theta - lr (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps).
    lr >= 0 (0: no update), beta1 and beta2 in [0, 1) (beta = 1 divides by 1 - 1^t = 0), eps > 0.
    """

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_finite_scalar("lr", lr, low=0.0)
        self.beta1 = check_finite_scalar("beta1", beta1, low=0.0, high=1.0, open_high=True)
        self.beta2 = check_finite_scalar("beta2", beta2, low=0.0, high=1.0, open_high=True)
        self.eps = check_finite_scalar("eps", eps, low=0.0, open_low=True)
        self.m, self.v, self.t = {}, {}, 0

    def step(self, params, grads):
        """Update ``params`` in place; returns the updates applied."""
        _check_grads(params, grads)
        self.t += 1
        updates = {}
        for k, g in grads.items():
            self.m[k] = self.beta1 * self.m.get(k, 0.0) + (1 - self.beta1) * g
            self.v[k] = self.beta2 * self.v.get(k, 0.0) + (1 - self.beta2) * g * g
            m_hat = self.m[k] / (1 - self.beta1 ** self.t)
            v_hat = self.v[k] / (1 - self.beta2 ** self.t)
            u = -self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
            params[k] += u
            updates[k] = u
        return updates


class Adagrad:
    """Adagrad (Duchi et al., 2011), the optimiser of min-char-rnn."""

    def __init__(self, lr=0.1, eps=1e-8):
        self.lr = check_finite_scalar("lr", lr, low=0.0)
        self.eps = check_finite_scalar("eps", eps, low=0.0, open_low=True)
        self.G = {}

    def step(self, params, grads):
        """Update ``params`` in place; returns the updates applied."""
        _check_grads(params, grads)
        updates = {}
        for k, g in grads.items():
            self.G[k] = self.G.get(k, 0.0) + g * g
            u = -self.lr * g / (np.sqrt(self.G[k]) + self.eps)
            params[k] += u
            updates[k] = u
        return updates


def _max_abs(grads):
    return max((float(np.max(np.abs(g))) if np.size(g) else 0.0) for g in grads.values())


def _scaled_norm(grads, m):
    """sqrt(sum g^2) / m, summed after dividing by m (no overflow, no underflow)."""
    return float(np.sqrt(sum(float(np.sum(np.square(np.asarray(g) / m)))
                             for g in grads.values())))


def global_norm(grads):
    """sqrt(sum over all arrays of sum(g**2)): the norm of all gradients as one vector.

    Computed as m * sqrt(sum((g / m)**2)) with m the largest |entry|, so it is exact
    for entries up to the float range (1e308); a norm above the float range is inf.
    A gradient with a NaN entry has norm NaN and one with an infinite entry norm inf
    (training loops use this to detect divergence); the clipping functions and the
    optimisers reject such gradients instead.
    """
    _check_dict("grads", grads)
    with np.errstate(invalid="ignore"):
        m = _max_abs(grads)
    if not np.isfinite(m):
        return m
    if m == 0.0:
        return 0.0
    with np.errstate(over="ignore"):
        return float(m * _scaled_norm(grads, m))


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so their global norm is at most ``max_norm``.

    The direction of the full gradient vector is kept. Returns ``(clipped, norm)``
    with ``norm`` the global norm before clipping (new arrays; ``grads`` is unchanged).
    """
    max_norm = check_finite_scalar("max_norm", max_norm, low=0.0)
    _check_finite_grads(grads)
    norm = global_norm(grads)
    if norm <= max_norm or norm == 0:
        return {k: np.array(g, copy=True) for k, g in grads.items()}, norm
    m = _max_abs(grads)
    r = _scaled_norm(grads, m)                    # norm / m, computed without overflow
    return {k: (np.asarray(g) / m) * (max_norm / r) for k, g in grads.items()}, norm


def clip_by_value(grads, threshold):
    """Clip every gradient entry to [-threshold, threshold] (changes the direction)."""
    threshold = check_finite_scalar("threshold", threshold, low=0.0)
    _check_finite_grads(grads)
    norm = global_norm(grads)
    return {k: np.clip(g, -threshold, threshold) for k, g in grads.items()}, norm
