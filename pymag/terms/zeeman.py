"""Zeeman energy of an applied field: E = -mu0 sum V Ms m.H (J)."""

import numpy as np
import torch

from ..autodiff import as_tensor
from ..errors import PymagError, ShapeMismatchError
from ..units import mu0
from . import energy_terms
from .base import Term


@energy_terms.register("zeeman")
class Zeeman(Term):
    """Applied field given as ``H`` (A/m) or ``B`` (T, H = B/mu0).

    The value is a 3-vector (numbers or tensors, which may require gradients), a per-cell
    array (3, nx, ny, nz), or a callable returning either, resolved by its argument names:
    the time ``t`` (s), the coordinates ``x, y, z`` (m) and named parameters of the system
    (``system.params``), e.g. ``H=lambda t, h0, f: (h0 * torch.cos(2 * torch.pi * f * t), 0, 0)``.
    """

    order = 1
    setup_only = ("value", "_given", "_ctx")

    def __init__(self, H=None, B=None, name=None):
        if (H is None) == (B is None):
            raise PymagError("Zeeman needs exactly one of H (A/m) or B (T)")
        self._static = None
        self._assign(H, B)
        if name is not None:
            self.name = name

    def _assign(self, H, B):
        self._given = ("H", H) if H is not None else ("B", B)
        self.scale = 1.0 if H is not None else 1.0 / mu0
        self.value = H if H is not None else B

    def set(self, H=None, B=None):
        """Change the applied field of this set-up term in place (``H`` in A/m or ``B`` in T),
        as a sweep does (``system.term(name).set(...)``); cheap: nothing is assembled again."""
        if (H is None) == (B is None):
            raise PymagError("Zeeman.set needs exactly one of H (A/m) or B (T)")
        self._assign(H, B)
        if hasattr(self, "mask"):
            self._static = self._tensor(self._ctx.resolve(self.value, f"Zeeman {self._given[0]}"))

    def _params(self):
        return {self._given[0]: self._given[1]}

    def setup(self, ctx):
        super().setup(ctx)
        self.ctx_n = ctx.mesh.n
        self.dtype, self.device = ctx.dtype, ctx.device
        self.mask = ctx.magnet.to(ctx.dtype)
        self._ctx = ctx
        self._static = self._tensor(ctx.resolve(self.value, f"Zeeman {self._given[0]}"))

    def _tensor(self, value):
        try:
            arr = as_tensor(value, self.dtype, self.device) * self.scale
        except (TypeError, ValueError, RuntimeError):
            raise PymagError(f"Zeeman field must be a 3-vector, an array or a tensor, got {value!r}") from None
        if tuple(arr.shape) == (3,):
            arr = arr.reshape(3, 1, 1, 1)
        elif tuple(arr.shape) != (3,) + self.ctx_n:
            raise ShapeMismatchError(f"Zeeman field must be a 3-vector or shape {(3,) + self.ctx_n}, "
                                     f"got {tuple(arr.shape)}")
        if not bool(torch.isfinite(arr.detach()).all()):
            raise PymagError("Zeeman field contains NaN or infinite values")
        return arr * self.mask

    def field(self, m, t=0.0):
        return self._static.expand_as(m)

    def __repr__(self):
        key, value = self._given
        if isinstance(value, torch.Tensor) or (isinstance(value, (tuple, list))
                                               and any(isinstance(v, torch.Tensor) for v in value)):
            value = "<tensor>"
        elif not callable(value):
            value = tuple(float(v) for v in np.ravel(value)) if np.size(value) == 3 else "<array>"
        return f"Zeeman({key}={value!r})"
