"""Exchange energy and field against independent references."""
import csv
import math

import numpy as np
import pytest

import pymag as pm


def test_inhomogeneous_exchange_matches_oommf(reference):
    # mumax3's test/exchange_inhomo.mx3: 4x4x1 random vectors, 4 regions of A, 1 m cells;
    # OOMMF gives E = 154.4891365 J with harmonic-mean coupling between regions.
    # Exchange energy scales as V/d^2 = d for cubic cells, so 1 nm cells give 1e-9 of it.
    with open(reference / "exchange_inhomo_randommag4x4x1.csv") as f:
        rows = list(csv.DictReader(f))
    m = np.zeros((3, 4, 4, 1))
    A = np.zeros((4, 4, 1))
    for r in rows:
        i, j = int(r["ix"]), int(r["iy"])
        m[:, i, j, 0] = float(r["mx"]), float(r["my"]), float(r["mz"])
        A[i, j, 0] = float(r["A_J_per_m"])
    mesh = pm.Mesh(n=(4, 4, 1), cell=1e-9)
    system = pm.System(mesh, material={"Ms": 1e6, "A": A}, terms=[pm.Exchange()], m=m)
    assert system.energy() / 1e-9 == pytest.approx(154.4891365, rel=1e-6)


def test_spin_wave_field_is_discrete_laplacian():
    # m = (cos kx, sin kx, 0) on a periodic chain: H = -(2A/(mu0 Ms)) (2(1-cos kd)/d^2) m exactly
    n, d, A, Ms = 32, 1e-9, 1.3e-11, 8e5
    k = 2 * math.pi * 3 / (n * d)
    mesh = pm.Mesh(n=(n, 1, 1), cell=d, pbc=(1, 0, 0))
    system = pm.System(mesh, material={"Ms": Ms, "A": A}, terms=[pm.Exchange()],
                       m=lambda x, y, z: (np.cos(k * x), np.sin(k * x), 0 * x))
    factor = -2 * A / (pm.units.mu0 * Ms) * 2 * (1 - math.cos(k * d)) / d**2
    np.testing.assert_allclose(system.field("exchange").numpy(), factor * system.m.numpy(), atol=1e-9 * abs(factor))


def test_free_surfaces_keep_uniform_state_field_free():
    mesh = pm.Mesh(n=(6, 5, 4), cell=2e-9)
    system = pm.System(mesh, geometry=pm.Sphere(diameter=10e-9), material={"Ms": 8e5, "A": 1.3e-11},
                       terms=[pm.Exchange()], m=(0.3, 0.4, 0.5))
    assert np.abs(system.field("exchange").numpy()).max() == 0.0


def test_region_interface_uses_harmonic_mean():
    # two cells, A1 and A2: the bond carries 2 A1 A2/(A1+A2); E = V A_12 |m1-m2|^2 / d^2
    d, A1, A2 = 1e-9, 1e-11, 3e-11
    mesh = pm.Mesh(n=(2, 1, 1), cell=d)
    system = pm.System(mesh, material={"Ms": 1e6, "A": A1}, terms=[pm.Exchange()],
                       m=np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]).reshape(3, 2, 1, 1))
    system.add_region(pm.Cuboid((1e-9, 1e-9, 1e-9)).translate(0.5e-9, 0, 0), {"A": A2}, name="right")
    expected = d**3 * (2 * A1 * A2 / (A1 + A2)) * 2 / d**2
    assert system.energy() == pytest.approx(expected, rel=1e-12)
