"""Training data for the U-Net, as in seed 000 section 4.3: (m, H_d) pairs sampled along
FFT/LLG trajectories of random two-layer films, written in shards with a manifest.

Each shard is one batched ensemble of ``batch`` films of one lateral size w (sizes taken in
turn): 3 nm cubic cells, Ms = 1000 emu/cc, A = 0.5e-6 erg/cm, a random in-plane start
(independent directions per cell or per block of 2-8 cells; or, with start="saturated",
one random in-plane direction for the whole film, the states a hysteresis sweep passes
through: flower states, edge nucleation, reversal), a random in-plane field of 100-1000 Oe,
and on about 2/3 of the films a random 30-edge polygon mask. With materials="random" each
film draws its own Ms (400-1200 emu/cc) and A (0.3-0.7e-6 erg/cm), the evaluation's
"material" group, so the data holds the textures of other exchange lengths. The damping is drawn
log-uniformly from 0.1-1 (the paper uses 0.1) so that short trajectories reach settled
states as well as the early disordered ones. The exact FFT field of each sampled state is
the target. A shard holds ``m`` (N, 3L, w, w) = M / Ms and ``h`` = H_d / Ms, float32, with
Ms the film's own (unit amplitude, what the provider feeds the network).
Shards already listed in the manifest are skipped, so an interrupted run resumes.
"""
import json
import os
import time

import numpy as np
import torch

from .. import init
from ..demag.fft import FFTDemag
from ..ensemble import Ensemble
from ..errors import PymagError
from ..geometry import random_polygon
from ..io.checkpoint import load_checkpoint, save_checkpoint
from ..io.files import write_atomically
from ..mesh import Mesh
from ..system import System
from ..terms import Demag, Exchange, Zeeman
from ..units import Oe, emu_per_cc, erg_per_cm, nm
from .layout import to_channels

MANIFEST = "manifest.json"
RECIPE = {"cell": 3 * nm, "layers": 2, "Ms": 1000 * emu_per_cc, "A": 0.5e-6 * erg_per_cm,
          "alpha": (0.1, 1.0), "field_Oe": (100.0, 1000.0), "masked_fraction": 2 / 3,
          "polygon_edges": 30, "blocks": (1, 2, 4, 8)}


STARTS = ("random", "saturated")
MATERIALS = ("fixed", "random")
# the ranges of a film's own material (CGS) with materials="random", also the evaluation's
# "material" group
MATERIAL_RANGES = {"Ms_emu_per_cc": (400.0, 1200.0), "A_erg_per_cm": (0.3e-6, 0.7e-6)}


def random_material(rng, ranges=MATERIAL_RANGES):
    """{"Ms": A/m, "A": J/m} drawn uniformly from ``ranges`` (CGS, as ``MATERIAL_RANGES``)."""
    return {"Ms": rng.uniform(*ranges["Ms_emu_per_cc"]) * emu_per_cc,
            "A": rng.uniform(*ranges["A_erg_per_cm"]) * erg_per_cm}


def recipe_for(materials):
    """The data recipe with ``materials`` ("fixed": RECIPE's Ms and A; "random": per film)."""
    if materials not in MATERIALS:
        raise PymagError(f"materials must be one of {MATERIALS}, got {materials!r}")
    if materials == "fixed":
        return RECIPE
    return dict({k: v for k, v in RECIPE.items() if k not in ("Ms", "A")}, materials=MATERIAL_RANGES)


def _film(w, rng, recipe, start="random"):
    """One random film: a System on w x w x L cells with its mask, field, damping and start."""
    cell, L = recipe["cell"], recipe["layers"]
    mesh = Mesh(n=(w, w, L), cell=(cell, cell, cell))
    side = w * cell
    geometry = None
    if rng.uniform() < recipe["masked_fraction"]:
        geometry = random_polygon(recipe["polygon_edges"], size=(0.5 * side, 1.0 * side),
                                  seed=int(rng.integers(2**31)), domain=(side, side))
    H = rng.uniform(*recipe["field_Oe"]) * Oe
    phi = rng.uniform(0, 2 * np.pi)
    alpha = float(np.exp(rng.uniform(*np.log(recipe["alpha"]))))
    if start == "saturated":
        theta = rng.uniform(0, 2 * np.pi)
        m = (np.cos(theta), np.sin(theta), 0.0)
    else:
        m = init.random_blocks(int(rng.choice(recipe["blocks"])), seed=int(rng.integers(2**31)))
    fixed = "materials" not in recipe
    material = dict({"Ms": recipe["Ms"], "A": recipe["A"]} if fixed else random_material(rng, recipe["materials"]),
                    alpha=alpha)
    terms = [Exchange(), Demag(), Zeeman(H=(H * np.cos(phi), H * np.sin(phi), 0.0))]
    return System(mesh, geometry=geometry, material=material, terms=terms, m=m, dtype=torch.float32)


def _films(w, count, rng, recipe, start):
    """``count`` films, redrawing any whose polygon mask happens to hold no cell."""
    films = []
    while len(films) < count:
        try:
            film = _film(w, rng, recipe, start)
            film.assemble()
        except PymagError:
            continue
        films.append(film)
    return films


def sample_times(duration, samples):
    """``samples`` times in (0, duration] (s), denser early where the state changes fastest."""
    return duration * ((np.arange(samples) + 0.5) / samples) ** 1.5


def make_shard(w, batch, samples, duration, seed, recipe=RECIPE, start="random"):
    """Simulate one ensemble of ``batch`` films of size w for ``duration`` (s) from ``start``
    (see ``STARTS``) and return (m, h) tensors (batch * samples, 3L, w, w) in units of Ms."""
    rng = np.random.default_rng(seed)
    films = _films(w, batch, rng, recipe, start)
    ens = Ensemble(films)
    exact = FFTDemag(films[0].mesh, dtype=torch.float64)
    Ms = torch.stack([f.Ms for f in films]).to(torch.float64).unsqueeze(1)
    scale = Ms.amax(dim=(-3, -2, -1), keepdim=True)  # each film's own Ms
    ms, hs = [], []

    def keep(t, m):
        M = Ms * m.to(torch.float64)
        ms.append(to_channels(M / scale).float())
        hs.append(to_channels(exact.field(M) / scale).float())

    keep(0.0, ens.m)
    ens.run(duration, tol=1e-4, at=sample_times(duration, samples - 1), on_state=keep)
    return torch.cat(ms), torch.cat(hs)


def read_manifest(folder):
    """The manifest of a data folder (a dict with ``recipe`` and ``shards``), or None."""
    path = os.path.join(folder, MANIFEST)
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def generate(folder, sizes=(32, 64, 96), trajectories=48, batch=8, samples=80, duration=0.4e-9,
             seed=0, start="random", materials="fixed", log=print):
    """Write ``trajectories`` films per size, ``samples`` states each, into ``folder`` as
    shards of ``batch`` films plus ``manifest.json``. Shard j holds size ``sizes[j % len(sizes)]``
    and is seeded by (seed, j), so an interrupted run resumes and a larger ``trajectories``
    extends a folder with new films. ``start``: "random" (the paper's) or "saturated";
    ``materials``: "fixed" (the paper's) or "random" (see ``MATERIALS``)."""
    if trajectories % batch:
        raise PymagError(f"trajectories ({trajectories}) must be a multiple of batch ({batch})")
    if any(int(w) < 8 for w in sizes) or samples < 2 or not duration > 0:
        raise PymagError("sizes must be >= 8 cells, samples >= 2 and duration > 0 s")
    if start not in STARTS:
        raise PymagError(f"start must be one of {STARTS}, got {start!r}")
    recipe = recipe_for(materials)
    os.makedirs(folder, exist_ok=True)
    settings = {"sizes": [int(w) for w in sizes], "trajectories": trajectories, "batch": batch,
                "samples": samples, "duration": duration, "seed": seed}
    if start != "random":
        settings["start"] = start
    if materials != "fixed":
        settings["materials"] = materials
    manifest = read_manifest(folder) or {"recipe": recipe, "settings": settings, "shards": []}
    fixed = {k: v for k, v in settings.items() if k != "trajectories"}
    if {k: v for k, v in manifest["settings"].items() if k != "trajectories"} != fixed:
        raise PymagError(f"{folder} holds data made with {manifest['settings']}; use another folder, "
                         f"or the same settings (any number of trajectories) to resume or extend it")
    manifest["settings"] = settings
    done = {s["file"] for s in manifest["shards"]}
    per_size = trajectories // batch
    for j in range(per_size * len(sizes)):
        w = int(sizes[j % len(sizes)])
        name = f"shard{j:04d}_w{w}.pt"
        if name in done:
            continue
        begin = time.perf_counter()
        m, h = make_shard(w, batch, samples, duration, seed=[seed, j], recipe=recipe, start=start)
        save_checkpoint(os.path.join(folder, name), {"m": m, "h": h})
        manifest["shards"].append({"file": name, "size": w, "count": len(m)})
        _write_manifest(folder, manifest)
        log(f"{name}: {len(m)} pairs of {w}x{w} in {time.perf_counter() - begin:.1f} s")
    # the films the folder holds, also when this call asked for fewer or found none missing
    manifest["settings"]["trajectories"] = max(trajectories, len(manifest["shards"]) // len(sizes) * batch)
    _write_manifest(folder, manifest)
    return manifest


def _write_manifest(folder, manifest):
    write_atomically(os.path.join(folder, MANIFEST), json.dumps(manifest, indent=1).encode())


def load_data(folder):
    """{size: (m, h)} from every shard listed in ``folder``'s manifest."""
    manifest = read_manifest(folder)
    if manifest is None:
        raise PymagError(f"no {MANIFEST} in {folder}: run `python -m pymag.unet generate` first")
    groups = {}
    for shard in manifest["shards"]:
        data = load_checkpoint(os.path.join(folder, shard["file"]))
        groups.setdefault(shard["size"], []).append((data["m"], data["h"]))
    return {w: (torch.cat([m for m, _ in g]), torch.cat([h for _, h in g])) for w, g in sorted(groups.items())}
