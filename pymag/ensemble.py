"""Ensemble: B systems on one mesh integrated as one batched tensor (B, 3, nx, ny, nz).

The systems may differ in geometry, materials, applied fields and state; they must share
the mesh, dtype, device and the kinds of terms (in the same order). Each term is stacked
once (``Term.stack``), so one field evaluation serves the whole batch; a term that reads
time-dependent values is set up at each system's own time and stacked again when the times
change.
"""
import math
from dataclasses import dataclass

import numpy as np
import torch

from .drivers.integrators import STEPPERS, hermite
from .drivers.llg import LLG
from .errors import PymagError
from .system import System
from .terms.base import add_torques, begin_step, total_energy, total_field


class _Context:
    """What the LLG right-hand side reads from an assembly, batched over systems."""

    def __init__(self, contexts):
        self._contexts = contexts

    def param(self, key, needed_by):
        """Per-cell values of material ``key`` of every system, shape (B, 1, nx, ny, nz)."""
        values = torch.stack([c.param(key, needed_by) for c in self._contexts])
        return values.unsqueeze(1)

    def time_dependent(self, key):
        """True when material ``key`` changes with time in some system."""
        return any(c.time_dependent(key) for c in self._contexts)

    @property
    def free(self):
        """1 on the cells of every system that may move, 0 on frozen ones (``System.fix``),
        shape (B, 1, nx, ny, nz); None when no system has frozen cells."""
        if all(c.free is None for c in self._contexts):
            return None
        return torch.stack([c.magnet.to(c.Ms.dtype) if c.free is None else c.free
                            for c in self._contexts]).unsqueeze(1)


class _Rhs:
    """The right-hand side of a batch as it is now (``llg`` is replaced when systems leave)."""

    def __init__(self, llg):
        self.llg = llg

    def __call__(self, t, m):
        return self.llg(t, m)

    def begin_step(self, t, dt, redraw):
        return self.llg.begin_step(t, dt, redraw)


@dataclass
class EnsembleRun:
    """What ``Ensemble.run`` did: the number of steps, the end time (s), which systems met
    ``until`` (bool array (B,)) and when (s; NaN for those that did not)."""

    steps: int
    t: float
    done: np.ndarray
    t_done: np.ndarray


class _RunState:
    """Where an ``Ensemble.run`` stands: each system's start time ``t0`` (s, array (B,)), the
    time run by each system ``t`` (s, array (B,)), the systems still moving, their step sizes
    ``dt`` (s; None before the first step), the steps taken, which systems met ``until``
    (``done``) and when, and
    whether each member's last step was accepted (``redraw``: a thermal field then draws new
    noise; None before the first step)."""

    def __init__(self, t0, t, members, dt, steps, done, t_done, redraw=None):
        self.t0, self.t, self.members, self.dt = t0, t, members, dt
        self.steps, self.done, self.t_done, self.redraw = steps, done, t_done, redraw

    @classmethod
    def fresh(cls, t0, B):
        return cls(t0, np.zeros(B), list(range(B)), None, 0, np.zeros(B, bool), np.full(B, math.nan))

    @classmethod
    def resume(cls, record, duration, tol, B):
        """The state a checkpoint's ``record`` holds, or None when it is of another run."""
        if record is None or len(record["t"]) != B or (record["duration"], record["tol"]) != (duration, tol):
            return None
        dt = None if record["dt"] is None else np.array(record["dt"], dtype=float)
        redraw = None if record.get("redraw") is None else np.array(record["redraw"], dtype=bool)
        t0 = np.broadcast_to(np.asarray(record["t0"], dtype=float), (B,)).copy()
        return cls(t0, np.array(record["t"], dtype=float), list(record["members"]), dt,
                   record["steps"], np.array(record["done"], dtype=bool), np.array(record["t_done"], dtype=float),
                   redraw)

    def record(self, duration, tol):
        """The checkpoint's record of this state (plain numbers and lists)."""
        return {"duration": duration, "tol": tol, "t0": self.t0.tolist(), "t": self.t.tolist(), "members": list(self.members),
                "dt": None if self.dt is None else np.asarray(self.dt).tolist(), "steps": self.steps,
                "done": self.done.tolist(), "t_done": self.t_done.tolist(),
                "redraw": None if self.redraw is None else np.asarray(self.redraw).tolist()}


class _Samples:
    """The states an ensemble run hands to ``on_state`` at the sample ``times`` (s): each
    system fills its slot of a time when its own steps pass it; a time is handed over
    (in order) once every system has filled it. A system that stops fills the rest with
    its last state."""

    def __init__(self, times, on_state, like):
        self.times, self.on_state, self.like = times, on_state, like
        self.next = np.zeros(len(like), dtype=int)  # the next time each system has to fill
        self.states, self.filled = {}, {}

    def reach(self, j, t, state, last):
        """System ``j`` has run to ``t`` (s), where its state is ``last``; ``state(time)`` gives
        its state at an earlier time."""
        while self.next[j] < len(self.times) and self.times[self.next[j]] <= t:
            at = self.times[self.next[j]]
            self._fill(self.next[j], j, last if at >= t else state(at))
        self._hand_over()

    def leave(self, systems):
        """Systems ``systems`` stopped: their remaining slots get their last state."""
        for j in systems:
            while self.next[j] < len(self.times):
                self._fill(self.next[j], j, self.like[j])
        self._hand_over()

    def _fill(self, k, j, state):
        if k not in self.states:
            self.states[k] = self.like.clone()
            self.filled[k] = np.zeros(len(self.like), dtype=bool)
        self.states[k][j] = state
        self.filled[k][j] = True
        self.next[j] = k + 1

    def _hand_over(self):
        while self.states:
            k = min(self.states)
            if not self.filled[k].all():
                return
            self.on_state(self.times[k], self.states.pop(k))
            del self.filled[k]


class Ensemble:
    """``Ensemble(systems)``: run B systems on one mesh as one tensor."""

    def __init__(self, systems):
        systems = list(systems)
        if not systems or not all(isinstance(s, System) for s in systems):
            raise PymagError("Ensemble needs a non-empty list of pm.System objects")
        first = systems[0]
        for i, s in enumerate(systems[1:], 1):
            if (tuple(s.mesh.n), tuple(s.mesh.cell), tuple(s.mesh.pbc)) != \
                    (tuple(first.mesh.n), tuple(first.mesh.cell), tuple(first.mesh.pbc)):
                raise PymagError(f"system {i} is on mesh {s.mesh}, system 0 on {first.mesh}: "
                                 "an ensemble needs one mesh")
            if (s.dtype, s.device) != (first.dtype, first.device):
                raise PymagError(f"system {i} is {s.dtype} on {s.device}, system 0 {first.dtype} on "
                                 f"{first.device}: an ensemble needs one dtype and device")
            kinds = [(type(t), t.name) for t in s.terms]
            if kinds != [(type(t), t.name) for t in first.terms]:
                raise PymagError(f"system {i} has terms {[t.name for t in s.terms]}, system 0 "
                                 f"{[t.name for t in first.terms]}: an ensemble needs the same terms in the same order")
        self.systems = systems
        self.mesh = first.mesh
        self._key = None
        self._terms = []
        self._dynamic, self._at = [], (None, [])
        self._context = None
        self._pending_sweep = None
        self._pending_run = None

    def __len__(self):
        return len(self.systems)

    def assemble(self):
        """Assemble every system and stack their terms (again only after a system changed)."""
        contexts = [s.assemble() for s in self.systems]
        key = tuple(id(c) for c in contexts)
        if key != self._key:
            groups = list(zip(*(s._terms for s in self.systems)))
            self._terms = [type(group[0]).stack(list(group)) for group in groups]
            self._dynamic = [k for k, group in enumerate(groups) if any(t._dynamic for t in group)]
            self._at = (None, self._terms)
            self._context = _Context(contexts)
            self._key = key
        return self._context

    def _terms_at(self, t):
        """The batched terms at time ``t`` (s; a number, or one time per system): those that read
        time-dependent values are set up at each system's own time and stacked again."""
        self.assemble()
        if not self._dynamic:
            return self._terms
        times = np.broadcast_to(np.asarray(t, dtype=float), (len(self.systems),))
        if self._at[0] is None or not np.array_equal(self._at[0], times):
            terms = list(self._terms)
            for k in self._dynamic:
                terms[k] = type(terms[k]).stack([s._terms_at(float(ti))[k] for s, ti in zip(self.systems, times)])
            self._at = (times.copy(), terms)
        return self._at[1]

    @property
    def m(self):
        """The systems' magnetizations stacked, tensor (B, 3, nx, ny, nz)."""
        return torch.stack([s.m for s in self.systems])

    @property
    def t(self):
        """The latest of the systems' times (s)."""
        return max(s.t for s in self.systems)

    @property
    def magnet(self):
        """Magnetic cells of every system, bool tensor (B, nx, ny, nz)."""
        return torch.stack([s.magnet for s in self.systems])

    def term(self, name):
        """The batched term called ``name`` (one object for all systems)."""
        self.assemble()
        for term in self._terms:
            if term.name == name:
                return term
        raise PymagError(f"no term named {name!r}; terms: {[t.name for t in self._terms]}")

    def _energy(self, m):
        """Total energy (J) of each system of the batch ``m``, tensor (B,)."""
        self.assemble()
        return total_energy(self._terms_at(self._clock()), m, self.t)

    def _clock(self):
        """Each system's own time (s), array (B,): where drivers that do not advance time
        evaluate the terms."""
        return np.array([s.t for s in self.systems])

    def _Ms_max(self):
        """Largest Ms (A/m) of each system, tensor (B, 1, 1, 1, 1)."""
        return torch.stack([s.Ms.max() for s in self.systems]).reshape(-1, 1, 1, 1, 1)

    def _subset(self, index):
        """The ensemble of the systems at positions ``index`` (a list of ints)."""
        return Ensemble([self.systems[i] for i in index])

    def _store(self, m, t=None):
        """Hand each system its slice of the batch ``m`` (and the time ``t``, s)."""
        for i, s in enumerate(self.systems):
            s._store(m[i].clone(), t)

    def set_demag(self, method, **options):
        """Switch every system's demag provider (see ``System.set_demag``)."""
        for s in self.systems:
            s.set_demag(method, **options)

    def total_field(self, m, t):
        """Effective field (A/m) of the batch ``m`` (B, 3, nx, ny, nz)."""
        return total_field(self._terms_at(t), m, t)

    def add_torques(self, dm, m, t):
        """Add the torque terms' dm/dt (1/s) of the batch ``m`` to ``dm`` in place."""
        add_torques(self._terms_at(t), dm, m, t)

    def begin_step(self, t, dt, redraw):
        """A step of every system from ``t`` of size ``dt`` (s, arrays (B,)) begins; True when a
        torque term changed for it (see ``pymag.terms.base.Torque.begin_step``)."""
        changed = begin_step(self._terms, t, dt, redraw)
        if changed:  # the terms stacked again at a time hold what the step changed
            self._at = (None, self._terms)
        return changed

    @torch.no_grad()
    def run(self, duration, tol=1e-5, at=(), on_state=None, until=None, check_every=10, max_steps=None,
            autosave=None, autosave_every=1000):
        """Integrate the LLG equation of every system for ``duration`` (s) with adaptive
        Dormand-Prince steps, each system with its own step size and error test (max error
        ``tol`` per step), so each follows the trajectory it would follow alone. A system
        that has finished leaves the batch and the others go on without carrying it.

        at, on_state: times (s, from the start) at which ``on_state(t, m)`` receives the
        interpolated batch m (B, 3, nx, ny, nz).
        until: callable(m, H) -> bool array (B,), checked every ``check_every`` steps on the
        whole batch; a system for which it is True stops moving (its state stays as it
        was), and the run ends early once every system has stopped.
        max_steps: end the run after this many steps of the batch.
        autosave: checkpoint path written every ``autosave_every`` steps and at the end; after
        ``load_state(path)`` the same call goes on where it stopped (or, if it had finished,
        returns what it did) and gives the result an uninterrupted run gives. Not with ``at``.
        The final states are written back to the systems. Returns an ``EnsembleRun``.
        """
        if not (duration >= 0 and math.isfinite(duration)):
            raise PymagError(f"run duration must be a finite time >= 0 (s), got {duration}")
        times = sorted(float(x) for x in at)
        if times and (times[0] < 0 or times[-1] > duration):
            raise PymagError(f"sample times must lie in [0, {duration}] s")
        if times and on_state is None:
            raise PymagError("sample times were given (at=) but no on_state callable to receive the states")
        if autosave is not None and (times or autosave_every < 1):
            raise PymagError("autosave needs autosave_every >= 1 steps and no sample times (at=): "
                             "the states handed over before a stop could not be handed over again")
        self.assemble()
        B = len(self.systems)
        latest = self.m.clone()  # every system's state, the stopped ones included
        fields = torch.zeros_like(latest)
        run = _RunState.resume(self._pending_run, duration, tol, B) or _RunState.fresh(self._clock(), B)
        self._pending_run = None
        members = list(run.members)
        m = latest[members]
        rhs = _Rhs(LLG(self if len(members) == B else self._subset(members)) if members else None)
        stepper = STEPPERS["rk45"](rhs, tol=tol, per_system=True, dt=run.dt)
        if run.redraw is not None:
            stepper.redraw = run.redraw
        t = run.t[members]  # time run by each member (s)
        t0 = run.t0[members]  # and its start time (s)
        if members:
            f, H = stepper.start(t0 + t, m)
        samples = _Samples(times, on_state, latest)
        for j in members:
            samples.reach(j, 0.0, None, latest[j])
        if not duration > 0:
            members = []
        while members:
            h, ok, y, f1, H1 = stepper.attempt(t0 + t, m, f, duration - t)
            for i in np.flatnonzero(ok) if times else ():
                samples.reach(members[i], t[i] + h[i],
                              lambda at, i=i: hermite(t[i], m[i], f[i], t[i] + h[i], y[i], f1[i], at), y[i])
            if ok.all():
                m, f, H = y, f1, H1
            else:
                keep = torch.as_tensor(ok, device=m.device).reshape(-1, 1, 1, 1, 1)
                m, f, H = torch.where(keep, y, m), torch.where(keep, f1, f), torch.where(keep, H1, H)
            t = np.where(ok, t + h, t)
            run.steps += 1
            leaving = t >= duration * (1 - 1e-14)
            if until is not None and run.steps % check_every == 0:
                latest[members], fields[members] = m, H
                hit = np.asarray(until(latest, fields), dtype=bool)
                if hit.shape != (B,):
                    raise PymagError(f"until must return one bool per system, shape ({B},), got {hit.shape}")
                hit = hit[members] & ~leaving
                run.done[np.asarray(members)[hit]] = True
                run.t_done[np.asarray(members)[hit]] = t[hit]
                leaving |= hit
            if max_steps is not None and run.steps >= max_steps:
                leaving[:] = True
            latest[members], run.t[members] = m, t
            if leaving.any():
                gone = np.flatnonzero(leaving)
                samples.leave([members[i] for i in gone])
                stay = np.flatnonzero(~leaving)
                members = [members[i] for i in stay]
                if members:
                    rhs.llg = LLG(self._subset(members))
                    stepper.dt, stepper.redraw = stepper.dt[stay], np.broadcast_to(stepper.redraw, leaving.shape)[stay]
                    m, f, H, t, t0 = m[stay], f[stay], H[stay], t[stay], t0[stay]
            if autosave is not None and (not members or run.steps % autosave_every == 0):
                run.members, run.dt = members, stepper.dt if members else None
                run.redraw = np.broadcast_to(stepper.redraw, (len(members),)) if members else None
                self._write_back(latest, run)
                self.save_state(autosave, run=run.record(duration, tol))
        self._write_back(latest, run)
        return EnsembleRun(run.steps, float((run.t0 + run.t).max()), run.done, run.t_done)

    def _write_back(self, latest, run):
        """Hand each system its state of ``latest`` and its time (s) in the ``run``."""
        for s, mi, t0, ti in zip(self.systems, latest, run.t0, run.t):
            s._store(mi.clone(), float(t0 + ti))

    def relax(self, **options):
        """Relax every system (damping-only dynamics, see drivers.relax), each with its own
        steps and stopping; returns the step at which each stopped, numpy array (B,)."""
        from .drivers.relax import relax
        return relax(self, **options)

    def minimize(self, **options):
        """Minimize every system's energy, each with its own Barzilai-Borwein steps (see
        drivers.minimize); returns the step at which each stopped, numpy array (B,)."""
        from .drivers.minimize import minimize
        return minimize(self, **options)

    def hysteresis(self, H, direction=(1, 0, 0), **options):
        """Sweep an applied field ``H`` (A/m) along ``direction`` over every system at once;
        returns one HysteresisResult per system (see drivers.hysteresis)."""
        from .drivers.hysteresis import hysteresis
        return hysteresis(self, H, direction, **options)

    def save_state(self, path, **extra):
        """Write every system's m and t (and ``extra`` bookkeeping) to one checkpoint file."""
        from .io.checkpoint import save_checkpoint
        save_checkpoint(path, {"m": self.m.detach().cpu(), "t": [s.t for s in self.systems],
                               "n": list(self.mesh.n), "terms": [s._term_state() for s in self.systems], **extra})

    def load_state(self, path):
        """Restore every system's m and t from ``save_state``; an interrupted ``hysteresis``
        then goes on when called again with the same sweep. Returns the checkpoint dict."""
        from .io.checkpoint import load_checkpoint
        data = load_checkpoint(path)
        if list(data.get("n", [])) != list(self.mesh.n) or len(data.get("t", [])) != len(self):
            raise PymagError(f"checkpoint {path} holds {len(data.get('t', []))} systems on a mesh of "
                             f"{data.get('n')} cells; this ensemble has {len(self)} on {list(self.mesh.n)}")
        for s, m, t, states in zip(self.systems, data["m"], data["t"], data.get("terms") or [None] * len(self)):
            s._restore(m, t)
            s._load_term_state(states)
        self._pending_sweep = data.get("hysteresis")
        self._pending_run = data.get("run")
        return data
