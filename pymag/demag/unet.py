"""Demag field of a thin film predicted by a trained NeuralMAG U-Net (seed 000).

The demag field in units of Ms depends only on the cells' aspect ratio, so one checkpoint
serves every Ms, region mix and cell size with the aspect ratio and layer count it was
trained on: the network sees M / Ms_ref and returns H_d / Ms_ref * field_scale.
"""
import math
import os

import torch

from ..errors import ProviderError, ShapeMismatchError
from . import providers
from .provider import DemagProvider

DEFAULT_MODEL = os.path.join(os.path.dirname(os.path.dirname(__file__)), "unet", "default_model.pt")


@providers.register("unet")
class UNetDemag(DemagProvider):
    """H_d (A/m) of M (A/m) on an nx x ny x L film from the U-Net checkpoint ``model``
    (default: the model shipped with pymag)."""

    def __init__(self, mesh, dtype=torch.float64, device="cpu", model=None):
        super().__init__(mesh, dtype, device)
        from ..unet.checkpoint import load_model
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
        self._in = 1.0 / meta["Ms_ref"]
        self._out = meta["Ms_ref"] / meta["field_scale"]

    def field(self, M):
        """Demag field H_d (A/m) of M (A/m), shape ``(..., 3, nx, ny, L)``."""
        n = tuple(self.mesh.n)
        if tuple(M.shape[-4:]) != (3,) + n:
            raise ShapeMismatchError(f"magnetization has shape {tuple(M.shape)}, the U-Net provider needs "
                                     f"(..., 3, {n[0]}, {n[1]}, {n[2]})")
        batch = M.shape[:-4]
        x = M.reshape(-1, 3, *n).permute(0, 4, 1, 2, 3).reshape(-1, 3 * n[2], n[0], n[1]) * self._in
        with torch.set_grad_enabled(M.requires_grad):
            h = self.net(x) * self._out
        return h.reshape(-1, n[2], 3, n[0], n[1]).permute(0, 2, 3, 4, 1).reshape(*batch, 3, *n)
