"""system.hysteresis: step an applied field, bring m to equilibrium at each value, record <m>."""
import math
import os

import numpy as np
import torch

from ..analysis.hysteresis import HysteresisResult
from ..errors import PymagError
from ..io.table import Table
from ..terms.zeeman import Zeeman
from .minimize import minimize
from .progress import progress_bar
from .relax import relax
from .run import _row

SETTLE = {"minimize": minimize, "relax": relax}


def sweep_values(H):
    """The field values of a sweep (A/m), 1-D numpy array.

    ``H`` is an array of values, or segments ``[(H0, H1, n), ...]``: n equal steps from
    H0 to H1; where a segment starts at the previous one's end, that field is visited once
    (as OOMMF's Hrange does).
    """
    if len(H) and all(isinstance(s, (tuple, list)) for s in H):
        values = []
        for seg in H:
            if len(seg) != 3 or int(seg[2]) != seg[2] or seg[2] < 1:
                raise PymagError(f"a sweep segment is (H0, H1, n) with n >= 1 steps, got {seg!r}")
            h0, h1, n = float(seg[0]), float(seg[1]), int(seg[2])
            points = np.linspace(h0, h1, n + 1)
            if values and math.isclose(values[-1], h0, rel_tol=1e-12, abs_tol=1e-12):
                points = points[1:]
            values.extend(points)
        values = np.asarray(values)
    else:
        values = np.asarray(H, dtype=float).ravel()
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise PymagError("the sweep needs at least one finite field value (A/m)")
    return values


def hysteresis(system, H, direction=(1, 0, 0), method="minimize", record=False, progress=True,
               autosave=None, **options):
    """Sweep the field ``H`` (A/m) along ``direction``; returns a HysteresisResult.

    At each value the field (added to the system's own Zeeman terms) is set and m brought
    to equilibrium by ``method`` ("minimize" or "relax", given ``options``). ``record``
    True keeps every equilibrium state (numpy, float32) in ``result.states``; a folder
    path writes them as OVF files m000000.ovf, ... instead. ``autosave``: checkpoint path
    written after each field; after ``system.load_state(path)`` the same call goes on from
    the next field.
    """
    values = sweep_values(H)
    u = np.asarray(direction, dtype=float).ravel()
    if u.shape != (3,) or not np.all(np.isfinite(u)) or not np.linalg.norm(u) > 0:
        raise PymagError(f"direction must be a non-zero 3-vector, got {direction!r}")
    u = u / np.linalg.norm(u)
    if method not in SETTLE:
        raise PymagError(f"unknown method {method!r}; choose one of {sorted(SETTLE)}")
    folder = os.fspath(record) if isinstance(record, (str, os.PathLike)) else None
    if folder is not None:
        os.makedirs(folder, exist_ok=True)

    table, states, start = Table(), [], 0
    pending, system._pending_sweep = system._pending_sweep, None
    if pending is not None and _same_sweep(pending, values, u):
        table, start = Table(pending["table"]), int(pending["done"])
        states = [s.numpy() for s in pending.get("states", [])]

    sweep = Zeeman(H=values[0] * u, name="sweep")
    system.add(sweep)
    bar = progress_bar(progress, len(values), start, unit="field")
    try:
        for i in range(start, len(values)):
            sweep.set(H=values[i] * u)
            SETTLE[method](system, **options)
            row = {"H": values[i], "Hx": values[i] * u[0], "Hy": values[i] * u[1], "Hz": values[i] * u[2]}
            row.update(_row(system, system.t, system.m))
            row["M"] = float(np.dot([row["mx"], row["my"], row["mz"]], u))
            table.append(row)
            if folder is not None:
                from ..io.ovf import save_ovf
                save_ovf(os.path.join(folder, f"m{i:06d}.ovf"), system.m, system.mesh,
                         title=f"m at H = {values[i]:.6g} A/m")
            elif record:
                states.append(system.m.detach().to("cpu", torch.float32).numpy().copy())
            if autosave is not None:
                system.save_state(autosave, hysteresis={
                    "H": values.tolist(), "direction": u.tolist(), "done": i + 1, "table": table.to_dict(),
                    "states": [torch.from_numpy(s) for s in states]})
            bar.update(1)
    finally:
        bar.close()
        system.remove(sweep.name)
    return HysteresisResult(table, u, states if record is True else None)


def _same_sweep(pending, values, u):
    return (len(pending["H"]) == len(values) and np.allclose(pending["H"], values, rtol=1e-12, atol=0)
            and np.allclose(pending["direction"], u, rtol=1e-12, atol=1e-15))
