"""Explicit Runge-Kutta steppers for dm/dt = f(t, m).

``DormandPrince``: adaptive 5(4) pair with first-same-as-last, step size controlled by
the largest per-cell error |m5 - m4| against ``tol`` (mumax3's MaxErr, default 1e-5).
``BogackiShampine``: the adaptive 3(2) pair with first-same-as-last (mumax3's RK23).
``RK4``: classic fixed-step fourth order, as used in the NeuralMAG paper.
``Heun``: fixed-step second order predictor-corrector, the usual scheme for the stochastic
LLG equation (it converges to its Stratonovich solution).
All renormalize m after each step. Before each attempted step they tell the right-hand side
(``begin_step(t, dt, redraw)``, when it has one) which step comes, so a thermal field can draw
its noise once per step; when it does, the step's first derivative is evaluated again. ``step`` returns (t, m, f, H) of the accepted step,
where f = dm/dt and H the effective field at the new state.
"""
import math

import numpy as np
import torch

from ..errors import PymagError
from ..vec import norm
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
    derivative at the new point) and the lower ``order`` of the pair.

    ``per_system=True`` (for a batch (B, 3, nx, ny, nz)) gives every system its own step
    size, error and acceptance (``attempt``); otherwise one step serves the whole batch."""

    A = C = E = ()
    order = 0

    def __init__(self, rhs, tol=1e-5, dt=None, dt_max=None, per_system=False):
        if not tol > 0:
            raise PymagError(f"tolerance must be > 0, got {tol}")
        self.rhs = rhs
        self.tol = tol
        self.dt = dt
        self.dt_max = dt_max or math.inf
        self.per_system = per_system
        self.rejected = 0
        self.redraw = True  # the last step was accepted (one flag per system with per_system)

    def start(self, t, m):
        """Derivative and field at the starting point; picks a first step when none was given
        (one per system with ``per_system``: a numpy array)."""
        f, H = self.rhs(t, m)
        if self.dt is None:
            rate = np.asarray(self._size(f), dtype=float)  # an array: 0.01 / 0 is inf, not an error
            with np.errstate(divide="ignore"):
                dt = np.where(rate > 0, np.minimum(1e-12, 0.01 / rate), 1e-13)
            self.dt = dt if self.per_system else float(dt)
        return f, H

    def _size(self, v):
        """Largest vector length: per system (numpy array) or over everything (float)."""
        return norm(v.detach()).amax(dim=(-3, -2, -1)).double().cpu().numpy() if self.per_system else max_norm(v)

    def attempt(self, t, m, f, dt_limit=math.inf):
        """One try of a step from (t, m) with derivative f, of min(dt, dt_max, dt_limit) (s;
        per system, arrays, with ``per_system``). Returns (h, accepted, y, f_new, H_new): the
        steps tried, whether each passed the error test, the new state, its derivative and
        field. The step sizes adapt: a rejected system retries with a smaller one."""
        h = np.minimum(np.minimum(self.dt, self.dt_max), dt_limit)
        if self.per_system:
            shape = (-1,) + (1,) * 4

            def scaled(c):
                return torch.as_tensor(c * h, dtype=m.dtype, device=m.device).reshape(shape)
        else:
            h = float(h)

            def scaled(c):
                return c * h
        if _begin_step(self.rhs, t, h, self.redraw):
            f = self.rhs(t, m)[0]
        stages = len(self.A)
        k = [f]
        for i in range(1, stages):
            y = m.clone()
            for a, kj in zip(self.A[i], k):
                if a != 0.0:
                    _axpy(y, kj, scaled(a))
            if i < stages - 1:
                k.append(self.rhs(t + self.C[i] * h, y)[0])
        # y now holds the propagated solution; its derivative is the next step's first stage
        y = normalize(y)
        f_new, H_new = self.rhs(t + h, y)
        k.append(f_new)
        err = k[0] * scaled(self.E[0])
        for e, kj in zip(self.E[1:], k[1:]):
            if e != 0.0:
                _axpy(err, kj, scaled(e))
        error = np.asarray(self._size(err), dtype=float)
        if not np.all(np.isfinite(error)):
            raise PymagError("the integration produced NaN: check the material parameters and fields")
        with np.errstate(divide="ignore"):
            factor = np.where(error > 0, 0.9 * (self.tol / error) ** (1 / (self.order + 1)), 5.0)
        accepted = error <= self.tol
        self.redraw = accepted
        grown = np.where(h == self.dt, h * np.clip(factor, 0.2, 5.0), self.dt)
        dt = np.where(accepted, grown, h * np.clip(factor, 0.1, 0.9))
        self.dt = dt if self.per_system else float(dt)
        self.rejected += int(np.sum(~accepted))
        if np.any(dt < 1e-20):
            raise PymagError("the time step fell below 1e-20 s: the problem is too stiff or ill-posed")
        return h, accepted, y, f_new, H_new

    def step(self, t, m, f, dt_limit=math.inf):
        """One accepted step from (t, m) with derivative f; retries with smaller dt on rejection."""
        while True:
            h, accepted, y, f_new, H_new = self.attempt(t, m, f, dt_limit)
            if accepted:
                return t + h, y, f_new, H_new


def _axpy(y, x, c):
    """y += c x in place, c a number or a tensor that broadcasts (one factor per system)."""
    if isinstance(c, torch.Tensor):
        y.addcmul_(x, c)
    else:
        y.add_(x, alpha=c)


class DormandPrince(EmbeddedRK):
    """Dormand & Prince 5(4) pair (7 stages, 6 field evaluations per step)."""

    A, C, E, order = _DP_A, _DP_C, _DP_E, 4


class BogackiShampine(EmbeddedRK):
    """Bogacki & Shampine 3(2) pair (4 stages, 3 field evaluations per step)."""

    A = ((), (1 / 2,), (0.0, 3 / 4), (2 / 9, 1 / 3, 4 / 9))
    C = (0.0, 1 / 2, 3 / 4, 1.0)
    E = (-5 / 72, 1 / 12, 1 / 9, -1 / 8)
    order = 2


def _begin_step(rhs, t, dt, redraw):
    """Announce a step to ``rhs`` when it listens; True when its derivative at ``t`` changed."""
    begin = getattr(rhs, "begin_step", None)
    return begin is not None and begin(t, dt, redraw)


class FixedStep:
    """A fixed-step method with step ``dt`` (s); subclasses give ``advance``, the unnormalized
    new state of one step, and ``stability``, the fraction of ``stable_dt`` (2 / the largest
    precession rate) taken as the default step."""

    order = 0
    stability = 1.0

    def __init__(self, rhs, dt):
        if not dt or dt <= 0:
            raise PymagError(f"{type(self).__name__.lower()} needs a positive time step dt (s), got {dt}")
        self.rhs = rhs
        self.dt = dt
        self.rejected = 0

    def start(self, t, m):
        """Derivative and field at the starting point."""
        return self.rhs(t, m)

    def step(self, t, m, f, dt_limit=math.inf):
        """One step of min(dt, dt_limit) from (t, m) with derivative f."""
        dt = min(self.dt, dt_limit)
        if _begin_step(self.rhs, t, dt, True):
            f = self.rhs(t, m)[0]
        y = normalize(self.advance(t, m, f, dt))
        fy, H = self.rhs(t + dt, y)
        if not math.isfinite(max_norm(fy)):
            raise PymagError("the integration produced NaN: the time step is probably too large")
        return t + dt, y, fy, H


class RK4(FixedStep):
    """Classic fixed-step fourth-order Runge-Kutta with step ``dt`` (s)."""

    order = 4

    def advance(self, t, m, f, dt):
        k2 = self.rhs(t + dt / 2, m + (dt / 2) * f)[0]
        k3 = self.rhs(t + dt / 2, m + (dt / 2) * k2)[0]
        k4 = self.rhs(t + dt, m + dt * k3)[0]
        return m + (dt / 6) * (f + 2 * k2 + 2 * k3 + k4)


class Heun(FixedStep):
    """Heun's predictor-corrector with fixed step ``dt`` (s): an Euler predictor, then the
    trapezoidal average of the slopes at both ends."""

    order = 2
    # undamped precession at rate w grows by sqrt(1 + (w dt)^4 / 4) per step: at a quarter of
    # the RK4 step (w dt <= 0.5) that is below 1 % per step, and damping takes it back
    stability = 0.25

    def advance(self, t, m, f, dt):
        k2 = self.rhs(t + dt, m + dt * f)[0]
        return m + (dt / 2) * (f + k2)


@torch.no_grad()
def hermite(t0, m0, f0, t1, m1, f1, t):
    """Cubic Hermite interpolation of m at time t inside a step [t0, t1], normalized (for
    output: no gradients are recorded)."""
    h = t1 - t0
    s = (t - t0) / h
    h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
    h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
    return normalize(h00 * m0 + (h10 * h) * f0 + h01 * m1 + (h11 * h) * f1)


STEPPERS = {"rk45": DormandPrince, "rk23": BogackiShampine, "rk4": RK4, "heun": Heun}
