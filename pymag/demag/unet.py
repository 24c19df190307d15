"""Demag field of a thin film predicted by a trained NeuralMAG U-Net (seed 000).

The demag field in units of Ms depends only on the cells' aspect ratio, so one checkpoint
serves every Ms, region mix and cell size with the aspect ratio and layer count it was
trained on. H_d is linear in M, so the network sees M / s with s = max |M| of each film
(unit amplitude, as in training) and returns H_d / s * field_scale. A checkpoint trained with
``near`` > 0 adds the exact field of the cells within that radius to the network's answer.
"""
import math
import os

import torch

from ..errors import ProviderError, ShapeMismatchError
from ..unet.checkpoint import DEFAULT_MODEL, load_model
from ..unet.layout import from_channels, to_channels
from . import providers
from .provider import DemagProvider


@providers.register("unet")
class UNetDemag(DemagProvider):
    """H_d (A/m) of M (A/m) on an nx x ny x L film from the U-Net checkpoint ``model``
    (default: the model shipped with pymag, ``pymag.unet.DEFAULT_MODEL``; the paper's U-Net
    without the exact near field is ``pymag.unet.PAPER_MODEL``)."""

    gradient = False

    def __init__(self, mesh, dtype=torch.float64, device="cpu", model=None):
        super().__init__(mesh, dtype, device)
        path = DEFAULT_MODEL if model is None else os.fspath(model)
        if not os.path.exists(path):
            raise ProviderError(f"no U-Net checkpoint at {path}" + (
                ": this pymag has no default model; train one with `python -m pymag.unet train` "
                "and pass Demag(method='unet', model=path)" if model is None else ""))
        net, meta = load_model(path)
        dx, dy, dz = mesh.cell
        aspect = (dy / dx, dz / dx)
        if mesh.n[2] != meta["layers"]:
            raise ProviderError(f"the U-Net in {path} was trained on films of {meta['layers']} layer(s); "
                                f"this mesh has {mesh.n[2]}: use method='fft' or a matching checkpoint")
        if not all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(aspect, meta["aspect"])):
            raise ProviderError(f"the U-Net in {path} was trained on cells with dy/dx, dz/dx = {tuple(meta['aspect'])}; "
                                f"this mesh has {aspect}: the demag field depends on the cell aspect ratio, "
                                "use method='fft' or a checkpoint trained on these cells")
        if any(mesh.pbc):
            raise ProviderError("the U-Net demag provider handles open boundaries only; use method='fft' with pbc")
        self.net = net.to(device=self.device, dtype=dtype)
        self.meta = meta

    def field(self, M):
        """Demag field H_d (A/m) of M (A/m), shape ``(..., 3, nx, ny, L)``."""
        n = tuple(self.mesh.n)
        if tuple(M.shape[-4:]) != (3,) + n:
            raise ShapeMismatchError(f"magnetization has shape {tuple(M.shape)}, the U-Net provider needs "
                                     f"(..., 3, {n[0]}, {n[1]}, {n[2]})")
        # H_d is linear in M: feed the network M / s with s = max |M| of each film, the
        # amplitude it was trained on, and scale its answer back by s
        scale = torch.linalg.vector_norm(M, dim=-4).amax(dim=(-3, -2, -1)).clamp_min(1e-30)
        scale = scale.reshape(-1, 1, 1, 1)
        with torch.set_grad_enabled(M.requires_grad):
            h = self._predict(to_channels(M) / scale) * (scale / self.meta["field_scale"])
        return from_channels(h, M.shape[:-4], n[2])

    def _predict(self, x):
        """The network's field (units of field_scale) for input images x (N, 3L, nx, ny)."""
        return self.net(x)
