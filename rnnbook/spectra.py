"""Recurrent weight matrices: spectral radius, largest singular value, norms of powers.

Matrix families with a chosen spectral radius rho: :func:`scaled_orthogonal`
(normal: every |eigenvalue| = every singular value = rho), :func:`scaled_gaussian`
(largest singular value about 2 rho) and :func:`non_normal` (a sheared Jordan-like
block: all eigenvalues equal rho, yet ||W^k|| first grows). What these numbers mean
for the gradients that travel back in time is in :mod:`rnnbook.dynamics`, from which
every name here is also importable.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_array, check_finite_scalar, check_positive_int, check_rng
from .init import orthogonal

__all__ = ["spectral_radius", "largest_singular_value", "power_norms", "scaled_orthogonal",
           "scaled_gaussian", "non_normal"]


def _check_square(name, W):
    W = check_array(name, W, ("H", "H"))
    if W.shape[0] != W.shape[1]:
        raise ValueError(f"{name} has shape {W.shape}; expected a square matrix (H, H)")
    return W


def spectral_radius(W):
    """max |eigenvalue| of a square matrix W."""
    W = _check_square("W", W)
    return float(np.max(np.abs(np.linalg.eigvals(W))))


def largest_singular_value(W):
    """sigma_max(W) = ||W||_2, the largest factor by which W stretches a vector."""
    W = check_array("W", W, ("R", "C"))
    return float(np.linalg.norm(W, 2))


def power_norms(W, K):
    """||W^k||_2 for k = 0 .. K (shape (K + 1,)); shows transient growth of
    non-normal matrices. Computed with renormalisation; overflow gives inf."""
    W = _check_square("W", W)
    K = check_positive_int("K", K, minimum=0)
    P = np.eye(W.shape[0])
    logs = np.zeros(K + 1)
    logscale = 0.0
    for k in range(1, K + 1):
        P = P @ W
        nrm = np.linalg.norm(P, 2)
        if nrm == 0:
            logs[k:] = -np.inf
            break
        logscale += np.log10(nrm)
        logs[k] = logscale
        P /= nrm
    with np.errstate(over="ignore"):
        return 10.0 ** logs


def scaled_orthogonal(H, rho, rng):
    """rho Q with Q orthogonal (Haar): spectral radius = largest singular value = rho."""
    H = check_positive_int("H", H)
    rho = check_finite_scalar("rho", rho, low=0.0)
    return orthogonal(H, check_rng(rng), gain=rho)


def scaled_gaussian(H, rho, rng):
    """A Gaussian matrix rescaled to spectral radius exactly ``rho``.

    Its largest singular value is larger than rho (about 2 rho for large H): the
    matrix is not normal.
    """
    H = check_positive_int("H", H)
    rho = check_finite_scalar("rho", rho, low=0.0)
    G = check_rng(rng).standard_normal((H, H)) / np.sqrt(H)
    r = np.max(np.abs(np.linalg.eigvals(G)))
    return G * (rho / r)


def non_normal(H, rho, shear=1.0, rng=None):
    """A non-normal matrix with every eigenvalue equal to ``rho``.

    W = rho I + shear * S with S the shift (ones on the superdiagonal), i.e. a
    Jordan-like block; with ``rng`` given it is rotated, Q^T W Q with Q orthogonal,
    which keeps eigenvalues and singular values. The spectral radius is rho, but
    sigma_max(W) >= rho + shear * (something), and ||W^k|| first grows like
    binomial(k, m) rho^(k - m) shear^m before decaying when rho < 1.
    """
    H = check_positive_int("H", H)
    rho = check_finite_scalar("rho", rho, low=0.0)
    shear = check_finite_scalar("shear", shear)
    W = rho * np.eye(H) + shear * np.eye(H, k=1)
    if rng is not None:
        Q = orthogonal(H, check_rng(rng))
        W = Q.T @ W @ Q
    return W
