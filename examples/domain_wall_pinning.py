"""Domain-wall pinning at the boundary of two magnetic phases (Heistracher et al., JMMM 548,
168875 (2022)): the field that pushes a wall from a soft phase I into a hard phase II.

A wire along x, phase I for x < 0 and phase II for x > 0, both with their easy axis along z;
no demag. A wall starts in phase I with m = -z on its left and +z on its right; a field along -z
pushes it against the phase boundary. At each field m is brought to its energy minimum
(``minimize``) from the previous state; the depinning field lies between the last field at
which the wall stays in phase I and the first at which it passes through phase II, and
bisection narrows that bracket. Analytic (Heistracher et al., eq. 28):
mu0 Hp = (2 K_II/Js_II) (1 - eps_K eps_A)/(1 + sqrt(eps_J eps_A))^2, eps = phase I / phase II.
Writes dw_pinning.csv and dw_pinning.png; reference values in ../shared/reference.
"""
import argparse
import csv
import math

import numpy as np

import pymag as pm
from pymag.units import mu0

HARD = {"A": 1e-11, "K": 1e6, "Js": 1.0}           # phase II (J/m, J/m^3, T)
CASES = {  # phase I of each case: (A, K, Js)
    "akj": (2.5e-12, 1e5, 0.25), "ak": (2.5e-12, 1e5, 1.0), "aj": (2.5e-12, 1e6, 0.25), "a": (2.5e-12, 1e6, 1.0),
    "kj": (1e-11, 1e5, 0.25), "k": (1e-11, 1e5, 1.0), "j": (1e-11, 1e6, 0.25), "none": (1e-11, 1e6, 1.0)}
HALF_LENGTH = 60e-9          # each phase (m): a few wall widths pi sqrt(A/K) of the widest wall (16 nm)
FIRST_STEP = 0.02            # T: the coarse field steps before the bisection
LIMIT = 2 * mu0 * HARD["K"] / HARD["Js"]   # T: phase II's anisotropy field; every Hp lies below it
STOP = 1e-8                  # minimize's per-step |dm| stop: tight, so a wall creeping near Hp is not taken as pinned


def analytic(case):
    """mu0 Hp (T) of Heistracher et al. eq. 28."""
    A, K, Js = CASES[case]
    eA, eK, eJ = A / HARD["A"], K / HARD["K"], Js / HARD["Js"]
    return mu0 * 2 * HARD["K"] / HARD["Js"] * (1 - eK * eA) / (1 + math.sqrt(eJ * eA)) ** 2


def wire(case, cell):
    """The two-phase wire on cells of ``cell`` (m) along x, with the wall in phase I."""
    A, K, Js = CASES[case]
    n = round(2 * HALF_LENGTH / cell)
    mesh = pm.Mesh(n=(n, 1, 1), cell=(cell, 1e-9, 1e-9))
    half = pm.Cuboid(size=(HALF_LENGTH, 1, 1))
    soft = {"Ms": Js / mu0, "A": A, "Ku": K, "Ku_axis": (0, 0, 1)}
    hard = {"Ms": HARD["Js"] / mu0, "A": HARD["A"], "Ku": HARD["K"], "Ku_axis": (0, 0, 1)}
    regions = [pm.Region(half.translate(-HALF_LENGTH / 2, 0, 0), soft, "soft"),
               pm.Region(half.translate(HALF_LENGTH / 2, 0, 0), hard, "hard")]
    x0 = -HALF_LENGTH / 3
    m = lambda x, y, z: (np.zeros_like(x), np.full_like(x, 0.1), np.where(x < x0, -1.0, 1.0))  # noqa: E731
    return pm.System(mesh, regions=regions, terms=[pm.Exchange(), pm.UniaxialAnisotropy(),
                                                   pm.Zeeman(B=(0, 0, 0), name="applied")], m=m)


def depinned(system):
    """True once the wall has passed through phase II: the far half of phase II points along -z."""
    x = system.mesh.coordinates()[0]
    return float(system.m[2][x > HALF_LENGTH / 2].mean()) < 0


def settle(system, B):
    system.term("applied").set(B=(0, 0, -B))
    system.minimize(stop=STOP)
    return depinned(system)


def depinning_field(case, cell=0.5e-9, rtol=1e-4):
    """mu0 Hp (T) of ``case`` on cells of ``cell`` (m): coarse steps of FIRST_STEP T until the
    wall depins, then bisection between the last pinned and the first depinned field (each
    trial from the last pinned state) to a relative width ``rtol``. Pinning-free cases return
    the first step."""
    if case not in CASES:
        raise pm.PymagError(f"unknown case {case!r}; cases: {sorted(CASES)}")
    system = wire(case, cell)
    low, state = 0.0, system.m.clone()
    high = FIRST_STEP
    while not settle(system, high):
        low, state = high, system.m.clone()
        high += FIRST_STEP
        if high > LIMIT:
            raise pm.ConvergenceError(f"case {case!r} on {cell:g} m cells: no depinning below {LIMIT} T")
    if low == 0.0:
        return high
    while high - low > rtol * high:
        mid = (low + high) / 2
        system.m = state
        if settle(system, mid):
            high = mid
        else:
            low, state = mid, system.m.clone()
    return (low + high) / 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=float, nargs="*", default=[1.0, 0.5, 0.25], help="cell sizes along x in nm")
    parser.add_argument("--cases", nargs="*", default=list(CASES), choices=list(CASES))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args(argv)
    out = pm.io.output_dir(args.out)
    rows = []
    print("| case | analytic mu0 Hp (T) | " + " | ".join(f"{c:g} nm: T (error)" for c in args.cells) + " |")
    print("|---|---|" + "---|" * len(args.cells))
    for case in args.cases:
        exact = analytic(case)
        found = [depinning_field(case, c * 1e-9) for c in args.cells]
        rows.append({"case": case, "analytic_T": exact, **{f"cell_{c:g}nm_T": v for c, v in zip(args.cells, found)}})
        cols = " | ".join(f"{v:.4f} ({100 * (v - exact) / exact:+.2f} %)" if exact > 0 else f"{v:.4f}" for v in found)
        print(f"| {case} | {exact:.4f} | {cols} |", flush=True)
    with open(out / "dw_pinning.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    from matplotlib.figure import Figure
    fig = Figure(figsize=(10, 3.5))
    ax, err = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    index = np.arange(len(rows))
    width = 0.6 / (len(args.cells) + 1)
    ax.bar(index - 0.3, [r["analytic_T"] for r in rows], width, label="analytic")
    pinned = [r for r in rows if r["analytic_T"] > 0]
    for k, c in enumerate(args.cells):
        key = f"cell_{c:g}nm_T"
        ax.bar(index - 0.3 + (k + 1) * width, [r[key] for r in rows], width, label=f"cells {c:g} nm")
        err.plot([r["case"] for r in pinned], [100 * (r[key] / r["analytic_T"] - 1) for r in pinned], "o-",
                 label=f"cells {c:g} nm")
    ax.set_xticks(index, [r["case"] for r in rows])
    ax.set_ylabel("mu0 Hp (T)")
    ax.legend()
    err.axhline(0, color="k", lw=0.5)
    err.set_ylabel("error against eq. 28 (%)")
    err.legend()
    fig.tight_layout()
    fig.savefig(out / "dw_pinning.png", dpi=120)
    print(f"wrote {out / 'dw_pinning.csv'} and {out / 'dw_pinning.png'}")


if __name__ == "__main__":
    main()
