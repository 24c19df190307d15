"""Cubic magnetocrystalline anisotropy, energy density
e = Kc (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2) (J/m^3),

with a_k = m.c_k the direction cosines on the cubic axes c1, c2, c3 = c1 x c2. Per cell
E = V e (J); the field that pymag.symbolic derives from e is
H = -2 Kc/(mu0 Ms) sum_k a_k (a_l^2 + a_n^2) c_k (A/m). Kc < 0 makes <111> easy (e.g. Ni).
Reads ``Kc`` (J/m^3), ``Kc_axes`` (two orthogonal unit vectors) and ``Ms`` (A/m).
"""
from ..symbolic import m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms

C1, C2 = material("Kc_axes")
A1, A2, A3 = (m.dot(c) for c in (C1, C2, C1.cross(C2)))
DENSITY = material("Kc") * (A1**2 * A2**2 + A2**2 * A3**2 + A3**2 * A1**2)


@energy_terms.register("cubic_anisotropy")
class CubicAnisotropy(BuiltinTerm):
    """Cubic anisotropy with per-cell axes ``Kc_axes``."""

    def __init__(self):
        super().__init__(DENSITY)
