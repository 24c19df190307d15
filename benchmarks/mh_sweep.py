"""Wall time of the NeuralMAG MH sweep (examples/mh_curve.py): 1000 Oe to -1000 Oe in 10 Oe
steps along x on an n x n x 2 film of 3 nm cells, equilibrium at each of the 201 fields.
Prints a markdown table with the remanence and coercivity of each run.

    python benchmarks/mh_sweep.py [--sizes 32 64] [--dtypes float64 float32] [--methods minimize] [--threads 2] [--kick 0.05]
"""
import argparse
import pathlib
import sys
import time

import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import mh_curve  # noqa: E402
from pymag.units import Oe  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[32, 64])
    parser.add_argument("--dtypes", nargs="*", default=["float64", "float32"])
    parser.add_argument("--methods", nargs="*", default=["minimize"])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--tilt", type=float, default=0.0, help="field angle from x (degrees)")
    parser.add_argument("--kick", type=float, default=0.0, help="rms of the noise added before each field")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"torch {torch.__version__}, {args.threads} threads, field {args.tilt} degrees from x, kick {args.kick}")
    print("| film | method | dtype | fields | wall time (s) | s per field | Mr/Ms | Hc (Oe) |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for method in args.methods:
            for dtype in args.dtypes:
                system = mh_curve.film(n, dtype=dtype)
                start = time.perf_counter()
                res = system.hysteresis(mh_curve.sweep(), direction=mh_curve.direction(args.tilt), method=method, progress=False,
                                       noise=args.kick, seed=1)
                wall = time.perf_counter() - start
                print(f"| {n}x{n}x2 | {method} | {dtype} | {len(res.H)} | {wall:.1f} | {wall / len(res.H):.3f} | "
                      f"{res.remanence:.4f} | {res.coercivity / Oe:.1f} |", flush=True)


if __name__ == "__main__":
    main()
