"""minimize: steepest descent with Barzilai-Borwein step sizes (Exl et al., JAP 115, 17D118 (2014)),
for a System or, each system with its own step length and stopping, an Ensemble."""
import warnings

import numpy as np
import torch

from ..errors import ConvergenceError, PymagError
from ..vec import cross, norm
from .llg import normalize

CELLS = (-3, -2, -1)
VECTOR_CELLS = (-4, -3, -2, -1)


@torch.no_grad()
def minimize(target, stop=1e-6, samples=10, max_steps=100_000):
    """Minimize the energy from the current state; returns the number of steps (for an
    Ensemble, a numpy array: the step at which each system stopped).

    Each step moves m along -m x (m x h) with h = H/max(Ms) (dimensionless) and a step
    length from the alternating Barzilai-Borwein formulas, then renormalizes. A system
    stops when its largest per-cell change |dm| stayed below ``stop`` for ``samples`` steps
    in a row (mumax3's MinimizerStop / MinimizerSamples), or its largest torque |m x h|
    stayed below 256 machine epsilons: in float32 the rounding noise of the field (~5e-6 of
    Ms) keeps the long Barzilai-Borwein steps of soft modes from ever settling below
    ``stop`` (float64 never gets there first). A system of an ensemble that stops leaves the
    batch, so the others go on without carrying it. Raises ``ConvergenceError`` (with the
    steps, 0 for systems still moving) after ``max_steps``.

    The steps assume the field is the gradient of an energy. A learned demag field (method
    "unet") is not: near a field where the state turns unstable, its soft mode's long steps
    grow instead of decay, and the state can leave a minimum that damped dynamics (``relax``)
    keep (docs/unet.md, "MH loops: minimize ...").
    """
    if not stop > 0:
        raise PymagError(f"stop must be > 0, got {stop}")
    view, m = target, target.m.clone()
    free = target.assemble().free
    torques = [t.name for t in target._terms if not t.conservative]
    if torques:
        raise PymagError(f"minimize() follows the energy, and the torque terms {torques} have none: remove them "
                         "(system.remove(name)) before minimizing, or use relax(), which leaves them out")
    batch = m.shape[:-4]
    scale = 1.0 / target._Ms_max()
    members = list(range(batch[0])) if batch else None  # the systems still in the batch
    result = np.zeros(batch, dtype=np.int64)

    def descent(m):
        h = view.total_field(m, view._clock()) * scale
        g = cross(m, cross(m, h))
        return g if free is None else g * free

    g = descent(m)
    if any(not getattr(getattr(t, "provider", None), "gradient", True) for t in view._terms):
        warnings.warn("minimize assumes the field is an energy gradient; a learned demag field is not, and "
                      "near an instability minimize can leave a minimum early: relax() follows damped "
                      "dynamics (docs/unet.md, 'MH loops: minimize ...')", stacklevel=3)
    tau = torch.full(batch + (1, 1, 1, 1), 1e-2, dtype=m.dtype, device=m.device)
    quiet = torch.zeros(batch, dtype=torch.long, device=m.device)
    floor = 256 * torch.finfo(m.dtype).eps
    for step in range(1, max_steps + 1):
        m_new = normalize(m - tau * g)
        g_new = descent(m_new)
        s, y = m_new - m, g_new - g
        m, g = m_new, g_new
        calm = (norm(s).amax(dim=CELLS) < stop) | (norm(g).amax(dim=CELLS) < floor)
        quiet = torch.where(calm, quiet + 1, 0)
        done = quiet >= samples
        if bool(done.all()):
            view._store(m)
            if not batch:
                return step
            result[members] = step
            return result
        sy, ss, yy = ((a * b).sum(dim=VECTOR_CELLS, keepdim=True) for a, b in ((s, y), (s, s), (y, y)))
        bb = ss / sy if step % 2 else sy / yy
        # negative curvature along the last step: move on faster
        tau = torch.where(sy > 0, bb, torch.clamp(2 * tau, max=1.0))
        if bool(done.any()):  # an ensemble: systems that stopped leave the batch
            flags = done.tolist()
            finished = [k for k, f in enumerate(flags) if f]
            target._subset([members[k] for k in finished])._store(m[finished])
            result[[members[k] for k in finished]] = step
            keep = [k for k, f in enumerate(flags) if not f]
            members = [members[k] for k in keep]
            view = target._subset(members)
            free = view.assemble().free
            m, g, tau, quiet, scale = (x[keep] for x in (m, g, tau, quiet, scale))
    view._store(m)
    raise ConvergenceError(f"minimize did not converge in {max_steps} steps ({len(members) if batch else 1} system(s) "
                           "still moving); try relax() or a larger max_steps", result if batch else 0)


