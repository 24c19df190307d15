"""Peak memory and time of a gradient through an LLG run: backpropagation through the
steps (``run(differentiable=True)``) against the adjoint-state method (``run(adjoint=True)``).

    python benchmarks/adjoint_memory.py [--steps 100 1000 10000] [--modes backprop adjoint difference]
                                        [--threads 1] [--memory-limit GiB]

The problem: a 64 x 64 x 1 permalloy film of 3 nm cells (Ms = 800 kA/m, A = 13 pJ/m,
alpha = 0.02), exchange + FFT demag + a uniform applied field H (a 3-vector tensor with
requires_grad, about 10 mT), m starting at (1, 0.2, 0.1) normalized; fixed RK4 steps of
dt = 1e-13 s, float64. The loss is <m_x> of the final state; the gradient is dL/dH.

Each (mode, steps) case runs in a fresh subprocess; its memory is the growth of the
process's peak resident set (``ru_maxrss``) over its value after the film was set up and
one field evaluated (kernel built). Times: the forward run and the backward pass, wall
clock. The gradient of each case is printed beside a reference, ``difference``: central
differences of four plain runs with H_x or H_y changed by +-1 A/m. Backpropagation
differentiates the discrete steps exactly. The adjoint integrates m back in time along
with the adjoint state; there damping turns into growth (the stiffest exchange mode grows
by exp(alpha gamma H_ex t), H_ex = 2A/(mu0 Ms) 8/dx^2 = 23 MA/m here, 1e11 /s), so the run
keeps the forward states at checkpoints (by default every ln(1e4)/(alpha gamma H_max),
about 90 ps here) and restarts the backward pass from each: its memory grows with the
simulated time by one state (98 kB) per checkpoint, not with the number of steps.

Backpropagation keeps every step's intermediate tensors, so its memory grows linearly
with the number of steps. Before a backprop case is started, its peak is estimated by
a straight line through the two largest backprop cases already measured in this call
(or, when there are fewer, two short probe runs of 100 and 300 steps); a case whose
estimate exceeds ``--memory-limit`` (default: the machine's physical memory) is not
run, and the table shows the estimate, marked as such, instead.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time

import torch

DT = 1e-13                   # RK4 step (s)
N = 64                       # film cells per side
PROBES = (100, 300)          # steps of the probe runs behind an estimate


def film(H):
    """The 64 x 64 x 1 film in the applied field ``H`` (A/m, a 3-vector tensor)."""
    import pymag as pm
    from pymag.units import nm
    mesh = pm.Mesh(n=(N, N, 1), cell=(3 * nm, 3 * nm, 3 * nm))
    return pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                     terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=H)], m=(1, 0.2, 0.1))


def applied(requires_grad):
    """The applied field (A/m): (10, 2, 0) mT / mu0."""
    from pymag.units import mT, mu0
    return torch.tensor([10 * mT / mu0, 2 * mT / mu0, 0.0], dtype=torch.float64, requires_grad=requires_grad)


def final_mx(system, steps, **options):
    """<m_x> after ``steps`` RK4 steps from the film's initial state (a 0-dim tensor)."""
    table = system.run(steps * DT, method="rk4", dt=DT, **options)
    return table.final_m[0].sum() / system.magnet.sum()


def case(mode, steps):
    """Run one case in this process; returns a dict: forward and backward seconds, peak
    resident-set growth (MiB) and the gradient dL/dH (m/A)."""
    H = applied(True)
    system = film(H)
    with torch.no_grad():
        system.field()                 # the demag kernel is built here, outside the measurement
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    options = {"adjoint": True} if mode == "adjoint" else {"differentiable": True, "progress": False}
    loss = final_mx(system, steps, **options)
    forward = time.perf_counter() - start
    start = time.perf_counter()
    loss.backward()
    backward = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    return {"forward": forward, "backward": backward, "memory_MiB": peak, "grad": H.grad.tolist()}


def central_difference(steps, h=1.0):
    """dL/dH_x and dL/dH_y (m/A) by central differences of ``h`` (A/m), four plain runs."""
    grad = [0.0, 0.0, math.nan]
    with torch.no_grad():
        for k in (0, 1):
            values = []
            for sign in (1, -1):
                H = applied(False)
                H[k] += sign * h
                values.append(float(final_mx(film(H), steps, progress=False)))
            grad[k] = (values[0] - values[1]) / (2 * h)
    return {"grad": grad}


def run_case(mode, steps, threads):
    """``case`` in a fresh subprocess; its dict, or {"error": the last line of its stderr}."""
    cmd = [sys.executable, __file__, "--case", mode, str(steps), "--threads", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        last = (out.stderr.strip().splitlines() or [f"exit status {out.returncode}"])[-1]
        return {"error": last[:160]}
    return json.loads(lines[-1])


def physical_memory_GiB():
    """The machine's physical memory (GiB), from /proc/meminfo."""
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 2**20
    raise RuntimeError("no MemTotal in /proc/meminfo")


def estimate(measured, steps):
    """Peak memory (MiB) of ``steps`` backprop steps by a straight line through the two
    largest cases in ``measured`` ({steps: MiB})."""
    (s0, m0), (s1, m1) = sorted(measured.items())[-2:]
    per_step = (m1 - m0) / (s1 - s0)
    return m1 + per_step * (steps - s1), per_step


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--modes", nargs="+", choices=("backprop", "adjoint", "difference"),
                        default=["backprop", "adjoint", "difference"])
    parser.add_argument("--threads", type=int, default=1,
                        help="torch threads (one: a 64 x 64 film is too small to gain from two, and a busy "
                             "second core makes the pool wait)")
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="GiB a backprop case may be estimated to need (default: physical memory)")
    parser.add_argument("--case", nargs=2, metavar=("MODE", "STEPS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.case:
        mode, steps = args.case[0], int(args.case[1])
        print(json.dumps(central_difference(steps) if mode == "difference" else case(mode, steps)))
        return
    import pymag
    limit = physical_memory_GiB() if args.memory_limit is None else args.memory_limit
    print(f"pymag {pymag.__version__}, torch {torch.__version__}, CPU ({os.cpu_count()} cores), "
          f"{args.threads} threads, {N} x {N} x 1 film, exchange + demag, RK4 dt = {DT:g} s, float64, "
          f"memory limit {limit:.1f} GiB\n")
    print("| steps | simulated (ps) | mode | peak memory (MiB) | forward (s) | backward (s) | forward + backward (s) "
          "| dL/dH_x (m/A) | dL/dH_y (m/A) |")
    print("|---|---|---|---|---|---|---|---|---|")
    measured = {}                                  # backprop steps -> MiB, for the estimates
    for steps in sorted(args.steps):
        for mode in args.modes:
            label = f"| {steps} | {steps * DT * 1e12:g} | {mode} |"
            if mode == "backprop" and steps > max(PROBES):
                if len(measured) < 2:
                    for probe in PROBES:
                        r = run_case("backprop", probe, args.threads)
                        if "error" not in r:
                            measured[probe] = r["memory_MiB"]
                if len(measured) >= 2:
                    mib, per_step = estimate(measured, steps)
                    if mib > limit * 1024:
                        used = " and ".join(str(s) for s in sorted(measured)[-2:])
                        print(f"{label} ~{mib / 1024:.1f} GiB (estimate from the {used}-step runs, "
                              f"{per_step:.2f} MiB/step): over the {limit:.1f} GiB limit, not run "
                              f"| - | - | - | - | - |", flush=True)
                        continue
            r = run_case(mode, steps, args.threads)
            if "error" in r:
                print(f"{label} {r['error']} | - | - | - | - | - |", flush=True)
                continue
            gx, gy, _ = r["grad"]
            if mode == "difference":
                print(f"{label} - | - | - | - | {gx:.6e} | {gy:.6e} |", flush=True)
                continue
            if mode == "backprop":
                measured[steps] = r["memory_MiB"]
            print(f"{label} {r['memory_MiB']:.0f} | {r['forward']:.1f} | {r['backward']:.1f} | "
                  f"{r['forward'] + r['backward']:.1f} | {gx:.6e} | {gy:.6e} |", flush=True)

if __name__ == "__main__":
    main()
