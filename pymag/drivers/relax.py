"""relax: damping-only LLG dynamics until energy, then torque, stop falling (as mumax3), for a
System or, each system with its own stopping, an Ensemble."""
import math

import torch

from ..errors import ConvergenceError, PymagError
from ..vec import cross, norm
from .integrators import BogackiShampine
from .llg import LLG
from .minimize import CELLS

ENERGY, TORQUE, DONE = 0, 1, 2


def relax(target, tol=1e-5, min_tol=1e-9, check_every=3, max_torque=None, converged=1e-6,
          max_steps=200_000):
    """Relax ``target`` to a nearby energy minimum; returns the number of steps taken (for
    an Ensemble, a numpy array: the step at which each system stopped).

    Precession is switched off (dm/dt = -gamma/2 m x (m x H)) and the adaptive
    Bogacki-Shampine 3(2) pair integrates, as in mumax3's Relax. Phase 1 runs with error
    tolerance ``tol`` until the energy stops decreasing (checked every ``check_every``
    steps). Phase 2 follows the mean torque |m x H| over the magnet: while it keeps falling
    the run goes on, when it stops the tolerance is divided by sqrt(2), down to ``min_tol``.
    In float64 the torque keeps falling long after the state is settled, so phase 2 also
    ends once the mean torque is below ``converged`` x max(Ms) (A/m), i.e. |m x H|/Ms < 1e-6.
    ``max_torque`` (A/m), if given, ends the relaxation as soon as the torque is below it.
    In an ensemble every system goes through the phases on its own and stops moving when
    done; the shared step uses the smallest tolerance of the systems still moving.
    """
    if not 0 < min_tol <= tol:
        raise PymagError(f"need 0 < min_tol <= tol, got tol={tol}, min_tol={min_tol}")
    llg = LLG(target, precession=False)
    m = target.m.clone()
    batch = m.shape[:-4]
    moving = torch.ones(batch + (1, 1, 1, 1), dtype=m.dtype, device=m.device)

    def rhs(t, m):
        dm, H = llg(t, m)
        return dm * moving, H

    stepper = BogackiShampine(rhs, tol=tol)
    magnet = target.magnet
    cells = magnet.sum(dim=CELLS)
    floor = converged * target._Ms_max().reshape(batch)
    phase = torch.full(batch, ENERGY, device=m.device)
    tols = torch.full(batch, float(tol), dtype=torch.float64)
    stopped = torch.zeros(batch, dtype=torch.long, device=m.device)
    last = torch.full(batch, math.inf, dtype=m.dtype, device=m.device)
    t, steps = 0.0, 0
    f, H = stepper.start(t, m)
    energy = target._energy(m)
    while True:
        for _ in range(check_every):
            t, m, f, H = stepper.step(t, m, f)
            steps += 1
        torque = norm(cross(m, H))
        top, now = torque.amax(dim=CELLS), (torque * magnet).sum(dim=CELLS) / cells
        finished = torch.zeros(batch, dtype=torch.bool, device=m.device)
        if max_torque is not None:
            finished |= top <= max_torque
        # phase 1: the energy still falls
        e = target._energy(m)
        flat = (phase == ENERGY) & ~(e < energy)
        energy = torch.where(phase == ENERGY, e, energy)
        # phase 2: each time the torque stops falling, lower the tolerance
        stalled = (phase == TORQUE) & (~(now < last) | (now <= floor))
        tols = torch.where(stalled.cpu(), tols / math.sqrt(2), tols)
        entering = flat | stalled
        finished |= entering & ((tols <= min_tol).to(m.device) | (now <= floor))
        last = torch.where(entering | (phase == TORQUE), now, last)
        phase = torch.where(flat, TORQUE, phase)
        newly = finished & (phase != DONE)
        stopped = torch.where(newly, steps, stopped)
        phase = torch.where(finished, DONE, phase)
        moving.masked_fill_((phase == DONE).reshape(moving.shape), 0.0)
        f = f * moving
        target._store(m)
        if bool((phase == DONE).all()):
            return _steps(stopped)
        if steps > max_steps:
            raise ConvergenceError(f"relax did not converge in {max_steps} steps; try minimize() or a larger max_steps",
                                   _steps(stopped))
        stepper.tol = float(tols[(phase != DONE).cpu()].min())


def _steps(stopped):
    """Steps as an int for one system, a numpy array for a batch."""
    return int(stopped) if stopped.dim() == 0 else stopped.cpu().numpy()
