"""Finite-difference gradient checks.

The check every backward function in this book passes::

    num = numerical_gradient(lambda W: loss(W), W)      # centred differences
    assert rel_error(num, dW) < 1e-7                    # in float64

``numerical_gradient`` never modifies its input: it copies ``x``, perturbs the copy
and passes it to ``f`` explicitly. For large arrays, ``directional_check`` compares
one random directional derivative instead of every coordinate (scipy's
``check_grad`` offers the same idea).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array

__all__ = ["numerical_gradient", "rel_error", "directional_check"]


def numerical_gradient(f, x, df=None, h=1e-6):
    """Centred finite-difference gradient of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar, or an array when ``df`` is given.
    x : ndarray
        The point. Not modified. Computed in float64, or in ``np.longdouble`` when
        ``x`` has that dtype.
    df : ndarray, optional
        Upstream gradient with the shape of ``f(x)``; the result is then the
        gradient of ``sum(df * f(x))``, i.e. a vector-Jacobian product.
    h : float
        Step size.

    Returns
    -------
    ndarray, same shape as ``x``
        grad[i] = (F(x + h e_i) - F(x - h e_i)) / (2 h), F = f or sum(df * f).
    """
    x = check_array("x", x, tuple(f"d{i}" for i in range(np.ndim(x))))
    # float64 at least; np.longdouble input is kept, so a reference gradient can be
    # computed in extended precision when f supports it.
    base = np.array(x, dtype=np.result_type(x.dtype, np.float64), copy=True)
    grad = np.zeros_like(base)

    def F(point):
        out = np.asarray(f(point))
        return np.sum(out) if df is None else np.sum(out * df)

    flat_base, flat_grad = base.reshape(-1), grad.reshape(-1)
    for i in range(flat_base.size):
        plus = base.copy()
        plus.reshape(-1)[i] += h
        minus = base.copy()
        minus.reshape(-1)[i] -= h
        flat_grad[i] = (F(plus) - F(minus)) / (2.0 * h)
    return grad


def rel_error(a, b):
    """Largest elementwise relative error max |a - b| / max(1e-8, |a| + |b|)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(f"b has shape {b.shape}; expected {a.shape} (the shape of a)")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))


def directional_check(f, x, grad, rng=None, h=1e-6, n_directions=1):
    """Relative error of ``grad`` along random unit directions.

    Compares the centred difference (f(x + h u) - f(x - h u)) / (2 h) with the
    analytic directional derivative <grad, u>, for ``n_directions`` random unit
    vectors u. Costs 2 evaluations of f per direction whatever the size of x.

    Returns
    -------
    float
        The largest |numeric - analytic| / max(1e-8, |numeric| + |analytic|).
    """
    x = np.array(x, dtype=float, copy=True)
    grad = np.asarray(grad, dtype=float)
    if grad.shape != x.shape:
        raise ValueError(f"grad has shape {grad.shape}; expected {x.shape} (the shape of x)")
    rng = np.random.default_rng(0) if rng is None else rng
    worst = 0.0
    for _ in range(n_directions):
        u = rng.standard_normal(x.shape)
        u /= np.linalg.norm(u)
        numeric = (float(np.sum(f(x + h * u))) - float(np.sum(f(x - h * u)))) / (2 * h)
        analytic = float(np.sum(grad * u))
        worst = max(worst, abs(numeric - analytic) / max(1e-8, abs(numeric) + abs(analytic)))
    return worst
