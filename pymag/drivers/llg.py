"""Right-hand side of the Landau-Lifshitz-Gilbert equation.

dm/dt = -gamma/(1+alpha^2) [m x H + alpha m x (m x H)] + torques   (1/s), H in A/m, gamma in m/(A s).
The torque terms (spin torques, thermal noise) add their own dm/dt; frozen cells (``System.fix``)
do not move.
When gradients are recorded (``run(differentiable=True)``) the arithmetic is out of place, so
autograd keeps what the backward pass needs; otherwise it reuses its buffers.
"""
import torch

from ..errors import PymagError
from ..vec import cross, norm


class LLG:
    """dm/dt of a system.

    Parameters
    ----------
    system : pymag.System
    precession : bool
        False leaves out the precession term -gamma/(1+alpha^2) m x H, keeping the damping
        term (OOMMF's ``do_precess 0``).
    alpha : float, optional
        Damping used instead of the material's ``alpha``: relax passes 1 with
        ``precession=False``, the fastest energy descent.
    torques : bool
        False leaves the torque terms (spin torques, thermal noise) out, as relax does.
    """

    def __init__(self, system, precession=True, alpha=None, torques=True):
        ctx = system.assemble()
        self.system = system
        self.free = ctx.free
        self.torques = torques and any(not term.conservative for term in system._terms)
        for key in ("alpha", "gamma"):
            if ctx.time_dependent(key):
                raise PymagError(f"{key} cannot depend on time: the LLG equation reads it once per run")
        gamma = ctx.param("gamma", "the LLG equation")
        if alpha is None:
            alpha = ctx.param("alpha", "the LLG equation")
        rate = -gamma / (1 + alpha * alpha)
        self.a_prec = rate if precession else None
        self.a_damp = rate * alpha

    def __call__(self, t, m):
        """(dm/dt, H): the time derivative (1/s) and the effective field (A/m) used."""
        H = self.system.total_field(m, t)
        mxH = cross(m, H)
        if torch.is_grad_enabled() and (mxH.requires_grad or self.a_damp.requires_grad):
            dm = cross(m, mxH) * self.a_damp
            if self.a_prec is not None:
                dm = dm + self.a_prec * mxH
        else:
            dm = cross(m, mxH).mul_(self.a_damp)
            if self.a_prec is not None:
                dm.addcmul_(self.a_prec, mxH)
        if self.torques:
            self.system.add_torques(dm, m, t)
        if self.free is not None:
            dm.mul_(self.free)
        return dm, H

    def begin_step(self, t, dt, redraw):
        """A step from ``t`` of size ``dt`` (s) begins (``redraw``: the previous one was
        accepted); True when a torque term changed for it, so dm/dt at ``t`` must be
        evaluated again."""
        return self.torques and self.system.begin_step(t, dt, redraw)


def moving_cells(view, llg):
    """Bool tensor, shaped as ``view.magnet`` (a System's or an Ensemble's): the magnetic cells
    that ``llg`` lets move (not frozen)."""
    return view.magnet if llg.free is None else (llg.free != 0).reshape(view.magnet.shape)


def max_norm(v):
    """Largest vector length over the cells (per leading batch index reduced too)."""
    return float(norm(v.detach()).max())


def normalize(m):
    """Rescale non-zero vectors to unit length, in place (a new tensor while gradients of ``m``
    are recorded); zero vectors stay zero. Returns the result."""
    n = norm(m).unsqueeze(-4)
    if torch.is_grad_enabled() and m.requires_grad:
        return m / torch.where(n == 0, torch.ones_like(n), n)
    m /= n.masked_fill_(n == 0, 1.0)
    return m
