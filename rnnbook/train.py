"""A small training loop shared by every chapter.

    history = train(params, loss_and_grads, Adam(lr=1e-2), steps=500, clip=5.0)

``loss_and_grads(params, step)`` returns ``(loss, grads)`` with ``grads`` a dict of
the keys of ``params``; the loop optionally clips the gradients by their global norm
(:func:`rnnbook.optim.clip_by_global_norm`), lets the optimiser update ``params`` in
place, and records the loss and the global gradient norm (before clipping) of every
step. In a Jupyter kernel a progress bar is shown (an ipywidgets bar); ``progress=False``
silences it, as chapters do in cells whose printed output is compared with a reference.
"""
from __future__ import annotations

import os
import sys

import numpy as np

from ._validation import check_finite_scalar, check_positive_int
from .optim import clip_by_global_norm, global_norm

__all__ = ["train"]


class _Progress:
    """A progress bar: ipywidgets in a Jupyter kernel, a text line on a terminal."""

    def __init__(self, steps, desc, enabled):
        self.steps, self.desc, self.bar, self.text = steps, desc, None, None
        self.every = max(1, steps // 50)
        self.tty = self.static = False
        if not enabled:
            return
        if os.environ.get("RNNBOOK_EXPLORER") == "static":
            # the static book: a live widget would be dead on the page; print a summary
            self.static = True
            return
        try:
            from IPython import get_ipython
            ip = get_ipython()
            if ip is not None and "IPKernelApp" in ip.config:
                import ipywidgets as widgets
                from IPython.display import display
                self.bar = widgets.IntProgress(min=0, max=steps, description=desc[:20])
                self.text = widgets.Label()
                display(widgets.HBox([self.bar, self.text]))
                return
        except ImportError:
            pass
        self.tty = sys.stderr.isatty()

    def update(self, step, loss):
        done = step + 1
        if done % self.every and done != self.steps:
            return
        if self.static:
            if done == self.steps:
                print(f"{self.desc or 'training'}: {done}/{self.steps} steps, loss {loss:.4g}")
        elif self.bar is not None:
            self.bar.value = done
            self.text.value = f"{done}/{self.steps}  loss {loss:.4g}"
        elif self.tty:
            width = 30
            filled = int(width * done / self.steps)
            sys.stderr.write(f"\r{self.desc} [{'#' * filled}{'.' * (width - filled)}] "
                             f"{done}/{self.steps} loss {loss:.4g}")
            if done == self.steps:
                sys.stderr.write("\n")
            sys.stderr.flush()


def train(params, loss_and_grads, optimizer, steps, clip=None, progress=True, desc=""):
    """Minimise a loss by ``steps`` optimiser steps.

    Parameters
    ----------
    params : dict of str -> ndarray
        Updated in place.
    loss_and_grads : callable
        ``loss_and_grads(params, step) -> (loss, grads)``; ``grads`` has the keys and
        shapes of ``params``. ``step`` (0, 1, ...) lets it draw a fresh batch.
    optimizer : object with ``.step(params, grads)``
        :class:`rnnbook.optim.SGD` (with or without momentum), ``Adam``, ``Adagrad``.
    steps : int
        Number of updates.
    clip : float or None
        Maximum global gradient norm (gradients are rescaled together above it).
    progress : bool
        Show a progress bar (in notebooks); False silences it.
    desc : str
        Label of the progress bar.

    Returns
    -------
    dict
        ``loss`` (steps,) ndarray, ``grad_norm`` (steps,) ndarray (global norm before
        clipping), ``clipped`` (steps,) bool ndarray. If the loss or a gradient becomes
        NaN or infinite, training stops there and the remaining entries are NaN.
    """
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params is {type(params).__name__}; expected a non-empty dict "
                         "of named arrays")
    if not callable(loss_and_grads):
        raise ValueError("loss_and_grads is not callable; expected a function "
                         "(params, step) -> (loss, grads)")
    if not hasattr(optimizer, "step"):
        raise ValueError(f"optimizer is {type(optimizer).__name__}; expected an object "
                         "with a .step(params, grads) method (rnnbook.optim)")
    for k, v in params.items():
        a = np.asarray(v)
        if a.dtype.kind != "f" or not np.all(np.isfinite(a)):
            raise ValueError(f"params[{k!r}] has dtype {a.dtype} or non-finite values; "
                             "expected a finite floating array")
    steps = check_positive_int("steps", steps)
    if clip is not None:
        clip = check_finite_scalar("clip", clip, low=0.0)
    losses = np.full(steps, np.nan)
    norms = np.full(steps, np.nan)
    clipped = np.zeros(steps, dtype=bool)
    bar = _Progress(steps, desc, progress)
    for step in range(steps):
        out = loss_and_grads(params, step)
        if not (isinstance(out, tuple) and len(out) == 2 and isinstance(out[1], dict)):
            raise ValueError(f"loss_and_grads returned {type(out).__name__}; expected a "
                             "tuple (loss, grads) with grads a dict")
        loss, grads = float(out[0]), out[1]
        if not (np.isfinite(loss) and all(np.all(np.isfinite(g)) for g in grads.values())):
            break                                   # diverged: the rest stays NaN
        norm = global_norm(grads)
        if not np.isfinite(norm):                   # finite entries, norm above 1e308
            break
        losses[step], norms[step] = loss, norm
        if clip is not None and norm > clip:
            grads, _ = clip_by_global_norm(grads, clip)
            clipped[step] = True
        optimizer.step(params, grads)
        bar.update(step, loss)
    return {"loss": losses, "grad_norm": norms, "clipped": clipped}
