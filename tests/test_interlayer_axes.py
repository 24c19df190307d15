"""Interlayer (RKKY) exchange of two regions facing each other across a spacer along x or y
(ubermag's RKKY term, OOMMF's Oxs_TwoSurfaceExchange, couple surfaces facing along any axis).

Energy per interface area e = -J1 (m1.m2) - J2 (m1.m2)^2; in each line of cells along the
axis the two cells facing the spacer form a pair of face area A (the cell's area perpendicular
to the axis), so two uniform layers at angle theta hold E = -A n_pairs (J1 cos + J2 cos^2).
"""
import math

import numpy as np
import pytest
import torch

import pymag as pm
from pymag.units import mu0

torch.set_num_threads(1)

MS = 1e6
CELL = (2e-9, 3e-9, 1.5e-9)   # unequal sizes, so the face area and the cell size along the axis matter
AXES = {"x": 0, "y": 1, "z": 2}


def layers(axis, J1, J2=0.0, top=(1, 0, 0), bottom=(1, 0, 0), axis_arg=None):
    """Two 2-cell-thick layers (regions "upper" at larger and "lower" at smaller coordinate
    along ``axis``) with a one-cell empty spacer between them, magnetized uniformly along
    ``top`` and ``bottom``, coupled by InterlayerExchange(axis=axis_arg) alone."""
    a = AXES[axis]
    n = [3, 4, 2]
    n[a] = 5
    size = [k * c for k, c in zip(n, CELL)]
    size[a] = 2 * CELL[a]
    shift = [0.0, 0.0, 0.0]
    shift[a] = 1.5 * CELL[a]
    upper = pm.Cuboid(tuple(size)).translate(*shift)
    lower = pm.Cuboid(tuple(size)).translate(*(-s for s in shift))

    def m0(*r):
        return tuple(np.where(r[a] > 0, u, v) for u, v in zip(top, bottom))

    term = pm.InterlayerExchange(J1=J1, J2=J2, top="upper", bottom="lower", axis=axis_arg)
    return pm.System(pm.Mesh(n=tuple(n), cell=CELL), geometry=upper | lower, material={"Ms": MS},
                     regions=[pm.Region(upper, {}, "upper"), pm.Region(lower, {}, "lower")],
                     terms=[term], m=m0)


def face(axis):
    """Face area (m^2) perpendicular to ``axis`` and the number of lines of cells along it."""
    others = [b for b in range(3) if b != AXES[axis]]
    n = [3, 4, 2]
    return CELL[others[0]] * CELL[others[1]], n[others[0]] * n[others[1]]


@pytest.mark.parametrize("axis_arg", [None, "given"], ids=["found", "given"])
@pytest.mark.parametrize("axis", ["x", "y"])
@pytest.mark.parametrize("angle", [0, 60, 90, 150, 180])
def test_energy_of_uniform_layers(axis, axis_arg, angle):
    # E = -A_face n_pairs (J1 cos + J2 cos^2) (analytic, ubermag's RKKY energy), whether the
    # axis is found from the regions or given
    J1, J2 = -3e-4, -1e-4
    t = math.radians(angle)
    system = layers(axis, J1, J2, top=(1, 0, 0), bottom=(math.cos(t), math.sin(t), 0),
                    axis_arg=axis if axis_arg else None)
    area, pairs = face(axis)
    expected = -area * pairs * (J1 * math.cos(t) + J2 * math.cos(t) ** 2)
    # float64 sums over at most 12 pairs: agreement to rounding
    assert system.energies()["interlayer_exchange"] == pytest.approx(expected, rel=1e-12, abs=1e-12 * area * abs(J1))


@pytest.mark.parametrize("axis", ["x", "y"])
def test_field_on_the_facing_cells(axis):
    # H = -dE/(mu0 Ms V dm) = (J1 + 2 J2 cos) m_other/(mu0 Ms d_axis) on the two cells facing
    # the spacer (V = A_face d_axis), zero elsewhere
    J1, J2, t = -3e-4, -1e-4, math.radians(60)
    other = np.array([math.cos(t), math.sin(t), 0.0])
    system = layers(axis, J1, J2, top=(1, 0, 0), bottom=tuple(other))
    H = np.moveaxis(system.field("interlayer_exchange").numpy(), 1 + AXES[axis], -1)
    scale = (J1 + 2 * J2 * math.cos(t)) / (mu0 * MS * CELL[AXES[axis]])
    expected = np.zeros_like(H)
    expected[..., 3] = scale * other[:, None, None]                        # the upper layer's first cell
    expected[..., 1] = scale * np.array([1.0, 0.0, 0.0])[:, None, None]   # the lower layer's last cell
    np.testing.assert_allclose(H, expected, rtol=1e-12, atol=1e-12 * abs(scale))


def rkky_system(J1):
    """micromagnetictests' RKKY problem: 10 x 10 x 6 cells of 1 nm centred on the origin,
    regions r1 (y in [-5, 0] nm), r2 (spacer, y in [0, 1] nm) and r3 (y in [1, 5] nm), all
    magnetic with Ms = 1e6 A/m; m = (0, 0.2, 1) for y <= 0 and (0, -0.5, -1) elsewhere; r1
    and r3 coupled through the spacer by J1 alone, the axis found from the regions."""
    nm = 1e-9
    system = pm.System(pm.Mesh(n=(10, 10, 6), cell=(nm, nm, nm)), material={"Ms": MS},
                       terms=[pm.InterlayerExchange(J1=J1, top="r3", bottom="r1")],
                       m=lambda x, y, z: tuple(np.where(y <= 0, a, b) for a, b in zip((0, 0.2, 1), (0, -0.5, -1))))
    for name, (y0, y1) in {"r1": (-5, 0), "r2": (0, 1), "r3": (1, 5)}.items():
        system.add_region(pm.Cuboid((10 * nm, (y1 - y0) * nm, 6 * nm)).translate(0, (y0 + y1) / 2 * nm, 0), name=name)
    return system


def orientation(system, point):
    """Unit magnetization of the cell holding ``point`` (m); a point on a cell boundary
    takes the cell above it (the layers are uniform across x and z)."""
    index = tuple(int(math.floor((p + size / 2) / c))
                  for p, size, c in zip(point, (10e-9, 10e-9, 6e-9), (1e-9, 1e-9, 1e-9)))
    m = system.m.numpy()[(slice(None),) + index]
    return m / np.linalg.norm(m)


@pytest.mark.parametrize("J1,expected", [(-1e4, -1.0), (1e4, 1.0)], ids=["antiparallel", "parallel"])
def test_micromagnetictests_rkky_problem(J1, expected):
    # micromagnetictests' RKKY test: after minimizing, the cells on either side of the spacer
    # are antiparallel for sigma = -1e4 J/m^2 and parallel for +1e4 (the minima of -J1 cos),
    # within that test's 1e-3
    system = rkky_system(J1)
    system.minimize(stop=1e-9)
    m1 = orientation(system, (0, -0.5e-9, 0))
    m2 = orientation(system, (0, 1.5e-9, 0))
    assert abs(m1 @ m2 - expected) < 1e-3


def corner_system(term, bottom_arm=True):
    """A 4 x 1 x 4 mesh of 1 nm cells with ``term``: region "upper" on the cells of x and z
    index 2 and 3; region "lower" an L, the row of z index 0 and the cells of x index 0, z
    index 2 and 3 (facing "upper" along z and along x), or with ``bottom_arm=False`` the cell
    x, z index 0 alone (diagonal to "upper": they share no line along any axis)."""
    nm = 1e-9
    upper = pm.Cuboid((2 * nm, nm, 2 * nm)).translate(nm, 0, nm)
    if bottom_arm:
        lower = (pm.Cuboid((4 * nm, nm, nm)).translate(0, 0, -1.5 * nm)
                 | pm.Cuboid((nm, nm, 2 * nm)).translate(-1.5 * nm, 0, nm))
    else:
        lower = pm.Cuboid((nm, nm, nm)).translate(-1.5 * nm, 0, -1.5 * nm)
    system = pm.System(pm.Mesh(n=(4, 1, 4), cell=(nm, nm, nm)), geometry=upper | lower,
                       material={"Ms": MS}, terms=[term], m=(1, 0, 0))
    system.add_region(upper, name="upper")
    system.add_region(lower, name="lower")
    return system


def test_regions_facing_along_two_axes_are_refused():
    system = corner_system(pm.InterlayerExchange(-1e-4))
    with pytest.raises(pm.PymagError, match="face each other along x and z; choose one with axis="):
        system.assemble()


def test_regions_facing_along_no_axis_are_refused():
    system = corner_system(pm.InterlayerExchange(-1e-4), bottom_arm=False)
    with pytest.raises(pm.PymagError, match="'upper'.*'lower' share no line of magnetic cells along x, y or z"):
        system.assemble()


def test_given_axis_chooses_among_two():
    # with axis="z" the L couples to "upper" only along z: the 2 lines x index 2, 3, each of
    # face area dx dy = 1 nm^2, so for parallel layers E = -2 nm^2 J1 (analytic)
    J1 = -1e-4
    system = corner_system(pm.InterlayerExchange(J1, axis="z"))
    assert system.energies()["interlayer_exchange"] == pytest.approx(-2e-18 * J1, rel=1e-12)


def test_regions_not_facing_along_the_given_axis_are_refused():
    system = layers("y", -1e-4, axis_arg="x")
    with pytest.raises(pm.PymagError, match="share no line of magnetic cells along x"):
        system.assemble()


def test_swapped_regions_along_y_are_refused():
    system = layers("y", -1e-4)
    system.remove("interlayer_exchange")
    system.add(pm.InterlayerExchange(-1e-4, top="lower", bottom="upper"))
    with pytest.raises(pm.PymagError, match="top='lower' lies below region bottom='upper' along y"):
        system.assemble()


def test_unknown_axis_is_refused():
    with pytest.raises(pm.PymagError, match="axis must be None, 'x', 'y' or 'z', got 'w'"):
        pm.InterlayerExchange(-1e-4, axis="w")
