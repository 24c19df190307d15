"""Time of one LLG right-hand-side evaluation (exchange + FFT demag) against the number of
cells, N x N x 1 films from 64^2 up to 4096^2 (as memory allows), with a fit
t = c N_cells log2(N_cells), plotted to docs/scaling.png and printed as a table.

    python benchmarks/scaling.py [--sizes 64 128 ... 4096] [--threads 2] [--dtype float32]
                                 [--device cpu] [--out docs/scaling.png]

The fit uses the sizes from 256 up, where the per-call overhead no longer dominates, in log
space so that every size weighs alike.
"""
import argparse
import pathlib
import statistics

import numpy as np
import torch

from rhs_speed import rhs_case, timed


def measure(sizes, dtype, device, repeat):
    """Median seconds per evaluation for each size that fits in memory."""
    out = {}
    for n in sizes:
        try:
            fn = rhs_case(n, dtype, device)
        except (RuntimeError, MemoryError) as err:  # out of memory: the larger sizes will not fit either
            print(f"| {n} | does not fit: {str(err).splitlines()[0]} |")
            break
        count = max(1, int(2e6 // (n * n)))
        out[n] = statistics.median(timed(fn, count, device) for _ in range(repeat))
        cells = n * n
        print(f"| {n} | {cells} | {1e3 * out[n]:.3f} | {1e9 * out[n] / cells:.1f} |", flush=True)
        del fn
    return out


def fit(times, smallest=256):
    """c of t = c N log2 N, N the number of cells, fitted to the sizes >= smallest in log space
    (every size weighs alike: the geometric mean of t / (N log2 N))."""
    n = np.array([k for k in times if k >= smallest], float) ** 2
    t = np.array([times[k] for k in times if k >= smallest])
    return float(np.exp(np.mean(np.log(t / (n * np.log2(n))))))


def plot(times, c, path, label):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = np.array(sorted(times), float) ** 2
    t = np.array([times[k] for k in sorted(times)])
    fig, ax = plt.subplots(figsize=(5.5, 4))
    ax.loglog(n, 1e3 * t, "o", label=f"pymag, {label}")
    grid = np.geomspace(n[0], n[-1], 100)
    ax.loglog(grid, 1e3 * c * grid * np.log2(grid), "-", label=f"fit {c * 1e9:.2f} ns x N log2 N")
    ax.set_xlabel("cells N")
    ax.set_ylabel("time per evaluation (ms)")
    ax.set_title("LLG right-hand side, exchange + FFT demag")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    print(f"\nwrote {path}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[64, 128, 256, 512, 1024, 2048, 4096])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtype", default="float32")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[1] / "docs" / "scaling.png"))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    label = f"{args.dtype}, {args.device}, {torch.get_num_threads()} threads"
    print(f"torch {torch.__version__}, {label}\n\n| N | cells | ms per evaluation | ns per cell |\n|---|---|---|---|")
    times = measure(args.sizes, args.dtype, args.device, args.repeat)
    c = fit(times)
    print(f"\nfit: t = {c * 1e9:.3f} ns x N log2 N (N = cells, sizes >= 256)")
    for n, t in times.items():
        print(f"  {n}: measured {1e3 * t:.3f} ms, fit {1e3 * c * n * n * np.log2(n * n):.3f} ms")
    plot(times, c, args.out, label)


if __name__ == "__main__":
    main()
