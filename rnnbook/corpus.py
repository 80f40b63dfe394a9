"""A text corpus that ships as code: a small probabilistic grammar of English-like prose.

The character-level language model of the book needs text that is on every machine,
with no download and no copyright question. Instead of shipping a book we *generate*
the text from a tiny hand-written grammar, deterministically from a seed::

    text = grammar_corpus(50_000, seed=0)      # same 50,000 characters on every machine

The grammar was written for this book. It has the structure a character model can
learn at several time scales:

* spelling: a few dozen words, each a fixed string of letters;
* capital letters after a full stop, a comma before "and"/"but", a full stop or a
  question mark at the end of a sentence, a blank line between paragraphs;
* **agreement across a gap**: the verb agrees with its subject in number, also when
  a relative clause sits between them ("the foxes that the old king sees *run*"),
  a dependency of 10 to 40 characters;
* quoted speech whose closing quote must match the opening one.

Because the text is generated, its **entropy rate** is known
(:func:`grammar_entropy_rate`): the information of the random choices that produced
it, divided by its length. Each text has exactly one derivation (every choice leaves a
visible trace: a word, a punctuation mark, a number agreement), so this is the
entropy of the text itself, the best bits per character any model can reach.
"""
from __future__ import annotations

import numpy as np

from ._validation import check_positive_int

__all__ = ["grammar_corpus", "grammar_entropy_rate", "NOUNS", "ADJECTIVES", "VERBS_INTRANSITIVE",
           "VERBS_TRANSITIVE"]

#: (singular, plural) noun pairs
NOUNS = (("fox", "foxes"), ("bird", "birds"), ("child", "children"), ("king", "kings"),
         ("sailor", "sailors"), ("miller", "millers"), ("cat", "cats"),
         ("queen", "queens"), ("farmer", "farmers"), ("wolf", "wolves"),
         ("baker", "bakers"), ("horse", "horses"))
PLACES = ("the river", "the old mill", "the market", "the forest", "the harbour",
          "the hill", "the garden", "the bridge")
ADJECTIVES = ("old", "small", "quiet", "red", "clever", "tired", "brave", "grey",
              "happy", "hungry")
ADVERBS = ("slowly", "again", "today", "at night", "in the rain", "all day")
#: (third person singular, plural) verb forms
VERBS_INTRANSITIVE = (("sleeps", "sleep"), ("sings", "sing"), ("runs", "run"),
                      ("waits", "wait"), ("laughs", "laugh"), ("works", "work"))
VERBS_TRANSITIVE = (("sees", "see"), ("follows", "follow"), ("helps", "help"),
                    ("calls", "call"), ("finds", "find"), ("watches", "watch"))
SAY = (("says", "say"), ("asks", "ask"))


class _Grammar:
    """Recursive generator; every choice is drawn from ``rng``."""

    def __init__(self, rng):
        self.rng = rng
        self.bits = 0.0                   # -log2 P(choices made so far)

    def pick(self, seq):
        self.bits += np.log2(len(seq))
        return seq[int(self.rng.integers(len(seq)))]

    def chance(self, p):
        yes = bool(self.rng.random() < p)
        self.bits -= np.log2(p if yes else 1 - p)
        return yes

    def branch(self, *thresholds):
        """Index of the interval of [0, 1) cut at ``thresholds`` that a uniform draw hits."""
        r = self.rng.random()
        cuts = (0.0,) + thresholds + (1.0,)
        i = sum(r >= c for c in thresholds)
        self.bits -= np.log2(cuts[i + 1] - cuts[i])
        return i

    def noun_phrase(self, depth=0):
        """Return (words, plural)."""
        plural = self.chance(0.4)
        words = ["the" if plural or self.chance(0.6) else "a"]
        if self.chance(0.45):
            words.append(self.pick(ADJECTIVES))
        words.append(self.pick(NOUNS)[int(plural)])
        if depth == 0 and self.chance(0.3):               # relative clause: a gap
            if self.chance(0.5):                          # "that sees the cat"
                v = self.pick(VERBS_TRANSITIVE)[int(plural)]
                obj, _ = self.noun_phrase(depth + 1)
                words += ["that", v] + obj
            else:                                         # "that the cat sees"
                subj, p2 = self.noun_phrase(depth + 1)
                words += ["that"] + subj + [self.pick(VERBS_TRANSITIVE)[int(p2)]]
        return words, plural

    def verb_phrase(self, plural):
        if self.branch(0.45) == 0:
            words = [self.pick(VERBS_INTRANSITIVE)[int(plural)]]
            if self.chance(0.4):
                words.append(self.pick(ADVERBS))
            elif self.chance(0.4):
                words += ["near", self.pick(PLACES)]
        else:
            obj, _ = self.noun_phrase(depth=1)
            words = [self.pick(VERBS_TRANSITIVE)[int(plural)]] + obj
        return words

    def clause(self):
        subj, plural = self.noun_phrase()
        return subj + self.verb_phrase(plural)

    def sentence(self):
        r = self.branch(0.12, 0.24)
        if r == 0:                                        # a question
            subj, plural = self.noun_phrase(depth=1)
            v = self.pick(VERBS_TRANSITIVE)[1]
            obj, _ = self.noun_phrase(depth=1)
            text = " ".join(["do" if plural else "does"] + subj + [v] + obj) + "?"
        elif r == 1:                                      # quoted speech
            subj, plural = self.noun_phrase(depth=1)
            said = self.pick(SAY)[int(plural)]
            inner = " ".join(self.clause())
            text = " ".join(subj + [said]) + ', "' + inner.capitalize() + '."'
        else:
            words = self.clause()
            if self.chance(0.25):
                words = words + [","] + [self.pick(("and", "but"))] + self.clause()
            text = " ".join(words).replace(" ,", ",") + "."
        return text[0].upper() + text[1:]


def grammar_corpus(n_chars, seed=0):
    """Generate ``n_chars`` characters of English-like prose from the book's grammar.

    Parameters
    ----------
    n_chars : int
        Length of the returned string.
    seed : int
        Seed of the generator (an integer >= 0); the same seed gives the same text on
        every machine.

    Returns
    -------
    str
        Sentences of 3 to 5 per paragraph, paragraphs separated by a blank line,
        cut to exactly ``n_chars`` characters. The alphabet has about 40 symbols.
    """
    return _generate(n_chars, seed)[0]


def _generate(n_chars, seed):
    n_chars = check_positive_int("n_chars", n_chars)
    seed = check_positive_int("seed", seed, minimum=0)      # a fixed seed: the same text
    g = _Grammar(np.random.default_rng(seed))
    parts, length = [], 0
    while length < n_chars:
        k = int(g.rng.integers(3, 6))
        g.bits += np.log2(3)
        para = " ".join(g.sentence() for _ in range(k)) + "\n\n"
        parts.append(para)
        length += len(para)
    return "".join(parts)[:n_chars], g.bits, length


def grammar_entropy_rate(n_chars=200_000, seed=0):
    """Entropy rate of the grammar's text in bits per character, estimated from a sample.

    The generator adds up -log2 of the probability of every choice it makes; the sum
    over whole paragraphs divided by their number of characters estimates the entropy
    rate (the expected information per character), the lower bound of the
    cross-entropy of any model of this text. The estimate converges as ``n_chars``
    grows (200,000 characters: within about 0.01 bit).
    """
    _, bits, length = _generate(n_chars, seed)
    return float(bits / length)
