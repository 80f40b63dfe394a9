"""Calling the reader's function safely: a timeout, no warnings, nothing re-raised.

``call`` stops a function after ``timeout`` seconds with ``signal.setitimer`` where it
is available (the main thread on Unix; elsewhere the time is measured afterwards), and
returns what happened instead of raising. ``changed`` finds inputs modified in place,
``unpack`` reads the return value as the outputs the exercise asks for.
"""
from __future__ import annotations

import signal
import threading
import time
import warnings

import numpy as np

from ._spec import as_float_array

__all__ = ["call", "changed", "unpack"]


class _Timeout(BaseException):
    """Raised by the timer inside the reader's function (BaseException: a reader's
    ``except Exception`` cannot swallow it)."""


def call(fn, args, timeout):
    """("ok", result) | ("raised", exc) | ("timeout", seconds)."""
    timer = (timeout is not None and hasattr(signal, "setitimer")
             and threading.current_thread() is threading.main_thread())
    old = None
    if timer:
        def _alarm(signum, frame):
            raise _Timeout()
        old = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, float(timeout))
    t0 = time.perf_counter()
    try:
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = fn(*args)
        finally:
            if timer:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, old)
    except _Timeout:
        return "timeout", timeout
    except Exception as exc:          # the reader's bug, reported, never re-raised
        return "raised", exc
    if timeout is not None and time.perf_counter() - t0 > timeout:
        return "timeout", timeout     # no timer available: measured afterwards
    return "ok", result


def changed(before, after):
    """Names of the inputs whose values changed (arrays, dicts of arrays, scalars)."""
    out = []
    for k, v in before.items():
        w = after[k]
        if isinstance(v, dict):
            if any(not np.array_equal(v[j], w[j]) for j in v):
                out.append(k)
        elif isinstance(v, np.ndarray):
            if not np.array_equal(v, w, equal_nan=True):
                out.append(k)
    return out


def unpack(ex, result):
    """The reader's return value as a tuple of float arrays, or a problem (code, text)."""
    if result is None:
        return None, ("returned_none", "Your function returned None (is a `return` missing?).")
    if ex.unpack is not None:
        try:
            result = ex.unpack(result)
        except (TypeError, ValueError, KeyError, IndexError) as exc:
            return None, ("wrong_count", f"Could not read the results: {exc}")
    n = len(ex.outputs)
    if n == 1 and not isinstance(result, tuple):
        result = (result,)
    if not isinstance(result, (tuple, list)):
        return None, ("wrong_count", f"Your function returned one {type(result).__name__}; "
                      f"expected a tuple of {n}: ({', '.join(o for o, _ in ex.outputs)}).")
    if len(result) != n:
        return None, ("wrong_count", f"Your function returned {len(result)} results; "
                      f"expected {n}: ({', '.join(o for o, _ in ex.outputs)}).")
    arrays = []
    for (name, _), value in zip(ex.outputs, result):
        if value is None:
            return None, ("returned_none", f"Output {name} is None.")
        try:
            arrays.append(as_float_array(value))
        except TypeError as exc:
            return None, ("wrong_count", f"Output {name} {exc}.")
    return tuple(arrays), None
