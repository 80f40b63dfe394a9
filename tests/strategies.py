"""Hypothesis strategies whose reach depends on the active profile.

The `ci` profile (the default, see conftest.py) draws 25 derandomized examples over
small shapes, so that CI is fast and reproducible. The `explore` profile
(``pytest --hypothesis-profile=explore``) draws 200 random examples per test over
shapes up to twice as large. Tests take their sizes from ``dims``::

    @settings(deadline=None)
    @given(N=dims(1, 3), T=dims(1, 4))

The profile is read when the test module is imported (at collection), after the
command line has selected it.
"""
from hypothesis import settings, strategies as st


def exploring():
    """True under the explore profile."""
    return settings.get_current_profile_name() == "explore"


def dims(lo, hi, wide=None):
    """Sizes lo..hi under `ci`; lo..wide (default 2 * hi) under `explore`."""
    return st.integers(lo, (2 * hi if wide is None else wide) if exploring() else hi)
