"""The trained Shakespeare RNN that chapter 11's temperature explorer shows.

Usage::

    python -m rnnbook.experiments.lm_temperature_model            # train, print, record nothing
    python -m rnnbook.experiments.lm_temperature_model --record   # also write the JSON file

A vanilla RNN language model (H = 128, the size of chapter 11's RNN) is trained on the
training plays of :func:`rnnbook.shakespeare.shakespeare_split`: float32, the fused
path of :func:`rnnbook.lm.lm_loss_and_grads`, seed 0, Adam with learning rate
``LR``, ``UPDATES`` updates of (N, T) = (32, 25) chunks (truncated BPTT, state carried,
gradient clipped to global norm 5). Validation bits per character are measured every
``EVERY`` updates on the first ``VALID_CHARS`` characters of the validation plays and
at the end, with the weights as stored, on ``FINAL_VALID_CHARS`` characters.

The weights are recorded in ``rnnbook/experiments/data/lm_temperature_model.json``
(with the alphabet) so that the explorer needs neither the training text nor a
training run: each parameter is stored as base64 text of its little-endian float32
bytes (:func:`encode_params`, :func:`decode_params`), which keeps the file near 200 KB.
"""
from __future__ import annotations

import argparse
import base64
import os
import sys
import time

import numpy as np

from ..lm import lm_evaluate, lm_init, lm_loss_and_grads, lm_param_count
from ..optim import Adam, clip_by_global_norm
from ..text import tbptt_batches
from .results import load, record

__all__ = ["NAME", "encode_params", "decode_params", "load_model"]

NAME = "lm_temperature_model"
H, N, T, LR, CLIP, SEED = 128, 32, 25, 5e-3, 5.0, 0
UPDATES, EVERY = 5000, 1000
VALID_CHARS, FINAL_VALID_CHARS = 20_000, 60_000


def encode_params(params):
    """{name: {"shape": [...], "float32_le_base64": str}} of a parameter dict."""
    return {k: {"shape": list(v.shape),
                "float32_le_base64": base64.b64encode(
                    np.ascontiguousarray(v, dtype="<f4").tobytes()).decode("ascii")}
            for k, v in params.items()}


def decode_params(encoded, dtype=np.float32):
    """The inverse of :func:`encode_params`: {name: ndarray of ``dtype``}."""
    out = {}
    for k, v in encoded.items():
        raw = np.frombuffer(base64.b64decode(v["float32_le_base64"]), dtype="<f4")
        if raw.size != int(np.prod(v["shape"])):
            raise ValueError(f"parameter {k!r} has {raw.size} values; expected shape "
                             f"{tuple(v['shape'])}")
        out[k] = raw.reshape(v["shape"]).astype(dtype)
    return out


def load_model(dtype=np.float32):
    """(params, tokens, info) of the recorded model; ``info`` is the rest of the record."""
    rec = load(NAME)
    model = next(r for r in rec.results if r["kind"] == "model")
    info = {k: v for k, v in model.items() if k not in ("params", "tokens")}
    return decode_params(model["params"], dtype), tuple(model["tokens"]), info


def main(argv=None):
    from ..shakespeare import shakespeare_split

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="write the JSON results file")
    parser.add_argument("--quick", action="store_true", help="tiny budget (smoke test)")
    args = parser.parse_args(argv)
    updates, every = (40, 20) if args.quick else (UPDATES, EVERY)
    started = time.time()
    split = shakespeare_split()
    vocab = split.vocab
    xs, ys = tbptt_batches(vocab.encode(split.train), N, T)
    valid = vocab.encode(split.valid)
    params = lm_init("rnn", vocab.V, H, np.random.default_rng(SEED), dtype=np.float32)
    opt = Adam(lr=LR)
    state, cpu, curve = None, 0.0, []
    for step in range(1, updates + 1):
        k = (step - 1) % len(xs)
        if k == 0:
            state = None
        t0 = time.process_time()
        _, grads, state = lm_loss_and_grads(params, "rnn", xs[k], ys[k], state)
        grads, _ = clip_by_global_norm(grads, CLIP)
        opt.step(params, grads)
        cpu += time.process_time() - t0
        if step % every == 0:
            bpc = lm_evaluate(params, "rnn", valid[:VALID_CHARS]) / np.log(2)
            curve.append({"updates": step, "cpu_seconds": round(cpu, 2),
                          "valid_bpc": round(bpc, 4)})
            print(f"step {step}: validation {bpc:.3f} bpc, {cpu:.1f} CPU s", flush=True)
    encoded = encode_params(params)
    stored = decode_params(encoded)          # score the weights exactly as stored
    final = lm_evaluate(stored, "rnn", valid[:FINAL_VALID_CHARS]) / np.log(2)
    print(f"stored weights: validation {final:.3f} bpc on {FINAL_VALID_CHARS:,d} characters")
    results = [{"kind": "model", "cell": "rnn", "H": H, "V": vocab.V,
                "params_count": lm_param_count("rnn", vocab.V, H),
                "tokens": list(vocab.tokens), "updates": updates,
                "cpu_seconds": round(cpu, 2), "final_valid_bpc": round(final, 4),
                "curve": curve, "params": encoded}]
    if args.record:
        path = record(NAME, results, seeds=[SEED], seconds=time.time() - started,
                      command=f"python -m rnnbook.experiments.{NAME} --record",
                      params={"cell": "rnn", "H": H, "N": N, "T": T, "optimizer": "Adam",
                              "lr": LR, "clip": CLIP, "updates": updates, "every": every,
                              "dtype": "float32", "valid_chars": VALID_CHARS,
                              "final_valid_chars": FINAL_VALID_CHARS,
                              "valid_plays": list(split.valid_plays),
                              "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                              "storage": "float32 little-endian bytes, base64"})
        print("recorded", path, f"({path.stat().st_size / 1024:.0f} KiB)")
    return results


if __name__ == "__main__":
    sys.exit(main() and 0)
