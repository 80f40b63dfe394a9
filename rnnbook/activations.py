"""Activation functions f and their derivatives.

Each activation is given twice: ``f(a)`` and ``df_from_f(h)``, the derivative written
in terms of the *output* h = f(a). Backward passes only need the outputs they cached:

=========  =====================  =========================
name       ``f(a)``               ``f'(a)`` written with h
=========  =====================  =========================
tanh       ``tanh(a)``            ``1 - h**2``
sigmoid    ``1 / (1 + exp(-a))``  ``h * (1 - h)``
relu       ``max(a, 0)``          ``1 where h > 0 else 0``
identity   ``a``                  ``1``
=========  =====================  =========================

``sigmoid`` never evaluates ``exp`` of a positive number, so it is exact and silent
(no overflow warning) for any finite input, including |a| = 1e4.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice

__all__ = ["sigmoid", "tanh", "relu", "identity", "ACTIVATIONS", "activation",
           "activation_grad"]


def _float(a):
    """``a`` as a floating array: float32 stays float32, integers become float64.

    Elementwise functions follow IEEE arithmetic: NaN gives NaN, tanh(inf) = 1.
    """
    try:
        a = np.asarray(a)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"a could not be converted to an array: {exc}") from None
    if a.dtype.kind not in "fiub":
        raise ValueError(f"a has dtype {a.dtype}; expected a numeric array")
    return a if np.issubdtype(a.dtype, np.floating) else a.astype(np.float64)


def sigmoid(a):
    """Logistic function 1 / (1 + exp(-a)), computed without overflow."""
    a = _float(a)
    e = np.exp(-np.abs(a))                # in (0, 1]: never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(a):
    """Hyperbolic tangent."""
    return np.tanh(_float(a))


def relu(a):
    """Rectified linear unit max(a, 0)."""
    return np.maximum(_float(a), 0.0)


def identity(a):
    """The identity, f(a) = a (a linear unit); returns a new array, never ``a`` itself."""
    return np.array(_float(a), copy=True)


def _dtanh(h):
    return 1.0 - h * h


def _dsigmoid(h):
    return h * (1.0 - h)


def _drelu(h):
    return (h > 0).astype(h.dtype)


def _didentity(h):
    return np.ones_like(h)


#: name -> (f, derivative of f written in terms of h = f(a))
ACTIVATIONS = {
    "tanh": (tanh, _dtanh),
    "sigmoid": (sigmoid, _dsigmoid),
    "relu": (relu, _drelu),
    "identity": (identity, _didentity),
}


def _check_name(name):
    try:
        return check_choice("activation", name, tuple(ACTIVATIONS))
    except ValueError as exc:
        raise ValueError(f"{exc} (argument name)") from None


def activation(name):
    """Return the function f for an activation name, or raise ``ValueError``."""
    return ACTIVATIONS[_check_name(name)][0]


def activation_grad(name):
    """Return h -> f'(a) for an activation name (h = f(a) is the cached output)."""
    return ACTIVATIONS[_check_name(name)][1]
