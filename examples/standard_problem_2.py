"""muMAG standard problem 2: remanence and coercivity of a thin bar vs its size d/l_ex.

A bar of L x d x t = 5d x d x 0.1d with only exchange and demag energy, field along
(1, 1, 1)/sqrt(3), swept down from 0.1 Ms. Lengths in units of the exchange length
l_ex = sqrt(2A / (mu0 Ms^2)). Reports Mr/Ms (x and y), Hc/Ms and writes sp2.csv, sp2.png.
Reference: https://www.ctcms.nist.gov/~rdm/std2/spec2.html
"""
import argparse
import math
import time

import numpy as np

import pymag as pm
from pymag.units import mu0

MS, A = 8e5, 1.3e-11
LEX = math.sqrt(2 * A / (mu0 * MS**2))
DIRECTION = (1, 1, 1)


def sweep(Ms=MS):
    """Field steps (A/m): coarse from 0.1 Ms to -0.04 Ms, then 0.0005 Ms steps to -0.07 Ms,
    where every published coercivity for d/l_ex <= 30 lies."""
    return [(0.1 * Ms, 0.0, 10), (0.0, -0.04 * Ms, 8), (-0.04 * Ms, -0.07 * Ms, 60)]


def simulate(d_over_lex, cell_over_lex=0.5, dtype="float64", fields=None, progress=False):
    """(Mr_x/Ms, Mr_y/Ms, Hc/Ms, HysteresisResult) for a bar of width d = ``d_over_lex`` l_ex,
    on cells of at most ``cell_over_lex`` l_ex in plane and one cell through the thickness;
    ``fields`` replaces the default sweep (it must visit H = 0)."""
    d = d_over_lex * LEX
    size = (5 * d, d, 0.1 * d)
    n = (math.ceil(5 * d_over_lex / cell_over_lex), math.ceil(d_over_lex / cell_over_lex), 1)
    mesh = pm.Mesh(n=n, cell=(size[0] / n[0], size[1] / n[1], size[2]))
    system = pm.System(mesh, material={"Ms": MS, "A": A}, terms=[pm.Exchange(), pm.Demag()],
                       m=DIRECTION, dtype=dtype)
    res = system.hysteresis(sweep() if fields is None else fields, direction=DIRECTION, method="minimize", progress=progress)
    zero = int(np.argmin(np.abs(res.H)))
    return res.table["mx"][zero], res.table["my"][zero], res.coercivity / MS, res


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--d", type=float, nargs="*", default=[1, 5, 10, 15, 20, 25, 30],
                        help="bar widths in units of l_ex")
    parser.add_argument("--cell", type=float, default=0.5, help="largest cell size in l_ex")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir() if args.out is None else pm.io.output_dir(args.out)

    rows = pm.Table()
    for d in args.d:
        start = time.perf_counter()
        mrx, mry, hc, _ = simulate(d, args.cell, progress=True)
        rows.append({"d_over_lex": d, "Mrx": mrx, "Mry": mry, "Hc_over_Ms": hc})
        print(f"d/l_ex = {d:5.1f}: Mr/Ms = ({mrx:.4f}, {mry:.4f}), Hc/Ms = {hc:.4f}  "
              f"[{time.perf_counter() - start:.1f} s]")
    rows.to_csv(out / "sp2.csv")

    from matplotlib.figure import Figure
    fig = Figure(figsize=(9, 3.5))
    ax1, ax2 = fig.subplots(1, 2)
    ax1.plot(rows["d_over_lex"], rows["Mrx"], "o-", label="Mr_x/Ms")
    ax1.plot(rows["d_over_lex"], rows["Mry"], "s-", label="Mr_y/Ms")
    ax2.plot(rows["d_over_lex"], rows["Hc_over_Ms"], "o-")
    for ax, label in ((ax1, "remanence"), (ax2, "Hc/Ms")):
        ax.set_xlabel("d / l_ex")
        ax.set_title(label)
    ax1.legend()
    fig.tight_layout()
    fig.savefig(out / "sp2.png", dpi=120)
    print(f"wrote {out / 'sp2.csv'} and {out / 'sp2.png'}")


if __name__ == "__main__":
    main()
