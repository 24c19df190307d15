"""Throughput of pm.Ensemble against running the same systems one after another.

    python benchmarks/ensemble_throughput.py [--systems 16] [--n 64] [--layers 2] [--threads 2]
                                             [--dtype float32] [--device cpu] [--repeat 3]
                                             [--workloads NAME ...] [--no-warmup]
                                             [--scan 1 2 4 8 16 32 64]

B films of n x n x layers cells of 3 nm that differ in shape (an ellipse or a random polygon),
Ms, A, damping, applied field and random start. Workloads, each timed for the B systems in
a loop and for one Ensemble of them, alternating, with fresh copies each time:

- rhs: 20 LLG right-hand-side evaluations of every system (alone: 20 of one system, then the next);
- run: 20 ps of adaptive Dormand-Prince dynamics (tol 1e-5);
- minimize: energy minimization to mumax3's stop criterion;
- relax: damping-only dynamics until energy and torque stop falling (mumax3's relax);
- hysteresis: a 5-field sweep, settled by minimize at each field.

Prints a markdown table: medians with min and max, and the ensemble's speed-up (loop time /
ensemble time). ``--scan`` instead times one right-hand-side evaluation of ensembles of the
given sizes against the same films one by one: the cost per film as the batch grows, whose
floor bounds the speed-up any driver can reach on the device.
"""
import argparse
import statistics
import time

import numpy as np
import torch

import pymag as pm
from pymag.drivers.llg import LLG
from pymag.units import Oe, nm


def films(count, n, layers, dtype, device):
    """``count`` different films on one n x n x layers mesh."""
    rng = np.random.default_rng(1)
    mesh = pm.Mesh(n=(n, n, layers), cell=(3 * nm,) * 3)
    side = n * 3 * nm
    out = []
    for i in range(count):
        geometry = pm.geometry.random_polygon(12, size=(0.6 * side, side), seed=i, domain=(side, side)) \
            if i % 2 else pm.Ellipse(size=(side, 0.8 * side))
        material = {"Ms": rng.uniform(6e5, 1.2e6), "A": rng.uniform(5e-12, 1.5e-11), "alpha": rng.uniform(0.1, 1.0)}
        H = rng.uniform(0, 500) * Oe
        out.append(pm.System(mesh, geometry=geometry, material=material,
                             terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=(H, 0.5 * H, 0))],
                             m=pm.init.random(seed=i), dtype=dtype, device=device))
    return out


def rhs_loop(systems, count):
    """``count`` right-hand sides of each system in turn, one system after another (as a driver
    runs them: each system's kernel and work arrays stay in the caches for its evaluations)."""
    rhs = [(LLG(s), s.m) for s in systems]
    return lambda: [f(0.0, m) for f, m in rhs for _ in range(count)]


def rhs_ensemble(systems):
    ens = pm.Ensemble(systems)
    f, m = LLG(ens), ens.m
    return lambda: f(0.0, m)


WORKLOADS = {
    "rhs (x20)": (lambda ss: rhs_loop(ss, 20)(), lambda ss: _repeat(rhs_ensemble(ss), 20)),
    "run 20 ps": (lambda ss: [s.run(20e-12, progress=False) for s in ss], lambda ss: pm.Ensemble(ss).run(20e-12)),
    "minimize": (lambda ss: [s.minimize() for s in ss], lambda ss: pm.Ensemble(ss).minimize()),
    "relax": (lambda ss: [s.relax() for s in ss], lambda ss: pm.Ensemble(ss).relax()),
    "hysteresis, 5 fields": (
        lambda ss: [s.hysteresis(np.linspace(8e4, -8e4, 5), progress=False) for s in ss],
        lambda ss: pm.Ensemble(ss).hysteresis(np.linspace(8e4, -8e4, 5), progress=False)),
}


def _repeat(fn, count):
    for _ in range(count):
        fn()


def timed(work, make):
    """Seconds for ``work`` on a fresh set of systems (set-up and assembly not counted)."""
    systems = make()
    for s in systems:
        s.assemble()
    return _seconds(lambda: work(systems), systems[0].device)


def _seconds(fn, device):
    """Wall time of ``fn()`` (s), waiting for the GPU's queued work on CUDA."""
    start = time.perf_counter()
    fn()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start


def scan(counts, make, repeat):
    """Markdown table: ms per right-hand side of an ensemble of each size in ``counts``, per film,
    and the speed-up over the films evaluated one by one (medians of ``repeat`` blocks of 20)."""
    systems = make()
    for s in systems:
        s.assemble()
    work = {"alone": rhs_loop(systems, 20), **{b: lambda e=rhs_ensemble(systems[:b]): _repeat(e, 20) for b in counts}}
    times = {k: [] for k in work}
    for _ in range(repeat + 1):  # the first round warms up
        for k, fn in work.items():
            times[k].append(_seconds(fn, systems[0].device) / 20)
    med = {k: statistics.median(v[1:]) for k, v in times.items()}
    alone = 1e3 * med["alone"] / len(systems)
    print(f"one film alone: {alone:.3f} ms per right-hand side\n")
    print("| films in the ensemble | ms per right-hand side | ms per film | speed-up over one by one |\n|---|---|---|---|")
    for b in counts:
        print(f"| {b} | {1e3 * med[b]:.3f} | {1e3 * med[b] / b:.3f} | {alone * b / (1e3 * med[b]):.2f}x |", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", type=int, default=16)
    parser.add_argument("--n", type=int, default=64)
    parser.add_argument("--layers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dtype", default="float32")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS))
    parser.add_argument("--no-warmup", action="store_true", help="skip the untimed first round (long workloads)")
    parser.add_argument("--scan", type=int, nargs="+", default=None,
                        help="time the right-hand side for ensembles of these sizes instead of the workloads")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {args.device}, {args.dtype}; "
          f"{max(args.scan) if args.scan else args.systems} films of {args.n}x{args.n}x{args.layers} cells\n")
    make = lambda: films(args.systems, args.n, args.layers, args.dtype, args.device)  # noqa: E731
    if args.scan:
        return scan(args.scan, lambda: films(max(args.scan), args.n, args.layers, args.dtype, args.device), args.repeat)
    print("| workload | one after another (s) | ensemble (s) | speed-up |\n|---|---|---|---|")
    for name in args.workloads:
        loop, together = WORKLOADS[name]
        if not args.no_warmup:
            timed(loop, make), timed(together, make)  # warm-up: kernels, caches, thread pools
        times = {"loop": [], "ensemble": []}
        for _ in range(args.repeat):
            times["loop"].append(timed(loop, make))
            times["ensemble"].append(timed(together, make))
        med = {k: statistics.median(v) for k, v in times.items()}
        cols = [f"{med[k]:.3f} ({min(times[k]):.3f}-{max(times[k]):.3f})" for k in ("loop", "ensemble")]
        print(f"| {name} | {cols[0]} | {cols[1]} | {med['loop'] / med['ensemble']:.2f}x |", flush=True)


if __name__ == "__main__":
    main()
