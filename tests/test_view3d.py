"""3-D views: each kind renders the magnet off-screen, with colours that follow m."""
import numpy as np
import pytest

import pymag as pm
from pymag.errors import PymagError, ShapeMismatchError
from pymag.viz.view3d import KINDS, _sample, image_data, offscreen_backend, show3d

SIZE = (400, 300)  # small windows keep each software (llvmpipe) render well under a second
MESH = pm.Mesh(n=(32, 32, 4), cell=(3e-9,) * 3)
DISK = pm.Cylinder(diameter=96e-9, height=12e-9)


@pytest.fixture(scope="module")
def offscreen():
    """Skip when VTK has no off-screen OpenGL backend here (no EGL, no OSMesa)."""
    try:
        return offscreen_backend()
    except PymagError as err:
        pytest.skip(str(err))


def vortex_disk():
    """Vortex with polarity +1: m_z = +1 at the core, ~0 elsewhere, never negative."""
    return pm.System(MESH, geometry=DISK, material={"Ms": 8e5}, m=pm.init.vortex(core_radius=10e-9))


def split_disk():
    """m_z = +1 for x < 0 and -1 for x > 0 (tilted a little along y): both ends of the colormap."""
    return pm.System(MESH, geometry=DISK, material={"Ms": 8e5},
                     m=lambda x, y, z: (0 * x, 0.3 + 0 * x, np.where(x < 0, 1.0, -1.0)))


def reddish_mask(img):
    """Pixels near the +1 end of the diverging map (red, also when shaded)."""
    r, g, b = (img[..., i].astype(int) for i in range(3))
    return (r > b + 60) & (r > g + 60)


def bluish_mask(img):
    """Pixels near the -1 end of the diverging map (blue, also when shaded)."""
    r, g, b = (img[..., i].astype(int) for i in range(3))
    return (b > r + 60) & (b > g + 30)


def reddish(img):
    """Fraction of reddish pixels."""
    return reddish_mask(img).mean()


def bluish(img):
    """Fraction of bluish pixels."""
    return bluish_mask(img).mean()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_writes_a_picture_of_the_magnet(offscreen, tmp_path, kind):
    path = tmp_path / f"{kind}.png"
    img = show3d(vortex_disk(), path, kind=kind, window_size=SIZE, title=kind)
    assert img.shape == (SIZE[1], SIZE[0], 3) and img.dtype == np.uint8
    from PIL import Image
    assert np.array_equal(np.asarray(Image.open(path).convert("RGB")), img)
    # a blank or failed render is one flat colour; the disk with its shading, colour bar,
    # rulers and title gives hundreds of colours and covers a good part of the window
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 200
    background = np.all(img == 255, axis=-1)
    assert background.mean() < 0.9
    assert (~background).mean() > 0.15


@pytest.mark.parametrize("kind", KINDS)
def test_up_and_down_halves_show_both_ends_of_the_colormap(offscreen, tmp_path, kind):
    img = show3d(split_disk(), tmp_path / "split.png", kind=kind, window_size=SIZE, axes=False)
    body = img[:, : int(0.84 * SIZE[0])]  # leave out the colour bar, which shows both ends anyway
    # each half of the disk covers >= 1.7 % of the window even as thin arrows (measured: 1.7-2 %)
    assert reddish(body) > 0.01
    assert bluish(body) > 0.01


def test_vortex_with_positive_polarity_has_no_negative_m_z(offscreen, tmp_path):
    width = 800
    img = show3d(vortex_disk(), tmp_path / "vortex.png", kind="arrows", window_size=(width, 600), axes=False)
    body = img[:, : int(0.84 * width)]  # leave out the colour bar, which shows both ends whatever m is
    # about 90 core arrows (m_z > 0.5 within 8 nm of the axis, 4 layers): ~500 red pixels at 800 x 600
    assert np.count_nonzero(reddish_mask(body)) > 200
    assert not bluish_mask(body).any()  # m_z >= 0 everywhere


def test_component_picks_the_colour(offscreen, tmp_path):
    """Uniform m = +x: red when coloured by m_x, neither red nor blue by m_z (= 0)."""
    system = pm.System(MESH, geometry=DISK, material={"Ms": 8e5}, m=(1, 0, 0))
    by_x = show3d(system, tmp_path / "x.png", kind="surface", component="x", window_size=SIZE, axes=False)
    by_z = show3d(system, tmp_path / "z.png", kind="surface", component="z", window_size=SIZE, axes=False)
    assert reddish(by_x) > 0.05
    body = np.s_[:, : int(0.84 * SIZE[0])]
    assert reddish(by_z[body]) == 0.0 and bluish(by_z[body]) == 0.0


def test_array_snapshot_gives_the_same_view_as_the_system(offscreen, tmp_path):
    system = split_disk()
    m = system.m.numpy().copy()
    from_system = show3d(system, tmp_path / "a.png", kind="surface", window_size=SIZE)
    from_array = show3d(m, tmp_path / "b.png", kind="surface", mesh=MESH, window_size=SIZE)
    from_tensor = show3d(system.m, tmp_path / "c.png", kind="surface", mesh=MESH, magnet=system.magnet,
                         window_size=SIZE)
    assert np.array_equal(from_system, from_array)
    assert np.array_equal(from_system, from_tensor)


def test_image_data_is_the_mesh_in_nm_centred_on_the_origin():
    system = vortex_disk()
    grid = image_data(system.m, MESH, system.magnet)
    assert np.allclose(grid.origin, (-48, -48, -6))  # -size/2 = -(32*3, 32*3, 4*3)/2 nm
    assert np.allclose(grid.spacing, (3, 3, 3))
    assert grid.n_cells == MESH.ncells
    assert grid.cell_data["magnet"].sum() == int(system.magnet.sum())
    # VTK's x-fastest cell order: cell (i, j, k) holds m[:, i, j, k]
    i, j, k = 20, 7, 2
    flat = i + 32 * (j + 32 * k)
    assert np.allclose(grid.cell_data["m"][flat], system.m[:, i, j, k].numpy())
    assert np.allclose(grid.threshold(0.5, scalars="magnet").bounds, grid.bounds, atol=1.6)


def test_arrows_are_thinned_to_the_cap_on_big_meshes():
    magnet = np.ones((64, 64, 64), dtype=bool)
    idx, stride = _sample(magnet, 4000)
    assert idx.shape[0] == 3
    assert 1000 < idx.shape[1] <= 4000  # 262144 cells, every 4th along each axis: 16^3 = 4096 > 4000, so 5th
    assert stride == 5
    small = np.ones((8, 8, 2), dtype=bool)
    assert _sample(small, 4000)[1] == 1  # small meshes keep every cell


def test_unknown_kind_lists_the_choices():
    with pytest.raises(PymagError, match="arrows, surface, slice"):
        show3d(vortex_disk(), kind="volume")


def test_unknown_component_is_refused():
    with pytest.raises(PymagError, match="x, y, z"):
        show3d(vortex_disk(), component="w")


def test_array_needs_a_mesh_of_its_shape():
    m = np.zeros((3, 8, 8, 1))
    m[2] = 1
    with pytest.raises(PymagError, match="mesh="):
        show3d(m)
    with pytest.raises(ShapeMismatchError):
        show3d(m, mesh=MESH)
    with pytest.raises(PymagError, match="empty"):
        show3d(np.zeros((3, 8, 8, 1)), mesh=pm.Mesh(n=(8, 8, 1), cell=3e-9))
