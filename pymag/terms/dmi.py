"""Dzyaloshinskii-Moriya interaction, interfacial or bulk, as a sum over bonds.

Each bond (i, j = i + d u) carries E_ij = V D_ij/d (m_i x m_j).c_u with c_u = z x u
(interfacial, in-plane bonds only) or c_u = -u (bulk, all bonds). In the continuum this is
E = D [m_z div m - (m.grad) m_z] (interfacial, mumax3's Dind) and E = D m.(curl m)
(bulk, mumax3's Dbulk), with fields H = 2D/(mu0 Ms) (d_x m_z, d_y m_z, -d_x m_x - d_y m_y)
and H = -2D/(mu0 Ms) curl m. Missing bonds at surfaces give the free boundary of the
discrete energy. Between regions the bond uses the mean of the two D.
Reads ``D`` or ``D_bulk`` (J/m^2) and ``Ms`` (A/m).
"""
import torch

from ..errors import PymagError
from ..units import mu0
from ..vec import cross
from . import energy_terms
from ._bonds import Bonds
from .base import Term

AXIS_VECTORS = ((1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0))


def bond_vector(kind, axis):
    """DMI vector c_u of a bond along ``axis``, or None when the bond has no DMI."""
    u = torch.tensor(AXIS_VECTORS[axis], dtype=torch.float64)
    if kind == "bulk":
        return -u
    if axis == 2:
        return None
    return torch.linalg.cross(torch.tensor(AXIS_VECTORS[2], dtype=torch.float64), u, dim=0)


@energy_terms.register("dmi")
class DMI(Term):
    """DMI of ``kind`` "interfacial" (key ``D``, z the interface normal) or "bulk" (``D_bulk``)."""

    order = 2
    shared = ("bonds",)

    def __init__(self, kind="interfacial"):
        if kind not in ("interfacial", "bulk"):
            raise PymagError(f"DMI kind must be 'interfacial' or 'bulk', got {kind!r}")
        self.kind = kind
        self.keys = ("D" if kind == "interfacial" else "D_bulk", "Ms")

    def _params(self):
        return {"kind": self.kind}

    def setup(self, ctx):
        super().setup(ctx)
        self.bonds = Bonds(ctx.mesh, ctx.magnet)
        D = ctx.param(self.keys[0], f"DMI(kind={self.kind!r})")
        coeff = self.bonds.coefficients(D, lambda a, b: 0.5 * (a + b))
        pref = -ctx.inv_Ms / mu0
        self.coeff = {}
        for axis, c in coeff.items():
            vec = bond_vector(self.kind, axis)
            if vec is None:
                continue
            pl, pr = self.bonds.pair(pref, axis)
            d = ctx.mesh.cell[axis]
            vec = vec.to(dtype=ctx.dtype, device=ctx.device).reshape(3, 1, 1, 1)
            self.coeff[axis] = (c * pl / d, c * pr / d, vec)

    def field(self, m, t=0.0):
        H = torch.zeros_like(m)
        for axis, (kl, kr, vec) in self.coeff.items():
            ml, mr = self.bonds.pair(m, axis)
            self.bonds.scatter(H, axis, kl, cross(mr, vec), kr, cross(vec, ml))
        return H
