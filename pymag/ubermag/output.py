"""Files of a drive as micromagneticdata reads an OOMMF one: ``m0.omf``, ``<name>-NNNNNN.omf``
per saved step, the table ``<name>.odt`` and the run record ``<name>.mif``."""
import pathlib

import discretisedfield as df
import numpy as np

from ..errors import PymagError
from ..units import mu0

FORMATS = ("bin8", "bin4", "txt")
UNITS = {"t": "s", "mx": "", "my": "", "mz": "", "iteration": "", "max_mxHxm": "A/m"}


def check_format(ovf_format):
    """ValueError (a PymagError) unless ``ovf_format`` is one ubermag names."""
    from .drivers import CalculatorValueError
    if ovf_format not in FORMATS:
        raise CalculatorValueError(f"ovf_format must be one of {FORMATS}, got {ovf_format!r}")


def save_step(path, system, m, Ms, ovf_format):
    """Write one magnetization file: m (unit vectors, numpy (3, nx, ny, nz)) times Ms (A/m) on
    the ubermag system's mesh."""
    df.Field(system.m.mesh, nvdim=3, value=np.moveaxis(m * Ms, 0, -1)).to_file(str(path), representation=ovf_format)


def write_table(path, rows):
    """Write ``rows`` (dicts of column -> number) as an OOMMF data table (ODT 1.0).

    pymag labels its columns ``My_<name>`` (OOMMF's prefix for extension classes), which
    ubermagtable reads back as ``<name>``: t (s), mx, my, mz, E and E_<term> (J),
    B, Bx, By, Bz _<zeeman term> (mT), iteration, ...
    """
    if not rows:
        raise PymagError("a drive produced no table rows")
    columns = list(rows[0])
    for name in columns:
        if any(prefix in name for prefix in ("Oxs_", "Anv_", "Southampton_", "My_", "YY_", "UHH_", "Xf_")):
            raise PymagError(f"table column {name!r} holds an OOMMF class prefix; rename the term")
    units = [UNITS.get(c, "J" if c == "E" or c.startswith("E_") else "mT" if c[:1] == "B" else "") for c in columns]
    lines = ["# ODT 1.0", "# Table Start", "# Title: pymag",
             "# Columns: " + " ".join(f"My_{c}" for c in columns),
             "# Units: " + " ".join(u if u else "{}" for u in units)]
    lines += [" ".join(f"{float(row[c]):.17g}" for c in columns) for row in rows]
    lines.append("# Table End")
    pathlib.Path(path).write_text("\n".join(lines) + "\n")


def field_columns(translation, t):
    """B, Bx, By, Bz _<name> (mT) of every Zeeman term at time ``t`` (s): its field over the magnet."""
    out = {}
    for name, applied in translation.zeeman.items():
        B = 1e3 * mu0 * np.asarray(applied(t), dtype=float)
        out[f"B_{name}"] = float(np.linalg.norm(B))
        out.update({f"B{axis}_{name}": float(b) for axis, b in zip("xyz", B)})
    return out


def write_record(path, driver, translation, kwargs):
    """The run record: the pymag system the drive ran and the driver's arguments, as text."""
    system = translation.pm_system
    lines = ["# pymag run record (pymag drives ubermag systems in-process; this file stands where",
             "# OOMMF keeps its input script)",
             f"driver = {type(driver).__name__}({', '.join(f'{k}={v!r}' for k, v in dict(driver).items())})",
             f"drive arguments = {kwargs!r}",
             f"mesh = {system.mesh!r}",
             f"regions = {[region.name for region in system.regions]!r}",
             "terms:"]
    lines += [f"  {term!r}" for term in system.terms]
    pathlib.Path(path).write_text("\n".join(lines) + "\n")
