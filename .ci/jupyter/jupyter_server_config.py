"""The reading room's server settings: `make lab` and tests/test_lab*.py load this file.

`make lab` sets JUPYTER_CONFIG_PATH to this folder, so Jupyter reads this file,
labconfig/default_setting_overrides.json (the lab settings, a link to
.ci/lab_overrides.json: .md files open as notebooks; no news or update checks, which
would fetch from the internet) and labconfig/page_config.json (the cell toolbar is
off: it fails on markdown cells rendered by jupyterlab-myst). This file:

* serves the chapters folder and prints a URL that opens the preface;
* puts the book's environment (.venv/bin) first on PATH, so `!python`, `!pip` and the
  terminal use the Python that has rnnbook installed;
* talks to kernels over local IPC sockets instead of TCP on 127.0.0.1 (so no
  "Kernel is running over TCP without encryption" warning: nothing leaves the machine);
* keeps the log quiet (see below) and drops the "Notebook ... is not trusted" line: chapters are .md files that store
  no outputs, so there is nothing whose trust could be checked.
"""
import logging
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by Jupyter when it loads this file)

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent)          # the venv running `jupyter lab`

os.environ["PATH"] = os.pathsep.join(
    [BIN] + [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and p != BIN])

c.ServerApp.root_dir = str(ROOT / "chapters")
c.ServerApp.ip = "127.0.0.1"
c.LabApp.default_url = "/lab/tree/00_preface.md"
c.KernelManager.transport = "ipc"
# Quiet logs: no list of language servers that are not installed, and a websocket ping
# timeout equal to the ping interval (the default, three intervals, makes tornado log a
# warning at every kernel connection).
c.LanguageServerManager.autodetect = False
c.ServerApp.tornado_settings = {"ws_ping_timeout": 30000}


class _DropUntrusted(logging.Filter):
    def filter(self, record):
        return not str(record.msg).startswith("Notebook %s is not trusted")


for _name in ("ServerApp", "LabApp", "JupytextContentsManager"):
    logging.getLogger(_name).addFilter(_DropUntrusted())
