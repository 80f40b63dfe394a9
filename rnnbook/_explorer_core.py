"""The explorer framework's data model: sliders, explorers and the registry.

See :mod:`rnnbook.explorer` (which re-exports every public name) for the whole picture.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import numpy as np


class Slider(NamedTuple):
    """One slider: keyword ``name`` of ``compute``, its grid of ``values``, a default."""
    name: str
    values: tuple
    default: Any
    label: str = ""

    def index(self, value):
        """Index of ``value`` in the grid (the nearest value for numbers)."""
        if value in self.values:
            return self.values.index(value)
        return int(np.argmin([abs(v - value) for v in self.values]))


@dataclass(frozen=True)
class Explorer:
    """A figure driven by sliders. See the module docstring."""
    name: str
    title: str
    sliders: tuple
    compute: Callable[..., Any]
    draw: Callable[[Any, Any], Any]
    update: Callable[[Any, Any], None]
    figsize: tuple = (8.0, 3.4)
    dpi: int = 80
    #: optional one-off precomputation (e.g. training the networks the sliders pick
    #: between), run when the explorer is shown, before its first frame
    prepare: Any = None

    def __post_init__(self):
        names = [s.name for s in self.sliders]
        if not self.sliders or len(set(names)) != len(names):
            raise ValueError(f"sliders of explorer {self.name!r} are {names}; "
                             "expected at least one slider, with unique names")
        for s in self.sliders:
            if s.default not in s.values:
                raise ValueError(f"slider {s.name!r} of explorer {self.name!r} has default "
                                 f"{s.default!r}; expected one of its values {s.values}")

    def ready(self):
        """Run ``prepare`` (if any) once per process; returns the explorer."""
        if self.prepare is not None and not getattr(self, "_prepared", False):
            if self.prepare == "grid":
                with np.errstate(all="ignore"):
                    for point in grid(self):
                        self.compute(**point)
            else:
                self.prepare()
            object.__setattr__(self, "_prepared", True)
        return self

    def defaults(self):
        """Slider values at their defaults, as a dict."""
        return {s.name: s.default for s in self.sliders}

    def check_values(self, values):
        """Fill missing sliders with defaults and reject unknown names."""
        known = {s.name for s in self.sliders}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"values has sliders {sorted(unknown)}; expected names "
                             f"among {sorted(known)}")
        return {**self.defaults(), **values}


#: name -> Explorer, every explorer in the book
REGISTRY: dict = {}


def register(explorer):
    """Add ``explorer`` to ``REGISTRY`` (names are unique) and return it."""
    if explorer.name in REGISTRY and REGISTRY[explorer.name] is not explorer:
        raise ValueError(f"explorer name {explorer.name!r} is already registered")
    REGISTRY[explorer.name] = explorer
    return explorer


def get(name):
    """The registered explorer called ``name`` (importing ``rnnbook.explorers``)."""
    from . import explorers  # noqa: F401  (registers every explorer)
    if name not in REGISTRY:
        raise ValueError(f"name is {name!r}; expected one of {sorted(REGISTRY)}")
    return REGISTRY[name]


def grid(explorer):
    """Every combination of slider values, as a list of dicts (row-major order)."""
    names = [s.name for s in explorer.sliders]
    return [dict(zip(names, combo))
            for combo in itertools.product(*(s.values for s in explorer.sliders))]


def overflow_note(*arrays, limit=1e6):
    """Text saying the values overflowed, or "" when all are finite and below ``limit``.

    Explorers call this so that exploding values are *shown as such* instead of
    raising or silently disappearing from the plot.
    """
    worst = 0.0
    for a in arrays:
        a = np.asarray(a, dtype=float)
        if a.size and not np.all(np.isfinite(a)):
            return "overflow: values reached inf/NaN (not drawn)"
        if a.size:
            worst = max(worst, float(np.max(np.abs(a))))
    return f"overflow: |value| up to {worst:.1e} (clipped in the plot)" if worst > limit else ""
