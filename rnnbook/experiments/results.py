"""Recorded results as data: one writer, one loader, provenance with every file.

A results file is ``rnnbook/experiments/data/<name>.json``::

    {"name": ..., "provenance": {"command": ..., "seeds": [...], "package_version": ...,
     "date": ..., "python": ..., "numpy": ..., "platform": ..., "seconds": ...,
     "params": {...}}, "results": [ {...}, ... ]}

:func:`record` is called only by scripts run on purpose (``python -m
rnnbook.experiments.<sweep> --record``); :func:`load` is what chapters and tests call.
A missing file is an error that says which command produces it: a chapter never falls
back silently to an empty result.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import platform
import re
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

__all__ = ["DATA", "Recorded", "record", "load", "recorded_names", "seed_parser", "seed_args"]

#: where recorded results live (package data, tracked in git)
DATA = Path(__file__).resolve().parent / "data"
_NAME = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")


class Recorded(NamedTuple):
    """What :func:`load` returns: the results and how they were produced."""
    name: str
    provenance: dict
    results: list


def _check_name(name):
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name is {name!r}; expected lower-case letters, digits, '_' or '-'")
    return name


def _plain(value: Any):
    """Convert numpy scalars/arrays (recursively) to JSON types; reject NaN silently
    turning into invalid JSON by writing it as null."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def record(name, results, *, command, seeds, params=None, seconds=None, directory=None):
    """Write ``results`` (a list of dicts) with their provenance; return the path.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"longrange"``.
    results : list of dict
        One dict per run (JSON-serialisable after numpy values are converted).
    command : str
        The exact command that regenerates the file.
    seeds : sequence of int
        The random seeds used.
    params : dict, optional
        The grid, budgets and hyperparameters of the sweep.
    seconds : float, optional
        Wall-clock time the sweep took.
    directory : path, optional
        Where to write (default: the package's ``data`` folder).
    """
    from .. import __version__

    _check_name(name)
    if not isinstance(results, (list, tuple)) or not all(isinstance(r, dict) for r in results):
        raise ValueError("results must be a list of dicts, one per run")
    if not isinstance(command, str) or not command.strip():
        raise ValueError("command must be the non-empty command that regenerates the results")
    seeds = [int(s) for s in seeds]
    provenance = {
        "command": command,
        "seeds": seeds,
        "package_version": __version__,
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(terse=True),
        "seconds": None if seconds is None else round(float(seconds), 1),
        "params": _plain(params or {}),
    }
    out = Path(directory) if directory is not None else DATA
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.json"
    text = json.dumps({"name": name, "provenance": provenance, "results": _plain(list(results))},
                      indent=1, sort_keys=True, allow_nan=False)
    path.write_text(text + "\n")
    return path


def load(name, *, directory=None):
    """Read a recorded results file; raise ``FileNotFoundError`` naming the command
    that produces it when it is missing."""
    _check_name(name)
    path = (Path(directory) if directory is not None else DATA) / f"{name}.json"
    if not path.exists():
        raise FileNotFoundError(
            f"no recorded results named {name!r} at {path}; produce them with "
            f"`python -m rnnbook.experiments.{name} --record`")
    try:
        data = json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON ({exc}); regenerate it") from None
    for key in ("name", "provenance", "results"):
        if key not in data:
            raise ValueError(f"{path} has no {key!r} field; regenerate it")
    return Recorded(data["name"], data["provenance"], data["results"])


def recorded_names(directory=None):
    """Names of every recorded results file, sorted."""
    d = Path(directory) if directory is not None else DATA
    return sorted(p.stem for p in d.glob("*.json"))


def seed_parser(description, seeds, **lists):
    """The command line of a recording script that runs a list of seeds.

    An ``argparse.ArgumentParser`` with ``--record`` (write the results file),
    ``--seeds`` (default ``seeds``, the ones a recording must use) and, for each
    keyword, one more list of integers with that default (e.g. ``checkpoints``)."""
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--record", action="store_true", help="write the results file")
    ap.add_argument("--seeds", type=int, nargs="*", default=list(seeds),
                    help="seeds to run (a recording uses the default ones)")
    for name, default in lists.items():
        ap.add_argument(f"--{name}", type=int, nargs="*", default=list(default))
    return ap


def seed_args(argv, description, seeds, **lists):
    """Parse the command line of :func:`seed_parser`; with ``--record``, every list must
    keep its default (a recording is always the documented one)."""
    ap = seed_parser(description, seeds, **lists)
    args = ap.parse_args(argv)
    defaults = {"seeds": seeds, **lists}
    if args.record and any(tuple(getattr(args, k)) != tuple(v) for k, v in defaults.items()):
        ap.error("--record uses the default " + " and ".join(defaults))
    return args
