"""`make lab`: JupyterLab serves the chapters, and .md chapters open as notebooks.

Starts the same server `make lab` starts (on 127.0.0.1, a free port, no browser),
then asks its REST API what a reader's JupyterLab would get: the settings override
that makes the Jupytext notebook the default viewer for markdown, and a chapter `.md`
served as a notebook (through jupytext's contents manager) whose cells are the
chapter's cells.
"""
import json
import os
import socket
import subprocess
import sys
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


@pytest.fixture(scope="module")
def lab():
    port = free_port()
    cmd = [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser",
           f"--notebook-dir={ROOT / 'chapters'}", "--ip=127.0.0.1", f"--port={port}",
           f"--IdentityProvider.token={TOKEN}", "--ServerApp.open_browser=False"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                get(base, "/api/status")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("jupyter lab exited:\n" + proc.stdout.read()[-3000:])
                time.sleep(0.5)
        else:
            pytest.fail("jupyter lab did not start within 60 s")
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def get(base, path):
    req = urllib.request.Request(base + path, headers={"Authorization": f"token {TOKEN}"})
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
