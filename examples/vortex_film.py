"""NeuralMAG's cooling workflow: a random two-layer film cools into a few vortices, then converges.

As in the NeuralMAG paper (Cai et al., sec. 4.3-4.5, "Precision evaluation" and "Phase
diagram"): a film of n x n x 2 cells of 3 nm (default 64 x 64 x 2, 192 nm wide), square or
a random 30-edge polygon, Ms = 1000 emu/cc, A = 0.5e-6 erg/cm, no anisotropy, no field,
damping alpha = 0.1 (the paper's lambda), exact FFT demag. The start is the paper's
blockwise random state: blocks of 2 x 2 cells (through both layers), each along a random
in-plane direction. Cooling integrates the LLG equation until the winding-density count
N_vortex + N_antivortex (eq. 20-22) is at most InitCore (default 5, the paper's Table 1;
10 in its phase diagram). In the paper the U-Net takes over from there; here the state is
brought to convergence with one of

  llg       the LLG equation goes on until max |m x H| is below 454 A/m: the paper's
            criterion (dm)_max <= 1e-5 per step of 1e-13 s, as a torque
            (|dm/dt| = gamma0 |m x H| / sqrt(1 + alpha^2)). Slow: the last vortex spirals
            for ~10 ns at alpha = 0.1 (64 x 64, seed 0: 8720 steps to t = 11.9 ns,
            about 3.5 min on 2 shared cores here).
  relax     mumax3-style damping-only dynamics to the same torque (about 1 min).
  minimize  steepest descent to an energy minimum (default; a few seconds).

relax and minimize follow no physical trajectory, so from the same cooled state they may
keep other cores than the LLG would (for the default 64 x 64, seed 0, all three end in
the same centred V- ccw vortex). Which cores survive also depends on where cooling stopped:
a larger InitCore hands a less settled state to the finishing stage. The default run takes
about 20 s.

Reports the vortex and antivortex cores of the cooled and the final state (kind, position
in nm, circulation, polarity) and writes, into the output folder: initial.png, cooled.png,
cooled_winding.png, final.png, final_winding.png, table.csv (<m> and energies against
time) and vortices.csv.
"""
import argparse
import csv
import time
from dataclasses import dataclass, field

import numpy as np

import pymag as pm
from pymag.analysis import find_vortices, vortex_count
from pymag.unet.evaluate import CELL, MATERIAL, paper_torque   # the paper's 3 nm cells and default material
from pymag.units import nm, ns
ALPHA = 0.1                    # the paper's damping lambda


def make_system(n=64, shape="square", seed=0, block=2, alpha=ALPHA, dtype="float32"):
    """The film: n x n x 2 cells of 3 nm, square or a random 30-edge polygon, in the random block state."""
    mesh = pm.Mesh(n=(n, n, 2), cell=(CELL, CELL, CELL))
    if shape == "square":
        geometry = None
    elif shape == "polygon":
        side = n * CELL
        geometry = pm.geometry.random_polygon(30, size=(0.5 * side, 0.75 * side), seed=seed, domain=(side, side))
    else:
        raise ValueError(f"shape must be 'square' or 'polygon', got {shape!r}")
    return pm.System(mesh, geometry=geometry, material={**MATERIAL, "alpha": alpha},
                     terms=[pm.Exchange(), pm.Demag(method="fft")],
                     m=pm.init.random_blocks(block, seed=seed), dtype=dtype)


@dataclass
class CoolingResult:
    """What ``simulate`` returns: the ``system`` in its final state, its ``vortices``
    (pm.analysis.Vortex list), the cores after cooling, the vortex counts
    (N_vortex, N_antivortex) at the start, after cooling and at the end, the <m>/energy
    ``table`` of the LLG runs, and the simulated times and wall times (s) of both stages."""

    system: object
    vortices: list
    cooled_vortices: list
    counts: dict
    table: object
    t_cooled: float
    cooling_steps: int
    finish_steps: int
    wall: dict = field(default_factory=dict)


def simulate(n=64, shape="square", seed=0, init_core=5, block=2, alpha=ALPHA, finish="minimize",
             dtype="float32", cool_time=5 * ns, max_time=50 * ns, check_every=10, out=None, progress=False):
    """Cool a random film with the LLG equation until N_vortex + N_antivortex <= ``init_core``
    (at most ``cool_time``), then converge it with ``finish`` ("llg", "relax" or
    "minimize"; "llg" runs at most ``max_time``). With ``out`` (a folder) the figures of the
    initial, cooled and final states are written there. Returns a CoolingResult."""
    if finish not in ("llg", "relax", "minimize"):
        raise ValueError(f"finish must be 'llg', 'relax' or 'minimize', got {finish!r}")
    system = make_system(n, shape, seed, block, alpha, dtype)
    counts = {"initial": vortex_count(system)}
    if out is not None:
        system.plot(out / "initial.png", title="random start")

    start = time.perf_counter()
    table = system.run(cool_time, until=lambda s: sum(vortex_count(s)) <= init_core,
                       check_every=check_every, progress=progress)
    wall = {"cooling": time.perf_counter() - start}
    t_cooled, cooling_steps = system.t, table.steps
    counts["cooled"] = vortex_count(system)
    cooled = find_vortices(system)
    if out is not None:
        system.plot(out / "cooled.png", title=f"cooled, t = {system.t / ns:.3f} ns")
        pm.viz.plot_winding(system, out / "cooled_winding.png")

    start = time.perf_counter()
    if finish == "llg":
        more = system.run(max_time, max_torque=paper_torque(alpha), check_every=check_every, progress=progress)
        finish_steps = more.steps
        table.extend(_after_first_row(more))
    elif finish == "relax":
        finish_steps = system.relax(max_torque=paper_torque(alpha))
        table.append(system.table_row())
    else:
        finish_steps = system.minimize()
        table.append(system.table_row())
    wall["finish"] = time.perf_counter() - start
    counts["final"] = vortex_count(system)
    vortices = find_vortices(system)
    if out is not None:
        system.plot(out / "final.png", title=f"final ({finish})")
        pm.viz.plot_winding(system, out / "final_winding.png")
    return CoolingResult(system, vortices, cooled, counts, table, t_cooled, cooling_steps, finish_steps, wall)


def _after_first_row(table):
    """The rows of a run's table after its first one (which repeats the previous run's last row)."""
    rest = pm.Table()
    for i, row in enumerate(table.rows()):
        if i > 0:
            rest.append(row)
    return rest


def describe(cores):
    """One line per core: label, position (nm), circulation, polarity, summed winding density."""
    if not cores:
        return ["    (none)"]
    return [f"    {c.label:7s} at ({c.x / nm:+7.1f}, {c.y / nm:+7.1f}) nm   circulation {c.circulation:+d}   "
            f"polarity {c.polarity:+d}   winding {c.winding:+.3f}" for c in cores]


def write_vortices(path, stages):
    """CSV of the cores of each stage: stage, kind, x_nm, y_nm, circulation, polarity, winding."""
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["stage", "kind", "label", "x_nm", "y_nm", "circulation", "polarity", "winding"])
        for stage, cores in stages.items():
            for c in cores:
                writer.writerow([stage, c.kind, c.label, f"{c.x / nm:.3f}", f"{c.y / nm:.3f}", c.circulation,
                                 c.polarity, f"{c.winding:.4f}"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=64, help="cells per side (3 nm each)")
    parser.add_argument("--shape", choices=("square", "polygon"), default="square")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random state (and polygon)")
    parser.add_argument("--init-core", type=int, default=5, help="cool until N_vortex + N_antivortex <= this")
    parser.add_argument("--block", type=int, default=2, help="random block size in cells")
    parser.add_argument("--alpha", type=float, default=ALPHA)
    parser.add_argument("--finish", choices=("llg", "relax", "minimize"), default="minimize")
    parser.add_argument("--dtype", default="float32", choices=("float64", "float32"))
    parser.add_argument("--out", default=None, help="output folder (default: the script's .out folder)")
    args = parser.parse_args()
    out = pm.io.output_dir() if args.out is None else pm.io.output_dir(args.out)

    start = time.perf_counter()
    res = simulate(args.n, args.shape, args.seed, args.init_core, args.block, args.alpha, args.finish,
                   args.dtype, out=out, progress=True)
    s = res.system
    print(f"{args.shape} film {args.n} x {args.n} x 2 cells of 3 nm ({s.magnet.sum().item()} magnetic cells), "
          f"seed {args.seed}, alpha {args.alpha}, {args.dtype}")
    print(f"start: (N_vortex, N_antivortex) = {res.counts['initial']}")
    print(f"cooled: {res.counts['cooled']} after {res.cooling_steps} LLG steps, t = {res.t_cooled / ns:.3f} ns "
          f"[{res.wall['cooling']:.1f} s]")
    print(*describe(res.cooled_vortices), sep="\n")
    print(f"final ({args.finish}): {res.counts['final']} after {res.finish_steps} steps, t = {s.t / ns:.3f} ns, "
          f"max |m x H| = {s.torque():.1f} A/m, E = {s.energy():.4e} J [{res.wall['finish']:.1f} s]")
    print(*describe(res.vortices), sep="\n")
    res.table.to_csv(out / "table.csv")
    write_vortices(out / "vortices.csv", {"cooled": res.cooled_vortices, "final": res.vortices})
    print(f"wall time {time.perf_counter() - start:.1f} s; wrote initial.png, cooled.png, cooled_winding.png, "
          f"final.png, final_winding.png, table.csv, vortices.csv to {out}")


if __name__ == "__main__":
    main()
