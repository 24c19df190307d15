"""DMI across the interface of two regions (``pm.DMI(kind, interfaces=...)``) against the bond
energy of pymag's DMI discretization (pymag.terms.dmi): a bond (i, j = i + d u) holds
E_ij = V D_ij/d (m_i x m_j).c_u, with c_u = -u for the bulk kind, D_ij the mean of the two
cells' D, or the interface value where the bond joins the two regions."""
import math

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.errors import PymagError

D_LEFT, D_RIGHT, D_AB = 1e-3, 2e-3, -4e-3
N, CELL = 6, 1e-9
PHI = 0.3   # twist per cell about x (rad)


def chain(interfaces):
    """A chain of N cells along x, regions a (x < 0) and b, m turning by PHI per cell about x."""
    mesh = pm.Mesh(n=(N, 1, 1), cell=CELL)
    half = pm.Cuboid(size=(N * CELL / 2, CELL, CELL))
    x = mesh.coordinates()[0]
    regions = [pm.Region(half.translate(-N * CELL / 4, 0, 0), {"D_bulk": D_LEFT}, "a"),
               pm.Region(half.translate(N * CELL / 4, 0, 0), {"D_bulk": D_RIGHT}, "b")]
    angle = (np.arange(N) * PHI).reshape(N, 1, 1)
    m = np.stack([np.zeros_like(angle), np.cos(angle), np.sin(angle)])
    assert x.shape == (N, 1, 1)
    return pm.System(mesh, material={"Ms": 8e5}, regions=regions, m=m,
                     terms=[pm.DMI("bulk", interfaces=interfaces)])


def bond_energy(D):
    # (m_i x m_j).(-x) for m turning by PHI about x: -sin(PHI); V = CELL^3, d = CELL
    return CELL**3 * D / CELL * (-math.sin(PHI))


def test_the_interface_bond_carries_the_given_d():
    with torch.no_grad():
        energy = chain({("a", "b"): D_AB}).energy()
    inside = (N // 2 - 1) * (bond_energy(D_LEFT) + bond_energy(D_RIGHT))
    # float64 sums of six terms: rounding only
    assert energy == pytest.approx(inside + bond_energy(D_AB), rel=1e-12)


def test_without_interfaces_the_bond_takes_the_mean():
    with torch.no_grad():
        energy = chain(None).energy()
    inside = (N // 2 - 1) * (bond_energy(D_LEFT) + bond_energy(D_RIGHT))
    assert energy == pytest.approx(inside + bond_energy((D_LEFT + D_RIGHT) / 2), rel=1e-12)


def test_an_unknown_region_is_named():
    system = chain({("a", "c"): D_AB})
    with pytest.raises(PymagError, match="'c'"):
        system.energy()


def test_a_non_finite_value_names_the_pair():
    with pytest.raises(PymagError, match=r"\('a', 'b'\)"):
        pm.DMI("bulk", interfaces={("a", "b"): float("nan")})
