"""Cost of the spin-torque terms in one LLG right-hand side: exchange + FFT demag on an
N x N x 1 film, alone and with a torque term added. Prints a markdown table.

    python benchmarks/torque_speed.py [--size 256] [--repeat 9] [--threads 2]

Each variant is warmed up, then the variants alternate run by run (so a burst of load on
the machine hits all alike); medians with min and max, and the median ratio to exchange +
demag alone. Variants: Zhang-Li with the current along x, and along x and y (two gradient
axes); the Slonczewski torque when pymag has it (``pm.Slonczewski``, see ``TORQUES``).
"""
import argparse
import statistics
import time

import torch

import pymag as pm
from pymag.drivers.llg import LLG
from pymag.units import nm


def torques():
    """The torque variants, name -> term; one more line here adds a variant."""
    out = {"+ ZhangLi, j along x": pm.ZhangLi(j=(1e12, 0, 0), P=0.56, beta=0.05),
           "+ ZhangLi, j along x and y": pm.ZhangLi(j=(1e12, 5e11, 0), P=0.56, beta=0.05)}
    if hasattr(pm, "Slonczewski"):
        out["+ Slonczewski"] = slonczewski()
    return out


def slonczewski():
    """A Slonczewski term of a perpendicular current through the film (pymag.terms.slonczewski)."""
    return pm.Slonczewski(j=-1e11, p=(1, 0, 0), P=0.56, Lambda=2.0, eps_prime=0.1)


def rhs_case(n, dtype, term=None):
    """A callable doing one LLG right-hand-side evaluation of a random N x N x 1 film."""
    mesh = pm.Mesh(n=(n, n, 1), cell=(3 * nm, 3 * nm, 3 * nm))
    terms = [pm.Exchange(), pm.Demag()] + ([term] if term is not None else [])
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=terms, m=pm.init.random(seed=0), dtype=dtype)
    rhs = LLG(system)
    m = system.m
    with torch.no_grad():
        rhs(0.0, m)                    # builds and caches the kernel, warms up

    def call():
        with torch.no_grad():
            rhs(0.0, m)
    return call


def timed(fn, count):
    """Seconds per call of ``fn`` over ``count`` calls."""
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count


def bench(n, repeat, dtype):
    cases = {"exchange + demag": rhs_case(n, dtype)}
    cases.update({name: rhs_case(n, dtype, term) for name, term in torques().items()})
    count = max(1, int(2e6 // (n * n)))
    times = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            times[name].append(timed(fn, count))
    base = statistics.median(times["exchange + demag"])
    for name, t in times.items():
        med = statistics.median(t)
        print(f"| {name} | {dtype} | {1e3 * med:.2f} ({1e3 * min(t):.2f}-{1e3 * max(t):.2f}) | {med / base:.2f} |",
              flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=256)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device cpu, "
          f"{args.size}x{args.size}x1 cells\n")
    print("| right-hand side | dtype | median (min-max) ms | / exchange + demag |\n|---|---|---|---|")
    for dtype in ("float64", "float32"):
        bench(args.size, args.repeat, dtype)


if __name__ == "__main__":
    main()
