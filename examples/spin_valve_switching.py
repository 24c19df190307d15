"""Spin-valve switching by the Slonczewski spin-transfer torque.

An elliptical 160 x 80 x 3 nm permalloy free layer (exchange and demag) starts relaxed along
-x, antiparallel to the fixed layer's polarization p = +x, in a 2 mT bias field along y that
tilts it by 4 degrees (so the torque acts from the start, as a thermal tilt would). A current
pulse j through the stack (P = 0.5669 as in mumax3's Slonczewski example, Lambda = 2,
eps' = 0) switches it to +x, parallel to p. Writes spin_valve.csv and spin_valve.png (<m>(t)).

Macrospin threshold of the antiparallel state (epsilon(-1) = P Lambda^2/2):
j_c = 2 e alpha mu0 Ms d (H_K + Ms_eff/2) / (hbar P Lambda^2), with the ellipse's demag factors
(pymag's, on 5 nm cells: N = 0.025, 0.059, 0.916) H_K = (N_y - N_x) Ms = 2.7e4 A/m and
Ms_eff = (N_z - N_x) Ms = 0.89 Ms: j_c = 1.5e10 A/m^2. The default pulse, 2e11 A/m^2 for 1 ns,
switches within 0.6 ns; 1e11 A/m^2 leaves m precessing about -x after 1 ns; below j_c the
tilt only decays.
"""
import argparse

import pymag as pm
from pymag.units import mT, nm, ns, ps

SIZE = (160 * nm, 80 * nm, 3 * nm)
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "alpha": 0.01}
BIAS = (0, 2 * mT, 0)  # T
J_PULSE = 2e11  # A/m^2
PULSE = 1 * ns


def simulate(cell=5 * nm, j=J_PULSE, pulse=PULSE, settle=0.5 * ns, dtype="float64", progress=True):
    """Table of <m>(t) (t from the start of the pulse, s) of the free layer on ``cell`` x ``cell``
    x 3 nm cells: relaxed along -x in the bias field, then a pulse of ``j`` (A/m^2) lasting
    ``pulse`` (s), then ``settle`` (s) without current."""
    mesh = pm.Mesh(n=(round(SIZE[0] / cell), round(SIZE[1] / cell), 1), cell=(cell, cell, SIZE[2]))
    system = pm.System(mesh, geometry=pm.Ellipse(SIZE[:2]), material=MATERIAL,
                       terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(B=BIAS)], m=(-1, 0.1, 0), dtype=dtype)
    system.relax()
    system.t = 0.0
    system.add(pm.Slonczewski(j=lambda t: j if t < pulse else 0.0, p=(1, 0, 0), P=0.5669, Lambda=2,
                              eps_prime=0, thickness=SIZE[2]))
    return system.run(pulse + settle, save_every=10 * ps, progress=progress)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", type=float, default=5.0, help="in-plane cell size in nm")
    parser.add_argument("--j", type=float, default=J_PULSE, help="current density of the pulse (A/m^2)")
    parser.add_argument("--pulse", type=float, default=PULSE / ns, help="pulse length in ns")
    parser.add_argument("--settle", type=float, default=0.5, help="time after the pulse in ns")
    parser.add_argument("--dtype", default="float64", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)

    table = simulate(args.cell * nm, args.j, args.pulse * ns, args.settle * ns, args.dtype)
    table.to_csv(out / "spin_valve.csv")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(7, 3.5))
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(table["t"] / ns, table["mx"], label="<mx>")
    ax.plot(table["t"] / ns, table["my"], label="<my>")
    ax.plot(table["t"] / ns, table["mz"], label="<mz>")
    ax.axvspan(0, args.pulse, color="0.9", label="current on")
    ax.set_xlabel("t (ns)")
    ax.set_ylabel("<m>")
    ax.set_title(f"spin valve, j = {args.j:.3g} A/m$^2$ for {args.pulse:g} ns")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(out / "spin_valve.png", dpi=120)
    print(f"{table.steps} steps, <mx> {table['mx'][0]:.3f} -> {table['mx'][-1]:.3f}; wrote {out / 'spin_valve.png'}")


if __name__ == "__main__":
    main()
