"""Time dependence of ubermag terms: ``func="sin"/"sinc"`` with ``f`` and ``t0``, a Python
``func`` sampled every ``dt``, or ``tcl_strings`` (OOMMF scripts), as pymag callables of t."""
import math

import numpy as np

from ..errors import PymagError
from .tcl import procedure


def scale_function(term, where, matrix=False):
    """The time factor of ubermag ``term`` as a callable of t (s), or None when it has none.

    Parameters
    ----------
    term : micromagneticmodel term
        Zeeman, ZhangLi or Slonczewski with optional ``func``, ``f``, ``t0``, ``dt`` or
        ``tcl_strings``.
    where : str
        Names the term in errors.
    matrix : bool
        Whether the factor may be a 3x3 matrix (Zeeman: a ``func`` returning nine values or an
        ``Oxs_TransformZeeman`` script) or, for Zeeman's ``Oxs_ScriptUZeeman``, a field.

    Returns
    -------
    callable or None
        g(t) -> (kind, value): kind "scale" (a number multiplying the parameter), "matrix"
        (3x3 numpy array multiplying the vector) or "field" (the field itself, A/m).
    """
    func = _attr(term, "func")
    if func is None:
        func = _attr(term, "wave")
    tcl = _attr(term, "tcl_strings")
    if tcl is not None:
        return _tcl(tcl, where, matrix)
    if func is None:
        return None
    if isinstance(func, str):
        f, t0 = _attr(term, "f"), _attr(term, "t0")
        if f is None or t0 is None:
            raise PymagError(f"{where}: func={func!r} needs f (Hz) and t0 (s)")
        if func == "sin":
            return lambda t: ("scale", math.sin(2 * math.pi * f * (t - t0)))
        x0 = 2 * math.pi * f
        return lambda t: ("scale", _sinc(x0 * (t - t0)))
    dt = _attr(term, "dt")
    if dt is None:
        raise PymagError(f"{where}: a func needs dt (s), the spacing of its samples")
    return Sampled(func, dt, where, matrix)


def _sinc(x):
    return 1.0 if x == 0 else math.sin(x) / x


def given(value):
    """True when an ubermag attribute holds a value (unset ones read as ubermagutil descriptors)."""
    return value is not None and not type(value).__module__.startswith("ubermagutil")


def _attr(term, name):
    value = getattr(term, name, None)
    return value if given(value) else None


def applied(result, value):
    """``value`` (a vector (3,), per-cell vectors (3, nx, ny, nz) or scalars) under a time factor
    ``result`` = (kind, factor) of a ``scale_function``."""
    kind, factor = result
    if kind == "scale":
        return value * factor
    if kind == "matrix":
        return np.einsum("ij,j...->i...", factor, value)
    return np.asarray(factor, dtype=float)  # the field itself (A/m), uniform


class Sampled:
    """A Python time function sampled at multiples of ``dt`` (s), as ubermag's calculators
    sample it, and interpolated linearly between the samples: g(t) -> ("scale", number) or
    ("matrix", 3x3)."""

    def __init__(self, func, dt, where, matrix):
        self.func, self.dt, self.where, self.matrix = func, float(dt), where, matrix
        self.samples = {}

    def sample(self, k):
        if k not in self.samples:
            value = np.asarray(self.func(k * self.dt), dtype=float).ravel()
            if value.size == 9 and self.matrix:
                value = value.reshape(3, 3)
            elif value.size != 1:
                allowed = "a number or nine matrix entries" if self.matrix else "a number"
                raise PymagError(f"{self.where}: func must return {allowed}, got {value.size} values")
            self.samples[k] = value
        return self.samples[k]

    def __call__(self, t):
        x = float(t) / self.dt
        k = math.floor(x)
        a, b = self.sample(k), self.sample(k + 1)
        value = a + (x - k) * (b - a)
        return ("matrix", value) if value.ndim == 2 else ("scale", float(value[0]))


def _tcl(tcl, where, matrix):
    for key in ("script", "script_name"):
        if key not in tcl:
            raise PymagError(f"{where}: tcl_strings needs {key!r}")
    proc = procedure(tcl["script"], tcl["script_name"])
    # OOMMF calls the script with the arguments script_args names: the stage (pymag runs one),
    # the time in the stage and the total time, both the drive's time t
    names = tcl.get("script_args", "total_time").split()
    for name in names:
        if name not in ("stage", "stage_time", "total_time"):
            raise PymagError(f"{where}: tcl_strings script_args {name!r}: pymag passes stage, stage_time, total_time")
    energy = tcl.get("energy", "").replace("Oxs_", "")
    if energy == "TransformZeeman" and tcl.get("type", "general") != "general":
        raise PymagError(f"{where}: TransformZeeman type {tcl['type']!r}: pymag evaluates type general")
    if energy and not matrix:
        raise PymagError(f"{where}: tcl_strings energy {tcl['energy']!r} applies to Zeeman terms only")

    def call(t):
        args = {"stage": 0.0, "stage_time": float(t), "total_time": float(t)}
        value = np.asarray(proc(*(args[name] for name in names)), dtype=float).ravel()
        if energy == "ScriptUZeeman":  # the field and its derivative: H (A/m) first
            return "field", value[:3]
        if energy == "TransformZeeman":  # matrix entries, then their derivatives
            if value.size not in (9, 18):
                raise PymagError(f"{where}: a 'general' TransformZeeman script returns 18 values, got {value.size}")
            return "matrix", value[:9].reshape(3, 3)
        if energy:
            raise PymagError(f"{where}: tcl_strings energy {tcl['energy']!r}: pymag evaluates "
                             "Oxs_ScriptUZeeman and Oxs_TransformZeeman scripts")
        return "scale", float(value[0])
    return call
