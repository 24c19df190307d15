"""MH curve of a soft square film, the NeuralMAG paper's setup (seed 000, section 4.6).

A two-layer film of n x n x 2 cells of 3 nm (default 64: 192 x 192 x 6 nm) with the
paper's default material (Ms = 1000 emu/cc, A = 0.5e-6 erg/cm, Ku = 0) is swept by a
field along x from 1000 Oe to -1000 Oe in 10 Oe steps (``--loop`` goes back to 1000 Oe),
bringing m to equilibrium at each field. ``--kick`` adds Gaussian noise of that rms to m
before settling at each field (pymag.unet.evaluate's MH protocol uses 0.05): it moves a film
off a weakly unstable symmetric state, which rounding alone may not. Prints remanence,
coercivity and the wall time; writes mh.csv, mh.png and the remanent state into the output
folder.
"""
import argparse
import time

import numpy as np

import pymag as pm
from pymag.units import Oe, emu_per_cc, erg_per_cc, erg_per_cm, nm


def film(n=64, Ku=0.0, dtype="float64"):
    """The paper's square film of n x n x 2 cubic 3 nm cells; Ku in erg/cc along x."""
    mesh = pm.Mesh(n=(n, n, 2), cell=(3 * nm, 3 * nm, 3 * nm))
    material = {"Ms": 1000 * emu_per_cc, "A": 0.5e-6 * erg_per_cm, "alpha": 0.1,
                "Ku": Ku * erg_per_cc, "Ku_axis": (1, 0, 0)}
    terms = [pm.Exchange(), pm.Demag()] + ([pm.UniaxialAnisotropy()] if Ku else [])
    # a little noise on the start breaks the square's symmetries, as a real sample's flaws do; a
    # uniform tilt alone would not: the film would follow a saddle to the branch that start
    # excites (for n = 32 a C state reversing at 171 Oe instead of an S state at 563 Oe)
    return pm.System(mesh, material=material, terms=terms, m=pm.init.uniform((1, 0.05, 0), noise=0.02, seed=1),
                     dtype=dtype)


def sweep(loop=False, step=10.0):
    """1000 Oe -> -1000 Oe in ``step`` Oe steps (and back with ``loop``), as segments (A/m)."""
    n = round(2000 / step)
    segments = [(1000 * Oe, -1000 * Oe, n)]
    return segments + [(-1000 * Oe, 1000 * Oe, n)] if loop else segments


def direction(tilt=0.0):
    """Field direction in the film plane, ``tilt`` degrees from x (the paper: 0)."""
    return (np.cos(np.radians(tilt)), np.sin(np.radians(tilt)), 0.0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="cells per side")
    parser.add_argument("--Ku", type=float, default=0.0, help="uniaxial anisotropy along x (erg/cc)")
    parser.add_argument("--step", type=float, default=10.0, help="field step (Oe)")
    parser.add_argument("--loop", action="store_true", help="sweep back to +1000 Oe")
    parser.add_argument("--tilt", type=float, default=0.0, help="field angle from x in the plane (degrees)")
    parser.add_argument("--kick", type=float, default=0.0, help="rms of the noise added before each field (0: none)")
    parser.add_argument("--method", default="minimize", choices=("minimize", "relax"))
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)

    system = film(args.n, args.Ku, args.dtype)
    start = time.perf_counter()
    res = system.hysteresis(sweep(args.loop, args.step), direction=direction(args.tilt), method=args.method,
                            record=True, noise=args.kick, seed=1)
    wall = time.perf_counter() - start
    res.to_csv(out / "mh.csv")
    res.plot(out / "mh.png", unit="Oe")
    zero = int(np.argmin(np.abs(res.H)))
    system.m = res.states[zero]
    system.plot(out / "remanence.png", title="H = 0")
    branches = [res.remanence, res.coercivity] if args.loop else [(res.remanence,), (res.coercivity,)]
    print(f"{args.n}x{args.n}x2 film, {len(res.H)} fields, {args.method}, {args.dtype}, kick {args.kick}: wall time {wall:.1f} s "
          f"({wall / len(res.H):.2f} s per field)")
    print("remanence Mr/Ms: " + ", ".join(f"{v:.4f}" for v in branches[0]))
    print("coercivity Hc: " + ", ".join(f"{v / Oe:.1f} Oe" for v in branches[1]))
    print(f"wrote mh.csv, mh.png and remanence.png to {out}/")


if __name__ == "__main__":
    main()
