"""relax: damping-only LLG dynamics until energy, then torque, stop falling (as mumax3), for a
System or, each system with its own steps and stopping, an Ensemble."""
import math
import warnings

import numpy as np
import torch

from ..errors import ConvergenceError, PymagError
from ..vec import cross, norm
from .integrators import BogackiShampine
from .llg import LLG, moving_cells
from .minimize import CELLS

ENERGY, TORQUE = 0, 1


@torch.no_grad()
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
    In an ensemble every system takes its own steps (size, error test, tolerance) and goes
    through the phases on its own; the checks come every ``check_every`` steps of the batch
    (a system that had a step rejected in between is checked after fewer of its own), and a
    system that is done leaves the batch. Raises ``ConvergenceError`` (with the steps, 0 for systems still moving)
    after ``max_steps`` steps of a system.
    """
    if not 0 < min_tol <= tol:
        raise PymagError(f"need 0 < min_tol <= tol, got tol={tol}, min_tol={min_tol}")
    if int(check_every) != check_every or check_every < 1 or not max_steps >= 1:
        raise PymagError(f"check_every must be a whole number >= 1 and max_steps >= 1, got {check_every}, {max_steps}")
    view, m = target, target.m.clone()
    batch = m.shape[:-4]
    members = list(range(batch[0])) if batch else None  # the systems still in the batch
    result = np.zeros(batch, dtype=np.int64)
    llg = LLG(view, precession=False, alpha=1.0, torques=False)
    torques = [term.name for term in view._terms if not term.conservative]
    if torques:
        warnings.warn(f"relax() leaves the torque terms {torques} out: it follows the energy down, as "
                      "mumax3's Relax does", stacklevel=3)
    # relaxation does not advance time: the terms are evaluated at each system's own time
    clock = view._clock()
    # through ``llg`` and ``clock`` as they are at each call: they change with the systems left in the batch
    stepper = BogackiShampine(lambda _, m: llg(clock, m), tol=tol, per_system=bool(batch))
    magnet = moving_cells(view, llg)
    cells = magnet.sum(dim=CELLS)
    floor = _host(converged * view._Ms_max().reshape(batch))
    phase, tols = np.full(batch, ENERGY), np.full(batch, float(tol))
    steps, t, last = np.zeros(batch, dtype=np.int64), np.zeros(batch), np.full(batch, math.inf)
    checked = np.zeros(batch, dtype=np.int64)  # each system's steps at its last check
    f, H = stepper.start(_times(t), m)
    energy = _host(view._energy(m))
    moves = 0  # tries in which some system's step passed
    try:
        while True:
            h, ok, y, f1, H1 = stepper.attempt(_times(t), m, f)
            ok = np.asarray(ok)
            if not ok.any():
                continue
            if ok.all():
                m, f, H = y, f1, H1
            else:
                keep = torch.as_tensor(ok, device=m.device).reshape(ok.shape + (1,) * 4)
                m, f, H = torch.where(keep, y, m), torch.where(keep, f1, f), torch.where(keep, H1, H)
            t = np.where(ok, t + h, t)
            steps += ok
            moves += 1
            # the checks of a batch come together, each system's after it has moved, so the
            # energy of the batch is evaluated as often as one system's (every check_every steps)
            if moves % check_every:
                continue
            due = steps > checked
            checked = steps.copy()
            torque = norm(cross(m, H)) * magnet
            top, now = _host(torque.amax(dim=CELLS)), _host(torque.sum(dim=CELLS) / cells)
            finished = due & (top <= max_torque) if max_torque is not None else np.zeros_like(due)
            # phase 1: the energy still falls
            measuring = due & (phase == ENERGY)
            e = _host(view._energy(m)) if measuring.any() else energy
            flat = measuring & ~(e < energy)
            energy = np.where(measuring, e, energy)
            # phase 2: each time the torque stops falling, lower the tolerance
            stalled = due & (phase == TORQUE) & (~(now < last) | (now <= floor))
            tols = np.where(stalled, tols / math.sqrt(2), tols)
            entering = flat | stalled
            finished |= entering & ((tols <= min_tol) | (now <= floor))
            last = np.where(entering | (due & (phase == TORQUE)), now, last)
            phase = np.where(flat, TORQUE, phase)
            if finished.all():
                if not batch:
                    return int(steps)
                result[members] = steps
                return result
            if finished.any():  # an ensemble: systems that are done leave the batch
                gone, stay = np.flatnonzero(finished), np.flatnonzero(~finished)
                target._subset([members[k] for k in gone])._store(m[gone])
                result[[members[k] for k in gone]] = steps[gone]
                members = [members[k] for k in stay]
                view = target._subset(members)
                llg = LLG(view, precession=False, alpha=1.0, torques=False)
                clock = view._clock()
                stepper.dt = stepper.dt[stay]
                m, f, H, magnet, cells = (x[stay] for x in (m, f, H, magnet, cells))
                floor, phase, tols, steps, checked, t, last, energy = (
                    x[stay] for x in (floor, phase, tols, steps, checked, t, last, energy))
            if steps.max() > max_steps:
                raise ConvergenceError(f"relax did not converge in {max_steps} steps; try minimize() or a larger "
                                       "max_steps", result if batch else 0)
            stepper.tol = tols if batch else float(tols)
    finally:  # the latest states, also when stopped by an error or an interrupt
        view._store(m)


def _host(x):
    """A tensor as a float64 numpy array."""
    return x.double().cpu().numpy()


def _times(t):
    """The systems' times (s) as the stepper takes them: an array, or a float for one system."""
    return t if t.ndim else float(t)
