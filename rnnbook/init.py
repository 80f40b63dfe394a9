"""Weight initialisers for recurrent layers (seeded, float64).

==================  =====================================================  ================
initialiser         draw                                                   source
==================  =====================================================  ================
orthogonal          Q from the QR decomposition of a Gaussian matrix       Saxe et al. 2014
identity            scale * I (IRNN: with ReLU and b_h = 0)                Le et al. 2015
glorot_uniform      U[-l, l], l = sqrt(6 / (fan_in + fan_out))             Glorot & Bengio 2010
gaussian            N(0, scale^2 / fan_in): spectral radius ~ scale        (circular law)
==================  =====================================================  ================

:func:`init_rnn_params` builds the dict ``{"W_xh", "W_hh", "b_h"}`` of an Elman layer
with any of these for W_hh.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_choice, check_finite_scalar, check_positive_int

__all__ = ["orthogonal", "identity", "glorot_uniform", "gaussian", "init_rnn_params",
           "INITIALISERS"]


def _check_shape(shape):
    if isinstance(shape, (int, np.integer)) and not isinstance(shape, bool):
        shape = (int(shape), int(shape))
    if not (isinstance(shape, tuple) and len(shape) == 2):
        raise ValueError(f"shape is {shape!r}; expected an int H or a tuple (rows, cols)")
    return (check_positive_int("shape[0]", shape[0]), check_positive_int("shape[1]", shape[1]))


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng is {type(rng).__name__}; expected a numpy.random.Generator")
    return rng


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
    rng = _check_rng(rng)
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
    rng = _check_rng(rng)
    gain = check_finite_scalar("gain", gain)
    limit = gain * np.sqrt(6.0 / (rows + cols))
    return rng.uniform(-limit, limit, size=(rows, cols))


def gaussian(shape, rng, scale=1.0):
    """N(0, scale^2 / rows): for a square H x H matrix the spectral radius is close
    to ``scale`` when H is large (circular law), its largest singular value close to
    2 * scale."""
    rows, cols = _check_shape(shape)
    rng = _check_rng(rng)
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
    rng = _check_rng(rng)
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
