"""Base class of energy terms."""
import torch

from ..units import mu0


class Term:
    """An energy term: ``field(m, t)`` (A/m) and ``energy(m, t)`` (J).

    ``order`` is the degree of the energy in m: E = -(mu0/order) sum_cells V Ms m.H,
    exact for homogeneous energies (1 Zeeman, 2 exchange/demag/uniaxial/DMI, 4 cubic).
    ``keys`` lists the material keys the term reads; ``setup(ctx)`` turns them into
    per-cell tensors once, when the system is assembled.
    """

    name = None
    keys = ()
    order = 2

    def setup(self, ctx):
        """Prepare per-cell tensors from the assembly context ``ctx`` (see System)."""
        self._Ms_V = ctx.Ms * ctx.mesh.cell_volume

    def field(self, m, t=0.0):
        """Effective field (A/m) of magnetization ``m``, shape ``(..., 3, nx, ny, nz)``."""
        raise NotImplementedError

    def energy(self, m, t=0.0, H=None):
        """Energy (J) of ``m``, one value per leading batch index; ``H`` reuses a field."""
        H = self.field(m, t) if H is None else H
        return -(mu0 / self.order) * torch.sum(self._Ms_V * (m * H).sum(-4), dim=(-3, -2, -1))

    def _params(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and repr(self) == repr(other)

    __hash__ = object.__hash__
