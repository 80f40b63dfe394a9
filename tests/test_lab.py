"""`make lab`: JupyterLab serves the chapters, and .md chapters open as notebooks.

Starts the same server `make lab` starts (its configuration folder .ci/jupyter via
JUPYTER_CONFIG_PATH; on 127.0.0.1, a free port, a token, no browser), then asks its
REST API what a reader's JupyterLab would get: the settings override that makes the
Jupytext notebook the default viewer for markdown, and a chapter `.md` served as a
notebook (through jupytext's contents manager) whose cells are the chapter's cells.
:func:`start_lab` is shared with tests/test_lab_browser.py and benchmarks/lab_latency.py.
"""
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import jupytext
import pytest

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "rnnbook-test"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = ROOT / ".ci" / "jupyter"
LOG = {}


@contextlib.contextmanager
def start_lab(root_dir=ROOT / "chapters", token=TOKEN, extra_env=None, log=None, args=()):
    """Run `jupyter lab` as `make lab` does, serving ``root_dir``; yields its base URL.

    The server's output (and its kernels') goes to the file ``log`` (a temporary file
    by default).
    """
    port = free_port()
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
           f"--ServerApp.root_dir={root_dir}", f"--port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", "--ServerApp.open_browser=False", *args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_PATH": str(CONFIG), **(extra_env or {})}
    env.pop("MPLBACKEND", None)                  # kernels display figures inline
    if log is None:
        log = Path(tempfile.mkstemp(prefix="rnnbook-lab-", suffix=".log")[1])
    # The reader's own workspaces and settings stay out of (and untouched by) the test.
    home = Path(tempfile.mkdtemp(prefix="rnnbook-lab-user-"))
    cmd += [f"--LabApp.workspaces_dir={home / 'workspaces'}",
            f"--LabApp.user_settings_dir={home / 'settings'}"]
    out = open(log, "w")
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, text=True, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                get(base, "/api/status", token)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError("jupyter lab exited:\n" + Path(log).read_text()[-3000:])
                time.sleep(0.25)
        else:
            raise RuntimeError("jupyter lab did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        out.close()
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    log = LOG["server"] = tmp_path_factory.mktemp("lab") / "server.log"
    with start_lab(log=log) as base:
        yield base


def get(base, path, token=TOKEN):
    req = urllib.request.Request(base + path, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def test_markdown_opens_with_the_jupytext_notebook_by_default(lab):
    plugin = get(lab, "/lab/api/settings/@jupyterlab/docmanager-extension:plugin")
    # overrides.json changes the schema's default; a reader's own settings stay empty
    default = plugin["schema"]["properties"]["defaultViewers"]["default"]
    assert default.get("markdown") == "Jupytext Notebook"
    assert plugin["settings"].get("defaultViewers", {}).get("markdown", "Jupytext Notebook") == "Jupytext Notebook"


def test_chapter_markdown_is_served_as_a_notebook(lab):
    model = get(lab, "/api/contents/01_backprop.md?type=notebook&content=1")
    assert model["type"] == "notebook"
    served = [c["source"] for c in model["content"]["cells"]]
    expected = [c.source for c in jupytext.read(ROOT / "chapters" / "01_backprop.md").cells]
    assert served == expected


def test_kernels_are_quiet_and_use_the_book_environment(lab):
    """A kernel started by the server talks over IPC (no TCP warning) and finds the
    venv's python first on PATH (so `!python` and `!pip` in a cell use it)."""
    req = urllib.request.Request(lab + "/api/kernels", data=b"{}", method="POST",
                                 headers={"Authorization": f"token {TOKEN}",
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        kernel = json.loads(r.read())
    try:
        from jupyter_client import BlockingKernelClient
        from jupyter_core.paths import jupyter_runtime_dir
        info = json.loads((Path(jupyter_runtime_dir()) / f"kernel-{kernel['id']}.json").read_text())
        assert info["transport"] == "ipc"
        client = BlockingKernelClient()
        client.load_connection_info(info)
        client.start_channels()
        client.hb_channel.time_to_dead = 30.0        # a busy machine answers heartbeats late
        client.wait_for_ready(timeout=120)
        code = "import shutil, sys; print(shutil.which('python'), sys.executable)"
        printed = []
        client.execute_interactive(code, timeout=60,
                                   output_hook=lambda m: printed.append(m["content"].get("text", "")))
        client.stop_channels()
        which, executable = "".join(printed).split()
        assert Path(which).parent.resolve() == Path(sys.executable).parent.resolve(), which
        assert "without encryption" not in LOG["server"].read_text()
    finally:
        req = urllib.request.Request(lab + f"/api/kernels/{kernel['id']}", method="DELETE",
                                     headers={"Authorization": f"token {TOKEN}"})
        urllib.request.urlopen(req, timeout=30).close()
