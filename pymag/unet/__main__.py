"""``python -m pymag.unet generate | train | evaluate``: the U-Net pipeline from data to accuracy report."""
import argparse
import json
import os
import sys

import torch

from .evaluate import FINISHES, GROUPS, MH_SETTLE, SETTLES, evaluate
from .generate import MATERIALS, STARTS, generate, load_data, read_manifest


def _generate(args):
    generate(args.out, sizes=args.sizes, trajectories=args.trajectories, batch=args.batch,
             samples=args.samples, duration=args.duration, seed=args.seed, start=args.start, materials=args.materials)


def _train(args):
    from .train import train
    data, datasets = {}, []
    for k, folder in enumerate(args.data):
        name = os.path.basename(os.path.normpath(folder))
        pairs = load_data(folder)
        # the first folder's groups keep their plain size keys, so its validation split is
        # the same whatever other folders are added (fine-tuning keeps an honest split)
        data.update({(w if k == 0 else f"{w}:{name}"): pair for w, pair in pairs.items()})
        manifest = read_manifest(folder)
        datasets.append({"folder": name, "recipe": manifest["recipe"], "settings": manifest["settings"],
                         "pairs": {str(w): len(m) for w, (m, _) in pairs.items()}})
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    command = "python -m pymag.unet " + " ".join(sys.argv[1:])
    train(data, args.out, epochs=args.epochs, batch=args.batch, lr=args.lr, channels=args.channels,
          minutes=args.minutes, max_minutes=args.max_minutes, seed=args.seed, lam=args.lam, init=args.init, ema=args.ema,
          near=args.near,
          command=command, datasets=datasets)
    write_metadata(args.out)


def write_metadata(path):
    """Write the checkpoint's metadata (architecture, data recipe, command, validation errors)
    beside it as JSON: ``model.pt`` -> ``model.json``."""
    from .checkpoint import load_model
    _, meta = load_model(path)
    target = os.path.splitext(os.fspath(path))[0] + ".json"
    with open(target, "w") as f:
        json.dump(meta, f, indent=1)


def _evaluate(args):
    evaluate(args.out, model=args.model, sizes=args.sizes, samples=args.samples, groups=args.groups,
             mh_sizes=args.mh_sizes, mh_samples=args.mh_samples, error_sizes=args.error_sizes, batch=args.batch,
             seed=args.seed, alpha=args.alpha, finish=args.finish, method=args.method, mh_settle=args.mh_settle)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pymag.unet", description=__doc__)
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    sub = parser.add_subparsers(dest="command", required=True)

    g = sub.add_parser("generate", help="FFT/LLG trajectories of random films -> (m, H_d) shards")
    g.add_argument("--out", default="unet-data", help="data folder (resumes if it exists)")
    g.add_argument("--sizes", type=int, nargs="+", default=[32, 64, 96])
    g.add_argument("--trajectories", type=int, default=48, help="films per size")
    g.add_argument("--batch", type=int, default=8, help="films simulated together as one tensor")
    g.add_argument("--samples", type=int, default=80, help="states kept per film")
    g.add_argument("--duration", type=float, default=0.4e-9, help="trajectory length (s)")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--start", choices=STARTS, default="random",
                   help="random in-plane blocks (the paper's), or one uniform in-plane direction per film")
    g.add_argument("--materials", choices=MATERIALS, default="fixed",
                   help="one material for all films (the paper's), or each film its own Ms and A")
    g.set_defaults(run=_generate)

    t = sub.add_parser("train", help="train a U-Net on generated data (resumes from OUT.state)")
    t.add_argument("--data", nargs="+", default=["unet-data"], help="data folder(s)")
    t.add_argument("--out", default="unet-model.pt")
    t.add_argument("--epochs", type=int, default=1000, help="most epochs (the --minutes budget usually ends first)")
    t.add_argument("--batch", type=int, default=16)
    t.add_argument("--lr", type=float, default=1e-2, help="peak learning rate (cosine decay)")
    t.add_argument("--channels", type=int, default=16)
    t.add_argument("--minutes", type=float, default=None,
                   help="training time budget over all calls: the learning rate decays over it")
    t.add_argument("--max-minutes", type=float, default=None,
                   help="stop after the epoch that passes this budget; run again to go on")
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--lam", type=float, default=None,
                   help="weight of the SLA-space term of loss eq. 18 (default: the ratio of the terms' scales)")
    t.add_argument("--init", default=None, help="start from this checkpoint's weights (fine-tuning)")
    t.add_argument("--near", type=int, default=0,
                   help="add the exact field of the cells within this many cells; the network learns the rest "
                        "(0: the paper's U-Net)")
    t.add_argument("--ema", type=float, default=None,
                   help="keep a moving average of the weights with this decay per step (e.g. 0.998)")
    t.set_defaults(run=_train)

    e = sub.add_parser("evaluate", help="the paper's accuracy protocol, U-Net against FFT")
    e.add_argument("--out", default="unet-evaluation", help="folder for report.md and report.json")
    e.add_argument("--model", default=None, help="checkpoint (default: the shipped model)")
    e.add_argument("--method", default="unet", choices=["unet", "unet_symmetric", "fft64"],
                   help="the learned demag provider compared with FFT; fft64: the FFT in float64, "
                        "the protocol's own noise floor")
    e.add_argument("--groups", nargs="*", default=list(GROUPS), choices=GROUPS)
    e.add_argument("--sizes", type=int, nargs="*", default=[32, 64])
    e.add_argument("--samples", type=int, default=50, help="films per group and size")
    e.add_argument("--mh-sizes", type=int, nargs="*", default=[32], help="sizes of the MH-curve comparison")
    e.add_argument("--mh-samples", type=int, default=10, help="films per group and size in the MH comparison")
    e.add_argument("--mh-settle", choices=SETTLES, default=MH_SETTLE,
                   help="how each MH field is settled: damped dynamics, or energy minimization (cheaper, "
                        "but its long steps can leave a shallow minimum of a learned field; docs/unet.md)")
    e.add_argument("--error-sizes", type=int, nargs="*", default=[32, 64, 128, 256, 512])
    e.add_argument("--batch", type=int, default=10, help="films run together as one tensor")
    e.add_argument("--alpha", type=float, default=0.1, help="damping of the ground-state runs")
    e.add_argument("--finish", choices=FINISHES, default=FINISHES[0],
                   help="after cooling: LLG to the paper's criterion, or energy minimization (cheaper)")
    e.add_argument("--seed", type=int, default=12345)
    e.set_defaults(run=_evaluate)

    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    args.run(args)


if __name__ == "__main__":
    main()
