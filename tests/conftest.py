"""Shared test settings.

Tests draw with the non-interactive Agg backend. It is chosen with matplotlib.use,
not with the MPLBACKEND environment variable: that variable would be inherited by
the Jupyter kernels of nbval and of the book build, where figures must display.
"""
import os

import matplotlib

os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")

# Property tests draw the same examples on every run (a reproducible CI); run with
# --hypothesis-profile=explore to search new examples.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=300)
settings.load_profile("ci")
