"""system.relax: damping-only LLG dynamics until energy, then torque, stop falling (as mumax3)."""
import math

from ..errors import PymagError
from .integrators import DormandPrince
from .llg import LLG, cross


def relax(system, tol=1e-4, min_tol=1e-9, check_every=10, max_torque=None, max_steps=200_000):
    """Relax ``system`` to a nearby energy minimum; returns the number of steps taken.

    Precession is switched off (dm/dt = -gamma/2 m x (m x H)). Phase 1 integrates with
    error tolerance ``tol`` until the energy stops decreasing (checked every ``check_every``
    steps). Phase 2 follows the maximum torque |m x H| (A/m): while it keeps falling the
    run goes on, when it stops the tolerance is divided by sqrt(2), down to ``min_tol``.
    ``max_torque`` (A/m), if given, ends the relaxation as soon as the torque is below it.
    """
    if not 0 < min_tol <= tol:
        raise PymagError(f"need 0 < min_tol <= tol, got tol={tol}, min_tol={min_tol}")
    rhs = LLG(system, precession=False)
    stepper = DormandPrince(rhs, tol=tol)
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

    def torque():
        return float(cross(m, H).norm(dim=-4).max())

    energy = system.energy(m)
    while True:
        advance(check_every)
        if max_torque is not None and torque() <= max_torque:
            return steps
        e = system.energy(m)
        if not e < energy:
            break
        energy = e
    while stepper.tol > min_tol:
        last = torque()
        while True:
            advance(check_every)
            now = torque()
            if max_torque is not None and now <= max_torque:
                return steps
            if not now < last:
                break
            last = now
        stepper.tol /= math.sqrt(2)
    return steps
