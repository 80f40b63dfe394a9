"""Deep (stacked) recurrent networks, optionally bidirectional.

Han Bingtao's tutorial stacks recurrent layers: the states of layer i are the inputs of layer
i + 1. With L layers, for l = 1..L::

    h^(l)_t = cell(h^(l-1)_t, h^(l)_{t-1}; params[l])      h^(0)_t = x_t

Each layer has its own weights. In a bidirectional stack every layer has two
directions and the next layer reads both, h^(l)_t = [h->^(l)_t, h<-^(l)_t] (N, 2H),
exactly as ``torch.nn.RNN/LSTM/GRU(num_layers=L, bidirectional=True)``.

Layout of the parameters: ``params[l]`` is a list of one dict (unidirectional) or
two dicts (forward, backward direction) of the cell's parameters. Initial states
follow PyTorch: ``h0`` has shape (L * dirs, N, H), row ``l * dirs + d``.

The backward pass runs the layers from the top down: the gradient that layer l sends
to its input (dx) is the dh of layer l - 1, "the error propagated down to the
previous layer" of Han Bingtao's tutorial, while inside each layer BPTT carries it back in time.
"""
from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from ._validation import check_array, check_cache, check_choice, check_positive_int
from .bidirectional import STACKABLE, bidirectional_backward, bidirectional_forward
from .cells import CELLS, cell_init
from .registry import cell_backward, cell_forward

__all__ = ["DeepCache", "DeepGrads", "deep_init", "deep_forward", "deep_backward"]


class DeepCache(NamedTuple):
    """Per-layer caches (a CellCache or a BiCache) of :func:`deep_forward`."""
    cell: str
    layers: list
    dirs: int
    H: int


class DeepGrads(NamedTuple):
    """Gradients of :func:`deep_backward` (same order as :class:`~rnnbook.registry.CellGrads`)."""
    dx: np.ndarray
    dparams: list
    dh0: np.ndarray
    dc0: Optional[np.ndarray]


def deep_init(cell, D, H, num_layers, rng, bidirectional=False, dtype=np.float64):
    """Parameters of a stack: ``params[l][d]`` (PyTorch's default uniform init).

    Layer 0 reads D inputs, layer l > 0 reads H (or 2H when bidirectional).
    """
    check_choice("cell", cell, CELLS)
    num_layers = check_positive_int("num_layers", num_layers)
    dirs = 2 if bidirectional else 1
    params = []
    for l in range(num_layers):
        D_l = D if l == 0 else dirs * H
        params.append([cell_init(cell, D_l, H, rng, dtype) for _ in range(dirs)])
    return params


def _check_stack(params):
    if not isinstance(params, (list, tuple)) or not params:
        raise ValueError(f"params is a {type(params).__name__}; expected a non-empty list "
                         "of layers, each a list of 1 or 2 parameter dicts")
    dirs = len(params[0])
    for l, layer in enumerate(params):
        if not isinstance(layer, (list, tuple)) or len(layer) != dirs or dirs not in (1, 2):
            raise ValueError(f"params[{l}] is not a list of {dirs} parameter dicts; expected "
                             "every layer to have the same number of directions (1 or 2)")
    return dirs


def deep_forward(x, params, cell="rnn", h0=None, c0=None, **options):
    """Run a stack of recurrent layers.

    Parameters
    ----------
    x : (N, T, D) ndarray
    params : list of lists of dict
        ``params[l][d]``: layer l, direction d (see :func:`deep_init`).
    cell : {"rnn", "leaky", "skip", "lstm", "gru"}
    h0 : (L * dirs, N, H) ndarray, optional
        Initial states, PyTorch's layout (default zeros).
    c0 : (L * dirs, N, H) ndarray, optional
        LSTM initial cell states.
    **options
        The cell's options, the same for every layer (see
        :func:`rnnbook.registry.cell_forward`).

    Returns
    -------
    h : (N, T, dirs * H) ndarray
        States of the top layer.
    cache : DeepCache
    """
    check_choice("cell", cell, STACKABLE)
    dirs = _check_stack(params)
    if not isinstance(params[0][0], dict) or "W_hh" not in params[0][0]:
        raise ValueError("params[0][0] has no 'W_hh'; expected the parameter dict of a "
                         f"{cell!r} cell")
    L, H = len(params), np.shape(params[0][0]["W_hh"])[0]
    x = check_array("x", x, ("N", "T", "D"))
    N = x.shape[0]
    if h0 is not None:
        h0 = check_array("h0", h0, (L * dirs, N, H), note="(L * dirs, N, H)")
    if c0 is not None:
        if cell != "lstm":
            raise ValueError(f"c0 is given for a {cell!r} cell; expected None")
        c0 = check_array("c0", c0, (L * dirs, N, H), note="(L * dirs, N, H)")
    pick = lambda s, i: None if s is None else s[i]
    caches, inp = [], x
    for l, layer in enumerate(params):
        if dirs == 1:
            inp, cache = cell_forward(cell, inp, layer[0], pick(h0, l), pick(c0, l),
                                      **options)
        else:
            inp, cache = bidirectional_forward(
                inp, layer[0], layer[1], cell, pick(h0, 2 * l), pick(h0, 2 * l + 1),
                pick(c0, 2 * l), pick(c0, 2 * l + 1), **options)
        caches.append(cache)
    return inp, DeepCache(cell, caches, dirs, H)


def deep_backward(dh, cache):
    """Backward of :func:`deep_forward`.

    Parameters
    ----------
    dh : (N, T, dirs * H) ndarray
        dLoss/dh of the top layer's states.
    cache : DeepCache

    Returns
    -------
    DeepGrads
        ``(dx, dparams, dh0, dc0)``, the order of :func:`rnnbook.registry.cell_backward`:
        dx (N, T, D); dparams, a list of lists of dict in the layout of ``params``;
        dh0 (L * dirs, N, H); dc0 (L * dirs, N, H) for the LSTM, else None.
    """
    check_cache(cache, DeepCache, "deep_forward")
    L, dirs = len(cache.layers), cache.dirs
    dparams, dh0s, dc0s = [None] * L, [None] * (L * dirs), [None] * (L * dirs)
    grad = dh
    for l in range(L - 1, -1, -1):
        c = cache.layers[l]
        if dirs == 1:
            grad, g, dh0, dc0 = cell_backward(cache.cell, grad, c)
            dparams[l], dh0s[l], dc0s[l] = [g], dh0, dc0
        else:
            b = bidirectional_backward(grad, c)
            grad = b.dx
            dparams[l] = [b.dparams_f, b.dparams_b]
            dh0s[2 * l], dh0s[2 * l + 1] = b.dh0_f, b.dh0_b
            dc0s[2 * l], dc0s[2 * l + 1] = b.dc0_f, b.dc0_b
    dc0 = np.stack(dc0s) if cache.cell == "lstm" else None
    return DeepGrads(grad, dparams, np.stack(dh0s), dc0)
