"""Exchange across the interface of two named regions (pm.Exchange(interfaces=...)) against
analytic bond sums, and the antiparallel ground state of micromagnetictests' exchange test_dict."""
import math

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.errors import PymagError

torch.set_num_threads(1)

MU0 = 4e-7 * math.pi


def halves(n, cell, materials, interfaces, m1, m2):
    """A mesh split at x = 0 into regions "r1" (x < 0) and "r2" (x > 0), uniform m1 and m2."""
    nx, ny, nz = n
    size = (nx * cell[0] / 2, ny * cell[1], nz * cell[2])
    regions = [pm.Region(pm.Cuboid(size).translate(-size[0] / 2, 0, 0), materials[0], "r1"),
               pm.Region(pm.Cuboid(size).translate(size[0] / 2, 0, 0), materials[1], "r2")]
    m = np.zeros((3,) + tuple(n))
    m[:, : nx // 2] = np.reshape(m1, (3, 1, 1, 1))
    m[:, nx // 2:] = np.reshape(m2, (3, 1, 1, 1))
    return pm.System(pm.Mesh(n=n, cell=cell), material=materials[0], regions=regions,
                     terms=[pm.Exchange(interfaces=interfaces)], m=m)


def test_energy_is_the_interface_bond_sum():
    # Uniform halves at angle theta: only the ny*nz bonds crossing x = 0 hold energy, each
    # V A12 |m1 - m2|^2 / dx^2 = V A12 2 (1 - cos theta) / dx^2 (bond-sum exchange energy of
    # the finite-difference scheme; the region A inside the halves does not enter).
    n, cell, A12, theta = (4, 3, 2), (1e-9, 2e-9, 1.5e-9), -0.7e-12, 0.9
    system = halves(n, cell, ({"Ms": 8e5, "A": 1e-11}, {"Ms": 1.1e6, "A": 3e-11}), {("r2", "r1"): A12},
                    (1, 0, 0), (math.cos(theta), math.sin(theta), 0))
    V = cell[0] * cell[1] * cell[2]
    expected = n[1] * n[2] * V * A12 * 2 * (1 - math.cos(theta)) / cell[0] ** 2
    # float64 sums of 24 cells: agreement to rounding
    assert float(system.energy()) == pytest.approx(expected, rel=1e-12)


def test_energy_gradient_by_interface_stiffness():
    # E is linear in A12: dE/dA12 = n_b V 2 (1 - cos theta) / dx^2 (from the bond sum above)
    n, cell, theta = (4, 2, 1), (2e-9, 1e-9, 1e-9), 2.0
    A12 = torch.tensor(1e-12, dtype=torch.float64, requires_grad=True)
    system = halves(n, cell, ({"Ms": 1e6, "A": 1e-11}, {"Ms": 1e6, "A": 1e-11}), {("r1", "r2"): A12},
                    (0, 0, 1), (0, math.sin(theta), math.cos(theta)))
    (grad,) = torch.autograd.grad(system.energy_tensor(), A12)
    expected = n[1] * n[2] * cell[0] * cell[1] * cell[2] * 2 * (1 - math.cos(theta)) / cell[0] ** 2
    assert float(grad) == pytest.approx(expected, rel=1e-12)  # linear: exact up to rounding


def test_interface_field_is_the_bond_field():
    # A cell i with one neighbour j across the interface (uniform halves): the discrete
    # Laplacian leaves H_i = 2 A12 / (mu0 Ms_i dx^2) (m_j - m_i), each side with its own Ms.
    n, cell, A12 = (4, 2, 2), (1.5e-9, 1e-9, 1e-9), 2e-12
    Ms1, Ms2 = 8e5, 1.2e6
    m1, m2 = np.array([1.0, 0, 0]), np.array([0, 0.6, 0.8])
    system = halves(n, cell, ({"Ms": Ms1, "A": 1e-11}, {"Ms": Ms2, "A": 2e-11}), {("r1", "r2"): A12}, m1, m2)
    H = system.field("exchange").numpy()
    left = 2 * A12 / (MU0 * Ms1 * cell[0] ** 2) * (m2 - m1)
    right = 2 * A12 / (MU0 * Ms2 * cell[0] ** 2) * (m1 - m2)
    scale = np.abs(left).max()
    # float64 rounding of the bond differences: 1e-12 of the field
    np.testing.assert_allclose(H[:, 1], np.broadcast_to(left[:, None, None], (3, 2, 2)), atol=1e-12 * scale)
    np.testing.assert_allclose(H[:, 2], np.broadcast_to(right[:, None, None], (3, 2, 2)), atol=1e-12 * scale)
    assert np.abs(H[:, [0, 3]]).max() <= 1e-12 * scale  # uniform inside: no field away from x = 0


def test_zero_interface_stiffness_decouples():
    # A12 = 0 removes the bonds across x = 0: with uniform halves no cell feels the other
    # region, so the field is exactly zero (the harmonic mean would give 2 A1 A2/(A1+A2) > 0).
    system = halves((4, 2, 2), (1e-9,) * 3, ({"Ms": 1e6, "A": 1e-11}, {"Ms": 1e6, "A": 2e-11}), {("r1", "r2"): 0.0},
                    (1, 0, 0), (0, 1, 0))
    assert np.abs(system.field("exchange").numpy()).max() == 0.0
    assert float(system.energy()) == 0.0


def test_negative_interface_minimizes_to_antiparallel():
    # micromagnetictests calculatortests/exchange.py test_dict: A r1 = 3e-12, r2 = 1e-12,
    # r1:r2 = -1e-12 J/m, 10x10x6 cells of 1 nm, Ms = 1e6 A/m, r1 (y <= 0) starts at
    # (0, 0.2, 1) and r2 at (0, -0.7, -0.4); the minimum has each region uniform and the two
    # antiparallel: dot of the mean orientations = -1 within 1e-3 (the test's tolerance).
    mesh = pm.Mesh(n=(10, 10, 6), cell=1e-9)
    half = pm.Cuboid((10e-9, 5e-9, 6e-9))
    system = pm.System(mesh, material={"Ms": 1e6, "A": 3e-12},
                       regions=[pm.Region(half.translate(0, -2.5e-9, 0), {"A": 3e-12}, "r1"),
                                pm.Region(half.translate(0, 2.5e-9, 0), {"A": 1e-12}, "r2")],
                       terms=[pm.Exchange(interfaces={("r1", "r2"): -1e-12})],
                       m=lambda x, y, z: tuple(np.where(y <= 0, a, b) for a, b in zip((0, 0.2, 1), (0, -0.7, -0.4))))
    system.minimize()
    m = system.m.numpy()

    r1, r2 = m[:, :, :5].mean(axis=(1, 2, 3)), m[:, :, 5:].mean(axis=(1, 2, 3))
    # each region uniform: |<m>| = 1 within 1e-6 (the test's 1 A/m of Ms = 1e6 A/m)
    assert np.linalg.norm(r1) == pytest.approx(1, abs=1e-6)
    assert np.linalg.norm(r2) == pytest.approx(1, abs=1e-6)
    cos = np.dot(r1, r2) / (np.linalg.norm(r1) * np.linalg.norm(r2))
    assert cos == pytest.approx(-1, abs=1e-3)


def test_stiffness_from_a_named_parameter():
    # a callable of a parameter gives the stiffness it returns: the bond sum of the first test
    # with A12 = system.params.J, read again after the parameter changes
    n, cell, theta = (2, 1, 1), (1e-9,) * 3, math.pi / 3
    system = halves(n, cell, ({"Ms": 1e6, "A": 1e-11}, {"Ms": 1e6, "A": 1e-11}), {("r1", "r2"): lambda J: 2 * J},
                    (1, 0, 0), (math.cos(theta), math.sin(theta), 0))
    system.params.J = -1e-12
    bond = cell[0] * cell[1] * cell[2] * 2 * (1 - math.cos(theta)) / cell[0] ** 2
    assert float(system.energy()) == pytest.approx(-2e-12 * bond, rel=1e-12)  # one bond: exact up to rounding
    system.params.J = 3e-12
    assert float(system.energy()) == pytest.approx(6e-12 * bond, rel=1e-12)


def test_unknown_region_is_named():
    system = halves((2, 1, 1), (1e-9,) * 3, ({"Ms": 1e6, "A": 1e-11}, {"Ms": 1e6, "A": 1e-11}),
                    {("r1", "nowhere"): 1e-12}, (1, 0, 0), (1, 0, 0))
    with pytest.raises(PymagError, match="nowhere"):
        system.energy()


@pytest.mark.parametrize("value", [math.inf, math.nan, torch.tensor(math.nan)])
def test_non_finite_stiffness_names_the_pair(value):
    with pytest.raises(PymagError, match=r"\('r1', 'r2'\)"):
        pm.Exchange(interfaces={("r1", "r2"): value})


def test_pair_given_twice_in_either_order_is_refused():
    with pytest.raises(PymagError, match="twice"):
        pm.Exchange(interfaces={("r1", "r2"): 1e-12, ("r2", "r1"): 2e-12})


def test_repr_shows_interfaces_only_when_given():
    assert repr(pm.Exchange()) == "Exchange()"
    assert repr(pm.Exchange(interfaces={("a", "b"): -1e-12})) == "Exchange(interfaces={('a', 'b'): -1e-12})"
