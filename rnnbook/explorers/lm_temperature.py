"""Explorer "lm_temperature": the next-character distribution of a trained model.

Sliders: the text read so far (a few prefixes of the grammar corpus chosen to show
spelling, agreement across a relative clause, and punctuation) and the sampling
temperature. The figure shows softmax(o / temperature) over the 12 characters most
likely at temperature 1, its entropy in bits, and a continuation sampled at that
temperature (seeded).

The model is a small vanilla RNN (H = 64) trained once, lazily, on 30,000 characters
of :func:`rnnbook.corpus.grammar_corpus` (300 Adam steps, about a second); every
later frame only runs the network over the prefix.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..corpus import grammar_corpus
from ..explorer import Explorer, Slider, register
from ..lm import lm_init, lm_next_probs, lm_sample, train_lm
from ..optim import Adam
from ..text import Vocabulary

PREFIXES = ("The qu", "The foxes that the king sees ", "The fox that the kings see ",
            "A farmer says, \"The", "Do the children help a king")
TEMPERATURES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
TOP = 12


@lru_cache(maxsize=1)
def trained_model():
    """(params, vocab) of the explorer's RNN language model, trained once."""
    text = grammar_corpus(30_000, seed=0)
    vocab = Vocabulary(text)
    params = lm_init("rnn", vocab.V, 64, np.random.default_rng(0))
    train_lm(params, "rnn", vocab.encode(text), N=32, T=25, steps=300,
             optimizer=Adam(lr=5e-3), clip=5.0, progress=False)
    return params, vocab


def _show(ch):
    return {" ": "␣", "\n": "\\n"}.get(ch, ch)


@lru_cache(maxsize=None)
def _base(prefix):
    params, vocab = trained_model()
    logits_p = lm_next_probs(params, "rnn", vocab.encode(prefix))
    order = np.argsort(-logits_p, kind="stable")[:TOP]
    return order


def compute(prefix, temperature):
    params, vocab = trained_model()
    order = _base(prefix)
    p = lm_next_probs(params, "rnn", vocab.encode(prefix), temperature)
    entropy = float(-(p * np.log2(np.maximum(p, 1e-300))).sum())
    cont = vocab.decode(lm_sample(params, "rnn", vocab.encode(prefix), 40, temperature,
                                  np.random.default_rng(0)))
    return dict(labels=[_show(vocab.tokens[i]) for i in order], p=p[order],
                rest=float(1.0 - p[order].sum()), entropy=entropy,
                text=(prefix + cont).replace("\n", "\\n"), temperature=temperature)


def draw(fig, data):
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(TOP)
    bars = ax.bar(x, data["p"], color="tab:blue")
    ax.set_xticks(x)
    ax.set_ylim(0, 1)
    ax.set_xlabel("next character (12 most likely at temperature 1; ␣ = space)")
    ax.set_ylabel("probability")
    info = ax.text(0.98, 0.95, "", transform=ax.transAxes, ha="right", va="top")
    sample = ax.text(0.0, -0.32, "", transform=ax.transAxes, ha="left", va="top",
                     family="monospace", fontsize=9)
    return dict(ax=ax, bars=bars, info=info, sample=sample)


def update(handles, data):
    for bar, h in zip(handles["bars"], data["p"]):
        bar.set_height(h)
    handles["ax"].set_xticklabels(data["labels"], family="monospace")
    handles["info"].set_text(f"temperature {data['temperature']:g}\n"
                             f"entropy {data['entropy']:.2f} bits\n"
                             f"other characters: {data['rest']:.3f}")
    handles["ax"].set_title("softmax(o / temperature) after the prefix")
    handles["sample"].set_text("sample: " + data["text"][-75:])


register(Explorer(
    name="lm_temperature",
    title="Next-character distribution of a trained RNN vs sampling temperature",
    sliders=(Slider("prefix", PREFIXES, PREFIXES[1], "text so far"),
             Slider("temperature", TEMPERATURES, 1.0, "temperature")),
    compute=compute, draw=draw, update=update, figsize=(8.0, 3.6)))
