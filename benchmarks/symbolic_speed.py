"""Field time of pymag's energy terms, and of the symbolic twins of the hand-written ones.

    python benchmarks/symbolic_speed.py [--repeat 9] [--count 20] [--threads 2] [--terms ...]

A term keeps a hand-written field only where that is measurably faster than the field
compiled from its energy density by pymag.symbolic. For each hand-written term (exchange)
this times ``add_field(H, m)`` (what the LLG right-hand side calls) of the term and of
``EnergyTerm.from_density`` of the same density, alternating run by run so that a burst of
load hits both alike; the ratio is symbolic/hand-written of the medians. Terms built from
their densities (uniaxial and cubic anisotropy, interfacial and bulk DMI) are timed alone;
to compare them with another version of pymag, run this script on each checkout in turn
(PYTHONPATH=<checkout>), alternating. Each case is warmed up; 256x256x1 and 64x64x16
meshes, float32 and float64; medians with min and max, in ms.
"""
import argparse
import functools
import statistics
import time

import torch

import pymag as pm
from pymag.symbolic import EnergyTerm, grad_m, material
from pymag.units import nm

TERMS = {"exchange": pm.Exchange, "uniaxial": pm.UniaxialAnisotropy, "cubic": pm.CubicAnisotropy,
         "DMI": pm.DMI, "bulk DMI": functools.partial(pm.DMI, "bulk")}
# the densities of the hand-written terms
TWINS = {"exchange": material("A") * sum(grad_m[i, k] ** 2 for i in range(3) for k in range(3))}
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "Ku": 5e5, "Ku_axis": (0.1, 0.2, 1.0), "Kc": 4e4, "Kc_axes": ((1, 1, 0), (-1, 1, 1)),
            "D": 3e-3, "D_bulk": 2e-3}


def case(kind, n, dtype):
    """Whether the built-in term's field is compiled from its density, and the callables adding
    to H the field of a random state: the built-in term's, then its symbolic twin's if it has one."""
    term = TERMS[kind]()
    terms = [term] + ([EnergyTerm.from_density(TWINS[kind], name="symbolic")] if kind in TWINS else [])
    mesh = pm.Mesh(n=n, cell=(2 * nm, 2 * nm, 2 * nm))
    system = pm.System(mesh, material=MATERIAL, terms=terms, m=pm.init.random(seed=0), dtype=dtype)
    mag = system.m
    H = torch.zeros_like(mag)
    bound = [system.term(t.name) for t in terms]
    return isinstance(term, EnergyTerm), [functools.partial(t.add_field, H, mag, 0.0) for t in bound]


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
    parser.add_argument("--terms", nargs="+", choices=list(TERMS), default=list(TERMS))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"pymag at {pm.__file__}\ntorch {torch.__version__}, {torch.get_num_threads()} threads, device cpu, "
          f"{args.repeat} runs of {args.count} calls\n")
    print("| term | field | mesh | dtype | built-in ms median (min-max) | symbolic twin ms median (min-max) | ratio |")
    print("|---|---|---|---|---|---|---|")
    for kind in args.terms:
        for n in ((256, 256, 1), (64, 64, 16)):
            for dtype in ("float32", "float64"):
                compiled, fns = case(kind, n, dtype)
                for fn in fns:
                    timed(fn, args.count)                 # warm-up
                times = [[] for _ in fns]
                for _ in range(args.repeat):
                    for t, fn in zip(times, fns):
                        t.append(timed(fn, args.count))
                med = [statistics.median(t) for t in times]
                cols = [f"{1e3 * md:.3f} ({1e3 * min(t):.3f}-{1e3 * max(t):.3f})" for md, t in zip(med, times)]
                twin, ratio = (cols[1], f"{med[1] / med[0]:.2f}") if len(fns) > 1 else ("-", "-")
                print(f"| {kind} | {'density' if compiled else 'hand-written'} | {'x'.join(map(str, n))} | {dtype} | "
                      f"{cols[0]} | {twin} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
