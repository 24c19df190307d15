"""Dzyaloshinskii-Moriya interaction, interfacial or bulk, from its energy density (J/m^3):

    interfacial (mumax3's Dind, z the interface normal): e = D [m_z div m - (m.grad) m_z]
    bulk (mumax3's Dbulk):                               e = D m.(curl m)

with D in J/m^2. The fields that pymag.symbolic derives are
H = 2D/(mu0 Ms) (d_x m_z, d_y m_z, -d_x m_x - d_y m_y) and H = -2D/(mu0 Ms) curl m (A/m).
On the mesh each bond (i, j = i + d u) evaluates e at its midpoint, m = (m_i + m_j)/2 and
d_u m = (m_j - m_i)/d, so that a bond holds E_ij = V D_ij/d (m_i x m_j).c_u (J), c_u = z x u
(interfacial: in-plane bonds only) or c_u = -u (bulk: all bonds). Missing bonds at surfaces
give the free boundary of the discrete energy. Between regions the bond uses the mean of
the two D.
Reads ``D`` or ``D_bulk`` (J/m^2) and ``Ms`` (A/m).
"""
import sympy as sp

from ..errors import PymagError
from ..symbolic import grad_m, m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms

CURL = sp.Matrix([grad_m[2, 1] - grad_m[1, 2], grad_m[0, 2] - grad_m[2, 0], grad_m[1, 0] - grad_m[0, 1]])
DENSITIES = {
    "interfacial": material("D") * (m[2] * grad_m.trace() - m.dot(grad_m[2, :].T)),
    "bulk": material("D_bulk") * m.dot(CURL),
}


@energy_terms.register("dmi")
class DMI(BuiltinTerm):
    """DMI of ``kind`` "interfacial" (key ``D``, z the interface normal) or "bulk" (``D_bulk``)."""

    def __init__(self, kind="interfacial"):
        if kind not in DENSITIES:
            raise PymagError(f"DMI kind must be 'interfacial' or 'bulk', got {kind!r}")
        self.kind = kind
        super().__init__(DENSITIES[kind])

    def _params(self):
        return {"kind": self.kind}
