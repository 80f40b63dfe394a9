"""Drawing one explorer frame and encoding it as PNG (both front ends use these).

Frames are drawn with the book's plotting style (:func:`rnnbook.plotting.book_style`) at
:data:`SCALE` times the figure's ``dpi`` and shown at the figure's native CSS width
(``figsize * dpi`` pixels), so they are sharp on screens with device-pixel-ratio 1 and 2.
"""
from __future__ import annotations

import io
import struct
import zlib

import numpy as np

#: frames are rendered at SCALE x the explorer's dpi and shown at 1/SCALE of their size
SCALE = 2


def css_width(explorer):
    """Width in CSS pixels at which the explorer's frames are shown."""
    return int(round(explorer.figsize[0] * explorer.dpi))


def css_height(explorer):
    """Height in CSS pixels at which the explorer's frames are shown."""
    return int(round(explorer.figsize[1] * explorer.dpi))


def _new_figure(explorer):
    # A figure that is not managed by pyplot: no global state, no inline display.
    from matplotlib.figure import Figure
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    fig = Figure(figsize=explorer.figsize, dpi=SCALE * explorer.dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def render(explorer, values=None, state=None):
    """Compute and draw one slider position; returns ``(fig, handles)``.

    With ``state = (fig, handles)`` from an earlier call the same figure is updated
    in place (the live path); otherwise a new figure is created and drawn.

    Blitting: if ``draw`` returns a dict with the key ``"animated"`` (a list of the
    artists that ``update`` changes), the rest of the figure (axes, ticks, labels,
    legends: most of the drawing cost) is rendered once and kept as a background,
    and later steps redraw only those artists. ``update`` returns ``"redraw"`` when
    it changed something else (axis limits, say), which forces a full draw.
    """
    from .plotting import book_style
    values = explorer.check_values(values or {})
    with np.errstate(all="ignore"), book_style():
        data = explorer.compute(**values)
        if state is None:
            fig = _new_figure(explorer)
            handles = explorer.draw(fig, data)
            explorer.update(handles, data)
            fig.canvas.draw()
            # Freeze the layout found for the first frame: later frames only move
            # artists, and re-solving the constrained layout would double the cost.
            fig.set_layout_engine("none")
            full = True
        else:
            fig, handles = state
            full = explorer.update(handles, data) == "redraw"
        _draw(fig, handles, full)
    return fig, handles


def _draw(fig, handles, full):
    animated = handles.get("animated") if isinstance(handles, dict) else None
    if not animated:
        fig.canvas.draw()
    elif full or getattr(fig, "_rnnbook_background", None) is None:
        for artist in animated:
            artist.set_animated(True)
        fig.canvas.draw()                      # everything but the animated artists
        fig._rnnbook_background = fig.canvas.copy_from_bbox(fig.bbox)
        for artist in animated:
            fig.draw_artist(artist)
    else:
        fig.canvas.restore_region(fig._rnnbook_background)
        for artist in animated:
            fig.draw_artist(artist)


def _png_chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def png_rgb(rgb):
    """PNG bytes of an (H, W, 3) uint8 array: no row filters, zlib level 1 (fast)."""
    h, w = rgb.shape[:2]
    raw = np.zeros((h, 1 + 3 * w), np.uint8)          # filter byte 0 (none) per row
    raw[:, 1:].reshape(h, w, 3)[:] = rgb
    return (b"\x89PNG\r\n\x1a\n"
            + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + _png_chunk(b"IDAT", zlib.compress(raw.tobytes(), 1)) + _png_chunk(b"IEND", b""))


def frame_png(fig, compress_level=6, fast=False, palette=False):
    """The canvas as last drawn by :func:`render`, encoded as PNG bytes.

    Encodes the Agg buffer directly instead of calling ``savefig``, which would draw
    the whole figure a second time. ``fast=True`` (the live path) skips PNG's row
    filters and compresses with zlib level 1: about 3 times faster than Pillow's
    encoder on a 2x frame, for files of about the same size. ``palette=True`` (the
    static book, where every frame is in the page) stores 256 colours: half the size.
    """
    rgba = np.asarray(fig.canvas.buffer_rgba())
    if fast:
        return png_rgb(rgba[..., :3])
    from PIL import Image
    buf = io.BytesIO()
    image = Image.fromarray(rgba).convert("RGB")
    if palette:
        image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(buf, format="png", compress_level=compress_level)
    return buf.getvalue()


def label(value):
    """A slider value as shown next to the slider."""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
