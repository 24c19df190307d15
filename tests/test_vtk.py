"""VTK ImageData export, read back by an independent reader (pyvista on VTK's XML reader).

Reference: the VTK file-format documentation, "XML File Formats / ImageData"
(docs.vtk.org/en/latest/design_documents/VTKFileFormats.html): points are the nodes
(WholeExtent 0..n per axis), cells lie between them, x varies fastest in data arrays.
"""
import numpy as np
import pytest
import torch

import pymag as pm
from pymag.io import save_vti

pv = pytest.importorskip("pyvista")

MESH = pm.Mesh(n=(5, 3, 2), cell=(2e-9, 3e-9, 4e-9))


def from_vtk(values, mesh):
    """VTK cell data (ncells, k), x fastest, as a pymag (k, nx, ny, nz) array."""
    nx, ny, nz = mesh.n
    return values.reshape(nz, ny, nx, -1).transpose(3, 2, 1, 0)


@pytest.fixture
def grid(tmp_path):
    m = np.random.default_rng(0).normal(size=(3, *MESH.n))
    ms = torch.arange(MESH.ncells, dtype=torch.float32).reshape(MESH.n)
    save_vti(tmp_path / "state.vti", {"m": m, "Ms": ms}, MESH)
    return pv.read(tmp_path / "state.vti"), m, ms.numpy()


def test_pyvista_reads_the_cell_arrays(grid):
    grid, m, ms = grid
    assert set(grid.cell_data.keys()) == {"m", "Ms"}
    assert grid.cell_data["m"].dtype == np.float64 and grid.cell_data["Ms"].dtype == np.float32
    assert np.array_equal(from_vtk(grid.cell_data["m"], MESH), m)
    assert np.array_equal(from_vtk(grid.cell_data["Ms"], MESH)[0], ms)


def test_pyvista_reads_the_geometry(grid):
    # points are the nodes: n + 1 per axis; the mesh is centred on the origin
    grid = grid[0]
    assert tuple(grid.dimensions) == (6, 4, 3)
    assert np.allclose(grid.spacing, MESH.cell, rtol=1e-15, atol=0)
    assert np.allclose(grid.origin, [-5e-9, -4.5e-9, -4e-9], rtol=1e-15, atol=0)


def test_cell_values_sit_at_their_cell_centres(tmp_path):
    # write the cell-centre coordinates as data: VTK's own cell centres must match them
    save_vti(tmp_path / "xyz.vti", {"r": np.stack(MESH.coordinates())}, MESH)
    grid = pv.read(tmp_path / "xyz.vti")
    assert np.allclose(grid.cell_data["r"], grid.cell_centers().points, rtol=0, atol=1e-21)


def test_field_that_does_not_fit_the_mesh_is_rejected(tmp_path):
    with pytest.raises(pm.ShapeMismatchError, match="'m'"):
        save_vti(tmp_path / "bad.vti", {"m": np.zeros((3, 5, 3, 1))}, MESH)
