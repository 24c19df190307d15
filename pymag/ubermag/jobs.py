"""Scheduled drives: ``Driver.schedule`` stores the drive in ``job.pickle`` beside its input
files, and the job runs it with ``python -m pymag.ubermag job.pickle`` (``run_job``)."""
import datetime
import pathlib
import pickle
import sys

import discretisedfield as df
import micromagneticmodel as mm
import numpy as np

from .drivers import CalculatorValueError


def write_job(driver, system, path):
    """Store ``driver``'s drive of ``system`` in ``path``; returns the job's command lines."""
    try:
        data = pickle.dumps((type(driver), dict(driver), parts(system), driver._format, driver._kwargs))
    except (pickle.PicklingError, AttributeError, TypeError) as exc:
        raise CalculatorValueError(f"a scheduled drive stores the system with pickle, which failed ({exc}); "
                                   "define func values in an importable module") from None
    if b"__main__" in data:
        raise CalculatorValueError("a scheduled drive cannot load functions defined in the notebook or script "
                                   "itself (__main__): define func values in an importable module")
    pathlib.Path(path).write_bytes(data)
    return [f"{sys.executable} -m pymag.ubermag {path}"]


class _FieldValue:
    """A ``discretisedfield.Field`` parameter as plain data (Fields do not unpickle)."""

    def __init__(self, field):
        self.nvdim, self.array = field.nvdim, np.asarray(field.array)


def parts(system):
    """What rebuilds ``system`` in a job, as plain data: micromagneticmodel's containers and
    discretisedfield's Fields do not unpickle; m and the mesh travel in m0.omf."""
    def plain(value):
        return _FieldValue(value) if isinstance(value, df.Field) else value

    def terms(container):
        return [(type(term).__name__, term.name, {k: plain(v) for k, v in term
                                                   if not type(v).__module__.startswith("ubermagutil")})
                for term in container]
    return {"name": system.name, "energy": terms(system.energy), "dynamics": terms(system.dynamics),
            "T": system.T, "bc": system.m.mesh.bc, "drive_number": system.drive_number}


def rebuild(parts):
    """The system stored by ``parts``, its m and mesh read from m0.omf in the working directory."""
    saved = df.Field.from_file("m0.omf")
    mesh = df.Mesh(region=saved.mesh.region, n=saved.mesh.n, bc=parts["bc"], subregions=saved.mesh.subregions)
    system = mm.System(name=parts["name"], T=parts["T"])
    for key in ("energy", "dynamics"):
        for cls, name, attributes in parts[key]:
            values = {k: df.Field(mesh, nvdim=v.nvdim, value=v.array) if isinstance(v, _FieldValue) else v
                      for k, v in attributes.items()}
            setattr(system, key, getattr(system, key) + getattr(mm, cls)(name=name, **values))
    system.m = df.Field(mesh, nvdim=3, value=saved.array)
    system.drive_number = parts["drive_number"]
    return system


def run_job(path):
    """Run a drive scheduled by ``Driver.schedule`` from its pickle ``path``, in its drive folder."""
    with open(path, "rb") as f:
        cls, attributes, stored, ovf_format, kwargs = pickle.load(f)
    system = rebuild(stored)
    driver = cls(**attributes)
    driver.drive_kwargs_setup(dict(kwargs))
    driver._check_system(system)
    driver._write_input_files(system, ovf_format=ovf_format, **kwargs)
    start, success = datetime.datetime.now(), False
    try:
        driver._call(system, **kwargs)
        success = True
    finally:  # info.json gets the job's end time and outcome, as a direct drive's does
        driver._update_info_json(start, datetime.datetime.now(), success)
    driver._read_data(system)
    return system
