"""muMAG standard problem 4: switching of a 500 x 125 x 3 nm permalloy film.

Relax the S-state from m = (1, 0.25, 0.1), then apply field 1 (-24.6, 4.3, 0) mT or
field 2 (-35.5, -6.3, 0) mT for 1 ns. Writes sp4_field<k>.csv and sp4.png.
Reference: https://www.ctcms.nist.gov/~rdm/std4/spec4.html
"""
import argparse

import pymag as pm
from pymag.units import mT, nm, ns, ps

FIELDS = {1: (-24.6 * mT, 4.3 * mT, 0.0), 2: (-35.5 * mT, -6.3 * mT, 0.0)}


def simulate(field, cell=2.5 * nm, dtype="float64", progress=True):
    """Table of <m>(t) for SP4 with field 1 or 2 on cells of ``cell`` x ``cell`` x 3 nm."""
    mesh = pm.Mesh(n=(round(500 * nm / cell), round(125 * nm / cell), 1), cell=(cell, cell, 3 * nm))
    system = pm.System(mesh, geometry=pm.Cuboid(size=(500 * nm, 125 * nm, 3 * nm)),
                       material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=[pm.Exchange(), pm.Demag()], m=(1, 0.25, 0.1), dtype=dtype)
    system.relax()
    system.add(pm.Zeeman(B=FIELDS[field]))
    return system.run(1 * ns, save_every=1 * ps, progress=progress)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--field", type=int, choices=(1, 2), nargs="*", default=[1, 2])
    parser.add_argument("--cell", type=float, default=2.5, help="in-plane cell size in nm")
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)

    from matplotlib.figure import Figure
    fig = Figure(figsize=(7, 3.2 * len(args.field)))
    for i, field in enumerate(args.field):
        table = simulate(field, args.cell * nm, args.dtype)
        table.to_csv(out / f"sp4_field{field}.csv")
        ax = fig.add_subplot(len(args.field), 1, i + 1)
        table.plot("t", ("mx", "my", "mz"), ax=ax)
        ax.set_ylabel("<m>")
        ax.set_title(f"SP4 field {field}")
        print(f"field {field}: {table.steps} steps, <m>(1 ns) = {table['mx'][-1]:.4f} "
              f"{table['my'][-1]:.4f} {table['mz'][-1]:.4f}")
    fig.tight_layout()
    fig.savefig(out / "sp4.png", dpi=120)
    print(f"wrote {out / 'sp4.png'}")


if __name__ == "__main__":
    main()
