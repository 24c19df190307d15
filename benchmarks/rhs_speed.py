"""Time of one LLG right-hand-side evaluation (exchange + FFT demag) on N x N x 1 films,
and the wall time of muMAG standard problem 4 (field 1). Prints markdown tables.

    python benchmarks/rhs_speed.py [--sizes 64 128 256 512 1024] [--threads 2] [--no-sp4]

Each case is warmed up, then timed ``--repeat`` times; the two precisions alternate
run by run so a burst of load on the machine hits both alike. Medians with min and max.
"""
import argparse
import pathlib
import statistics
import sys
import time

import torch

import pymag as pm
from pymag.drivers.llg import LLG
from pymag.units import nm


def rhs_case(n, dtype, device="cpu"):
    """A callable doing one LLG right-hand-side evaluation of a random N x N x 1 film."""
    mesh = pm.Mesh(n=(n, n, 1), cell=(3 * nm, 3 * nm, 3 * nm))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=[pm.Exchange(), pm.Demag()], m=pm.init.random(seed=0), dtype=dtype, device=device)
    rhs = LLG(system)
    m = system.m
    rhs(0.0, m)                        # builds and caches the kernel, warms up
    return lambda: rhs(0.0, m)


def timed(fn, count, device="cpu"):
    """Seconds per call of ``fn`` over ``count`` calls (waiting for the GPU to finish)."""
    sync = torch.cuda.synchronize if str(device).startswith("cuda") else (lambda: None)
    sync()
    start = time.perf_counter()
    for _ in range(count):
        fn()
    sync()
    return (time.perf_counter() - start) / count


def bench_rhs(sizes, repeat):
    print("| N | cells | float32 median (min-max) ms | float64 median (min-max) ms | float32 ns/cell | float64 ns/cell |")
    print("|---|---|---|---|---|---|")
    for n in sizes:
        cases = {d: rhs_case(n, d) for d in ("float32", "float64")}
        count = max(1, int(2e6 // (n * n)))
        times = {d: [] for d in cases}
        for _ in range(repeat):
            for d, fn in cases.items():
                times[d].append(timed(fn, count))
        med = {d: statistics.median(t) for d, t in times.items()}
        cells = n * n
        cols = [f"{1e3 * med[d]:.3f} ({1e3 * min(times[d]):.3f}-{1e3 * max(times[d]):.3f})" for d in cases]
        print(f"| {n} | {cells} | {cols[0]} | {cols[1]} | {1e9 * med['float32'] / cells:.1f} | "
              f"{1e9 * med['float64'] / cells:.1f} |", flush=True)


def bench_sp4(dtype):
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
    from standard_problem_4 import simulate
    start = time.perf_counter()
    table = simulate(1, dtype=dtype, progress=False)
    wall = time.perf_counter() - start
    print(f"| SP4 field 1, 200x50x1 cells, {dtype} | {wall:.1f} s | {table.steps} steps | "
          f"<m>(1 ns) = ({table['mx'][-1]:.4f}, {table['my'][-1]:.4f}, {table['mz'][-1]:.4f}) |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[64, 128, 256, 512, 1024])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-sp4", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device cpu\n")
    bench_rhs(args.sizes, args.repeat)
    if not args.no_sp4:
        print("\n| case | wall time (relax + 1 ns) | run steps | final <m> |\n|---|---|---|---|")
        for dtype in ("float64", "float32"):
            bench_sp4(dtype)


if __name__ == "__main__":
    main()
