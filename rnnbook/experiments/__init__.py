"""Experiments: the harnesses behind the book's measurements, apart from the layers.

Expensive sweeps run on purpose from a script (``python -m rnnbook.experiments.NAME``)
and record their results with :func:`rnnbook.experiments.results.record` as JSON
package data with provenance (command, seeds, package version, date). Chapters read
them back with :func:`rnnbook.experiments.results.load`; nothing in a chapter, a test
or a benchmark rewrites a recorded file.
"""
from .results import Recorded, load, record, recorded_names

__all__ = ["Recorded", "load", "record", "recorded_names"]
