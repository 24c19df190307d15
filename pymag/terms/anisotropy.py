"""Uniaxial magnetocrystalline anisotropy, energy density e = -Ku (m.u)^2 (J/m^3).

Per cell E = -V Ku (m.u)^2 (J); the field that pymag.symbolic derives from e is
H = 2 Ku/(mu0 Ms) (m.u) u (A/m). Ku > 0 gives an easy axis, Ku < 0 an easy plane.
Reads ``Ku`` (J/m^3), ``Ku_axis`` (unit vector) and ``Ms`` (A/m).
"""
from ..symbolic import m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms

DENSITY = -material("Ku") * m.dot(material("Ku_axis")) ** 2


@energy_terms.register("anisotropy")
class UniaxialAnisotropy(BuiltinTerm):
    """First-order uniaxial anisotropy along the per-cell axis ``Ku_axis``."""

    def __init__(self):
        super().__init__(DENSITY)
