"""One LLG right-hand-side evaluation (exchange + FFT demag, open boundaries) in pymag and in
the PyTorch peers magnum.np and NeuralMag, on N x N x 1 films and a 64^3 cube of 3 nm cells.
Prints a markdown table. Set-up of the peers' environment: docs/peers.md.

    python benchmarks/peers.py [--sizes 64 128 256 512 1024] [--no-cube] [--dtypes float32 float64]
                               [--codes pymag magnumnp neuralmag] [--repeat 7] [--threads 2]
                               [--compile [magnumnp] [neuralmag]]

Installs nothing: a code that is not importable is skipped with a note.

One evaluation is the effective field (exchange + demag) and the two cross products of the LLG
equation for a fixed random unit m (seed 0), through each code's own entry point: pymag
``LLG(system)(t, m)``; magnum.np ``LLGSolver(terms).dm(t, m, state)``; NeuralMag the function
its ``LLGSolver`` integrates, ``config.backend.compile(state.resolve(llg_rhs, ["t", "m"]))``.
Ms = 8e5 A/m, A = 1.3e-11 J/m, alpha = 0.02 everywhere. NeuralMag is nodal: an N x N x 1 film
is its 2-D mesh of N x N cells ((N+1)^2 nodes, the thickness carried by the cell size, as its
documentation advises for one-layer films) and the cube has (n+1)^3 nodes; ns/cell counts
cells in every code.

How it measures. Each (case, dtype, code) runs in its own worker process (this script run
with the hidden ``--one``), so every code keeps its own global torch settings (magnum.np sets
the default dtype and device when imported; torch.compile is on or off per process) and its
peak memory is its own: the growth of the worker's peak resident set (ru_maxrss) over its
value after the imports, so set-up (demag kernel), compilation and evaluations all count.
The workers of one case start one after the other, each building its state, calling the RHS
once and running one untimed block as warm-up with the CPU to itself; then they stay alive
together and the parent asks them in turn for one timed block each (A, B, C, A, B, C, ...,
``--repeat`` rounds). Only one computes at a time, and a burst of load on the machine hits
all codes alike. A block is max(1, 2e6 // cells) evaluations; the table gives the median time
per evaluation over the blocks, with min and max, and "x fastest peer": the fastest peer's
median over the row's (on pymag's row its speed-up over the best peer). Everything runs on the
CPU (CUDA_DEVICE=-1 and NM_DEVICE=cpu keep the peers there), torch.set_num_threads(--threads).

Agreement. Each worker also evaluates dm/dt once for a smooth unit field (one analytic m,
sampled at the cell centres, or at NeuralMag's nodes); the table gives the relative L2
difference of that dm/dt from pymag's, NeuralMag's averaged from the nodes to the cell
centres first. Reported, not asserted: the codes discretize differently (magnum.np's demag
kernel switches to the point dipole beyond 20 cells; NeuralMag is a nodal scheme). pymag is
given the peers' gyromagnetic ratio so that the constant does not enter the difference.

Compilation. By default the peers run eagerly: their workers get TORCHDYNAMO_DISABLE=1, which
also turns off the torch.compile that magnum.np puts on its exchange field by default, and
NeuralMag gets NM_TORCH_COMPILE=False. ``--compile`` adds a row per peer in its compiled mode,
each library's own: magnum.np's torch.compile of the exchange field, NeuralMag's
(NM_TORCH_COMPILE=True, its default) of the whole resolved RHS. Its "compile s" is the first
compiled call, made after an eager call has built the kernels, with an empty inductor cache
(cold: what a new mesh size costs) and ``--threads`` inductor compile workers. pymag has no
compiled mode. "set-up s" is building the state, the demag kernel and one eager evaluation.
"""
import argparse
import importlib.metadata
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch

CELL = 3e-9                         # cubic cells (m)
MATERIAL = {"Ms": 8e5, "A": 1.3e-11, "alpha": 0.02}
GAMMA = 2.21276157e5                # magnum.np's gamma (NeuralMag's agrees to 1e-7), m/(A s)
SEED = 0
CUBE = 64
MARK = "@peers "                    # prefix of the workers' replies on stdout
PACKAGES = {"pymag": "pymag", "magnumnp": "magnumnp", "neuralmag": "neuralmag"}
MODULES = {"pymag": "pymag.drivers.llg", "magnumnp": "magnumnp", "neuralmag": "neuralmag.backends.torch"}
NAMES = {"pymag": "pymag", "magnumnp": "magnum.np", "neuralmag": "NeuralMag"}


# ----- the common fields ------------------------------------------------------------------

def random_unit(shape):
    """Random unit vectors, numpy (3, *shape) float64: pymag's ``init.random(seed=SEED)``."""
    v = np.random.default_rng(SEED).normal(size=(3,) + tuple(shape))
    return v / np.linalg.norm(v, axis=0)


def smooth_unit(axes, lengths):
    """The agreement check's m at the points of the grid ``axes`` (three 1-D float64 tensors of
    coordinates, m) in a box of ``lengths``: a unit field (*grid, 3) turning smoothly once
    across the box."""
    x, y, z = torch.meshgrid(*axes, indexing="ij")
    u, v, w = x / lengths[0], y / lengths[1], z / lengths[2]
    theta = torch.pi * (0.25 + 0.5 * u)
    phi = 2 * torch.pi * v + torch.pi * w
    return torch.stack([theta.sin() * phi.cos(), theta.sin() * phi.sin(), theta.cos()], dim=-1)


def cell_centres(n):
    """Coordinates of the cell centres along each axis of an ``n`` mesh (float64)."""
    return [(torch.arange(k, dtype=torch.float64) + 0.5) * CELL for k in n]


# ----- the three codes: each builds (rhs, dmdt) --------------------------------------------
# rhs(): one evaluation for the random m. dmdt(): dm/dt (1/s) for the smooth m, as a float64
# tensor (3, nx, ny, nz) at the cell centres.

def build_pymag(n, dtype):
    """pymag's LLG right-hand side."""
    import pymag as pm
    from pymag.drivers.llg import LLG
    mesh = pm.Mesh(n=n, cell=(CELL,) * 3)
    system = pm.System(mesh, material={**MATERIAL, "gamma": GAMMA}, terms=[pm.Exchange(), pm.Demag()],
                       m=random_unit(n), dtype=dtype)
    llg = LLG(system)
    m = system.m
    smooth = smooth_unit(cell_centres(n), [k * CELL for k in n]).movedim(-1, 0).to(dtype).contiguous()
    return (lambda: llg(0.0, m)), (lambda: llg(0.0, smooth)[0].double())


def build_magnumnp(n, dtype):
    """magnum.np's ``LLGSolver.dm``; its arrays are (nx, ny, nz, 3), their dtype torch's default."""
    import magnumnp as mn
    torch.set_default_dtype(dtype)
    state = mn.State(mn.Mesh(n, (CELL,) * 3))
    state.material = MATERIAL
    llg = mn.LLGSolver([mn.DemagField(), mn.ExchangeField()])
    m = torch.from_numpy(random_unit(n)).movedim(0, -1).to(dtype).contiguous()
    smooth = smooth_unit(cell_centres(n), [k * CELL for k in n]).to(dtype)
    return (lambda: llg.dm(state.t, m, state)), (lambda: llg.dm(state.t, smooth, state).movedim(-1, 0).double())


def build_neuralmag(n, dtype):
    """NeuralMag's LLG right-hand side, as its torch ``LLGSolver`` builds it; nodal arrays
    (nx+1, ny+1, 3) for a film (its 2-D mesh), (nx+1, ny+1, nz+1, 3) for the cube."""
    import neuralmag as nm
    from neuralmag.backends.torch.llg_solver_torch import llg_rhs
    cells = n[:2] if n[2] == 1 else n
    state = nm.State(nm.Mesh(cells, (CELL,) * 3), dtype=str(dtype).removeprefix("torch."))
    for key, value in MATERIAL.items():
        setattr(state.material, key, value)
    nodes = tuple(k + 1 for k in cells)
    m = torch.from_numpy(random_unit(nodes)).movedim(0, -1).to(dtype).contiguous()
    state.m = nm.VectorFunction(state, tensor=m)
    nm.ExchangeField().register(state, "exchange")
    nm.DemagField().register(state, "demag")
    nm.TotalField("exchange", "demag").register(state)
    rhs = nm.config.backend.compile(state.resolve(llg_rhs, ["t", "m"]))
    layer = [] if len(nodes) == 3 else [torch.tensor([CELL / 2], dtype=torch.float64)]   # a film's one node layer
    axes = [torch.arange(k, dtype=torch.float64) * CELL for k in nodes] + layer
    smooth = smooth_unit(axes, [k * CELL for k in n]).reshape(nodes + (3,)).to(dtype)
    return (lambda: rhs(state.t, m)), (lambda: nodes_to_cells(rhs(state.t, smooth).double()))


def nodes_to_cells(f):
    """A nodal field (*nodes, 3) averaged to the cell centres, (3, nx, ny, nz)."""
    for axis in range(f.dim() - 1):
        k = f.shape[axis] - 1
        f = 0.5 * (f.narrow(axis, 0, k) + f.narrow(axis, 1, k))
    f = f.movedim(-1, 0)
    return f.unsqueeze(-1) if f.dim() == 3 else f


BUILDERS = {"pymag": build_pymag, "magnumnp": build_magnumnp, "neuralmag": build_neuralmag}


# ----- the worker (--one) ------------------------------------------------------------------

def reply(obj):
    """Send one reply to the parent."""
    print(MARK + json.dumps(obj), flush=True)


def peak_mb():
    """Peak resident set of this process so far (MB; ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def block(fn, count):
    """Seconds per call of ``count`` calls of ``fn``."""
    start = time.perf_counter()
    for _ in range(count):
        fn()
    return (time.perf_counter() - start) / count


def worker(code, n, dtype, compiled, count):
    """Serve one (case, dtype, code): build and warm up, then answer the parent's commands on
    stdin: ``check PATH`` (save the smooth m's dm/dt), ``time`` (one timed block), ``quit``."""
    importlib.import_module(MODULES[code])
    importlib.import_module("torch._dynamo")      # set_stance's machinery: imported before the baseline
    base = peak_mb()
    start = time.perf_counter()
    with torch.compiler.set_stance("force_eager"):
        rhs, dmdt = BUILDERS[code](n, dtype)
        rhs()
    ready = {"setup_s": time.perf_counter() - start, "compile_s": block(rhs, 1) if compiled else None}
    block(rhs, count)
    reply(ready)
    for line in sys.stdin:
        command, *arg = line.split()
        if command == "check":
            torch.save(dmdt().cpu(), arg[0])
            reply({})
        elif command == "time":
            reply({"s": block(rhs, count)})
        elif command == "quit":
            reply({"peak_MB": peak_mb() - base})
            return


# ----- the parent --------------------------------------------------------------------------

class Worker:
    """A ``--one`` process for one (case, dtype, code[+compile]), started and warmed up: ``ready``
    holds its set-up and compile seconds (None if it failed)."""

    def __init__(self, code, compiled, n, dtype, args):
        self.code, self.compiled, self.dtype = code, compiled, dtype
        self.name = NAMES[code] + (" + compile" if compiled else "")
        self.cache = tempfile.TemporaryDirectory()      # an empty inductor cache: compile times are cold
        env = dict(os.environ, TORCHINDUCTOR_COMPILE_THREADS=str(args.threads), TORCHINDUCTOR_CACHE_DIR=self.cache.name,
                   CUDA_DEVICE="-1", NM_BACKEND="torch", NM_DEVICE="cpu", NM_TORCH_COMPILE=str(compiled))
        if not compiled:
            env["TORCHDYNAMO_DISABLE"] = "1"
        cmd = [sys.executable, __file__, "--threads", str(args.threads),
               "--one", code, *map(str, n), dtype] + (["--compile"] if compiled else [])
        self.log = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
                                     text=True, env=env)
        self.times, self.error = [], None
        self.ready = self.ask()

    def ask(self, command=None):
        """Send ``command`` (if any) and return the reply; None once the worker has failed."""
        if self.error:
            return None
        try:
            if command:
                self.proc.stdin.write(command + "\n")
                self.proc.stdin.flush()
            for line in self.proc.stdout:
                if line.startswith(MARK):
                    return json.loads(line[len(MARK):])
        except BrokenPipeError:
            pass
        self.proc.wait()
        self.log.seek(0)
        self.error = ([line.strip() for line in self.log if line.strip()] or ["exited"])[-1][:160]
        return None

    def close(self):
        """Ask for the peak memory and end the worker."""
        result = self.ask("quit")
        self.peak = result["peak_MB"] if result else None
        self.proc.communicate()
        self.log.close()
        self.cache.cleanup()


def relative_difference(path, reference):
    """Relative L2 difference of the dm/dt saved at ``path`` from ``reference``."""
    return float((torch.load(path) - reference).norm() / reference.norm())


def check(workers, folder):
    """Each worker's dm/dt for the smooth m, relative to pymag's of the same dtype: {worker: diff}."""
    saved = {}
    for i, w in enumerate(workers):
        path = os.path.join(folder, f"{i}.pt")
        if w.ask(f"check {path}") is not None:
            saved[w] = path
    reference = {w.dtype: torch.load(p) for w, p in saved.items() if w.code == "pymag"}
    return {w: relative_difference(p, reference[w.dtype]) for w, p in saved.items()
            if w.code != "pymag" and w.dtype in reference}


def variants(codes, compiled):
    """(code, compiled) pairs to run: every code eagerly, and the peers compiled on request."""
    return [(c, False) for c in codes] + [(c, True) for c in codes if c in compiled and c != "pymag"]


def run_case(n, args):
    """Start, check and time all workers of one case; print its rows."""
    workers = []
    for dtype in args.dtypes:
        for code, compiled in variants(args.codes, args.compile):
            workers.append(Worker(code, compiled, n, dtype, args))
    with tempfile.TemporaryDirectory() as folder:
        diffs = check(workers, folder)
    for _ in range(args.repeat):
        for w in workers:
            result = w.ask("time")
            if result:
                w.times.append(result["s"])
    for w in workers:
        w.close()
    print_rows(n, workers, diffs)


def fmt(value, spec):
    """``value`` formatted with ``spec``, or '-' for None."""
    return "-" if value is None else format(value, spec)


def print_rows(n, workers, diffs):
    """The table rows of one case, grouped by dtype."""
    case = "x".join(map(str, n))
    cells = n[0] * n[1] * n[2]
    for dtype in dict.fromkeys(w.dtype for w in workers):
        group = [w for w in workers if w.dtype == dtype]
        peers = [statistics.median(w.times) for w in group if w.code != "pymag" and w.times]
        best = min(peers) if peers else None
        for w in group:
            if w.error or not w.times:
                print(f"| {case} | {dtype} | {w.name} | failed: {w.error} | | | | | | |", flush=True)
                continue
            med = statistics.median(w.times)
            speed = fmt(best / med if best else None, ".2f")
            print(f"| {case} | {dtype} | {w.name} | {1e3 * med:.3f} ({1e3 * min(w.times):.3f}-"
                  f"{1e3 * max(w.times):.3f}) | {1e9 * med / cells:.1f} | {speed} | {fmt(diffs.get(w), '.1e')} | "
                  f"{w.ready['setup_s']:.2f} | {fmt(w.ready['compile_s'], '.1f')} | {fmt(w.peak, '.0f')} |", flush=True)


def available(codes):
    """The importable ones of ``codes``; prints a note for each missing one."""
    found = []
    for code in codes:
        if importlib.util.find_spec(PACKAGES[code]) is None:
            print(f"note: {code} is not importable here, skipped (docs/peers.md sets it up)")
        else:
            found.append(code)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[64, 128, 256, 512, 1024])
    parser.add_argument("--cube", action=argparse.BooleanOptionalAction, default=True,
                        help=f"also the {CUBE}^3 cube (default: yes)")
    parser.add_argument("--dtypes", nargs="+", choices=["float32", "float64"], default=["float32", "float64"])
    parser.add_argument("--codes", nargs="+", choices=list(PACKAGES), default=list(PACKAGES))
    parser.add_argument("--repeat", type=int, default=7, help="timed blocks per code and case")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--compile", nargs="*", choices=[c for c in PACKAGES if c != "pymag"], default=None,
                        help="also time these peers' torch.compile modes (all peers if none is named)")
    parser.add_argument("--one", nargs=5, metavar=("CODE", "NX", "NY", "NZ", "DTYPE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.one:
        code, *n, dtype = args.one
        n = tuple(map(int, n))
        worker(code, n, getattr(torch, dtype), args.compile is not None, max(1, int(2e6 // np.prod(n))))
        return
    peers = [c for c in PACKAGES if c != "pymag"]
    args.compile = [] if args.compile is None else (args.compile or peers)
    args.codes = available(args.codes)
    versions = ", ".join(f"{NAMES[c]} {importlib.metadata.version(PACKAGES[c])}" for c in args.codes)
    print(f"torch {torch.__version__}, {versions}; CPU, {args.threads} threads; {args.repeat} alternating blocks\n")
    print("| case | dtype | code | ms per evaluation, median (min-max) | ns/cell | x fastest peer | "
          "dm/dt rel. diff. vs pymag | set-up s | compile s | peak memory MB |")
    print("|---|---|---|---|---|---|---|---|---|---|", flush=True)
    cases = [(k, k, 1) for k in args.sizes] + ([(CUBE,) * 3] if args.cube else [])
    for n in cases:
        run_case(n, args)


if __name__ == "__main__":
    main()
