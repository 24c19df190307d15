"""system.hysteresis: step an applied field, bring m to equilibrium at each value, record <m>."""
import math
import numbers
import os

import numpy as np
import torch

from ..analysis.hysteresis import HysteresisResult
from ..errors import PymagError
from ..io.table import Table
from ..terms.zeeman import Zeeman
from .llg import normalize
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


@torch.no_grad()
def hysteresis(target, H, direction=(1, 0, 0), method="minimize", record=False, progress=True,
               autosave=None, noise=0.0, seed=None, **options):
    """Sweep the field ``H`` (A/m) along ``direction``; returns a HysteresisResult (for an
    Ensemble, one per system, all swept together).

    At each value the field (added to each system's own Zeeman terms) is set and m brought
    to equilibrium by ``method`` ("minimize" or "relax", given ``options``). ``record``
    True keeps every equilibrium state (numpy, float32) in ``result.states``; a folder
    path writes them as OVF files m000000.ovf, ... instead (for an ensemble in subfolders
    system000, system001, ...). ``autosave``: checkpoint path written after each field;
    after ``target.load_state(path)`` the same call goes on from the next field.
    ``noise`` > 0: before settling at each field, add to every magnetic cell Gaussian
    components of that rms (dimensionless) and renormalise, seeded by (``seed``, field index).
    An equilibrium takes the kick back; a state on a saddle leaves it by its most unstable
    mode, as a real sample's imperfections make it do. Without it a perfectly symmetric film
    keeps its symmetries to rounding and follows a branch no real film takes.
    """
    values = sweep_values(H)
    u = np.asarray(direction, dtype=float).ravel()
    if u.shape != (3,) or not np.all(np.isfinite(u)) or not np.linalg.norm(u) > 0:
        raise PymagError(f"direction must be a non-zero 3-vector, got {direction!r}")
    u = u / np.linalg.norm(u)
    if not (isinstance(noise, numbers.Real) and noise >= 0 and math.isfinite(noise)):
        raise PymagError(f"noise must be a finite rms >= 0, got {noise!r}")
    if seed is not None and not (isinstance(seed, (int, np.integer)) and seed >= 0):
        raise PymagError(f"seed must be None or an integer >= 0, got {seed!r}")
    if method not in SETTLE:
        raise PymagError(f"unknown method {method!r}; choose one of {sorted(SETTLE)}")
    ensemble = hasattr(target, "systems")
    systems = target.systems if ensemble else [target]
    folders = [None] * len(systems)
    if isinstance(record, (str, os.PathLike)):
        folders = [os.path.join(os.fspath(record), f"system{i:03d}") for i in range(len(systems))] \
            if ensemble else [os.fspath(record)]
        for folder in folders:
            os.makedirs(folder, exist_ok=True)

    tables, states, start = [Table() for _ in systems], [[] for _ in systems], 0
    pending, target._pending_sweep = target._pending_sweep, None
    if pending is not None and _same_sweep(pending, values, u) and len(pending["tables"]) == len(systems):
        tables, start = [Table(t) for t in pending["tables"]], int(pending["done"])
        states = [[s.numpy() for s in kept] for kept in pending["states"]]

    sweep = Zeeman(H=values[0] * u, name="sweep")
    names = [system.add(sweep) for system in systems]
    target.assemble()
    # each system's copy of the sweep term, and an ensemble's batched one
    setters = list({id(t): t for t in [s.term(n) for s, n in zip(systems, names)] + [target.term(names[0])]}.values())
    bar = progress_bar(progress, len(values), start, unit="field")
    try:
        for i in range(start, len(values)):
            for setter in setters:
                setter.set(H=values[i] * u)
            if noise:
                _shake(target, noise, np.random.default_rng(None if seed is None else [seed, i]))
            SETTLE[method](target, **options)
            for system, table, kept, folder in zip(systems, tables, states, folders):
                _record(system, values[i], u, i, table, kept if record is True else None, folder)
            if autosave is not None:
                target.save_state(autosave, hysteresis={
                    "H": values.tolist(), "direction": u.tolist(), "done": i + 1,
                    "tables": [t.to_dict() for t in tables],
                    "states": [[torch.from_numpy(s) for s in kept] for kept in states]})
            bar.update(1)
    finally:
        bar.close()
        for system, name in zip(systems, names):
            system.remove(name)
    results = [HysteresisResult(table, u, kept if record is True else None) for table, kept in zip(tables, states)]
    return results if ensemble else results[0]


def _shake(target, rms, rng):
    """Add Gaussian components of rms ``rms`` to the magnetic cells of ``target`` that may move
    (not the frozen ones) and renormalise."""
    m = target.m
    kick = torch.from_numpy(rng.normal(size=tuple(m.shape))).to(m)
    free = target.assemble().free
    moving = target.magnet.unsqueeze(-4).to(m) if free is None else free.reshape(m.shape[:-4] + (1,) + m.shape[-3:])
    target._store(torch.where(moving != 0, normalize(m + rms * kick), m))


def _record(system, H, u, i, table, kept, folder):
    """Append the row of field ``H`` (A/m) of step ``i`` to ``table``; keep or write the state."""
    row = {"H": H, "Hx": H * u[0], "Hy": H * u[1], "Hz": H * u[2]}
    row.update(_row(system, system.t, system.m))
    row["M"] = float(np.dot([row["mx"], row["my"], row["mz"]], u))
    table.append(row)
    if folder is not None:
        from ..io.ovf import save_ovf
        save_ovf(os.path.join(folder, f"m{i:06d}.ovf"), system.m, system.mesh, title=f"m at H = {H:.6g} A/m")
    elif kept is not None:
        kept.append(system.m.detach().to("cpu", torch.float32).numpy().copy())


def _same_sweep(pending, values, u):
    return (len(pending["H"]) == len(values) and np.allclose(pending["H"], values, rtol=1e-12, atol=0)
            and np.allclose(pending["direction"], u, rtol=1e-12, atol=1e-15))
