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
from .run import _next_save, _row, stable_dt

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


def run_adjoint(system, duration, method, dt, tol, save_every):
    """Integrate for ``duration`` (s) with ``method`` ("rk4" with step ``dt``, or the adaptive
    "rk45"/"rk23" with error tolerance ``tol``); returns a Table with rows at ``save_every``
    and the end, and ``final_m``, the end state with its adjoint backward pass."""
    if math.isinf(duration):
        raise PymagError("run(adjoint=True) needs a duration (s): the adjoint integrates back from a fixed end time")
    odeint_adjoint = _odeint_adjoint()
    rhs = LLG(system)
    params = tuple(leaves([*tensors_in(rhs, depth=1), *system.leaves]))
    m0 = system.m
    if not params and not m0.requires_grad:
        raise PymagError("run(adjoint=True): nothing requires gradients; give a material value, parameter, "
                         "field or the initial m as a tensor with requires_grad=True")
    t0 = system.t
    times = [t0]
    next_save = _next_save(t0, t0, save_every)
    while next_save is not None and next_save < t0 + duration * (1 - 1e-12):
        times.append(next_save)
        next_save += save_every
    times.append(t0 + duration)
    ts = torch.tensor(times, dtype=m0.dtype, device=m0.device)

    def f(t, m):
        return rhs(float(t.detach()), m)[0]

    if method == "rk4":
        step = dt if dt is not None else stable_dt(system)
        options = dict(method="rk4", options={"step_size": step}, adjoint_options={"step_size": step})
    else:
        options = dict(method=METHODS[method], rtol=0.0, atol=tol, options={"norm": max_abs},
                       adjoint_rtol=0.0, adjoint_atol=tol, adjoint_options={"norm": "seminorm"})
    ms = odeint_adjoint(f, m0, ts, adjoint_params=params, **options)
    final = normalize(ms[-1])
    table = Table()
    for t, m in zip(times, ms):
        table.append(_row(system, t, m.detach()))
    system._store(final, times[-1])
    table.stop_reason = "time"
    table.steps = None
    table.final_m = final
    return table
