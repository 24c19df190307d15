"""Peak memory and time of a gradient through an LLG run: backpropagation through the
steps (``run(differentiable=True)``) against the adjoint-state method (``run(adjoint=True)``).

    python benchmarks/adjoint_memory.py [--steps 100 1000 10000] [--modes backprop adjoint]
                                        [--threads 2] [--memory-limit GiB]

The problem: a 64 x 64 x 1 permalloy film of 3 nm cells (Ms = 800 kA/m, A = 13 pJ/m,
alpha = 0.02), exchange + FFT demag + a uniform applied field H (a 3-vector tensor with
requires_grad, about 10 mT), m starting at (1, 0.2, 0.1) normalized; fixed RK4 steps of
dt = 1e-13 s, float64. The loss is <m_x> of the final state; the gradient is dL/dH.

Each (mode, steps) case runs in a fresh subprocess; its memory is the growth of the
process's peak resident set (``ru_maxrss``) over its value after the film was set up and
one field evaluated (kernel built). Times: the forward run and the backward pass, wall
clock. The gradient of each case is printed so that the two methods can be compared: the
adjoint integrates m back in time, where damping turns into growth, so its gradient
drifts from the exact (backpropagated) one as the run gets longer.

Backpropagation keeps every step's intermediate tensors, so its memory grows linearly
with the number of steps. Before a backprop case is started, its peak is estimated by
a straight line through the two largest backprop cases already measured in this call
(or, when there are fewer, two short probe runs of 100 and 300 steps); a case whose
estimate exceeds ``--memory-limit`` (default: the machine's physical memory) is not
run, and the table shows the estimate, marked as such, instead.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

import torch

DT = 1e-13                   # RK4 step (s)
N = 64                       # film cells per side
PROBES = (100, 300)          # steps of the probe runs behind an estimate


def case(mode, steps):
    """Run one case in this process; returns a dict: forward and backward seconds, peak
    resident-set growth (MiB) and the gradient dL/dH (1/(A/m))."""
    import pymag as pm
    from pymag.units import mT, mu0, nm
    H = torch.tensor([10 * mT / mu0, 2 * mT / mu0, 0.0], dtype=torch.float64, requires_grad=True)
    mesh = pm.Mesh(n=(N, N, 1), cell=(3 * nm, 3 * nm, 3 * nm))
    system = pm.System(mesh, material={"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02},
                       terms=[pm.Exchange(), pm.Demag(), pm.Zeeman(H=H)], m=(1, 0.2, 0.1))
    with torch.no_grad():
        system.field()                 # the demag kernel is built here, outside the measurement
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    mode_options = {"adjoint": True} if mode == "adjoint" else {"differentiable": True, "progress": False}
    table = system.run(steps * DT, method="rk4", dt=DT, **mode_options)
    loss = table.final_m[0].sum() / system.magnet.sum()
    forward = time.perf_counter() - start
    start = time.perf_counter()
    loss.backward()
    backward = time.perf_counter() - start
    peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
    return {"forward": forward, "backward": backward, "memory_MiB": peak, "loss": float(loss),
            "grad": H.grad.tolist()}


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
    parser.add_argument("--modes", nargs="+", choices=("backprop", "adjoint"), default=["backprop", "adjoint"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="GiB a backprop case may be estimated to need (default: physical memory)")
    parser.add_argument("--case", nargs=2, metavar=("MODE", "STEPS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.case:
        print(json.dumps(case(args.case[0], int(args.case[1]))))
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
            if mode == "backprop":
                measured[steps] = r["memory_MiB"]
            gx, gy, _ = r["grad"]
            print(f"{label} {r['memory_MiB']:.0f} | {r['forward']:.1f} | {r['backward']:.1f} | "
                  f"{r['forward'] + r['backward']:.1f} | {gx:.6e} | {gy:.6e} |", flush=True)


if __name__ == "__main__":
    main()
