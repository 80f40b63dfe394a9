"""Forward + backward speed of rnnbook's RNN, LSTM and GRU layers against PyTorch (CPU).

Setting: N=32, T=100, D=H=64, float64; the loss is the sum of all hidden states, so
the backward pass gets dh = 1 everywhere. Both libraries use the same number of BLAS
threads (``--threads``, default 1): numpy's OpenBLAS through ``OPENBLAS_NUM_THREADS``
(set before numpy is imported, checked by calling OpenBLAS) and torch through
``torch.set_num_threads``. Repeats alternate between the two libraries (interleaved),
so load from other processes on a shared machine hits both alike, and the time taken
is the process's CPU time, which does not count waiting for the CPU; the medians and
their ratio rnnbook / torch are printed, one line per layer.

``OPENBLAS_CORETYPE`` / ``OPENBLAS_L2_SIZE`` (set on some machines for old OpenBLAS
builds) make numpy's OpenBLAS use a slower kernel; with ``--unset-coretype`` this
script removes both from its own process environment before numpy loads (re-executing
itself if needed) and says so. Nothing else is changed.

Every repeat runs all layers of both libraries one after the other, so the ratios
GRU / LSTM of each library are also measured within one run, repeat by repeat.

With ``--record`` the medians, the per-repeat ratios (median and range) and the load
average of the machine before and after are written with
:func:`rnnbook.experiments.results.record` to
``rnnbook/experiments/data/layer_speed.json``, which chapter 09 reads (the chapter does
not need torch).

Usage::

    python benchmarks/speed.py [--threads 1] [--repeats 30] [--unset-coretype] [--record]
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
    p.add_argument("--record", action="store_true",
                   help="write rnnbook/experiments/data/layer_speed.json")
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
          "interleaved repeats; medians of process CPU time")
    print(f"threads: numpy OpenBLAS {threads} (kernel {core}), torch "
          f"{torch.get_num_threads()}; numpy {np.__version__}, torch {torch.__version__}")
    print("OPENBLAS_CORETYPE/L2_SIZE: " + (
        "unset in this process by --unset-coretype" if args.unset_coretype else
        ", ".join(f"{v}={os.environ[v]}" for v in CORETYPE_VARS if v in os.environ)
        or "not set"))
    layers = args.layers.split(",")
    # CPU time of this process: with one BLAS thread per library, time spent waiting
    # for the CPU while other processes run is not counted (wall time is, under load)
    clock = time.process_time
    rng = np.random.default_rng(0)
    runs = {}
    for layer in layers:
        inputs = make_inputs(layer, N, T, D, H, rng)
        runs[layer] = (ours(layer, inputs), theirs(layer, inputs))
    load_before = [round(v, 2) for v in os.getloadavg()]
    for _ in range(3):                     # warm-up
        for a, b in runs.values():
            a(), b()
    times = {(lib, layer): [] for lib in ("rnnbook", "torch") for layer in layers}
    c0, t_start = time.process_time(), time.perf_counter()
    for _ in range(args.repeats):          # every repeat: every layer, both libraries
        for layer, (a, b) in runs.items():
            t0 = clock(); a(); t1 = clock(); b()
            t2 = clock()
            times["rnnbook", layer].append(t1 - t0)
            times["torch", layer].append(t2 - t1)
    load_after = [round(v, 2) for v in os.getloadavg()]
    med = {k: float(np.median(v)) for k, v in times.items()}
    rows = []
    for layer in layers:
        r = np.array(times["rnnbook", layer]) / np.array(times["torch", layer])
        print(f"{layer:5s} rnnbook {1e3 * med['rnnbook', layer]:7.2f} ms  torch "
              f"{1e3 * med['torch', layer]:7.2f} ms  ratio rnnbook/torch = "
              f"{med['rnnbook', layer] / med['torch', layer]:.2f}")
        rows.append(dict(kind="layer", layer=layer,
                         rnnbook_ms=1e3 * med["rnnbook", layer],
                         torch_ms=1e3 * med["torch", layer],
                         ratio_rnnbook_torch=med["rnnbook", layer] / med["torch", layer],
                         paired_ratio_median=float(np.median(r)),
                         paired_ratio_min=float(r.min()), paired_ratio_max=float(r.max())))
    if "lstm" in layers and "gru" in layers:
        for lib in ("rnnbook", "torch"):
            r = np.array(times[lib, "gru"]) / np.array(times[lib, "lstm"])
            print(f"{lib:7s} GRU / LSTM = {med[lib, 'gru'] / med[lib, 'lstm']:.2f} (per repeat: "
                  f"median {np.median(r):.2f}, range {r.min():.2f}-{r.max():.2f})")
            rows.append(dict(kind="gru_over_lstm", library=lib,
                             ratio_of_medians=med[lib, "gru"] / med[lib, "lstm"],
                             paired_ratio_median=float(np.median(r)),
                             paired_ratio_min=float(r.min()), paired_ratio_max=float(r.max())))
    print(f"load average (1, 5, 15 min) before {load_before}, after {load_after}")
    if args.record:
        from rnnbook.experiments.results import record
        path = record("layer_speed", rows,
                      command="python benchmarks/speed.py --record " + " ".join(
                          a for a in sys.argv[1:] if a != "--record"),
                      seeds=[0], seconds=time.perf_counter() - t_start, params=dict(
                          N=N, T=T, D=D, H=H, dtype="float64", repeats=args.repeats,
                          threads=args.threads, clock="process CPU time (time.process_time)",
                          numpy_openblas_threads=threads,
                          openblas_kernel=core, torch_threads=torch.get_num_threads(),
                          torch_version=torch.__version__, layers=layers,
                          load_average_before=load_before, load_average_after=load_after,
                          cpu_seconds=round(time.process_time() - c0, 1),
                          note="interleaved: each repeat runs every layer of both "
                               "libraries; the machine was shared with other processes"))
        print("recorded", path)

if __name__ == "__main__":
    main()
