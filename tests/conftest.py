"""Shared test settings.

Tests draw with the non-interactive Agg backend. It is chosen with matplotlib.use,
not with the MPLBACKEND environment variable: that variable would be inherited by
the Jupyter kernels of nbval and of the book build, where figures must display.
"""
import os

import matplotlib

os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")
