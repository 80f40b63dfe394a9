"""Initialisation of recurrent layers: weight draws and gate biases (seeded, float64).

Weight matrices
===============

==================  =====================================================  ================
initialiser         draw                                                   source
==================  =====================================================  ================
uniform (default)   U[-1/sqrt(H), 1/sqrt(H)]                               PyTorch's default
orthogonal          Q from the QR decomposition of a Gaussian matrix       Saxe et al. 2014
identity            scale * I (IRNN: with ReLU and b_h = 0)                Le et al. 2015
glorot_uniform      U[-l, l], l = sqrt(6 / (fan_in + fan_out))             Glorot & Bengio 2010
gaussian            N(0, scale^2 / fan_in): spectral radius ~ scale        (circular law)
==================  =====================================================  ================

:func:`init_rnn_params` builds the dict ``{"W_xh", "W_hh", "b_h"}`` of an Elman layer
with any of these for W_hh.

Gate biases
===========

PyTorch draws *every* weight and bias of ``nn.RNN``, ``nn.LSTM`` and ``nn.GRU`` from
U(+-1/sqrt(H)) (and an LSTM/GRU there has two bias vectors per gate). The book's layers
(:func:`rnnbook.lstm.lstm_init`, :func:`rnnbook.gru.gru_init`,
:func:`rnnbook.models.init_params`) draw the weights the same way but set the biases
explicitly, because the gate biases decide what a gated cell remembers at the start of
training. :func:`lstm_gate_bias` and :func:`gru_gate_bias` build them; the named
presets are

===========  ==========================================  =====================================
preset       LSTM gate biases (gates i, f, g, o)         source
===========  ==========================================  =====================================
"zeros"      all 0 (f = i = 0.5 at the start)            --
"forget1"    b_f = 1, others 0                           Gers et al. 2000; Jozefowicz et al.
                                                         2015 (the book's former default)
"hs97"       b_i = -3, b_f = +3, others 0                after Hochreiter & Schmidhuber 1997
"chrono"     b_f ~ log U[1, T_max - 1], b_i = -b_f       Tallec & Ollivier 2018
===========  ==========================================  =====================================

"hs97": the 1997 LSTM had *no* forget gate (its cell was the constant error carousel,
c_t = c_{t-1} + i_t g_t, i.e. f = 1 exactly); for the adding problem (their Experiment
4) the input-gate biases were initialised negative (-3 for the first cell block, -6
for the second) so that the cells do not absorb the noise of every step ("state drift").
A forget gate with b_f = +3 (sigmoid(3) = 0.95) stands in for the missing forget gate;
b_i = -3 (sigmoid(-3) = 0.047) is their first block's input bias.

"chrono": a gated cell with forget value f leaks with time constant 1 / (1 - f);
Tallec & Ollivier spread the time constants 1 + exp(b_f) uniformly (in log) over
[2, T_max] and set b_i = -b_f so that i = 1 - f at the start.

GRU (the book's form h_t = (1 - z_t) n_t + z_t h_{t-1}, as in PyTorch): the update gate
z plays the role of f and 1 - z the role of i, coupled. ``update_bias`` b_z > 0 starts
the cell in its long-memory setting (z = sigmoid(b_z) close to 1); ``chrono=T_max``
draws b_z ~ log U[1, T_max - 1], which is *exactly* the LSTM chrono initialisation with
its coupling i = 1 - f built in (time constant 1 + exp(b_z)). The whole bias is put in
``b_xh``; ``b_hh`` stays 0 (only the sum matters for r and z).

Vanilla RNN presets (:func:`rnn_recurrent_weights`): "default" is W_hh ~ U(+-1/sqrt(H))
(PyTorch's weight draw; b_h = 0, tanh); "orthogonal" (Saxe et al. 2014); "irnn" the
identity W_hh = I with b_h = 0 (Le et al. 2015, who use it with ReLU units).
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_finite_scalar, check_positive_int, check_rng

__all__ = ["orthogonal", "identity", "glorot_uniform", "gaussian", "init_rnn_params",
           "INITIALISERS", "uniform_default", "LSTM_PRESETS", "GRU_PRESETS", "RNN_PRESETS",
           "lstm_gate_bias", "gru_gate_bias", "chrono_bias", "rnn_recurrent_weights",
           "resolve_preset"]


def _check_shape(shape):
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape), int(shape))
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise ValueError(f"shape is {shape!r}; expected an int H or a tuple (rows, cols)")
    return (check_positive_int("shape[0]", shape[0]), check_positive_int("shape[1]", shape[1]))


def orthogonal(shape, rng, gain=1.0):
    """A (semi-)orthogonal matrix times ``gain``.

    Draws G with N(0, 1) entries, takes G = QR and fixes the signs of Q's columns by
    the signs of R's diagonal, so Q is distributed uniformly (Haar). For a square
    result every singular value and every eigenvalue modulus equals ``gain``.

    Parameters
    ----------
    shape : int or (rows, cols)
    rng : numpy.random.Generator
    gain : float

    Returns
    -------
    (rows, cols) ndarray
    """
    rows, cols = _check_shape(shape)
    rng = check_rng(rng)
    gain = check_finite_scalar("gain", gain)
    big, small = max(rows, cols), min(rows, cols)
    G = rng.standard_normal((big, small))
    Q, R = np.linalg.qr(G)
    Q = Q * np.sign(np.where(np.diag(R) == 0, 1.0, np.diag(R)))
    Q = Q if rows >= cols else Q.T
    return gain * Q


def identity(shape, rng=None, scale=1.0):
    """``scale`` times the identity (the IRNN initialisation of Le et al. 2015).

    ``rng`` is accepted (and ignored) so every initialiser has the same call.
    """
    rows, cols = _check_shape(shape)
    scale = check_finite_scalar("scale", scale)
    return scale * np.eye(rows, cols)


def glorot_uniform(shape, rng, gain=1.0):
    """Uniform in [-l, l] with l = gain * sqrt(6 / (fan_in + fan_out))."""
    rows, cols = _check_shape(shape)
    rng = check_rng(rng)
    gain = check_finite_scalar("gain", gain)
    limit = gain * np.sqrt(6.0 / (rows + cols))
    return rng.uniform(-limit, limit, size=(rows, cols))


def gaussian(shape, rng, scale=1.0):
    """N(0, scale^2 / rows): for a square H x H matrix the spectral radius is close
    to ``scale`` when H is large (circular law), its largest singular value close to
    2 * scale."""
    rows, cols = _check_shape(shape)
    rng = check_rng(rng)
    scale = check_finite_scalar("scale", scale, low=0.0)
    return rng.standard_normal((rows, cols)) * scale / np.sqrt(rows)


INITIALISERS = {"orthogonal": orthogonal, "identity": identity,
                "glorot": glorot_uniform, "gaussian": gaussian}


def init_rnn_params(D, H, rng, scheme="orthogonal", scale=1.0, input_scale=None):
    """Parameters of an Elman layer with W_hh from one of ``INITIALISERS``.

    Parameters
    ----------
    D, H : int
        Input and hidden sizes.
    rng : numpy.random.Generator
    scheme : {"orthogonal", "identity", "glorot", "gaussian"}
        How W_hh is drawn; ``scale`` is its gain (orthogonal, glorot), its diagonal
        value (identity) or its approximate spectral radius (gaussian).
    scale : float
    input_scale : float, optional
        W_xh is N(0, input_scale^2 / D); default 1.

    Returns
    -------
    dict
        ``W_xh`` (D, H), ``W_hh`` (H, H), ``b_h`` (H,) zeros.
    """
    D = check_positive_int("D", D)
    H = check_positive_int("H", H)
    rng = check_rng(rng)
    check_choice("scheme", scheme, tuple(INITIALISERS))
    input_scale = 1.0 if input_scale is None else check_finite_scalar(
        "input_scale", input_scale, low=0.0)
    W_xh = rng.standard_normal((D, H)) * input_scale / np.sqrt(D)
    if scheme == "orthogonal":
        W_hh = orthogonal(H, rng, gain=scale)
    elif scheme == "identity":
        W_hh = identity(H, scale=scale)
    elif scheme == "glorot":
        W_hh = glorot_uniform(H, rng, gain=scale)
    else:
        W_hh = gaussian(H, rng, scale=scale)
    return {"W_xh": W_xh, "W_hh": W_hh, "b_h": np.zeros(H)}


def uniform_default(shape, rng):
    """U[-1/sqrt(H), 1/sqrt(H)] with H = ``shape[0]``: the draw PyTorch uses for
    every weight of ``nn.RNN``/``nn.LSTM``/``nn.GRU`` (for a recurrent (H, G H) matrix;
    W_xh uses the same bound 1/sqrt(H), not 1/sqrt(D))."""
    rows, cols = _check_shape(shape)
    rng = check_rng(rng)
    k = 1.0 / np.sqrt(rows)
    return rng.uniform(-k, k, (rows, cols))


#: LSTM gate-bias presets (keyword arguments of :func:`lstm_gate_bias`)
LSTM_PRESETS = {"zeros": dict(forget_bias=0.0, input_bias=0.0),
                "forget1": dict(forget_bias=1.0, input_bias=0.0),
                "hs97": dict(forget_bias=3.0, input_bias=-3.0),
                "chrono": dict(chrono="T")}
#: GRU presets (keyword arguments of :func:`gru_gate_bias`); "long" is the
#: long-memory setting b_z = 3 (z = 0.95), the GRU twin of "hs97"
GRU_PRESETS = {"default": dict(update_bias=0.0), "long": dict(update_bias=3.0),
               "chrono": dict(chrono="T")}
#: vanilla-RNN presets for W_hh (see :func:`rnn_recurrent_weights`)
RNN_PRESETS = ("default", "orthogonal", "irnn")


def chrono_bias(H, T_max, rng):
    """(H,) biases b ~ log U[1, T_max - 1] (Tallec & Ollivier 2018, Sec. 4).

    A unit with forget value sigmoid(b) has time constant 1 + exp(b), spread
    uniformly in log over [2, T_max]. Requires T_max > 2.
    """
    H = check_positive_int("H", H)
    T_max = check_finite_scalar("T_max", T_max)
    if not T_max > 2:
        raise ValueError(f"T_max is {T_max}; expected a number > 2 (the longest "
                         "dependency, in steps)")
    return np.log(check_rng(rng).uniform(1.0, T_max - 1.0, H))


def lstm_gate_bias(H, rng=None, *, forget_bias=1.0, input_bias=0.0, chrono=None):
    """The LSTM bias vector b (4H,), gates in PyTorch order (i, f, g, o).

    Parameters
    ----------
    H : int
    rng : numpy.random.Generator, optional
        Needed only with ``chrono``.
    forget_bias, input_bias : float
        Constant biases of the forget and input gates (g and o get 0).
    chrono : float, optional
        T_max of the chrono initialisation: b_f ~ log U[1, T_max - 1] and b_i = -b_f;
        overrides ``forget_bias`` and ``input_bias``.

    Returns
    -------
    (4H,) ndarray
    """
    H = check_positive_int("H", H)
    b = np.zeros(4 * H)
    if chrono is not None:
        b_f = chrono_bias(H, chrono, rng)
        b[H:2 * H], b[:H] = b_f, -b_f
        return b
    b[:H] = check_finite_scalar("input_bias", input_bias)
    b[H:2 * H] = check_finite_scalar("forget_bias", forget_bias)
    return b


def gru_gate_bias(H, rng=None, *, update_bias=0.0, chrono=None):
    """The GRU biases ``(b_xh, b_hh)``, each (3H,), gates in PyTorch order (r, z, n).

    The update-gate bias ``update_bias`` (or, with ``chrono=T_max``, b_z ~ log U[1,
    T_max - 1]) goes into ``b_xh[H:2H]``; everything else is 0. With h_t = (1 - z_t)
    n_t + z_t h_{t-1}, a positive b_z starts the cell remembering.
    """
    H = check_positive_int("H", H)
    b_xh, b_hh = np.zeros(3 * H), np.zeros(3 * H)
    if chrono is not None:
        b_xh[H:2 * H] = chrono_bias(H, chrono, rng)
    else:
        b_xh[H:2 * H] = check_finite_scalar("update_bias", update_bias)
    return b_xh, b_hh


def rnn_recurrent_weights(H, rng, preset="default"):
    """W_hh (H, H) of a vanilla RNN: "default" U(+-1/sqrt(H)) (PyTorch's draw),
    "orthogonal" (Saxe et al. 2014) or "irnn" the identity (Le et al. 2015)."""
    check_choice("preset", preset, RNN_PRESETS)
    if preset == "default":
        return uniform_default(H, rng)
    if preset == "orthogonal":
        return orthogonal(H, rng)
    return identity(H)


def resolve_preset(cell, init, T_max=None):
    """Keyword arguments of the gate-bias builder for a named preset.

    ``init`` is a preset name or a dict of keyword arguments (returned as given);
    "chrono" needs ``T_max``.
    """
    presets = {"lstm": LSTM_PRESETS, "gru": GRU_PRESETS}.get(cell)
    if isinstance(init, dict):
        return dict(init)
    if presets is None:
        check_choice("init", init, RNN_PRESETS)
        return {"preset": init}
    check_choice("init", init, tuple(presets))
    kw = dict(presets[init])
    if kw.get("chrono") == "T":
        if T_max is None:
            raise ValueError(f"init is {init!r}; expected T_max (the longest "
                             "dependency) to be given with it")
        kw["chrono"] = T_max
    return kw
