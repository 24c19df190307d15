"""Training of the U-Net on (M / Ms_ref, H_d scaled) pairs: loss eq. 18 of seed 000, symmetry
augmentation, a validation split, and a checkpoint every epoch that a later call resumes."""
import math
import os
import time

import torch

from ..errors import PymagError
from ..io.checkpoint import load_checkpoint, save_checkpoint
from .augment import flip, rotate90
from .checkpoint import FIELD_SCALE, MS_REF, save_model
from .model import UNet, isla, sla


def loss_eq18(raw, target, lam=1.0):
    """Seed 000 eq. 18: MSE(ISLA(raw), target) + lam MSE(raw, SLA(target)); ``raw`` is the
    network's s10 output, ``target`` the field in the network's units."""
    return torch.mean((isla(raw) - target) ** 2) + lam * torch.mean((raw - sla(target)) ** 2)


def augment(x, y, generator):
    """The same random quarter turn and mirror applied to input and target (a symmetry of demag)."""
    k = int(torch.randint(4, (1,), generator=generator))
    x, y = rotate90(x, k), rotate90(y, k)
    if torch.rand(1, generator=generator) < 0.5:
        x, y = flip(x, 0), flip(y, 0)
    return x, y


def _split(n, fraction, generator):
    order = torch.randperm(n, generator=generator)
    n_val = max(1, int(round(n * fraction))) if fraction > 0 else 0
    return order[n_val:], order[:n_val]


def train(m, H, path, aspect, epochs=10, batch=16, lr=1e-3, lam=None, val_fraction=0.1, channels=16,
          Ms_ref=MS_REF, field_scale=FIELD_SCALE, seed=0, log=print):
    """Train a U-Net on inputs ``m`` = M/Ms_ref and fields ``H`` (A/m), tensors (N, 3L, nx, ny)
    of one lateral size, for cells of ``aspect`` = (dy/dx, dz/dx). Writes ``path`` (the model,
    see ``save_model``) and ``path + '.state'`` (optimizer, epoch, history) after every epoch;
    calling again with the same arguments goes on from the last finished epoch. Returns the
    history: a list of (epoch, train loss, validation loss, validation relative L2 error of H).
    ``lam`` (eq. 18's weight; the paper gives no value) defaults to the ratio of the two terms'
    scales on the data, mean(H^2) / mean(SLA(H)^2), so that neither term swamps the other."""
    if m.shape != H.shape or m.dim() != 4 or m.shape[1] % 3:
        raise PymagError(f"training data must be two tensors (N, 3L, nx, ny) of one shape, got {tuple(m.shape)} "
                         f"and {tuple(H.shape)}")
    if not torch.all(torch.isfinite(m)) or not torch.all(torch.isfinite(H)):
        raise PymagError("training data contains NaN or infinite values")
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    net = UNet(layers=m.shape[1] // 3, channels=channels)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    target = H * (field_scale / Ms_ref)
    if lam is None:
        lam = float(torch.mean(target**2) / torch.mean(sla(target) ** 2))
    train_idx, val_idx = _split(len(m), val_fraction, generator)
    state_path = os.fspath(path) + ".state"
    history, start = [], 0
    if os.path.exists(state_path):
        state = load_checkpoint(state_path)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        generator.set_state(state["generator"])
        history, start = [tuple(h) for h in state["history"]], int(state["epoch"])
    for epoch in range(start, epochs):
        begin = time.perf_counter()
        net.train()
        order = train_idx[torch.randperm(len(train_idx), generator=generator)]
        total = 0.0
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            x, y = augment(m[idx], target[idx], generator)
            optimizer.zero_grad()
            loss = loss_eq18(net(x, raw=True), y, lam)
            loss.backward()
            optimizer.step()
            total += float(loss.detach()) * len(idx)
        val_loss, val_err = evaluate(net, m[val_idx], target[val_idx], lam) if len(val_idx) else (math.nan,) * 2
        history.append((epoch + 1, total / len(order), val_loss, val_err))
        save_model(path, net, aspect, Ms_ref, field_scale, history=[list(h) for h in history])
        save_checkpoint(state_path, {"net": net.state_dict(), "optimizer": optimizer.state_dict(),
                                     "generator": generator.get_state(), "epoch": epoch + 1,
                                     "history": [list(h) for h in history]})
        log(f"epoch {epoch + 1}/{epochs}: train loss {history[-1][1]:.4g}, validation loss {val_loss:.4g}, "
            f"relative L2 error of H {val_err:.4g} [{time.perf_counter() - begin:.1f} s]")
    return history


@torch.no_grad()
def evaluate(net, m, target, lam=1.0):
    """(loss eq. 18, relative L2 error ||H_pred - H|| / ||H||) of ``net`` in eval mode."""
    net.eval()
    raw = net(m, raw=True)
    return float(loss_eq18(raw, target, lam)), float(torch.linalg.vector_norm(isla(raw) - target)
                                                      / torch.linalg.vector_norm(target))
