"""DMI standard problems (Cortés-Ortuño et al., New J. Phys. 20, 113015 (2018)), interfacial DMI.

Material of both problems: A = 13 pJ/m, Ku = 0.4 MJ/m^3 along z, Ms = 0.86 MA/m, |D| = 3 mJ/m^2,
no demag. The paper's D = 3 mJ/m^2 is D = -3e-3 J/m^2 here, as in mumax3's Dind (see
docs/conventions.md).

- 1-D: a 100 x 1 x 1 nm wire of 1 nm cells, minimized from m = +z: the DMI tilts m at the two
  free ends (m_x, m_z against x).
- 2-D: a Néel skyrmion in a disk of 100 nm diameter and 2 nm thickness, 2 nm cells, minimized
  from m = +z inside r < 25 nm and -z outside (the paper's mumax3 script): m_z(r) along the
  line cut through the centre.

Writes dmi_1d.csv, dmi_2d.csv and dmi_standard_problems.png into the output folder. With
``--reference DIR`` (a folder holding the paper's data as dmi_sp_1d_interfacial_profiles.csv
and dmi_sp_2d_disk_interfacial_mz_profile.csv) it plots the ODE solutions and prints the
largest deviations from them of pymag and of mumax3.
"""
import argparse
import csv
import pathlib

import numpy as np

import pymag as pm
from pymag.units import nm

MATERIAL = {"Ms": 0.86e6, "A": 13e-12, "Ku": 0.4e6, "Ku_axis": (0, 0, 1), "D": -3e-3}
TERMS = (pm.Exchange, pm.UniaxialAnisotropy, pm.DMI)


def wire(stop=1e-10):
    """The 1-D problem, minimized: (x (nm), m_x, m_z) at the cell centres."""
    mesh = pm.Mesh(n=(100, 1, 1), cell=(1 * nm, 1 * nm, 1 * nm))
    system = pm.System(mesh, material=MATERIAL, terms=[term() for term in TERMS], m=(0, 0, 1))
    system.minimize(stop=stop)
    m = system.m.numpy()[:, :, 0, 0]
    return mesh.axis_coordinates(0) / nm, m[0], m[2]


def disk(stop=1e-9):
    """The 2-D problem, minimized: (x (nm), m_z) along the row of cells next to the disk's
    centre line (y = -1 nm; the skyrmion is symmetric under y -> -y)."""
    mesh = pm.Mesh(n=(50, 50, 1), cell=(2 * nm, 2 * nm, 2 * nm))
    core = 25 * nm

    def m0(x, y, z):
        return 0 * x, 0 * x, np.where(np.hypot(x, y) < core, 1.0, -1.0)

    system = pm.System(mesh, geometry=pm.Cylinder(100 * nm, 2 * nm), material=MATERIAL,
                       terms=[term() for term in TERMS], m=m0)
    system.minimize(stop=stop)
    return mesh.axis_coordinates(0) / nm, system.m.numpy()[2, :, 24, 0]


def reference_profiles(folder):
    """The paper's data: {problem: {source: columns}}, 1-D columns (x nm, m_x, m_z), 2-D
    columns (r or x nm, m_z); sources "ODE", "mumax3", "oommf", "fidimag"."""
    folder = pathlib.Path(folder)
    out = {"1d": {}, "2d": {}}
    for problem, name in (("1d", "dmi_sp_1d_interfacial_profiles.csv"),
                          ("2d", "dmi_sp_2d_disk_interfacial_mz_profile.csv")):
        with open(folder / name) as f:
            for row in csv.reader(f):
                if row[0] != "source":
                    out[problem].setdefault(row[0], []).append([float(v) for v in row[1:]])
    return {problem: {k: np.array(v) for k, v in sources.items()} for problem, sources in out.items()}


def deviation_1d(x, mx, mz, ode):
    """Largest |m - m_ODE| over the cells and both components, the ODE solution interpolated
    linearly at the cell centres ``x`` (nm)."""
    return max(np.abs(mx - np.interp(x, ode[:, 0], ode[:, 1])).max(),
               np.abs(mz - np.interp(x, ode[:, 0], ode[:, 2])).max())


def deviation_2d(x, mz, ode):
    """Largest |m_z - m_z,ODE(r)| along a line cut at positions ``x`` (nm) through the centre
    (r = |x|, the ODE solution interpolated linearly)."""
    return np.abs(mz - np.interp(np.abs(x), ode[:, 0], ode[:, 1])).max()


def plot(path, one, two, reference=None):
    """The 1-D profiles and the 2-D m_z(x), with the ODE solutions when ``reference`` is given."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    x, mx, mz = one
    ax1.plot(x, mx, ".", label="m_x pymag")
    ax1.plot(x, mz, ".", label="m_z pymag")
    ax2.plot(two[0], two[1], ".", label="m_z pymag")
    if reference is not None:
        ode = reference["1d"]["ODE"]
        ax1.plot(ode[:, 0], ode[:, 1], "k-", lw=1, label="ODE")
        ax1.plot(ode[:, 0], ode[:, 2], "k-", lw=1)
        ode = reference["2d"]["ODE"]
        ax2.plot(np.concatenate([-ode[::-1, 0], ode[:, 0]]), np.concatenate([ode[::-1, 1], ode[:, 1]]), "k-",
                 lw=1, label="ODE")
    ax1.set(xlabel="x (nm)", ylabel="m", title="1-D wire, interfacial DMI")
    ax2.set(xlabel="x (nm)", ylabel="m_z", title="2-D disk: Néel skyrmion")
    for ax in (ax1, ax2):
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", default=None, help="folder of the paper's data (optional)")
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args(argv)
    out = pm.io.output_dir(args.out)
    one, two = wire(), disk()
    np.savetxt(out / "dmi_1d.csv", np.column_stack(one), delimiter=",", header="x_nm,mx,mz", comments="")
    np.savetxt(out / "dmi_2d.csv", np.column_stack(two), delimiter=",", header="x_nm,mz", comments="")
    reference = reference_profiles(args.reference) if args.reference else None
    plot(out / "dmi_standard_problems.png", one, two, reference)
    if reference is not None:
        mumax = reference["1d"]["mumax3"]
        print(f"1-D max |m - m_ODE|: pymag {deviation_1d(*one, reference['1d']['ODE']):.5f}, "
              f"mumax3 {deviation_1d(mumax[:, 0], mumax[:, 1], mumax[:, 2], reference['1d']['ODE']):.5f}")
        mumax = reference["2d"]["mumax3"]
        print(f"2-D max |m_z - m_z,ODE|: pymag {deviation_2d(*two, reference['2d']['ODE']):.5f}, "
              f"mumax3 {deviation_2d(mumax[:, 0], mumax[:, 1], reference['2d']['ODE']):.5f}")
    print(f"wrote dmi_1d.csv, dmi_2d.csv and dmi_standard_problems.png to {out}/")


if __name__ == "__main__":
    main()
