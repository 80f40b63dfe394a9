"""Compatibility alias: the long-range harness lives in
:mod:`rnnbook.experiments.longrange` (``rnnbook.longrange`` keeps working)."""
from .experiments.longrange import *  # noqa: F401,F403
from .experiments.longrange import __all__  # noqa: F401
from .experiments import longrange as _impl

dependency_length = _impl.dependency_length
