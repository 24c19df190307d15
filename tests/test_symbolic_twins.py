"""Energy terms against independent references.

Exchange and Zeeman keep hand-written fields (they are as fast or faster, see
benchmarks/symbolic_speed.py), so each is checked against its symbolic twin: the same
energy density compiled by pymag.symbolic. The exchange bond sum is the midpoint rule of
the symbolic gradient energy, exact for bilinear bond energies; the Zeeman term is the same
formula. The terms built from their densities (uniaxial and cubic anisotropy, DMI) are
checked against references written here in numpy: the analytic fields and densities of the
local energies, and for DMI the bond energies E_ij = V D_ij/d (m_i x m_j).c_u summed bond by
bond in plain loops. Random states, materials that differ between regions (or cell by
cell), a hole in the magnet (free surfaces), float64 unless a test says otherwise.
"""
import functools
import math

import numpy as np
import pytest
import sympy as sp
import torch

import pymag as pm
from pymag.symbolic import EnergyTerm, grad_m, m, material
from pymag.units import mu0

# float64: the two codes sum the same few terms per cell (or ~10^2 bond terms in the
# energy) in another order, a few roundings of 1.1e-16 each; 1e-12 leaves room for
# cancellation between terms of opposite signs
RTOL = 1e-12

# ----- hand-written terms against their symbolic twins ------------------------------------
A, Ms = material("A"), material("Ms")
g = grad_m
H_APPLIED = (2e4, -1e4, 3e4)
EXCHANGE = A * sum(g[i, k] ** 2 for i in range(3) for k in range(3))
ZEEMAN = -mu0 * Ms * m.dot(sp.Matrix(H_APPLIED))

BASE = {"Ms": 8e5, "A": 1.3e-11}
LEFT = {"Ms": 5e5, "A": 3e-11}
TOP = {"A": 0.5e-11}


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
    assert float((H_sym - H_hand).abs().max() / H_hand.abs().max()) < RTOL
    assert float(sym.energy(mag)) == pytest.approx(float(hand.energy(mag)), rel=RTOL)


@pytest.mark.parametrize("n, pbc", [((8, 6, 3), None), ((8, 6, 1), None), ((8, 6, 3), (1, 2, 0))],
                         ids=["3-D", "film", "periodic"])
def test_exchange(n, pbc):
    assert_twins(pm.Exchange(), EXCHANGE, n=n, pbc=pbc)


def test_zeeman():
    assert_twins(pm.Zeeman(H=H_APPLIED), ZEEMAN)


def test_exchange_energy_density_is_the_built_in_density():
    # exchange is of degree 2 in m, so per cell the built-in term gives -(mu0/2) Ms m.H: half
    # the energy of each adjacent bond, as the symbolic density does
    system = build([pm.Exchange(), EnergyTerm.from_density(EXCHANGE, name="symbolic")])
    mag = system.m
    density = system.term("symbolic").energy_density(mag)
    reference = -(mu0 / 2) * system.Ms * (mag * system.term("exchange").field(mag)).sum(0)
    assert float((density - reference).abs().max()) < RTOL * float(reference.abs().max())


def test_float32_exchange():
    # float32 rounding (6e-8 relative) of m and of the few operations of a bond, with
    # cancellation between the bonds of a cell: agreement to 1e-5 of the largest field
    system = build([pm.Exchange(), EnergyTerm.from_density(EXCHANGE, name="symbolic")], dtype=torch.float32)
    mag = system.m
    H_sym, H_hand = system.term("symbolic").field(mag), system.term("exchange").field(mag)
    assert H_sym.dtype == torch.float32
    assert float((H_sym - H_hand).abs().max() / H_hand.abs().max()) < 1e-5


# ----- terms built from their densities against numpy references --------------------------
N = (6, 5, 3)
CELL = (2e-9, 3e-9, 4e-9)
V = math.prod(CELL)


def regions(base, left, top):
    """Per-cell values of three regions: ``left`` on the lower half of x, ``top`` on y >= 3 (over
    left), ``base`` elsewhere."""
    values = np.full(N, float(base))
    values[: N[0] // 2] = left
    values[:, 3:] = top
    return values


def unit(v):
    return v / np.linalg.norm(v, axis=0)


def materials(seed):
    """Per-cell materials: Ms random with a hole through the film (Ms = 0: free surfaces
    inside), constants that differ between regions, axes random cell by cell."""
    rng = np.random.default_rng(seed)
    Ms = rng.uniform(4e5, 9e5, N)
    Ms[2:4, 1:3, :] = 0
    c1 = unit(rng.normal(size=(3,) + N))
    c2 = rng.normal(size=(3,) + N)
    c2 = unit(c2 - (c2 * c1).sum(0) * c1)
    return {"Ms": Ms, "Ku": regions(5e5, -2e5, 1e6), "Ku_axis": unit(rng.normal(size=(3,) + N)),
            "Kc": regions(4e4, -3e4, 2e4), "Kc_axes": (c1, c2), "D": regions(3e-3, -1e-3, 1.5e-3),
            "D_bulk": regions(2e-3, 4e-3, -1e-3)}


def field_factor(mat):
    """1/(mu0 Ms) on magnetic cells, 0 elsewhere (1/T)."""
    Ms = mat["Ms"]
    return np.where(Ms > 0, 1 / (mu0 * np.where(Ms > 0, Ms, 1)), 0)


def uniaxial(mat, mag, pbc):
    """e = -Ku (m.u)^2, H = 2 Ku/(mu0 Ms) (m.u) u per cell."""
    u, Ku = mat["Ku_axis"], mat["Ku"] * (mat["Ms"] > 0)
    mu = (mag * u).sum(0)
    return 2 * Ku * field_factor(mat) * mu * u, -Ku * mu**2


def cubic(mat, mag, pbc):
    """e = Kc (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2), H = -2 Kc/(mu0 Ms) sum_k a_k (a_l^2 + a_n^2) c_k,
    a_k = m.c_k, c3 = c1 x c2."""
    c1, c2 = mat["Kc_axes"]
    axes = (c1, c2, np.cross(c1, c2, axis=0))
    Kc = mat["Kc"] * (mat["Ms"] > 0)
    a = [(mag * c).sum(0) for c in axes]
    H = -2 * Kc * field_factor(mat) * sum(a[k] * (a[k - 1] ** 2 + a[k - 2] ** 2) * axes[k] for k in range(3))
    return H, Kc * (a[0] ** 2 * a[1] ** 2 + a[1] ** 2 * a[2] ** 2 + a[2] ** 2 * a[0] ** 2)


def dmi(kind, mat, mag, pbc):
    """Bond by bond: E_ij = V D_ij/d (m_i x m_j).c_u between magnetic neighbours i and j = i + d u
    (wrapping along periodic axes), D_ij the mean of the two cells' D, c_u = z x u (interfacial)
    or -u (bulk); H_i = -dE/dm_i/(mu0 Ms_i V); each cell's density holds half of its bonds' E/V."""
    D = mat["D" if kind == "interfacial" else "D_bulk"]
    Ms = mat["Ms"]
    H, density = np.zeros((3,) + N), np.zeros(N)
    z = np.array([0.0, 0.0, 1.0])
    for axis in range(3):
        u = np.eye(3)[axis]
        c = np.cross(z, u) if kind == "interfacial" else -u
        if N[axis] == 1 or not c.any():
            continue
        for i in np.ndindex(N):
            j = list(i)
            j[axis] += 1
            if j[axis] == N[axis]:
                if not pbc[axis]:
                    continue
                j[axis] = 0
            j = tuple(j)
            if Ms[i] == 0 or Ms[j] == 0:
                continue
            k = V * (D[i] + D[j]) / 2 / CELL[axis]
            mi, mj = mag[(slice(None),) + i], mag[(slice(None),) + j]
            energy = k * np.dot(np.cross(mi, mj), c)
            density[i] += energy / (2 * V)
            density[j] += energy / (2 * V)
            H[(slice(None),) + i] -= k * np.cross(mj, c) / (mu0 * Ms[i] * V)
            H[(slice(None),) + j] -= k * np.cross(c, mi) / (mu0 * Ms[j] * V)
    return H, density


REFERENCES = {
    "uniaxial": (pm.UniaxialAnisotropy, uniaxial),
    "cubic": (pm.CubicAnisotropy, cubic),
    "interfacial DMI": (functools.partial(pm.DMI, "interfacial"), functools.partial(dmi, "interfacial")),
    "bulk DMI": (functools.partial(pm.DMI, "bulk"), functools.partial(dmi, "bulk")),
}


def setup(name, pbc=(0, 0, 0), dtype=torch.float64, seed=0):
    """(term set up on a system of per-cell materials, its state as a float64 array, reference
    field (A/m) and energy density (J/m^3) of that state)."""
    factory, reference = REFERENCES[name]
    mat = materials(seed)
    state = np.random.default_rng(seed + 1).normal(size=(3,) + N)
    system = pm.System(pm.Mesh(n=N, cell=CELL, pbc=pbc), material=mat, terms=[factory()], m=state, dtype=dtype)
    term = system.term(factory().name)
    mag = system.m.double().numpy()
    return term, system.m, *reference(mat, mag, pbc)


def assert_close(value, reference, rtol):
    assert np.abs(reference).max() > 0
    np.testing.assert_allclose(value, reference, rtol=0, atol=rtol * np.abs(reference).max())


@pytest.mark.parametrize("name", REFERENCES)
def test_field(name):
    term, mag, H, _ = setup(name)
    assert_close(term.field(mag).numpy(), H, RTOL)


@pytest.mark.parametrize("name", ["interfacial DMI", "bulk DMI"])
def test_dmi_field_with_periodic_axes(name):
    # bonds wrap from the last cell to the first along x and z; y stays open
    term, mag, H, _ = setup(name, pbc=(1, 0, 1))
    assert_close(term.field(mag).numpy(), H, RTOL)


@pytest.mark.parametrize("name", REFERENCES)
def test_energy_density(name):
    term, mag, _, density = setup(name)
    assert_close(term.energy_density(mag).numpy(), density, RTOL)


@pytest.mark.parametrize("name", REFERENCES)
def test_energy(name):
    term, mag, _, density = setup(name)
    assert float(term.energy(mag)) == pytest.approx(V * density.sum(), rel=RTOL)


@pytest.mark.parametrize("name", REFERENCES)
def test_float32_field(name):
    # float32 arithmetic (6e-8 relative) on the float32 state, a few operations per cell or
    # bond with cancellation between a cell's bonds: agreement to 1e-5 of the largest field
    term, mag, H, _ = setup(name, dtype=torch.float32)
    field = term.field(mag)
    assert field.dtype == torch.float32
    assert_close(field.double().numpy(), H, 1e-5)
