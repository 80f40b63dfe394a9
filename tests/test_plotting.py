"""The book's plotting style."""
import matplotlib as mpl

from rnnbook import plotting


def test_book_style_is_scoped_and_global_style_applies():
    before = mpl.rcParams["font.size"]
    with plotting.book_style():
        assert mpl.rcParams["font.size"] == plotting.STYLE["font.size"]
        colours = [c["color"] for c in mpl.rcParams["axes.prop_cycle"]]
        assert colours[:3] == ["#0072B2", "#D55E00", "#009E73"]
    assert mpl.rcParams["font.size"] == before
    try:
        plotting.use_book_style()          # outside IPython: rcParams only, no error
        assert mpl.rcParams["savefig.dpi"] == 200
    finally:
        mpl.rcParams.update(mpl.rcParamsDefault)
        mpl.use("Agg")


# Legibility. A figure of the book's default width is shown in the text column: about
# its natural size (700 CSS px at 100 dpi) in the 688-px column of a 1280-px window, and
# scaled down to the 358-px column of a 390-px-wide phone (both widths measured on the
# built site with sphinx-book-theme). 1 pt of figure text therefore becomes
# column / (72 * width_in) CSS px. We ask that the smallest text of a figure (tick labels,
# legends, annotations) be at least 12 CSS px on the page (three quarters of the 16-px
# body text, the size of a caption) and at least 7.5 CSS px on the phone (where a reader
# holds the screen closer, and below which letters of a 1x-rendered font blur together).
TEXT_COLUMN_PX = {"page": 688, "phone": 358}
MIN_TEXT_PX = {"page": 12.0, "phone": 7.5}
MIN_LINE_PX_PHONE = 1.0           # a data line at least one device-independent pixel wide


def _px_per_pt(where):
    width_in = plotting.STYLE["figure.figsize"][0]
    shown = min(TEXT_COLUMN_PX[where], width_in * plotting.STYLE["figure.dpi"])
    return shown / (72 * width_in)


def min_legible_pt():
    return max(MIN_TEXT_PX[w] / _px_per_pt(w) for w in TEXT_COLUMN_PX)


def test_book_style_text_is_legible_on_the_page_and_on_a_phone():
    floor = min_legible_pt()
    assert 10 < floor < 12                 # the arithmetic above: 10.6 pt for 7-in figures
    for key in ("font.size", "axes.labelsize", "axes.titlesize", "xtick.labelsize",
                "ytick.labelsize", "legend.fontsize", "legend.title_fontsize"):
        assert plotting.STYLE[key] >= floor, \
            f"{key} = {plotting.STYLE[key]} pt renders below {MIN_TEXT_PX} CSS px (floor {floor:.1f} pt)"
    assert plotting.STYLE["lines.linewidth"] * _px_per_pt("phone") >= MIN_LINE_PX_PHONE


def test_no_figure_text_is_set_below_the_legible_size():
    """Chapters and diagrams must not shrink text below the floor with a literal size
    (``legend(fontsize=8)``, ``ax.text(..., fontsize=8)``, ``prop={"size": 8}``)."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    floor = min_legible_pt()
    pattern = re.compile(r"""(?:fontsize\s*=\s*|["']size["']\s*:\s*)(\d+(?:\.\d+)?)\b""")
    bad = []
    for path in sorted((root / "chapters").glob("*.md")) + [root / "rnnbook" / "diagrams.py"]:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                if float(m.group(1)) < floor:
                    bad.append(f"{path.relative_to(root)}:{no}: {line.strip()}")
    assert not bad, f"text below {floor:.1f} pt:\n  " + "\n  ".join(bad)


# A figure wider than the default is scaled down further to fit the column, so its
# smallest text shrinks with it: at width w (inches, wider than the column at its
# natural size) 1 pt is column / (72 * w) CSS px. The widest figure whose smallest
# style text still meets MIN_TEXT_PX everywhere is min over columns of
# smallest_pt * column / (72 * min_px) (7.3 in for 11-pt tick labels on the phone).
SMALLEST_STYLE_TEXT = ("xtick.labelsize", "ytick.labelsize", "legend.fontsize",
                       "legend.title_fontsize", "font.size", "axes.labelsize",
                       "axes.titlesize")


def max_legible_width_in():
    smallest = min(plotting.STYLE[k] for k in SMALLEST_STYLE_TEXT)
    return min(smallest * TEXT_COLUMN_PX[w] / (72 * MIN_TEXT_PX[w]) for w in TEXT_COLUMN_PX)


def test_no_chapter_figure_is_too_wide_for_its_text_to_stay_legible_on_a_phone():
    """``figsize=(w, h)`` in a chapter: the figure is shrunk to the column width, so
    w must not exceed the width at which the style's smallest text drops below the
    legible size (split wide multi-panel figures into rows instead)."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    widest = max_legible_width_in()
    default_w = plotting.STYLE["figure.figsize"][0]
    assert default_w <= widest < 1.1 * default_w + 0.5   # 7.3 in; the default width is legal
    pattern = re.compile(r"figsize\s*=\s*\(\s*(\d+(?:\.\d+)?)\s*,")
    bad, seen = [], 0
    for path in sorted((root / "chapters").glob("*.md")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                seen += 1
                if float(m.group(1)) > widest:
                    bad.append(f"{path.relative_to(root)}:{no}: {line.strip()}")
    assert seen >= 10, "the figsize pattern no longer finds the chapters' figures"
    assert not bad, (f"figures wider than {widest:.2f} in (text below "
                     f"{MIN_TEXT_PX['phone']} CSS px on a phone):\n  " + "\n  ".join(bad))
