"""Shared test settings.

Tests draw with the non-interactive Agg backend. It is chosen with matplotlib.use,
not with the MPLBACKEND environment variable: that variable would be inherited by
the Jupyter kernels of the book build, where figures must display.

A skipped test fails the run: CI must not pass because a dependency is missing. The
session ends with exit status 1 and the list of skipped tests (deselection with
``-m 'not slow'`` is not a skip). ``--allow-skips`` turns the failure into a warning,
for a quick local run on a machine without, e.g., PyTorch.

A notebook that cannot be read (broken JSON, invalid notebook) fails each test that
reads it with one line naming the file and the fix, instead of a long traceback.

``RNNBOOK_TEST_LONGDOUBLE_IS_FLOAT64=1`` replaces np.longdouble by np.float64 for the
session, as on Windows and macOS arm64: the gradient checks must pass there too.
"""
import json
import os
from pathlib import Path

import matplotlib
import numpy as np
import pytest

os.environ.pop("MPLBACKEND", None)
matplotlib.use("Agg")

if os.environ.get("RNNBOOK_TEST_LONGDOUBLE_IS_FLOAT64") == "1":
    np.longdouble = np.float64

# Property tests: the `ci` profile draws the same examples on every run (a
# reproducible CI) over small shapes; `--hypothesis-profile=explore` searches new
# examples, many more of them, over wider shapes (tests/strategies.py reads the
# profile's name when the test modules are collected).
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=25,
                          print_blob=True)
settings.register_profile("explore", derandomize=False, deadline=None, max_examples=200,
                          print_blob=True)
settings.load_profile("ci")


def pytest_addoption(parser):
    parser.addoption("--allow-skips", action="store_true",
                     help="report skipped tests without failing the run")


_SKIPPED = []


def _record_skip(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append(f"{report.nodeid or '(collection)'}: {reason}")


def pytest_runtest_logreport(report):
    _record_skip(report)


def pytest_collectreport(report):
    _record_skip(report)


def pytest_sessionfinish(session, exitstatus):
    if hasattr(session.config, "workerinput") or not _SKIPPED:
        return                    # xdist workers: the controller sees their reports
    session.config._rnnbook_skipped = sorted(set(_SKIPPED))
    if not session.config.getoption("--allow-skips") and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    skipped = getattr(config, "_rnnbook_skipped", [])
    if not skipped:
        return
    allowed = config.getoption("--allow-skips")
    terminalreporter.section("skipped tests" + (" (allowed)" if allowed else " fail the run"),
                             sep="=", red=not allowed, yellow=allowed)
    for line in skipped:
        terminalreporter.line(line)
    if not allowed:
        terminalreporter.line(f"{len(skipped)} skipped: every test must run in CI "
                              "(install the missing dependency, or run with --allow-skips)")


def _notebook_error(excinfo):
    """One line for an unreadable .ipynb, or None for any other error."""
    import nbformat
    from nbformat.reader import NotJSONError
    in_nbformat = any(str(entry.frame.f_globals.get("__name__", "")).startswith("nbformat")
                      for entry in excinfo.traceback)
    if not (in_nbformat or excinfo.errisinstance((json.JSONDecodeError, NotJSONError,
                                                  nbformat.ValidationError))):
        return None
    path = None
    for entry in excinfo.traceback:                  # the .ipynb being read, if any
        for value in entry.frame.f_locals.values():
            if isinstance(value, (str, Path)) and str(value).endswith(".ipynb"):
                path = value
    if path is None:
        return None
    try:
        path = Path(path).resolve().relative_to(Path(__file__).resolve().parents[1])
    except ValueError:
        pass
    reason = str(excinfo.value).strip().splitlines()[0][:120]
    return (f"{path} is not a valid notebook ({type(excinfo.value).__name__}: {reason}); "
            f"restore it with `git checkout -- {path}` or rewrite it with `make notebooks`")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.excinfo is not None and report.failed:
        line = _notebook_error(call.excinfo)
        if line:
            report.longrepr = line
