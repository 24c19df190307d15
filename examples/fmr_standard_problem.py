"""FMR standard problem (Baker et al., J. Magn. Magn. Mater. 421, 428 (2017)).

A 120 x 120 x 10 nm square (5 nm cubes, Ms = 8e5 A/m, A = 1.3e-11 J/m) is relaxed in
H = 80 kA/m along (1, 0.715, 0); the field is then turned to (1, 0.7, 0) and the film rings
down at alpha = 0.008 (gamma = 2.210173e5 m/(A s)) for 20 ns, saved every 5 ps. The spectrum
of <m_y> has its main peaks at 8.25, 11.25 and 13.9 GHz; the mode maps show the amplitude and
phase of m_y per cell at each. Writes fmr_table.csv, ringdown.png (<m_y> over the first 3 ns),
spectrum.png, modes.png and the snapshots (snapshots/m*.ovf) to the output folder.
"""
import argparse

import numpy as np

import pymag as pm
from pymag.units import nm, ns, ps

SIZE = (120 * nm, 120 * nm, 10 * nm)
CELL = 5 * nm
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "gamma": 2.210173e5}
H0 = 80e3                                          # A/m
RELAX_DIRECTION = (1, 0.715, 0)
RINGDOWN_DIRECTION = (1, 0.7, 0)
ALPHA = 0.008
SAVE_EVERY = 5 * ps


def field(direction):
    """H0 along ``direction`` (A/m), a 3-tuple."""
    u = np.asarray(direction, dtype=float)
    return tuple(H0 * u / np.linalg.norm(u))


def relaxed(dtype="float64"):
    """The film relaxed in the first field, from m = (0, 0, 1) as in the published OOMMF run.

    The damping and the field are named parameters (``system.params``), so the ringdown only
    changes their values: ``relax`` integrates with alpha = 1 and no precession whatever the
    material's alpha, the problem's relaxation stage.
    """
    mesh = pm.Mesh(n=tuple(round(s / CELL) for s in SIZE), cell=(CELL, CELL, CELL))
    system = pm.System(mesh, material=dict(MATERIAL, alpha=lambda damping: damping),
                       terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=lambda applied: applied)],
                       m=(0, 0, 1), dtype=dtype, params={"damping": 1.0, "applied": field(RELAX_DIRECTION)})
    system.relax()
    return system


def simulate(duration=20 * ns, snapshots=None, dtype="float64", progress=True):
    """Relax, then ring down for ``duration`` (s); returns the table (rows every 5 ps).

    ``snapshots``: a folder for the magnetization every 5 ps (m000000.ovf at the start of
    the ringdown, ...), for the mode maps. The adaptive step is held by the stability of
    the exchange term (~1250 steps per ns), not by the error tolerance.
    """
    system = relaxed(dtype)
    system.params.update(damping=ALPHA, applied=field(RINGDOWN_DIRECTION))
    if snapshots is not None:
        system.autosave(SAVE_EVERY, snapshots, table=False)
    return system.run(duration, save_every=SAVE_EVERY, progress=progress)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=20.0, help="ringdown time in ns (default 20)")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir(args.out)
    frames = out / "snapshots"
    for old in frames.glob("m*.ovf"):
        old.unlink()

    table = simulate(args.duration * ns, snapshots=frames)
    table.to_csv(out / "fmr_table.csv")
    ax = table.plot("t", "my")
    ax.set_xlim(0, min(args.duration, 3.0))
    ax.set_ylabel("<my>")
    ax.figure.tight_layout()
    ax.figure.savefig(out / "ringdown.png", dpi=120)

    spectrum = pm.analysis.spectrum(table, "my")
    spectrum.plot(out / "spectrum.png", fmax=30e9)
    peaks = spectrum.peaks[:3]
    print("peaks of <my> (GHz):", " ".join(f"{f / 1e9:.3f}" for f in peaks), "(published: 8.25 11.25 13.9)")
    maps = pm.analysis.mode_maps(sorted(frames.glob("m*.ovf")), freqs=peaks, component="y")
    maps.plot(out / "modes.png")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
