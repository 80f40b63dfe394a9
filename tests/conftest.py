"""Shared test settings: non-interactive matplotlib, no stray figures."""
import os

os.environ.setdefault("MPLBACKEND", "Agg")
