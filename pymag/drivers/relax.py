"""system.relax: damping-only LLG dynamics until energy, then torque, stop falling (as mumax3)."""
import math

from ..errors import PymagError
from .integrators import BogackiShampine
from ..vec import cross, norm
from .llg import LLG


def relax(system, tol=1e-5, min_tol=1e-9, check_every=3, max_torque=None, converged=1e-6,
          max_steps=200_000):
    """Relax ``system`` to a nearby energy minimum; returns the number of steps taken.

    Precession is switched off (dm/dt = -gamma/2 m x (m x H)) and the adaptive
    Bogacki-Shampine 3(2) pair integrates, as in mumax3's Relax. Phase 1 runs with error
    tolerance ``tol`` until the energy stops decreasing (checked every ``check_every``
    steps). Phase 2 follows the mean torque |m x H| over the magnet: while it keeps falling
    the run goes on, when it stops the tolerance is divided by sqrt(2), down to ``min_tol``.
    In float64 the torque keeps falling long after the state is settled, so phase 2 also
    ends once the mean torque is below ``converged`` x max(Ms) (A/m), i.e. |m x H|/Ms < 1e-6.
    ``max_torque`` (A/m), if given, ends the relaxation as soon as the torque is below it.
    """
    if not 0 < min_tol <= tol:
        raise PymagError(f"need 0 < min_tol <= tol, got tol={tol}, min_tol={min_tol}")
    rhs = LLG(system, precession=False)
    stepper = BogackiShampine(rhs, tol=tol)
    magnet = system.magnet
    floor = converged * float(system.Ms.max())
    t, m = 0.0, system.m.clone()
    f, H = stepper.start(t, m)
    steps = 0

    def advance(n):
        nonlocal t, m, f, H, steps
        for _ in range(n):
            t, m, f, H = stepper.step(t, m, f)
            steps += 1
        system._m = m
        if steps > max_steps:
            raise PymagError(f"relax did not converge in {max_steps} steps; try minimize() or a larger max_steps")

    def torques():
        """(max, mean) of |m x H| over the magnet (A/m)."""
        t = norm(cross(m, H))
        return float(t.max()), float(t[..., magnet].mean())

    energy = system.energy(m)
    while True:
        advance(check_every)
        if max_torque is not None and torques()[0] <= max_torque:
            return steps
        e = system.energy(m)
        if not e < energy:
            break
        energy = e
    now = torques()[1]
    while stepper.tol > min_tol and now > floor:
        last = now
        while True:
            advance(check_every)
            top, now = torques()
            if max_torque is not None and top <= max_torque:
                return steps
            if not now < last or now <= floor:
                break
            last = now
        stepper.tol /= math.sqrt(2)
    return steps
