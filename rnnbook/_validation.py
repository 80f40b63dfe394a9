"""Input validation for the public functions of :mod:`rnnbook`.

Every public entry point checks its arguments with these helpers, so that a wrong
shape or a NaN is reported where it enters, with the argument's name, the shape it
had and the shape that was expected::

    ValueError: x has shape (4, 3); expected (N, T, D) with D = W_xh.shape[0] = 5

Inner step functions that are called in a loop over time skip the checks. Every
check raises ``ValueError`` (also for a wrong type, such as a string where an rng is
expected), so callers catch one exception class.
"""
from __future__ import annotations

import numpy as np

__all__ = ["as_array", "check_array", "check_same_shape", "check_choice",
           "check_positive_int", "check_finite_scalar", "check_cache", "check_state",
           "check_targets", "check_nonempty_time", "float_dtype", "check_rng",
           "check_callable", "check_params", "check_gate_weights", "check_sequence"]


_SOURCE = "_source"       # key of ``dims`` recording which argument fixed each size


def _describe(spec):
    """Render a shape spec such as ``("N", "T", 5)`` as ``(N, T, 5)``."""
    return "(" + ", ".join(str(s) for s in spec) + ("," if len(spec) == 1 else "") + ")"


def as_array(name, value, *, dtype=None):
    """Convert ``value`` to a floating ndarray, or raise ``ValueError`` naming it."""
    try:
        arr = np.asarray(value, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} could not be converted to an array: {exc}") from None
    if arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} has dtype {arr.dtype}; expected a numeric array"
                         + (" (got None)" if value is None else ""))
    return arr


def check_array(name, value, spec, *, dims=None, finite=True, floating=True, note=""):
    """Check that ``value`` is a numeric array whose shape matches ``spec``.

    Parameters
    ----------
    name : str
        The argument's name, used in the error message.
    value : array_like
        The argument.
    spec : tuple of (int or str)
        Expected shape. An int must match exactly; a letter (``"N"``) matches any
        size, but the same letter must have the same size everywhere it appears, both
        within ``spec`` and in ``dims``.
    dims : dict, optional
        Sizes already fixed by earlier arguments (``{"H": 16}``). Updated in place
        with the sizes this argument fixes, so a chain of calls checks consistency.
    finite : bool
        Reject NaN and infinity.
    floating : bool
        Require a floating dtype (integers and booleans are rejected, since the
        gradients of this package are only meaningful in floating point).
    note : str
        Extra text appended to the expected shape, e.g. ``"with D = W_xh.shape[0]"``.

    Returns
    -------
    ndarray
        ``value`` as an ndarray (not copied when it already is one).
    """
    arr = as_array(name, value)
    dims = {} if dims is None else dims
    expected = _describe(spec) + (f" {note}" if note else "")
    if arr.ndim != len(spec):
        raise ValueError(f"{name} has shape {arr.shape}; expected {expected}")
    seen = dict(dims)                 # sizes fixed so far, including by this argument
    source = seen.pop(_SOURCE, {})    # letter -> "W_xh.shape[1]": who fixed the size
    for axis, (size, want) in enumerate(zip(arr.shape, spec)):
        if isinstance(want, str):
            if want in seen and seen[want] != size:
                origin = f" (from {source[want]})" if want in source else ""
                raise ValueError(
                    f"{name} has shape {arr.shape}; expected {expected} "
                    f"with {want} = {seen[want]}{origin}")
            if want not in seen:
                source[want] = f"{name}.shape[{axis}]"
            seen[want] = size
        elif size != want:
            raise ValueError(f"{name} has shape {arr.shape}; expected {expected}")
    dims.update(seen)
    dims[_SOURCE] = source
    if floating and not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(f"{name} has dtype {arr.dtype}; expected a floating dtype "
                         "(float32 or float64)")
    if finite and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf); "
                         "expected finite values")
    return arr


def check_same_shape(name, value, reference_name, reference, *, finite=True):
    """Check that ``value`` has exactly the shape of ``reference``."""
    arr = as_array(name, value)
    ref_shape = np.shape(reference)
    if arr.shape != ref_shape:
        raise ValueError(f"{name} has shape {arr.shape}; expected {ref_shape} "
                         f"(the shape of {reference_name})")
    if not np.issubdtype(arr.dtype, np.floating):
        raise ValueError(f"{name} has dtype {arr.dtype}; expected a floating dtype")
    if finite and not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains non-finite values (NaN or inf); "
                         "expected finite values")
    return arr


def check_choice(name, value, choices):
    """Check that ``value`` is exactly one of ``choices`` (strings are case-sensitive)."""
    try:
        ok = not isinstance(value, (bool, np.bool_)) and np.ndim(value) == 0 and any(
            isinstance(value, str) == isinstance(c, str) and bool(value == c)
            for c in choices)
    except Exception:                                    # e.g. an array as value
        ok = False
    if not ok:
        hint = ""
        if isinstance(value, str) and value.lower() in [str(c).lower() for c in choices]:
            hint = " (names are case-sensitive)"
        raise ValueError(f"{name} is {value!r}; expected one of "
                         + ", ".join(repr(c) for c in choices) + hint)
    return value


def check_positive_int(name, value, *, allow_none=False, minimum=1):
    """Check that ``value`` is an integer >= ``minimum`` (or None if allowed)."""
    if value is None and allow_none:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} is {value!r}; expected an integer >= {minimum}"
                         + (" or None" if allow_none else ""))
    if value < minimum:
        raise ValueError(f"{name} is {value}; expected an integer >= {minimum}"
                         + (" or None" if allow_none else ""))
    return int(value)


def check_finite_scalar(name, value, *, low=None, high=None, open_low=False,
                        open_high=False):
    """Check that ``value`` is a finite real number within ``[low, high]``.

    ``open_low`` / ``open_high`` exclude the bound itself (``(0, 1)`` for Adam's betas).
    """
    if isinstance(value, (bool, np.bool_, bytes)) or np.ndim(value) != 0:
        raise ValueError(f"{name} is {value!r}; expected a real number")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} is {value!r}; expected a real number") from None
    if not np.isfinite(v):
        raise ValueError(f"{name} is {v}; expected a finite number")
    below = low is not None and (v <= low if open_low else v < low)
    above = high is not None and (v >= high if open_high else v > high)
    if below or above:
        lo = "(" if open_low else "["
        hi = ")" if open_high else "]"
        raise ValueError(f"{name} is {v}; expected a number in "
                         f"{lo}{'-inf' if low is None else low}, "
                         f"{'inf' if high is None else high}{hi}")
    return v


def float_dtype(*arrays):
    """The package-wide dtype rule: the result type of the floating inputs.

    float32 inputs give float32 results, float64 (or any mix with float64) gives
    float64; the caller has already rejected non-floating inputs.
    """
    return np.result_type(*arrays)


def check_state(name, value, shape, dtype, note="with N = x.shape[0]"):
    """An initial state: None means zeros of ``shape`` and ``dtype``; otherwise it
    must be a finite floating array of exactly ``shape``."""
    if value is None:
        return np.zeros(shape, dtype=dtype)
    return check_array(name, value, shape, note=note)


def check_nonempty_time(x):
    """Reject T = 0: every layer needs at least one step (its final state is h_{T-1})."""
    if x.shape[1] == 0:
        raise ValueError(f"x has shape {x.shape}; expected (N, T, D) with T >= 1")
    return x


def check_targets(name, targets, spec, V, *, dims=None, axis_name="V"):
    """Integer class indices of shape ``spec`` with every value in [0, V).

    A negative index is rejected, not read from the end (numpy would take -1 as V-1).
    """
    targets = check_array(name, targets, spec, dims=dims, floating=False)
    if not np.issubdtype(targets.dtype, np.integer):
        raise ValueError(f"{name} has dtype {targets.dtype}; expected integer class "
                         "indices")
    if targets.size and (targets.min() < 0 or targets.max() >= V):
        raise ValueError(f"{name} has values in [{targets.min()}, {targets.max()}]; "
                         f"expected class indices in [0, {V}) with {axis_name} = {V}")
    return targets


def check_cache(cache, cls, producer):
    """Check that ``cache`` is the ``cls`` NamedTuple that ``producer`` returns."""
    if not isinstance(cache, cls):
        raise ValueError(f"cache is a {type(cache).__name__}; expected the {cls.__name__} "
                         f"returned by {producer}")
    return cache


def check_rng(rng, name="rng"):
    """Check that ``rng`` is a ``numpy.random.Generator`` (seeded by the caller)."""
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"{name} is {type(rng).__name__} {rng!r:.40}; expected a "
                        "numpy.random.Generator, e.g. np.random.default_rng(0)")
    return rng


def check_callable(name, value, expected="a function"):
    """Check that ``value`` can be called; ``expected`` describes its signature."""
    if not callable(value):
        raise ValueError(f"{name} is {type(value).__name__} {value!r:.40}; expected "
                        f"{expected}")
    return value


def check_params(params, keys, producer, name="params"):
    """Check that ``params`` is a dict with exactly the ``keys`` that ``producer`` makes.

    Only the keys are checked here; the caller checks each array's shape with
    :func:`check_array`, naming it ``params['W_xh']``.
    """
    if not isinstance(params, dict):
        raise ValueError(f"{name} is {type(params).__name__}; expected the dict of "
                        f"parameters returned by {producer} with keys {sorted(keys)}")
    if set(params) != set(keys):
        missing = sorted(set(keys) - set(params))
        extra = sorted(set(params) - set(keys))
        raise ValueError(f"{name} has keys {sorted(params)}; expected the keys "
                         f"{sorted(keys)} of {producer}"
                         + (f" (missing {missing})" if missing else "")
                         + (f" (unexpected {extra})" if extra else ""))
    return params


def check_gate_weights(W_xh, W_hh, gates, dims):
    """W_xh (D, GH) and W_hh (H, GH) of a gated cell whose G = len(gates) gate blocks
    are stacked along the last axis (``gates = "ifgo"`` for the LSTM, ``"rzn"`` for
    the GRU); sets ``dims["H"]`` and returns the two arrays."""
    G = len(gates)
    W_xh = check_array("W_xh", W_xh, ("D", f"{G}H"), dims=dims)
    if W_xh.shape[1] % G or W_xh.shape[1] == 0:
        raise ValueError(f"W_xh has shape {W_xh.shape}; expected (D, {G}H) with H >= 1: "
                         f"its second size must be a positive multiple of {G} (gates "
                         + ", ".join(gates) + ")")
    dims["H"] = W_xh.shape[1] // G
    W_hh = check_array("W_hh", W_hh, ("H", f"{G}H"), dims=dims,
                       note=f"with H = W_xh.shape[1] / {G} = {dims['H']}")
    return W_xh, W_hh


def check_sequence(name, value, expected, *, allow_str=True):
    """``value`` as a list (tokens, layer sizes), or ``ValueError`` naming it.

    ``expected`` describes the sequence (``"a sequence of tokens"``); a string counts as
    the sequence of its characters unless ``allow_str`` is False.
    """
    if isinstance(value, (str, bytes)) and not allow_str:
        ok = False
    else:
        try:
            value, ok = list(value), True
        except TypeError:
            ok = False
    if not ok:
        raise ValueError(f"{name} is {type(value).__name__} {value!r:.40}; expected "
                         f"{expected}")
    return value
