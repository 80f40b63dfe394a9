"""The reading room in a real browser: a chapter read, run, saved and reopened in JupyterLab.

Starts JupyterLab as `make lab` does (tests/test_lab.py's :func:`start_lab`: the
configuration folder .ci/jupyter, its lab settings, jupytext) on 127.0.0.1 with a
token, serving a temporary copy of the chapters folder that is a git repository of
its own (so the test touches no tracked file and can ask git what a session changed).
Headless Chromium (playwright, the system chromium) opens a chapter with an explorer,
runs all cells, checks that no cell printed an error, moves a slider with the keyboard
and checks that the image changes, waits for autosave (set to 5 s), saves, closes, reopens, checks that the explorer's
widget renders, runs it again and saves; then `git status --porcelain` must be empty.
Every request to a host other than the server is aborted and recorded; there must be
none. The server log must be free of the warnings a reader cannot act on.
"""
import json
import os
import shutil
import subprocess
import time
import urllib.request
from urllib.parse import urlparse

import pytest

from test_book import browser  # noqa: F401  (the shared headless-Chromium fixture)
from test_lab import ROOT, TOKEN, start_lab

#: a fast chapter with an explorer
CHAPTER = "02_sequences.md"
#: JupyterLab exposes its application object as window.jupyterapp with this flag
LAB_ARGS = ("--LabApp.expose_app_in_browser=True",)

pytestmark = pytest.mark.book

CURRENT = "jupyterapp.shell.currentWidget"


def open_document(page, base, path, timeout=120_000):
    """Open ``path`` (relative to the server root) in JupyterLab; wait for an idle kernel."""
    page.goto(f"{base}/lab/tree/{path}?token={TOKEN}", wait_until="load")
    page.wait_for_function(
        f"() => window.jupyterapp && {CURRENT} && {CURRENT}.context"
        f" && {CURRENT}.context.path === {str(path)!r} && {CURRENT}.content.widgets"
        f" && {CURRENT}.sessionContext.session && {CURRENT}.sessionContext.session.kernel"
        f" && {CURRENT}.sessionContext.session.kernel.status === 'idle'", timeout=timeout)


def command(page, name, args=None):
    """Run a JupyterLab command (as a menu item or a shortcut would) and wait for it."""
    return page.evaluate("([name, args]) => jupyterapp.commands.execute(name, args || {})"
                         ".then(() => true)", [name, args])


def run_all(page, timeout=180_000):
    """Run every cell of the current notebook; wait until the kernel is idle again."""
    command(page, "notebook:run-all-cells")
    page.wait_for_function(
        f"() => {CURRENT}.content.widgets.every(c => c.model.type !== 'code'"
        " || (c.model.executionCount !== null && !c.hasClass('jp-mod-executing')"
        "     && c.promptNode && !c.promptNode.textContent.includes('*')))"
        f" && {CURRENT}.sessionContext.session.kernel.status === 'idle'", timeout=timeout)


def error_outputs(page):
    """Text of every error output and of every stderr stream of the current notebook."""
    return page.evaluate(
        f"() => {CURRENT}.content.widgets.flatMap(c => c.model.type !== 'code' ? [] :"
        " [...Array(c.model.outputs.length).keys()].map(i => c.model.outputs.get(i).toJSON())"
        "  .filter(o => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr'))"
        "  .map(o => o.ename ? o.ename + ': ' + o.evalue : o.text))")


def blocking_context(browser, base, **kwargs):
    """A browser context that aborts, and records in ``context.blocked``, every request
    to a host other than ``base``'s."""
    context = browser.new_context(**kwargs)
    context.blocked = []
    host = urlparse(base).netloc

    def route(r):
        url = r.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).netloc == host:
            r.continue_()
        else:
            context.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    return context


def git(cwd, *args):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """(base URL, chapters copy, server log): JupyterLab serving a git-tracked copy."""
    tmp = tmp_path_factory.mktemp("lab-room")
    chapters = tmp / "chapters"
    shutil.copytree(ROOT / "chapters", chapters)
    shutil.copy(ROOT / ".gitignore", chapters)          # the repository's ignore rules
    git(chapters, "init", "-q")
    git(chapters, "add", "-A")
    git(chapters, "-c", "user.name=test", "-c", "user.email=test@localhost",
        "commit", "-q", "-m", "snapshot")
    log = tmp / "server.log"
    # The kernels import rnnbook from this repository, as in `make lab`.
    env = {"PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    with start_lab(root_dir=chapters, log=log, extra_env=env, args=LAB_ARGS) as base:
        body = json.dumps({"raw": json.dumps({"autosave": True, "autosaveInterval": 5})})
        req = urllib.request.Request(
            base + "/lab/api/settings/@jupyterlab/docmanager-extension:plugin",
            data=body.encode(), method="PUT",
            headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=30).close()
        yield base, chapters, log


#: the explorer's image (the frame view's <img>, rnnbook._explorer_view)
EXPLORER_IMG = ".jp-OutputArea-output img.rnnbook-frame"


def test_read_run_save_reopen_leaves_the_repository_clean(room, browser):
    base, chapters, log = room
    context = blocking_context(browser, base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page_errors = []
    page.on("pageerror", lambda exc: page_errors.append(f"{exc}\n{exc.stack}"[:1500]))
    try:
        open_document(page, base, CHAPTER)
        run_all(page)
        assert error_outputs(page) == []
        # The explorer: move its first slider with the keyboard; the picture changes.
        page.wait_for_selector(EXPLORER_IMG, timeout=60_000)
        before = page.locator(EXPLORER_IMG).first.evaluate("i => i.src")
        handle = page.locator(".jp-OutputArea-output .noUi-handle").first
        handle.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"(old) => document.querySelector({EXPLORER_IMG!r}).src !== old", arg=before,
            timeout=30_000)
        # Autosave (every 5 s here, set through the settings API as a reader would)
        # saves the run notebook with its outputs and widget views: wait for it.
        page.wait_for_function(f"() => !{CURRENT}.context.model.dirty", timeout=60_000)
        command(page, "docmanager:save")
        time.sleep(1.0)
        command(page, "application:close-all")
        time.sleep(1.0)
        # Reopen: the widgets of the running kernel render again (no "Error displaying
        # widget"), and a second run works.
        open_document(page, base, CHAPTER)
        run_all(page)
        page.wait_for_selector(EXPLORER_IMG, timeout=60_000)
        assert page.locator("text=Error displaying widget").count() == 0
        assert error_outputs(page) == []
        before = page.locator(EXPLORER_IMG).first.evaluate("i => i.src")
        page.locator(".jp-OutputArea-output .noUi-handle").first.focus()
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(
            f"(old) => document.querySelector({EXPLORER_IMG!r}).src !== old", arg=before,
            timeout=30_000)
        command(page, "docmanager:save")
        time.sleep(1.0)
        command(page, "application:close-all")
    finally:
        context.close()
    assert git(chapters, "status", "--porcelain") == "", git(chapters, "diff")
    assert context.blocked == [], f"requests to other hosts: {context.blocked}"
    assert page_errors == [], f"JavaScript errors: {page_errors}"
    text = log.read_text()
    for noise in ("without encryption", "is not trusted", "websocket_ping_timeout"):
        assert noise not in text, f"server log says {noise!r}"
