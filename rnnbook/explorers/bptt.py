"""Chapter 4 explorer: the norms ||delta_k|| of the BPTT error signal, walking back
from a loss at the last step, for each activation and a scale of W_hh.

delta_k = dL/da_k obeys delta_k = delta_{k+1} W_hh^T diag f'(a_k); the plot shows how
that product of Jacobians shrinks or grows with the distance t - k, and how much of
dW_hh each step contributes (||h_{k-1}^T delta_k||). The deltas come from the package's
:func:`rnnbook.rnn.rnn_backward` (see :func:`deltas`).
"""
from functools import lru_cache

import numpy as np

from ..explorer import Explorer, Slider, overflow_note, register
from ..rnn import rnn_backward, rnn_forward

T, N, D, H = 40, 8, 4, 32
LIMIT = 1e12             # values above are drawn at the limit and labelled


@lru_cache(maxsize=1)
def _base():
    rng = np.random.default_rng(4)
    W = rng.standard_normal((H, H)) / np.sqrt(H)
    W /= np.max(np.abs(np.linalg.eigvals(W)))            # spectral radius 1
    return (rng.standard_normal((N, T, D)), rng.standard_normal((D, H)) / np.sqrt(D), W,
            rng.standard_normal((N, H)))


def deltas(x, h0, W_xh, W_hh, activation, dL):
    """delta_k = dL/da_k (N, T, H) for a loss whose gradient dL/dh_{T-1} = dL, computed by
    the package's :func:`rnn_backward`: an extra identity input block (fed zeros) leaves
    the forward pass unchanged and makes dx of that block equal to delta."""
    N, T, D = x.shape
    H = W_hh.shape[0]
    x_aug = np.concatenate([x, np.zeros((N, T, H))], axis=2)
    W_aug = np.concatenate([W_xh, np.eye(H)], axis=0)
    h, cache = rnn_forward(x_aug, h0, W_aug, W_hh, np.zeros(H), activation)
    dh = np.zeros_like(h)
    dh[:, -1] = dL
    dx = rnn_backward(dh, cache)[0]
    return h, dx[:, :, D:]


@lru_cache(maxsize=None)
def compute(activation, scale):
    """Delta norms and per-step dW_hh contributions for one slider position."""
    x, W_xh, W, dL = _base()
    h0 = 0.5 * dL                                                 # any non-zero start
    with np.errstate(all="ignore"):
        h, delta = deltas(x, h0, W_xh, scale * W, activation, dL)
        h_prev = np.concatenate([h0[:, None], h[:, :-1]], axis=1)
        norms = np.sqrt(np.sum(delta ** 2, axis=(0, 2)))
        contrib = np.array([np.linalg.norm(h_prev[:, k].T @ delta[:, k]) for k in range(T)])
    back = np.arange(T)[::-1]                                  # t - k for k = 0..T-1
    return {"back": back, "norms": norms, "contrib": contrib, "activation": activation,
            "scale": scale, "note": overflow_note(norms, contrib, limit=LIMIT)}


def _safe(v):
    """log10 of v, with inf/NaN drawn at the limit and zeros at the floor."""
    v = np.where(np.isfinite(v), v, LIMIT)
    return np.log10(np.clip(v, 1e-30, LIMIT))


def draw(fig, data):
    ax1, ax2 = fig.subplots(1, 2)
    (l1,) = ax1.plot(data["back"], _safe(data["norms"]), "o-", ms=3, color="C0")
    ax1.set(xlabel=r"steps back from the loss, $t - k$", ylabel=r"$\log_{10}\|\delta_k\|$",
            title="error signal", ylim=(-30, 13))
    (l2,) = ax2.plot(data["back"], _safe(data["contrib"]), "s-", ms=3, color="C1")
    ax2.set(xlabel=r"steps back from the loss, $t - k$",
            ylabel=r"$\log_{10}\|h_{k-1}^\top \delta_k\|$",
            title=r"step $k$'s share of $dW_{hh}$", ylim=(-30, 13))
    for ax in (ax1, ax2):
        ax.set_yticks([-30, -20, -10, 0, 10])
        ax.set_xticks([0, 10, 20, 30])
    # The numbers: two lines above the panels, off the data (always two lines of text,
    # never a blank one, so that the layout found for the first frame fits every frame).
    text = fig.suptitle(" \n ", fontsize=12)
    return {"l1": l1, "l2": l2, "text": text, "animated": [l1, l2, text]}


def update(handles, data):
    handles["l1"].set_ydata(_safe(data["norms"]))
    handles["l2"].set_ydata(_safe(data["contrib"]))
    n = data["norms"]
    ratio = n[0] / n[-1] if n[-1] > 0 and np.isfinite(n[0]) else np.inf
    handles["text"].set_text(
        rf"f = {data['activation']}, $W_{{hh}}$ = {data['scale']:g} $W_0$ ($\rho(W_0)$ = 1): "
        rf"$\|\delta_0\| / \|\delta_{{39}}\|$ = {ratio:.1e}" + "\n"
        + (data["note"] or f"loss at the last of T = {T} steps, H = {H}"))
    handles["text"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="bptt_delta_norms",
    title="BPTT: how the error signal delta_k shrinks or grows going back in time",
    sliders=(Slider("activation", ("tanh", "sigmoid", "relu", "identity"), "tanh",
                    "activation f"),
             Slider("scale", (0.5, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0), 1.0,
                    "spectral radius of W_hh")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 3.9)))
