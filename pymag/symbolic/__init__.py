"""Energy densities written in SymPy, compiled to pymag energy terms.

    import sympy as sp
    from pymag.symbolic import m, grad_m, material, EnergyTerm
    K4, u = material("K4"), sp.Matrix([0, 0, 1])
    quartic = EnergyTerm.from_density(-K4 * m.dot(u)**4, name="quartic")   # J/m^3

Symbols: ``m`` (3x1, unit magnetization as functions of ``x, y, z``), ``grad_m`` (3x3,
row i component, column k derivative axis, 1/m), ``material(key)`` (per-cell material
value), ``param(name)`` (dynamic parameter), ``t`` (time, s), ``x, y, z`` (cell-centre
coordinates, m). The field, energy and energy density of a term are derived from its
density (see ``pymag.symbolic.forms``).
"""
from .symbols import grad_m, m, material, param, t, x, y, z
from .term import EnergyTerm

__all__ = ["EnergyTerm", "grad_m", "m", "material", "param", "t", "x", "y", "z"]
