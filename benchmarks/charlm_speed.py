"""Training speed of the book's character LM against a faithful min-char-rnn.

The script lives in the package so that its recorded results can be read by chapter 11:
this file runs it. Usage: python benchmarks/charlm_speed.py [--seconds 3] [--budget 60]
(see ``python -m rnnbook.experiments.charlm_speed --help``).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from rnnbook.experiments.charlm_speed import main  # noqa: E402

if __name__ == "__main__":
    main()
