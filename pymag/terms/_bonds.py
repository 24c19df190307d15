"""Nearest-neighbour bonds of the mesh, shared by the exchange stencil and the gradient parts of
symbolic energy terms (pymag.symbolic).

A bond joins two magnetic cells adjacent along one axis. Along an open axis there are
n-1 bond positions (free surfaces: bonds to empty or missing cells simply do not exist);
along a periodic axis n, the last wrapping to the first cell.
"""
import torch


class Bonds:
    """Bond geometry of a mesh with magnetic-cell mask ``magnet`` (bool tensor, shape n)."""

    def __init__(self, mesh, magnet):
        self.mesh = mesh
        self.axes = [a for a in range(3) if mesh.n[a] > 1]
        self.magnet = magnet

    def _dim(self, axis):
        return axis - 3

    def pair(self, x, axis):
        """(left, right) views of ``x`` (..., nx, ny, nz): the two cells of every bond."""
        d, n = self._dim(axis), x.shape[axis - 3]
        if self.mesh.periodic[axis]:
            return x, torch.roll(x, -1, d)
        return x.narrow(d, 0, n - 1), x.narrow(d, 1, n - 1)

    def scatter(self, out, axis, kl, left, kr, right):
        """Add kl * left to the left cells and kr * right to the right cells of every bond (per-bond
        tensors), in place."""
        d, n = self._dim(axis), out.shape[axis - 3]
        if self.mesh.periodic[axis]:
            out.addcmul_(kl, left)
            out += torch.roll(kr * right, 1, d)
        else:
            out.narrow(d, 0, n - 1).addcmul_(kl, left)
            out.narrow(d, 1, n - 1).addcmul_(kr, right)

    def coefficients(self, values, combine):
        """Per-axis bond values ``combine(v_left, v_right)`` (zero unless both cells are magnetic)."""
        out = {}
        for axis in self.axes:
            vl, vr = self.pair(values, axis)
            ml, mr = self.pair(self.magnet, axis)
            out[axis] = torch.where(ml & mr, combine(vl, vr), torch.zeros_like(vl))
        return out
