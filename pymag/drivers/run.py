"""system.run: integrate the LLG equation, record a table, stop on conditions, autosave."""
import math

import torch

from ..errors import PymagError
from ..io.table import Table
from ..units import mu0
from .integrators import STEPPERS, FixedStep, hermite
from ..vec import cross, norm
from .llg import LLG, moving_cells
from .progress import progress_bar


def stable_dt(system):
    """A time step (s) inside RK4's stability region: 2 / the largest precession rate,
    bounded above by exchange, anisotropy, demag (Ms) and the applied fields."""
    ctx = system.assemble()
    Ms = ctx.Ms
    inv = ctx.inv_Ms
    h = torch.zeros_like(Ms)
    if ctx.materials.has("A"):
        A = ctx.param("A", "stable_dt")
        h += 2 * A * inv / mu0 * sum(4 / c**2 for c, n in zip(system.mesh.cell, system.mesh.n) if n > 1)
    for key in ("Ku", "Kc"):
        if ctx.materials.has(key):
            h += 2 * ctx.param(key, "stable_dt").abs() * inv / mu0
    H = norm(system.total_field(system.m, system.t))
    rate = float((ctx.param("gamma", "stable_dt") * (h + Ms + H)).detach().max())
    return 2.0 / rate


def _row(system, t, m, H=None):
    """One table row: t, <m>, energies per term and their total."""
    system.t = t
    with torch.no_grad():
        energies = {f"E_{term.name}": float(term.energy(m, t)) for term in system._terms_at(t) if term.conservative}
    mx, my, mz = system.average(m)
    row = {"t": t, "mx": mx, "my": my, "mz": mz, "E_total": sum(energies.values())}
    row.update(energies)
    return row


def run(system, duration=None, method="rk45", dt=None, tol=1e-5, save_every=None, until=None,
        check_every=10, max_torque=None, progress=True, autosave=None, autosave_every=1000,
        max_steps=None, differentiable=False, adjoint=False, checkpoint_every=None, precession=True):
    """Integrate the LLG equation for ``duration`` (s) and return a pm.Table. Without a
    duration the run goes on until ``until`` or ``max_torque`` stops it (or ``max_steps``).

    method: "rk45" (adaptive Dormand-Prince, max error ``tol`` per step, ``dt`` the first
    step), "rk23" (adaptive Bogacki-Shampine), "rk4" or "heun" (fixed step ``dt``, default
    a stable estimate). With a thermal field the noise is drawn once per step and held over
    it; "heun" is the usual choice for the stochastic LLG equation.
    save_every: table interval (s); rows at exactly those times (Hermite interpolation)
    plus the start and the end. Columns t, mx, my, mz, E_total, E_<term> (s, 1, J).
    until: callable(system) -> bool, checked every ``check_every`` steps; stops when True.
    max_torque: stop when max |m x H| falls below this (A/m), checked every ``check_every`` steps.
    autosave: checkpoint path written every ``autosave_every`` steps; after
    ``system.load_state(path)`` the same ``run`` call continues where it stopped.
    max_steps: hard cap on the number of steps (PymagError when reached).
    differentiable: record the steps for autograd, so that a loss of ``table.final_m`` (the
    end state, a tensor) can be differentiated by every tensor with ``requires_grad`` the
    system was built from (material values, parameters, fields, the initial m). Otherwise
    no gradients are recorded and the steps work in place.
    adjoint: differentiate by the adjoint-state method instead (torchdiffeq's
    ``odeint_adjoint``): memory independent of the number of steps, the backward pass
    integrating the adjoint equations back in time. Rows at ``save_every`` and the end.
    checkpoint_every: with ``adjoint``, the spacing (s) of the forward states kept for the
    backward pass (default: short enough that damped modes, which grow when integrated
    backward, grow at most 1e4-fold between two; see ``pymag.drivers.adjoint``).
    precession: False integrates the damping term alone, dm/dt = -gamma alpha/(1+alpha^2)
    m x (m x H) plus the torque terms (OOMMF's ``do_precess 0``).
    """
    if duration is None:
        if until is None and max_torque is None:
            raise PymagError("run() without a duration needs a stop condition: until= or max_torque=")
        duration = math.inf
    elif not (duration >= 0 and math.isfinite(duration)):
        raise PymagError(f"run duration must be a finite time >= 0 (s), got {duration}")
    if method not in STEPPERS:
        raise PymagError(f"unknown method {method!r}; choose one of {sorted(STEPPERS)}")
    if save_every is not None and not save_every > 0:
        raise PymagError(f"save_every must be > 0 (s), got {save_every}")
    if check_every < 1:
        raise PymagError("check_every must be >= 1 step")
    if differentiable or adjoint:
        _check_differentiable(system)
    if adjoint and not precession:
        raise PymagError("adjoint runs integrate the full LLG equation: precession=False is not supported there")
    if adjoint:
        from .adjoint import run_adjoint
        return run_adjoint(system, duration, method, dt, tol, save_every, checkpoint_every)
    with torch.enable_grad() if differentiable else torch.no_grad():
        return _integrate(system, duration, method, dt, tol, save_every, until, check_every, max_torque,
                          progress, autosave, autosave_every, max_steps, precession)


def _check_differentiable(system):
    """PymagError when a term cannot be differentiated (a random field, a compiled TensorRT engine)."""
    system._fresh()
    for term in system._terms:
        if not term.differentiable:
            raise PymagError(f"term {term.name!r} ({type(term).__name__}) cannot be differentiated; remove it "
                             f"(system.remove({term.name!r})) for gradient runs")
        provider = getattr(term, "provider", None)
        if provider is not None and not provider.differentiable:
            raise PymagError(f"term {term.name!r}: the {provider.name!r} demag provider cannot be differentiated; "
                             "use Demag(method='fft') or 'unet' for differentiable runs")


def _integrate(system, duration, method, dt, tol, save_every, until, check_every, max_torque, progress,
               autosave, autosave_every, max_steps, precession):
    system.assemble()
    rhs = LLG(system, precession=precession)
    moving = moving_cells(system, rhs)
    if issubclass(STEPPERS[method], FixedStep):
        stepper = STEPPERS[method](rhs, dt if dt is not None else STEPPERS[method].stability * stable_dt(system))
    else:
        stepper = STEPPERS[method](rhs, tol=tol, dt=dt)

    t0, table = system.t, Table()
    pending = system._pending_run
    system._pending_run = None
    if pending is not None and math.isclose(pending["duration"], duration, rel_tol=1e-12):
        t0 = pending["start"]
        table = Table(pending["table"])
        stepper.dt = pending.get("dt") or stepper.dt
    t_end = t0 + duration
    t, m = system.t, system.m.clone()
    f, H = stepper.start(t, m)
    if len(table) == 0:
        table.append(_row(system, t, m))
    saver = system._autosave
    if saver is not None:
        for ts in saver.due(t, t):
            saver.save(system, _row(system, ts, m), m)
    next_save = _next_save(t0, t, save_every)

    bar = _progress(progress, duration, t - t0)
    shown = 1e12 * (t - t0)  # ps on the bar, kept within its total
    steps, stop_reason = 0, "time"
    try:
        while t < t_end * (1 - 1e-14) - 1e-30:
            limit = t_end - t
            t1, m1, f1, H1 = stepper.step(t, m, f, limit)
            while next_save is not None and next_save <= t1 * (1 + 1e-12) and next_save < t_end * (1 - 1e-12):
                table.append(_row(system, next_save, hermite(t, m, f, t1, m1, f1, next_save)))
                next_save += save_every
            if saver is not None:
                for ts in saver.due(t, t1):
                    mi = m1 if ts >= t1 else hermite(t, m, f, t1, m1, f1, ts)
                    saver.save(system, _row(system, ts, mi), mi)
            done = min(1e12 * (t1 - t0), 1e12 * duration)
            bar.update(done - shown)
            shown = done
            t, m, f, H = t1, m1, f1, H1
            system._store(m, t)
            steps += 1
            if steps % check_every == 0:
                if max_torque is not None and float((norm(cross(m, H)) * moving).max()) <= max_torque:
                    stop_reason = "max_torque"
                    break
                if until is not None and until(system):
                    stop_reason = "until"
                    break
            if autosave is not None and steps % autosave_every == 0:
                system.save_state(autosave, run={"start": t0, "duration": duration, "dt": stepper.dt,
                                                 "table": table.to_dict()})
            if max_steps is not None and steps >= max_steps:
                raise PymagError(f"run stopped after max_steps={max_steps} steps at t={t:.4g} s")
    finally:
        bar.close()
        system._store(m, t)
    table.append(_row(system, t, m))
    if autosave is not None:
        system.save_state(autosave, run=None)
    table.stop_reason = stop_reason
    table.steps = steps
    table.final_m = m
    return table


def _next_save(t0, t, save_every):
    if save_every is None:
        return None
    k = math.floor((t - t0) / save_every * (1 + 1e-12)) + 1
    return t0 + k * save_every


def _progress(enabled, duration, done):
    """A bar in simulated picoseconds."""
    if math.isinf(duration):
        return progress_bar(enabled, None, 1e12 * done, unit="ps", bar_format="{n:.1f} ps [{elapsed}]")
    return progress_bar(enabled, 1e12 * duration, 1e12 * done, unit="ps",
                        bar_format="{l_bar}{bar}| {n:.1f}/{total:.1f} ps [{elapsed}<{remaining}]")
