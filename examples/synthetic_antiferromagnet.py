"""Synthetic antiferromagnet: two CoFeB-like layers coupled antiparallel through a Ru spacer.

Two n x n x 2 cell layers (4 x 4 x 1 nm cells, default n = 16: 64 x 64 x 2 nm each) with
Ms = 1.1 MA/m, A = 15 pJ/m and a weak in-plane easy axis Ku = 10 kJ/m^3 along x sit on
either side of a one-cell (1 nm) empty spacer standing for the Ru layer; pm.InterlayerExchange
couples them with J1 = -0.5 mJ/m^2. No demag: the stray field of the finite layers would add
shape anisotropy and a dipolar coupling, which would blur the comparison with the macrospin
formulas below.

At zero field the layers relax antiparallel along x. A field swept along x (tilted
``--tilt`` degrees so that the symmetric antiparallel state is left deterministically) first
leaves them antiparallel, then flops them into the scissor state and closes the scissors until
the layers are parallel. For two macrospins of thickness t (energy per volume
-mu0 Ms H (cos a1 + cos a2) - Ku (cos^2 a1 + cos^2 a2) - (J1/t) cos(a1 - a2)) the antiparallel
state turns unstable at mu0 H_flop = 2 sqrt(Ku (Ku - J1/t))/Ms and the scissors close at
mu0 H_sat = 2 (-J1/t - Ku)/Ms; the script prints both next to the fields it found and writes
saf.csv and saf.png (per-layer m_x and <m_x> against mu0 H) into the output folder.
"""
import argparse

import numpy as np

import pymag as pm
from pymag.units import mu0, nm

MS, A_EX, KU, J1 = 1.1e6, 1.5e-11, 1e4, -5e-4
DX, DZ, LAYER = 4 * nm, 1 * nm, 2          # cell sizes (m), cells per layer along z
THICKNESS = LAYER * DZ


def analytic_fields():
    """(mu0 H_flop, mu0 H_sat) (T) of two macrospins with the example's constants."""
    flop = 2 * np.sqrt(KU * (KU - J1 / THICKNESS)) / MS
    saturation = 2 * (-J1 / THICKNESS - KU) / MS
    return flop, saturation


def bilayer(n=16):
    """The two layers (regions "upper" and "lower") with the spacer between, m antiparallel
    along +-x."""
    mesh = pm.Mesh(n=(n, n, 2 * LAYER + 1), cell=(DX, DX, DZ))
    offset = (LAYER + 1) * DZ / 2
    upper = pm.Cuboid((n * DX, n * DX, THICKNESS)).translate(0, 0, offset)
    lower = pm.Cuboid((n * DX, n * DX, THICKNESS)).translate(0, 0, -offset)
    material = {"Ms": MS, "A": A_EX, "Ku": KU, "Ku_axis": (1, 0, 0)}
    terms = [pm.Exchange(), pm.UniaxialAnisotropy(), pm.InterlayerExchange(J1=J1, top="upper", bottom="lower")]
    return pm.System(mesh, geometry=upper | lower, material=material, terms=terms,
                     regions=[pm.Region(upper, {}, "upper"), pm.Region(lower, {}, "lower")],
                     m=lambda x, y, z: (np.sign(z), 0.02 * np.ones_like(z), 0 * z))


def sweep(n=16, steps=110, B_max=0.55, tilt=1.0):
    """Relax the bilayer at zero field, then sweep mu0 H from 0 to ``B_max`` (T) in ``steps``
    steps along x tilted ``tilt`` degrees towards y. Returns mu0 H (T) and the mean m_x of the
    upper and of the lower layer at each field."""
    system = bilayer(n)
    system.minimize()
    direction = (np.cos(np.radians(tilt)), np.sin(np.radians(tilt)), 0.0)
    res = system.hysteresis([(0.0, B_max / mu0, steps)], direction=direction, record=True, progress=False)
    states = np.asarray(res.states)
    upper = states[:, 0, :, :, LAYER + 1:].mean(axis=(1, 2, 3))
    lower = states[:, 0, :, :, :LAYER].mean(axis=(1, 2, 3))
    return mu0 * res.H, upper, lower


def transitions(B, upper, lower):
    """(flop, saturation) fields (T) of a sweep: where the lower layer's m_x jumps most, and the
    first field at which both layers have m_x > 0.999."""
    flop = B[np.argmax(np.diff(lower)) + 1]
    saturated = (upper > 0.999) & (lower > 0.999)
    return flop, B[np.argmax(saturated)] if saturated.any() else np.nan


def plot(path, B, upper, lower):
    """Per-layer m_x and their mean against mu0 H (T), with the analytic fields marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(B, upper, ".-", label="upper layer")
    ax.plot(B, lower, ".-", label="lower layer")
    ax.plot(B, (upper + lower) / 2, "k-", label="<m_x>")
    for value, name in zip(analytic_fields(), ("H_flop", "H_sat")):
        ax.axvline(value, ls=":", color="gray")
        ax.text(value, -0.95, f" {name}", color="gray")
    ax.set_xlabel("mu0 H (T)")
    ax.set_ylabel("m_x")
    ax.legend(loc="center right")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=16, help="cells per side of each layer")
    parser.add_argument("--steps", type=int, default=110, help="field steps from 0 to --max")
    parser.add_argument("--max", type=float, default=0.55, help="largest mu0 H (T)")
    parser.add_argument("--tilt", type=float, default=1.0, help="field angle from the easy axis (degrees)")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args(argv)
    out = pm.io.output_dir(args.out)
    B, upper, lower = sweep(args.n, args.steps, args.max, args.tilt)
    np.savetxt(out / "saf.csv", np.column_stack([B, upper, lower]), delimiter=",",
               header="mu0H_T,mx_upper,mx_lower", comments="")
    plot(out / "saf.png", B, upper, lower)
    flop, saturation = transitions(B, upper, lower)
    flop_ref, saturation_ref = analytic_fields()
    step = args.max / args.steps
    print(f"spin flop:  {flop * 1e3:.1f} mT (macrospin instability {flop_ref * 1e3:.1f} mT)")
    print(f"saturation: {saturation * 1e3:.1f} mT (macrospin {saturation_ref * 1e3:.1f} mT); "
          f"field step {step * 1e3:.1f} mT")
    print(f"wrote saf.csv and saf.png to {out}/")
    return flop, saturation


if __name__ == "__main__":
    main()
