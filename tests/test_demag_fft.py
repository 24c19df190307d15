"""FFT demag provider (pymag.demag.fft) against analytic demag factors and brute-force sums."""
import itertools
import math

import numpy as np
import pytest
import torch

from pymag.demag import get_provider, kernel
from pymag.demag.fft import FFTDemag
from pymag.errors import ShapeMismatchError
from pymag.mesh import Mesh

from test_demag_kernel import aharoni_factors

nm = 1e-9
Ms = 8e5  # A/m, a permalloy-like magnetization scale


def uniform(n, axis, dtype=torch.float64):
    M = torch.zeros((3,) + tuple(n), dtype=dtype)
    M[axis] = Ms
    return M


def newell_pointwise(d, cell):
    """3x3 Newell tensor at integer displacements d (..., 3), summing f and g at the 27
    stencil points of each displacement directly (no corner grid, mirroring or FFT)."""
    h = np.asarray(cell, float) / max(cell)
    s, w = np.array([-1.0, 0.0, 1.0]), np.array([-1.0, 2.0, -1.0])
    X = (d[..., 0, None, None, None] + s[:, None, None]) * h[0]
    Y = (d[..., 1, None, None, None] + s[None, :, None]) * h[1]
    Z = (d[..., 2, None, None, None] + s[None, None, :]) * h[2]
    W = np.einsum("i,j,k->ijk", w, w, w)
    parts = (kernel.newell_f(X, Y, Z), kernel.newell_f(Y, X, Z), kernel.newell_f(Z, Y, X),
             kernel.newell_g(X, Y, Z), kernel.newell_g(X, Z, Y), kernel.newell_g(Y, Z, X))
    xx, yy, zz, xy, xz, yz = (np.sum(F * W, axis=(-3, -2, -1)) / (4 * math.pi * np.prod(h)) for F in parts)
    return np.stack([np.stack([xx, xy, xz], -1), np.stack([xy, yy, yz], -1), np.stack([xz, yz, zz], -1)], -2)


def direct_sum(M, n, cell, pbc=(0, 0, 0)):
    """H(r) = -sum over all source cells s (and periodic images) of N(r - s) M(s)."""
    idx = np.stack(np.meshgrid(*map(np.arange, n), indexing="ij"), -1).reshape(-1, 3)
    d = idx[:, None, :] - idx[None, :, :]
    for a in range(3):
        if pbc[a]:
            d[..., a] = (d[..., a] + n[a] // 2) % n[a] - n[a] // 2  # minimal image (odd n)
    N = 0
    for k in itertools.product(*(range(-p, p + 1) for p in pbc)):
        N = N + newell_pointwise(d + np.array(k) * np.array(n), cell)
    H = -np.einsum("tsij,js->it", N, M.reshape(3, -1))
    return H.reshape(M.shape)


def test_registered_as_fft():
    assert get_provider("fft") is FFTDemag


@pytest.mark.parametrize("axis", [0, 1, 2])
def test_uniform_cube_has_demag_factor_one_third(axis):
    # Reference: demag factor of a cube, 1/3 along every axis. The Newell tensor is exact
    # for uniformly magnetized cells, so the volume average over a cube of 16^3 cells is
    # the cube's factor exactly (no discretization error); what remains is the far-field
    # approximation (< 2e-8 relative per entry, kernel.py) and rounding: tolerance 1e-8.
    n = (16, 16, 16)
    H = FFTDemag(Mesh(n, 1 * nm)).field(uniform(n, axis))
    mean = H.mean(dim=(1, 2, 3)) / Ms
    expect = torch.zeros(3, dtype=torch.float64)
    expect[axis] = -1 / 3
    torch.testing.assert_close(mean, expect, rtol=0, atol=1e-8)


def test_thin_film_average_field_matches_prism_and_tends_to_minus_M():
    # Reference: Aharoni's demag factors of the whole film, a 256 x 256 x 3 nm prism
    # (exact average for the same reason as the cube; tolerance 1e-8 relative). For a
    # thin film Nzz -> 1: here within 4% (thickness/width ~ 1%); in-plane components
    # of the average vanish by symmetry.
    n, cell = (128, 128, 1), (2 * nm, 2 * nm, 3 * nm)
    provider = FFTDemag(Mesh(n, cell))
    Dx, Dy, Dz = aharoni_factors(256, 256, 3)
    Hz = provider.field(uniform(n, 2)).mean(dim=(1, 2, 3)) / Ms
    assert -Hz[2].item() == pytest.approx(Dz, rel=1e-8)
    assert -Hz[2].item() > 0.96
    assert abs(Hz[0].item()) < 1e-12 and abs(Hz[1].item()) < 1e-12
    Hx = provider.field(uniform(n, 0)).mean(dim=(1, 2, 3)) / Ms
    assert -Hx[0].item() == pytest.approx(Dx, rel=1e-8)


@pytest.mark.parametrize("n, cell", [((5, 4, 3), (1, 2, 3)), ((7, 6, 1), (2.5, 2.5, 3)), ((6, 5, 2), (1, 1, 1)),
                                     ((4, 3, 6), (1, 1.5, 1)), ((4, 5, 4), (1, 1, 2))])
def test_matches_direct_sum_float64(n, cell):
    # Reference: brute-force sum over all cell pairs with the pointwise Newell tensor.
    # Every displacement is inside the Newell region, so both use the same formulas and
    # differ only by FFT rounding, ~1e-15 of the field: tolerance 1e-12 of max |M|.
    M = np.random.default_rng(1).uniform(-Ms, Ms, (3,) + n)
    H = FFTDemag(Mesh(n, np.array(cell) * nm)).field(torch.tensor(M)).numpy()
    np.testing.assert_allclose(H, direct_sum(M, n, cell), rtol=0, atol=1e-12 * Ms)


@pytest.mark.parametrize("n, cell", [((5, 4, 3), (1, 2, 3)), ((7, 6, 1), (2.5, 2.5, 3)), ((6, 5, 2), (1, 1, 1)),
                                     ((4, 3, 6), (1, 1.5, 1)), ((4, 5, 4), (1, 1, 2))])
def test_matches_direct_sum_float32(n, cell):
    # float32 transforms and kernel: rounding ~ 1e-7 relative (measured 1e-7), so
    # tolerance 1e-5 of the largest field value.
    M = np.random.default_rng(2).uniform(-Ms, Ms, (3,) + n)
    provider = FFTDemag(Mesh(n, np.array(cell) * nm), dtype=torch.float32)
    H = provider.field(torch.tensor(M, dtype=torch.float32))
    assert H.dtype == torch.float32
    ref = direct_sum(M, n, cell)
    np.testing.assert_allclose(H.numpy(), ref, rtol=0, atol=1e-5 * np.abs(ref).max())


@pytest.mark.parametrize("n, cell, pbc", [((5, 3, 1), (1, 1, 1), (2, 1, 0)),
                                          ((3, 5, 3), (1, 1, 2), (0, 2, 1)), ((5, 4, 2), (1, 1, 1), (2, 0, 0)),
                                          ((4, 3, 3), (1, 2, 1), (0, 1, 0))])
def test_periodic_matches_direct_sum_over_images(n, cell, pbc):
    # Reference: brute-force sum over all cell pairs and all images k = -p..p of the
    # minimal-image displacement (odd n, so the minimal image is unique). Displacements
    # reach 12 cells, where Newell's rounding is ~3e-9 of entries ~1e-4: ~1e-12 of
    # max |M| (measured); tolerance 1e-10 of max |M|.
    M = np.random.default_rng(3).uniform(-Ms, Ms, (3,) + n)
    H = FFTDemag(Mesh(n, np.array(cell) * nm, pbc)).field(torch.tensor(M)).numpy()
    np.testing.assert_allclose(H, direct_sum(M, n, cell, pbc), rtol=0, atol=1e-10 * Ms)


@pytest.mark.parametrize("n", [(6, 5, 4), (9, 7, 1), (4, 5, 6)])
def test_batched_input_equals_per_sample(n):
    # Leading batch dims are independent systems: the same field as one at a time,
    # to rounding (1e-12 of max |M|).
    provider = FFTDemag(Mesh(n, 1 * nm))
    M = torch.tensor(np.random.default_rng(4).uniform(-Ms, Ms, (2, 2, 3) + n))
    H = provider.field(M)
    assert H.shape == M.shape
    for i, j in itertools.product(range(2), range(2)):
        torch.testing.assert_close(H[i, j], provider.field(M[i, j]), rtol=0, atol=1e-12 * Ms)


def test_repeated_calls_reuse_work_arrays_safely():
    # Work arrays are reused between calls: a second call (other data, other batch
    # shape, then back) must give what a fresh provider gives, and must not change the
    # field returned earlier.
    n = (6, 5, 4)
    rng = np.random.default_rng(5)
    M1, M2 = (torch.tensor(rng.uniform(-Ms, Ms, (3,) + n)) for _ in range(2))
    provider = FFTDemag(Mesh(n, 1 * nm))
    H1 = provider.field(M1)
    H1_copy = H1.clone()
    provider.field(torch.stack([M2, M1]))
    H2 = provider.field(M2)
    torch.testing.assert_close(H1, H1_copy, rtol=0, atol=0)
    torch.testing.assert_close(H2, FFTDemag(Mesh(n, 1 * nm)).field(M2), rtol=0, atol=1e-12 * Ms)


def test_periodic_film_approaches_infinite_film():
    # An infinite film has Nzz = 1. With 8 images per side the 32 x 32 cell film is the
    # centre tile of a 544 x 544 cell plate: its Nzz lies between that plate's average
    # (Aharoni, 0.9918; the centre is more uniform than the edges) and 1, and is at
    # least 10x closer to 1 than the open 32 x 32 film (1 - Nzz = 0.084).
    n = (32, 32, 1)
    nzz_open = -FFTDemag(Mesh(n, 1 * nm)).field(uniform(n, 2))[2].mean().item() / Ms
    nzz_pbc = -FFTDemag(Mesh(n, 1 * nm, pbc=(8, 8, 0))).field(uniform(n, 2))[2].mean().item() / Ms
    assert aharoni_factors(544, 544, 1)[2] < nzz_pbc <= 1
    assert 1 - nzz_pbc < (1 - nzz_open) / 10


@pytest.mark.parametrize("n", [(5, 4, 3), (4, 3, 6), (5, 4, 1)])  # layered, 3-D and single-layer paths
def test_field_gradient_is_minus_field(n):
    # E = (1/2) sum M.N M (per cell volume and mu0) has gradient N M = -H, since the
    # tensor is symmetric: N_ij(r) = N_ji(-r). Checks the differentiable path.
    provider = FFTDemag(Mesh(n, (1 * nm, 2 * nm, 3 * nm)))
    M = torch.tensor(np.random.default_rng(6).uniform(-Ms, Ms, (3,) + n), requires_grad=True)
    H = provider.field(M)
    (-0.5 * (M * H).sum()).backward()
    torch.testing.assert_close(M.grad, -H.detach(), rtol=0, atol=1e-12 * Ms)
    torch.testing.assert_close(H.detach(), provider.field(M.detach()), rtol=0, atol=1e-12 * Ms)


@pytest.mark.parametrize("bad", [torch.zeros(3, 8, 6), torch.zeros(3, 8, 6, 2), torch.zeros(2, 8, 6, 1),
                                 torch.zeros(3, 6, 8, 1), np.zeros((3, 8, 6, 1)),
                                 torch.zeros(3, 8, 6, 1, dtype=torch.float32)])
def test_mismatched_input_raises(bad):
    provider = FFTDemag(Mesh((8, 6, 1), 1 * nm))
    with pytest.raises(ShapeMismatchError, match="8, 6, 1|float32"):
        provider.field(bad)
