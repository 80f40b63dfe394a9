"""The API appendix says what is importable, and documents modules that exist."""
import importlib
import re
import types
from pathlib import Path

import rnnbook

API = Path(__file__).resolve().parents[1] / "chapters" / "appendix_api.md"


def _documented_modules():
    return re.findall(r"automodule:: (rnnbook[\w.]*)", API.read_text())


def test_documented_modules_import():
    for name in _documented_modules():
        importlib.import_module(name)


def test_top_level_claim_is_true():
    text = API.read_text()
    missing = [f"{mod}.{n}" for mod in _documented_modules()
               for n in getattr(importlib.import_module(mod), "__all__", [])
               if not hasattr(rnnbook, n)]
    claims_all = re.search(r"(?i)everything[^.]*available from the top level", text)
    assert not (claims_all and missing), \
        f"the appendix claims every name is at the top level; {len(missing)} are not: {missing[:5]}"


def test_modules_said_to_be_attributes_are():
    text = API.read_text()
    sentence = re.search(r"attribute \(`rb\.diagrams[^)]*\), except(.*?)which must be", text, re.S).group(1)
    by_name_only = set(re.findall(r"`(rnnbook\.\w+)`", sentence))
    for mod in _documented_modules():
        short = mod.split(".", 1)[1]
        if "." in short or short in ("exercises",):      # subpackages: imported by name
            assert f"`rnnbook.{short.split('.')[0]}`" in text, f"{mod}: say how to import it"
            continue
        is_attr = isinstance(getattr(rnnbook, short, None), types.ModuleType)
        assert is_attr or mod in by_name_only, f"{mod} is not an attribute of rnnbook"
