"""U-Net checkpoints: weights plus the metadata that says where the model is valid.

A checkpoint is a plain dict of tensors, numbers and strings (loaded with weights_only=True:
data, never code): ``state`` (the module's state dict), ``layers``, ``channels``,
``aspect`` (dy/dx, dz/dx of the cells it was trained on), ``Ms_ref`` (A/m) and
``field_scale`` (the network's output is H_d / Ms_ref * field_scale), ``near`` (the radius of
the exact short-range part added to the network's output, 0 for the paper's U-Net), plus free
``info``.
"""
import os

import torch

from ..errors import ProviderError
from ..io.checkpoint import load_checkpoint, save_checkpoint
from .model import UNet

# the paper's units: H in Oe for Ms_ref = 1000 emu/cc (1e6 A/m): H[Oe] = H[A/m] 4 pi / 1000
MS_REF = 1e6
FIELD_SCALE = 4000 * torch.pi
REQUIRED = ("state", "layers", "channels", "aspect", "Ms_ref", "field_scale")
_HERE = os.path.dirname(os.path.abspath(__file__))
#: the model pymag ships and uses by default: the paper's U-Net plus the exact field within 8 cells
DEFAULT_MODEL = os.path.join(_HERE, "default_model.pt")
#: the paper's U-Net alone (near = 0), as seed 000 defines it
PAPER_MODEL = os.path.join(_HERE, "paper_model.pt")


def save_model(path, net, aspect, Ms_ref=MS_REF, field_scale=FIELD_SCALE, **info):
    """Write ``net`` (a UNet) and its validity metadata to ``path``; ``aspect`` = (dy/dx, dz/dx)."""
    save_checkpoint(path, {"state": {k: v.detach().cpu() for k, v in net.state_dict().items()},
                           "layers": int(net.layers), "channels": int(net.s0.out_channels),
                           "aspect": [float(a) for a in aspect], "Ms_ref": float(Ms_ref),
                           "field_scale": float(field_scale), "near": int(net.near), "info": info})


def load_model(path):
    """(UNet in eval mode, metadata dict) from a checkpoint written by ``save_model``."""
    try:
        data = load_checkpoint(path)
    except Exception as err:
        raise ProviderError(f"cannot load U-Net checkpoint {path}: {err}") from None
    missing = [k for k in REQUIRED if k not in data]
    if missing:
        raise ProviderError(f"{path} is not a pymag U-Net checkpoint: it lacks {', '.join(missing)}")
    net = UNet(layers=data["layers"], channels=data["channels"], near=data.get("near", 0), aspect=data["aspect"],
               field_scale=data["field_scale"])
    try:
        net.load_state_dict(data["state"])
    except RuntimeError as err:
        raise ProviderError(f"{path}: the weights do not fit the recorded architecture: {err}") from None
    return net.eval(), {k: v for k, v in data.items() if k != "state"}
