"""Zhang-Li spin-transfer torque of a current flowing through a magnetization texture.

With the drift velocity u = P g muB j / (2 e Ms (1 + beta^2)) (m/s; g = 2, j in A/m^2), as
mumax3 and Najafi et al. (JAP 105, 113914 (2009)) define it, the torque in the
Landau-Lifshitz form is

    dm/dt = -1/(1+alpha^2) [(1 + beta alpha) m x (m x (u.grad) m) + (beta - alpha) m x (u.grad) m]

(1/s), the Gilbert form dm/dt = ... + (u.grad) m - beta m x (u.grad) m. u is parallel to j:
for P > 0 a domain wall moves against j, along the electrons' flow. (u.grad) m uses central
differences; a neighbour that is missing (mesh edge, empty cell) counts as the cell itself,
periodic axes wrap. Reads ``alpha`` and ``Ms``.
"""
import copy

import torch

from ..units import muB, qe
from ..vec import cross
from . import energy_terms
from ._bonds import Bonds
from ._spin_torque import argument, check_constant, describe, required
from .base import Torque

G_FACTOR = 2.0


@energy_terms.register("zhang_li")
class ZhangLi(Torque):
    """Zhang-Li spin-transfer torque of the current density ``j``.

    Parameters
    ----------
    j : 3-vector, array (3, nx, ny, nz), tensor or callable
        Current density (A/m^2): a uniform vector, one vector per cell, or a callable of the
        time ``t`` (s), the coordinates ``x, y, z`` (m) and named parameters
        (``system.params``) returning either. Tensors may require gradients.
    P : number, array (nx, ny, nz), tensor or callable
        Spin polarization of the current (dimensionless); required.
    beta : number, array (nx, ny, nz), tensor or callable
        Non-adiabaticity (mumax3's ``xi``), dimensionless; default 0.
    name : str, optional
        Term name in the system (default ``"zhang_li"``).
    """

    keys = ("alpha", "Ms")
    shared = ("bonds",)
    setup_only = ("j", "P", "beta")

    def __init__(self, j=None, P=None, beta=0.0, name=None):
        required(j, "ZhangLi", "j", "the current density (A/m^2)")
        required(P, "ZhangLi", "P", "the spin polarization of the current (e.g. P=0.56)")
        for key, value in (("P", P), ("beta", beta)):
            check_constant(value, "ZhangLi", key)
        self.j, self.P, self.beta = j, P, beta
        if name is not None:
            self.name = name

    def _params(self):
        return {key: describe(getattr(self, key)) for key in ("j", "P", "beta")}

    def setup(self, ctx):
        n = tuple(ctx.mesh.n)
        j = argument(ctx, self.j, "ZhangLi", "j", vector=True, unit=False)
        P = argument(ctx, self.P, "ZhangLi", "P")
        beta = argument(ctx, self.beta, "ZhangLi", "beta")
        alpha = ctx.param("alpha", "ZhangLi")
        self.bonds = Bonds(ctx.mesh, ctx.magnet)
        # u per cell (m/s), zero outside the magnet (inv_Ms is zero there)
        u = (P * (G_FACTOR * muB / (2 * qe)) / (1 + beta * beta)) * ctx.inv_Ms * j
        linked = self.bonds.coefficients(ctx.magnet, lambda a, b: a & b)
        self.coeff = {}
        for axis in self.bonds.axes:
            # central difference: a bond's difference goes to both its cells with weight u/(2 d);
            # a bond to a missing or empty neighbour does not exist (that neighbour counts as the cell)
            k = (u[axis] / (2 * ctx.mesh.cell[axis])).expand(n)
            if not k.requires_grad and not bool((k != 0).any()):
                continue
            kl, kr = self.bonds.pair(k, axis)
            self.coeff[axis] = (kl * linked[axis], kr * linked[axis])
        scale = -1 / (1 + alpha * alpha)
        self.c_perp = scale * (1 + beta * alpha)
        self.c_rot = scale * (beta - alpha)
        # the same numbers on every magnetic cell (m is zero elsewhere): plain floats are faster
        self.uniform = tuple(_uniform(c, ctx.magnet) for c in (self.c_perp, self.c_rot))
        if None in self.uniform:
            self.uniform = None

    def spin_drift(self, m):
        """(u.grad) m (1/s) of ``m`` (..., 3, nx, ny, nz), u the drift velocity (m/s)."""
        h = torch.zeros_like(m)
        for axis, (kl, kr) in self.coeff.items():
            ml, mr = self.bonds.pair(m, axis)
            diff = mr - ml
            self.bonds.scatter(h, axis, kl, diff, kr, diff)
        return h

    def add_torque(self, dm, m, t=0.0):
        if not self.coeff:
            return
        mxh = cross(m, self.spin_drift(m))
        if self.uniform is None:
            dm.addcmul_(self.c_perp, cross(m, mxh)).addcmul_(self.c_rot, mxh)
        else:
            c_perp, c_rot = self.uniform
            dm.add_(cross(m, mxh), alpha=c_perp).add_(mxh, alpha=c_rot)

    @classmethod
    def stack(cls, terms):
        """Batch of ZhangLi terms; an axis without current in some systems gets zero coefficients
        there, and coefficients uniform in each system but different between them go per cell."""
        axes = sorted(set().union(*(term.coeff for term in terms)))
        zeros = {axis: tuple(torch.zeros_like(k) for k in next(t.coeff[axis] for t in terms if axis in t.coeff))
                 for axis in axes}
        filled = []
        for term in terms:
            twin = copy.copy(term)
            twin.coeff = {axis: term.coeff.get(axis, zeros[axis]) for axis in axes}
            if any(t.uniform != term.uniform for t in terms):
                twin.uniform = None
            filled.append(twin)
        return super().stack(filled)


def _uniform(value, magnet):
    """``value`` (a tensor broadcasting to the mesh) as a float when it is the same on every
    magnetic cell and records no gradient; None otherwise."""
    if value.requires_grad:
        return None
    cells = value.expand(magnet.shape)[magnet]
    first = float(cells[0])
    return first if bool((cells == first).all()) else None
