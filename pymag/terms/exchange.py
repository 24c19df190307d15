"""Heisenberg exchange: H = 2A/(mu0 Ms) Laplacian(m), six neighbours.

Free (Neumann) surfaces: a cell couples only to magnetic neighbours. Between cells of
different stiffness the bond uses the harmonic mean 2 A_i A_j / (A_i + A_j), as in
OOMMF and mumax3. Energy: sum over bonds of V A_ij |m_j - m_i|^2 / d^2 (J).
Reads ``A`` (J/m) and ``Ms`` (A/m).
"""
import torch

from ..units import mu0
from . import energy_terms
from ._bonds import Bonds
from .base import Term


def harmonic_mean(a, b):
    """2ab/(a+b), zero where a+b is zero."""
    s = a + b
    return torch.where(s > 0, 2 * a * b / torch.where(s > 0, s, torch.ones_like(s)), torch.zeros_like(s))


@energy_terms.register("exchange")
class Exchange(Term):
    """Exchange field with free surfaces and harmonic-mean coupling between regions."""

    keys = ("A", "Ms")
    order = 2
    shared = ("bonds",)

    def setup(self, ctx):
        super().setup(ctx)
        self.bonds = Bonds(ctx.mesh, ctx.magnet)
        A = ctx.param("A", "Exchange")
        coeff = self.bonds.coefficients(A, harmonic_mean)
        # fold 2/(mu0 Ms) of the left and right cell into per-bond factors
        pref = 2 * ctx.inv_Ms / mu0
        self.coeff = {}
        for axis, c in coeff.items():
            pl, pr = self.bonds.pair(pref, axis)
            d2 = ctx.mesh.cell[axis] ** 2
            self.coeff[axis] = (c * pl / d2, -c * pr / d2)

    def field(self, m, t=0.0):
        H = torch.zeros_like(m)
        self.add_field(H, m, t)
        return H

    def add_field(self, H, m, t=0.0):
        for axis, (cl, cr) in self.coeff.items():
            ml, mr = self.bonds.pair(m, axis)
            diff = mr - ml
            self.bonds.scatter(H, axis, cl, diff, cr, diff)
