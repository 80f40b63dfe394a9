"""Finite-difference gradient checks.

The check every backward function in this book passes::

    num = numerical_gradient(lambda W: loss(W), W)      # centred differences
    assert rel_error(num, dW) < 1e-7                    # in float64

``numerical_gradient`` never modifies its input: it copies ``x``, perturbs the copy
and passes it to ``f`` explicitly. For large arrays, ``directional_check`` compares
one random directional derivative instead of every coordinate (scipy's
``check_grad`` offers the same idea).

Accuracy in plain float64. The two-point difference (F(x+h) - F(x-h)) / 2h has a
truncation error of order h^2 and a round-off error of about eps |F| / h, so its best
accuracy, near h = 1e-5, is about 1e-10 of |F|: too coarse for the tiny gradient
entries of saturated units. Without an explicit step, ``numerical_gradient`` uses the
sixth-order centred stencil

    F'(x) ~ [3/4 (F(x+h) - F(x-h)) - 3/20 (F(x+2h) - F(x-2h)) + 1/60 (F(x+3h) - F(x-3h))] / h

(what two Richardson extrapolation steps make of the two-point difference) at
h = 2^-10: its truncation error is of order h^6 and its round-off about 1e-12 of |F|.
The fourth-order stencil on the same points estimates the error; when the two
disagree (a relu kink within 3h, a fast-varying f) the step shrinks. The differences
F(x+kh) - F(x-kh) are taken output by output before they are weighted by ``df`` and
summed, so outputs that do not depend on the perturbed coordinate cancel exactly.
No extended precision (np.longdouble, only float64 on Windows and macOS arm64) is
needed. With an explicit ``h`` the function is the textbook two-point difference.
"""
from __future__ import annotations

import numpy as np

from ._validation import (as_array, check_array, check_callable, check_finite_scalar,
                          check_positive_int, check_rng)

__all__ = ["numerical_gradient", "rel_error", "directional_check"]

# Centred stencils: F'(x) ~ sum_k c_k (F(x + k h) - F(x - k h)) / h, k = 1..len(c).
STENCILS = {
    2: (1 / 2,),
    4: (2 / 3, -1 / 12),
    6: (3 / 4, -3 / 20, 1 / 60),
    8: (4 / 5, -1 / 5, 4 / 105, -1 / 280),
}
H_START, H_MIN, H_SHRINK = 2.0 ** -10, 2.0 ** -22, 8.0   # the adaptive default (h=None)


def _check_step(h, order):
    if order is not None:
        order = check_positive_int("order", order, minimum=2)
        if order not in STENCILS:
            raise ValueError(f"order is {order}; expected one of {sorted(STENCILS)}")
    if h is None:
        if order is not None:
            raise ValueError(f"order is {order} but h is None; give a step h with the "
                             "order, or neither (adaptive sixth-order differences)")
        return None, None
    if isinstance(h, (bool, np.bool_)) or not isinstance(h, (int, float, np.integer, np.floating)):
        raise ValueError(f"h is {h!r}; expected a finite step > 0")
    h = check_finite_scalar("h", h)
    if h <= 0:
        raise ValueError(f"h is {h}; expected a finite step > 0")
    return h, 2 if order is None else order


def _finite_output(value, where):
    out = np.asarray(value)
    if out.dtype == object or not np.issubdtype(out.dtype, np.number):
        raise ValueError(f"f returned {type(value).__name__} {value!r:.60}; expected numbers")
    if not np.all(np.isfinite(out)):
        raise ValueError(f"f returned a non-finite value (NaN or inf) at {where}; "
                         "finite differences need a finite f near x")
    return out


def _derivative(D, scale, h, order):
    """Derivative from D(s) = F(x + s) - F(x - s) (a scalar).

    With a step ``h`` given: the centred stencil of ``order``. Without: the sixth-order
    stencil at h = 2^-10, accepted when the fourth-order stencil on the same points
    agrees with it up to 1e-8 or the round-off (64 eps scale / h, scale = |F| summed
    over the outputs); otherwise h shrinks eightfold, down to 2^-22. A kink of f
    (relu) between x - 3h and x + 3h makes the two stencils disagree, so the
    differences step inside it.
    """
    if h is not None:
        return sum(c * D(k * h) for k, c in enumerate(STENCILS[order], start=1)) / h
    h = H_START
    eps = np.finfo(np.float64).eps
    while True:
        d1, d2, d3 = D(h), D(2 * h), D(3 * h)
        six = (0.75 * d1 - 0.15 * d2 + d3 / 60) / h
        four = (2 / 3 * d1 - d2 / 12) / h
        if abs(six - four) <= 1e-8 * abs(six) + 64 * eps * scale / h or h <= H_MIN:
            return six
        h /= H_SHRINK


def numerical_gradient(f, x, df=None, h=None, order=None):
    """Centred finite-difference gradient of ``f`` at ``x``.

    Parameters
    ----------
    f : callable
        ``f(x)`` returns a scalar or an array of finite numbers near ``x`` (a NaN or
        inf raises ``ValueError``). Without ``df`` an array output is summed, so the
        result is the gradient of ``sum(f(x))`` (for an elementwise f, its derivative).
    x : ndarray
        The point. Not modified. Computed in float64 (``np.longdouble`` input is
        kept, but float64 is enough: see the module docstring).
    df : ndarray, optional
        Upstream gradient with the shape of ``f(x)``; the result is then the
        gradient of ``sum(df * f(x))``, i.e. a vector-Jacobian product.
    h : float, optional
        Step, a finite number > 0. Given: the textbook two-point difference
        (F(x + h e_i) - F(x - h e_i)) / (2 h), or the stencil of ``order``.
        Default: adaptive sixth-order differences (module docstring).
    order : {2, 4, 6, 8}, optional
        Order of the centred stencil used with an explicit ``h`` (default 2).

    Returns
    -------
    ndarray, same shape as ``x``
        grad[i] = dF/dx_i, F = f or sum(df * f).
    """
    check_callable("f", f, "a function f(x) returning finite numbers")
    h, order = _check_step(h, order)
    x = check_array("x", x, tuple(f"d{i}" for i in range(np.ndim(x))))
    # float64 at least; np.longdouble input is kept.
    base = np.array(x, dtype=np.result_type(x.dtype, np.float64), copy=True)
    grad = np.zeros_like(base)
    at_x = _finite_output(f(base.copy()), "x")
    if df is not None:
        df = check_array("df", df, at_x.shape, note="(the shape of f(x))")
    scale = float(np.sum(np.abs(at_x if df is None else at_x * df)))

    def shifted(i, step):
        point = base.copy()
        point.reshape(-1)[i] += step
        return _finite_output(f(point), f"x + {step:g} e_{i}")

    flat_grad = grad.reshape(-1)
    for i in range(base.size):
        def D(s, i=i):
            # output by output: outputs that do not depend on x_i cancel exactly
            diff = shifted(i, s) - shifted(i, -s)
            return np.sum(diff) if df is None else np.sum(diff * df)
        flat_grad[i] = _derivative(D, scale, h, order)
    return grad


def rel_error(a, b):
    """Largest elementwise relative error max |a - b| / max(1e-8, |a| + |b|).

    ``a`` and ``b`` are numeric arrays of the same shape. A NaN or infinity in either
    raises ``ValueError`` naming it: a relative error is not defined there, and a NaN
    result would be easy to miss in a printed check.
    """
    a = as_array("a", a).astype(float, copy=False)
    b = as_array("b", b).astype(float, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"b has shape {b.shape}; expected {a.shape} (the shape of a)")
    for name, v in (("a", a), ("b", b)):
        if not np.all(np.isfinite(v)):
            bad = int(v.size - np.count_nonzero(np.isfinite(v)))
            raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf); "
                             "expected finite values")
    if a.size == 0:
        return 0.0
    err = np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))
    return float(np.max(err))


def directional_check(f, x, grad, rng=None, h=None, n_directions=1, order=None):
    """Relative error of ``grad`` along random unit directions.

    Compares the centred difference of t -> sum(f(x + t u)) at t = 0 (the same
    differences as ``numerical_gradient``, with the same ``h`` and ``order``) with the
    analytic directional derivative <grad, u>, for ``n_directions`` random unit
    vectors u. Costs a few evaluations of f per direction whatever the size of x.

    Raises ``ValueError`` for an ``f`` that is not callable, a non-finite ``x``, a
    ``grad`` that is not a finite floating array of the shape of ``x``, an ``rng``
    that is not a ``numpy.random.Generator`` (None: seed 0), a non-finite value of
    ``f``, ``n_directions < 1`` or a step ``h`` that is not a finite number > 0, so
    that no broken input can come back as a pass.

    Returns
    -------
    float
        The largest |numeric - analytic| / max(1e-8, |numeric| + |analytic|).
    """
    check_callable("f", f, "a function f(x) returning finite numbers")
    h, order = _check_step(h, order)
    n_directions = check_positive_int("n_directions", n_directions)
    x = check_array("x", x, tuple(f"d{i}" for i in range(np.ndim(x))))
    x = np.array(x, dtype=float, copy=True)
    grad = check_array("grad", grad, x.shape, note="(the shape of x)").astype(float, copy=False)
    rng = np.random.default_rng(0) if rng is None else check_rng(rng)
    scale = float(np.sum(np.abs(_finite_output(f(x.copy()), "x"))))

    worst = 0.0
    for _ in range(n_directions):
        u = np.asarray(rng.standard_normal(x.shape))
        u = u / np.linalg.norm(u)

        def D(s, u=u):
            plus = _finite_output(f(x + s * u), f"x + {s:g} u")
            minus = _finite_output(f(x - s * u), f"x - {s:g} u")
            return float(np.sum(plus - minus))
        numeric = _derivative(D, scale, h, order)
        analytic = float(np.sum(grad * u))
        worst = max(worst, abs(numeric - analytic) / max(1e-8, abs(numeric) + abs(analytic)))
    return worst
