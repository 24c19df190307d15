"""EnergyTerm.from_density: analytic fields and energies, input errors, and the term's
behaviour as a description (printing, comparison, batching, gradients, t, parameters,
coordinates); the same behaviour of the built-in terms defined by their densities
(pm.UniaxialAnisotropy, pm.CubicAnisotropy, pm.DMI), and pickling."""
import math
import pickle

import numpy as np
import pytest
import sympy as sp
import torch

import pymag as pm
from pymag.symbolic import EnergyTerm, grad_m, m, material, param, t, x, y
from pymag.units import mu0

K2, Ku, A, D, Ms = material("K4"), material("Ku"), material("A"), material("D"), material("Ms")
U = sp.Matrix([1, 2, 2]) / 3
QUARTIC = -K2 * m.dot(U) ** 4
EXCHANGE = A * sum(grad_m[i, k] ** 2 for i in range(3) for k in range(3))


def random_state(n, seed=0):
    torch.manual_seed(seed)
    state = torch.randn((3,) + tuple(n), dtype=torch.float64)
    return state / state.norm(dim=0)


def quartic_system(material_base=None, seed=0):
    mesh = pm.Mesh(n=(8, 6, 3), cell=(2e-9, 3e-9, 4e-9))
    system = pm.System(mesh, material=material_base or {"Ms": 8e5, "K4": 3e5},
                       terms=[EnergyTerm.from_density(QUARTIC, name="quartic")], m=random_state(mesh.n, seed))
    system.add_region(pm.Cuboid((8e-9, 18e-9, 12e-9)).translate(-4e-9, 0, 0), {"Ms": 5e5, "K4": -1e5}, name="left")
    return system


def test_quartic_anisotropy_field_is_analytic():
    # E = -K2 (m.u)^4 per volume: H = -1/(mu0 Ms) dE/dm = 4 K2 (m.u)^3 u/(mu0 Ms)
    system = quartic_system()
    mag = system.m
    K2_cells = torch.where(torch.arange(8).reshape(8, 1, 1) < 4, -1e5, 3e5).expand(8, 6, 3)
    u = torch.tensor([1.0, 2.0, 2.0], dtype=torch.float64).reshape(3, 1, 1, 1) / 3
    mu = (mag * u).sum(0)
    expected = 4 * K2_cells * mu**3 * u / (mu0 * system.Ms)
    H = system.term("quartic").field(mag)
    assert float((H - expected).abs().max() / expected.abs().max()) < 1e-12   # float64 rounding
    energy = -system.mesh.cell_volume * float((K2_cells * mu**4).sum())
    assert float(system.term("quartic").energy(mag)) == pytest.approx(energy, rel=1e-12)


def spiral_system(density, n=32, d=1e-9, state=None):
    mesh = pm.Mesh(n=(n, 1, 1), cell=d, pbc=(1, 0, 0))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "D": 3e-3},
                       terms=[EnergyTerm.from_density(density, name="symbolic")], m=state)
    return system, system.term("symbolic").energy_density(system.m).numpy()


def test_spin_spiral_exchange_energy_density_is_A_k2():
    # m = (cos kx, sin kx, 0): e = A |dm/dx|^2 = A k^2. The bonds give A |m_j - m_i|^2/d^2
    # = A k^2 [2(1 - cos kd)/(kd)^2] = A k^2 (1 - (kd)^2/12 + ...): a relative error below (kd)^2/12
    n, d, A0 = 32, 1e-9, 1.3e-11
    k = 2 * math.pi * 2 / (n * d)
    _, density = spiral_system(EXCHANGE, n, d, lambda x, y, z: (np.cos(k * x), np.sin(k * x), 0 * x))
    np.testing.assert_allclose(density, A0 * k**2, rtol=(k * d) ** 2 / 12)
    assert abs(density.mean() / (A0 * k**2) - 1) > (k * d) ** 2 / 24   # the lattice's own error, not zero


def test_neel_spiral_interfacial_dmi_energy_density_is_D_k():
    # m = (sin kx, 0, cos kx): e = D (m_z dm_x/dx - m_x dm_z/dx) = D k. The bonds give
    # D (m_i x m_j).y/d = D sin(kd)/d = D k (1 - (kd)^2/6 + ...): relative error below (kd)^2/6
    n, d, D0 = 32, 1e-9, 3e-3
    k = 2 * math.pi * 2 / (n * d)
    dmi = D * (m[2] * grad_m[0, 0] - m[0] * grad_m[2, 0])
    _, density = spiral_system(dmi, n, d, lambda x, y, z: (np.sin(k * x), 0 * x, np.cos(k * x)))
    np.testing.assert_allclose(density, D0 * k, rtol=(k * d) ** 2 / 6)


@pytest.mark.parametrize("density, message", [
    (m, "must be a scalar"),
    (sp.Symbol("K") * m[2] ** 2, "unknown symbol(s) K"),
    (material("Ku") * x**2, "does not depend on the magnetization"),
    (A * grad_m[0, 0] * grad_m[1, 1], "mixed derivatives are not supported"),
    (A * m[0].diff(x, 2), "only first derivatives"),
    (sp.Function("f")(m[0]), "unknown function(s) f"),
    ("Ku*m_z**2", "must be a SymPy expression"),
], ids=["not-scalar", "unknown-symbol", "no-m", "mixed-derivatives", "second-derivative", "unknown-function",
        "string"])
def test_bad_density_is_refused_naming_the_problem(density, message):
    with pytest.raises(pm.PymagError) as info:
        EnergyTerm.from_density(density, name="bad")
    assert message in str(info.value)


def test_missing_material_key_names_key_and_region():
    system = quartic_system({"Ms": 8e5})
    with pytest.raises(pm.MissingParameterError, match="K4"):
        system.field()


def test_term_is_a_printable_comparable_immutable_description():
    term = EnergyTerm.from_density(QUARTIC, name="quartic")
    assert "quartic" in repr(term) and "K4" in repr(term)
    assert term == EnergyTerm.from_density(-K2 * (m.dot(U)) ** 4, name="quartic")
    assert term != EnergyTerm.from_density(QUARTIC, name="other")
    assert term != EnergyTerm.from_density(2 * QUARTIC, name="quartic")
    assert set(term.keys) == {"K4", "Ms"}
    with pytest.raises(AttributeError):
        term.density = EXCHANGE


def test_stacked_terms_of_two_systems_give_each_systems_field():
    # Term.stack (pm.Ensemble's batching): one call on (2, 3, nx, ny, nz) gives both fields
    density = QUARTIC + EXCHANGE + D * (m[2] * grad_m[0, 0] - m[0] * grad_m[2, 0])
    systems = []
    for seed, (K4, A0) in enumerate([(3e5, 1e-11), (-2e5, 2e-11)]):
        mesh = pm.Mesh(n=(8, 6, 3), cell=2e-9, pbc=(1, 0, 0))
        systems.append(pm.System(mesh, material={"Ms": 8e5, "K4": K4, "A": A0, "D": 1e-3},
                                 terms=[EnergyTerm.from_density(density, name="s")], m=random_state(mesh.n, seed)))
    terms = [s.term("s") for s in systems]
    batch = EnergyTerm.stack(terms)
    mags = torch.stack([s.m for s in systems])
    H = batch.field(mags)
    E = batch.energy(mags)
    for i, (term, s) in enumerate(zip(terms, systems)):
        assert torch.equal(H[i], term.field(s.m))     # the same operations on the same numbers
        assert float(E[i]) == pytest.approx(float(term.energy(s.m)), rel=1e-14)


def test_field_is_minus_the_energy_gradient():
    # H = -1/(mu0 Ms V) dE/dm for a density of degree 1, 2 and 4 in m, checked by autograd
    density = QUARTIC + EXCHANGE + D * m.dot(grad_m[:, 0]) - mu0 * Ms * m.dot(sp.Matrix([1e4, 0, 3e4]))
    mesh = pm.Mesh(n=(8, 6, 3), cell=(2e-9, 3e-9, 4e-9))
    system = pm.System(mesh, material={"Ms": 8e5, "K4": 3e5, "A": 1.3e-11, "D": 2e-3},
                       terms=[EnergyTerm.from_density(density, name="s")], m=random_state(mesh.n))
    term = system.term("s")
    mag = system.m.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(term.energy(mag), mag)
    H = term.field(mag.detach())
    expected = -grad / (mu0 * system.Ms * mesh.cell_volume)
    assert float((H - expected).abs().max() / H.abs().max()) < 1e-12


def test_material_gradient_flows_to_the_energy():
    # E is linear in K4, so dE/dK4 = E/K4
    K4 = torch.tensor(3e5, dtype=torch.float64, requires_grad=True)
    mesh = pm.Mesh(n=(4, 3, 2), cell=2e-9)
    system = pm.System(mesh, material={"Ms": 8e5, "K4": K4},
                       terms=[EnergyTerm.from_density(QUARTIC, name="q")], m=random_state(mesh.n))
    E = system.term("q").energy(system.m)
    E.backward()
    assert float(K4.grad) == pytest.approx(float(E.detach()) / 3e5, rel=1e-12)


def test_time_and_parameters():
    # Zeeman energy of an oscillating field H0 sin(2 pi f t) z: the field is that vector
    H0, f = param("H0"), param("f")
    density = -mu0 * Ms * m[2] * H0 * sp.sin(2 * sp.pi * f * t)
    mesh = pm.Mesh(n=(4, 3, 2), cell=2e-9)
    system = pm.System(mesh, material={"Ms": 8e5}, terms=[EnergyTerm.from_density(density, name="rf")],
                       params={"H0": 2e4, "f": 1e9}, m=random_state(mesh.n))
    H = system.term("rf").field(system.m, 0.3e-9)
    expected = 2e4 * math.sin(2 * math.pi * 1e9 * 0.3e-9)
    np.testing.assert_allclose(H[2].numpy(), expected, rtol=1e-14)
    assert float(H[:2].abs().max()) == 0


def test_coordinates_are_cell_centres_and_bond_midpoints():
    # K (1 + x/L) m_z^2 per cell at the cell centres, A (1 + y/L) |dm/dy|^2 per bond at the
    # bond midpoints: E = V sum_cells K (1 + x/L) m_z^2 + V sum_bonds A (1 + y_mid/L) |m_j - m_i|^2/d^2
    L, K0, A0 = 20e-9, 1e5, 1e-11
    density = material("Ku") * (1 + x / L) * m[2] ** 2 + A * (1 + y / L) * m.diff(y).dot(m.diff(y))
    mesh = pm.Mesh(n=(5, 4, 2), cell=(1e-9, 2e-9, 3e-9))
    system = pm.System(mesh, material={"Ms": 8e5, "Ku": K0, "A": A0},
                       terms=[EnergyTerm.from_density(density, name="s")], m=random_state(mesh.n))
    mag = system.m.numpy()
    X, Y, _ = mesh.coordinates()
    V, dy = mesh.cell_volume, mesh.cell[1]
    local = V * np.sum(K0 * (1 + X / L) * mag[2] ** 2)
    y_mid = (Y[:, :-1] + Y[:, 1:]) / 2
    bonds = V * np.sum(A0 * (1 + y_mid / L) * np.sum((mag[:, :, 1:] - mag[:, :, :-1]) ** 2, axis=0) / dy**2)
    assert float(system.term("s").energy(system.m)) == pytest.approx(local + bonds, rel=1e-12)


# ----- the built-in terms defined by their densities (pm.UniaxialAnisotropy, pm.CubicAnisotropy, pm.DMI)
def test_built_in_terms_print_and_compare_by_their_arguments():
    assert repr(pm.DMI(kind="bulk")) == "DMI(kind='bulk')"
    assert repr(pm.UniaxialAnisotropy()) == "UniaxialAnisotropy()"
    assert pm.DMI("bulk") == pm.DMI(kind="bulk") and pm.DMI("bulk") != pm.DMI("interfacial")
    assert pm.CubicAnisotropy() == pm.CubicAnisotropy() != pm.UniaxialAnisotropy()
    assert (pm.DMI().name, pm.UniaxialAnisotropy().name, pm.CubicAnisotropy().name) == (
        "dmi", "anisotropy", "cubic_anisotropy")


def test_unknown_dmi_kind_is_refused():
    with pytest.raises(pm.PymagError, match="'interfacial' or 'bulk'"):
        pm.DMI("helical")


def test_missing_key_error_names_the_built_in_term():
    system = pm.System(pm.Mesh(n=(4, 3, 1), cell=2e-9), material={"Ms": 8e5}, terms=[pm.DMI("bulk")])
    with pytest.raises(pm.MissingParameterError, match=r"DMI\(kind='bulk'\) needs material key 'D_bulk'"):
        system.field()


def test_stacked_dmi_of_two_systems_gives_each_systems_field():
    # pm.Ensemble's batching of a built-in term: systems with different D, one call
    systems = []
    for seed, D0 in enumerate([3e-3, -1e-3]):
        mesh = pm.Mesh(n=(8, 6, 3), cell=2e-9)
        systems.append(pm.System(mesh, material={"Ms": 8e5, "D": D0}, terms=[pm.DMI()], m=random_state(mesh.n, seed)))
    terms = [s.term("dmi") for s in systems]
    batch = pm.DMI.stack(terms)
    H = batch.field(torch.stack([s.m for s in systems]))
    for i, (term, s) in enumerate(zip(terms, systems)):
        assert torch.equal(H[i], term.field(s.m))     # the same operations on the same numbers


def test_dmi_energy_gradient_by_D():
    # E is linear in D, so dE/dD = E/D
    D0 = torch.tensor(2e-3, dtype=torch.float64, requires_grad=True)
    mesh = pm.Mesh(n=(4, 3, 2), cell=2e-9)
    system = pm.System(mesh, material={"Ms": 8e5, "D": D0}, terms=[pm.DMI()], m=random_state(mesh.n))
    E = system.term("dmi").energy(system.m)
    E.backward()
    assert float(D0.grad) == pytest.approx(float(E.detach()) / 2e-3, rel=1e-12)


def test_pickled_system_with_a_built_in_term_gives_the_same_field():
    # the generated code is not pickled but compiled again from the density
    mesh = pm.Mesh(n=(4, 3, 2), cell=2e-9)
    system = pm.System(mesh, material={"Ms": 8e5, "D_bulk": 2e-3}, terms=[pm.DMI("bulk")], m=random_state(mesh.n))
    H = system.field()
    copy = pickle.loads(pickle.dumps(system))
    assert copy.term("dmi") == system.term("dmi")
    assert torch.equal(copy.field(), H)
