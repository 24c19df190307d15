"""Higher-order anisotropy constants (mumax3's Ku2, Kc2, Kc3) against their defining formulas.

Uniaxial: e = -Ku1 (m.u)^2 - Ku2 (m.u)^4; cubic: e = Kc1 (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2)
+ Kc2 a1^2 a2^2 a3^2 + Kc3 (a1^4 a2^4 + a2^4 a3^4 + a3^4 a1^4), a_k = m.c_k (J/m^3; mumax3
documentation, "Magnetocrystalline anisotropy"). A single cell is a macrospin, so energy and
field follow from these formulas exactly.
"""
import math

import numpy as np
import pytest

import pymag as pm
from pymag.symbolic import m, material
from pymag.units import mu0

CELL = 2e-9
V = CELL**3
MS = 1e6
AXES = ((1, 0, 0), (0, 1, 0))


def macrospin(material_values, term, m0):
    mesh = pm.Mesh(n=(1, 1, 1), cell=CELL)
    return pm.System(mesh, material={"Ms": MS, **material_values}, terms=[term], m=m0)


@pytest.mark.parametrize("theta_deg", [0, 30, 60, 90, 135])
def test_uniaxial_energy_and_field_to_fourth_order(theta_deg):
    # E = -V (Ku1 c^2 + Ku2 c^4) and H = (2 Ku1 c + 4 Ku2 c^3)/(mu0 Ms) u, c = cos(theta) = m.u
    Ku1, Ku2, theta = 3e5, -1.2e5, math.radians(theta_deg)
    c = math.cos(theta)
    system = macrospin({"Ku1": Ku1, "Ku2": Ku2, "Ku_axis": (0, 0, 1)}, pm.UniaxialAnisotropy(),
                       (math.sin(theta), 0, c))
    scale = Ku1 * V
    # float64 sums of a few terms: agreement to rounding
    assert system.energy() == pytest.approx(-V * (Ku1 * c**2 + Ku2 * c**4), rel=1e-12, abs=1e-14 * scale)
    H = system.field("anisotropy").numpy().ravel()
    Hz = (2 * Ku1 * c + 4 * Ku2 * c**3) / (mu0 * MS)
    np.testing.assert_allclose(H, [0, 0, Hz], rtol=1e-12, atol=1e-12 * 2 * Ku1 / (mu0 * MS))


def test_easy_cone_angle_reached_by_minimize():
    # with c = cos(theta), de/dc^2 = -Ku1 - 2 Ku2 c^2 vanishes on the cone cos^2(theta) =
    # -Ku1/(2 Ku2), a minimum where d^2e/d(c^2)^2 = -2 Ku2 > 0 and 0 < -Ku1/(2 Ku2) < 1: in this
    # cosine convention the cone needs Ku2 < 0 < Ku1 < -2 Ku2 (here 0.3: theta = 56.79 deg);
    # the sine convention's K1 < 0 < K2 is the same cone
    Ku1, Ku2 = 1.2e5, -2e5
    system = macrospin({"Ku1": Ku1, "Ku2": Ku2, "Ku_axis": (0, 0, 1)}, pm.UniaxialAnisotropy(), (0.3, 0.1, 1))
    system.minimize(stop=1e-10)
    mz = float(system.m[2].squeeze())
    # minimize stops when m moves less than 1e-10 per step: the angle is good to far below 1e-6
    assert mz**2 == pytest.approx(-Ku1 / (2 * Ku2), abs=1e-6)


def cubic_energy_density(a, Kc1, Kc2, Kc3):
    a1, a2, a3 = (x**2 for x in a)
    return Kc1 * (a1 * a2 + a2 * a3 + a3 * a1) + Kc2 * a1 * a2 * a3 + Kc3 * (a1**2 * a2**2 + a2**2 * a3**2
                                                                            + a3**2 * a1**2)


@pytest.mark.parametrize("direction,expected", [
    ((1, 1, 1), lambda K1, K2, K3: K1 / 3 + K2 / 27 + K3 / 27),
    ((1, 1, 0), lambda K1, K2, K3: K1 / 4 + K3 / 16),
    ((1, 0, 0), lambda K1, K2, K3: 0.0),
], ids=["111", "110", "100"])
def test_cubic_energy_on_high_symmetry_directions(direction, expected):
    # a_k^2 = 1/3 each along <111>: Kc1/3 + Kc2/27 + Kc3 * 3/81; along <110> a1^2 = a2^2 = 1/2
    Kc1, Kc2, Kc3 = 4.5e5, -2.7e5, 1.6e5
    system = macrospin({"Kc1": Kc1, "Kc2": Kc2, "Kc3": Kc3, "Kc_axes": AXES}, pm.CubicAnisotropy(), direction)
    assert system.energy() == pytest.approx(expected(Kc1, Kc2, Kc3) * V, rel=1e-12, abs=1e-14 * Kc1 * V)


def test_cubic_field_of_all_three_orders():
    # H = -1/(mu0 Ms) sum_k de/da_k c_k with, per order, de/da1 = 2 Kc1 a1 (a2^2 + a3^2),
    # 2 Kc2 a1 a2^2 a3^2 and 4 Kc3 a1^3 (a2^4 + a3^4) (cyclic for a2, a3), on rotated axes
    Kc1, Kc2, Kc3 = 4.5e5, -2.7e5, 1.6e5
    s = 1 / math.sqrt(2)
    c1, c2 = np.array([s, s, 0.0]), np.array([-s, s, 0.0])
    c3 = np.cross(c1, c2)
    m0 = np.array([0.3, 0.5, 0.8]) / np.linalg.norm([0.3, 0.5, 0.8])
    system = macrospin({"Kc": Kc1, "Kc2": Kc2, "Kc3": Kc3, "Kc_axes": (tuple(c1), tuple(c2))},
                       pm.CubicAnisotropy(), tuple(m0))
    a = np.array([m0 @ c for c in (c1, c2, c3)])
    grad = np.zeros(3)
    for k in range(3):
        l, n = (k + 1) % 3, (k + 2) % 3
        grad[k] = (2 * Kc1 * a[k] * (a[l]**2 + a[n]**2) + 2 * Kc2 * a[k] * a[l]**2 * a[n]**2
                   + 4 * Kc3 * a[k]**3 * (a[l]**4 + a[n]**4))
    expected = -(grad[0] * c1 + grad[1] * c2 + grad[2] * c3) / (mu0 * MS)
    H = system.field("cubic_anisotropy").numpy().ravel()
    # float64 polynomials of unit-size cosines: agreement to rounding
    np.testing.assert_allclose(H, expected, rtol=1e-11, atol=1e-12 * 2 * Kc1 / (mu0 * MS))
    assert system.energy() == pytest.approx(V * cubic_energy_density(a, Kc1, Kc2, Kc3), rel=1e-12)


def test_region_without_ku2_has_none():
    # Ku2 is painted only on the right cell; the left one keeps e = -Ku1 c^2 (mumax3's default 0)
    Ku1, Ku2, c = 3e5, 1e5, math.cos(math.radians(40))
    mesh = pm.Mesh(n=(2, 1, 1), cell=CELL)
    system = pm.System(mesh, material={"Ms": MS, "Ku": Ku1, "Ku_axis": (0, 0, 1)}, terms=[pm.UniaxialAnisotropy()],
                       m=(math.sqrt(1 - c**2), 0, c))
    system.add_region(pm.Cuboid((CELL, CELL, CELL)).translate(CELL / 2, 0, 0), {"Ku2": Ku2}, name="right")
    density = system.energy_density("anisotropy").numpy().ravel()
    np.testing.assert_allclose(density, [-Ku1 * c**2, -Ku1 * c**2 - Ku2 * c**4], rtol=1e-12)


@pytest.mark.parametrize("term,first_order", [
    (pm.UniaxialAnisotropy, -material("Ku") * m.dot(material("Ku_axis")) ** 2),
    (pm.CubicAnisotropy, None),
], ids=["uniaxial", "cubic"])
def test_unset_higher_orders_leave_the_first_order_density(term, first_order):
    # where no region sets the higher constants the system compiles the first-order density
    # alone: the same generated code, hence the same speed, as a first-order-only term
    if first_order is None:
        c1, c2 = material("Kc_axes")
        a = [m.dot(c) for c in (c1, c2, c1.cross(c2))]
        first_order = material("Kc") * (a[0]**2 * a[1]**2 + a[1]**2 * a[2]**2 + a[2]**2 * a[0]**2)
    mesh = pm.Mesh(n=(2, 2, 1), cell=CELL)
    system = pm.System(mesh, material={"Ms": MS, "Ku": 1e5, "Ku_axis": (0, 0, 1), "Kc": 1e4, "Kc_axes": AXES},
                       terms=[term()])
    assert system.term(term.name).density == first_order
