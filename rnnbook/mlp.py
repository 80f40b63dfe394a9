"""A multilayer perceptron: the feed-forward network that backpropagation was built for.

Layer l computes a_l = O_{l-1} W_l + b_l and O_l = f(a_l), with O_0 = x (row vectors,
batch first). Parameters live in a dict ``{"W1", "b1", "W2", ...}`` so that the
optimisers of :mod:`rnnbook.optim` can update them; biases are optional, because the
classic worked examples (such as chapter 01's) have none.

The backward pass is the chain rule written in matrix form (chapter 1):

    dO_{l-1} = da_l W_l^T,   dW_l = O_{l-1}^T da_l,   db_l = sum_n da_l,
    da_l = dO_l * f'(a_l)   (f' written with the cached output O_l)

and it also returns every ``da_l``: with a squared error these are the negated
"deltas" delta_j = -dE/da_j of the textbook derivation.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._validation import (check_array, check_cache, check_choice, check_finite_scalar,
                          check_positive_int, check_rng, check_sequence)
from .activations import ACTIVATIONS

__all__ = ["MLPCache", "init_mlp", "mlp_forward", "mlp_backward", "n_layers"]


class MLPCache(NamedTuple):
    """What the backward pass needs: every layer's output O_0 = x, O_1, ..., O_L."""
    O: tuple
    params: dict
    activation: str
    output_activation: str


def n_layers(params):
    """Number of weight layers L in ``params`` (keys W1..WL), checking the keys."""
    if not isinstance(params, dict):
        raise ValueError(f"params is a {type(params).__name__}; expected a dict with keys "
                         "W1..WL (and optionally b1..bL)")
    L = sum(1 for k in params if k.startswith("W"))
    expected = {f"W{l}" for l in range(1, L + 1)}
    if L == 0 or not expected <= set(params):
        raise ValueError(f"params has keys {sorted(params)}; expected W1..WL "
                         "(and optionally b1..bL)")
    return L


def init_mlp(sizes, rng, bias=True, scale=None):
    """Random parameters for layer sizes ``sizes = (D, n_1, ..., n_L)``.

    Weights are drawn from N(0, scale**2) with ``scale = 1/sqrt(fan_in)`` by default;
    biases start at zero.
    """
    sizes = check_sequence("sizes", sizes, "a sequence of positive ints (D, n_1, ..., n_L)",
                           allow_str=False)
    if len(sizes) < 2:
        raise ValueError(f"sizes is {tuple(sizes)}; expected at least (D, n_1)")
    sizes = [check_positive_int("sizes", s) for s in sizes]
    check_rng(rng)
    if scale is not None:
        scale = check_finite_scalar("scale", scale, low=0.0, open_low=True)
    params = {}
    for l, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        s = 1.0 / np.sqrt(n_in) if scale is None else scale
        params[f"W{l}"] = rng.normal(0.0, s, size=(n_in, n_out))
        if bias:
            params[f"b{l}"] = np.zeros(n_out)
    return params


def mlp_forward(x, params, activation="sigmoid", output_activation=None):
    """Forward pass.

    Parameters
    ----------
    x : (N, D) ndarray
    params : dict
        ``W1 (D, n_1)``, ``W2 (n_1, n_2)``, ..., optional ``b_l (n_l,)``.
    activation : str
        Hidden-layer activation (see :mod:`rnnbook.activations`).
    output_activation : str, optional
        Activation of the last layer; defaults to ``activation``.

    Returns
    -------
    y : (N, n_L) ndarray
    cache : MLPCache
    """
    check_choice("activation", activation, tuple(ACTIVATIONS))
    output_activation = activation if output_activation is None else output_activation
    check_choice("output_activation", output_activation, tuple(ACTIVATIONS))
    L = n_layers(params)
    dims = {}
    x = check_array("x", x, ("N", "n0"), dims=dims)
    for l in range(1, L + 1):
        check_array(f"params['W{l}']", params[f"W{l}"], (f"n{l-1}", f"n{l}"), dims=dims,
                    note=f"with n{l-1} = {dims[f'n{l-1}']} from the previous layer")
        if f"b{l}" in params:
            check_array(f"params['b{l}']", params[f"b{l}"], (f"n{l}",), dims=dims)
    return _mlp_forward(x, params, activation, output_activation)


def _mlp_forward(x, params, activation, output_activation):
    """:func:`mlp_forward` without the argument checks (for inner loops)."""
    L = sum(1 for k in params if k.startswith("W"))
    O = [x]
    for l in range(1, L + 1):
        a = O[-1] @ params[f"W{l}"]
        if f"b{l}" in params:
            a = a + params[f"b{l}"]
        O.append(ACTIVATIONS[output_activation if l == L else activation][0](a))
    return O[-1], MLPCache(tuple(O), params, activation, output_activation)


def mlp_backward(dy, cache):
    """Backward pass.

    Parameters
    ----------
    dy : (N, n_L) ndarray
        dLoss/dy.
    cache : MLPCache

    Returns
    -------
    dx : (N, D) ndarray
    grads : dict
        ``dW_l`` and ``db_l`` under the keys of ``params`` (``"W1"``, ``"b1"``, ...).
    da : list of (N, n_l) ndarray
        dLoss/da_l for l = 1..L (the textbook deltas with their sign flipped).
    """
    check_cache(cache, MLPCache, "mlp_forward")
    return _mlp_backward(check_array("dy", dy, cache.O[-1].shape), cache)


def _mlp_backward(dO, cache):
    """:func:`mlp_backward` without the argument checks (for inner loops)."""
    O, params = cache.O, cache.params
    L = len(O) - 1
    grads, da_all = {}, [None] * L
    for l in range(L, 0, -1):
        df = ACTIVATIONS[cache.output_activation if l == L else cache.activation][1]
        da = dO * df(O[l])
        da_all[l - 1] = da
        grads[f"W{l}"] = O[l - 1].T @ da
        if f"b{l}" in params:
            grads[f"b{l}"] = da.sum(axis=0)
        dO = da @ params[f"W{l}"].T
    return dO, grads, da_all
