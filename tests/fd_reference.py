"""Reference gradients by centred differences in extended precision.

In float64 the round-off of a centred difference, about eps |F| / h, can exceed 1e-7
of the tiny gradient entries of saturated units; in np.longdouble it does not. The
function under test must accept long-double arrays (the layers keep the dtype they
are given), so callers pass every argument converted with ``as_long``.
"""
import numpy as np

from rnnbook.gradcheck import numerical_gradient


def as_long(*arrays):
    """The arrays converted to np.longdouble, as a list."""
    return [np.asarray(a).astype(np.longdouble) for a in arrays]


def fd_gradient(f, x, df):
    """Vector-Jacobian product sum(df * f(x)) differentiated at x, in long double."""
    return numerical_gradient(f, np.asarray(x).astype(np.longdouble), df=df)
