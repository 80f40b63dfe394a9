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
