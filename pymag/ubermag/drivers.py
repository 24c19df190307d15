"""pymag's drivers for ubermag: ``micromagneticmodel.ExternalDriver`` subclasses that run a
``micromagneticmodel.System`` in this process and write what micromagneticdata reads."""
import math
import pathlib
import shutil
import tempfile
import warnings

import micromagneticmodel as mm
import numpy as np
import torch
import ubermagtable as ut

from ..drivers.llg import LLG
from ..errors import ConvergenceError, PymagError
from ..io.ovf import load_ovf
from ..vec import norm
from . import evolvers
from .output import check_format, field_columns, save_step, write_record, write_table
from .translate import Translation


class CalculatorValueError(PymagError, ValueError):
    """A drive argument pymag cannot take."""


class CalculatorTypeError(PymagError, TypeError):
    """An evolver of the wrong kind for the driver."""


class CalculatorRuntimeError(PymagError, RuntimeError):
    """A system the driver cannot run."""


COMMON = {"fixed_subregions", "n_threads", "save", "overwrite"}
MINIMIZE_STOP = 1e-6          # minimize's per-step |dm| stop (mumax3's MinimizerStop)
TIME_TOL = 1e-8              # per-step error of the adaptive steppers: lands on equilibria to ~1e-9 of Ms
SETTLED = 1e-10               # MinDriver's default stop: max |m x H| below this times max(Ms)
OUTPUT_STEPS = 10             # MinDriver(output_step=True): minimization steps between saved states


class Driver(mm.ExternalDriver):
    """Common part of pymag's ubermag drivers.

    Each drive translates the system (``pymag.ubermag.translate``), runs it, writes
    ``<dirname>/<name>/drive-N/`` (info.json, m0.omf, the step files, <name>.odt, the run
    record <name>.mif) and sets ``system.m`` and ``system.table``.
    """

    _allowed_attributes = ["evolver"]
    _drive_kwargs = set()
    _time = False

    def drive(self, system, /, dirname=".", append=True, runner=None, ovf_format="bin8", verbose=1, **kwargs):
        check_format(ovf_format)
        self.drive_kwargs_setup(dict(kwargs))
        if kwargs.get("overwrite"):
            shutil.rmtree(pathlib.Path(dirname, system.name), ignore_errors=True)
        return super().drive(system, dirname=dirname, append=append, runner=runner, ovf_format=ovf_format,
                             verbose=verbose, **kwargs)

    def schedule(self, system, cmd, header, script_name="job.sh", dirname=".", **kwargs):
        """Write the drive's files and a job script that runs it with ``python -m pymag.ubermag``,
        and submit it with ``cmd`` (e.g. "sbatch"); RuntimeError when ``cmd`` cannot be run."""
        try:
            return super().schedule(system, cmd, header, script_name=script_name, dirname=dirname, **kwargs)
        except FileNotFoundError as exc:
            raise CalculatorRuntimeError(f"cannot run the scheduler command {cmd!r}: {exc}") from None

    def schedule_kwargs_setup(self, schedule_kwargs):
        self.drive_kwargs_setup(schedule_kwargs)

    def _schedule_commands(self, system, runner):
        from .jobs import write_job
        return write_job(self, system, "job.pickle")

    def drive_kwargs_setup(self, kwargs):
        unknown = set(kwargs) - COMMON - self._drive_kwargs
        if unknown:
            raise CalculatorValueError(f"{type(self).__name__}.drive got unknown arguments {sorted(unknown)}; "
                                       f"it takes {sorted(COMMON | self._drive_kwargs)}")
        fixed = kwargs.get("fixed_subregions", [])
        if isinstance(fixed, str) or not all(isinstance(name, str) for name in fixed):
            raise CalculatorValueError(f"fixed_subregions must be a list of subregion names, got {fixed!r}")
        n_threads = kwargs.get("n_threads")
        if n_threads is not None and not (isinstance(n_threads, int) and n_threads >= 1):
            raise CalculatorValueError(f"n_threads must be a whole number >= 1, got {n_threads!r}")
        self._check_evolver()
        self._check_kwargs(kwargs)
        self._kwargs = dict(kwargs)

    def _check_kwargs(self, kwargs):
        pass

    def _check_evolver(self):
        evolver = getattr(self, "evolver", None)
        if evolver is None:
            return
        wanted = evolvers.TIME_EVOLVERS if self._time else (evolvers.CGEvolver,)
        if not isinstance(evolver, wanted):
            raise CalculatorTypeError(f"{type(self).__name__} cannot use {type(evolver).__name__}; "
                                      f"it takes {[c.__name__ for c in wanted]}")

    def _check_system(self, system):
        if len(system.energy) == 0:
            raise CalculatorRuntimeError("System's energy is not defined")
        # translated before the drive's folder is made: a term pymag cannot take leaves no folder
        self._translation = Translation(system)

    def _write_input_files(self, system, ovf_format="bin8", **kwargs):
        fixed = kwargs.get("fixed_subregions")
        if fixed:
            self._translation.pm_system.fix(*fixed)
        self._format = ovf_format
        save_step("m0.omf", system, self._translation.m, self._translation.Ms, ovf_format)
        write_record(f"{system.name}.mif", self, self._translation, kwargs)

    def _call(self, system, runner=None, verbose=0, **kwargs):
        threads = torch.get_num_threads()
        if kwargs.get("n_threads"):
            torch.set_num_threads(kwargs["n_threads"])
        try:
            self._rows = []
            self._steps = 0
            self._run(system, self._translation, **kwargs)
            write_table(f"{system.name}.odt", self._rows)
        finally:
            torch.set_num_threads(threads)

    def _read_data(self, system):
        pm_system = self._translation.pm_system
        m = pm_system.m.detach().cpu().numpy()
        system.m.array = np.moveaxis(m * self._translation.Ms, 0, -1)
        system.table = ut.Table.fromfile(f"{system.name}.odt", x=self._x)

    # ----- shared by the drivers -------------------------------------------------------------------
    def _row(self, translation, **extra):
        system = translation.pm_system
        with torch.no_grad():
            energies = {f"E_{name}": value for name, value in system.energies().items()}
        mx, my, mz = system.m_average
        row = dict(extra)
        row.update(mx=mx, my=my, mz=mz, E=sum(energies.values()))
        row.update(energies)
        row.update(field_columns(translation, system.t))
        return row

    def _save(self, source, translation):
        self._steps += 1
        if self._kwargs.get("save", True):
            m = translation.pm_system.m.detach().cpu().numpy()
            save_step(f"{source.name}-{self._steps:06d}.omf", source, m, translation.Ms, self._format)

    def _settle(self, translation, stop_mxHxm=None):
        """Bring the pymag system to equilibrium: minimize, or relax for a RelaxDriver; returns the steps."""
        system = translation.pm_system
        steps = system.minimize(stop=MINIMIZE_STOP)
        stop = MINIMIZE_STOP
        if stop_mxHxm is None:
            stop_mxHxm = SETTLED * float(system.Ms.max())
        with torch.no_grad():
            torque = system.torque()
            while torque > stop_mxHxm and stop > 1e-14:
                stop /= 10
                steps += system.minimize(stop=stop)
                torque = system.torque()
        if torque > stop_mxHxm:
            warnings.warn(f"the minimization ended at max |m x H| = {torque:.3g} A/m, above the stop "
                          f"{stop_mxHxm:.3g} A/m (rounding of the field sets a floor)", stacklevel=2)
        return steps


class MinDriver(Driver):
    """Energy minimization (pymag's ``minimize``).

    Parameters
    ----------
    evolver : CGEvolver, optional
    stopping_mxHxm : float, optional
        Stop once max |m x H| is below this (A/m); default 1e-10 max(Ms). minimize runs with
        its per-step stop 1e-6, then again with ten times smaller stops until then.
    """

    _allowed_attributes = ["evolver", "stopping_mxHxm"]
    _drive_kwargs = {"output_step"}

    @property
    def _x(self):
        return "iteration"

    def _run(self, source, translation, output_step=False, **kwargs):
        system = translation.pm_system
        stop = getattr(self, "stopping_mxHxm", None)
        done = 0
        while output_step:  # a row and a file every OUTPUT_STEPS steps
            try:
                done += system.minimize(stop=MINIMIZE_STOP, max_steps=OUTPUT_STEPS)
                break
            except ConvergenceError:
                done += OUTPUT_STEPS
                self._rows.append(self._row(translation, iteration=done, max_mxHxm=system.torque()))
                self._save(source, translation)
        done += self._settle(translation, stop)
        self._rows.append(self._row(translation, iteration=done, max_mxHxm=system.torque()))
        self._save(source, translation)


class RelaxDriver(MinDriver):
    """Damped relaxation without precession (pymag's ``relax``, alpha = 1, as mumax3's Relax),
    then ``minimize`` from the relaxed state to MinDriver's stop.

    Parameters
    ----------
    evolver : RungeKuttaEvolver, optional
        Accepted for the suite's sake: relax uses its own Bogacki-Shampine pair.
    stopping_mxHxm : float, optional
        Stop once max |m x H| is below this (A/m).
    """

    _drive_kwargs = set()
    _time = True

    def _settle(self, translation, stop_mxHxm=None):
        """relax() follows damped dynamics into the basin; minimize then settles the last digits."""
        steps = translation.pm_system.relax(max_torque=stop_mxHxm)
        return steps + super()._settle(translation, stop_mxHxm)


class TimeDriver(Driver):
    """Time integration of the LLG equation over ``t`` (s) in ``n`` saved steps.

    Parameters
    ----------
    evolver : RungeKuttaEvolver, EulerEvolver, UHH_ThetaEvolver, Xf_ThermHeunEvolver or
        Xf_ThermSpinXferEvolver, optional (see ``pymag.ubermag.evolvers``).
    stopping_dm_dt : float, optional
        End the drive once max |dm/dt| is below this (deg/ns).
    """

    _allowed_attributes = ["evolver", "stopping_dm_dt"]
    _drive_kwargs = {"t", "n"}
    _time = True

    @property
    def _x(self):
        return "t"

    def _check_kwargs(self, kwargs):
        t, n = kwargs.get("t"), kwargs.get("n")
        if t is None or n is None:
            raise CalculatorValueError("TimeDriver.drive needs t (s) and n (the number of saved steps)")
        if not (isinstance(t, (int, float)) and t > 0 and math.isfinite(t)):
            raise CalculatorValueError(f"TimeDriver t must be a finite time > 0 (s), got {t!r}")
        if not (isinstance(n, (int, np.integer)) and n >= 1):
            raise CalculatorValueError(f"TimeDriver n must be a whole number >= 1, got {n!r}")

    def _check_system(self, system):
        if len(system.dynamics) == 0:
            raise CalculatorRuntimeError("System's dynamics is not defined")
        super()._check_system(system)
        evolver = getattr(self, "evolver", None)
        if system.T > 0 and not getattr(evolver, "thermal", False):
            raise CalculatorRuntimeError(
                f"a system at T={system.T} K needs a thermal evolver (UHH_ThetaEvolver, Xf_ThermHeunEvolver or "
                "Xf_ThermSpinXferEvolver): the default evolver takes adaptive steps, which white noise does not allow")

    def _run(self, source, translation, t, n, **kwargs):
        system = translation.pm_system
        evolver = getattr(self, "evolver", None)
        method, dt = evolver.integrator() if evolver is not None else ("rk45", None)
        every = t / n
        stop = getattr(self, "stopping_dm_dt", None)
        until = None if stop is None else _slower_than(system, translation.precession, stop)
        translation.freeze()
        save = self._kwargs.get("save", True)
        with tempfile.TemporaryDirectory(dir=".") as folder:
            if save:
                system.autosave(every, directory=folder, snapshots=True, table=False, fmt="binary8")
            try:
                table = system.run(t, method=method, dt=dt, tol=TIME_TOL, save_every=every, until=until,
                                   progress=False, precession=translation.precession)
            finally:
                system.autosave(None)
            states = [np.asarray(load_ovf(path).array) for path in sorted(pathlib.Path(folder).glob("m*.ovf"))[1:]]
        if save and table.stop_reason != "time":  # stopped early: the final state is the last step
            states.append(system.m.detach().cpu().numpy())
        for m in states:
            self._steps += 1
            save_step(f"{source.name}-{self._steps:06d}.omf", source, m, translation.Ms, self._format)
        for row in list(table.rows())[1:]:
            out = {"t": row["t"], "mx": row["mx"], "my": row["my"], "mz": row["mz"], "E": row["E_total"]}
            out.update((k, v) for k, v in row.items() if k.startswith("E_") and k != "E_total")
            out.update(field_columns(translation, row["t"]))
            self._rows.append(out)


def _slower_than(system, precession, rate):
    """A ``run(until=...)`` test: True once max |dm/dt| < ``rate`` (deg/ns)."""
    llg = LLG(system, precession=precession)
    limit = math.radians(rate) * 1e9     # rad/s

    def slow(s):
        with torch.no_grad():
            return float(norm(llg(s.t, s.m)[0]).max()) < limit
    return slow


class HysteresisDriver(Driver):
    """Hysteresis loop: at each applied field (added to the system's own Zeeman terms) the
    energy is minimized and a row and a magnetization file are saved.

    ``drive(system, Hmin=..., Hmax=..., n=...)`` sweeps Hmax -> Hmin -> Hmax with ``n`` fields
    on each branch; ``drive(system, Hsteps=[(H0, H1, n), ...])`` sweeps each segment with ``n``
    fields, a field shared by two segments visited once (A/m vectors). The table's
    ``B_hysteresis`` (mT) is the applied field along the sweep's strongest field, so it is
    positive at Hmax; ``Bx_hysteresis``, ... its components.
    """

    _allowed_attributes = ["evolver", "stopping_mxHxm"]
    _drive_kwargs = {"Hmin", "Hmax", "n", "Hsteps"}

    @property
    def _x(self):
        return "B_hysteresis"

    def _check_kwargs(self, kwargs):
        self._fields(kwargs)

    @staticmethod
    def _fields(kwargs):
        if "Hsteps" in kwargs:
            if {"Hmin", "Hmax", "n"} & set(kwargs):
                raise CalculatorValueError("give either Hsteps or Hmin, Hmax and n")
            segments = kwargs["Hsteps"]
        elif {"Hmin", "Hmax", "n"} <= set(kwargs):
            segments = [(kwargs["Hmax"], kwargs["Hmin"], kwargs["n"]), (kwargs["Hmin"], kwargs["Hmax"], kwargs["n"])]
        else:
            raise CalculatorValueError("HysteresisDriver.drive needs Hmin, Hmax and n, or Hsteps")
        fields = []
        for segment in segments:
            if len(segment) != 3 or not isinstance(segment[2], (int, np.integer)) or segment[2] < 1:
                raise CalculatorValueError(f"a hysteresis segment is (H0, H1, n) with n >= 1 fields, got {segment!r}")
            H0, H1 = (np.asarray(v, dtype=float) for v in segment[:2])
            if H0.shape != (3,) or H1.shape != (3,):
                raise CalculatorValueError(f"hysteresis fields are 3-vectors (A/m), got {segment!r}")
            points = [H0] if segment[2] == 1 else list(np.linspace(H0, H1, segment[2]))
            if fields and np.allclose(fields[-1], points[0], rtol=1e-12, atol=1e-12):
                points = points[1:]
            fields.extend(points)
        return fields

    def _run(self, source, translation, **kwargs):
        from ..terms.zeeman import Zeeman
        from ..units import mu0
        system = translation.pm_system
        fields = self._fields(kwargs)
        # B_hysteresis: the field along the direction of the strongest field of the sweep
        strongest = max(fields, key=np.linalg.norm)
        u = strongest / np.linalg.norm(strongest) if np.linalg.norm(strongest) > 0 else np.array([0.0, 0.0, 1.0])
        name = system.add(Zeeman(H=fields[0], name="hysteresis"))
        term = system.term(name)
        for H in fields:
            term.set(H=H)
            self._settle(translation, getattr(self, "stopping_mxHxm", None))
            B = 1e3 * mu0 * H
            self._rows.append(self._row(translation, B_hysteresis=float(B @ u), Bx_hysteresis=B[0],
                                        By_hysteresis=B[1], Bz_hysteresis=B[2]))
            self._save(source, translation)
