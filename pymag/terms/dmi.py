"""Dzyaloshinskii-Moriya interaction of every crystal class ubermag names, from its energy
density (J/m^3), with D in J/m^2:

    kind           key      density e                                      ubermag class
    "interfacial"  D        D [m_z div m - (m.grad) m_z]   (mumax3's Dind)  Cnv_z with D -> -D
    "bulk"         D_bulk   D m.(curl m)                   (mumax3's Dbulk) T, O
    "cnv_x"        D_cnv    D [(m.grad) m_x - m_x div m]                    Cnv_x
    "cnv_y"        D_cnv    D [(m.grad) m_y - m_y div m]                    Cnv_y
    "cnv_z"        D_cnv    D [(m.grad) m_z - m_z div m]                    Cnv_z (and Cnv)
    "d2d_x"        D_d2d    D m.(d_y m x y_hat - d_z m x z_hat)             D2d_x
    "d2d_y"        D_d2d    D m.(d_z m x z_hat - d_x m x x_hat)             D2d_y
    "d2d_z"        D_d2d    D m.(d_x m x x_hat - d_y m x y_hat)             D2d_z (and D2d)

The "cnv_*" and "d2d_*" densities are micromagneticmodel's (OOMMF's Oxs_DMI_Cnv_* and
Oxs_DMI_D2d_*), term for term, so a crystal class translates with D unchanged. "interfacial"
keeps mumax3's sign, the opposite of OOMMF's: cnv_z with D_cnv = D is interfacial with -D.
"cnv_u" has u as the interface normal (Neel walls and skyrmions); "d2d_u" has u as the
principal axis, with spirals of opposite handedness favoured along the two other axes
(antiskyrmions; Hoffmann et al., Nat. Commun. 8, 308 (2017)).

Every density is a sum of Lifshitz invariants m_i d_u m_j - m_j d_u m_i. The fields follow
from pymag.symbolic (e.g. bulk: H = -2D/(mu0 Ms) curl m, A/m). On the mesh each bond
(i, j = i + d u) evaluates e at its midpoint, m = (m_i + m_j)/2 and d_u m = (m_j - m_i)/d,
so that a bond holds E_ij = V D_ij/d (m_i x m_j).c_u (J) with c_u = z x u (interfacial),
-u (bulk), u x n (cnv, n the normal) and +u, -u or 0 (d2d: along the first, the second
other axis, or the principal axis), as in Cortes-Ortuno et al., New J. Phys. 20, 113015
(2018). Missing bonds at surfaces give the free boundary of the discrete energy. Between
regions the bond uses the mean of the two D.
Reads the key of its kind (J/m^2) and ``Ms`` (A/m).
"""
import sympy as sp

from ..errors import PymagError
from ..symbolic import grad_m, m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms
from ._interfaces import check_pairs
from ._spin_torque import describe

AXES = "xyz"
CURL = sp.Matrix([grad_m[2, 1] - grad_m[1, 2], grad_m[0, 2] - grad_m[2, 0], grad_m[1, 0] - grad_m[0, 1]])


def _cnv(normal):
    """C_nv density (J/m^3) with the interface normal along axis ``normal`` (0, 1, 2)."""
    return material("D_cnv") * (m.dot(grad_m[normal, :].T) - m[normal] * grad_m.trace())


def _d2d(principal):
    """D_2d density (J/m^3) with the principal axis ``principal`` (0, 1, 2); the two other
    axes follow it cyclically, the first with +, the second with -."""
    first, second = (principal + 1) % 3, (principal + 2) % 3
    unit = sp.eye(3)
    return material("D_d2d") * m.dot(grad_m[:, first].cross(unit[:, first])
                                     - grad_m[:, second].cross(unit[:, second]))


DENSITIES = {
    "interfacial": material("D") * (m[2] * grad_m.trace() - m.dot(grad_m[2, :].T)),
    "bulk": material("D_bulk") * m.dot(CURL),
    **{f"cnv_{c}": _cnv(i) for i, c in enumerate(AXES)},
    **{f"d2d_{c}": _d2d(i) for i, c in enumerate(AXES)},
}
KEYS = {kind: next(iter(density.free_symbols & {material(k) for k in ("D", "D_bulk", "D_cnv", "D_d2d")})).key
        for kind, density in DENSITIES.items()}


@energy_terms.register("dmi")
class DMI(BuiltinTerm):
    """Dzyaloshinskii-Moriya interaction of one crystal class.

    Parameters
    ----------
    kind : str
        "interfacial" (mumax3's Dind, z the interface normal; key ``D``), "bulk" (classes T
        and O; key ``D_bulk``), "cnv_x", "cnv_y", "cnv_z" (C_nv with that interface normal,
        OOMMF's sign; key ``D_cnv``) or "d2d_x", "d2d_y", "d2d_z" (D_2d with that principal
        axis; key ``D_d2d``). The key's value is D in J/m^2; the densities are listed in
        ``pymag.terms.dmi``.
    interfaces : dict, optional
        D (J/m^2) across the interface of two regions: keys are pairs of region names
        ``(name1, name2)``, values numbers, 0-dim tensors or callables of ``t`` and named
        parameters. The bonds joining a magnetic cell of the one region to one of the other
        carry this value instead of the mean of the two D (ubermag's ``D={"r1:r2": ...}``).

    Raises
    ------
    PymagError
        When ``kind`` is none of these; for ``interfaces`` as ``pm.Exchange`` does.
    """

    def __init__(self, kind="interfacial", interfaces=None):
        if kind not in DENSITIES:
            raise PymagError("DMI kind must be 'interfacial' or 'bulk' (keys D, D_bulk), "
                             "'cnv_x', 'cnv_y', 'cnv_z' (key D_cnv) or 'd2d_x', 'd2d_y', 'd2d_z' "
                             f"(key D_d2d), got {kind!r}")
        self.kind = kind
        pairs = check_pairs(interfaces, "DMI", "J/m^2")
        super().__init__(DENSITIES[kind])
        self._interfaces = {KEYS[kind]: pairs} if pairs else {}

    def _params(self):
        if not self._interfaces:
            return {"kind": self.kind}
        pairs = next(iter(self._interfaces.values()))
        return {"kind": self.kind, "interfaces": {pair: describe(value) for pair, value in pairs.items()}}
