"""Chapter 5 explorer: what truncating BPTT at depth tau keeps of the gradient.

Delayed recall with lag L = 12 (a cue at step 0, the recall and the only loss term at
step 12), a random tanh network whose W_hh is an orthogonal matrix times rho. Left: the
size of the gradient that reaches step s, ||delta_s|| = ||dL/da_s|| (every parameter
gradient is a sum over s of (input of step s)^T delta_s), against the distance 12 - s
from the loss; truncation at tau keeps the tau nearest steps (coloured) and drops the
rest (grey). Right: cosine similarity and relative error of the truncated gradient of
(W_xh, W_hh, b_h) against the full one, for every tau, the current tau marked. The cue
(12 steps back) is inside the window only for tau >= 13. Every gradient comes from the
package's :func:`rnnbook.rnn.rnn_backward`, the truncated ones with ``truncate=tau``.
"""
from functools import lru_cache

import numpy as np

from ..dynamics import scaled_orthogonal
from ..explorer import Explorer, Slider, overflow_note, register
from ..losses import cross_entropy
from ..rnn import rnn_backward, rnn_forward
from .bptt import deltas
from ..tasks import delayed_recall

LAG, N, H, S = 12, 64, 32, 4
T = LAG + 1
TAUS = tuple(range(1, T + 1))
FLOOR, LIMIT = -12.0, 1e6


@lru_cache(maxsize=None)
def _per_rho(rho):
    """Per-step delta norms of one random network and the bias curves of its truncated
    gradient, all from the package's :func:`rnn_backward` (``truncate=tau``)."""
    rng = np.random.default_rng(5)
    x, y = delayed_recall(N, LAG, rng, n_symbols=S)
    D = x.shape[2]
    W_xh = rng.standard_normal((D, H)) / np.sqrt(D)
    W_hh = scaled_orthogonal(H, rho, rng)
    W_hq = rng.standard_normal((H, S)) / np.sqrt(H)
    h0 = np.zeros((N, H))
    with np.errstate(all="ignore"):
        h, cache = rnn_forward(x, h0, W_xh, W_hh, np.zeros(H))
        _, do = cross_entropy(h[:, -1] @ W_hq, y)                         # dL/do_{T-1}
        dL = do @ W_hq.T                                                  # dL/dh_{T-1}
        _, delta = deltas(x, h0, W_xh, W_hh, "tanh", dL)
        dnorm = np.linalg.norm(delta, axis=(0, 2))                        # (T,)
        dh = np.zeros_like(h)
        dh[:, -1] = dL

        def flat(truncate):
            g = rnn_backward(dh, cache, truncate=truncate)[2:]
            return np.concatenate([a.ravel() for a in g])
        full = flat(None)
        cos, rel = [], []
        for tau in TAUS:
            g = flat(tau)
            cos.append(float(g @ full / max(np.linalg.norm(g) * np.linalg.norm(full), 1e-300)))
            rel.append(float(np.linalg.norm(g - full) / max(np.linalg.norm(full), 1e-300)))
    return dnorm[::-1].copy(), np.array(cos), np.array(rel)


def compute(tau, rho):
    """Data of one slider position: per-step norms, the bias curves, the current point."""
    norms, cos, rel = _per_rho(rho)
    back = np.arange(T)                      # steps back from the loss
    return {"back": back, "log_norms": np.log10(np.clip(norms, 10 ** FLOOR, LIMIT)),
            "kept": back < tau, "cos": cos, "rel": rel, "tau": tau, "rho": rho,
            "note": overflow_note(norms, limit=LIMIT)}


def draw(fig, data):
    ax1, ax2 = fig.subplots(1, 2)
    bars = ax1.bar(data["back"], data["log_norms"] - FLOOR, bottom=FLOOR, width=0.8)
    cut = ax1.axvline(data["tau"] - 0.5, color="k", ls="--", lw=1)
    ax1.set(xlabel=r"steps back from the loss, $12 - s$", ylabel=r"$\log_{10}\|\delta_s\|$",
            ylim=(FLOOR, 4), xlim=(-0.7, T - 0.3),
            xticks=[0, 2, 4, 6, 8, 10, 12], xticklabels=["0", "2", "4", "6", "8", "10", "12\ncue"],
            yticks=[-12, -9, -6, -3, 0])
    taus = np.array(TAUS)
    (l_cos,) = ax2.plot(taus, data["cos"], "o-", ms=3, label="cosine similarity")
    (l_rel,) = ax2.plot(taus, data["rel"], "s-", ms=3, label="relative error")
    (m_cos,) = ax2.plot([data["tau"]], [data["cos"][data["tau"] - 1]], "o", ms=9, mfc="none",
                        color="C0")
    (m_rel,) = ax2.plot([data["tau"]], [data["rel"][data["tau"] - 1]], "s", ms=9, mfc="none",
                        color="C1")
    ax2.axvline(LAG + 1, color="gray", ls=":", lw=1)
    ax2.set(xlabel=r"truncation depth $\tau$ (steps)", ylabel="truncated vs full gradient",
            title="bias of the truncated gradient", ylim=(-0.05, 1.05), xticks=[1, 3, 5, 8, 10, 13])
    fig.legend(handles=[l_cos, l_rel], ncol=2, loc="outside lower center", frameon=False)
    # The numbers of the current position: two lines above both panels, never over data;
    # the left title turns into the warning (red) when the norms overflow.
    text = fig.suptitle(" \n ", fontsize=12)
    warn = ax1.set_title(" ")
    handles = {"bars": bars, "cut": cut, "l_cos": l_cos, "l_rel": l_rel, "m_cos": m_cos,
               "m_rel": m_rel, "text": text, "warn": warn}
    handles["animated"] = list(bars) + [cut, l_cos, l_rel, m_cos, m_rel, text, warn]
    return handles


def update(handles, data):
    for rect, v, kept in zip(handles["bars"], data["log_norms"], data["kept"]):
        rect.set_height(v - FLOOR)
        rect.set_color("C2" if kept else "0.75")
    handles["cut"].set_xdata([data["tau"] - 0.5] * 2)
    handles["l_cos"].set_ydata(data["cos"])
    handles["l_rel"].set_ydata(data["rel"])
    i = data["tau"] - 1
    handles["m_cos"].set_data([data["tau"]], [data["cos"][i]])
    handles["m_rel"].set_data([data["tau"]], [data["rel"][i]])
    handles["text"].set_text(
        rf"$\rho$ = {data['rho']:g}, $\tau$ = {data['tau']}: cosine similarity "
        f"{data['cos'][i]:.2f}, relative error {data['rel'][i]:.2f}\n"
        + (r"the cue is out of reach ($\tau$ < 13)" if data["tau"] <= LAG else
           "the cue is inside the window"))
    handles["warn"].set_text(data["note"] or r"gradient reaching step $s$")
    handles["warn"].set_color("red" if data["note"] else "black")


register(Explorer(
    name="truncation_depth",
    title="Truncated BPTT: which steps a depth-tau truncation keeps, and the bias it leaves",
    sliders=(Slider("tau", (1, 2, 3, 4, 5, 6, 8, 10, 12, 13), 5, "truncation depth tau"),
             Slider("rho", (0.5, 0.8, 1.0, 1.2, 1.5), 1.0, "spectral radius of W_hh")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.4)))
