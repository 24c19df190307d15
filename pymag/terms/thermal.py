"""Thermal fluctuations: Brown's random field.

Each cell feels a field that is white noise in time and uncorrelated between cells and
components,

    H_th = eta sqrt(2 alpha k_B T / (gamma mu0 Ms V dt))   (A/m),

eta standard normal (one number per cell, component and step), V the cell volume (m^3),
dt the time step (s), gamma the LLG gyromagnetic ratio (m/(A s)), T the temperature (K).
It enters the LLG equation as a field in its Gilbert form, so its Landau-Lifshitz torque is

    dm/dt = -gamma/(1+alpha^2) [m x H_th + alpha m x (m x H_th)]   (1/s),

which makes the Boltzmann distribution exp(-E/(k_B T)) the equilibrium of the dynamics
(W. F. Brown, Phys. Rev. 130, 1677 (1963)). As in mumax3 the noise is drawn once per step and
held over it (the Stratonovich solution, best followed with ``method="heun"``); a step that an
adaptive method rejects keeps the numbers and rescales them to the new dt. mumax3 writes the
same field in tesla, B_th = mu0 H_th, with its gamma_LL = gamma / mu0.
"""
import math
import secrets

import numpy as np
import torch

from ..errors import PymagError, StateError
from ..units import kB, mu0
from ..vec import cross
from . import energy_terms
from ._spin_torque import argument, check_constant, describe
from .base import Torque, gilbert_to_ll


@energy_terms.register("thermal")
class Thermal(Torque):
    """Brown's thermal field at temperature ``T`` (K), drawn from a random stream seeded
    with ``seed``.

    Parameters
    ----------
    T : float, array (nx, ny, nz), tensor or callable
        Temperature (K), >= 0 and finite: a number, per-cell values, or a callable resolved by
        its argument names (time ``t`` in s, coordinates ``x, y, z`` in m, named parameters
        of ``system.params``, e.g. ``T=lambda T_bath: T_bath``). Default 300.
    seed : int or None
        Seed of the term's random stream (a ``torch.Generator`` on the system's device): the
        same seed gives the same noise, hence the same trajectory. None draws a seed at
        random when a system sets the term up; that system's copy (``system.term(name).seed``)
        records it. Systems given one description with one seed see the same noise.

    Reads the material keys ``alpha``, ``gamma`` and ``Ms``. The noise is drawn for each step
    the steppers announce (``begin_step``); ``state()`` holds the stream, so checkpoints
    resume it exactly. Gradients do not flow through it: ``run(differentiable=True)`` and
    ``run(adjoint=True)`` refuse systems with a thermal field. With T = 0 everywhere it
    costs nothing. A system that assembles again (a term, region, frozen part or parameter
    changed) hands the stream on to its new copy of the term.
    """

    keys = ("alpha", "gamma")
    # description values and the random stream, not stacked by an ensemble (see ``stack``)
    setup_only = ("T", "seed", "_active", "_generator", "_eta", "_dt", "_kick", "_members")
    differentiable = False

    def __init__(self, T=300.0, seed=None, name=None):
        check_constant(T, "Thermal", "T")
        if isinstance(T, (int, float, np.number)):
            _nonnegative(torch.as_tensor(float(T)))
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))
                                 or not 0 <= seed < 2**63):
            raise PymagError(f"Thermal seed must be None or an integer in [0, 2^63), got {seed!r}")
        self.T = T
        self.seed = None if seed is None else int(seed)
        if name is not None:
            self.name = name

    # ----- set-up ------------------------------------------------------------------------
    def setup(self, ctx):
        T = _nonnegative(argument(ctx, self.T, "Thermal", "T").detach())
        alpha = ctx.param("alpha", "Thermal").detach()
        gamma = ctx.param("gamma", "Thermal").detach()
        # variance of H_th per unit time: 2 alpha kB T / (gamma mu0 Ms V) (A^2 s/m^2), zero off the magnet
        spread = (2 * kB / (mu0 * ctx.mesh.cell_volume)) * alpha * T * ctx.inv_Ms.detach()
        spread = torch.where(gamma > 0, spread / torch.where(gamma > 0, gamma, torch.ones_like(gamma)), 0.0)
        # -gamma sqrt(spread): the Gilbert torque of the unit field, per cell
        self._rate = -gamma * spread.sqrt()
        self._alpha = alpha
        self._shape = (3,) + tuple(ctx.mesh.n)
        self._active = bool(ctx.dynamic) or bool((self._rate != 0).any())
        if "_generator" not in vars(self):  # a first set-up; later ones (at new times) keep the stream
            if self.seed is None:
                self.seed = secrets.randbits(63)
            self._generator = torch.Generator(device=ctx.device)
            self._generator.manual_seed(self.seed)
            self._eta = self._dt = self._kick = None
            self._members = None
        elif self._eta is not None:
            self._kick = self._eta * (self._rate / math.sqrt(self._dt))

    @classmethod
    def stack(cls, terms):
        """The thermal fields of B systems as one term for a batch (B, 3, nx, ny, nz): the
        material tensors are stacked, while each system keeps drawing from its own stream, so
        a system follows the trajectory it follows alone with the same seed."""
        out = super().stack(terms)
        out._members = list(terms)
        out._active = any(term._active for term in terms)
        out._gather()
        return out

    def _gather(self):
        """The batch's noise taken from its systems' terms."""
        members = self._members
        kicks = [term._kick for term in members]
        if all(k is None for k in kicks):
            self._kick = None
        else:
            like = next(k for k in kicks if k is not None)
            self._kick = torch.stack([torch.zeros_like(like) if k is None else k for k in kicks])

    # ----- stepping -----------------------------------------------------------------------
    def begin_step(self, t, dt, redraw):
        """Draw new noise for a step from ``t`` of size ``dt`` (s) when the previous step was
        accepted (``redraw``), else rescale the numbers already drawn to the new ``dt``.
        Arrays of one value per system for a batch. True when the torque changed."""
        if self._members is None:
            return self._begin(float(t), float(dt), bool(np.all(redraw)))
        n = len(self._members)
        t, dt, redraw = (np.broadcast_to(np.asarray(v), (n,)) for v in (t, dt, redraw))
        changed = [term._begin(float(a), float(b), bool(c))
                   for term, a, b, c in zip(self._members, t, dt, redraw)]
        self._gather()
        return any(changed)

    def _begin(self, t, dt, redraw):
        if not self._active:
            return False
        if not dt > 0:
            raise PymagError(f"Thermal: the time step must be > 0 s, got {dt}")
        if redraw or self._eta is None:
            self._eta = torch.randn(self._shape, generator=self._generator, dtype=self._rate.dtype,
                                    device=self._rate.device)
        self._dt = dt
        self._kick = self._eta * (self._rate / math.sqrt(dt))
        return True

    def add_torque(self, dm, m, t=0.0):
        """Add the Landau-Lifshitz torque (1/s) of the step's thermal field to ``dm``."""
        if self._kick is not None:
            dm.add_(gilbert_to_ll(cross(m, self._kick), m, self._alpha))

    # ----- checkpoints ---------------------------------------------------------------------
    def state(self):
        """The random stream (seed and generator state) and the numbers of the current step."""
        if self._members is not None:
            raise PymagError("Thermal: the state of a batch is kept by each system's own term")
        return {"seed": self.seed, "generator": self._generator.get_state(),
                "eta": None if self._eta is None else self._eta.cpu(), "dt": self._dt}

    def load_state(self, state):
        """Continue the random stream where ``state`` left it."""
        try:
            self._generator.set_state(state["generator"])
        except (RuntimeError, TypeError, KeyError) as exc:
            raise StateError(f"Thermal: the checkpoint's random stream cannot be restored on {self._rate.device} "
                             f"({exc}); it was written on another kind of device") from None
        self.seed = state["seed"]
        eta = state.get("eta")
        self._eta = None if eta is None else eta.to(dtype=self._rate.dtype, device=self._rate.device)
        self._dt = state.get("dt")
        self._kick = None if self._eta is None else self._eta * (self._rate / math.sqrt(self._dt))

    def _params(self):
        return {"T": describe(self.T), "seed": self.seed}


def _nonnegative(T):
    """``T`` (K, a tensor); PymagError naming T when a value is negative."""
    if bool((T < 0).any()):
        raise PymagError(f"Thermal T must be a temperature >= 0 K, got {float(T.min())}")
    return T
