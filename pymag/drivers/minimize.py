"""system.minimize: steepest descent with Barzilai-Borwein step sizes (Exl et al., JAP 115, 17D118 (2014))."""
import torch

from ..errors import PymagError
from ..vec import cross
from .llg import max_norm, normalize


def minimize(system, stop=1e-6, samples=10, max_steps=100_000):
    """Minimize the energy from the current state; returns the number of steps.

    Each step moves m along -m x (m x h) with h = H/max(Ms) (dimensionless) and a step
    length from the alternating Barzilai-Borwein formulas, then renormalizes. Stops when
    the largest per-cell change |dm| stayed below ``stop`` for ``samples`` steps in a row
    (mumax3's MinimizerStop / MinimizerSamples), or the largest torque |m x h| stayed below
    256 machine epsilons: in float32 the rounding noise of the field (~5e-6 of Ms) keeps the long
    Barzilai-Borwein steps of soft modes from ever settling below ``stop`` (float64 never
    gets there first).
    """
    if not stop > 0:
        raise PymagError(f"stop must be > 0, got {stop}")
    scale = 1.0 / float(system.Ms.max())
    m = system.m.clone()

    def descent(m):
        h = system.total_field(m, system.t) * scale
        return cross(m, cross(m, h))

    g = descent(m)
    tau = 1e-2
    quiet = 0
    floor = 256 * torch.finfo(m.dtype).eps
    for step in range(1, max_steps + 1):
        m_new = normalize(m - tau * g)
        g_new = descent(m_new)
        s, y = m_new - m, g_new - g
        dm = max_norm(s)
        m, g = m_new, g_new
        quiet = quiet + 1 if dm < stop or max_norm(g) < floor else 0
        if quiet >= samples:
            system._m = m
            return step
        sy, ss, yy = float((s * y).sum()), float((s * s).sum()), float((y * y).sum())
        if sy > 0:
            tau = ss / sy if step % 2 else sy / yy
        else:  # negative curvature along the last step: move on faster
            tau = min(2 * tau, 1.0)
    system._m = m
    raise PymagError(f"minimize did not converge in {max_steps} steps; try relax() or a larger max_steps")
