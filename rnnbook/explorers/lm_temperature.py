"""Explorer "lm_temperature": the next-character distribution of a trained model.

Sliders: the text read so far (a few prefixes in the layout of the Shakespeare corpus,
chosen to show spelling, a speaker heading, the line after a heading, and a stage
direction) and the sampling temperature. The figure shows softmax(o / temperature)
over the 12 characters most likely at temperature 1, its entropy in bits, and a
continuation sampled at that temperature (seeded).

The model is a vanilla RNN (H = 128) trained on the training plays of
:func:`rnnbook.shakespeare.shakespeare_split` and shipped as recorded package data
(``python -m rnnbook.experiments.lm_temperature_model --record`` trains it and
records its weights, alphabet, training budget and validation bits per character);
the explorer only loads it, once, and every frame runs the network over the prefix.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..experiments.lm_temperature_model import load_model
from ..explorer import Explorer, Slider, register
from ..lm import lm_next_probs, lm_sample
from ..text import Vocabulary

PREFIXES = ("Good morrow, my l", "I think we are too bold upon your ",
            r"\n\nCAS", r"\n\nBRUTUS.\n", "[Enter Cassius, Casca, and")
TEMPERATURES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
TOP = 12


@lru_cache(maxsize=1)
def trained_model():
    """(params, vocab) of the explorer's RNN language model, loaded once."""
    params, tokens, _ = load_model(np.float64)
    return params, Vocabulary(tokens)


def _show(ch):
    return {" ": "␣", "\n": "\\n"}.get(ch, ch)


def _text(prefix):
    """The characters a prefix stands for: the slider shows a newline as ``\\n``."""
    return prefix.replace("\\n", "\n")


@lru_cache(maxsize=None)
def _base(prefix):
    params, vocab = trained_model()
    logits_p = lm_next_probs(params, "rnn", vocab.encode(_text(prefix)))
    order = np.argsort(-logits_p, kind="stable")[:TOP]
    return order


def compute(prefix, temperature):
    """Top-12 distribution, entropy and a sampled continuation after ``prefix``
    (a slider value, newlines written ``\\n``) at ``temperature``."""
    params, vocab = trained_model()
    order = _base(prefix)
    ids = vocab.encode(_text(prefix))
    p = lm_next_probs(params, "rnn", ids, temperature)
    entropy = float(-(p * np.log2(np.maximum(p, 1e-300))).sum())
    cont = vocab.decode(lm_sample(params, "rnn", ids, 40, temperature,
                                  np.random.default_rng(0)))
    return dict(labels=[_show(vocab.tokens[i]) for i in order], p=p[order],
                rest=float(1.0 - p[order].sum()), entropy=entropy, prefix=prefix,
                sample=cont.replace("\n", "\\n"), temperature=temperature)


def draw(fig, data):
    ax = fig.add_subplot(1, 1, 1)
    x = np.arange(TOP)
    bars = ax.bar(x, data["p"], color="C0")
    ax.set_xticks(x)
    ax.set_ylim(0, 1)
    ax.set_xlabel("next character (the 12 most likely at temperature 1; ␣ = space)")
    ax.set_ylabel("probability")
    # The text read and the sampled continuation, below the axes (two lines, at most
    # 62 characters each, so that every frame fits the layout found for the first).
    sample = fig.supxlabel(" \n ", x=0.02, ha="left", family="monospace", fontsize=12)
    title = ax.set_title(" \n ")
    # Blitting: a new temperature redraws only the bars and the two texts; a new prefix
    # (new characters on the axis) redraws everything.
    return dict(ax=ax, bars=bars, sample=sample, title=title, labels=None,
                animated=[*bars, title, sample])


def update(handles, data):
    for bar, h in zip(handles["bars"], data["p"]):
        bar.set_height(h)
    new_labels = data["labels"] != handles["labels"]
    if new_labels:
        handles["ax"].set_xticklabels(data["labels"], family="monospace")
        handles["labels"] = data["labels"]
    # The numbers sit in the title, above the axes, so they never cover a bar.
    handles["title"].set_text(f"softmax(o / temperature) at temperature "
                              f"{data['temperature']:g}\nentropy {data['entropy']:.2f} bits; "
                              f"characters not shown: {data['rest']:.3f}")
    handles["sample"].set_text(f"read:    {data['prefix'][-53:]}\n"
                               f"sampled: {data['sample'][:53]}")
    return "redraw" if new_labels else None


register(Explorer(
    name="lm_temperature",
    title="Next-character distribution of a trained RNN vs sampling temperature",
    sliders=(Slider("prefix", PREFIXES, PREFIXES[1], "text so far"),
             Slider("temperature", TEMPERATURES, 1.0, "temperature")),
    compute=compute, draw=draw, update=update, figsize=(7.0, 4.4)))
