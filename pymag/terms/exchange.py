"""Heisenberg exchange: H = 2A/(mu0 Ms) Laplacian(m), six neighbours.

Free (Neumann) surfaces: a cell couples only to magnetic neighbours. Between cells of
different stiffness the bond uses the harmonic mean 2 A_i A_j / (A_i + A_j), as in
OOMMF and mumax3, unless the user sets the stiffness across the interface of two named
regions (``interfaces``), as ubermag's ``A={"r1:r2": ...}``, OOMMF's region-pair A of
Oxs_Exchange6Ngbr and mumax3's ext_InterExchange do. Energy: sum over bonds of
V A_ij |m_j - m_i|^2 / d^2 (J); an interface A_ij may be zero (decoupled) or negative
(antiparallel coupling across the interface).
Reads ``A`` (J/m) and ``Ms`` (A/m).
"""
import torch

from ..units import mu0
from . import energy_terms
from ._bonds import Bonds
from ._interfaces import check_pairs, override
from ._spin_torque import describe
from .base import Term


def harmonic_mean(a, b):
    """2ab/(a+b), zero where a+b is zero."""
    s = a + b
    return torch.where(s > 0, 2 * a * b / torch.where(s > 0, s, torch.ones_like(s)), torch.zeros_like(s))


@energy_terms.register("exchange")
class Exchange(Term):
    """Exchange field with free surfaces and harmonic-mean coupling between regions.

    Parameters
    ----------
    interfaces : dict, optional
        Bond stiffness (J/m) across the interface of two regions: keys are pairs of region
        names ``(name1, name2)`` (order irrelevant; "base" is the system's own material),
        values numbers, 0-dim tensors (which may require gradients) or callables of the time
        ``t`` (s) and named parameters (``system.params``). Every bond joining a magnetic
        cell of the one region to a magnetic cell of the other carries this value instead of
        the harmonic mean of the two A; it may be zero or negative.

    Raises
    ------
    PymagError
        At construction: a key that is not a pair of two different region names, a pair
        given twice, a value that is not a finite number. When the system is assembled: a
        region name that does not exist, a value that is not a finite number.
    """

    keys = ("A", "Ms")
    order = 2
    shared = ("bonds",)
    setup_only = ("interfaces",)

    def __init__(self, interfaces=None):
        pairs = check_pairs(interfaces, "Exchange", "J/m")
        self.interfaces = pairs

    def _params(self):
        if not self.interfaces:
            return {}
        return {"interfaces": {pair: describe(value) for pair, value in self.interfaces.items()}}

    def setup(self, ctx):
        super().setup(ctx)
        self.bonds = Bonds(ctx.mesh, ctx.magnet)
        A = ctx.param("A", "Exchange")
        coeff = override(self.bonds.coefficients(A, harmonic_mean), self.bonds, ctx, self.interfaces,
                         "Exchange", "J/m")
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
