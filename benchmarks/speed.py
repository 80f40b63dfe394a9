"""Forward + backward speed of rnnbook's RNN, LSTM and GRU layers against PyTorch (CPU).

Setting: N=32, T=100, D=H=64, float64; the loss is the sum of all hidden states, so
the backward pass gets dh = 1 everywhere. Both libraries use the same number of BLAS
threads (``--threads``, default 1): numpy's OpenBLAS through ``OPENBLAS_NUM_THREADS``
(set before numpy is imported, checked by calling OpenBLAS) and torch through
``torch.set_num_threads``. Repeats alternate between the two libraries (interleaved),
so load from other processes on a shared machine hits both alike; the medians and
their ratio rnnbook / torch are printed, one line per layer.

``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` (set on some machines for old OpenBLAS
builds) make numpy's OpenBLAS use a slower kernel; with ``--unset-coretype`` this
script removes both from its own process environment before numpy loads (re-executing
itself if needed) and says so. Nothing else is changed.

Usage::

    python benchmarks/speed.py [--threads 1] [--repeats 30] [--unset-coretype]
"""
from __future__ import annotations

import argparse
import ctypes
import os
import sys
import time

CORETYPE_VARS = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=30)
    p.add_argument("--unset-coretype", action="store_true")
    p.add_argument("--layers", default="rnn,lstm,gru")
    return p.parse_args()


def setup_env(args):
    """Pin thread counts (and maybe unset the coretype) before numpy is imported."""
    want = {f"{v}_NUM_THREADS": str(args.threads) for v in ("OPENBLAS", "OMP", "MKL")}
    present = [v for v in CORETYPE_VARS if v in os.environ]
    need = any(os.environ.get(k) != v for k, v in want.items())
    if args.unset_coretype and present:
        need = True
    if need and "numpy" not in sys.modules and os.environ.get("_RNNBOOK_BENCH_CHILD") != "1":
        env = dict(os.environ, **want, _RNNBOOK_BENCH_CHILD="1")
        if args.unset_coretype:
            for v in CORETYPE_VARS:
                env.pop(v, None)
        os.execve(sys.executable, [sys.executable] + sys.argv, env)


def openblas_info():
    """(threads, core name) of numpy's OpenBLAS, read through its C API."""
    import numpy as np
    libdir = None
    try:
        import scipy_openblas64  # noqa: F401  (not always installed)
    except ImportError:
        pass
    for path in _loaded_libs():
        if "openblas" in os.path.basename(path).lower():
            libdir = path
            break
    if libdir is None:
        return None, None
    lib = ctypes.CDLL(libdir)
    threads = core = None
    for prefix in ("scipy_openblas_", "openblas_"):
        for suffix in ("64_", ""):
            try:
                fn = getattr(lib, f"{prefix}get_num_threads{suffix}")
                fn.restype = ctypes.c_int
                threads = fn()
                cn = getattr(lib, f"{prefix}get_corename{suffix}")
                cn.restype = ctypes.c_char_p
                core = cn().decode()
                return threads, core
            except AttributeError:
                continue
    return threads, core


def _loaded_libs():
    with open("/proc/self/maps") as f:
        return sorted({line.split()[-1] for line in f if ".so" in line})


def make_inputs(layer, N, T, D, H, rng):
    import numpy as np
    x = rng.standard_normal((N, T, D))
    h0 = np.zeros((N, H))
    G = {"rnn": 1, "lstm": 4, "gru": 3}[layer]
    k = 1 / np.sqrt(H)
    W_xh = rng.uniform(-k, k, (D, G * H))
    W_hh = rng.uniform(-k, k, (H, G * H))
    b1 = rng.uniform(-k, k, G * H)
    b2 = rng.uniform(-k, k, G * H)
    return x, h0, W_xh, W_hh, b1, b2


def ours(layer, inputs):
    import numpy as np
    import rnnbook as rb
    x, h0, W_xh, W_hh, b1, b2 = inputs
    if layer == "rnn":
        def run():
            h, cache = rb.rnn_forward(x, h0, W_xh, W_hh, b1 + b2)
            return rb.rnn_backward(np.ones_like(h), cache)
    elif layer == "lstm":
        def run():
            h, cache = rb.lstm_forward(x, h0, W_xh, W_hh, b1 + b2)
            return rb.lstm_backward(np.ones_like(h), cache)
    else:
        def run():
            h, cache = rb.gru_forward(x, h0, W_xh, W_hh, b1, b2)
            return rb.gru_backward(np.ones_like(h), cache)
    return run


def theirs(layer, inputs):
    import torch
    x, h0, W_xh, W_hh, b1, b2 = inputs
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[layer]
    m = cls(W_xh.shape[0], W_hh.shape[0], batch_first=True).double()
    with torch.no_grad():
        m.weight_ih_l0.copy_(torch.from_numpy(W_xh.T))
        m.weight_hh_l0.copy_(torch.from_numpy(W_hh.T))
        m.bias_ih_l0.copy_(torch.from_numpy(b1))
        m.bias_hh_l0.copy_(torch.from_numpy(b2))
    xt = torch.from_numpy(x).requires_grad_(True)

    def run():
        m.zero_grad(set_to_none=True)
        xt.grad = None
        out, _ = m(xt)                 # h0 = zeros, as above
        out.sum().backward()
        return xt.grad
    return run


def main():
    args = parse()
    setup_env(args)
    import numpy as np
    import torch
    torch.set_num_threads(args.threads)
    N, T, D, H = 32, 100, 64, 64
    threads, core = openblas_info()
    unset = [v for v in CORETYPE_VARS if v not in os.environ]
    print(f"N={N} T={T} D={D} H={H} float64; forward + backward; {args.repeats} "
          "interleaved repeats; medians")
    print(f"threads: numpy OpenBLAS {threads} (kernel {core}), torch "
          f"{torch.get_num_threads()}; numpy {np.__version__}, torch {torch.__version__}")
    print("OPENBLAS_CORETYPE/L2_SIZE: " + (
        "unset in this process by --unset-coretype" if args.unset_coretype else
        ", ".join(f"{v}={os.environ[v]}" for v in CORETYPE_VARS if v in os.environ)
        or "not set"))
    rng = np.random.default_rng(0)
    for layer in args.layers.split(","):
        inputs = make_inputs(layer, N, T, D, H, rng)
        a, b = ours(layer, inputs), theirs(layer, inputs)
        for _ in range(3):                 # warm-up
            a(), b()
        ta, tb = [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter(); a(); t1 = time.perf_counter(); b()
            t2 = time.perf_counter()
            ta.append(t1 - t0)
            tb.append(t2 - t1)
        ma, mb = float(np.median(ta)), float(np.median(tb))
        print(f"{layer:5s} rnnbook {1e3 * ma:7.2f} ms  torch {1e3 * mb:7.2f} ms  "
              f"ratio rnnbook/torch = {ma / mb:.2f}")


if __name__ == "__main__":
    main()
