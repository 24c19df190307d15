"""muMAG standard problem 5: a vortex in a 100 x 100 x 10 nm permalloy square pushed by a current.

Najafi et al., J. Appl. Phys. 105, 113914 (2009): Ms = 8e5 A/m, A = 1.3e-11 J/m, alpha = 0.1,
gamma = 2.211e5 m/(A s). The vortex (counterclockwise, core along +z, mumax3's vortex(1, 1))
is relaxed without current, then j = 1e12 A/m^2 flows along x with P = 1 and beta = 0.05
(Zhang-Li torque, u = P g muB j/(2 e Ms (1 + beta^2)) = 72.2 m/s) for 8 ns: the core spirals
to a new equilibrium. Writes sp5.csv (<m>(t) every 10 ps) and sp5.png (<mx>, <my> against t).
Reference: https://www.ctcms.nist.gov/~rdm/std5/spec5.xhtml
"""
import argparse

import pymag as pm
from pymag.units import nm, ns, ps

SIZE = (100 * nm, 100 * nm, 10 * nm)
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "alpha": 0.1, "gamma": 2.211e5}
CURRENT = (1e12, 0.0, 0.0)
P, BETA = 1.0, 0.05


def simulate(cell=5 * nm, duration=8 * ns, j=CURRENT, dtype="float64", progress=True):
    """Table of <m>(t) every 10 ps over ``duration`` (s) after the current ``j`` (A/m^2) is
    switched on, on cubic cells of ``cell`` (m)."""
    n = tuple(round(s / cell) for s in SIZE)
    mesh = pm.Mesh(n=n, cell=tuple(s / k for s, k in zip(SIZE, n)))
    system = pm.System(mesh, material=MATERIAL, terms=[pm.Exchange(), pm.Demag()],
                       m=pm.init.vortex(circulation=1, polarity=1), dtype=dtype)
    system.relax()
    system.add(pm.ZhangLi(j=j, P=P, beta=BETA))
    return system.run(duration, save_every=10 * ps, progress=progress)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", type=float, default=5.0, help="cubic cell size in nm (100 and 10 nm must be multiples)")
    parser.add_argument("--duration", type=float, default=8.0, help="time with current in ns")
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)

    table = simulate(args.cell * nm, args.duration * ns, dtype=args.dtype)
    table.to_csv(out / "sp5.csv")

    from matplotlib.figure import Figure
    fig = Figure(figsize=(7, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    table.plot("t", ("mx", "my"), ax=ax)
    ax.set_ylabel("<m>")
    ax.set_title(f"SP5, {args.cell:g} nm cells, j = 1e12 A/m$^2$ along x")
    fig.tight_layout()
    fig.savefig(out / "sp5.png", dpi=120)
    print(f"{table.steps} steps, <m>({args.duration:g} ns) = {table['mx'][-1]:.4f} {table['my'][-1]:.4f} "
          f"{table['mz'][-1]:.4f}")
    print(f"wrote {out / 'sp5.png'}")


if __name__ == "__main__":
    main()
