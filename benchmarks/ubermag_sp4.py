"""muMAG standard problem 4 through pymag's ubermag calculator against the same problem in
native pymag: the relaxation and the 1 ns run of field 1 with 200 saved steps. Prints a
markdown table.

    python benchmarks/ubermag_sp4.py [--cell 5] [--repeat 5] [--threads 2]

Both sides integrate with the calculator's settings (pymag.ubermag.drivers: minimize to
max |m x H| < 1e-10 Ms, rk45 with per-step error TIME_TOL); the calculator adds the
translation, the files of both drives and the table. Each side is warmed up once, then the
two alternate run by run; medians with min and max, and their ratio.
"""
import argparse
import pathlib
import statistics
import sys
import tempfile
import time

import torch

import pymag as pm
from pymag.ubermag.drivers import MINIMIZE_STOP, SETTLED, TIME_TOL

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import ubermag_sp4  # noqa: E402

FIELD = (-24.6e-3 / pm.units.mu0, 4.3e-3 / pm.units.mu0, 0.0)


def calculator(cell):
    with tempfile.TemporaryDirectory() as folder:
        ubermag_sp4.run(cell, dirname=folder)


def native(cell):
    mesh = pm.Mesh(n=(round(500e-9 / cell), round(125e-9 / cell), 1), cell=(cell, cell, 3e-9))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=[pm.Exchange(), pm.Demag()], m=(1, 0.25, 0.1))
    stop = MINIMIZE_STOP
    system.minimize(stop=stop)
    while system.torque() > SETTLED * 8e5 and stop > 1e-14:
        stop /= 10
        system.minimize(stop=stop)
    system.add(pm.Zeeman(H=FIELD))
    system.run(1e-9, tol=TIME_TOL, save_every=5e-12, progress=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", type=float, default=5.0, help="in-plane cell size in nm")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    cell = args.cell * 1e-9
    cases = {"native pymag": native, "pymag.ubermag": calculator}
    for fn in cases.values():
        fn(cell)
    times = {name: [] for name in cases}
    for _ in range(args.repeat):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn(cell)
            times[name].append(time.perf_counter() - start)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, device cpu, SP4 field 1 on "
          f"{args.cell:g} x {args.cell:g} x 3 nm cells\n")
    print("| SP4 (relax + 1 ns, 200 steps) | median (min-max) s | / native |\n|---|---|---|")
    base = statistics.median(times["native pymag"])
    for name, t in times.items():
        med = statistics.median(t)
        print(f"| {name} | {med:.2f} ({min(t):.2f}-{max(t):.2f}) | {med / base:.3f} |")


if __name__ == "__main__":
    main()
