"""muMAG standard problem 3: the edge length of a cube where flower and vortex states have equal energy.

Cube of edge L with uniaxial anisotropy Ku = 0.1 Km along z (Km = mu0 Ms^2/2). For each L
(in units of the exchange length l_ex = sqrt(2A/(mu0 Ms^2))) relax a flower state and a
vortex state and compare their energy densities (in Km); the crossing is near 8.47 l_ex.
Reference: https://www.ctcms.nist.gov/~rdm/spec3.html
"""
import argparse
import math

import numpy as np

import pymag as pm

MS, A = 1e6, 1e-11
KM = 0.5 * pm.units.mu0 * MS**2
LEX = math.sqrt(2 * A / (pm.units.mu0 * MS**2))


def energy_density(L, state, n=10, dtype="float64"):
    """Relaxed energy density (units of Km) of a cube of edge L (m) from 'flower' or 'vortex'."""
    d = L / n
    mesh = pm.Mesh(n=(n, n, n), cell=(d, d, d))
    if state == "flower":
        m = (0.05, 0.05, 1.0)
    else:
        # the SP3 vortex curls around an axis normal to the easy axis (here x), so that
        # half of the curling magnetization lies along the easy axis z
        def m(x, y, z):
            r = np.hypot(y, z) + 1e-30
            core = np.exp(-(r / (0.15 * L)) ** 2)
            s = np.sqrt(1 - core**2)
            return (core, -s * z / r, s * y / r)
    system = pm.System(mesh, material={"Ms": MS, "A": A, "Ku": 0.1 * KM, "Ku_axis": (0, 0, 1)},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy(), pm.Demag()], m=m, dtype=dtype)
    system.minimize()
    # pymag's anisotropy energy is -Ku (m.u)^2; the muMAG convention Ku (1 - (m.u)^2) adds Ku per volume
    return system.energy() / (L**3 * KM) + 0.1


def energy_gap(L, n=10, dtype="float64"):
    """e_flower - e_vortex (units of Km) for a cube of edge L (in l_ex)."""
    return energy_density(L * LEX, "flower", n, dtype) - energy_density(L * LEX, "vortex", n, dtype)


def crossing(bracket=(8.0, 9.0), n=10, dtype="float64", xtol=1e-3):
    """Edge length (in l_ex) where the flower and vortex energies are equal (Brent's method)."""
    from scipy.optimize import brentq
    return brentq(energy_gap, *bracket, args=(n, dtype), xtol=xtol)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=10, help="cells per cube edge")
    args = parser.parse_args()
    for length in (8.0, 8.5, 9.0):
        print(f"L = {length:.2f} l_ex: e_flower - e_vortex = {energy_gap(length, args.cells):+.5f} Km")
    L = crossing(n=args.cells)
    print(f"crossing at L = {L:.3f} l_ex (muMAG reference 8.47)")


if __name__ == "__main__":
    main()
