"""pm.DMI of every crystal class ubermag names, against spin spirals solved by hand.

Each density is a sum of Lifshitz invariants L_ij^(u) = m_i d_u m_j - m_j d_u m_i
= eps_ijl (m x d_u m)_l, so it reads e = D sum_u c_u . (m x d_u m) with one vector c_u per
axis u. From the densities of micromagneticmodel.DMI (OOMMF's Oxs_DMI_* classes) and
mumax3's Dind:
  T, O (bulk)     m.(curl m) = sum_u u.(d_u m x m)                        -> c_u = -u
  Cnv, normal n   (m.grad) m_n - m_n div m = sum_u L_un^(u)                -> c_u = u x n
  interfacial     mumax3's Dind, minus Cnv with n = z                      -> c_u = z x u
  D2d, axis a     m.(d_b m x b - d_c m x c) = b.(m x d_b m) - c.(m x d_c m) -> c_b = b, c_c = -c, c_a = 0
with (a, b, c) cyclic. A spiral along u turning about the unit vector n, m(s) = cos(ks) e1 +
sin(ks) e2 with (e1, e2, n) right-handed, has m x d_u m = k n: continuum density D k c_u.n.
Neighbouring spins differ by the angle k d about n; the bond-midpoint scheme gives each
bond D/d (m_i x m_j).c_u = D sin(kd)/d c_u.n, the value the tests expect.
"""
import math

import numpy as np
import pytest
import torch

import pymag as pm

E = np.eye(3)
CELL = (1.0e-9, 1.5e-9, 2.0e-9)          # unequal, so that a mixed-up axis shows
N, TURNS = 20, 3                         # k d = 2 pi TURNS / N = 0.94: sin(kd)/d is 13 % below k
D = 2.5e-3

KEYS = {"interfacial": "D", "bulk": "D_bulk"} | {f"{c}_{a}": f"D_{c}" for c in ("cnv", "d2d") for a in "xyz"}


def bond_vector(kind, u):
    """c_u (see the module docstring) of ``kind`` along axis ``u``."""
    if kind == "bulk":
        return -E[u]
    if kind == "interfacial":
        return np.cross(E[2], E[u])
    axis = "xyz".index(kind[-1])
    if kind.startswith("cnv"):
        return np.cross(E[u], E[axis])
    sign = {axis: 0, (axis + 1) % 3: 1, (axis + 2) % 3: -1}[u]
    return sign * E[u]


def spiral_system(kind, u):
    """1-D chain of N cells along axis ``u``, periodic along it, with ``kind``'s material key."""
    n, pbc = [1, 1, 1], [0, 0, 0]
    n[u], pbc[u] = N, 1
    mesh = pm.Mesh(n=n, cell=CELL, pbc=pbc)
    return pm.System(mesh, material={"Ms": 8e5, KEYS[kind]: D}, terms=[pm.DMI(kind)])


def spiral(u, n, k):
    """m of the spiral along axis ``u`` turning about axis ``n`` (right-handed), (3, N) numpy."""
    s = (np.arange(N) + 0.5) * CELL[u]
    e1, e2 = E[(n + 1) % 3], E[(n + 2) % 3]
    return np.outer(e1, np.cos(k * s)) + np.outer(e2, np.sin(k * s))


def mean_density(system, m_chain, u):
    shape = [3, 1, 1, 1]
    shape[1 + u] = N
    system.m = m_chain.reshape(shape)
    return float(system.energy_density("dmi").mean())


@pytest.mark.parametrize("kind", list(KEYS))
@pytest.mark.parametrize("u", range(3))
def test_spiral_energy_is_the_discrete_lifshitz_value(kind, u):
    k = 2 * math.pi * TURNS / (N * CELL[u])
    system = spiral_system(kind, u)
    for n in range(3):
        expected = D * math.sin(k * CELL[u]) / CELL[u] * bond_vector(kind, u)[n]
        # the bond sum is exact for the lattice spiral; float64 round-off over 20 bonds is
        # ~1e-15 of D k, far below the 13 % gap between sin(kd)/d and the continuum k
        assert mean_density(system, spiral(u, n, k), u) == pytest.approx(expected, rel=1e-10, abs=1e-10 * D * k)


def permuted(array, p):
    """A texture (3, nx, ny, nz) seen in the frame whose axis a is the old axis p[a]: the
    proper rotation that takes the old axis p[a] to axis a (p cyclic)."""
    return array[list(p)].permute(0, 1 + p[0], 1 + p[1], 1 + p[2])


@pytest.mark.parametrize("kind, p", [("cnv_x", (1, 2, 0)), ("cnv_y", (2, 0, 1)),
                                     ("d2d_x", (1, 2, 0)), ("d2d_y", (2, 0, 1))])
def test_class_along_x_or_y_is_the_z_class_rotated(kind, p):
    # a crystal class with its axis along x (y) is the z class rotated by the cyclic
    # permutation taking x (y) to z; for D2d the first axis after the principal one goes to x
    n = (3, 4, 5)
    mesh = pm.Mesh(n=n, cell=CELL)
    m = torch.as_tensor(np.random.default_rng(7).normal(size=(3,) + n))
    system = pm.System(mesh, material={"Ms": 8e5, KEYS[kind]: D}, terms=[pm.DMI(kind)], m=m.numpy())
    rotated_mesh = pm.Mesh(n=[n[a] for a in p], cell=[CELL[a] for a in p])
    rotated = pm.System(rotated_mesh, material={"Ms": 8e5, KEYS[kind]: D}, terms=[pm.DMI(kind[:-1] + "z")],
                        m=permuted(m, p).numpy())
    # the same bonds with the same energies in another order: equal to round-off
    assert rotated.energy() == pytest.approx(system.energy(), rel=1e-12)
    assert abs(system.energy()) > 0


def test_d2d_z_favours_opposite_handedness_along_x_and_y():
    # D2d_z: along x the density is D L_yz^(x), along y it is D L_xz^(y) = -D y.(m x d_y m);
    # right-handed spirals (turning about their propagation axis) give +D sin(kd)/d along x and
    # -D sin(kd)/d along y, so the favoured texture is an antiskyrmion
    # (Hoffmann et al., Nat. Commun. 8, 308 (2017))
    values = []
    for u in (0, 1):
        k = 2 * math.pi * TURNS / (N * CELL[u])
        density = mean_density(spiral_system("d2d_z", u), spiral(u, u, k), u)
        values.append((density, D * math.sin(k * CELL[u]) / CELL[u]))
    (along_x, scale_x), (along_y, scale_y) = values
    # exact lattice sums, round-off only (as above)
    assert along_x == pytest.approx(scale_x, rel=1e-10)
    assert along_y == pytest.approx(-scale_y, rel=1e-10)


def test_each_class_reads_its_own_key():
    system = pm.System(pm.Mesh(n=(4, 4, 1), cell=CELL), material={"Ms": 8e5, "D": D}, terms=[pm.DMI("d2d_z")])
    with pytest.raises(pm.MissingParameterError, match="D_d2d"):
        system.energy()


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(pm.PymagError) as error:
        pm.DMI("Cnv_z")
    for kind in KEYS:
        assert repr(kind) in str(error.value)
