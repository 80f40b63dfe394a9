"""rnnbook.diagrams: every diagram draws, uses the book's notation and stays in its axes."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from rnnbook import diagrams  # noqa: E402

DRAWERS = {
    "folded_unfolded": diagrams.draw_folded_unfolded,
    "bptt_graph": diagrams.draw_bptt_graph,
    "worked_example": diagrams.draw_worked_example,
    "lstm_cell": diagrams.draw_lstm_cell,
    "gru_cell": diagrams.draw_gru_cell,
}


def _texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.mark.parametrize("name", sorted(DRAWERS))
def test_diagram_draws_inside_its_axes(name):
    fig, ax = diagrams.figure()
    assert DRAWERS[name](ax) is ax
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    for text in ax.texts:
        ext = text.get_window_extent(renderer)
        assert ext.x0 >= box.x0 - 2 and ext.x1 <= box.x1 + 2, f"{text.get_text()!r} leaves the axes"
        assert ext.y0 >= box.y0 - 2 and ext.y1 <= box.y1 + 2, f"{text.get_text()!r} leaves the axes"
    plt.close(fig)


def test_notation_of_the_diagrams():
    fig, axes = plt.subplots(1, 4)
    diagrams.draw_bptt_graph(axes[0], T=2)
    diagrams.draw_lstm_cell(axes[1])
    diagrams.draw_gru_cell(axes[2])
    diagrams.draw_unrolled(axes[3], 3, "hidden")
    bptt, lstm, gru, unrolled = (" ".join(_texts(ax)) for ax in axes)
    assert r"\partial L/\partial h_{-1}" in bptt and "h_{-1}" in bptt
    assert r"\delta_{0}" in bptt and "W_{hq}" in bptt
    assert r"\omega_t" in lstm and "o_t" not in lstm          # o_t is reserved for the logits
    assert "r_t" in gru and "z_t" in gru and "n_t" in gru
    assert "o_{0}" in unrolled or "o_0" in unrolled
    assert "W_{hy}" not in " ".join([bptt, lstm, gru, unrolled])
    plt.close(fig)


def test_worked_example_shows_every_weight():
    from rnnbook.worked_example import WORKED_WEIGHTS
    fig, ax = plt.subplots()
    diagrams.draw_worked_example(ax)
    labels = _texts(ax)
    for w in WORKED_WEIGHTS.values():
        assert f"{w:g}" in labels
    plt.close(fig)


def test_bad_arguments_raise():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="T"):
        diagrams.draw_bptt_graph(ax, T=0)
    with pytest.raises(ValueError, match="T"):
        diagrams.draw_folded_unfolded(ax, T=-1)
    plt.close(fig)


# Each diagram at the size its chapter draws it (aspect "equal": the size sets the scale).
AS_PRINTED = {
    "worked_example": ((7, 3.2), lambda ax: diagrams.draw_worked_example(ax)),
    "folded_unfolded": ((7, 2.9), lambda ax: diagrams.draw_folded_unfolded(ax, T=3)),
    "unrolled_hidden": ((6.5, 2.4), lambda ax: diagrams.draw_unrolled(ax, 4, "hidden")),
    "unrolled_output": ((6.5, 2.4), lambda ax: diagrams.draw_unrolled(ax, 4, "output")),
    "unrolled_last": ((6.5, 2.4), lambda ax: diagrams.draw_unrolled(ax, 4, "last")),
    "elman": ((6.5, 3.3), lambda ax: diagrams.draw_context_network(ax, "elman")),
    "jordan": ((6.5, 3.3), lambda ax: diagrams.draw_context_network(ax, "jordan")),
    "bptt_graph": ((7, 4.6), lambda ax: diagrams.draw_bptt_graph(ax, T=3)),
    "lstm_cell": ((7, 4), lambda ax: diagrams.draw_lstm_cell(ax)),
    "gru_cell": ((7, 3.8), lambda ax: diagrams.draw_gru_cell(ax)),
}


@pytest.mark.parametrize("name", sorted(AS_PRINTED))
def test_labels_keep_clear_of_boxes_arrows_and_each_other(name):
    """No label touches a box's outline (it is inside its box with a margin, or clear
    of it), another label, an arrow (a weight label on a white patch may sit on its own
    edge) or a line it is not inside a box with; no arrowhead covers a box's symbol."""
    import numpy as np
    from matplotlib.patches import Circle, FancyBboxPatch
    from matplotlib.text import Annotation
    from rnnbook.plotting import book_style
    size, draw = AS_PRINTED[name]
    with book_style():
        fig, ax = plt.subplots(figsize=size)            # 100 dpi: 1 px = 1 CSS px
        draw(ax)
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    pad = 1.5                                      # px of clearance

    def touch(a, b):
        return a.x0 - pad < b.x1 and a.x1 + pad > b.x0 and a.y0 - pad < b.y1 and a.y1 + pad > b.y0

    def within(outer, inner):
        return (outer.x0 + pad <= inner.x0 and inner.x1 <= outer.x1 - pad and
                outer.y0 + pad <= inner.y0 and inner.y1 <= outer.y1 - pad)

    def points(artist, path):
        pts = []
        for poly in path.transformed(artist.get_transform()).to_polygons(closed_only=False):
            for a, b in zip(poly[:-1], poly[1:]):
                pts += [a + s * (b - a) for s in np.linspace(0, 1, 30)]
        return np.array(pts).reshape(-1, 2)

    def hits(pts, box):
        return bool(np.any((pts[:, 0] > box.x0 - pad) & (pts[:, 0] < box.x1 + pad) &
                           (pts[:, 1] > box.y0 - pad) & (pts[:, 1] < box.y1 + pad)))

    labels = [t for t in ax.texts if t.get_text().strip()]
    boxes = [p.get_window_extent(renderer) for p in ax.patches
             if isinstance(p, (FancyBboxPatch, Circle))]
    arrows = [(a, points(a.arrow_patch, a.arrow_patch.get_path())) for a in ax.texts
              if isinstance(a, Annotation) and a.arrow_patch is not None]
    lines = [points(line, line.get_path()) for line in ax.lines]
    problems = []
    for k, t in enumerate(labels):
        e, text = t.get_window_extent(renderer), t.get_text()
        inside = [b for b in boxes if within(b, e)]
        problems += [f"{text!r} touches a box outline" for b in boxes
                     if touch(e, b) and not within(b, e)]
        crossed = sum(hits(pts, e) for a, pts in arrows if a is not t)   # not its own
        if crossed > (1 if t.get_bbox_patch() is not None else 0):
            problems.append(f"{text!r} is crossed by {crossed} arrow(s)")
        if not inside and any(hits(pts, e) for pts in lines):
            problems.append(f"{text!r} is crossed by a line")
        problems += [f"{text!r} touches {other.get_text()!r}" for other in labels[k + 1:]
                     if touch(e, other.get_window_extent(renderer))]
    plt.close(fig)
    assert not problems, f"{name}: " + "; ".join(sorted(set(problems)))
