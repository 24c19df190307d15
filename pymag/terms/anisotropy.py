"""Uniaxial magnetocrystalline anisotropy to fourth order, energy density
e = -Ku (m.u)^2 - Ku2 (m.u)^4 (J/m^3), as mumax3's Ku1 and Ku2.

Per cell E = V e (J); the field that pymag.symbolic derives from e is
H = (2 Ku (m.u) + 4 Ku2 (m.u)^3) u/(mu0 Ms) (A/m). Ku > 0 gives an easy axis, Ku < 0 an easy
plane, and Ku < 0 < Ku2 with Ku2 > -Ku/2 an easy cone at cos^2(theta) = -Ku/(2 Ku2).
Reads ``Ku`` (alias ``Ku1``) and ``Ku2`` (J/m^3; zero where a region leaves it out, and no
cost on systems where no region sets it), ``Ku_axis`` (unit vector) and ``Ms`` (A/m).
"""
from ..symbolic import m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms

COSINE = m.dot(material("Ku_axis"))
DENSITY = -material("Ku") * COSINE**2 - material("Ku2") * COSINE**4


@energy_terms.register("anisotropy")
class UniaxialAnisotropy(BuiltinTerm):
    """Uniaxial anisotropy of first and second order along the per-cell axis ``Ku_axis``."""

    optional = ("Ku2",)

    def __init__(self):
        super().__init__(DENSITY)
