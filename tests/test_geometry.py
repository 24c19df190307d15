"""Shapes checked against geometry facts: analytic areas and volumes, symmetry, CSG laws."""
import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import scipy.ndimage  # noqa: E402

from pymag.errors import GeometryError  # noqa: E402
from pymag.geometry import (ConvexHull, Cuboid, Cylinder, Ellipse, Ellipsoid, ImageShape,  # noqa: E402
                            Polygon, Shape, Sphere, Universe, random_convex_hull,
                            random_polygon)
from pymag.mesh import Mesh  # noqa: E402

nm = 1e-9


def shoelace(vertices):
    x, y = np.asarray(vertices).T
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def centre_of_mass(mask, mesh):
    return np.array([c[mask].mean() for c in mesh.coordinates()])


# --- primitives against analytic volumes ---------------------------------------------

def test_sphere_fills_pi_over_6_of_its_bounding_cube():
    # Lattice points in a ball of radius R = 32 cells: the count differs from the volume
    # by about R^(3/2) cells (the cells cut by the surface largely cancel), a relative
    # error of ~R^(-3/2) = 0.6%; 1% allows for the constant.
    mesh = Mesh(n=(64, 64, 64), cell=nm)
    fraction = Sphere(64 * nm).mask(mesh).mean()
    assert fraction == pytest.approx(math.pi / 6, rel=0.01)


def test_ellipsoid_fills_pi_over_6_of_its_bounding_box():
    mesh = Mesh(n=(80, 48, 32), cell=(1 * nm, 2 * nm, 3 * nm))
    fraction = Ellipsoid((80 * nm, 96 * nm, 96 * nm)).mask(mesh).mean()
    # semi-axes of 40, 24 and 16 cells: as for the sphere, ~25^(-3/2) = 0.8%
    assert fraction == pytest.approx(math.pi / 6, rel=0.01)


def test_cylinder_fills_pi_over_4_of_its_bounding_box():
    # Gauss circle problem: a disc of radius R = 100 cells holds pi R^2 cells to within
    # ~R^(2/3) cells, a relative error of ~R^(-4/3) = 0.2%
    mesh = Mesh(n=(200, 200, 4), cell=(1 * nm, 1 * nm, 2 * nm))
    mask = Cylinder(200 * nm, 8 * nm).mask(mesh)
    assert mask.mean() == pytest.approx(math.pi / 4, rel=0.005)
    assert (mask == mask[:, :, :1]).all()  # a prism: the same disc in every layer


def test_cylinder_height_limits_the_layers():
    mesh = Mesh(n=(10, 10, 10), cell=nm)
    mask = Cylinder(10 * nm, 4 * nm).mask(mesh)
    assert mask.any(axis=(0, 1)).sum() == 4  # layer centres at +-0.5, +-1.5 nm fit in +-2 nm


def test_ellipse_fills_pi_over_4_and_ignores_z():
    mesh = Mesh(n=(300, 100, 3), cell=nm)
    mask = Ellipse((300 * nm, 100 * nm)).mask(mesh)
    assert mask.mean() == pytest.approx(math.pi / 4, rel=0.005)  # semi-axes 150, 50 cells
    assert (mask == mask[:, :, :1]).all()


def test_cuboid_fills_the_whole_sp4_film():
    # muMAG standard problem 4: a 500 x 125 x 3 nm film meshed with 2.5 x 2.5 x 3 nm cells
    mesh = Mesh(n=(200, 50, 1), cell=(2.5 * nm, 2.5 * nm, 3 * nm))
    assert Cuboid((500 * nm, 125 * nm, 3 * nm)).mask(mesh).sum() == 10000


def test_boundary_through_cell_centres_is_inside():
    # centres at -2, -1, 0, 1, 2 nm; the faces of a 2 nm box pass through -1 and +1 nm
    mesh = Mesh(n=(5, 5, 1), cell=nm)
    assert Cuboid((2 * nm, 2 * nm, 1 * nm)).mask(mesh).sum() == 9
    assert Sphere(4 * nm).mask(mesh).sum() == 13  # lattice points with i^2 + j^2 <= 4
    square = [(-nm, -nm), (nm, -nm), (nm, nm), (-nm, nm)]
    assert Polygon(square).mask(mesh).sum() == 9
    assert ConvexHull(square).mask(mesh).sum() == 9


def test_universe_contains_everything():
    mesh = Mesh(n=(3, 4, 5), cell=nm)
    assert Universe().mask(mesh).all()


def test_contains_broadcasts_its_arguments():
    inside = Sphere(2.0 * nm).contains(np.array([0.0, 0.5, 2.0]) * nm, 0.0, [[0.0], [0.9 * nm]])
    assert inside.tolist() == [[True, True, False], [True, False, False]]


def test_from_function_uses_the_predicate():
    mesh = Mesh(n=(10, 4, 1), cell=nm)
    mask = Shape.from_function(lambda x, y, z: x > 0).mask(mesh)
    assert mask.sum() == 20 and mask[5:].all()


# --- polygons and hulls ------------------------------------------------------------

def test_triangle_area_matches_shoelace():
    triangle = np.array([(-90, -80), (95, -60), (-20, 90)]) * nm
    mesh = Mesh(n=(200, 200, 1), cell=nm)
    area = Polygon(triangle).mask(mesh).sum() * nm**2
    # each of the ~550 cells cut by an edge errs by less than one cell area, with random
    # sign along edges of irrational slope: the sum stays far below 1% of 11800 cells
    assert area == pytest.approx(shoelace(triangle), rel=0.01)


def test_star_area_matches_shoelace():
    angles = np.arange(10) * np.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, 90, 35) * nm  # a non-convex five-pointed star
    star = np.column_stack([radii * np.cos(angles), radii * np.sin(angles)])
    mesh = Mesh(n=(200, 200, 1), cell=nm)
    area = Polygon(star).mask(mesh).sum() * nm**2
    assert area == pytest.approx(shoelace(star), rel=0.01)  # as for the triangle: 1100 edge cells


def test_polygon_height_is_centred_on_the_film():
    mesh = Mesh(n=(4, 4, 6), cell=nm)
    square = [(-2 * nm, -2 * nm), (2 * nm, -2 * nm), (2 * nm, 2 * nm), (-2 * nm, 2 * nm)]
    mask = Polygon(square, height=2 * nm).mask(mesh)
    assert mask.all(axis=(0, 1)).tolist() == [False, False, True, True, False, False]


def test_convex_hull_of_square_corners_with_interior_points_is_the_square():
    mesh = Mesh(n=(9, 9, 2), cell=nm)
    points = [(-3 * nm, -3 * nm), (3 * nm, -3 * nm), (3 * nm, 3 * nm), (-3 * nm, 3 * nm),
              (0.0, 0.0), (nm, -2 * nm)]
    expected = Cuboid((6 * nm, 6 * nm, math.inf)).mask(mesh)
    assert (ConvexHull(points).mask(mesh) == expected).all()


def test_convex_hull_of_cube_corners_is_the_cube():
    mesh = Mesh(n=(7, 7, 7), cell=nm)
    corners = np.array([(x, y, z) for x in (-2, 2) for y in (-2, 2) for z in (-2, 2)]) * nm
    assert (ConvexHull(corners).mask(mesh) == Cuboid(4 * nm).mask(mesh)).all()


# --- CSG ---------------------------------------------------------------------------

@pytest.fixture
def two_shapes():
    mesh = Mesh(n=(40, 30, 5), cell=nm)
    return mesh, Sphere(30 * nm), Cuboid((40 * nm, 10 * nm, 4 * nm)).translate(10 * nm, 0, 0)


def test_difference_is_intersection_with_inverse(two_shapes):
    mesh, a, b = two_shapes
    assert ((a - b).mask(mesh) == (a & ~b).mask(mesh)).all()
    assert ((a - b).mask(mesh) == (a.mask(mesh) & ~b.mask(mesh))).all()


def test_xor_is_union_minus_intersection(two_shapes):
    mesh, a, b = two_shapes
    assert ((a ^ b).mask(mesh) == ((a | b) - (a & b)).mask(mesh)).all()


def test_de_morgan_laws(two_shapes):
    mesh, a, b = two_shapes
    assert ((~(a | b)).mask(mesh) == (~a & ~b).mask(mesh)).all()
    assert ((~(a & b)).mask(mesh) == (~a | ~b).mask(mesh)).all()


def test_union_and_intersection_count_cells(two_shapes):
    mesh, a, b = two_shapes
    ma, mb = a.mask(mesh), b.mask(mesh)
    # inclusion-exclusion: |A u B| = |A| + |B| - |A n B|
    assert (a | b).mask(mesh).sum() == ma.sum() + mb.sum() - (a & b).mask(mesh).sum()


# --- transforms ----------------------------------------------------------------------

def test_translate_moves_the_centre_of_mass_by_the_offset():
    # the ball stays inside the mesh, and integer-cell offsets keep its discretization
    # symmetric about the new centre
    mesh = Mesh(n=(60, 60, 30), cell=nm)
    offset = np.array([7, -12, 3]) * nm
    mask = Sphere(20 * nm).translate(*offset).mask(mesh)
    assert centre_of_mass(mask, mesh) == pytest.approx(offset, abs=1e-6 * nm)


def test_rotate_quarter_turn_swaps_cuboid_edges():
    # odd cell counts: the cuboids' faces pass through cell centres, the sharpest test
    mesh = Mesh(n=(11, 11, 5), cell=nm)
    rotated = Cuboid((6 * nm, 2 * nm, 2 * nm)).rotate(math.pi / 2).mask(mesh)
    assert (rotated == Cuboid((2 * nm, 6 * nm, 2 * nm)).mask(mesh)).all()
    assert not (rotated == Cuboid((6 * nm, 2 * nm, 2 * nm)).mask(mesh)).all()


@pytest.mark.parametrize("axis, start, end", [("z", 0, 1), ("x", 1, 2), ("y", 2, 0)])
def test_rotate_is_counterclockwise(axis, start, end):
    # right-hand rule: a quarter turn about z takes +x to +y, about x takes +y to +z,
    # about y takes +z to +x
    position = np.zeros(3)
    position[start] = 5 * nm
    ball = Sphere(2 * nm).translate(*position).rotate(math.pi / 2, axis=axis)
    target = np.zeros(3)
    target[end] = 5 * nm
    assert ball.contains(*target) and not ball.contains(*position)


def test_scale_stretches_a_sphere_into_an_ellipsoid():
    mesh = Mesh(n=(30, 20, 10), cell=nm)
    stretched = Sphere(10 * nm).scale((3, 2, 1)).mask(mesh)
    assert (stretched == Ellipsoid((30 * nm, 20 * nm, 10 * nm)).mask(mesh)).all()


def test_repeat_makes_one_copy_per_period():
    # 200 nm wide mesh, period 40 nm: copies centred at 0, +-40, +-80 nm, all whole
    mesh = Mesh(n=(100, 100, 1), cell=(2 * nm, 2 * nm, 2 * nm))
    dots = Sphere(10 * nm).repeat((40 * nm, 40 * nm, None))
    _, count = scipy.ndimage.label(dots.mask(mesh))
    assert count == 25
    _, count = scipy.ndimage.label(Sphere(10 * nm).repeat((40 * nm, 0, None)).mask(mesh))
    assert count == 5


def test_repeat_keeps_the_copy_at_the_origin_within_half_a_period():
    # the fundamental cell is [-p/2, p/2): a long bar is cut into one period per copy
    bar = Cuboid((100 * nm, 1 * nm, 1 * nm)).repeat((10 * nm, None, None))
    x = np.arange(-50, 50) * nm + 0.25 * nm
    assert bar.contains(x, 0, 0).all()
    assert not bar.contains(0, 2 * nm, 0)


def test_transforms_return_new_shapes():
    cube = Cuboid(2 * nm)
    moved = cube.translate(5 * nm, 0, 0)
    assert cube.contains(0, 0, 0) and not moved.contains(0, 0, 0)
    with pytest.raises(AttributeError):
        cube.size = (1.0, 1.0, 1.0)


# --- equality and repr ---------------------------------------------------------------

def test_equality_compares_structure_and_parameters():
    a = Cuboid((500e-9, 125e-9, 3e-9))
    assert a == Cuboid((500e-9, 125e-9, 3e-9))
    assert hash(a) == hash(Cuboid((500e-9, 125e-9, 3e-9)))
    assert a != Cuboid((500e-9, 125e-9, 4e-9))
    assert (a | Sphere(1e-8)).translate(1e-9, 0, 0) == (a | Sphere(1e-8)).translate(1e-9, 0, 0)
    assert a | Sphere(1e-8) != a & Sphere(1e-8)
    assert a.rotate(0.1) != a.rotate(0.1, axis="x")
    assert Polygon([(0, 0), (1e-8, 0), (0, 1e-8)]) == Polygon(np.array([(0, 0), (1e-8, 0), (0, 1e-8)]))
    assert ImageShape(np.eye(3), (3e-9, 3e-9)) == ImageShape(np.eye(3, dtype=bool), (3e-9, 3e-9))


def test_repr_reads_like_the_code_that_built_the_shape():
    a = Cuboid((500e-9, 125e-9, 3e-9))
    assert repr(a) == "Cuboid(size=(5e-07, 1.25e-07, 3e-09))"
    assert repr(a.translate(1e-8, 0, 0)) == "Cuboid(size=(5e-07, 1.25e-07, 3e-09)).translate(1e-08, 0.0, 0.0)"
    combined = (~(a | Sphere(1e-8)) - Cylinder(2e-8, 3e-9)).rotate(0.5, axis="x").scale(2)
    text = ("(~(Cuboid(size=(5e-07, 1.25e-07, 3e-09)) | Sphere(diameter=1e-08))"
            " - Cylinder(diameter=2e-08, height=3e-09)).rotate(0.5, axis='x').scale(2.0)")
    assert repr(combined) == text
    namespace = {"Cuboid": Cuboid, "Sphere": Sphere, "Cylinder": Cylinder}
    assert eval(text, namespace) == combined


# --- images ------------------------------------------------------------------------

def test_image_array_is_indexed_like_the_mesh():
    pixels = np.zeros((4, 3), dtype=bool)
    pixels[0, 2] = True  # ix = 0 (-x side), iy = 2 (+y side)
    mesh = Mesh(n=(4, 3, 2), cell=nm)
    mask = ImageShape(pixels, (4 * nm, 3 * nm)).mask(mesh)
    assert (mask == pixels[:, :, None]).all()


def test_image_is_stretched_over_its_size_and_empty_outside():
    shape = ImageShape(np.ones((2, 2)), (10 * nm, 20 * nm))
    assert shape.contains(4.9 * nm, -9.9 * nm, 1.0)
    assert not shape.contains(5.1 * nm, 0, 0) and not shape.contains(0, 10.1 * nm, 0)


def test_png_top_row_is_plus_y(tmp_path):
    image = np.ones((3, 4))  # rows from the top of the picture, white
    image[0, 0] = 0.0  # black top-left pixel
    path = tmp_path / "corner.png"
    plt.imsave(path, image, cmap="gray", vmin=0, vmax=1)
    mesh = Mesh(n=(4, 3, 1), cell=nm)
    mask = ImageShape(path, (4 * nm, 3 * nm)).mask(mesh)[:, :, 0]
    expected = np.zeros((4, 3), dtype=bool)
    expected[0, 2] = True  # the -x, +y corner, as in mumax3
    assert (mask == expected).all()


def test_png_transparent_pixels_are_outside(tmp_path):
    rgba = np.zeros((2, 2, 4))  # black everywhere
    rgba[..., 3] = 1.0
    rgba[1, 1, 3] = 0.0  # bottom-right pixel fully transparent
    path = tmp_path / "alpha.png"
    plt.imsave(path, rgba)
    mask = ImageShape(path, (2 * nm, 2 * nm)).mask(Mesh(n=(2, 2, 1), cell=nm))[:, :, 0]
    assert mask.tolist() == [[True, True], [False, True]]  # [ix][iy]: (+x, -y) is out


# --- random shapes -----------------------------------------------------------------

def _segments_cross(p1, p2, q1, q2):
    """True when the closed segments p1p2 and q1q2 share a point."""
    def orient(a, b, c):
        return np.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]))

    def on(a, b, c):  # c on segment ab, given collinear
        return min(a[0], b[0]) <= c[0] <= max(a[0], b[0]) and min(a[1], b[1]) <= c[1] <= max(a[1], b[1])

    d1, d2, d3, d4 = orient(q1, q2, p1), orient(q1, q2, p2), orient(p1, p2, q1), orient(p1, p2, q2)
    if d1 * d2 < 0 and d3 * d4 < 0:
        return True
    return ((d1 == 0 and on(q1, q2, p1)) or (d2 == 0 and on(q1, q2, p2))
            or (d3 == 0 and on(p1, p2, q1)) or (d4 == 0 and on(p1, p2, q2)))


@pytest.mark.parametrize("seed", range(5))
def test_random_polygon_is_simple(seed):
    polygon = random_polygon(seed=seed, irregularity=0.9, spikiness=0.9)
    v = polygon.vertices / nm
    n = len(v)
    assert n == 30
    for i in range(n):
        for j in range(i + 2, n):
            if i == 0 and j == n - 1:
                continue  # adjacent through the wrap-around
            assert not _segments_cross(v[i], v[(i + 1) % n], v[j], v[(j + 1) % n]), (i, j)


def test_random_polygon_is_reproducible_with_a_seed():
    assert random_polygon(seed=7) == random_polygon(seed=7)
    assert random_polygon(seed=7) != random_polygon(seed=8)


def test_random_polygon_size_and_place_follow_the_parameters():
    polygon = random_polygon(size=100 * nm, center=(20 * nm, -10 * nm), spikiness=0.2, seed=3)
    r = np.hypot(*(polygon.vertices - [20 * nm, -10 * nm]).T)
    assert (r >= 40 * nm - 1e-18).all() and (r <= 60 * nm + 1e-18).all()


def test_random_shapes_lie_inside_their_domain():
    film = Cuboid((192 * nm, 192 * nm, math.inf))
    for seed in range(10):
        for shape in (random_polygon(seed=seed), random_convex_hull(seed=seed)):
            corners = shape.vertices if isinstance(shape, Polygon) else shape.points
            assert film.contains(corners[:, 0], corners[:, 1], 0).all()


def test_random_convex_hull_is_reproducible_and_convex():
    hull = random_convex_hull(n_points=15, seed=4)
    assert hull == random_convex_hull(n_points=15, seed=4)
    mesh = Mesh(n=(64, 64, 1), cell=3 * nm)
    mask = hull.mask(mesh)[:, :, 0]
    # convex: every row and column of inside cells is one unbroken run
    for line in list(mask) + list(mask.T):
        inside = np.flatnonzero(line)
        assert len(inside) == 0 or inside[-1] - inside[0] + 1 == len(inside)


# --- bad input -------------------------------------------------------------------------

@pytest.mark.parametrize("build, name", [
    (lambda: Cuboid((-1e-9, 1e-9, 1e-9)), "Cuboid size"),
    (lambda: Cuboid((0.0, 1e-9, 1e-9)), "Cuboid size"),
    (lambda: Sphere(float("nan")), "Sphere diameter"),
    (lambda: Cylinder(1e-9, -1e-9), "Cylinder height"),
    (lambda: Ellipse((1e-9, 1e-9, 1e-9)), "Ellipse size"),
    (lambda: Polygon([(0, 0), (1e-9, 0)]), "vertices_xy"),
    (lambda: Polygon([0, 1e-9, 2e-9]), "vertices_xy"),
    (lambda: Polygon([(0, 0), (1e-9, 1e-9), (2e-9, 2e-9)]), "vertices_xy"),
    (lambda: ConvexHull([(0, 0), (1e-9, 0), (2e-9, 0)]), "ConvexHull points"),
    (lambda: ImageShape(np.ones((2, 2, 2)), (1e-9, 1e-9)), "ImageShape image"),
    (lambda: ImageShape(np.ones((2, 2)), (1e-9, -1e-9)), "ImageShape size"),
    (lambda: Cuboid(1e-9).rotate(1.0, axis="w"), "rotate axis"),
    (lambda: Cuboid(1e-9).translate(float("nan"), 0, 0), "translate offset"),
    (lambda: Cuboid(1e-9).scale(0), "scale factor"),
    (lambda: Cuboid(1e-9).repeat((-1e-9, None, None)), "repeat period"),
    (lambda: random_polygon(n_vertices=2), "n_vertices"),
    (lambda: random_polygon(irregularity=1.5), "irregularity"),
])
def test_bad_input_raises_geometry_error_naming_the_parameter(build, name):
    with pytest.raises(GeometryError, match=name):
        build()


def test_unreadable_png_raises_geometry_error(tmp_path):
    path = tmp_path / "broken.png"
    path.write_bytes(b"not a png at all")
    with pytest.raises(GeometryError, match="broken.png"):
        ImageShape(path, (1e-9, 1e-9))
    with pytest.raises(GeometryError, match="missing.png"):
        ImageShape(tmp_path / "missing.png", (1e-9, 1e-9))
