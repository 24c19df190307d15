"""Cubic magnetocrystalline anisotropy to eighth order, energy density (mumax3's Kc1, Kc2, Kc3)
e = Kc (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2) + Kc2 a1^2 a2^2 a3^2
    + Kc3 (a1^4 a2^4 + a2^4 a3^4 + a3^4 a1^4) (J/m^3),

with a_k = m.c_k the direction cosines on the cubic axes c1, c2, c3 = c1 x c2. Per cell
E = V e (J); the field H = -1/(mu0 Ms) de/dm (A/m) is derived from e by pymag.symbolic; the
first-order part is H = -2 Kc/(mu0 Ms) sum_k a_k (a_l^2 + a_n^2) c_k. Kc < 0 makes <111>
easy (e.g. Ni); along <111> e = Kc/3 + Kc2/27 + Kc3/27.
Reads ``Kc`` (alias ``Kc1``), ``Kc2`` and ``Kc3`` (J/m^3; the last two zero where a region
leaves them out, and no cost on systems where no region sets them), ``Kc_axes`` (two
orthogonal unit vectors) and ``Ms`` (A/m).
"""
from ..symbolic import m, material
from ..symbolic.term import BuiltinTerm
from . import energy_terms

C1, C2 = material("Kc_axes")
A1, A2, A3 = (m.dot(c) for c in (C1, C2, C1.cross(C2)))
DENSITY = (material("Kc") * (A1**2 * A2**2 + A2**2 * A3**2 + A3**2 * A1**2)
           + material("Kc2") * A1**2 * A2**2 * A3**2
           + material("Kc3") * (A1**4 * A2**4 + A2**4 * A3**4 + A3**4 * A1**4))


@energy_terms.register("cubic_anisotropy")
class CubicAnisotropy(BuiltinTerm):
    """Cubic anisotropy of first to third order with per-cell axes ``Kc_axes``."""

    optional = ("Kc2", "Kc3")

    def __init__(self):
        super().__init__(DENSITY)
