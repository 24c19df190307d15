"""Spin torques about a spin polarization s: a damping-like torque of amplitude H_DL and a
field-like torque of amplitude H_FL (A/m, per cell), written in the Gilbert form of the LLG
equation

    dm/dt = -gamma m x H + alpha m x dm/dt - gamma [H_DL m x (m x s) + H_FL m x s]   (1/s),

gamma pymag's gyromagnetic ratio (m/(A s)). H_DL > 0 turns m towards s; the field-like part is
the precession about a field H_FL s. pymag integrates the Landau-Lifshitz form of this torque T,
(T + alpha m x T)/(1 + alpha^2) (``gilbert_to_ll``). mumax3 writes torques in tesla,
dm/dt = (gamma/mu0) tau: its amplitudes (T) are mu0 H_DL and mu0 H_FL.

The torque is shared by the Slonczewski and the spin-orbit torque terms. The conversion of
term arguments (numbers, per-cell arrays, tensors, callables of t, x, y, z and named
parameters) into per-cell tensors, with its checks (``argument``, ``check_constant``,
``required``, ``describe``), serves the other torque terms too.
"""
import copy

import torch

from ..autodiff import as_tensor
from ..errors import PymagError, ShapeMismatchError
from ..vec import cross, dot
from .base import Torque, gilbert_to_ll


class SpinTorque(Torque):
    """A damping-like and a field-like torque about the per-cell unit vector ``self._s``.

    Subclasses name their arguments (``arguments``; ``direction`` the polarization vector,
    ``positive`` those that must be > 0, ``thickness`` the free layer's, None meaning the
    mesh's), read them with ``values(ctx)``, set up ``self._s`` (the direction, (3, nx, ny, nz))
    and ``self._alpha`` (the material's damping), and implement ``amplitudes(m)``: the
    coefficients -gamma H_DL and -gamma H_FL (1/s) per cell, shaped to broadcast over m's
    component axis.
    """

    keys = ("Ms", "alpha", "gamma")
    arguments = ()
    direction = None
    positive = ("thickness",)

    def __init__(self, name=None, **values):
        owner = type(self).__name__
        for key, value in values.items():
            if value is not None:
                check_constant(value, owner, key, vector=key == self.direction, positive=key in self.positive)
            setattr(self, key, value)
        if name is not None:
            if not isinstance(name, str) or not name:
                raise PymagError(f"{owner} name must be a non-empty string, got {name!r}")
            self.name = name

    def _params(self):
        return {key: describe(getattr(self, key)) for key in self.arguments}

    def values(self, ctx):
        """The arguments at the assembly's time as tensors (see ``argument``); the constant ones
        are converted and checked once per assembly, not again at each time."""
        constants = self.__dict__.setdefault("_constants", {})
        out = {}
        for key in self.arguments:
            value = getattr(self, key)
            if key == "thickness" and value is None:
                value = ctx.mesh.n[2] * ctx.mesh.cell[2]
            if key not in constants:
                out[key] = argument(ctx, value, type(self).__name__, key, vector=key == self.direction,
                                    positive=key in self.positive)
                if key == self.direction:  # shaped as m: cross products skip broadcasting
                    out[key] = out[key].expand((3,) + tuple(ctx.mesh.n))
                if not callable(value):
                    constants[key] = out[key]
            else:
                out[key] = constants[key]
        return out

    def inv_Ms_thickness(self, ctx, thickness):
        """1/(Ms d) per cell (1/A), d the free layer's ``thickness`` (m), zero outside the magnet."""
        return ctx.inv_Ms / torch.where(ctx.magnet, thickness, torch.ones_like(thickness))

    def amplitudes(self, m):
        """(-gamma H_DL, -gamma H_FL) (1/s) of ``m`` (..., 3, nx, ny, nz)."""
        raise NotImplementedError

    def add_torque(self, dm, m, t=0.0):
        k_dl, k_fl = self.amplitudes(m)
        mxs = cross(m, self._s)
        gilbert = cross(m, mxs) * k_dl + mxs * k_fl
        dm += gilbert_to_ll(gilbert, m, self._alpha)

    def polarization_dot(self, m):
        """m.s per cell with a component axis of length one, shape (..., 1, nx, ny, nz)."""
        return dot(m, self._s).unsqueeze(-4)

    @classmethod
    def stack(cls, terms):
        """Batch of these terms: per-cell tensors given uniformly in some systems and cell by
        cell in others are broadcast to a common shape first."""
        shapes = {key: torch.broadcast_shapes(*(vars(term)[key].shape for term in terms))
                  for key, value in vars(terms[0]).items() if isinstance(value, torch.Tensor)}
        uneven = {key: shape for key, shape in shapes.items()
                  if any(vars(term)[key].shape != shape for term in terms)}
        if uneven:
            terms = [copy.copy(term) for term in terms]
            for term in terms:
                for key, shape in uneven.items():
                    setattr(term, key, vars(term)[key].expand(shape))
        return super().stack(terms)


def required(value, owner, key, meaning):
    """``value``; PymagError naming ``key`` when it is None."""
    if value is None:
        raise PymagError(f"{owner} needs {key}, {meaning}")
    return value


def check_constant(value, owner, key, vector=False, positive=False):
    """Check a term argument when it is given: a constant number (or 3-vector when ``vector``)
    must be finite, positive when ``positive`` and of non-zero length when ``vector``.
    Functions and per-cell arrays are checked when the system is assembled (``argument``)."""
    if callable(value):
        return
    arr = _tensor(value, owner, key, torch.float64, "cpu")
    uniform = (3,) if vector else ()
    if tuple(arr.shape) == uniform:
        everywhere = torch.ones((1, 1, 1), dtype=torch.bool)
        _checked(arr.reshape(uniform + (1, 1, 1)), owner, key, vector, positive, everywhere)


def argument(ctx, value, owner, key, vector=False, positive=False, unit=True):
    """A term argument at the assembly's time as a tensor: a scalar as (1, 1, 1) or
    (nx, ny, nz), a vector (``vector``: normalized to unit length unless ``unit`` is False) as
    (3, 1, 1, 1) or (3, nx, ny, nz). PymagError naming ``key`` when it is not finite, not
    positive on a magnetic cell (``positive``) or, a direction, of zero length on a magnetic
    cell (``vector`` and ``unit``)."""
    arr = _tensor(ctx.resolve(value, f"{owner} {key}"), owner, key, ctx.dtype, ctx.device)
    uniform = (3,) if vector else ()
    per_cell = uniform + tuple(ctx.mesh.n)
    if tuple(arr.shape) == uniform:
        arr = arr.reshape(uniform + (1, 1, 1))
    elif tuple(arr.shape) != per_cell:
        raise ShapeMismatchError(f"{owner} {key} must be {'a 3-vector' if vector else 'a number'} or an array "
                                 f"of shape {per_cell}, got shape {tuple(arr.shape)}")
    return _checked(arr, owner, key, vector and unit, positive, ctx.magnet)


def _tensor(value, owner, key, dtype, device):
    try:
        return as_tensor(value, dtype, device)
    except (TypeError, ValueError, RuntimeError):
        raise PymagError(f"{owner} {key} must be a number, an array, a tensor or a function, got {value!r}") from None


def _checked(arr, owner, key, vector, positive, magnet):
    if not bool(torch.isfinite(arr.detach()).all()):
        raise PymagError(f"{owner} {key} contains NaN or infinite values")
    if vector:
        length = dot(arr, arr).sqrt()
        if bool((length.detach() == 0).expand_as(magnet)[magnet].any()):
            raise PymagError(f"{owner} {key} has zero length (on magnetic cells): it must give a direction")
        return arr / torch.where(length == 0, torch.ones_like(length), length)
    if positive:
        lowest = float(arr.detach().expand_as(magnet)[magnet].min())
        if not lowest > 0:
            raise PymagError(f"{owner} {key} must be > 0 on every magnetic cell, got {lowest:g}")
    return arr


def describe(value):
    """A short, comparable description of a term argument for ``repr``."""
    if callable(value):
        return repr(value)
    if isinstance(value, torch.Tensor) or (isinstance(value, (tuple, list))
                                           and any(isinstance(v, torch.Tensor) for v in value)):
        return "<tensor>"
    try:
        arr = torch.as_tensor(value, dtype=torch.float64)
    except (TypeError, ValueError, RuntimeError):
        return value
    if arr.dim() == 0:
        return float(arr)
    return tuple(arr.tolist()) if arr.dim() == 1 else "<array>"
