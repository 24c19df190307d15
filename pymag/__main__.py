"""Command line: ``python -m pymag demo | info | run script.py [args...]``."""
import argparse
import os
import pathlib
import runpy
import sys


def _demo(args):
    from .demo import vortex_film
    from .io.output import output_dir
    vortex_film(output_dir(args.out), n=args.n, seed=args.seed)


def _info(args):
    import torch

    from . import __version__
    from .demag import available
    print(f"pymag {__version__}")
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads")
    if torch.cuda.is_available():
        names = ", ".join(torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count()))
        print(f"devices: cpu, cuda ({names})")
    else:
        print("devices: cpu (no CUDA device visible to torch)")
    print(f"demag providers: {', '.join(available())}")


def _run(args):
    script = pathlib.Path(args.script)
    if not script.is_file():
        sys.exit(f"pymag run: no script {script}")
    out = pathlib.Path(args.out) if args.out else script.with_suffix(".out")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["PYMAG_OUT"] = str(out)
    sys.argv = [str(script), *args.args]
    sys.path.insert(0, str(script.resolve().parent))
    runpy.run_path(str(script), run_name="__main__")
    print(f"pymag run: outputs of {script.name} are in {out}/")


def main(argv=None):
    """Entry point of ``python -m pymag``."""
    parser = argparse.ArgumentParser(prog="python -m pymag", description="pymag micromagnetics")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="cool a 384 nm film into vortices; figures into --out")
    demo.add_argument("--out", default="out", help="output folder (default: out)")
    demo.add_argument("--n", type=int, default=96, help="cells per side")
    demo.add_argument("--seed", type=int, default=2)
    demo.set_defaults(func=_demo)
    info = commands.add_parser("info", help="version, devices and demag providers")
    info.set_defaults(func=_info)
    run = commands.add_parser("run", help="run a problem script; its outputs go to <script>.out/")
    run.add_argument("script")
    run.add_argument("--out", help="output folder instead of <script>.out")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments passed on to the script")
    run.set_defaults(func=_run)
    args = parser.parse_args(argv)
    args.func(args)


if __name__ == "__main__":
    main()
