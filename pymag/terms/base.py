"""Base class of energy terms."""
import copy

import numpy as np
import torch

from ..errors import PymagError
from ..units import mu0
from ..vec import cross


# what a system records on the terms: that a description was added (it is frozen then), that a
# copy was set up for it, whether that copy reads time-dependent values and the time it was set
# up for
BINDING = ("_added", "_set_up", "_dynamic", "_time")


class Term:
    """An energy term: ``field(m, t)`` (A/m), ``energy(m, t)`` (J) and ``energy_density(m, t)``
    (J/m^3).

    ``order`` is the degree of the energy in m: e = -(mu0/order) Ms m.H per cell,
    exact for homogeneous energies (1 Zeeman, 2 exchange and demag); terms built from an
    energy density (pymag.symbolic) evaluate it directly.
    ``keys`` lists the material keys the term reads. ``conservative`` terms have an energy
    (tables, ``minimize``); torque terms (``Torque``) act on dm/dt instead. Terms that are
    not ``differentiable`` (random ones) are refused by gradient runs. A term object is a description: a
    system adding it sets up its own copy, whose ``setup(ctx)`` turns the material values
    into per-cell tensors when the system is assembled, so one term serves many systems.
    """

    name = None
    keys = ()
    order = 2
    conservative = True
    differentiable = True
    shared = ()
    setup_only = ()

    def __setattr__(self, key, value):
        if self.__dict__.get("_added") and not self.__dict__.get("_set_up"):
            raise PymagError(f"{self!r} was added to a system and may be shared by others: it cannot change. "
                             "Change the system's own copy (system.term(name)), or give the value as a "
                             "function of a parameter (system.params)")
        super().__setattr__(key, value)

    def setup(self, ctx):
        """Prepare per-cell tensors from the assembly context ``ctx`` (see System)."""
        self._Ms_V = ctx.Ms * ctx.mesh.cell_volume
        self._V = ctx.mesh.cell_volume

    def field(self, m, t=0.0):
        """Effective field (A/m) of magnetization ``m``, shape ``(..., 3, nx, ny, nz)``."""
        raise NotImplementedError

    def add_field(self, H, m, t=0.0):
        """Add this term's field (A/m) of ``m`` to ``H`` in place (terms may do it without
        building their field apart)."""
        H += self.field(m, t)

    def energy(self, m, t=0.0, H=None):
        """Energy (J) of ``m``, one value per leading batch index; ``H`` reuses a field."""
        H = self.field(m, t) if H is None else H
        return -(mu0 / self.order) * torch.sum(self._Ms_V * (m * H).sum(-4, keepdim=True), dim=(-4, -3, -2, -1))

    def energy_density(self, m, t=0.0, H=None):
        """Energy density (J/m^3) of ``m`` per cell, shape (..., nx, ny, nz)."""
        H = self.field(m, t) if H is None else H
        return (-(mu0 / self.order) / self._V) * (self._Ms_V * (m * H).sum(-4, keepdim=True)).squeeze(-4)

    @classmethod
    def stack(cls, terms):
        """One term acting on a batch ``(B, 3, nx, ny, nz)``: the same term set up by B systems
        on one mesh. Per-cell tensors are stacked along a leading batch axis (scalars and
        (nx, ny, nz) arrays as (B, 1, ...), so they broadcast over the vector components);
        tensors equal in every system stay shared; other attributes must be equal, except
        those named in ``shared`` (taken from the first) and ``setup_only`` (not needed by
        ``field``)."""
        first = terms[0]
        out = copy.copy(first)
        for key, value in vars(first).items():
            if key in cls.shared or key in cls.setup_only or key in BINDING:
                continue
            setattr(out, key, _stack_values(key, [vars(t)[key] for t in terms], cls.__name__))
        return out

    def _params(self):
        return {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self._params().items())
        return f"{type(self).__name__}({args})"

    def __eq__(self, other):
        return type(self) is type(other) and repr(self) == repr(other)

    __hash__ = object.__hash__


class Torque(Term):
    """A term that acts on the LLG right-hand side directly instead of through an energy:
    spin-transfer and spin-orbit torques, the thermal field's noise. It has no energy and
    adds nothing to the effective field; ``add_torque(dm, m, t)`` adds its dm/dt (1/s) in place.

    Drivers built on the energy (``minimize``) refuse torques; ``relax`` leaves them out.
    ``begin_step(t, dt, redraw)`` is called by the steppers before each attempted step from
    time ``t`` of size ``dt`` (s; arrays, one per system, when each system of a batch has its
    own step); ``redraw`` says whether the previous step was accepted (a bool array per
    system for such batches). A term whose torque changes with the step (the thermal noise)
    returns True, and the stepper evaluates the step's first derivative again.
    """

    conservative = False

    def add_field(self, H, m, t=0.0):
        """A torque term adds no field."""

    def field(self, m, t=0.0):
        """Zero (A/m): a torque term has no effective field."""
        return torch.zeros_like(m)

    def energy(self, m, t=0.0, H=None):
        """Zero (J): a torque term has no energy."""
        return torch.zeros(m.shape[:-4], dtype=m.dtype, device=m.device)

    def energy_density(self, m, t=0.0, H=None):
        """Zero (J/m^3): a torque term has no energy."""
        return torch.zeros(m.shape[:-4] + m.shape[-3:], dtype=m.dtype, device=m.device)

    def add_torque(self, dm, m, t=0.0):
        """Add this term's dm/dt (1/s) of ``m`` (..., 3, nx, ny, nz) at time ``t`` to ``dm`` in place."""
        raise NotImplementedError

    def begin_step(self, t, dt, redraw):
        """Prepare a step from ``t`` of size ``dt`` (s); True when the torque changed for it."""
        return False

    def state(self):
        """What a checkpoint must hold to resume this term exactly (None: nothing)."""
        return None

    def load_state(self, state):
        """Take back what ``state`` returned (called after the term is set up)."""


def gilbert_to_ll(T, m, alpha):
    """A torque ``T`` (1/s) written in the Gilbert form of the LLG equation,
    dm/dt = ... + alpha m x dm/dt + T, turned into its Landau-Lifshitz form
    (T + alpha m x T) / (1 + alpha^2) (1/s), for T perpendicular to the unit vector m.
    ``alpha`` is a number or a per-cell tensor that broadcasts over the components."""
    return (T + alpha * cross(m, T)) / (1 + alpha * alpha)


def total_field(terms, m, t=0.0):
    """Sum of the fields (A/m) of ``terms`` for ``m`` at time ``t`` (s), a fresh tensor."""
    H = torch.zeros_like(m)
    for term in terms:
        term.add_field(H, m, t)
    return H


def add_torques(terms, dm, m, t=0.0):
    """Add the torques (1/s) of the torque terms among ``terms`` to ``dm`` in place."""
    for term in terms:
        if not term.conservative:
            term.add_torque(dm, m, t)


def begin_step(terms, t, dt, redraw):
    """Tell the torque terms among ``terms`` that a step from ``t`` of size ``dt`` (s) begins
    (see ``Torque.begin_step``); True when one of them changed its torque for it."""
    changed = False
    for term in terms:
        if not term.conservative:
            changed = term.begin_step(t, dt, redraw) or changed
    return changed


def total_energy(terms, m, t=0.0):
    """Sum of the energies (J) of ``terms`` for ``m`` at time ``t`` (s), one value per leading
    batch index of ``m``, a tensor."""
    return sum((term.energy(m, t) for term in terms if term.conservative),
               torch.zeros(m.shape[:-4], dtype=m.dtype, device=m.device))


def _stack_values(key, values, owner):
    first = values[0]
    if isinstance(first, torch.Tensor):
        if all(v is first or (v.shape == first.shape and torch.equal(v, first)) for v in values[1:]):
            return first
        if first.dim() not in (0, 3, 4) or any(v.shape != first.shape for v in values):
            raise PymagError(f"{owner}.{key} differs between the systems in a way that cannot be batched")
        stacked = torch.stack(values)
        return stacked.reshape((len(values),) + (1,) * (4 - first.dim()) + tuple(first.shape))
    if isinstance(first, dict):
        return {k: _stack_values(key, [v[k] for v in values], owner) for k in first}
    if isinstance(first, (tuple, list)):
        return type(first)(_stack_values(key, list(parts), owner) for parts in zip(*values))
    if any(not _same(v, first) for v in values[1:]):
        raise PymagError(f"{owner}.{key} differs between the systems of an ensemble; it cannot run batched")
    return first


def _same(a, b):
    try:
        return bool(np.all(a == b)) if not callable(a) else a is b
    except (TypeError, ValueError):
        return a is b
