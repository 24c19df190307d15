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


class _Evolver(mm.Evolver):
    """An evolver: its keyword arguments are checked against ``_allowed_attributes``."""

    thermal = False
    minimizer = False

    def integrator(self):
        """(pymag run method, fixed step dt in s or None)."""
        return "rk45", None


class RungeKuttaEvolver(_Evolver):
    """Adaptive Runge-Kutta time integration (OOMMF's Oxs_RungeKuttaEvolve)."""

    _allowed_attributes = ["alpha", "gamma_G", "gamma_LL", "method", "min_timestep", "max_timestep",
                           "allowed_error_rate", "absolute_step_error", "relative_step_error",
                           "start_dm", "start_dt", "stage_start", "reject_goal", "min_step_headroom",
                           "max_step_headroom", "max_step_increase_limit", "max_step_increase_adj_ratio",
                           "max_step_decrease", "energy_precision", "fixed_spins", "do_precess"]

    def integrator(self):
        name = self.__dict__.get("method", "rkf54")
        if name == "rk4":
            return "rk4", self.__dict__.get("max_timestep")
        if name in ("rk2", "rk2heun"):
            return "heun", self.__dict__.get("max_timestep")
        if name in ("rkf54", "rkf54m", "rkf54s"):
            return "rk45", None
        from .drivers import CalculatorValueError
        raise CalculatorValueError(f"RungeKuttaEvolver method {name!r}: pymag maps rkf54, rkf54m, rkf54s, rk4, "
                                   "rk2 and rk2heun")


class EulerEvolver(_Evolver):
    """Adaptive Euler time integration (OOMMF's Oxs_EulerEvolve), run by pymag's rk23 pair."""

    _allowed_attributes = ["alpha", "gamma_G", "gamma_LL", "start_dm", "min_timestep", "max_timestep",
                           "absolute_step_error", "relative_step_error", "step_headroom", "do_precess"]

    def integrator(self):
        return "rk23", None


class SpinTEvolver(RungeKuttaEvolver):
    """Zhang-Li spin-transfer evolver (OOMMF's Anv_SpinTEvolve)."""

    _allowed_attributes = RungeKuttaEvolver._allowed_attributes + ["u", "beta"]


class SpinXferEvolver(RungeKuttaEvolver):
    """Slonczewski spin-transfer evolver (OOMMF's Oxs_SpinXferEvolve)."""

    _allowed_attributes = RungeKuttaEvolver._allowed_attributes + ["J", "mp", "P", "Lambda", "eps_prime"]


class _Thermal(_Evolver):
    thermal = True

    def integrator(self):
        return "heun", self.__dict__.get("fixed_timestep")


class UHH_ThetaEvolver(_Thermal):
    """Stochastic fixed-step evolver (OOMMF's UHH_ThetaEvolve), run by pymag's Heun."""

    _allowed_attributes = ["alpha", "gamma_G", "gamma_LL", "fixed_timestep", "min_timestep", "max_timestep",
                           "temperature", "uniform_seed", "ito_calculus", "method", "do_precess"]


class Xf_ThermHeunEvolver(_Thermal):
    """Stochastic Heun evolver (OOMMF's Xf_ThermHeunEvolve)."""

    _allowed_attributes = ["alpha", "gamma_G", "gamma_LL", "fixed_timestep", "min_timestep", "max_timestep",
                           "temperature", "uniform_seed", "tempscript", "tempscript_args", "do_precess"]


class Xf_ThermSpinXferEvolver(_Thermal):
    """Stochastic Heun evolver with Slonczewski torque (OOMMF's Xf_ThermSpinXferEvolve)."""

    _allowed_attributes = Xf_ThermHeunEvolver._allowed_attributes + ["J", "mp", "P", "Lambda", "eps_prime"]


class CGEvolver(_Evolver):
    """Energy minimization (OOMMF's Oxs_CGEvolve), run by pymag's ``minimize``."""

    minimizer = True
    _allowed_attributes = ["method", "gradient_reset_angle", "gradient_reset_count", "minimum_bracket_step",
                           "maximum_bracket_step", "line_minimum_angle_precision", "line_minimum_relwidth",
                           "energy_error_adj", "fixed_spins"]


TIME_EVOLVERS = (RungeKuttaEvolver, EulerEvolver, UHH_ThetaEvolver, Xf_ThermHeunEvolver, Xf_ThermSpinXferEvolver)
