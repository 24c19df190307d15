"""system.run(adjoint=True): the LLG equation integrated by torchdiffeq's ``odeint_adjoint``.

The gradient of a loss of the end state comes from the adjoint-state method (seed 003,
eq. 27-30): the backward pass integrates the state, its adjoint and the parameter
gradients back from the end time, so memory does not grow with the number of steps.
"""
import math

import torch

from ..autodiff import leaves, tensors_in
from ..errors import PymagError
from ..io.table import Table
from .llg import LLG, normalize
from .run import _row, stable_dt

# pymag's steppers and their torchdiffeq names
METHODS = {"rk4": "rk4", "rk45": "dopri5", "rk23": "bosh3"}


def _odeint_adjoint():
    try:
        from torchdiffeq import odeint_adjoint
    except ImportError:
        raise PymagError("run(adjoint=True) needs torchdiffeq: pip install torchdiffeq") from None
    return odeint_adjoint


def max_abs(x):
    """The error norm of pymag's adaptive steppers: the largest component."""
    return x.abs().max()


def run_adjoint(system, duration, method, dt, tol, save_every, checkpoint_every=None):
    """Integrate for ``duration`` (s) with ``method`` ("rk4" with step ``dt``, or the adaptive
    "rk45"/"rk23" with error tolerance ``tol``); returns a Table with rows at ``save_every``
    and the end, and ``final_m``, the end state with its adjoint backward pass.

    The backward pass integrates m back in time beside the adjoint state; there damping
    turns into growth (of the stiffest exchange modes at rate alpha gamma H_max), so the
    states at checkpoints every ``checkpoint_every`` (s) are kept from the forward pass and
    the backward pass restarts from each. By default the checkpoints are as far apart as
    lets those modes grow by at most ``BACKWARD_GROWTH``: ln(BACKWARD_GROWTH) / (alpha_max
    gamma H_max), with gamma H_max = 2 / stable_dt. Memory grows with their number, not with
    the number of steps. For rk4, saves and checkpoints fall on the step grid.
    """
    if math.isinf(duration):
        raise PymagError("run(adjoint=True) needs a duration (s): the adjoint integrates back from a fixed end time")
    if method not in METHODS:
        raise PymagError(f"run(adjoint=True) integrates with {sorted(METHODS)}, not {method!r}")
    if checkpoint_every is not None and not checkpoint_every > 0:
        raise PymagError(f"checkpoint_every must be > 0 (s), got {checkpoint_every}")
    odeint_adjoint = _odeint_adjoint()
    rhs = LLG(system)
    params = tuple(leaves([*tensors_in(rhs, depth=1), *system.leaves]))
    m0 = system.m
    if not params and not m0.requires_grad:
        raise PymagError("run(adjoint=True): nothing requires gradients; give a material value, parameter, "
                         "field or the initial m as a tensor with requires_grad=True")
    t0, t_end = system.t, system.t + duration
    step = (dt if dt is not None else stable_dt(system)) if method == "rk4" else None
    if checkpoint_every is None:
        checkpoint_every = _checkpoint_interval(system)
    saves = _grid(t0, t_end, save_every, step)
    times = sorted({t0, t_end, *saves, *_grid(t0, t_end, checkpoint_every, step)})
    ts = torch.tensor(times, dtype=m0.dtype, device=m0.device)

    def f(t, m):
        return rhs(float(t.detach()), m)[0]

    if method == "rk4":
        options = dict(method="rk4", options={"step_size": step}, adjoint_options={"step_size": step})
    else:
        options = dict(method=METHODS[method], rtol=0.0, atol=tol, options={"norm": max_abs},
                       adjoint_rtol=0.0, adjoint_atol=tol, adjoint_options={"norm": "seminorm"})
    ms = odeint_adjoint(f, m0, ts, adjoint_params=params, **options)
    final = normalize(ms[-1])
    rows = {t0, t_end, *saves}
    table = Table()
    for t, m in zip(times, ms):
        if t in rows:
            table.append(_row(system, t, m.detach()))
    system._store(final, t_end)
    table.stop_reason = "time"
    table.steps = None
    table.final_m = final
    return table


BACKWARD_GROWTH = 1e4   # the most a perturbation may grow between checkpoints on the backward pass


def _checkpoint_interval(system):
    """Checkpoint spacing (s): the time in which the stiffest damped mode grows by
    BACKWARD_GROWTH when integrated backward (infinite without damping)."""
    alpha = float(system.assemble().param("alpha", "run(adjoint=True)").detach().max())
    if alpha == 0:
        return math.inf
    rate = alpha * 2.0 / stable_dt(system)
    return math.log(BACKWARD_GROWTH) / rate


def _grid(t0, t_end, every, step):
    """Times t0 + k every inside (t0, t_end), on the multiples of ``step`` from t0 when given."""
    if every is None or math.isinf(every):
        return []
    if step is not None:
        every = max(1, round(every / step)) * step
    out, k = [], 1
    while t0 + k * every < t_end * (1 - 1e-12):
        out.append(t0 + k * every)
        k += 1
    return out
