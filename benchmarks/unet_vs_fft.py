"""Per-iteration time of the LLG right-hand side and of the demag field alone, exact FFT
against the U-Net and the TensorRT-compiled U-Net, on n x n x 2 films of 3 nm cells (the
paper's bilayer), with the peak memory of each case. Prints a markdown table like seed
000's Tables 2 and 6.

    python benchmarks/unet_vs_fft.py [--sizes 32 64 ... 2048] [--device cpu|cuda] [--threads 2]
                                     [--model path.pt] [--dtype float32]

One iteration is one evaluation of the effective field (exchange + demag) and dm/dt. Each
(provider, size) runs in a fresh subprocess so that its peak memory is its own: on CUDA
torch.cuda.max_memory_allocated, on the CPU the growth of the process's peak resident set
over its start. Providers that cannot run here (TensorRT without CUDA and torch_tensorrt)
are listed with the reason.
"""
import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

import torch


def case(provider, n, device, dtype, model, repeat):
    """Time one case in this process; returns a dict (seconds per iteration, memory in MB)."""
    import pymag as pm
    from pymag.drivers.llg import LLG
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    options = {"model": model} if (model and provider != "fft") else {}
    mesh = pm.Mesh(n=(n, n, 2), cell=(3e-9,) * 3)
    system = pm.System(mesh, material={"Ms": 1e6, "A": 5e-12, "alpha": 0.1},
                       terms=[pm.Exchange(), pm.Demag(method=provider, **options)],
                       m=pm.init.random_blocks(2, seed=0), dtype=dtype, device=device)
    rhs = LLG(system)
    demag = system.term("demag")
    m = system.m
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    if device == "cuda":
        torch.cuda.reset_peak_memory_stats()
    with torch.no_grad():
        rhs(0.0, m)
        sync()
        count = max(1, int(2e6 // (n * n)))
        times = {"llg": [], "demag": []}
        for _ in range(repeat):
            for key, fn in (("llg", lambda: rhs(0.0, m)), ("demag", lambda: demag.field(m))):
                start = time.perf_counter()
                for _ in range(count):
                    fn()
                sync()
                times[key].append((time.perf_counter() - start) / count)
    if device == "cuda":
        memory = torch.cuda.max_memory_allocated() / 2**20
    else:
        memory = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - base
    return {"llg": statistics.median(times["llg"]), "demag": statistics.median(times["demag"]), "memory_MB": memory}


def run_case(provider, n, args):
    """Run ``case`` in a subprocess; returns its dict or {"error": message}."""
    cmd = [sys.executable, __file__, "--case", provider, str(n), "--device", args.device, "--dtype", args.dtype,
           "--threads", str(args.threads), "--repeat", str(args.repeat)] + (["--model", args.model] if args.model else [])
    out = subprocess.run(cmd, capture_output=True, text=True)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if out.returncode or not lines:
        last = (out.stderr.strip().splitlines() or ["failed"])[-1]
        return {"error": last[:160]}
    return json.loads(lines[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 128, 256, 512, 1024, 2048])
    parser.add_argument("--providers", nargs="+", default=["fft", "unet", "tensorrt"])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--dtype", default="float32")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--model", default=None, help="U-Net checkpoint (default: the shipped model)")
    parser.add_argument("--case", nargs=2, metavar=("PROVIDER", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    if args.case:
        print(json.dumps(case(args.case[0], int(args.case[1]), args.device, args.dtype, args.model, args.repeat)))
        return
    import pymag
    name = torch.cuda.get_device_name() if args.device == "cuda" else f"CPU, {args.threads} threads"
    print(f"pymag {pymag.__version__}, torch {torch.__version__}, {name}, {args.dtype}, n x n x 2 films\n")
    print("| n | provider | LLG iteration (ms) | demag (ms) | demag share | speed-up vs FFT (LLG) | peak memory (MB) |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        fft = None
        for provider in args.providers:
            r = run_case(provider, n, args)
            if "error" in r:
                print(f"| {n} | {provider} | - | - | - | - | {r['error']} |", flush=True)
                continue
            fft = r if provider == "fft" else fft
            speed = f"{fft['llg'] / r['llg']:.2f}" if fft else "-"
            print(f"| {n} | {provider} | {1e3 * r['llg']:.3f} | {1e3 * r['demag']:.3f} | {r['demag'] / r['llg']:.0%} "
                  f"| {speed} | {r['memory_MB']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
