"""The evolvers of micromagnetictests and OOMMF, each mapped to the nearest pymag integrator.

=============================  ==============================================================
ubermag evolver                pymag
=============================  ==============================================================
RungeKuttaEvolver              ``run(method="rk45")`` (adaptive Dormand-Prince) for the
                               ``rkf54`` family, ``"rk4"`` for ``rk4``, ``"heun"`` for ``rk2``
EulerEvolver                   ``run(method="rk23")``: pymag's lowest-order adaptive pair
SpinTEvolver, SpinXferEvolver  ``run(method="rk45")`` with the Zhang-Li / Slonczewski term
UHH_ThetaEvolver,              ``run(method="heun")`` with fixed step ``fixed_timestep``
Xf_ThermHeunEvolver,           (default: pymag's stable step estimate) and the thermal field
Xf_ThermSpinXferEvolver
CGEvolver                      ``minimize()`` (steepest descent with Barzilai-Borwein steps)
=============================  ==============================================================
"""
import micromagneticmodel as mm

from ..errors import PymagError

# OOMMF evolver settings that are physics; in ubermag (and pymag) the system carries them
ON_THE_SYSTEM = {"alpha": "Damping(alpha)", "gamma_G": "Precession(gamma0)", "gamma_LL": "Precession(gamma0)",
                 "do_precess": "the dynamics terms (no Precession: damping alone)", "temperature": "system.T",
                 "tempscript": "system.T", "tempscript_args": "system.T", "uniform_seed": "system.T",
                 "u": "ZhangLi(u)", "beta": "ZhangLi(beta)", "J": "Slonczewski(J)", "mp": "Slonczewski(mp)",
                 "P": "Slonczewski(P)", "Lambda": "Slonczewski(Lambda)", "eps_prime": "Slonczewski(eps_prime)",
                 "fixed_spins": "drive(..., fixed_subregions=[...])"}


class EvolverError(PymagError, ValueError):
    """An evolver setting that pymag reads from the system instead."""


class _Evolver(mm.Evolver):
    """An evolver: its keyword arguments are checked against ``_allowed_attributes``; error
    tolerances and step limits are accepted and left to pymag's integrators, physics settings
    (``ON_THE_SYSTEM``) raise an EvolverError naming where they belong."""

    thermal = False

    def __init__(self, **kwargs):
        for key in kwargs:
            if key in ON_THE_SYSTEM:
                raise EvolverError(f"{type(self).__name__}({key}=...): pymag takes this from the system: "
                                   f"use {ON_THE_SYSTEM[key]}")
        super().__init__(**kwargs)

    def integrator(self):
        """(pymag run method, fixed step dt in s or None)."""
        return "rk45", None


class RungeKuttaEvolver(_Evolver):
    """Adaptive Runge-Kutta time integration (OOMMF's Oxs_RungeKuttaEvolve)."""

    _allowed_attributes = ["method", "min_timestep", "max_timestep", "allowed_error_rate", "absolute_step_error",
                           "relative_step_error", "start_dm", "start_dt", "stage_start", "reject_goal",
                           "min_step_headroom", "max_step_headroom", "max_step_increase_limit",
                           "max_step_increase_adj_ratio", "max_step_decrease", "energy_precision"]

    def integrator(self):
        name = self.__dict__.get("method", "rkf54")
        if name == "rk4":
            return "rk4", self.__dict__.get("max_timestep")
        if name in ("rk2", "rk2heun"):
            return "heun", self.__dict__.get("max_timestep")
        if name in ("rkf54", "rkf54m", "rkf54s"):
            return "rk45", None
        raise EvolverError(f"RungeKuttaEvolver method {name!r}: pymag maps rkf54, rkf54m, rkf54s, rk4, "
                                   "rk2 and rk2heun")


class EulerEvolver(_Evolver):
    """Adaptive Euler time integration (OOMMF's Oxs_EulerEvolve), run by pymag's rk23 pair."""

    _allowed_attributes = ["start_dm", "min_timestep", "max_timestep", "absolute_step_error",
                           "relative_step_error", "step_headroom"]

    def integrator(self):
        return "rk23", None


class SpinTEvolver(RungeKuttaEvolver):
    """Zhang-Li spin-transfer evolver (OOMMF's Anv_SpinTEvolve)."""

    _allowed_attributes = RungeKuttaEvolver._allowed_attributes


class SpinXferEvolver(RungeKuttaEvolver):
    """Slonczewski spin-transfer evolver (OOMMF's Oxs_SpinXferEvolve)."""

    _allowed_attributes = RungeKuttaEvolver._allowed_attributes


class _Thermal(_Evolver):
    thermal = True

    def integrator(self):
        return "heun", self.__dict__.get("fixed_timestep")


class UHH_ThetaEvolver(_Thermal):
    """Stochastic fixed-step evolver (OOMMF's UHH_ThetaEvolve), run by pymag's Heun."""

    _allowed_attributes = ["fixed_timestep", "min_timestep", "max_timestep", "ito_calculus", "method"]


class Xf_ThermHeunEvolver(_Thermal):
    """Stochastic Heun evolver (OOMMF's Xf_ThermHeunEvolve)."""

    _allowed_attributes = ["fixed_timestep", "min_timestep", "max_timestep"]


class Xf_ThermSpinXferEvolver(_Thermal):
    """Stochastic Heun evolver with Slonczewski torque (OOMMF's Xf_ThermSpinXferEvolve)."""

    _allowed_attributes = Xf_ThermHeunEvolver._allowed_attributes


class CGEvolver(_Evolver):
    """Energy minimization (OOMMF's Oxs_CGEvolve), run by pymag's ``minimize``."""

    _allowed_attributes = ["method", "gradient_reset_angle", "gradient_reset_count", "minimum_bracket_step",
                           "maximum_bracket_step", "line_minimum_angle_precision", "line_minimum_relwidth",
                           "energy_error_adj"]


TIME_EVOLVERS = (RungeKuttaEvolver, EulerEvolver, UHH_ThetaEvolver, Xf_ThermHeunEvolver, Xf_ThermSpinXferEvolver)
