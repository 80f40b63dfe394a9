"""The static book: the `-W` build, its outputs against the references, then every
page in headless Chromium, offline.

The build runs once per test session (into _build/test, with a fresh execution cache,
so every chapter executes, once). Its executed notebooks are compared with the
reference notebooks in tests/notebooks/ cell by cell, with nbval's rules: cells tagged
`nbval-ignore-output` are skipped, only text outputs (streams and text/plain) are
compared, after the regexes of tests/nbval_sanitize.cfg. The build runs with
RNNBOOK_EXPLORER=static and the references are executed live; the explorer cells,
the only ones whose output depends on that, are tagged `nbval-ignore-output`.
The browser tests serve the result on 127.0.0.1 and abort
every request to any other host, then check on every page: zero blocked requests,
all math typeset by the vendored MathJax, every image loaded, every static slider
changing its picture when moved with the keyboard, and a downloadable chapter source.
"""
import configparser
import difflib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_build" / "test"
HTML = OUT / "_build" / "html"
EXECUTED = OUT / "_build" / "jupyter_execute" / "chapters"
REFERENCES = ROOT / "tests" / "notebooks"
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.md"))
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.book


def toc_pages():
    """Every page of the table of contents, as paths relative to the site root."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    for part in toc.get("parts", []):
        files += [c["file"] for c in part.get("chapters", [])]
    return [f + ".html" for f in files]


@functools.lru_cache(maxsize=None)
def build_book():
    shutil.rmtree(OUT, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}   # inline figures
    env["RNNBOOK_EXPLORER"] = "static"
    cmd = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(ROOT),
           "--path-output", str(OUT), "--all", "-W", "-n", "--keep-going"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=3000)


def test_book_builds_without_warnings():
    proc = build_book()
    assert proc.returncode == 0, "jupyter-book build failed:\n" + (proc.stdout + proc.stderr)[-6000:]
    for page in toc_pages():
        assert (HTML / page).exists(), f"{page} was not built"


def _sanitizers():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "tests" / "nbval_sanitize.cfg")
    return [(re.compile(cfg[s]["regex"]), cfg[s]["replace"]) for s in cfg.sections()]


def text_outputs(cell, sanitizers):
    """What nbval compares of a code cell: streams (consecutive ones of the same name
    joined), text/plain of results and displays, errors; sanitized."""
    items = []
    for out in cell.get("outputs", []):
        kind = out["output_type"]
        if kind == "stream":
            if items and items[-1][0] == out["name"]:
                items[-1] = (out["name"], items[-1][1] + out["text"])
            else:
                items.append((out["name"], out["text"]))
        elif kind in ("execute_result", "display_data") and "text/plain" in out.get("data", {}):
            items.append(("text/plain", out["data"]["text/plain"]))
        elif kind == "error":
            items.append(("error", f"{out['ename']}: {out['evalue']}"))
    clean = []
    for kind, text in items:
        for regex, replace in sanitizers:
            text = regex.sub(replace, text)
        clean.append((kind, text))
    return clean


def _render(outputs):
    return "".join(f"[{kind}]\n{text}" + ("" if text.endswith("\n") else "\n")
                   for kind, text in outputs).splitlines()


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.stem)
def test_executed_chapter_matches_its_reference(md):
    """The chapter as the book build executed it prints what its reference notebook
    (`make notebooks`) holds."""
    proc = build_book()
    executed = EXECUTED / (md.stem + ".ipynb")
    if not executed.exists():
        pytest.fail(f"the build wrote no {executed.relative_to(ROOT)} (exit status {proc.returncode}; "
                    "see test_book_builds_without_warnings)")
    ref_path = REFERENCES / (md.stem + ".ipynb")
    ref = nbformat.read(ref_path, as_version=4)
    got = nbformat.read(executed, as_version=4)
    ref_cells = [c for c in ref.cells if c.cell_type == "code"]
    got_cells = [c for c in got.cells if c.cell_type == "code"]
    assert len(ref_cells) == len(got_cells), \
        f"{md.name}: {len(got_cells)} code cells executed, {len(ref_cells)} in {ref_path.name}: run `make notebooks`"
    sanitizers = _sanitizers()
    for i, (r, g) in enumerate(zip(ref_cells, got_cells)):
        errors = [o for o in g.get("outputs", []) if o["output_type"] == "error"]
        assert not errors, f"{md.name}, code cell {i}: {errors[0]['ename']}: {errors[0]['evalue']}"
        tags = set(r.metadata.get("tags", [])) | set(g.metadata.get("tags", []))
        if tags & {"nbval-ignore-output", "nbval-skip"}:
            continue
        want, have = text_outputs(r, sanitizers), text_outputs(g, sanitizers)
        if want != have:
            diff = list(difflib.unified_diff(_render(want), _render(have), "reference", "book build",
                                             n=1, lineterm=""))[2:]
            first = g.source.strip().splitlines()[0] if g.source.strip() else ""
            pytest.fail(f"{md.name}, code cell {i} ({first[:70]!r}): the output differs from "
                        f"{ref_path.relative_to(ROOT)}:\n" + "\n".join(diff[:14])
                        + "\nIf the change is intended, run `make notebooks` and review the diff.")


@pytest.fixture(scope="module")
def site():
    if build_book().returncode != 0:
        pytest.fail("the book did not build (see test_book_builds_without_warnings)")
    handler = functools.partial(_QuietHandler, directory=str(HTML))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, site):
    """A page that aborts (and records) every request leaving 127.0.0.1."""
    context = browser.new_context()
    pg = context.new_page()
    pg.blocked = []
    pg.errors = []
    host = urlparse(site).netloc

    def route(r):
        url = r.request.url
        if url.startswith("data:") or urlparse(url).netloc == host:
            r.continue_()
        else:
            pg.blocked.append(url)
            r.abort()

    pg.route("**/*", route)
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    yield pg
    context.close()


@pytest.mark.parametrize("path", toc_pages())
def test_page_offline_math_figures_sliders(page, site, path):
    page.goto(f"{site}/{path}", wait_until="load")
    page.wait_for_load_state("networkidle")

    n_math = page.locator(".math").count()
    if n_math:
        page.wait_for_function(
            "() => [...document.querySelectorAll('.math')]"
            ".every(e => e.querySelector('mjx-container'))", timeout=60_000)
        assert page.locator("mjx-merror").count() == 0, "MathJax reported a TeX error"

    # Every figure the chapter draws is on the page: count the figures in the
    # reference notebook (their text form "<Figure size ...>") against the images.
    ipynb = ROOT / "tests" / "notebooks" / (Path(path).stem + ".ipynb")
    if ipynb.exists():
        n_figures = sum("".join(out.get("data", {}).get("text/plain", "")).startswith("<Figure size")
                        for cell in json.loads(ipynb.read_text())["cells"]
                        for out in cell.get("outputs", []))
        n_images = page.locator(".cell_output img").count()
        assert n_images >= n_figures, f"{n_images} figure images on the page, {n_figures} in the notebook"

    images = page.evaluate("() => [...document.images].map(i => [i.src.slice(0, 80), i.complete && i.naturalWidth > 0])")
    broken = [src for src, ok in images if not ok]
    assert not broken, f"images that did not load: {broken}"

    explorers = page.locator(".rnnbook-explorer")
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        img = explorer.locator("img")
        for j in range(explorer.locator("input[type=range]").count()):
            slider = explorer.locator("input[type=range]").nth(j)
            before = img.get_attribute("src")
            at_max = slider.evaluate("e => e.value === e.max")
            slider.focus()
            page.keyboard.press("ArrowLeft" if at_max else "ArrowRight")
            after = img.get_attribute("src")
            name = explorer.get_attribute("data-explorer")
            assert after != before, f"slider {j} of explorer {name} did not change the picture"

    if path.startswith("chapters/") and not path.startswith("chapters/appendix"):
        link = page.locator("a.download[href$='.md']").first
        assert link.count() == 1, "no download link for the chapter's source"
        response = page.request.get(link.evaluate("a => a.href"))
        assert response.ok and b"jupytext:" in response.body()

    assert page.errors == [], f"JavaScript errors: {page.errors}"
    assert page.blocked == [], f"requests to other hosts: {page.blocked}"


def test_search_finds_pages(page, site):
    page.goto(f"{site}/search.html?q=backpropagation", wait_until="load")
    page.wait_for_selector("#search-results ul.search li", timeout=30_000)
    assert page.locator("#search-results ul.search li").count() >= 1
    assert page.blocked == []


# ---------------------------------------------------------------------------------------
# Layout, captions and reader-facing text (issue 12), at a desktop and a phone width.
#
# "Overflowing the text column" is defined precisely: the text column is the content box
# of the page's <article class="bd-article">. An element overflows when its bounding box
# extends more than 1 px beyond the column's left or right edge, unless an ancestor
# between it and the column scrolls horizontally (computed overflow-x auto or scroll) and
# itself lies within the column. The elements checked are display math, images, figures,
# tables, cell outputs and explorer controls. Display math is checked more strictly:
# its typeset formula (mjx-math) must be no wider than the column at 1280 px (a long
# equation is broken with `aligned`); at 390 px it may scroll inside its own container
# (the book's stylesheet makes it scrollable), as a last resort.
#
# Run against an existing build with RNNBOOK_BOOK_HTML=/path/to/_build/html; otherwise
# these tests use the `site` fixture (the -W build above).

import re  # noqa: E402  (kept in this section: the top of the file is edited elsewhere)

LAYOUT_WIDTHS = (1280, 390)

_LAYOUT_JS = r"""
(strictMath) => {
  const col = document.querySelector('article.bd-article');
  if (!col) return {error: 'no article.bd-article on the page'};
  const cs = getComputedStyle(col);
  const r = col.getBoundingClientRect();
  const left = r.left + parseFloat(cs.paddingLeft), right = r.right - parseFloat(cs.paddingRight);
  const visible = e => { const b = e.getBoundingClientRect(); return b.width > 0 && b.height > 0; };
  const scrollerInside = e => {
    for (let a = e.parentElement; a && a !== col; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX;
      if (ox === 'auto' || ox === 'scroll' || ox === 'hidden') {
        const b = a.getBoundingClientRect();
        if (b.left >= left - 1 && b.right <= right + 1) return true;
      }
    }
    return false;
  };
  const name = e => {
    const id = e.closest('[id]');
    return e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' +
      e.className.split(' ')[0] : '') + (id ? ' in #' + id.id : '');
  };
  const problems = [];
  const sel = 'img, figure, table, .cell_output, .rnnbook-explorer, mjx-container[display="true"]';
  for (const e of col.querySelectorAll(sel)) {
    if (!visible(e)) continue;
    const b = e.getBoundingClientRect();
    if ((b.left < left - 1 || b.right > right + 1) && !scrollerInside(e))
      problems.push(`${name(e)} spans ${Math.round(b.left)}..${Math.round(b.right)} px, ` +
                    `column ${Math.round(left)}..${Math.round(right)} px`);
  }
  for (const img of col.querySelectorAll('img')) {        // shrunk, never distorted
    if (!visible(img) || !img.naturalWidth || !img.naturalHeight) continue;
    const shown = img.clientWidth / img.clientHeight, natural = img.naturalWidth / img.naturalHeight;
    if (Math.abs(shown / natural - 1) > 0.03)
      problems.push(`${name(img)} distorted: shown ${img.clientWidth}x${img.clientHeight} px, ` +
                    `natural aspect ${natural.toFixed(2)}`);
  }
  if (strictMath) {
    for (const m of col.querySelectorAll('mjx-container[display="true"] > mjx-math')) {
      if (!visible(m)) continue;
      const w = m.getBoundingClientRect().width;
      if (w > right - left + 1) {
        const tex = (m.closest('.math') || m).getAttribute('data-tex') || '';
        problems.push(`display equation ${Math.round(w)} px wide in a ${Math.round(right - left)} px ` +
                      `column${m.closest('[id]') ? ' (#' + m.closest('[id]').id + ')' : ''}`);
      }
    }
  }
  return {problems, column: [left, right]};
}
"""

_FIGURES_JS = r"""
() => {
  const col = document.querySelector('article.bd-article');
  const problems = [];
  for (const img of col.querySelectorAll('img')) {
    const where = (img.closest('[id]') || {}).id || '?';
    if (!(img.getAttribute('alt') || '').trim())
      problems.push(`image without alt text (in #${where})`);
    if (img.closest('.rnnbook-explorer')) continue;      // an explorer has its own title
    const fig = img.closest('figure');
    const cap = fig && fig.querySelector('figcaption');
    if (!cap || !cap.innerText.trim())
      problems.push(`image not inside a captioned figure (in #${where})`);
  }
  return problems;
}
"""


@pytest.fixture(scope="module")
def layout_site(request):
    """The site to check: RNNBOOK_BOOK_HTML if set (an existing build), else `site`."""
    html = os.environ.get("RNNBOOK_BOOK_HTML")
    if not html:
        yield request.getfixturevalue("site")
        return
    handler = functools.partial(_QuietHandler, directory=html)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _open(browser, url, width):
    """A page at the given viewport width, offline (other hosts aborted), typeset."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    pg = context.new_page()
    host = urlparse(url).netloc
    pg.route("**/*", lambda r: r.continue_() if (r.request.url.startswith("data:") or
                                                 urlparse(r.request.url).netloc == host)
             else r.abort())
    pg.goto(url, wait_until="load", timeout=120_000)
    if pg.locator(".math").count():
        pg.wait_for_function("() => [...document.querySelectorAll('.math')]"
                             ".every(e => e.querySelector('mjx-container'))", timeout=120_000)
    pg.wait_for_timeout(300)                     # let the last layout pass settle
    return context, pg


@pytest.mark.parametrize("width", LAYOUT_WIDTHS)
@pytest.mark.parametrize("path", toc_pages())
def test_nothing_overflows_the_text_column(browser, layout_site, path, width):
    context, pg = _open(browser, f"{layout_site}/{path}", width)
    try:
        result = pg.evaluate(_LAYOUT_JS, width >= 1000)
    finally:
        context.close()
    assert "error" not in result, result.get("error")
    assert not result["problems"], f"{path} at {width} px:\n  " + "\n  ".join(result["problems"][:15])


@pytest.mark.parametrize("path", toc_pages())
def test_every_figure_is_captioned_with_alt_text(browser, layout_site, path):
    context, pg = _open(browser, f"{layout_site}/{path}", 1280)
    try:
        problems = pg.evaluate(_FIGURES_JS)
    finally:
        context.close()
    assert not problems, f"{path}:\n  " + "\n  ".join(problems[:15])


@pytest.mark.parametrize("path", toc_pages())
def test_no_scaffolding_in_the_readers_view(browser, layout_site, path):
    """No source cited as "seed 00N", no test-harness text (nbval) visible to a reader."""
    context, pg = _open(browser, f"{layout_site}/{path}", 1280)
    try:
        text = pg.evaluate("() => document.querySelector('article.bd-article').innerText")
    finally:
        context.close()
    hits = [m.group(0) for m in re.finditer(r"(?i).{0,40}(seed 00\d|nbval).{0,40}", text)]
    assert not hits, f"{path}: visible scaffolding:\n  " + "\n  ".join(hits[:10])


_BIBLIOGRAPHY_JS = r"""
() => ({
  labels: [...document.querySelectorAll('div.citation > span.label')]
            .map(e => e.innerText.replace(/^\[|\]$/g, '').trim()),
  cites: [...document.querySelectorAll('a.reference.internal[href*="appendix_bibliography.html#"]')]
            .map(e => e.textContent.trim()),         // also those in collapsed solutions
})
"""
_AUTHOR_YEAR = re.compile(r"^\S.*, (\d{4}|n\.d\.)[a-z]?$")


def _first_surname(label):
    return re.split(r" and | et al\.|, (?=\d{4}|n\.d\.)", label)[0].casefold()


def test_bibliography_is_labelled_and_sorted_author_year(browser, layout_site):
    """The bibliography lists "Hochreiter and Schmidhuber, 1997", not [23]: every label is
    author-year, unique, and the entries run in alphabetical order of the first author,
    as the author-year citations in the text lead a reader to look them up."""
    context, pg = _open(browser, f"{layout_site}/chapters/appendix_bibliography.html", 1280)
    try:
        labels = pg.evaluate(_BIBLIOGRAPHY_JS)["labels"]
    finally:
        context.close()
    assert len(labels) > 30, f"only {len(labels)} bibliography entries found"
    bad = [lab for lab in labels if not _AUTHOR_YEAR.match(lab)]
    assert not bad, f"labels that are not 'Author, year': {bad[:10]}"
    assert len(set(labels)) == len(labels), "two entries share a label"
    surnames = [_first_surname(lab) for lab in labels]
    unsorted = [(a, b) for a, b in zip(surnames, surnames[1:]) if a > b]
    assert not unsorted, f"entries out of alphabetical order: {unsorted[:5]}"


@pytest.mark.parametrize("path", [p for p in toc_pages() if "bibliography" not in p])
def test_citations_in_the_text_are_author_year(browser, layout_site, path):
    """A citation's link text is its year (textual) or "Author, year" (parenthetical),
    with the a/b suffix of its bibliography label; never a number like [23]."""
    context, pg = _open(browser, f"{layout_site}/{path}", 1280)
    try:
        cites = pg.evaluate(_BIBLIOGRAPHY_JS)["cites"]
    finally:
        context.close()
    bad = [c for c in cites if not re.search(r"(^|\D)(\d{4}|n\.d\.)[a-z]?$", c)]
    assert not bad, f"{path}: citations that are not author-year: {bad[:10]}"
