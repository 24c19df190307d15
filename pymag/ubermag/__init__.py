"""pymag as an ubermag calculator: drive ``micromagneticmodel`` systems in this process.

    import micromagneticmodel as mm
    import pymag.ubermag as pc
    pc.MinDriver().drive(system)
    pc.TimeDriver().drive(system, t=1e-9, n=200)

Needs the ``ubermag`` extra (``pip install "pymag[ubermag]"``): micromagneticmodel,
discretisedfield, micromagneticdata and ubermagtable. See docs/ubermag.md.
"""
from .compute import compute, delete
from .drivers import HysteresisDriver, MinDriver, RelaxDriver, TimeDriver
from .evolvers import (CGEvolver, EulerEvolver, RungeKuttaEvolver, SpinTEvolver, SpinXferEvolver,
                       UHH_ThetaEvolver, Xf_ThermHeunEvolver, Xf_ThermSpinXferEvolver)
from .translate import Translation

__all__ = ["MinDriver", "TimeDriver", "RelaxDriver", "HysteresisDriver", "compute", "delete", "Translation",
           "RungeKuttaEvolver", "EulerEvolver", "SpinTEvolver", "SpinXferEvolver", "UHH_ThetaEvolver",
           "Xf_ThermHeunEvolver", "Xf_ThermSpinXferEvolver", "CGEvolver"]
