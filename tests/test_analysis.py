"""Winding density, vortex cores and topological charge on textures whose answer is known.

References: NeuralMAG (Cai et al.) eq. 19-22 -- a vortex has winding density sum +1/2 and an
antivortex -1/2, so N_vortex = WD_abs + WD_sum and N_antivortex = WD_abs - WD_sum; the
skyrmion number Q = (1/4pi) int m.(d_x m x d_y m) dx dy, whose lattice form (Berg & Luescher,
Nucl. Phys. B 190, 412 (1981)) is the exact degree of the map onto the sphere.
"""
import numpy as np
import pytest

import pymag as pm
from pymag.analysis import find_vortices, topological_charge, vortex_count, winding_density
from pymag.errors import PymagError

CELL = 3e-9
MESH = pm.Mesh(n=(64, 64, 1), cell=(CELL, CELL, CELL))
CORE = 10e-9  # core radius: 3.3 cells, so the lattice sums are within 1e-3 of their continuum values


def core(x0, y0, kind, circulation=1, polarity=1, mesh=MESH):
    """In-plane angle and m_z of one core at (x0, y0) (m): a vortex has angle phi + c pi/2,
    an antivortex -phi (phi the azimuth about the core), both with a Gaussian m_z core."""
    x, y, _ = mesh.coordinates()
    phi = np.arctan2(y - y0, x - x0)
    angle = phi + circulation * np.pi / 2 if kind == "vortex" else -phi
    return angle, polarity * np.exp(-np.hypot(x - x0, y - y0) ** 2 / CORE ** 2)


def texture(*cores):
    """Unit m (3, nx, ny, nz) of several cores: in-plane angles add, m_z profiles add."""
    angle = sum(c[0] for c in cores)
    mz = sum(c[1] for c in cores)
    s = np.sqrt(1 - mz ** 2)
    return np.stack([s * np.cos(angle), s * np.sin(angle), mz])


def system(m, mesh=MESH, geometry=None):
    return pm.System(mesh, geometry=geometry, material={"Ms": 8e5, "A": 1.3e-11}, m=m)


@pytest.mark.parametrize("circulation", [1, -1])
@pytest.mark.parametrize("polarity", [1, -1])
def test_vortex_kind_circulation_polarity_and_position(circulation, polarity):
    x0, y0 = 10.7e-9, -5.2e-9  # off the cell centres
    cores = find_vortices(system(texture(core(x0, y0, "vortex", circulation, polarity))))
    assert len(cores) == 1
    v = cores[0]
    assert (v.kind, v.circulation, v.polarity) == ("vortex", circulation, polarity)
    assert abs(v.x - x0) < CELL / 2 and abs(v.y - y0) < CELL / 2


def test_counterclockwise_vortex_has_positive_circulation():
    # m = (-y, x)/r curls counterclockwise seen from +z: (curl m)_z = 1/r > 0
    x, y, _ = MESH.coordinates()
    r = np.hypot(x, y)
    m = np.stack([-y / r, x / r, np.zeros_like(r)])
    assert find_vortices(m, cell=MESH.cell)[0].circulation == 1


def test_radial_vortex_has_no_circulation():
    # m = (x, y)/r winds like a vortex but is curl-free
    x, y, _ = MESH.coordinates()
    r = np.hypot(x, y)
    (v,) = find_vortices(np.stack([x / r, y / r, np.zeros_like(r)]), cell=MESH.cell)
    assert (v.kind, v.circulation) == ("vortex", 0)


def test_single_vortex_winding_density_sums_to_one_half():
    wd = winding_density(texture(core(0, 0, "vortex")))
    # the core maps once onto the unit disk: area pi over 2 pi
    assert wd.sum() == pytest.approx(0.5, abs=1e-3)
    assert np.abs(wd).sum() == pytest.approx(0.5, abs=1e-3)


@pytest.mark.parametrize("polarity", [1, -1])
def test_antivortex_kind_and_polarity(polarity):
    x0, y0 = 3e-9, 7e-9
    m = texture(core(x0, y0, "antivortex", polarity=polarity))
    assert vortex_count(m) == (0, 1)
    (av,) = find_vortices(m, cell=MESH.cell)
    assert (av.kind, av.circulation, av.polarity) == ("antivortex", 0, polarity)
    assert abs(av.x - x0) < CELL / 2 and abs(av.y - y0) < CELL / 2


def test_vortex_antivortex_pair_counts_one_each():
    m = texture(core(-40e-9, 0, "vortex"), core(40e-9, 0, "antivortex", polarity=-1))
    assert vortex_count(m) == (1, 1)
    assert [v.kind for v in find_vortices(m, cell=MESH.cell)] == ["vortex", "antivortex"]


def test_two_vortices_count_two():
    m = texture(core(-40e-9, 10e-9, "vortex"), core(40e-9, -10e-9, "vortex", polarity=-1))
    assert vortex_count(m) == (2, 0)
    assert [(v.kind, v.polarity) for v in find_vortices(m, cell=MESH.cell)] == [("vortex", 1), ("vortex", -1)]


def test_uniform_state_has_no_cores():
    s = system((1, 0.3, 0))
    assert vortex_count(s) == (0, 0)
    assert find_vortices(s) == []


def test_vortex_in_disk_counts_one_despite_empty_cells():
    # a cell beside the disk edge read as m = 0 would map the rim to the disk's centre and
    # cancel the winding; one-sided differences keep the rim on the unit circle
    disk = system(texture(core(10e-9, -5e-9, "vortex")), geometry=pm.Cylinder(diameter=170e-9, height=CELL))
    assert vortex_count(disk) == (1, 0)
    assert winding_density(disk).sum() == pytest.approx(0.5, abs=2e-3)
    (v,) = find_vortices(disk)
    assert abs(v.x - 10e-9) < CELL / 2 and abs(v.y + 5e-9) < CELL / 2


def test_two_layer_film_uses_layer_average():
    mesh = pm.Mesh(n=(64, 64, 2), cell=(CELL, CELL, CELL))
    s = system(texture(core(0, 0, "vortex", -1, -1, mesh=mesh)), mesh=mesh)
    assert vortex_count(s) == (1, 0)
    assert vortex_count(s, layer=1) == (1, 0)
    (v,) = find_vortices(s)
    assert (v.circulation, v.polarity) == (-1, -1)


def test_batched_magnetizations_give_counts_per_sample():
    batch = np.stack([texture(core(0, 0, "vortex")), texture(core(0, 0, "antivortex"))])
    n_vortex, n_antivortex = vortex_count(batch)
    assert n_vortex.tolist() == [1, 0] and n_antivortex.tolist() == [0, 1]


def skyrmion(mesh, core_mz, radius=30e-9, helicity=0.0):
    """Skyrmion with m_z = core_mz at the centre and -core_mz beyond ``radius`` (m), polar angle
    linear in r: the boundary is exactly uniform, so the lattice charge is exactly an integer."""
    x, y, _ = mesh.coordinates()
    r = np.hypot(x, y)
    theta = np.pi * np.clip(r / radius, 0, 1)
    phi = np.arctan2(y, x) + helicity
    return np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), core_mz * np.cos(theta)])


def test_skyrmion_core_down_has_charge_minus_one():
    # mumax3's convention: Q = (1/2)(m_z(core) - m_z(far)) for a texture of in-plane winding +1
    assert topological_charge(skyrmion(MESH, core_mz=-1)) == pytest.approx(-1, abs=1e-9)


def test_skyrmion_core_up_has_charge_plus_one():
    assert topological_charge(skyrmion(MESH, core_mz=1)) == pytest.approx(1, abs=1e-9)


def test_bloch_skyrmion_has_the_charge_of_the_neel_one():
    # helicity rotates m about z, which leaves m.(d_x m x d_y m) unchanged
    assert topological_charge(skyrmion(MESH, -1, helicity=np.pi / 2)) == pytest.approx(-1, abs=1e-9)


def test_uniform_state_has_no_topological_charge():
    assert topological_charge(system((0, 0, 1))) == 0


DMI_MATERIAL = {"Ms": 0.86e6, "A": 13e-12, "Ku": 0.4e6, "Ku_axis": (0, 0, 1), "D": -3e-3}
DMI_TERMS = (pm.Exchange, pm.UniaxialAnisotropy, pm.DMI)


def relaxed_skyrmion(mesh, geometry=None):
    """DMI standard problem material (Cortes-Ortuno et al., New J. Phys. 20, 113015 (2018)),
    no demag, relaxed from a core-down bubble of 20 nm radius in a +z background."""
    def bubble(x, y, z):
        return 1e-3 + 0 * x, 0 * y, np.where(np.hypot(x, y) < 20e-9, -1.0, 1.0)
    s = pm.System(mesh, geometry=geometry, material=DMI_MATERIAL, terms=[t() for t in DMI_TERMS], m=bubble)
    s.minimize()
    return s


def test_relaxed_skyrmion_on_periodic_film_has_integer_charge():
    # on a periodic film the lattice charge is the degree of a map of the torus: an integer
    s = relaxed_skyrmion(pm.Mesh(n=(40, 40, 1), cell=(2e-9, 2e-9, 2e-9), pbc=(1, 1, 0)))
    q = topological_charge(s)
    assert abs(q - round(q)) < 1e-3 and round(q) == -1


def test_relaxed_skyrmion_in_disk_loses_the_edge_tilt_solid_angle():
    # DMI tilts the rim (boundary condition d_n m = (D/2A) (z x n) x m), so the disk maps onto
    # the sphere only up to the rim's latitude: Q = (m_z(core) - <m_z>_rim)/2, not -1
    s = relaxed_skyrmion(pm.Mesh(n=(50, 50, 1), cell=(2e-9, 2e-9, 2e-9)), pm.Cylinder(100e-9, 2e-9))
    m, magnet = s.m.numpy()[2, :, :, 0], s.magnet.numpy()[:, :, 0]
    inner = magnet[1:-1, 1:-1] & magnet[2:, 1:-1] & magnet[:-2, 1:-1] & magnet[1:-1, 2:] & magnet[1:-1, :-2]
    rim = magnet.copy()
    rim[1:-1, 1:-1] &= ~inner
    expected = (m.min() - m[rim].mean()) / 2
    # the staircase rim of 2 nm cells is not one circle of latitude: a few 1e-3 apart
    assert topological_charge(s) == pytest.approx(expected, abs=5e-3)
    assert abs(expected + 1) > 0.05


def test_periodic_charge_is_integer_for_a_core_across_the_boundary():
    m = np.roll(skyrmion(MESH, -1), (32, 10), axis=(1, 2))
    assert topological_charge(m, periodic=(True, True)) == pytest.approx(-1, abs=1e-9)


def test_cores_across_a_periodic_boundary_are_found_whole():
    # a skyrmion's in-plane part covers the disk twice, once each way: it reads as a vortex
    # and an antivortex on one spot; rolled onto the corner of a periodic film, both are
    # still found there, not cut into halves of winding 1/4
    m = np.roll(skyrmion(MESH, -1, radius=20e-9), (32, 20), axis=(1, 2))
    cores = find_vortices(m, cell=MESH.cell, periodic=(True, True))
    assert sorted(v.kind for v in cores) == ["antivortex", "vortex"]
    for v in cores:
        assert abs(abs(v.x) - 96e-9) < CELL / 2 and abs(v.y - 60e-9) < CELL / 2


def test_find_vortices_needs_cell_size_for_raw_arrays():
    with pytest.raises(PymagError, match="cell"):
        find_vortices(texture(core(0, 0, "vortex")))


def test_layer_out_of_range_is_rejected():
    with pytest.raises(PymagError, match="layer 2"):
        vortex_count(texture(core(0, 0, "vortex")), layer=2)


def test_plot_winding_writes_png(tmp_path):
    from pymag.viz.winding import plot_winding
    m = texture(core(-40e-9, 0, "vortex"), core(40e-9, 0, "antivortex"))
    path = tmp_path / "winding.png"
    fig = plot_winding(m, path=path, cell=MESH.cell)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert sorted(label.split()[0] for label in labels) == ["AV+", "V+"]
