"""The book's plotting style."""
import functools

import matplotlib as mpl
import pytest

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


def _px_per_pt(where, width_in=None, dpi=None):
    """CSS px per pt of figure text for a figure ``width_in`` wide shown at ``dpi`` CSS px
    per inch (chapter figures: the style's 7 in at 100 dpi; explorer frames: their
    ``figsize`` at their ``dpi``), shrunk to the text column if it is wider."""
    width_in = width_in or plotting.STYLE["figure.figsize"][0]
    dpi = dpi or plotting.STYLE["figure.dpi"]
    shown = min(TEXT_COLUMN_PX[where], width_in * dpi)
    return shown / (72 * width_in)


def min_legible_pt(width_in=None, dpi=None):
    return max(MIN_TEXT_PX[w] / _px_per_pt(w, width_in, dpi) for w in TEXT_COLUMN_PX)


def test_book_style_text_is_legible_on_the_page_and_on_a_phone():
    floor = min_legible_pt()
    assert 10 < floor < 12                 # the arithmetic above: 10.6 pt for 7-in figures
    for key in ("font.size", "axes.labelsize", "axes.titlesize", "xtick.labelsize",
                "ytick.labelsize", "legend.fontsize", "legend.title_fontsize"):
        assert plotting.STYLE[key] >= floor, \
            f"{key} = {plotting.STYLE[key]} pt renders below {MIN_TEXT_PX} CSS px (floor {floor:.1f} pt)"
    assert plotting.STYLE["lines.linewidth"] * _px_per_pt("phone") >= MIN_LINE_PX_PHONE


def test_no_figure_text_is_set_below_the_legible_size():
    """Chapters, diagrams and explorers must not shrink text below the floor with a
    literal size (``legend(fontsize=8)``, ``ax.text(..., fontsize=8)``,
    ``title_fontsize=8``, ``prop={"size": 8}``). Explorer frames are shown at their own
    ``dpi`` (80: a 7-in frame is 560 CSS px wide), so their floor is computed for it."""
    import re
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    floors = {"chapter": min_legible_pt(),
              "explorer": max(min_legible_pt(e.figsize[0], e.dpi) for e in _explorers())}
    pattern = re.compile(r"""(?:fontsize\s*=\s*|["']size["']\s*:\s*)(\d+(?:\.\d+)?)\b""")
    paths = [(p, "chapter") for p in sorted((root / "chapters").glob("*.md"))]
    paths += [(root / "rnnbook" / name, "chapter")
              for name in ("diagrams.py", "_diagram_parts.py")]
    explorer_files = sorted((root / "rnnbook" / "explorers").glob("*.py"))
    assert len(explorer_files) >= 10
    paths += [(p, "explorer") for p in explorer_files]
    bad = []
    for path, kind in paths:
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for m in pattern.finditer(line):
                if float(m.group(1)) < floors[kind]:
                    bad.append(f"{path.relative_to(root)}:{no}: {line.strip()} "
                               f"(floor {floors[kind]:.1f} pt)")
    assert not bad, "text below the legible size:\n  " + "\n  ".join(bad)


# A figure wider than the default is scaled down further to fit the column, so its
# smallest text shrinks with it: at width w (inches, wider than the column at its
# natural size) 1 pt is column / (72 * w) CSS px. The widest figure whose smallest
# style text still meets MIN_TEXT_PX everywhere is min over columns of
# smallest_pt * column / (72 * min_px) (7.3 in for 11-pt tick labels on the phone).
SMALLEST_STYLE_TEXT = ("xtick.labelsize", "ytick.labelsize", "legend.fontsize",
                       "legend.title_fontsize", "font.size", "axes.labelsize",
                       "axes.titlesize")


def max_legible_width_in(dpi=None):
    """The widest figure (inches) whose smallest style text stays legible when it is
    shrunk to the columns; at its natural size (``dpi`` CSS px per inch, not shrunk)
    the text must already be legible, whatever the width."""
    smallest = min(plotting.STYLE[k] for k in SMALLEST_STYLE_TEXT)
    dpi = dpi or plotting.STYLE["figure.dpi"]
    assert all(smallest * dpi / 72 >= MIN_TEXT_PX[w] for w in TEXT_COLUMN_PX), \
        f"{smallest}-pt text at {dpi} dpi is below {MIN_TEXT_PX} CSS px even unshrunk"
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


# The explorers' frames (rnnbook/explorers) follow the same rules: they are PNGs shown
# at figsize * dpi CSS px (dpi 80: a 7-in frame is 560 px wide), full width on a phone.

def _explorers():
    from rnnbook import explorer as ex
    import rnnbook.explorers  # noqa: F401  (registers every explorer)
    return [ex.REGISTRY[name] for name in sorted(ex.REGISTRY)]


def _explorer_names():
    return [e.name for e in _explorers()]


@functools.lru_cache(maxsize=None)
def _frame(name):
    """The explorer's frame at its default slider position, freshly drawn."""
    from rnnbook import explorer as ex
    return ex.render(ex.REGISTRY[name])


def test_no_explorer_frame_is_too_wide_for_its_text_to_stay_legible_on_a_phone():
    bad = [f"{e.name}: figsize {e.figsize} at {e.dpi} dpi"
           for e in _explorers() if e.figsize[0] > max_legible_width_in(e.dpi)]
    assert len(_explorers()) >= 10
    assert not bad, (f"explorer frames wider than {max_legible_width_in(80):.2f} in (text "
                     f"below {MIN_TEXT_PX['phone']} CSS px on a phone; put panels in rows):"
                     "\n  " + "\n  ".join(bad))


def _drawn_texts(fig):
    """Every visible, non-empty Text of ``fig`` that is drawn (tick labels beyond the
    axis limits exist but are not drawn), and the set of tick labels among them."""
    from matplotlib.text import Text
    hidden, ticks = set(), set()
    for ax in fig.axes:
        to_axes = ax.transScale + ax.transLimits
        for k, axis in enumerate((ax.xaxis, ax.yaxis)):
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                point = [0.5, 0.5]
                point[k] = tick.get_loc()
                inside = -1e-6 <= to_axes.transform([point])[0][k] <= 1 + 1e-6
                for label in (tick.label1, tick.label2):
                    ticks.add(id(label))
                    if not inside:
                        hidden.add(id(label))
    texts = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
             and id(t) not in hidden]
    return texts, ticks


@pytest.mark.parametrize("name", _explorer_names())
def test_explorer_frame_text_is_legible(name):
    """Text actually drawn in the frame (legends, titles, labels, annotations) is at
    least the floor for the frame's width and dpi: a literal size in any form, or a
    size computed at run time, fails here."""
    from rnnbook import explorer as ex
    e = ex.REGISTRY[name]
    floor = min_legible_pt(e.figsize[0], e.dpi)
    fig, _ = _frame(name)
    texts, _ = _drawn_texts(fig)
    assert len(texts) >= 5, f"{name}: the frame has almost no text; is it drawn?"
    small = sorted({(t.get_fontsize(), t.get_text()[:40]) for t in texts
                    if t.get_fontsize() < floor})
    assert not small, f"{name}: text below {floor:.1f} pt: {small}"


@pytest.mark.parametrize("name", _explorer_names())
def test_explorer_frame_text_stays_off_the_data_and_inside_the_frame(name):
    """No legend, title or annotation covers an axes (the data area), no text is cut
    off at the frame's edge, and titles, axis labels and legends do not overlap."""
    from matplotlib.legend import Legend
    fig, _ = _frame(name)
    renderer = fig.canvas.get_renderer()
    texts, ticks = _drawn_texts(fig)
    legends = [leg for leg in fig.findobj(Legend) if leg.get_visible()]
    in_legend = {id(t) for leg in legends for t in leg.get_texts() + [leg.get_title()]}
    frame = fig.bbox
    boxes = []
    for t in texts:
        box = t.get_window_extent(renderer)
        assert (box.x0 >= frame.x0 - 1 and box.x1 <= frame.x1 + 1 and
                box.y0 >= frame.y0 - 1 and box.y1 <= frame.y1 + 1), \
            f"{name}: {t.get_text()[:40]!r} is cut off at the frame's edge"
        if id(t) not in ticks and id(t) not in in_legend:
            boxes.append((repr(t.get_text()[:40]), box))
    boxes += [("a legend", leg.get_window_extent(renderer)) for leg in legends]

    def overlap(a, b):              # more than one pixel of overlap in both directions
        return a.x0 < b.x1 - 1 and a.x1 > b.x0 + 1 and a.y0 < b.y1 - 1 and a.y1 > b.y0 + 1

    data_areas = [ax.bbox for ax in fig.axes if ax.get_visible() and ax.axison]
    for label, box in boxes:
        assert not any(overlap(box, area) for area in data_areas), \
            f"{name}: {label} covers the data area of an axes"
    for i, (la, a) in enumerate(boxes):
        for lb, b in boxes[i + 1:]:
            assert not overlap(a, b), f"{name}: {la} overlaps {lb}"
