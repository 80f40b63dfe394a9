"""The registry of recurrent cells: one forward/backward interface for six layers.

Models, stacks, bidirectional layers, encoder-decoders, language models and the
experiments do not care which recurrent layer they run; they call

    h, cache = cell_forward(cell, x, params, h0=None, c0=None, **options)
    dx, dparams, dh0, dc0 = cell_backward(cell, dh, cache)     # a CellGrads

and the registry calls the layer's own teaching functions (the positional pairs of
:mod:`rnnbook.rnn`, :mod:`rnnbook.lstm`, ...), where each equation lives once.

=========  ==============================================  ====================  ======
cell       params (dict keys)                              options               state
=========  ==============================================  ====================  ======
"rnn"      W_xh (D, H), W_hh (H, H), b_h (H,)              activation            h
"leaky"    W_xh, W_hh, b_h                                 alpha, activation     h
"skip"     W_xh, W_hh, W_skip (H, H), b_h                  d, activation         h
"jordan"   W_xh (D, H), W_yh (V, H), b_h, W_hq (H, V),     activation,           y (V)
           b_q (V,)                                        output_activation
"lstm"     W_xh (D, 4H), W_hh (H, 4H), b (4H,)             (none)                h, c
"gru"      W_xh (D, 3H), W_hh (H, 3H), b_xh, b_hh (3H,)    formulation           h
=========  ==============================================  ====================  ======

Conventions shared by every layer of the package (the teaching functions and this
registry alike):

* Arrays are batch first, x (N, T, D), states (N, T, H); T >= 1 (T = 0 raises
  ``ValueError``).
* ``h0=None`` (and ``c0=None``, ``y0=None``) means a zero initial state h_{-1}.
* A backward function returns one gradient per differentiable argument of its
  forward function, **in the order of the forward's arguments**: ``rnn_backward`` ->
  (dx, dh0, dW_xh, dW_hh, db_h) for ``rnn_forward(x, h0, W_xh, W_hh, b_h)``;
  ``cell_backward`` and ``deep_backward`` -> (dx, dparams, dh0, dc0) for
  ``cell_forward(cell, x, params, h0, c0)`` and ``deep_forward(x, params, cell, h0, c0)``.
  The one exception is fixed by the book's plan: ``lstm_backward`` returns the five
  values (dx, dh0, dW_xh, dW_hh, db); ``lstm_backward_all`` adds dc0 as a sixth.
* A gradient arriving from outside the sequence at its final state is passed as
  ``dh_last`` (``dc_last`` for the LSTM's cell state, ``dy_last`` for the Jordan
  network, whose state is its output); these are keyword arguments.
* Caches are NamedTuples, read by field name; a backward function checks that it was
  given the cache type its forward returns.
* Inputs must be floating arrays (float32 or float64) with finite values; results
  have the result type of the inputs (float32 in, float32 out). Wrong shapes, dtypes,
  NaN or infinity raise ``ValueError`` naming the argument, the shape received and
  the shape expected. No function modifies its inputs or returns one of them.
* String options are exact: ``formulation="Cho"`` is an error, not "cho".
"""
from __future__ import annotations

from typing import Any, Callable, NamedTuple, Optional

import numpy as np

from ._validation import check_choice

__all__ = ["CellSpec", "CellCache", "CellGrads", "REGISTRY", "ALL_CELLS", "cell_spec",
           "cell_forward", "cell_backward", "final_state"]


class CellSpec(NamedTuple):
    """How the registry runs one kind of recurrent layer."""
    name: str
    params: tuple              # parameter names, in the teaching function's order
    options: dict              # option name -> default (None: required)
    has_c: bool                # the LSTM's cell state
    state: str                 # cache field holding the states ("h", or "y" for Jordan)
    forward: Callable          # (x, h0, *params, **options) -> (h, inner)
    backward: Callable         # (dh, inner, dh_last) -> (dx, dh0, *dparams)


class CellCache(NamedTuple):
    """What :func:`cell_forward` keeps: the cell's name and the layer's own cache."""
    cell: str
    inner: Any                 # RNNCache, LSTMCache, GRUCache, LeakyCache, ...
    has_c0: bool               # whether the LSTM was given an explicit c0
    options: Optional[dict] = None


class CellGrads(NamedTuple):
    """Gradients of :func:`cell_backward`, in the order of cell_forward's arguments."""
    dx: np.ndarray             # (N, T, D)
    dparams: dict              # keys of params
    dh0: np.ndarray            # (N, H) (Jordan: dy0 (N, V))
    dc0: Optional[np.ndarray]  # (N, H) for the LSTM, None otherwise


def _lstm_forward(x, h0, W_xh, W_hh, b, c0=None):
    from .lstm import lstm_forward
    return lstm_forward(x, h0, W_xh, W_hh, b, c0=c0)


def _build():
    from .gru import gru_backward, gru_forward
    from .jordan import jordan_backward, jordan_forward
    from .leaky import leaky_rnn_backward, leaky_rnn_forward
    from .lstm import lstm_backward_all
    from .rnn import rnn_backward, rnn_forward
    from .skip import skip_rnn_backward, skip_rnn_forward
    return {
        "rnn": CellSpec("rnn", ("W_xh", "W_hh", "b_h"), {"activation": "tanh"}, False,
                        "h", rnn_forward,
                        lambda dh, c, dh_last: rnn_backward(dh, c, dh_last=dh_last)),
        "leaky": CellSpec("leaky", ("W_xh", "W_hh", "b_h"),
                          {"alpha": None, "activation": "tanh"}, False, "h",
                          leaky_rnn_forward,
                          lambda dh, c, dh_last: leaky_rnn_backward(dh, c, dh_last=dh_last)),
        "skip": CellSpec("skip", ("W_xh", "W_hh", "W_skip", "b_h"),
                         {"d": None, "activation": "tanh"}, False, "h", skip_rnn_forward,
                         lambda dh, c, dh_last: skip_rnn_backward(dh, c, dh_last=dh_last)),
        "jordan": CellSpec("jordan", ("W_xh", "W_yh", "b_h", "W_hq", "b_q"),
                           {"activation": "tanh", "output_activation": "identity"}, False,
                           "y", jordan_forward,
                           lambda dh, c, dh_last: jordan_backward(dh, c, dy_last=dh_last)),
        "lstm": CellSpec("lstm", ("W_xh", "W_hh", "b"), {}, True, "h", _lstm_forward,
                         None),          # backward: see cell_backward (it has dc0)
        "gru": CellSpec("gru", ("W_xh", "W_hh", "b_xh", "b_hh"),
                        {"formulation": "pytorch"}, False, "h", gru_forward,
                        lambda dh, c, dh_last: gru_backward(dh, c, dh_last=dh_last)),
    }


#: The names of every registered cell.
ALL_CELLS = ("rnn", "leaky", "skip", "jordan", "lstm", "gru")
REGISTRY: dict = {}


def cell_spec(cell):
    """The :class:`CellSpec` of ``cell`` (one of :data:`ALL_CELLS`)."""
    check_choice("cell", cell, ALL_CELLS)
    if not REGISTRY:
        REGISTRY.update(_build())
    return REGISTRY[cell]


def _check_params(spec, params):
    if not isinstance(params, dict) or set(params) != set(spec.params):
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"params has keys {got}; expected the keys "
                         f"{sorted(spec.params)} of a {spec.name!r} cell")


def _options(spec, options):
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        raise ValueError(f"options {unknown} are not options of a {spec.name!r} cell; "
                         f"expected some of {sorted(spec.options)}")
    merged = {**spec.options, **options}
    missing = sorted(k for k, v in merged.items() if v is None)
    if missing:
        raise ValueError(f"{missing[0]} is missing; a {spec.name!r} cell needs the "
                         f"option(s) {missing}")
    return merged


def cell_forward(cell, x, params, h0=None, c0=None, **options):
    """Run one recurrent layer of any registered kind over a sequence.

    Parameters
    ----------
    cell : {"rnn", "leaky", "skip", "jordan", "lstm", "gru"}
    x : (N, T, D) ndarray
    params : dict
        The cell's parameters (see the module docstring).
    h0 : (N, H) ndarray, optional
        Initial state h_{-1} (default zeros); for "jordan" the initial output y_{-1} (N, V).
    c0 : (N, H) ndarray, optional
        Initial cell state of the LSTM (default zeros); must be None for other cells.
    **options
        The cell's options: ``activation`` ("rnn", "leaky", "skip", "jordan"),
        ``alpha`` ("leaky", required), ``d`` ("skip", required), ``output_activation``
        ("jordan"), ``formulation`` ("gru").

    Returns
    -------
    h : (N, T, H) ndarray
        The states of every step (for "jordan" the outputs y, (N, T, V)).
    cache : CellCache
    """
    spec = cell_spec(cell)
    _check_params(spec, params)
    opts = _options(spec, options)
    if not spec.has_c and c0 is not None:
        raise ValueError(f"c0 is given for a {cell!r} cell; expected None (only the "
                         "LSTM has a cell state)")
    p = [params[k] for k in spec.params]
    if cell == "lstm":
        h, inner = spec.forward(x, h0, *p, c0=c0)
    elif cell == "skip":        # skip_rnn_forward(x, h0, W_xh, W_hh, W_skip, b_h, d, ...)
        h, inner = spec.forward(x, h0, *p, opts["d"], activation=opts["activation"])
    elif cell == "leaky":
        h, inner = spec.forward(x, h0, *p, opts["alpha"], activation=opts["activation"])
    else:
        h, inner = spec.forward(x, h0, *p, **opts)
    return h, CellCache(cell, inner, c0 is not None, opts)


def final_state(cache):
    """(h_{T-1}, c_{T-1}) of a forward pass: the state to carry into the next chunk.

    c is None for every cell but the LSTM; for "jordan" the state is the last output.
    Both are copies, so writing into them does not change the cache.
    """
    if not isinstance(cache, CellCache):
        raise ValueError(f"cache is a {type(cache).__name__}; expected the CellCache "
                         "returned by cell_forward")
    spec = cell_spec(cache.cell)
    h_T = getattr(cache.inner, spec.state)[:, -1].copy()
    c_T = cache.inner.c[:, -1].copy() if spec.has_c else None
    return h_T, c_T


def cell_backward(cell, dh, cache, dc_last=None, *, dh_last=None):
    """Backward of :func:`cell_forward`.

    Parameters
    ----------
    cell : str
        Must be the cell of the forward pass.
    dh : (N, T, H) ndarray
        dLoss/dh_t for every step (zeros where unused).
    cache : CellCache
    dc_last : (N, H) ndarray, optional
        LSTM only: dLoss/dc_{T-1} from outside (e.g. a decoder started from c_{T-1}).
    dh_last : (N, H) ndarray, optional
        dLoss/dh_{T-1} from outside the sequence.

    Returns
    -------
    CellGrads
        ``(dx, dparams, dh0, dc0)``: dx (N, T, D); dparams a dict with the keys of
        ``params``; dh0 (N, H); dc0 (N, H) for the LSTM, None for the other cells.
    """
    spec = cell_spec(cell)
    if not isinstance(cache, CellCache) or cache.cell != cell:
        raise ValueError(f"cache is a {type(cache).__name__}"
                         f"{' of cell ' + repr(cache.cell) if isinstance(cache, CellCache) else ''}"
                         f"; expected the CellCache of a {cell!r} forward pass")
    if dc_last is not None and not spec.has_c:
        raise ValueError(f"dc_last is given for a {cell!r} cell; expected None")
    dc0 = None
    if cell == "lstm":
        from .lstm import lstm_backward_all
        dx, dh0, *g, dc0 = lstm_backward_all(dh, cache.inner, dh_last=dh_last,
                                             dc_last=dc_last)
    else:
        dx, dh0, *g = spec.backward(dh, cache.inner, dh_last)
    return CellGrads(dx, dict(zip(spec.params, g)), dh0, dc0)

