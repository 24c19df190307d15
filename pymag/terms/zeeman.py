"""Zeeman energy of an applied field: E = -mu0 sum V Ms m.H (J)."""

import numpy as np
import torch

from ..errors import PymagError, ShapeMismatchError
from ..units import mu0
from . import energy_terms
from .base import Term


@energy_terms.register("zeeman")
class Zeeman(Term):
    """Applied field given as ``H`` (A/m) or ``B`` (T, H = B/mu0).

    The value is a 3-vector, a per-cell array (3, nx, ny, nz), or a callable of the
    time t (s) returning either (e.g. a field pulse or an RF drive).
    """

    order = 1
    setup_only = ("value", "_given")

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
        """Change the applied field in place (``H`` in A/m or ``B`` in T), as a sweep does;
        cheap: the system need not be assembled again."""
        if (H is None) == (B is None):
            raise PymagError("Zeeman.set needs exactly one of H (A/m) or B (T)")
        self._assign(H, B)
        if hasattr(self, "mask"):
            self._static = None if callable(self.value) else self._tensor(self.value)

    def _params(self):
        return {self._given[0]: self._given[1]}

    def setup(self, ctx):
        super().setup(ctx)
        self.ctx_n = ctx.mesh.n
        self.dtype, self.device = ctx.dtype, ctx.device
        self.mask = ctx.magnet.to(ctx.dtype)
        self._static = None if callable(self.value) else self._tensor(self.value)

    def _tensor(self, value):
        arr = np.asarray(value, dtype=float) * self.scale
        if arr.shape == (3,):
            arr = arr.reshape(3, 1, 1, 1)
        elif arr.shape != (3,) + self.ctx_n:
            raise ShapeMismatchError(f"Zeeman field must be a 3-vector or shape {(3,) + self.ctx_n}, got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise PymagError("Zeeman field contains NaN or infinite values")
        return torch.as_tensor(arr, dtype=self.dtype, device=self.device) * self.mask

    @classmethod
    def stack(cls, terms):
        """Batched applied fields (see Term.stack); static fields only."""
        if any(callable(t.value) for t in terms):
            raise PymagError("time-dependent Zeeman fields cannot run in an ensemble yet; use static fields")
        return super().stack(terms)

    def field(self, m, t=0.0):
        H = self._static if self._static is not None else self._tensor(self.value(t))
        return H.expand_as(m)

    def __repr__(self):
        key, value = self._given
        if not callable(value):
            value = tuple(float(v) for v in np.ravel(value)) if np.size(value) == 3 else "<array>"
        return f"Zeeman({key}={value!r})"
