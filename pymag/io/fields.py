"""Conversions between pymag and discretisedfield (ubermag) fields, for notebooks that use both.

discretisedfield is imported only when these functions are called (``pymag[ubermag]``).
"""
from typing import NamedTuple

import numpy as np
import torch

from ..errors import PymagError
from ..mesh import Mesh

PBC_IMAGES = 10   # periodic images per side along an axis a discretisedfield mesh marks periodic (bc)


class FieldData(NamedTuple):
    """A magnetization field in pymag's terms.

    Attributes
    ----------
    mesh : pymag.Mesh
        The same cells (pymag centres its meshes on the origin).
    m : numpy.ndarray
        Unit magnetization (3, nx, ny, nz); zero where Ms is zero.
    Ms : numpy.ndarray
        Saturation magnetization |M| per cell (A/m), (nx, ny, nz).
    centre : numpy.ndarray
        Centre of the field's region (m): add it to pymag coordinates to get the field's.
    """

    mesh: Mesh
    m: np.ndarray
    Ms: np.ndarray
    centre: np.ndarray


def from_field(field, pbc_images=PBC_IMAGES):
    """Split a ``discretisedfield.Field`` of the magnetization M (A/m) into a pymag mesh, the
    unit vectors m and Ms = |M|.

    Parameters
    ----------
    field : discretisedfield.Field
        Three components on a regular mesh; the axes named in the mesh's ``bc`` become
        periodic with ``pbc_images`` images per side.
    pbc_images : int
        Periodic images per side along each periodic axis (pymag's ``Mesh(pbc=...)``).

    Returns
    -------
    FieldData
        ``(mesh, m, Ms, centre)``; e.g. ``System(data.mesh, material={"Ms": data.Ms, ...}, m=data.m)``.
    """
    if getattr(field, "nvdim", None) != 3:
        raise PymagError(f"from_field needs a discretisedfield.Field with three components, got {field!r}")
    mesh = field.mesh
    bc = mesh.bc or ""
    pymag_mesh = Mesh(n=tuple(int(v) for v in mesh.n), cell=tuple(float(c) for c in mesh.cell),
                      pbc=tuple(pbc_images if axis in bc else 0 for axis in "xyz"))
    values = np.moveaxis(np.asarray(field.array, dtype=float), -1, 0)
    Ms = np.linalg.norm(values, axis=0)
    m = np.divide(values, Ms, out=np.zeros_like(values), where=Ms > 0)
    centre = (np.asarray(mesh.region.pmin, dtype=float) + np.asarray(mesh.region.pmax, dtype=float)) / 2
    return FieldData(pymag_mesh, m, Ms, centre)


def to_field(system, quantity="m", centre=(0.0, 0.0, 0.0), mesh=None, term=None):
    """A quantity of a pymag System as a ``discretisedfield.Field``.

    Parameters
    ----------
    system : pymag.System
    quantity : str
        "m": the magnetization M = Ms m (A/m); "H": the effective field (A/m);
        "energy_density": the energy density (J/m^3).
    centre : 3-vector
        Where the mesh's centre lies (m); pymag's own meshes are centred on the origin.
    mesh : discretisedfield.Mesh, optional
        The mesh to put the values on (the same cells, e.g. one with subregions); replaces
        ``centre``.
    term : str, optional
        For "H" and "energy_density": one term's, by name, instead of the total.

    Returns
    -------
    discretisedfield.Field
    """
    import discretisedfield as df
    if mesh is None:
        half = np.asarray(system.mesh.size) / 2
        centre = np.asarray(centre, dtype=float)
        bc = "".join(axis for axis, periodic in zip("xyz", system.mesh.periodic) if periodic)
        mesh = df.Mesh(p1=tuple(centre - half), p2=tuple(centre + half), n=system.mesh.n, bc=bc)
    elif tuple(int(v) for v in mesh.n) != system.mesh.n:
        raise PymagError(f"to_field: the mesh has {tuple(mesh.n)} cells, the system {system.mesh.n}")
    with torch.no_grad():
        if quantity == "m":
            value = (system.m * system.Ms).cpu().numpy()
        elif quantity == "H":
            value = system.field(term).cpu().numpy()
        elif quantity == "energy_density":
            value = system.energy_density(term).cpu().numpy()[None]
        else:
            raise PymagError(f"to_field: quantity must be 'm', 'H' or 'energy_density', got {quantity!r}")
    return df.Field(mesh, nvdim=value.shape[0], value=np.moveaxis(value, 0, -1))
