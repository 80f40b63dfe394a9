"""The hostile probe of the public API finds no silent, obscure, hanging or mutating case.

``benchmarks/probe_api.py`` tries every public function with hostile arguments; a new
function or a new check that lets an invalid input through fails here, listed.
"""
import importlib.util
import signal
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "benchmarks" / "probe_api.py"

# Cases known to be open, as (function, argument); none is left. Add one only with the
# reason and remove it when its case becomes a clear error.
KNOWN = set()


def test_every_invalid_input_gets_a_clear_error():
    spec = importlib.util.spec_from_file_location("probe_api", PROBE)
    probe_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe_api)
    old = signal.signal(signal.SIGALRM, probe_api._alarm)
    try:
        counts, bad = probe_api.probe(list(probe_api.SPECS), timeout=20.0, verbose=False)
    finally:
        signal.signal(signal.SIGALRM, old)
    new = [row for row in bad if (row[1], row[2]) not in KNOWN]
    assert not new, "\n".join(" | ".join(map(str, row)) for row in new)
    total = sum(sum(c.values()) for c in counts.values())
    assert total > 2000                        # the probe really ran its cases
