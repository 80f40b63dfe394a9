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
