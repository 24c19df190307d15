"""muMAG standard problem 1: hysteresis loops of a 1 um x 2 um x 20 nm permalloy film.

Ms = 8e5 A/m, A = 1.3e-11 J/m, uniaxial anisotropy Ku = 5e2 J/m^3 along the long (y)
edge. The field is swept from +50 mT to -50 mT and back, once about 1 degree
counterclockwise off the long axis (91 degrees from x) and once about 1 degree off the
short axis (1 degree from x), as the problem asks "to avoid meta-stable symmetric
states". At each field m is brought to equilibrium with the energy minimizer. Writes
sp1_long.csv, sp1_short.csv, the two loops in sp1.png and the remanent states (both
branches of both loops) as sp1_<axis>_remanence_<branch>.png.

Published context. The problem has no reference solution. The submissions posted on the
muMAG site (https://www.ctcms.nist.gov/~rdm/spec1.html) disagree widely, in the loops'
shape, the coercive fields and the remanent domain states. The organisers' report from
the 1998 MMM meeting (https://www.ctcms.nist.gov/mumag/mmmi98.html) notes that loops and
remanent states differed with the state the magnetization had before the field was raised
to +50 mT: 50 mT is not enough to pick one remanent state. So a result here can only be
judged qualitatively: along the long axis a high remanence (the film stays near
saturation, with flux-closure ends) and an abrupt switch at a few mT; along the short axis
a low remanence (m turns to the long axis) and a rounded loop. The NeuralMAG paper
(Cai et al., Fig. 5) runs this problem on 10 nm cells in 2 layers (``--cell 10
--layers 2``) and overlays the website's submissions; it gives no numbers. A uniform
(Stoner-Wohlfarth) reversal would need the film's full anisotropy field, 2 Ku/Ms plus
(N_x - N_y) Ms from Aharoni's prism factors, about 17.5 mT: every coercive field should lie
well below it, since a non-uniform reversal starts first.

The default 20 nm cells are coarse (the exchange length is 5.7 nm) but allowed by the
problem ("You may choose any cell size"); coercive fields move with the cell size. The
default run (2 x 201 fields) takes 5-8 minutes on 2 shared cores; ``--steps 50`` halves it.
"""
import argparse
import math
import time

import numpy as np

import pymag as pm
from pymag.units import mT, mu0, nm

MS, A, KU = 8e5, 1.3e-11, 5e2
SIZE = (1000 * nm, 2000 * nm, 20 * nm)
ANGLES = {"long": 91.0, "short": 1.0}      # field direction, degrees from +x (1 degree ccw off the axis)
BRANCHES = ("descending", "ascending")


def direction(axis):
    """Unit vector of the applied field for the ``long`` or ``short`` axis loop."""
    phi = math.radians(ANGLES[axis])
    return (math.cos(phi), math.sin(phi), 0.0)


def make_system(cell=20 * nm, layers=1, dtype="float64", m=(0, 1, 0)):
    """The SP1 film on cells of at most ``cell`` in plane and ``layers`` cells through the thickness."""
    n = (math.ceil(SIZE[0] / cell - 1e-9), math.ceil(SIZE[1] / cell - 1e-9), layers)
    mesh = pm.Mesh(n=n, cell=(SIZE[0] / n[0], SIZE[1] / n[1], SIZE[2] / layers))
    return pm.System(mesh, material={"Ms": MS, "A": A, "Ku": KU, "Ku_axis": (0, 1, 0)},
                     terms=[pm.Exchange(), pm.Demag(), pm.UniaxialAnisotropy()], m=m, dtype=dtype)


def simulate(axis, cell=20 * nm, steps=100, H_max=50 * mT, loop=True, layers=1, dtype="float64",
             record=False, progress=False):
    """Sweep along the ``long`` or ``short`` axis (1 degree off it) from +``H_max`` (T) to
    -``H_max`` in ``steps`` equal steps, and back when ``loop``; m starts saturated along
    the field with a little noise (rms 0.02), which breaks the film's symmetries: a uniform
    start is its own image under a half turn with m -> -m, a symmetry of the exact field, so
    the loop would leave that subspace only by rounding, differently on every CPU.
    Returns (HysteresisResult, System); ``record`` keeps every equilibrium state."""
    u = direction(axis)
    system = make_system(cell, layers, dtype, m=pm.init.uniform(u, noise=0.02, seed=1))
    H0 = H_max / mu0
    segments = [(H0, -H0, steps), (-H0, H0, steps)] if loop else [(H0, -H0, steps)]
    res = system.hysteresis(segments, direction=u, method="minimize", record=record, progress=progress)
    return res, system


def zero_field_states(res):
    """Index of the step nearest H = 0 in each branch of a sweep."""
    return [a + int(np.argmin(np.abs(res.H[a:b]))) for a, b in res.branches()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--axis", nargs="*", choices=tuple(ANGLES), default=list(ANGLES))
    parser.add_argument("--cell", type=float, default=20.0, help="largest in-plane cell size in nm")
    parser.add_argument("--layers", type=int, default=1, help="cells through the 20 nm thickness")
    parser.add_argument("--steps", type=int, default=100, help="field steps per branch (100: 1 mT)")
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir() if args.out is None else pm.io.output_dir(args.out)

    from matplotlib.figure import Figure
    fig = Figure(figsize=(5 * len(args.axis), 4))
    axes = fig.subplots(1, len(args.axis), squeeze=False)[0]
    start = time.perf_counter()
    for ax, axis in zip(axes, args.axis):
        t0 = time.perf_counter()
        res, system = simulate(axis, args.cell * nm, args.steps, layers=args.layers, dtype=args.dtype,
                               record=True, progress=True)
        wall = time.perf_counter() - t0
        res.to_csv(out / f"sp1_{axis}.csv")
        res.plot(ax=ax, unit="mT", color="k")
        ax.set_title(f"field {ANGLES[axis]:g} deg from x ({axis} axis)")
        nx, ny, nz = system.mesh.n
        print(f"{axis} axis ({nx} x {ny} x {nz} cells, {len(res.H)} fields, {wall:.1f} s):")
        for branch, mr, hc, k in zip(BRANCHES, res.remanence, res.coercivity, zero_field_states(res)):
            mx, my = res.table["mx"][k], res.table["my"][k]
            print(f"  {branch:10s}  Mr/Ms = {mr:+.4f}  (<m> at H = 0: mx {mx:+.4f}, my {my:+.4f})   "
                  f"mu0 Hc = {hc * mu0 / mT:.2f} mT")
            system.m = res.states[k]
            system.plot(out / f"sp1_{axis}_remanence_{branch}.png", title=f"{axis} axis, remanence ({branch})")
    fig.tight_layout()
    fig.savefig(out / "sp1.png", dpi=120)
    print(f"wall time {time.perf_counter() - start:.1f} s; wrote sp1_*.csv, sp1.png and "
          f"sp1_*_remanence_*.png to {out}")


if __name__ == "__main__":
    main()
