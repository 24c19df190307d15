"""Explicit Runge-Kutta steppers for dm/dt = f(t, m).

``DormandPrince``: adaptive 5(4) pair with first-same-as-last, step size controlled by
the largest per-cell error |m5 - m4| against ``tol`` (mumax3's MaxErr, default 1e-5).
``BogackiShampine``: the adaptive 3(2) pair with first-same-as-last (mumax3's RK23).
``RK4``: classic fixed-step fourth order, as used in the NeuralMAG paper.
Both renormalize m after each step. ``step`` returns (t, m, f, H) of the accepted step,
where f = dm/dt and H the effective field at the new state.
"""
import math

from ..errors import PymagError
from .llg import max_norm, normalize

# Dormand & Prince (1980) coefficients
_DP_A = (
    (),
    (1 / 5,),
    (3 / 40, 9 / 40),
    (44 / 45, -56 / 15, 32 / 9),
    (19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729),
    (9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656),
    (35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84),
)
_DP_C = (0.0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1.0, 1.0)
# 5th-order weights minus embedded 4th-order weights: the error estimate
_DP_E = (71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40)


class EmbeddedRK:
    """Adaptive embedded Runge-Kutta pair with first-same-as-last, error tolerance ``tol``
    (max per-cell |dm| error per step). Subclasses give the tableau: rows ``A`` (the last
    row is the propagated solution), nodes ``C``, error weights ``E`` (last entry for the
    derivative at the new point) and the lower ``order`` of the pair."""

    A = C = E = ()
    order = 0

    def __init__(self, rhs, tol=1e-5, dt=None, dt_max=None):
        if not tol > 0:
            raise PymagError(f"tolerance must be > 0, got {tol}")
        self.rhs = rhs
        self.tol = tol
        self.dt = dt
        self.dt_max = dt_max or math.inf
        self.rejected = 0

    def start(self, t, m):
        """Derivative and field at the starting point; picks a first step when none was given."""
        f, H = self.rhs(t, m)
        if self.dt is None:
            rate = max_norm(f)
            self.dt = min(1e-12, 0.01 / rate) if rate > 0 else 1e-13
        return f, H

    def step(self, t, m, f, dt_limit=math.inf):
        """One accepted step from (t, m) with derivative f; retries with smaller dt on rejection."""
        while True:
            dt = min(self.dt, self.dt_max, dt_limit)
            stages = len(self.A)
            k = [f]
            for i in range(1, stages):
                y = m.clone()
                for a, kj in zip(self.A[i], k):
                    if a != 0.0:
                        y.add_(kj, alpha=a * dt)
                if i < stages - 1:
                    k.append(self.rhs(t + self.C[i] * dt, y)[0])
            # y now holds the propagated solution; its derivative is the next step's first stage
            normalize(y)
            f_new, H_new = self.rhs(t + dt, y)
            k.append(f_new)
            err = k[0] * (self.E[0] * dt)
            for e, kj in zip(self.E[1:], k[1:]):
                if e != 0.0:
                    err.add_(kj, alpha=e * dt)
            error = max_norm(err)
            if not math.isfinite(error):
                raise PymagError("the integration produced NaN: check the material parameters and fields")
            factor = 0.9 * (self.tol / error) ** (1 / (self.order + 1)) if error > 0 else 5.0
            if error <= self.tol:
                if dt == self.dt:
                    self.dt = dt * min(5.0, max(0.2, factor))
                return t + dt, y, f_new, H_new
            self.rejected += 1
            self.dt = dt * min(0.9, max(0.1, factor))
            if self.dt < 1e-20:
                raise PymagError("the time step fell below 1e-20 s: the problem is too stiff or ill-posed")


class DormandPrince(EmbeddedRK):
    """Dormand & Prince 5(4) pair (7 stages, 6 field evaluations per step)."""

    A, C, E, order = _DP_A, _DP_C, _DP_E, 4


class BogackiShampine(EmbeddedRK):
    """Bogacki & Shampine 3(2) pair (4 stages, 3 field evaluations per step)."""

    A = ((), (1 / 2,), (0.0, 3 / 4), (2 / 9, 1 / 3, 4 / 9))
    C = (0.0, 1 / 2, 3 / 4, 1.0)
    E = (-5 / 72, 1 / 12, 1 / 9, -1 / 8)
    order = 2


class RK4:
    """Classic fixed-step fourth-order Runge-Kutta with step ``dt`` (s)."""

    order = 4

    def __init__(self, rhs, dt):
        if not dt or dt <= 0:
            raise PymagError(f"rk4 needs a positive time step dt (s), got {dt}")
        self.rhs = rhs
        self.dt = dt
        self.rejected = 0

    def start(self, t, m):
        """Derivative and field at the starting point."""
        return self.rhs(t, m)

    def step(self, t, m, f, dt_limit=math.inf):
        """One step of min(dt, dt_limit) from (t, m) with derivative f."""
        dt = min(self.dt, dt_limit)
        k2 = self.rhs(t + dt / 2, m + (dt / 2) * f)[0]
        k3 = self.rhs(t + dt / 2, m + (dt / 2) * k2)[0]
        k4 = self.rhs(t + dt, m + dt * k3)[0]
        y = m + (dt / 6) * (f + 2 * k2 + 2 * k3 + k4)
        normalize(y)
        fy, H = self.rhs(t + dt, y)
        if not math.isfinite(max_norm(fy)):
            raise PymagError("the integration produced NaN: the time step is probably too large")
        return t + dt, y, fy, H


def hermite(t0, m0, f0, t1, m1, f1, t):
    """Cubic Hermite interpolation of m at time t inside a step [t0, t1], normalized."""
    h = t1 - t0
    s = (t - t0) / h
    h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
    h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
    return normalize(h00 * m0 + (h10 * h) * f0 + h01 * m1 + (h11 * h) * f1)


STEPPERS = {"rk45": DormandPrince, "rk23": BogackiShampine, "rk4": RK4}
