"""Cubic magnetocrystalline anisotropy: E = sum V Kc (a1^2 a2^2 + a2^2 a3^2 + a3^2 a1^2) (J),

with a_k = m.c_k the direction cosines on the cubic axes c1, c2, c3 = c1 x c2.
H = -2 Kc/(mu0 Ms) sum_k a_k (a_l^2 + a_n^2) c_k. Kc < 0 makes <111> easy (e.g. Ni).
Reads ``Kc`` (J/m^3), ``Kc_axes`` (two orthogonal unit vectors) and ``Ms`` (A/m).
"""
import torch

from ..units import mu0
from . import energy_terms
from .base import Term


@energy_terms.register("cubic_anisotropy")
class CubicAnisotropy(Term):
    """Cubic anisotropy with per-cell axes ``Kc_axes``."""

    keys = ("Kc", "Kc_axes", "Ms")
    order = 4

    def setup(self, ctx):
        super().setup(ctx)
        self.pref = -2 * ctx.param("Kc", "CubicAnisotropy") * ctx.inv_Ms / mu0
        c1, c2 = ctx.param("Kc_axes", "CubicAnisotropy")
        self.c = (c1, c2, torch.linalg.cross(c1, c2, dim=0))

    def field(self, m, t=0.0):
        a = [(m * c).sum(-4, keepdim=True) for c in self.c]
        sq = [x * x for x in a]
        H = a[0] * (sq[1] + sq[2]) * self.c[0]
        H = H + a[1] * (sq[0] + sq[2]) * self.c[1]
        H = H + a[2] * (sq[0] + sq[1]) * self.c[2]
        return self.pref * H
