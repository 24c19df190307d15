"""Field time of symbolic energy terms (pymag.symbolic) against their hand-written twins.

    python benchmarks/symbolic_speed.py [--repeat 9] [--threads 2]

For exchange, uniaxial and cubic anisotropy, interfacial and bulk DMI, on 256x256x1 and 64x64x16 meshes in
float32 and float64: the time of ``add_field(H, m)`` (what the LLG right-hand side calls)
of the built-in term and of ``EnergyTerm.from_density`` of the same density. Each case is
warmed up; the two codes alternate run by run so that a burst of load hits both alike.
Medians with min and max; the ratio is symbolic/hand-written of the medians.
"""
import argparse
import statistics
import time

import sympy as sp
import torch

import pymag as pm
from pymag.symbolic import EnergyTerm, grad_m, m, material
from pymag.units import nm

A, Ku, Kc, D, D_bulk = (material(k) for k in ("A", "Ku", "Kc", "D", "D_bulk"))
u = material("Ku_axis")
c1, c2 = material("Kc_axes")
g = grad_m
COSINES = [m.dot(c) for c in (c1, c2, c1.cross(c2))]
CURL = sp.Matrix([g[2, 1] - g[1, 2], g[0, 2] - g[2, 0], g[1, 0] - g[0, 1]])
TWINS = {
    "exchange": (pm.Exchange, A * sum(g[i, k] ** 2 for i in range(3) for k in range(3))),
    "uniaxial": (pm.UniaxialAnisotropy, -Ku * m.dot(u) ** 2),
    "cubic": (pm.CubicAnisotropy, Kc * sum(COSINES[i] ** 2 * COSINES[i - 1] ** 2 for i in range(3))),
    "DMI": (pm.DMI, D * (m[2] * (g[0, 0] + g[1, 1] + g[2, 2]) - m.dot(g[2, :].T))),
    "bulk DMI": (lambda: pm.DMI("bulk"), D_bulk * m.dot(CURL)),
}
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "Ku": 5e5, "Ku_axis": (0.1, 0.2, 1.0), "Kc": 4e4, "Kc_axes": ((1, 1, 0), (-1, 1, 1)),
            "D": 3e-3, "D_bulk": 2e-3}


def case(kind, n, dtype):
    """(hand-written, symbolic) callables adding their field of a random state to H."""
    builtin, density = TWINS[kind]
    mesh = pm.Mesh(n=n, cell=(2 * nm, 2 * nm, 2 * nm))
    term = builtin()
    system = pm.System(mesh, material=MATERIAL, terms=[term, EnergyTerm.from_density(density, name="symbolic")],
                       m=pm.init.random(seed=0), dtype=dtype)
    hand, sym = system.term(term.name), system.term("symbolic")
    mag = system.m
    H = torch.zeros_like(mag)
    return (lambda: hand.add_field(H, mag, 0.0)), (lambda: sym.add_field(H, mag, 0.0))


def timed(fn, count):
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--count", type=int, default=20, help="calls per timed run")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device cpu, "
          f"{args.repeat} runs of {args.count} calls\n")
    print("| term | mesh | dtype | hand-written ms median (min-max) | symbolic ms median (min-max) | ratio |")
    print("|---|---|---|---|---|---|")
    for kind in TWINS:
        for n in ((256, 256, 1), (64, 64, 16)):
            for dtype in ("float32", "float64"):
                fns = case(kind, n, dtype)
                for fn in fns:
                    timed(fn, args.count)                 # warm-up
                times = ([], [])
                for _ in range(args.repeat):
                    for t, fn in zip(times, fns):
                        t.append(timed(fn, args.count))
                med = [statistics.median(t) for t in times]
                cols = [f"{1e3 * md:.3f} ({1e3 * min(t):.3f}-{1e3 * max(t):.3f})" for md, t in zip(med, times)]
                print(f"| {kind} | {'x'.join(map(str, n))} | {dtype} | {cols[0]} | {cols[1]} | "
                      f"{med[1] / med[0]:.2f} |", flush=True)


if __name__ == "__main__":
    main()
