"""Reference gradients for the backward-pass tests, in plain float64.

``fd_gradient`` is ``rnnbook.gradcheck.numerical_gradient`` with its default, adaptive
sixth-order differences (see that module): accurate to about 1e-12 of |F| in float64,
so the checks pass at rel_error < 1e-7 on every platform, including those where
np.longdouble is float64 (Windows, macOS arm64). ``as_reference`` converts the
arguments to float64.

``as_long`` (np.longdouble) is kept for the tests that still call it with an explicit
two-point step (``numerical_gradient(..., h=1e-6)``), which needs the extra precision
where np.longdouble has it; such a test should drop the step and use ``as_reference``.
"""
import numpy as np

from rnnbook.gradcheck import numerical_gradient


def as_reference(*arrays):
    """The arrays converted to float64, as a list."""
    return [np.asarray(a, dtype=np.float64) for a in arrays]


def as_long(*arrays):
    """The arrays converted to np.longdouble, as a list (see the module docstring)."""
    return [np.asarray(a).astype(np.longdouble) for a in arrays]


def fd_gradient(f, x, df):
    """Vector-Jacobian product sum(df * f(x)) differentiated at x, in float64."""
    return numerical_gradient(f, np.asarray(x, dtype=np.float64), df=df)
