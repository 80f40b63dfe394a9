"""Optimisers and gradient clipping, on dicts of named parameter arrays.

Parameters live in a dict ``{"W_xh": array, ...}`` and gradients in a dict with the
same keys. Optimisers update the arrays *in place* and keep their state (velocities,
moments) per key::

    opt = SGD(lr=0.1, momentum=0.9)
    opt.step(params, grads)          # params[k] -= ... for every k

Clipping returns new gradient dicts and the norm before clipping.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_finite_scalar

__all__ = ["SGD", "Adam", "Adagrad", "global_norm", "clip_by_global_norm",
           "clip_by_value"]


def _check_grads(params, grads):
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
        self.momentum = check_finite_scalar("momentum", momentum, low=0.0, high=1.0)
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
    """Adam (Kingma & Ba, 2015) with bias-corrected first and second moments."""

    def __init__(self, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        self.lr = check_finite_scalar("lr", lr, low=0.0)
        self.beta1 = check_finite_scalar("beta1", beta1, low=0.0, high=1.0)
        self.beta2 = check_finite_scalar("beta2", beta2, low=0.0, high=1.0)
        self.eps = check_finite_scalar("eps", eps, low=0.0)
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
        self.eps = check_finite_scalar("eps", eps, low=0.0)
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


def global_norm(grads):
    """sqrt(sum over all arrays of sum(g**2)): the norm of all gradients as one vector."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so their global norm is at most ``max_norm``.

    The direction of the full gradient vector is kept. Returns ``(clipped, norm)``
    with ``norm`` the global norm before clipping.
    """
    max_norm = check_finite_scalar("max_norm", max_norm, low=0.0)
    norm = global_norm(grads)
    scale = 1.0 if norm <= max_norm or norm == 0 else max_norm / norm
    return {k: g * scale for k, g in grads.items()}, norm


def clip_by_value(grads, threshold):
    """Clip every gradient entry to [-threshold, threshold] (changes the direction)."""
    threshold = check_finite_scalar("threshold", threshold, low=0.0)
    norm = global_norm(grads)
    return {k: np.clip(g, -threshold, threshold) for k, g in grads.items()}, norm
