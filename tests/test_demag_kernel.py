"""Newell demag tensor (pymag.demag.kernel) against analytic and independent numerical references.

Convention throughout: H = -N M, so the self term of a cube is +1/3 on the diagonal.
"""
import itertools
import math

import numpy as np
import pytest

from pymag.demag import kernel
from pymag.errors import MeshError

PAIRS = ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2))


def aharoni_dz(a, b, c):
    """Demag factor along z of a rectangular prism with half-edges a, b, c along x, y, z.

    A. Aharoni, J. Appl. Phys. 83, 3432 (1998), eq. (1).
    """
    r = math.sqrt(a * a + b * b + c * c)
    ab, bc, ac = math.hypot(a, b), math.hypot(b, c), math.hypot(a, c)
    pi_dz = ((b * b - c * c) / (2 * b * c) * math.log((r - a) / (r + a))
             + (a * a - c * c) / (2 * a * c) * math.log((r - b) / (r + b))
             + b / (2 * c) * math.log((ab + a) / (ab - a))
             + a / (2 * c) * math.log((ab + b) / (ab - b))
             + c / (2 * a) * math.log((bc - b) / (bc + b))
             + c / (2 * b) * math.log((ac - a) / (ac + a))
             + 2 * math.atan(a * b / (c * r))
             + (a ** 3 + b ** 3 - 2 * c ** 3) / (3 * a * b * c)
             + (a * a + b * b - 2 * c * c) / (3 * a * b * c) * r
             + c / (a * b) * (ac + bc)
             - (ab ** 3 + bc ** 3 + ac ** 3) / (3 * a * b * c))
    return pi_dz / math.pi


def aharoni_factors(lx, ly, lz):
    """(Dx, Dy, Dz) of a prism with edges lx, ly, lz, by permuting Aharoni's D_z."""
    a, b, c = lx / 2, ly / 2, lz / 2
    return aharoni_dz(b, c, a), aharoni_dz(a, c, b), aharoni_dz(a, b, c)


def dipole_pair_average(R, cell, order):
    """N(R) as the point-dipole tensor integrated over both cells, by quadrature.

    Independent of Newell's formulas: N(R) = V/(4 pi) int w(t) (delta r^2 - 3 r r)/r^5 dt,
    r = (R + t) * cell, over the relative offset t in [-1, 1]^3 with the weight
    w = prod(1 - |t_a|). Each octant of t is integrated by a Gauss-Legendre product rule;
    an octant whose corner is the touching point t = -R (touching cells) is split into
    3 pyramids with their apex there and mapped by a Duffy transform, whose Jacobian
    cancels the 1/r^2 singularity and leaves a smooth integrand.
    """
    h = np.asarray(cell, float) / max(cell)
    x, w = np.polynomial.legendre.leggauss(order)
    x, w = 0.5 * (x + 1), 0.5 * w
    u = np.stack(np.meshgrid(x, x, x, indexing="ij")).reshape(3, -1)
    wq = np.einsum("i,j,k->ijk", w, w, w).ravel()
    touch = -np.asarray(R, float)
    points, weights = [], []
    for lo in itertools.product((-1.0, 0.0), repeat=3):
        lo = np.array(lo)
        corners = [np.array(c) for c in itertools.product(*((v, v + 1) for v in lo)) if np.allclose(c, touch)]
        if not corners:
            points.append(lo[:, None] + u)
            weights.append(wq)
            continue
        apex = corners[0]
        inward = np.where(np.isclose(apex, lo), 1.0, -1.0)
        for a in range(3):  # pyramid where offset component a is the largest
            others = [k for k in range(3) if k != a]
            offset = np.empty_like(u)
            offset[a] = u[0]
            offset[others[0]] = u[0] * u[1]
            offset[others[1]] = u[0] * u[2]
            points.append(apex[:, None] + inward[:, None] * offset)
            weights.append(wq * u[0] ** 2)
    t = np.concatenate(points, axis=1)
    wt = np.concatenate(weights) * np.prod(1 - np.abs(t), axis=0)
    r = (np.asarray(R, float)[:, None] + t) * h[:, None]
    r2 = np.sum(r * r, axis=0)
    f = wt * np.prod(h) / (4 * math.pi) / r2 ** 2.5
    return np.array([np.sum(f * ((i == j) * r2 - 3 * r[i] * r[j])) for i, j in PAIRS])


def test_cube_self_term_is_one_third():
    # Reference: a uniformly magnetized cube has N = 1/3 on the diagonal by symmetry
    # (trace 1), no off-diagonal terms. 1e-12: rounding of 27 O(1) terms of f.
    N = kernel.demag_kernel((1, 1, 1), (2e-9, 2e-9, 2e-9))[:, 0, 0, 0]
    np.testing.assert_allclose(N, [1 / 3, 1 / 3, 1 / 3, 0, 0, 0], rtol=0, atol=1e-12)


def test_aharoni_reference_is_sound():
    # The reference itself: cube gives 1/3 and the three factors sum to 1 (Aharoni 1998).
    assert aharoni_factors(1, 1, 1) == pytest.approx((1 / 3,) * 3, abs=1e-14)
    assert sum(aharoni_factors(1, 2, 3)) == pytest.approx(1, abs=1e-14)


@pytest.mark.parametrize("cell", [(1, 2, 3), (2.5, 2.5, 3), (5, 5, 1), (1, 1, 20), (4, 1, 0.5)])
def test_self_term_of_prism_cell_matches_aharoni(cell):
    # Reference: Aharoni's closed-form demag factors of a rectangular prism (J. Appl.
    # Phys. 83, 3432 (1998), eq. 1). Both are exact formulas in float64; 1e-11 covers
    # rounding of their logarithms for aspect ratios up to 20.
    N = kernel.newell_grid((1, 1, 1), cell)[:, 0, 0, 0]
    np.testing.assert_allclose(N[:3], aharoni_factors(*cell), rtol=1e-11)
    np.testing.assert_allclose(N[3:], 0, atol=1e-14)
    assert N[:3].sum() == pytest.approx(1, abs=1e-13)


@pytest.mark.parametrize("cell", [(2.5, 2.5, 3), (1, 2, 3)])
@pytest.mark.parametrize("R", [(1, 0, 0), (0, 0, 1), (1, 1, 0), (2, 1, 1), (5, 3, 0)])
def test_newell_tensor_matches_integrated_dipole_interaction(cell, R):
    # Reference: the dipole-dipole interaction integrated numerically over both cells
    # (dipole_pair_average, no Newell formulas), including touching cells. The
    # quadrature changes by < 1e-10 from order 16 to 24; Newell's rounding at these
    # distances is < 1e-11 (kernel.py). Tolerance 1e-9 of the largest component, since
    # some components vanish by symmetry.
    N = kernel.newell_grid(tuple(r + 1 for r in R), cell)[(slice(None),) + R]
    ref = dipole_pair_average(R, cell, order=20)
    np.testing.assert_allclose(N, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("cell", [(1, 1, 1), (1, 1, 0.2), (0.4, 0.4, 1)])
def test_newell_and_dipole_forms_agree_at_crossover(cell):
    # Continuity: in the shell rc-1 < r < rc+1 both forms approximate the same tensor;
    # measured errors there are ~2e-8 (cube) to ~1e-7 (5:1 cells), see kernel.py.
    # Tolerance 5e-7 of the largest component at each displacement.
    h = np.asarray(cell) / max(cell)
    rc = kernel.crossover_radius(cell)
    shape = tuple(int(math.ceil((rc + 1) / ha)) + 1 for ha in h)
    near = kernel.newell_grid(shape, cell)
    far = kernel.dipole_grid(*(np.arange(m) for m in shape), cell)
    r = np.sqrt(sum(c ** 2 for c in np.meshgrid(*(np.arange(m) * ha for m, ha in zip(shape, h)), indexing="ij")))
    shell = (r > rc - 1) & (r < rc + 1)
    err = np.abs(near - far).max(axis=0)[shell] / np.abs(far).max(axis=0)[shell]
    assert err.max() < 5e-7


@pytest.mark.parametrize("cell", [(1, 1, 1), (1, 1, 0.2)])
def test_assembled_tensor_is_accurate_around_crossover(cell):
    # Reference: the dipole tensor averaged with a 16-point rule per axis (Gauss-Legendre
    # on each half of [-1, 1], exact for polynomials of degree 31 times the weight),
    # converged to ~1e-15 for r >= 8 edges. The kernel's worst relative error is at the
    # crossover, measured 1.4e-8 (cube) and 7e-8 (5:1 cell); tolerance 3e-7.
    x, w = np.polynomial.legendre.leggauss(8)
    t, wt = 0.5 * (x + 1), 0.25 * w * (1 - x)
    nodes, weights = np.concatenate([t, -t]), np.concatenate([wt, wt])
    h = np.asarray(cell) / max(cell)
    shape = tuple(int(2 * kernel.crossover_radius(cell) / ha) for ha in h)
    # a sample of displacements (the reference is costly): three layers along z
    idx = [np.arange(shape[0]), np.arange(shape[1]), np.array([0, shape[2] // 4, shape[2] // 2])]
    N = kernel.tensor_grid(shape, cell)[np.ix_(range(6), *idx)]
    ref = kernel.dipole_grid(*idx, cell, nodes, weights)
    r = np.sqrt(sum(c ** 2 for c in np.meshgrid(*(i * ha for i, ha in zip(idx, h)), indexing="ij")))
    far = r >= 8
    err = np.abs(N - ref).max(axis=0)[far] / np.abs(ref).max(axis=0)[far]
    assert err.max() < 3e-7


@pytest.mark.parametrize("cell, order", [((1, 2, 3), 2), ((1, 1, 1), 4)])
def test_far_field_tends_to_point_dipole(cell, order):
    # Far away the cell-averaged tensor approaches a point dipole of the cell's volume,
    # with a relative correction ~ (h/r)^2 from the cells' second moments; for cubic
    # cells those moments are isotropic and the correction ~ laplacian(1/r^3) = 0, so
    # it starts at (h/r)^4. At r = 240 edges (h/r)^2 = 1.7e-5: the deviation must be
    # below 1e-4, and doubling r must shrink it by 2^order (+-15%).
    direction = np.array([3, 2, 1])
    dev = []
    for m in (16, 32, 64):
        R = direction * m
        N = kernel.dipole_grid([R[0]], [R[1]], [R[2]], cell)[:, 0, 0, 0]
        P = kernel.point_dipole(*R, cell)
        dev.append(np.abs(N - P).max() / np.abs(P).max())
    assert dev[-1] < 1e-4
    for a, b in zip(dev, dev[1:]):
        assert a / b == pytest.approx(2 ** order, rel=0.15)


def test_gauss_rule_is_exact_to_degree_five():
    # Moments of the weight (1 - |t|) on [-1, 1]: int t^k (1-|t|) dt = 2/((k+1)(k+2)) for
    # even k, 0 for odd k. The 3-point rule must match k = 0..5 and not k = 6.
    t, w = np.array(kernel.GAUSS_NODES), np.array(kernel.GAUSS_WEIGHTS)
    for k in range(7):
        exact = 2 / ((k + 1) * (k + 2)) if k % 2 == 0 else 0.0
        if k <= 5:
            assert np.sum(w * t ** k) == pytest.approx(exact, abs=1e-15)
        else:
            assert abs(np.sum(w * t ** k) - exact) > 1e-3


def test_trace_vanishes_between_distinct_cells():
    # Laplace: the trace of -grad grad (1/r) is zero away from the source, so
    # Nxx + Nyy + Nzz = 0 for every displacement but the self term (where it is 1).
    # 1e-10: Newell rounding at the crossover in absolute terms (entries <= 1).
    K = kernel.demag_kernel((40, 12, 3), (1, 2, 3))
    trace = K[0] + K[1] + K[2]
    assert trace[0, 0, 0] == pytest.approx(1, abs=1e-13)
    trace[0, 0, 0] = 0
    assert np.abs(trace).max() < 1e-10


def test_open_kernel_layout_and_symmetry():
    # Layout used by the zero-padded FFT: index i < n is displacement i, i > n is i - 2n,
    # index n is zero, an axis with one cell has length 1. Diagonal components are even
    # in every displacement axis, Nxy odd in x and y, Nxz odd in x and z, Nyz odd in y, z.
    n, cell = (5, 4, 3), (1, 2, 3)
    K = kernel.demag_kernel(n, cell)
    assert K.shape == (6, 10, 8, 6)
    assert kernel.demag_kernel((5, 4, 1), cell).shape == (6, 10, 8, 1)
    base = kernel.newell_grid(n, cell)
    odd = [(0, 0, 0)] * 3 + [(1, 1, 0), (1, 0, 1), (0, 1, 1)]
    for i, j, k in itertools.product(range(-4, 5), range(-3, 4), range(-2, 3)):
        for c in range(6):
            sign = (-1) ** sum(o for o, d in zip(odd[c], (i, j, k)) if d < 0)
            assert K[c, i % 10, j % 8, k % 6] == sign * base[c, abs(i), abs(j), abs(k)]
    assert not K[:, 5].any() and not K[:, :, 4].any() and not K[:, :, :, 3].any()


def test_periodic_kernel_sums_images():
    # Periodic axis with p images: index i holds sum_{k=-p..p} N(w(i) + k n) with the
    # minimal image w(i); here n = 5 (odd, no equidistant images), p = 2, so
    # displacements up to 12 cells: all inside the Newell region. 1e-15 absolute.
    n, cell, p = (5, 3, 2), (1, 1, 1), 2
    K = kernel.demag_kernel(n, cell, pbc=(p, 0, 0))
    assert K.shape == (6, 5, 6, 4)
    base = kernel.newell_grid((13, 3, 2), cell)
    for i in range(5):
        w = i if i <= 2 else i - 5
        expect = 0
        for k in range(-p, p + 1):
            d = w + 5 * k
            expect = expect + base[:, abs(d), 1, 1] * np.array([1, 1, 1, np.sign(d), np.sign(d), 1])
        np.testing.assert_allclose(K[:, i, 1, 1], expect, rtol=0, atol=1e-15)


def test_periodic_even_length_averages_equidistant_images():
    # With an even number of cells the images at +n/2 and -n/2 are equally far: the
    # kernel averages them, so components odd along that axis vanish at index n/2.
    K = kernel.demag_kernel((6, 4, 2), (1, 1, 1), pbc=(3, 0, 0))
    assert not K[3, 3].any() and not K[4, 3].any()
    assert K[0, 3].any()


def test_kernel_is_cached_and_read_only():
    # Same mesh -> same array (scaled cells share it: only aspect ratios matter).
    a = kernel.demag_kernel((8, 8, 1), (2e-9, 2e-9, 1e-9))
    b = kernel.demag_kernel((8, 8, 1), (4e-9, 4e-9, 2e-9))
    assert a is b
    assert not a.flags.writeable


@pytest.mark.parametrize("n, cell, pbc", [((0, 4, 1), (1, 1, 1), (0, 0, 0)),
                                          ((4, 4, 1), (1, -1, 1), (0, 0, 0)),
                                          ((4, 4, 1), (1, 1, 1), (0, -1, 0))])
def test_invalid_mesh_raises(n, cell, pbc):
    with pytest.raises(MeshError):
        kernel.demag_kernel(n, cell, pbc)
