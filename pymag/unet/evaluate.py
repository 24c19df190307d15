"""The NeuralMAG accuracy protocol (seed 000 sec. 4.5-4.6), U-Net against the exact FFT field.

1. Ground states (Table 1): two-layer films of 3 nm cells in three groups, ``square``
   (default material), ``shape`` (a random 30-edge polygon of random size and place) and
   ``material`` (square, Ms in 400-1200 emu/cc, A in 0.3-0.7e-6 erg/cm), start from
   random in-plane blocks of 2 x 2 cells, are cooled with FFT/LLG until at most InitCore
   (5) vortices and antivortices remain (eq. 22), then run to convergence from that same
   state once with the FFT and once with the U-Net. Convergence is the paper's
   (dm)_max <= 1e-5 per 1e-13 s step, as a torque. Vortex-number precision: the share of
   films whose final (N_vortex, N_antivortex) agree; property precision: the share whose
   cores also agree in circulation and polarity.
2. MH curves: 1000 -> -1000 Oe in 10 Oe steps along x, equilibrium at each field, U-Net
   against FFT; a curve is discrepant when |dHc| >= 25 Oe or |dMr/Ms| >= 0.03. Both start
   from the same nearly saturated state with a little noise, which breaks the film's
   symmetries (``MH_NOISE``), and get the same kick at every field (``MH_KICK``), so that no
   film sits on a saddle until rounding noise grows. Each field is settled by damped dynamics
   (``MH_SETTLE``; the paper: LLG), not by ``minimize``, whose Barzilai-Borwein steps can
   leave a shallow minimum of a field that is not an energy gradient, as a learned one is.
3. Field error: relative L2 error ||H_unet - H_fft|| / ||H_fft|| on fresh trajectory states
   (the training recipe with other seeds) per film size.

Films of one size run together as one batched ensemble.
"""
import glob
import json
import math
import os
import time
from collections import Counter

import numpy as np
import torch

from .. import init
from ..analysis import find_vortices, vortex_count
from ..demag import get_provider
from ..ensemble import Ensemble
from ..errors import ConvergenceError, PymagError
from ..geometry import random_polygon
from ..mesh import Mesh
from ..system import System
from ..terms import Demag, Exchange
from ..units import Oe, gamma0, ns
from ..vec import cross, norm
from .generate import RECIPE, make_shard, random_material
from .layout import from_channels

CELL = RECIPE["cell"]
LAYERS = RECIPE["layers"]
MATERIAL = {"Ms": RECIPE["Ms"], "A": RECIPE["A"]}
GROUPS = ("square", "shape", "material")
INIT_CORE = 5
MH_THRESHOLDS = {"Hc_Oe": 25.0, "Mr": 0.03}
# rms of the random components added to the MH loops' start, (1, 0.05, 0) in every cell: the
# same start for both providers, but one that breaks the film's symmetries. A symmetric start
# sends the exact FFT along a saddle the learned field cannot follow (docs/unet.md, "MH")
MH_NOISE = 0.02
# rms of the kick both providers' films get at every field of an MH sweep before settling
# (``hysteresis(noise=)``): a film on a saddle that is only weakly unstable otherwise stays
# there until the rounding noise grows, later the cleaner the field is (docs/unet.md, "MH")
MH_KICK = 0.05
# how each MH field is settled: "relax" (damped dynamics, the paper's LLG without precession)
# or "minimize" (Barzilai-Borwein, ~10x cheaper). A learned field is not the gradient of an
# energy; near a field where a state turns unstable, minimize's long steps then amplify the soft
# mode and the film reverses early (docs/unet.md, "MH loops: minimize ...")
MH_SETTLE = "relax"
SETTLES = ("relax", "minimize")
# how a cooled ground-state film is finished: the paper's LLG, or energy minimization (cheaper)
FINISHES = ("llg", "minimize")
# settings a report written before they existed ran with
BEFORE = {"mh_settle": "minimize"}
# an LLG finish is checkpointed every this many steps (a few minutes of a batch of 32 x 32 films)
FINISH_SAVE_EVERY = 1000
# a film whose minimization has not settled after this many steps counts as not converged
MINIMIZE_STEPS = 20_000
# ``method=NOISE_FLOOR`` puts the FFT in float64 in the learned field's place: the protocol's
# own noise floor, the differences that rounding alone makes
NOISE_FLOOR = "fft64"


def _provider(method, model):
    """(registered provider, its options, dtype) of the field compared with the float32 FFT."""
    if method in ("fft", NOISE_FLOOR):
        return "fft", {}, torch.float64 if method == NOISE_FLOOR else torch.float32
    return method, {} if model is None else {"model": model}, torch.float32


def paper_torque(alpha):
    """Largest |m x H| (A/m) at which the paper's (dm)_max <= 1e-5 per 1e-13 s step holds."""
    return 1e-5 / 1e-13 / gamma0 * math.sqrt(1 + alpha**2)


def film(group, w, rng, alpha=0.1, method="fft", model=None):
    """One test film of ``group`` on w x w x 2 cells, in the random block start, its demag
    field by ``method`` (a provider or NOISE_FLOOR)."""
    mesh = Mesh(n=(w, w, LAYERS), cell=(CELL,) * 3)
    side = w * CELL
    material = dict(MATERIAL, alpha=alpha)
    geometry = None
    if group == "shape":
        geometry = random_polygon(30, size=(0.5 * side, 0.95 * side), seed=int(rng.integers(2**31)),
                                  domain=(side, side))
    elif group == "material":
        material.update(random_material(rng))
    elif group != "square":
        raise PymagError(f"group must be one of {GROUPS}, got {group!r}")
    name, options, dtype = _provider(method, model)
    return System(mesh, geometry=geometry, material=material, terms=[Exchange(), Demag(name, **options)],
                  m=init.random_blocks(2, seed=int(rng.integers(2**31))), dtype=dtype)


def _converged(alpha):
    limit = paper_torque(alpha)
    return lambda m, H: (norm(cross(m, H)).amax(dim=(-3, -2, -1)) <= limit).cpu().numpy()


def _cores(m):
    """Sorted (kind, circulation, polarity) of the cores of one state; circulation 0 for antivortices."""
    return sorted((v.kind, v.circulation if v.kind == "vortex" else 0, v.polarity) for v in find_vortices(m, cell=(CELL,) * 3))


def _finish(systems, finish, alpha, max_time, autosave=None):
    """Bring cooled films to convergence: batched LLG to the paper's torque (at most
    ``max_time``; checkpointed in ``autosave`` and resumed from it when it is there), or
    batched energy minimization. Returns the converged flags."""
    if finish == "llg":
        ensemble = Ensemble(systems)
        if autosave is not None and os.path.exists(autosave):
            ensemble.load_state(autosave)
        return ensemble.run(max_time, until=_converged(alpha), autosave=autosave, autosave_every=FINISH_SAVE_EVERY).done
    try:
        Ensemble(systems).minimize(max_steps=MINIMIZE_STEPS)
    except ConvergenceError as err:
        return err.steps > 0
    return np.ones(len(systems), dtype=bool)


def ground_states(group, w, count, model=None, batch=10, seed=0, alpha=0.1, finish="llg", cool_time=5 * ns,
                  max_time=30 * ns, method="unet", cases=(), on_batch=None, autosave=None):
    """Table-1 comparison for ``count`` films of ``group`` and size w: cooled with batched
    FFT/LLG (``batch`` films at a time, damping ``alpha``), finished by ``finish`` ("llg",
    the paper's way, or "minimize", much cheaper on a CPU). A dict of results.
    cases: the cases of the first films, done before (a run that was stopped): those films
    are skipped. on_batch: called with the results so far after every batch. autosave: a
    folder where each batch's LLG finishes are checkpointed (``gs-GROUP-SIZE-START-PROVIDER.ckpt``,
    the settings in ``gs-GROUP-SIZE.json``) until the batch is done; a call stopped there
    goes on from them (its films are cooled again, which is cheap)."""
    if finish not in FINISHES:
        raise PymagError(f"finish must be one of {FINISHES}, got {finish!r}")
    if autosave is not None:
        os.makedirs(autosave, exist_ok=True)
        stem = os.path.join(autosave, f"gs-{group}-{w}")
        settings = {"group": group, "size": w, "batch": batch, "seed": int(seed), "alpha": alpha, "finish": finish,
                    "cool_time": cool_time, "max_time": max_time, "method": method,
                    "model": os.fspath(model or "default")}
        _same_settings(stem + ".json", settings, glob.glob(glob.escape(stem) + "-*.ckpt"))
    rng = np.random.default_rng([seed, w, GROUPS.index(group)])
    cases = list(cases)[:count]
    if len(cases) < count:  # whole batches only: the films' seeds are drawn batch by batch
        cases = cases[:len(cases) // batch * batch]
    for start in range(0, count, batch):
        n = min(batch, count - start)
        seeds = rng.integers(2**31, size=n)
        if start + n <= len(cases):
            continue
        fft = [film(group, w, np.random.default_rng(s), alpha) for s in seeds]
        net = [film(group, w, np.random.default_rng(s), alpha, method, model) for s in seeds]
        cool = Ensemble(fft)
        cooling = cool.run(cool_time, until=lambda m, H: np.sum(vortex_count(m.cpu().numpy()), axis=0) <= INIT_CORE)
        for a, b in zip(fft, net):
            b.m = a.m
        saves = {name: None if autosave is None else f"{stem}-{start}-{name}.ckpt" for name in ("fft", "unet")}
        runs = {name: _finish(systems, finish, alpha, max_time, saves[name])
                for name, systems in (("fft", fft), ("unet", net))}
        for i in range(n):
            mf, mu = fft[i].m.cpu().numpy(), net[i].m.cpu().numpy()
            count_f, count_u = vortex_count(mf), vortex_count(mu)
            cores_f, cores_u = _cores(mf), _cores(mu)
            cases.append({"cooled": bool(cooling.done[i]), "t_cooled_ns": float(cooling.t_done[i] / ns),
                          "converged_fft": bool(runs["fft"][i]), "converged_unet": bool(runs["unet"][i]),
                          "counts_fft": list(count_f), "counts_unet": list(count_u),
                          "cores_fft": [list(c) for c in cores_f], "cores_unet": [list(c) for c in cores_u],
                          "number_match": count_f == count_u,
                          "property_match": count_f == count_u and cores_f == cores_u})
        if on_batch is not None:
            on_batch(_precisions(group, w, alpha, finish, cases))
        for path in saves.values():
            if path is not None and os.path.exists(path):
                os.remove(path)
    if autosave is not None:
        os.remove(stem + ".json")
    return _precisions(group, w, alpha, finish, cases)


def _precisions(group, w, alpha, finish, cases):
    """Table-1 summary of the compared films ``cases``."""
    return {"group": group, "size": w, "samples": len(cases), "alpha": alpha, "finish": finish,
            "vortex_number_precision": float(np.mean([c["number_match"] for c in cases])),
            "vortex_property_precision": float(np.mean([c["property_match"] for c in cases])),
            "converged": float(np.mean([c["converged_fft"] and c["converged_unet"] for c in cases])),
            "final_states_fft": dict(Counter(str(tuple(c["counts_fft"])) for c in cases)),
            "cases": cases}


def mh_curves(group, w, count=1, model=None, seed=0, step_Oe=10.0, method="unet", settle=MH_SETTLE, autosave=None):
    """Seed 000 section 2.3: x loops from 1000 to -1000 Oe in ``step_Oe`` steps of ``count`` films
    of ``group`` and size w (one for "square": every square film is the same film), with FFT
    and with the U-Net, each provider's films swept together as one ensemble from the same
    start, (1, 0.05, 0) plus noise of rms ``MH_NOISE`` in every cell, and kicked by noise of rms
    ``MH_KICK`` (the same for both) before settling at each field by ``settle`` ("relax" or
    "minimize"). ``autosave``: a folder where each provider's sweep is checkpointed after every
    field, with the call's settings beside them (``mh-GROUP-SIZE.json``); a call interrupted
    there goes on from its last field (the kicks are seeded per field, so the resumed loop is
    the one an uninterrupted call gives), a call of other settings is refused, and the files
    are removed when done. A dict with one entry per film (Hc in Oe, Mr/Ms, discrepant by the paper's thresholds)
    and totals; ``seconds`` counts the last call only."""
    if group not in GROUPS or count < 1 or not step_Oe > 0 or settle not in SETTLES:
        raise PymagError(f"need a group of {GROUPS}, count >= 1, step_Oe > 0 and settle in {SETTLES}; "
                         f"got {group!r}, {count}, {step_Oe}, {settle!r}")
    count = 1 if group == "square" else count
    H = np.linspace(1000, -1000, int(round(2000 / step_Oe)) + 1) * Oe
    seeds = np.random.default_rng([seed, w, 99, GROUPS.index(group)]).integers(2**31, size=count)
    loops, seconds, checkpoints = {}, {}, {}
    if autosave is not None:
        os.makedirs(autosave, exist_ok=True)
        settings = {"group": group, "size": w, "films": count, "seed": int(seed), "step_Oe": float(step_Oe),
                    "method": method, "model": os.fspath(model or "default"), "settle": settle,
                    "noise": MH_NOISE, "kick": MH_KICK}
        stem = os.path.join(autosave, f"mh-{group}-{w}")
        checkpoints = {name: f"{stem}-{name}.ckpt" for name in ("fft", "unet")}
        _same_settings(stem + ".json", settings, [p for p in checkpoints.values() if os.path.exists(p)])
    for name, provider in (("fft", "fft"), ("unet", method)):
        films = [film(group, w, np.random.default_rng(s), method=provider, model=model) for s in seeds]
        for f, s in zip(films, seeds):
            f.m = init.uniform((1, 0.05, 0), noise=MH_NOISE, seed=int(s))
        ensemble = Ensemble(films)
        if os.path.exists(checkpoints.get(name, "")):
            ensemble.load_state(checkpoints[name])
        begin = time.perf_counter()
        loops[name] = ensemble.hysteresis(H, direction=(1, 0, 0), progress=False, noise=MH_KICK,
                                          seed=int(seeds[0]), method=settle, autosave=checkpoints.get(name))
        seconds[name] = time.perf_counter() - begin
    if autosave is not None:
        for path in (*checkpoints.values(), stem + ".json"):
            os.remove(path)
    cases = [compare_loops((float(a.coercivity / Oe), float(b.coercivity / Oe)), (float(a.remanence), float(b.remanence)))
             for a, b in zip(loops["fft"], loops["unet"])]
    return {"group": group, "size": w, "films": count, "settle": settle, "seconds": seconds,
            "discrepant": float(np.mean([c["discrepant"] for c in cases])),
            "dHc_mean_Oe": float(np.mean([c["dHc_Oe"] for c in cases])),
            "dMr_mean": float(np.mean([c["dMr"] for c in cases])), "cases": cases}


def _same_settings(path, settings, checkpoints):
    """Write the settings of an autosaved computation to ``path``, or, where its ``checkpoints``
    are already there, check that they were written with these settings: resuming another
    computation's state would silently mix the two."""
    if checkpoints:
        if not os.path.exists(path):
            raise PymagError(f"{checkpoints} hold states whose settings file {path} is missing; "
                             "remove them to start over")
        with open(path) as f:
            _differ(path, json.load(f), settings, "states")
    with open(path, "w") as f:
        json.dump(settings, f, indent=1)


def _differ(path, theirs, settings, what):
    """Raise when the ``settings`` a file at ``path`` was written with differ from these."""
    theirs = {k: theirs.get(k) for k in settings}
    if theirs != settings:
        differ = {k: (theirs[k], settings[k]) for k in settings if theirs[k] != settings[k]}
        raise PymagError(f"{path} holds {what} of other settings (theirs, these: {differ}); "
                         "choose another output folder, or remove it to start over")


def compare_loops(hc, mr):
    """(FFT, U-Net) coercivities (Oe) and remanences (Mr/Ms) of one film -> differences and
    the paper's verdict. A loop that never reverses has no coercivity (NaN): two such loops
    agree (dHc 0), one alone is an infinite difference."""
    unswitched = [not math.isfinite(h) for h in hc]
    dHc = 0.0 if all(unswitched) else math.inf if any(unswitched) else abs(hc[0] - hc[1])
    dMr = abs(mr[0] - mr[1])
    return {"Hc_Oe": hc, "Mr": mr, "dHc_Oe": dHc, "dMr": dMr,
            "discrepant": bool(not (dHc < MH_THRESHOLDS["Hc_Oe"] and dMr < MH_THRESHOLDS["Mr"]))}


def field_error(w, model=None, films=2, samples=3, duration=0.05e-9, seed=777, method="unet"):
    """Relative L2 error of the U-Net field against FFT on fresh trajectory states of size w."""
    m, h = make_shard(w, films, samples + 1, duration, seed=[seed, w])
    m, h = m[films:], h[films:]  # drop the random starts: keep the states along the trajectory
    mesh = Mesh(n=(w, w, LAYERS), cell=(CELL,) * 3)
    name, options, dtype = _provider(method, model)
    provider = get_provider(name)(mesh, dtype=dtype, **options)
    with torch.no_grad():
        pred = provider.field(from_channels(m, (len(m),), LAYERS).to(dtype)).float()
    exact = from_channels(h, (len(h),), LAYERS)
    err = torch.linalg.vector_norm(pred - exact, dim=(1, 2, 3, 4)) / torch.linalg.vector_norm(exact, dim=(1, 2, 3, 4))
    return {"size": w, "states": len(m), "relative_error_mean": float(err.mean()),
            "relative_error_max": float(err.max())}


def evaluate(out, model=None, sizes=(32, 64), samples=50, groups=GROUPS, mh_sizes=(32,), mh_samples=10,
             error_sizes=(32, 64, 128, 256, 512), batch=10, seed=12345, alpha=0.1, finish="llg", log=print,
             method="unet", mh_settle=MH_SETTLE):
    """Run the protocol and write ``report.json`` and ``report.md`` into ``out``; returns the report.
    ``method`` is the learned provider compared with FFT ("unet", or "unet_symmetric"), or
    NOISE_FLOOR ("fft64"): the FFT in float64, whose differences from the float32 FFT are the
    rounding the protocol itself amplifies. The report is saved after every batch of films, each
    batch's LLG finish checkpointed every ``FINISH_SAVE_EVERY`` steps and each MH loop after
    every field; run
    again with the same settings and ``out`` to go on from where a stopped run left off."""
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise PymagError(f"unknown group(s) {unknown}; choose from {GROUPS}")
    if any(int(w) < 8 for w in (*sizes, *mh_sizes, *error_sizes)) or min(samples, mh_samples, batch) < 1:
        raise PymagError("sizes must be >= 8 cells, samples, mh_samples and batch >= 1")
    if mh_settle not in SETTLES:
        raise PymagError(f"mh_settle must be one of {SETTLES}, got {mh_settle!r}")
    if method in ("fft", NOISE_FLOOR) and model is not None:
        raise PymagError(f"method {method!r} compares the FFT with itself and takes no model; "
                         "leave the model out, or pick method 'unet' or 'unet_symmetric'")
    # a missing or foreign checkpoint fails here, not after the field-error runs
    name, options, dtype = _provider(method, model)
    get_provider(name)(Mesh(n=(16, 16, LAYERS), cell=(CELL,) * 3), dtype=dtype, **options)
    settings = {"model": "none" if name == "fft" else os.fspath(model or "default"), "method": method, "seed": seed,
                "init_core": INIT_CORE, "alpha": alpha, "finish": finish, "batch": batch, "mh_samples": mh_samples,
                "mh_settle": mh_settle}
    done = _earlier(out, settings)
    os.makedirs(out, exist_ok=True)
    report = dict(settings, field_error=[], ground_states=[], mh_curves=[])

    def save():
        with open(os.path.join(out, "report.json"), "w") as f:
            json.dump(report, f, indent=1)
        with open(os.path.join(out, "report.md"), "w") as f:
            f.write(markdown(report))

    for w in error_sizes:
        res = done.get(("field_error", w)) or field_error(w, model, seed=seed, method=method)
        report["field_error"].append(res)
        log(f"field error {w}: {res['relative_error_mean']:.4f}")
        save()
    for group in groups:
        for w in sizes:
            before = done.get(("ground_states", group, w), {"cases": [], "seconds": 0.0})
            begin = time.perf_counter()
            report["ground_states"].append(before)

            def keep(res):
                res["seconds"] = before["seconds"] + time.perf_counter() - begin
                report["ground_states"][-1] = res
                save()

            res = ground_states(group, w, samples, model, batch, seed, alpha, finish, method=method,
                                cases=before["cases"], on_batch=keep, autosave=out)
            keep(res)
            log(f"{group} {w}: vortex number {res['vortex_number_precision']:.2%}, "
                f"properties {res['vortex_property_precision']:.2%} [{res['seconds']:.0f} s]")
    for w in mh_sizes:
        for group in groups:
            res = done.get(("mh_curves", group, w)) or mh_curves(group, w, mh_samples, model, seed, method=method,
                                                                        settle=mh_settle, autosave=out)
            report["mh_curves"].append(res)
            log(f"MH {group} {w}: {res['discrepant']:.0%} of {res['films']} discrepant, mean dHc "
                f"{res['dHc_mean_Oe']:.1f} Oe, mean dMr {res['dMr_mean']:.3f}")
            save()
    return report


def _earlier(out, settings):
    """The results a run with the same ``settings`` left in ``out``, by (part, [group,] size); a
    report of other settings there is an error (its results would be lost)."""
    path = os.path.join(out, "report.json")
    if not os.path.exists(path):
        return {}
    with open(path) as f:
        report = json.load(f)
    _differ(path, {k: report.get(k, BEFORE.get(k)) for k in settings}, settings, "a report")
    done = {("field_error", r["size"]): r for r in report["field_error"]}
    done.update({(part, r["group"], r["size"]): r for part in ("ground_states", "mh_curves") for r in report[part]})
    return done


def markdown(report):
    """The report as markdown tables."""
    lines = [f"# U-Net against FFT (model: {report['model']}, provider: {report.get('method', 'unet')})", ""]
    if report["ground_states"]:
        lines += ["## Ground states (Table 1 protocol, InitCore = %d)" % report["init_core"], "",
                  "| group | size | samples | damping | finish | vortex number | vortex properties | converged | minutes |",
                  "|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {r['group']} | {r['size']} | {r['samples']} | {r['alpha']} | {r['finish']} "
                  f"| {r['vortex_number_precision']:.1%} "
                  f"| {r['vortex_property_precision']:.1%} | {r['converged']:.0%} | {r.get('seconds', 0) / 60:.1f} |"
                  for r in report["ground_states"]]
        lines.append("")
    if report["mh_curves"]:
        lines += [f"## MH curves (1000 to -1000 Oe, 10 Oe steps, field along x, settled by "
                  f"{report.get('mh_settle', BEFORE['mh_settle'])})", "",
                  "Discrepant: dHc >= 25 Oe or dMr/Ms >= 0.03 (the paper's thresholds).", "",
                  "| group | size | films | discrepant | mean dHc (Oe) | mean dMr/Ms | Hc FFT / U-Net (Oe), film 1 |",
                  "|---|---|---|---|---|---|---|"]
        lines += [f"| {r['group']} | {r['size']} | {r['films']} | {r['discrepant']:.0%} | {r['dHc_mean_Oe']:.1f} | "
                  f"{r['dMr_mean']:.3f} | {r['cases'][0]['Hc_Oe'][0]:.1f} / {r['cases'][0]['Hc_Oe'][1]:.1f} |"
                  for r in report["mh_curves"]]
        lines.append("")
    if report["field_error"]:
        lines += ["## Relative L2 error of H_d", "", "| size | states | mean | max |", "|---|---|---|---|"]
        lines += [f"| {r['size']} | {r['states']} | {r['relative_error_mean']:.2%} | {r['relative_error_max']:.2%} |"
                  for r in report["field_error"]]
        lines.append("")
    return "\n".join(lines)
