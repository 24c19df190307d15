"""Anisotropy energies against their defining formulas at special directions."""
import math

import numpy as np
import pytest

import pymag as pm

V = (2e-9) ** 3


def single_cell(material, term, m):
    mesh = pm.Mesh(n=(1, 1, 1), cell=2e-9)
    return pm.System(mesh, material={"Ms": 1e6, **material}, terms=[term], m=m)


@pytest.mark.parametrize("m,expected", [((1, 0, 0), 0.0), ((1, 1, 0), 0.25), ((1, 1, 1), 1 / 3)])
def test_cubic_energy_on_100_110_111(m, expected):
    # E/V = Kc (a1^2 a2^2 + ...) = 0, 1/4, 1/3 of Kc along <100>, <110>, <111>
    Kc = 4.5e5
    system = single_cell({"Kc": Kc, "Kc_axes": ((1, 0, 0), (0, 1, 0))}, pm.CubicAnisotropy(), m)
    assert system.energy() == pytest.approx(expected * Kc * V, rel=1e-12, abs=1e-30)


def test_cubic_axes_rotate_with_the_crystal():
    # rotating the crystal 45 deg about z turns [110] into an easy <100> direction
    c1 = (math.cos(math.pi / 4), math.sin(math.pi / 4), 0)
    c2 = (-math.sin(math.pi / 4), math.cos(math.pi / 4), 0)
    system = single_cell({"Kc1": 4.5e5, "anisC1": c1, "anisC2": c2}, pm.CubicAnisotropy(), (1, 1, 0))
    assert abs(system.energy()) < 1e-12 * 4.5e5 * V


def test_uniaxial_field_and_energy():
    # H = 2 Ku/(mu0 Ms) (m.u) u; E = -Ku V (m.u)^2
    Ku, theta = 3e5, math.radians(40)
    system = single_cell({"Ku1": Ku, "anisU": (0, 0, 1)}, pm.UniaxialAnisotropy(),
                         (math.sin(theta), 0, math.cos(theta)))
    H = system.field("anisotropy").numpy().ravel()
    np.testing.assert_allclose(H, [0, 0, 2 * Ku / (pm.units.mu0 * 1e6) * math.cos(theta)], rtol=1e-12)
    assert system.energy() == pytest.approx(-Ku * V * math.cos(theta) ** 2, rel=1e-12)


def test_cubic_field_is_minus_energy_gradient():
    # H = -dE/dm/(mu0 Ms V): compare with central finite differences of the energy
    system = single_cell({"Kc": 4.5e5, "Kc_axes": ((1, 0, 0), (0, 1, 0))}, pm.CubicAnisotropy(), (0.3, 0.5, 0.8))
    m = system.m.clone()
    term = system.term("cubic_anisotropy")
    grad = np.zeros(3)
    for i in range(3):
        e = []
        for s in (1, -1):
            mm = m.clone()
            mm[i] += s * 1e-6
            e.append(float(term.energy(mm)))
        grad[i] = (e[0] - e[1]) / 2e-6
    H = term.field(m).numpy().ravel()
    np.testing.assert_allclose(H, -grad / (pm.units.mu0 * 1e6 * V), rtol=1e-6)
