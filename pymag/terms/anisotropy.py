"""Uniaxial magnetocrystalline anisotropy: E = -sum V Ku (m.u)^2 (J).

H = 2 Ku/(mu0 Ms) (m.u) u. Ku > 0 gives an easy axis, Ku < 0 an easy plane.
Reads ``Ku`` (J/m^3), ``Ku_axis`` (unit vector) and ``Ms`` (A/m).
"""
from ..units import mu0
from . import energy_terms
from .base import Term


@energy_terms.register("anisotropy")
class UniaxialAnisotropy(Term):
    """First-order uniaxial anisotropy along the per-cell axis ``Ku_axis``."""

    keys = ("Ku", "Ku_axis", "Ms")
    order = 2

    def setup(self, ctx):
        super().setup(ctx)
        self.pref = 2 * ctx.param("Ku", "UniaxialAnisotropy") * ctx.inv_Ms / mu0
        self.u = ctx.param("Ku_axis", "UniaxialAnisotropy")[0]

    def field(self, m, t=0.0):
        return (self.pref * (m * self.u).sum(-4, keepdim=True)) * self.u
