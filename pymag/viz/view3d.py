"""PyVista 3-D views of m: arrows, the magnet's surface or orthogonal slices, coloured by one component.

Off-screen rendering needs no X server. The VTK wheels (9.4 and later) choose the OpenGL
window when the first one is made: X11 when a display answers, else EGL, else OSMesa. On a
headless Linux machine Mesa's EGL (Debian packages libegl1 and libgl1-mesa-dri; software
llvmpipe, no GPU needed) is enough; libosmesa6 is the other way in, ``xvfb-run`` a third.
When none of them can make a context VTK crashes the whole process at the first render, so
the first off-screen view in a process is tried in a child process (``offscreen_backend``).
"""
import contextlib
import os
import re
import subprocess
import sys

import numpy as np

from ..errors import PymagError, ShapeMismatchError
from ..io.files import as_numpy
from ..mesh import Mesh
from ..system import System

KINDS = ("arrows", "surface", "slice")
COMPONENTS = ("x", "y", "z")
CMAP = "coolwarm"  # diverging: blue at -1, grey at 0, red at +1

_PROBE = """
import vtkmodules.vtkRenderingOpenGL2
from vtkmodules.vtkRenderingCore import vtkRenderWindow, vtkRenderer
window = vtkRenderWindow()
window.SetOffScreenRendering(1)
window.SetSize(8, 8)
window.AddRenderer(vtkRenderer())
window.Render()
info = window.ReportCapabilities()
renderer = [line.split(":", 1)[1].strip() for line in info.splitlines() if "renderer string" in line]
print(window.GetClassName(), "(" + (renderer[0] if renderer else "unknown renderer") + ")")
"""
_probe_result = []


def offscreen_backend():
    """The OpenGL window and renderer VTK draws off-screen with, e.g.
    ``'vtkEGLRenderWindow (llvmpipe ...)'``. Tried once per process in a child process
    (about 1 s); raises PymagError saying why when no backend works here."""
    if not _probe_result:
        try:
            done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
            ok = done.returncode == 0 and bool(done.stdout.strip())
            said = done.stdout.strip() if ok else _last_message(done.stderr, done.returncode)
        except (OSError, subprocess.TimeoutExpired) as err:
            ok, said = False, str(err)
        _probe_result.append((ok, said))
    ok, said = _probe_result[0]
    if not ok:
        raise PymagError(
            "VTK cannot render off-screen on this machine (a test render in a child process failed: "
            f"{said}). Install Mesa's EGL (apt-get install libegl1 libgl1-mesa-dri) or OSMesa "
            "(libosmesa6), or run under xvfb-run")
    return said


def _last_message(stderr, returncode):
    """The last line VTK logged, without its colour codes and time/thread prefix."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in stderr.splitlines()]
    lines = [line.rsplit("| ", 1)[-1] for line in lines if line]
    return f"{lines[-1]} (exit status {returncode})" if lines else f"exit status {returncode}"


def _has_display():
    """True when an interactive window can open (a display on Linux; always elsewhere)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


@contextlib.contextmanager
def _window_class(off_screen):
    """Make VTK build the off-screen window class the probe found, so that without a display
    it does not first try X11 and log 'bad X server connection'. Leaves a user's
    VTK_DEFAULT_OPENGL_WINDOW alone."""
    key = "VTK_DEFAULT_OPENGL_WINDOW"
    if not off_screen or _has_display() or key in os.environ:
        yield
        return
    os.environ[key] = offscreen_backend().split()[0]
    try:
        yield
    finally:
        os.environ.pop(key, None)


def image_data(m, mesh, magnet=None):
    """A ``pyvista.ImageData`` of ``m`` (3, nx, ny, nz) on ``mesh``, lengths in nm, origin at
    the mesh corner (-size/2). Cell data: ``m`` (3-vector), ``m_x``, ``m_y``, ``m_z`` and
    ``magnet`` (1 on magnetic cells; by default where |m| > 0)."""
    import pyvista as pv
    if not isinstance(mesh, Mesh):
        raise PymagError(f"image_data needs a pm.Mesh, got {type(mesh).__name__}")
    m = np.asarray(as_numpy(m), dtype=float)
    if m.shape != (3,) + mesh.n:
        raise ShapeMismatchError(f"m has shape {m.shape}, expected {(3,) + mesh.n} for {mesh!r}")
    if magnet is None:
        magnet = np.linalg.norm(m, axis=0) > 0
    magnet = np.asarray(magnet.cpu() if hasattr(magnet, "cpu") else magnet, dtype=bool)
    if magnet.shape != mesh.n:
        raise ShapeMismatchError(f"magnet mask has shape {magnet.shape}, expected {mesh.n}")
    cell = np.array(mesh.cell) * 1e9
    grid = pv.ImageData(dimensions=np.array(mesh.n) + 1, spacing=cell, origin=-np.array(mesh.n) * cell / 2)
    grid.cell_data["m"] = m.reshape(3, -1, order="F").T
    for i, c in enumerate(COMPONENTS):
        grid.cell_data[f"m_{c}"] = m[i].ravel(order="F")
    grid.cell_data["magnet"] = magnet.ravel(order="F").astype(np.uint8)
    return grid


def _sample(magnet, max_arrows):
    """Indices (3, k) of every s-th magnetic cell along each axis, with the smallest stride s
    that leaves at most ``max_arrows`` cells, and that stride."""
    stride = max(1, int(np.floor((magnet.sum() / max_arrows) ** (1 / 3))))
    while True:
        axes = [np.arange(((n - 1) % stride) // 2, n, stride) for n in magnet.shape]
        picked = magnet[np.ix_(*axes)]
        if picked.sum() <= max_arrows:
            grids = np.meshgrid(*axes, indexing="ij")
            return np.stack([g[picked] for g in grids]), stride
        stride += 1


def _arrows(grid, mesh, magnet, max_arrows):
    """Arrow glyphs along m at a subsample of magnetic cell centres, one cell long per stride."""
    import pyvista as pv
    idx, stride = _sample(magnet, max_arrows)
    cell = np.array(mesh.cell) * 1e9
    centres = (idx.T + 0.5) * cell - np.array(mesh.n) * cell / 2
    flat = np.ravel_multi_index(tuple(idx), mesh.n, order="F")
    points = pv.PolyData(centres)
    for name in ("m", "m_x", "m_y", "m_z"):
        points.point_data[name] = grid.cell_data[name][flat]
    spanned = [c for c, n in zip(cell, mesh.n) if n > 1] or list(cell)
    arrow = pv.Arrow(start=(-0.5, 0.0, 0.0), tip_length=0.35, tip_radius=0.18, shaft_radius=0.07,
                     tip_resolution=10, shaft_resolution=8)
    return points.glyph(orient="m", scale=False, factor=0.9 * stride * min(spanned), geom=arrow)


def _slice_positions(mesh):
    """The cell-centre plane nearest the mesh centre along each axis (nm)."""
    return [float(mesh.axis_coordinates(a)[(n - 1) // 2]) * 1e9 for a, n in enumerate(mesh.n)]


def show3d(source, path=None, kind="arrows", component=None, *, mesh=None, magnet=None, title=None,
           window_size=(800, 600), max_arrows=4000, axes=True):
    """3-D view of the magnetization of ``source``, a System or an m array (3, nx, ny, nz)
    (numpy or torch, e.g. a loaded snapshot) given with ``mesh=`` and optionally ``magnet=``
    (bool (nx, ny, nz); default where |m| > 0). Only magnetic cells are drawn; lengths in nm.

    ``kind``: "arrows" (at most ``max_arrows`` arrows, one per s-th cell, s cells long),
    "surface" (the magnet's outer cells) or "slice" (three orthogonal planes through the
    centre). Colours: m_``component`` ("x", "y" or "z", default "z") on a diverging map
    from -1 to 1. ``window_size`` (width, height) in pixels, ``title`` text on top,
    ``axes`` rulers along the magnet's edges (nm). Renders off-screen when ``path`` is given
    or no display is available (see ``offscreen_backend``), and writes a PNG to ``path``.
    Returns the image, a uint8 array (height, width, 3).
    """
    import pyvista as pv
    if kind not in KINDS:
        raise PymagError(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    component = "z" if component is None else component
    if component not in COMPONENTS:
        raise PymagError(f"unknown component {component!r}; choose one of {', '.join(COMPONENTS)}")
    if int(max_arrows) < 1:
        raise PymagError(f"max_arrows must be at least 1, got {max_arrows}")
    if isinstance(source, System):
        if mesh is not None or magnet is not None:
            raise PymagError("mesh= and magnet= are for an m array; a System brings its own")
        mesh, magnet, m = source.mesh, source.magnet, source.m
    elif mesh is None:
        raise PymagError("show3d needs a System, or an m array (3, nx, ny, nz) together with mesh=")
    else:
        m = source
    grid = image_data(m, mesh, magnet)
    mask = grid.cell_data["magnet"].reshape(mesh.n, order="F").astype(bool)
    if not mask.any():
        raise PymagError("no magnetic cell to show: the magnet mask is empty")

    off_screen = path is not None or bool(pv.OFF_SCREEN) or not _has_display()
    if off_screen:
        offscreen_backend()
    scalars = f"m_{component}"
    bar = {"title": scalars + "\n",  # the newline lifts the title clear of the top label
           "color": "black", "fmt": "%.1f", "n_labels": 5, "vertical": True, "position_x": 0.86,
           "position_y": 0.12, "height": 0.65, "width": 0.07, "title_font_size": 16, "label_font_size": 14}
    colours = dict(scalars=scalars, cmap=CMAP, clim=(-1.0, 1.0), scalar_bar_args=bar)
    shade = dict(ambient=0.3, diffuse=0.7)
    solid = grid.threshold(0.5, scalars="magnet")
    shell = dict(color="lightgrey", opacity=0.15, show_scalar_bar=False)

    with _window_class(off_screen):
        plotter = pv.Plotter(off_screen=off_screen, window_size=tuple(int(v) for v in window_size))
    try:
        plotter.set_background("white")
        if kind == "surface":
            plotter.add_mesh(solid, **shade, **colours)
        else:
            plotter.add_mesh(solid.extract_surface(algorithm="dataset_surface"), **shell)
        if kind == "arrows":
            plotter.add_mesh(_arrows(grid, mesh, mask, int(max_arrows)), **colours)
        elif kind == "slice":
            x, y, z = _slice_positions(mesh)
            plotter.add_mesh(solid.slice_orthogonal(x=x, y=y, z=z), **shade, **colours)
        if axes:
            plotter.show_bounds(bounds=solid.bounds, xtitle="x (nm)", ytitle="y (nm)", ztitle="z (nm)",
                                color="black", font_size=10, location="outer", n_zlabels=2, fmt="%.0f")
        if title is not None:
            plotter.add_title(str(title), font_size=12, color="black")
        plotter.view_isometric()
        if off_screen:
            image = plotter.screenshot(path, return_img=True)
        else:
            image = plotter.show(return_img=True, auto_close=False)
    finally:
        plotter.close()
    return np.asarray(image)[..., :3]
