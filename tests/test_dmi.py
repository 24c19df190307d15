"""Interfacial DMI against the DMI standard problem (Cortes-Ortuno et al., New J. Phys. 20, 113015 (2018)).

1-D wire of 100 nm, 1 nm cells, A = 13 pJ/m, Ku = 0.4 MJ/m^3 along z, Ms = 0.86 MA/m, |D| = 3 mJ/m^2,
no demag: the DMI tilts the magnetization at the free ends. mumax3's Dind convention needs
D = -3e-3 J/m^2 for the published profile, and pymag uses the same convention.
"""
import csv
import math

import numpy as np
import pytest

import pymag as pm


def wire(D, kind="interfacial"):
    key = "D" if kind == "interfacial" else "D_bulk"
    mesh = pm.Mesh(n=(100, 1, 1), cell=(1e-9, 1e-9, 1e-9))
    system = pm.System(mesh, material={"Ms": 0.86e6, "A": 13e-12, "Ku": 0.4e6, "Ku_axis": (0, 0, 1), key: D},
                       terms=[pm.Exchange(), pm.UniaxialAnisotropy(), pm.DMI(kind)], m=(0, 0, 1))
    system.minimize(stop=1e-10)
    return system, mesh


def profiles(reference):
    out = {}
    with open(reference / "dmi_sp_1d_interfacial_profiles.csv") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["source"], []).append([float(row["x_nm"]), float(row["mx"]), float(row["mz"])])
    return {k: np.array(v) for k, v in out.items()}


def test_edge_tilt_matches_published_codes(reference):
    system, mesh = wire(-3e-3)
    ref = profiles(reference)
    mx, mz = system.m[0, :, 0, 0].numpy(), system.m[2, :, 0, 0].numpy()
    for code in ("mumax3", "oommf"):
        # same 1 nm finite-difference discretization: agreement to the codes' relaxation tolerance
        np.testing.assert_allclose(mx, ref[code][:, 1], atol=1e-4)
        np.testing.assert_allclose(mz, ref[code][:, 2], atol=1e-4)


def test_profile_approaches_the_ode_solution(reference):
    system, mesh = wire(-3e-3)
    ode = profiles(reference)["ODE"]
    x = mesh.axis_coordinates(0) * 1e9
    mx = system.m[0, :, 0, 0].numpy()
    # the continuum ODE solution, read at the cell centres; 1 nm cells against a ~4 nm edge
    # length A/|D| give a first-order boundary error of a few percent of the tilt
    np.testing.assert_allclose(mx, np.interp(x, ode[:, 0], ode[:, 1]), atol=0.04)


def test_edge_tilt_angle_from_boundary_condition():
    # continuum boundary condition d(theta)/dx = D/(2A) at the free ends of a 1-D chain;
    # far from the edges m is along the easy axis (Rohart & Thiaville, PRB 88, 184422 (2013))
    system, mesh = wire(-3e-3)
    theta = np.arcsin(np.clip(system.m[0, :, 0, 0].numpy(), -1, 1))
    slope = abs(theta[1] - theta[0]) / 1e-9
    assert slope == pytest.approx(3e-3 / (2 * 13e-12), rel=0.25)
    assert abs(theta[50]) < 1e-3


def test_bulk_dmi_field_is_minus_curl():
    # H = -2D/(mu0 Ms) curl m for bulk DMI (mumax3's Dbulk); on the helix m = (0, sin kx, cos kx)
    # curl m = (0, -d_x m_z, d_x m_y) = k m, so H = -(2 D k/(mu0 Ms)) m
    n, d, D, Ms = 64, 0.5e-9, 2e-3, 5e5
    k = 2 * math.pi / (n * d)
    mesh = pm.Mesh(n=(n, 1, 1), cell=(d, d, d), pbc=(1, 0, 0))
    system = pm.System(mesh, material={"Ms": Ms, "D_bulk": D}, terms=[pm.DMI("bulk")],
                       m=lambda x, y, z: (0 * x, np.sin(k * x), np.cos(k * x)))
    H = system.field("dmi").numpy()[:, :, 0, 0]
    m = system.m.numpy()[:, :, 0, 0]
    # the central difference of the lattice gives sin(k d)/d instead of k
    amp = 2 * D * math.sin(k * d) / d / (pm.units.mu0 * Ms)
    np.testing.assert_allclose(H, -amp * m, atol=1e-9 * amp)
