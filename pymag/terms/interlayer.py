"""Interlayer (RKKY) exchange across a spacer along z, bilinear and biquadratic, as ubermag's
RKKY term (OOMMF's Oxs_TwoSurfaceExchange): per interface area

    e = -J1 (m1.m2) - J2 (m1.m2)^2   (J/m^2),

m1 and m2 the magnetizations on the two faces of the spacer. In each (x, y) column the
bottom-most magnetic cell of region ``top`` and the top-most magnetic cell of region
``bottom`` form a pair holding E = -dx dy [J1 (m1.m2) + J2 (m1.m2)^2] (J); each of its cells
feels H = (J1 + 2 J2 (m1.m2)) m_other/(mu0 Ms dz) (A/m), dz the cell size along z. J1 < 0
couples the layers antiparallel (a synthetic antiferromagnet), J1 > 0 parallel; J2 < 0
favours 90 degrees. Columns where only one of the regions has cells are not coupled.
Reads ``Ms`` (A/m).
"""
import numpy as np
import torch

from ..autodiff import as_tensor
from ..errors import PymagError
from ..units import mu0
from . import energy_terms
from .base import Term


@energy_terms.register("interlayer_exchange")
class InterlayerExchange(Term):
    """Bilinear ``J1`` and biquadratic ``J2`` coupling (J/m^2) of the regions named ``top`` and
    ``bottom`` (``System.add_region(..., name=...)``), which face each other along z.

    Parameters
    ----------
    J1, J2 : float, tensor or callable
        Coupling constants (J/m^2): numbers, 0-dim tensors (which may require gradients) or
        callables of the time ``t`` (s) and named parameters of the system (``system.params``).
    top, bottom : str
        Names of the upper and the lower region.

    Raises
    ------
    PymagError
        When the system is assembled: a region name that does not exist, regions that share
        no (x, y) column, ``top`` not above ``bottom`` in every shared column, or a constant
        that is not a finite number.
    """

    keys = ("Ms",)
    setup_only = ("J1", "J2", "top", "bottom")

    def __init__(self, J1, J2=0.0, top="upper", bottom="lower"):
        for key, value in (("top", top), ("bottom", bottom)):
            if not isinstance(value, str) or not value:
                raise PymagError(f"InterlayerExchange {key} must be a region name, got {value!r}")
        if top == bottom:
            raise PymagError(f"InterlayerExchange top and bottom are the same region {top!r}: "
                             "a region cannot face itself")
        self.J1, self.J2, self.top, self.bottom = J1, J2, top, bottom

    def _params(self):
        return {"J1": self.J1, "J2": self.J2, "top": self.top, "bottom": self.bottom}

    def setup(self, ctx):
        super().setup(ctx)
        self._J1 = self._constant(ctx, "J1")
        self._J2 = self._constant(ctx, "J2")
        top = ctx.region_mask(self.top, "InterlayerExchange top") & ctx.magnet_np
        bottom = ctx.region_mask(self.bottom, "InterlayerExchange bottom") & ctx.magnet_np
        upper, lower = self._faces(top, bottom)
        nx, ny, nz = ctx.mesh.n
        # each cell's partner across the spacer as a flat cell index (uncoupled cells: themselves)
        partner = np.arange(nx * ny * nz)
        partner[upper], partner[lower] = lower, upper
        coupled = np.zeros(nx * ny * nz)
        coupled[upper] = coupled[lower] = 1.0
        coupled = ctx.tensor(coupled.reshape(nx, ny, nz))
        dz = ctx.mesh.cell[2]
        self._partner = torch.as_tensor(partner, device=ctx.device)
        self._field_factor = coupled * ctx.inv_Ms / (mu0 * dz)
        # each cell of a pair carries half its energy: per volume, half of e/dz
        self._density_factor = coupled / (2 * dz)

    def _constant(self, ctx, key):
        value = ctx.resolve(getattr(self, key), f"InterlayerExchange {key}")
        try:
            out = as_tensor(value, ctx.dtype, ctx.device)
        except (TypeError, ValueError):
            out = None
        if out is None or out.dim() != 0 or not bool(torch.isfinite(out.detach())):
            raise PymagError(f"InterlayerExchange {key} must be a finite number (J/m^2), got {value!r}")
        return out

    def _faces(self, top, bottom):
        """Flat indices of the paired cells: the lowest of ``top`` and the highest of ``bottom``
        (bool arrays (nx, ny, nz)) in every column holding both."""
        nz = top.shape[2]
        z = np.arange(nz)
        both = top.any(-1) & bottom.any(-1)
        if not both.any():
            raise PymagError(f"InterlayerExchange: regions top={self.top!r} and bottom={self.bottom!r} share no "
                             "(x, y) column of magnetic cells, so they do not face each other along z")
        lowest_top = np.where(top, z, nz).min(-1)
        highest_bottom = np.where(bottom, z, -1).max(-1)
        wrong = both & (lowest_top <= highest_bottom)
        if wrong.any():
            below = (np.where(top, z, -1).max(-1) < np.where(bottom, z, nz).min(-1))[wrong].all()
            problem = "lies below" if below else "overlaps along z with"
            raise PymagError(f"InterlayerExchange: region top={self.top!r} {problem} region "
                             f"bottom={self.bottom!r} in {int(wrong.sum())} of the columns holding both; "
                             "top must lie above bottom")
        ix, iy = np.nonzero(both)
        flat = (ix * top.shape[1] + iy) * nz
        return flat + lowest_top[both], flat + highest_bottom[both]

    def _other(self, m):
        """The magnetization of each cell's partner across the spacer, shaped as ``m``."""
        return m.flatten(-3)[..., self._partner].reshape(m.shape)

    def field(self, m, t=0.0):
        other = self._other(m)
        cos = (m * other).sum(-4, keepdim=True)
        return (self._J1 + 2 * self._J2 * cos) * self._field_factor * other

    def energy_density(self, m, t=0.0, H=None):
        """Energy density (J/m^3) of ``m`` per cell, shape (..., nx, ny, nz): each cell of a pair
        holds half the pair's energy; computed from m, so a field ``H`` is not needed."""
        cos = (m * self._other(m)).sum(-4, keepdim=True)
        return (-(self._J1 + self._J2 * cos) * cos * self._density_factor).squeeze(-4)

    def energy(self, m, t=0.0, H=None):
        """Energy (J) of ``m``, one value per leading batch index."""
        return self._V * self.energy_density(m, t).sum(dim=(-3, -2, -1))
