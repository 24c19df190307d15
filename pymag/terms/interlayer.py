"""Interlayer (RKKY) exchange across a spacer, bilinear and biquadratic, as ubermag's RKKY term
(OOMMF's Oxs_TwoSurfaceExchange): per interface area

    e = -J1 (m1.m2) - J2 (m1.m2)^2   (J/m^2),

m1 and m2 the magnetizations on the two faces of the spacer. The two regions face each other
along one axis (x, y or z; found from the regions unless given). In each line of cells along
that axis the magnetic cell of region ``top`` nearest to region ``bottom`` (its cell of smallest
coordinate along the axis) and the cell of ``bottom`` nearest to ``top`` (its cell of largest
coordinate) form a pair holding E = -A [J1 (m1.m2) + J2 (m1.m2)^2] (J), A the cell's face area
perpendicular to the axis; each of its cells feels H = (J1 + 2 J2 (m1.m2)) m_other/(mu0 Ms d)
(A/m), d the cell size along the axis. J1 < 0 couples the layers antiparallel (a synthetic
antiferromagnet), J1 > 0 parallel; J2 < 0 favours 90 degrees. Lines where only one of the
regions has cells are not coupled. Reads ``Ms`` (A/m).
"""
import numpy as np
import torch

from ..autodiff import as_tensor
from ..errors import PymagError
from ..units import mu0
from . import energy_terms
from .base import Term

AXES = ("x", "y", "z")


@energy_terms.register("interlayer_exchange")
class InterlayerExchange(Term):
    """Bilinear ``J1`` and biquadratic ``J2`` coupling (J/m^2) of the regions named ``top`` and
    ``bottom`` (``System.add_region(..., name=...)``), which face each other across a spacer
    along ``axis``.

    Parameters
    ----------
    J1, J2 : float, tensor or callable
        Coupling constants (J/m^2): numbers, 0-dim tensors (which may require gradients) or
        callables of the time ``t`` (s) and named parameters of the system (``system.params``).
    top, bottom : str
        Names of the region at larger and of the region at smaller coordinate along ``axis``.
    axis : {None, "x", "y", "z"}
        Direction along which the regions face each other. None (default) finds it when the
        system is assembled: the one axis along which the regions share lines of cells and,
        in each such line, lie apart without overlapping (for two layers stacked along z,
        that is z, as with ``axis="z"``).

    Raises
    ------
    PymagError
        At construction: a region name that is not a non-empty string, the same region twice,
        an axis other than None, "x", "y" or "z". When the system is assembled: a region name
        that does not exist, regions that share no line of cells along the axis (along any axis
        for ``axis=None``), regions that overlap along it, ``top`` not at larger coordinate
        than ``bottom`` in every shared line, regions that face each other along more than one
        axis when ``axis`` is None, or a constant that is not a finite number.
    """

    keys = ("Ms",)
    setup_only = ("J1", "J2", "top", "bottom", "axis")

    def __init__(self, J1, J2=0.0, top="upper", bottom="lower", axis=None):
        for key, value in (("top", top), ("bottom", bottom)):
            if not isinstance(value, str) or not value:
                raise PymagError(f"InterlayerExchange {key} must be a region name, got {value!r}")
        if top == bottom:
            raise PymagError(f"InterlayerExchange top and bottom are the same region {top!r}: "
                             "a region cannot face itself")
        if axis is not None and axis not in AXES:
            raise PymagError(f"InterlayerExchange axis must be None, 'x', 'y' or 'z', got {axis!r}")
        self.J1, self.J2, self.top, self.bottom, self.axis = J1, J2, top, bottom, axis

    def _params(self):
        return {"J1": self.J1, "J2": self.J2, "top": self.top, "bottom": self.bottom, "axis": self.axis}

    def setup(self, ctx):
        super().setup(ctx)
        self._J1 = self._constant(ctx, "J1")
        self._J2 = self._constant(ctx, "J2")
        top = ctx.region_mask(self.top, "InterlayerExchange top") & ctx.magnet_np
        bottom = ctx.region_mask(self.bottom, "InterlayerExchange bottom") & ctx.magnet_np
        axis = self._axis(top, bottom)
        upper, lower = self._faces(top, bottom, axis)
        ncells = top.size
        # each cell's partner across the spacer as a flat cell index (uncoupled cells: themselves)
        partner = np.arange(ncells)
        partner[upper], partner[lower] = lower, upper
        coupled = np.zeros(ncells)
        coupled[upper] = coupled[lower] = 1.0
        coupled = ctx.tensor(coupled.reshape(top.shape))
        d = ctx.mesh.cell[axis]
        self._partner = torch.as_tensor(partner, device=ctx.device)
        self._field_factor = coupled * ctx.inv_Ms / (mu0 * d)
        # each cell of a pair carries half its energy A e: per volume A d, half of e/d
        self._density_factor = coupled / (2 * d)

    def _constant(self, ctx, key):
        value = ctx.resolve(getattr(self, key), f"InterlayerExchange {key}")
        try:
            out = as_tensor(value, ctx.dtype, ctx.device)
        except (TypeError, ValueError):
            out = None
        if out is None or out.dim() != 0 or not bool(torch.isfinite(out.detach())):
            raise PymagError(f"InterlayerExchange {key} must be a finite number (J/m^2), got {value!r}")
        return out

    def _axis(self, top, bottom):
        """Index (0, 1, 2) of the axis the regions face each other along: ``self.axis``, or
        the one axis where they share lines of cells and lie apart in each (``axis=None``)."""
        if self.axis is not None:
            return AXES.index(self.axis)
        lines = [_Lines(top, bottom, axis) for axis in range(3)]
        facing = [axis for axis in range(3) if lines[axis].shared.any() and not lines[axis].overlap.any()]
        if len(facing) > 1:
            names = " and ".join(AXES[axis] for axis in facing)
            raise PymagError(f"InterlayerExchange: regions top={self.top!r} and bottom={self.bottom!r} face "
                             f"each other along {names}; choose one with axis=")
        if facing:
            return facing[0]
        overlapping = [AXES[axis] for axis in range(3) if lines[axis].overlap.any()]
        if overlapping:
            raise PymagError(f"InterlayerExchange: region top={self.top!r} overlaps along "
                             f"{' and '.join(overlapping)} with region bottom={self.bottom!r}, and the two "
                             "do not face each other along any other axis")
        raise PymagError(f"InterlayerExchange: regions top={self.top!r} and bottom={self.bottom!r} share no "
                         "line of magnetic cells along x, y or z, so they do not face each other")

    def _faces(self, top, bottom, axis):
        """Flat indices of the paired cells: in every line along ``axis`` (0, 1, 2) holding both
        regions (bool arrays (nx, ny, nz)), the cell of ``top`` at smallest and the cell of
        ``bottom`` at largest coordinate."""
        name = AXES[axis]
        lines = _Lines(top, bottom, axis)
        if not lines.shared.any():
            raise PymagError(f"InterlayerExchange: regions top={self.top!r} and bottom={self.bottom!r} share no "
                             f"line of magnetic cells along {name}, so they do not face each other along {name}")
        wrong = lines.overlap | lines.below
        if wrong.any():
            where = (f"overlaps along {name} with region bottom={self.bottom!r}" if lines.overlap.any()
                     else f"lies below region bottom={self.bottom!r} along {name}")
            raise PymagError(f"InterlayerExchange: region top={self.top!r} {where} in {int(wrong.sum())} of "
                             f"the lines along {name} holding both; top must lie at larger {name} than bottom")
        index = list(np.nonzero(lines.shared))
        upper, lower = list(index), list(index)
        upper.insert(axis, lines.lowest_top[lines.shared])
        lower.insert(axis, lines.highest_bottom[lines.shared])
        return np.ravel_multi_index(upper, top.shape), np.ravel_multi_index(lower, top.shape)

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


class _Lines:
    """Where two regions (bool arrays (nx, ny, nz)) lie in each line of cells along ``axis``
    (0, 1, 2); arrays over the lines, the other two axes in order: ``shared`` (both have
    cells), ``lowest_top`` and ``highest_bottom`` (cell index along the axis of the top
    region's first and of the bottom region's last cell), ``below`` (shared, all of top before
    all of bottom) and ``overlap`` (shared, neither region wholly before the other)."""

    def __init__(self, top, bottom, axis):
        top, bottom = np.moveaxis(top, axis, -1), np.moveaxis(bottom, axis, -1)
        n = top.shape[-1]
        k = np.arange(n)
        self.shared = top.any(-1) & bottom.any(-1)
        self.lowest_top = np.where(top, k, n).min(-1)
        self.highest_bottom = np.where(bottom, k, -1).max(-1)
        above = self.lowest_top > self.highest_bottom
        self.below = self.shared & (np.where(top, k, -1).max(-1) < np.where(bottom, k, n).min(-1))
        self.overlap = self.shared & ~above & ~self.below
