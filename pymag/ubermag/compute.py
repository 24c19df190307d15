"""``compute`` (energy, energy density, effective field of a term or of the total) and
``delete`` (remove a system's files) for ubermag systems."""
import json
import pathlib
import shutil

import micromagneticmodel as mm
import torch

from ..io.fields import to_field
from .drivers import CalculatorValueError, Driver
from .translate import Translation

QUANTITIES = ("energy", "density", "effective_field")


def compute(func, system, dirname="."):
    """Evaluate ``func`` for ``system``'s current magnetization.

    Parameters
    ----------
    func : bound attribute
        ``term.energy``, ``term.density`` or ``term.effective_field`` of an energy term of
        ``system.energy``, or the same of ``system.energy`` itself (the total).
    system : micromagneticmodel.System
    dirname : str
        Base folder; each call makes ``<dirname>/<name>/compute-N`` with its info.json.

    Returns
    -------
    float or discretisedfield.Field
        The energy (J), the energy density (J/m^3, a scalar Field) or the effective field
        (A/m, a vector Field), on ``system.m``'s mesh.
    """
    quantity, owner = getattr(func, "__name__", None), getattr(func, "__self__", None)
    if quantity not in QUANTITIES or not isinstance(owner, (mm.Energy, mm.EnergyTerm)):
        raise CalculatorValueError(f"compute takes the energy, density or effective_field of an energy term or of "
                                   f"system.energy, got {func!r}")
    name = None if isinstance(owner, mm.Energy) else owner.name
    if name is not None and all(term.name != name for term in system.energy):
        raise CalculatorValueError(f"compute: the term {name!r} is not in the system's energy")
    translation = Translation(system)
    folder = Driver._setup_working_directory(system=system, dirname=dirname, mode="compute")
    pm_system = translation.pm_system
    if quantity == "energy":
        with torch.no_grad():
            energies = pm_system.energies()
        result = float(sum(energies.values()) if name is None else energies[name])
    else:
        result = to_field(pm_system, "energy_density" if quantity == "density" else "H", mesh=system.m.mesh,
                          term=name)
    (folder / "info.json").write_text(json.dumps({"quantity": quantity, "term": name or "total"}))
    system.compute_number += 1
    return result


def delete(system, dirname="."):
    """Remove ``<dirname>/<system.name>`` with every drive and compute folder in it."""
    shutil.rmtree(pathlib.Path(dirname, system.name), ignore_errors=True)
