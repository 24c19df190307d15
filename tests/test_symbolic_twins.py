"""Symbolic energy densities against the hand-written terms they must reproduce.

Each built-in term's energy density written in pymag.symbolic must give the built-in
field and energy: the exchange and DMI bond sums are the midpoint rule of the symbolic
gradient energies, which is exact for bilinear bond energies; the local terms are the
same formulas. Random states, several regions of different materials, a hole in the
magnet (free surfaces), float64.
"""
import numpy as np
import pytest
import sympy as sp
import torch

import pymag as pm
from pymag.symbolic import EnergyTerm, grad_m, m, material
from pymag.units import mu0

# the two codes sum the same terms in another order: agreement to a few float64 roundings
FIELD_RTOL = 1e-12
ENERGY_RTOL = 1e-12

A, Ku, Kc, D, D_bulk, Ms = (material(k) for k in ("A", "Ku", "Kc", "D", "D_bulk", "Ms"))
u = material("Ku_axis")
c1, c2 = material("Kc_axes")
g = grad_m
H_APPLIED = (2e4, -1e4, 3e4)

EXCHANGE = A * sum(g[i, k] ** 2 for i in range(3) for k in range(3))
# mumax3's Dind: D [m_z div m - (m.grad) m_z]
INTERFACIAL = D * (m[2] * (g[0, 0] + g[1, 1] + g[2, 2]) - m.dot(g[2, :].T))
CURL = sp.Matrix([g[2, 1] - g[1, 2], g[0, 2] - g[2, 0], g[1, 0] - g[0, 1]])
BULK = D_bulk * m.dot(CURL)
UNIAXIAL = -Ku * m.dot(u) ** 2
COSINES = [m.dot(c) for c in (c1, c2, c1.cross(c2))]
CUBIC = Kc * (COSINES[0] ** 2 * COSINES[1] ** 2 + COSINES[1] ** 2 * COSINES[2] ** 2 + COSINES[2] ** 2 * COSINES[0] ** 2)
ZEEMAN = -mu0 * Ms * m.dot(sp.Matrix(H_APPLIED))

BASE = {"Ms": 8e5, "A": 1.3e-11, "Ku": 5e5, "Ku_axis": (0.2, 0.3, 1.0), "Kc": 4e4,
        "Kc_axes": ((1, 1, 0), (-1, 1, 1)), "D": 3e-3, "D_bulk": 2e-3}
LEFT = {"Ms": 5e5, "A": 3e-11, "Ku": -2e5, "Ku_axis": (1, 0, 0), "Kc": -3e4,
        "Kc_axes": ((1, 0, 0), (0, 1, 0)), "D": -1e-3, "D_bulk": 4e-3}
TOP = {"A": 0.5e-11, "Ku": 1e6, "D": 1.5e-3, "D_bulk": -1e-3}


def build(terms, n=(8, 6, 3), pbc=None, dtype=torch.float64, seed=0):
    """A system of ``terms`` on a random state of a magnet with a hole and three regions."""
    cell = (2e-9, 3e-9, 4e-9)
    mesh = pm.Mesh(n=n, cell=cell, pbc=pbc)
    size = [k * c for k, c in zip(n, cell)]
    hole = pm.Cuboid((2 * cell[0], 2 * cell[1], size[2])).translate(2 * cell[0], cell[1], 0)
    torch.manual_seed(seed)
    state = torch.randn((3,) + tuple(n), dtype=torch.float64)
    system = pm.System(mesh, geometry=pm.Cuboid(size) - hole, material=BASE, m=state / state.norm(dim=0),
                       terms=terms, dtype=dtype)
    system.add_region(pm.Cuboid((size[0] / 2, size[1], size[2])).translate(-size[0] / 4, 0, 0), LEFT, name="left")
    system.add_region(pm.Cuboid((size[0], size[1] / 2, size[2])).translate(0, size[1] / 4, 0), TOP, name="top")
    return system


def assert_twins(builtin, density, **mesh):
    system = build([builtin, EnergyTerm.from_density(density, name="symbolic")], **mesh)
    mag, hand, sym = system.m, system.term(builtin.name), system.term("symbolic")
    H_hand, H_sym = hand.field(mag), sym.field(mag)
    assert H_hand.abs().max() > 0
    assert float((H_sym - H_hand).abs().max() / H_hand.abs().max()) < FIELD_RTOL
    assert float(sym.energy(mag)) == pytest.approx(float(hand.energy(mag)), rel=ENERGY_RTOL)


@pytest.mark.parametrize("n, pbc", [((8, 6, 3), None), ((8, 6, 1), None), ((8, 6, 3), (1, 2, 0))],
                         ids=["3-D", "film", "periodic"])
def test_exchange(n, pbc):
    assert_twins(pm.Exchange(), EXCHANGE, n=n, pbc=pbc)


def test_uniaxial_anisotropy():
    assert_twins(pm.UniaxialAnisotropy(), UNIAXIAL)


def test_cubic_anisotropy():
    assert_twins(pm.CubicAnisotropy(), CUBIC)


@pytest.mark.parametrize("pbc", [None, (1, 1, 0)], ids=["open", "periodic"])
def test_interfacial_dmi(pbc):
    assert_twins(pm.DMI("interfacial"), INTERFACIAL, pbc=pbc)


def test_bulk_dmi():
    assert_twins(pm.DMI("bulk"), BULK)


def test_zeeman():
    assert_twins(pm.Zeeman(H=H_APPLIED), ZEEMAN)


def test_energy_density_is_the_built_in_density_and_integrates_to_the_energy():
    # one density with a local part and gradient parts along every axis. All three energies
    # are of degree 2 in m, so per cell the built-in terms give -(mu0/2) Ms m.H (half of each
    # adjacent bond); the integral of the density is the sum of the built-in energies
    builtins = [pm.Exchange(), pm.DMI("bulk"), pm.UniaxialAnisotropy()]
    system = build(builtins + [EnergyTerm.from_density(EXCHANGE + BULK + UNIAXIAL, name="symbolic")])
    mag, sym = system.m, system.term("symbolic")
    density = sym.energy_density(mag)
    assert density.shape == system.mesh.n
    H = sum(system.term(t.name).field(mag) for t in builtins)
    reference = -(mu0 / 2) * system.Ms * (mag * H).sum(0)
    np.testing.assert_allclose(density.numpy(), reference.numpy(), rtol=0, atol=1e-12 * float(reference.abs().max()))
    total = sum(float(system.term(t.name).energy(mag)) for t in builtins)
    assert float(system.mesh.cell_volume * density.sum()) == pytest.approx(total, rel=ENERGY_RTOL)
    assert float(sym.energy(mag)) == pytest.approx(total, rel=ENERGY_RTOL)


def test_float32():
    # float32 rounding (6e-8 relative) over the few operations of a bond: the field agrees
    # with the built-in terms in float32 to 1e-5 of its largest value
    density = EXCHANGE + INTERFACIAL
    system = build([pm.Exchange(), pm.DMI(), EnergyTerm.from_density(density, name="symbolic")], dtype=torch.float32)
    mag = system.m
    H_sym = system.term("symbolic").field(mag)
    assert H_sym.dtype == torch.float32
    H_ref = system.term("exchange").field(mag) + system.term("dmi").field(mag)
    assert float((H_sym - H_ref).abs().max() / H_ref.abs().max()) < 1e-5
    E_ref = float(system.term("exchange").energy(mag) + system.term("dmi").energy(mag))
    assert float(system.term("symbolic").energy(mag)) == pytest.approx(E_ref, rel=1e-5)
