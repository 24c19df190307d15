"""Training of the U-Net on (M / Ms_ref, H_d / Ms_ref) pairs: loss eq. 18 of seed 000,
symmetry augmentation, a validation split per film size, a cosine learning-rate decay, an
optional running average of the weights, and a checkpoint every epoch that a later call
resumes; the model file holds the epoch with the lowest validation error."""
import math
import os
import time

import torch
from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

from ..errors import PymagError
from ..io.checkpoint import load_checkpoint, save_checkpoint
from .augment import flip, rotate90
from .checkpoint import FIELD_SCALE, MS_REF, load_model, save_model
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


def _groups(data):
    """{size: (m, h)} from a dict of pairs or from one pair, checked."""
    groups = data if isinstance(data, dict) else {"all": data}
    if not groups:
        raise PymagError("no training data")
    layers = None
    for key, (m, h) in groups.items():
        if m.shape != h.shape or m.dim() != 4 or m.shape[1] % 3:
            raise PymagError(f"training data must be pairs of tensors (N, 3L, nx, ny) of one shape, got "
                             f"{tuple(m.shape)} and {tuple(h.shape)}")
        if layers not in (None, m.shape[1]):
            raise PymagError("all training data must have the same number of layers")
        layers = m.shape[1]
        if not torch.all(torch.isfinite(m)) or not torch.all(torch.isfinite(h)):
            raise PymagError("training data contains NaN or infinite values")
    return groups


def _split(n, fraction, generator):
    order = torch.randperm(n, generator=generator)
    n_val = max(1, int(round(n * fraction))) if fraction > 0 else 0
    return order[n_val:], order[:n_val]


def _rate(lr, done):
    """Cosine decay from ``lr`` to lr / 50 as the fraction ``done`` of training goes from 0 to 1."""
    return lr * (0.02 + 0.49 * (1 + math.cos(math.pi * min(done, 1.0))))


def train(data, path, aspect=(1.0, 1.0), epochs=10, batch=16, lr=1e-3, lam=None, val_fraction=0.1, channels=16,
          field_scale=FIELD_SCALE, seed=0, minutes=None, max_minutes=None, init=None, ema=None, near=0, log=print,
          **info):
    """Train a U-Net on ``data``: {size: (m, h)} or one pair, with inputs m = M / Ms_ref and
    targets h = H_d / Ms_ref, tensors (N, 3L, nx, ny), for cells of ``aspect`` = (dy/dx, dz/dx).

    The network learns h * field_scale (by default H in Oe for Ms_ref = 1000 emu/cc, the
    paper's units). Batches hold one size each. After every epoch writes ``path + '.state'``
    and, when the pooled validation error is the lowest so far (or there is no validation
    split), ``path`` (the model, see ``save_model``; ``info`` goes into its metadata);
    calling again with the same arguments goes on from the last finished epoch, and
    ``max_minutes`` ends a call after the epoch that passes that budget. The learning rate
    decays over ``epochs``, or with ``minutes`` over that much training time in all calls
    together (training then ends when the time is spent, ``epochs`` being an upper bound).
    Returns the history:
    a list of (epoch, train loss, validation loss, validation relative L2 error of H).
    ``lam`` (eq. 18's weight; the paper gives no value) defaults to the ratio of the two
    terms' scales on the data, mean(H^2) / mean(SLA(H)^2), so that neither swamps the other.
    ``init`` (a checkpoint path) starts from a trained model's weights with a fresh optimizer
    and learning-rate schedule (fine-tuning); its layer count must match the data.
    ``ema`` (a decay per step, e.g. 0.998) validates and saves an exponential moving average
    of the weights and batch-norm statistics instead of the last step's network.
    ``near`` > 0 adds the exact field of the cells within that many cells to the network's
    output (``UNet``), so that the network learns the far field only (eq. 18 on that part)."""
    groups = _groups(data)
    generator = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    layers = next(iter(groups.values()))[0].shape[1] // 3
    net = _initial(init, layers, channels, aspect, field_scale, near).to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(net.parameters(), lr=lr)
    if ema is not None and not 0.0 < ema < 1.0:
        raise PymagError(f"ema is a decay per step between 0 and 1, got {ema}")
    average = None if ema is None else AveragedModel(net, multi_avg_fn=get_ema_multi_avg_fn(ema), use_buffers=True)
    kept = net if average is None else average.module
    splits = {key: _split(len(m), val_fraction, generator) for key, (m, _) in groups.items()}
    if lam is None:
        t = torch.cat([_far(net, m[tr], h[tr] * field_scale).flatten() for (m, h), (tr, _) in
                       ((groups[k], splits[k]) for k in groups)])
        lam = float(torch.mean(t**2) / torch.mean(sla(t) ** 2))
    steps_per_epoch = sum(math.ceil(len(tr) / batch) for tr, _ in splits.values())
    state_path = os.fspath(path) + ".state"
    history, start, validation, spent, best = [], 0, {}, 0.0, math.inf
    if os.path.exists(state_path):
        state = load_checkpoint(state_path)
        net.load_state_dict(state["net"])
        optimizer.load_state_dict(state["optimizer"])
        if (average is None) != (state.get("average") is None):
            raise PymagError(f"{state_path} was written {'without' if average is not None else 'with'} a moving "
                             "average of the weights (ema); resume with the same ema or start a new model path")
        if average is not None:
            average.load_state_dict(state["average"])
        generator.set_state(state["generator"])
        history, start = [tuple(h) for h in state["history"]], int(state["epoch"])
        spent, best = float(state["spent"]), float(state.get("best", math.inf))
    begin_call = time.perf_counter()
    budget = None if minutes is None else 60.0 * minutes
    for epoch in range(start, epochs):
        if budget is not None and spent >= budget:
            break
        begin = time.perf_counter()
        net.train()
        chunks = [(key, tr[i:i + batch]) for key, (tr, _) in splits.items()
                  for tr in [tr[torch.randperm(len(tr), generator=generator)]] for i in range(0, len(tr), batch)]
        total, count = 0.0, 0
        for n, j in enumerate(torch.randperm(len(chunks), generator=generator).tolist()):
            key, idx = chunks[j]
            m, h = groups[key]
            x, y = (t.contiguous(memory_format=torch.channels_last)
                    for t in augment(m[idx], h[idx] * field_scale, generator))
            elapsed = spent + time.perf_counter() - begin
            if budget is not None and elapsed >= budget:
                break
            done = (elapsed / budget) if budget is not None else (epoch * steps_per_epoch + n) / (epochs * steps_per_epoch)
            for g in optimizer.param_groups:
                g["lr"] = _rate(lr, done)
            optimizer.zero_grad()
            loss = loss_eq18(net(x, raw=True), net.far(x, y), lam)
            loss.backward()
            optimizer.step()
            if average is not None:
                average.update_parameters(net)
            total += float(loss.detach()) * len(idx)
            count += len(idx)
        validation = {key: evaluate(kept, groups[key][0][va], groups[key][1][va] * field_scale, lam)
                      for key, (_, va) in splits.items() if len(va)}
        val_loss, val_err = _pooled(validation, {k: len(v) for k, (_, v) in splits.items()})
        spent += time.perf_counter() - begin
        history.append((epoch + 1, total / max(count, 1), val_loss, val_err))
        if not val_err >= best:  # an improvement, or no validation split (NaN)
            best = val_err if val_err == val_err else best
            save_model(path, kept, aspect, MS_REF, field_scale, history=[list(h) for h in history],
                       validation={str(k): {"loss": v[0], "relative_error": v[1]} for k, v in validation.items()},
                       epoch=epoch + 1, lam=lam, lr=lr, batch=batch, epochs=epochs, minutes=minutes, ema=ema,
                       train_seconds=spent, **info)
        save_checkpoint(state_path, {"net": net.state_dict(), "optimizer": optimizer.state_dict(),
                                     "average": None if average is None else average.state_dict(),
                                     "generator": generator.get_state(), "epoch": epoch + 1,
                                     "history": [list(h) for h in history], "spent": spent, "best": best})
        sizes = ", ".join(f"{k}: {v[1]:.3g}" for k, v in validation.items())
        log(f"epoch {epoch + 1}/{epochs}: train loss {history[-1][1]:.4g}, validation loss {val_loss:.4g}, "
            f"relative L2 error of H {val_err:.4g} ({sizes}) [{time.perf_counter() - begin:.1f} s]"
            + (" (kept)" if best == val_err else ""))
        if max_minutes is not None and time.perf_counter() - begin_call > 60 * max_minutes and epoch + 1 < epochs:
            log(f"stopping after epoch {epoch + 1}: the {max_minutes} min budget is spent; run again to go on")
            break
    return history


def _initial(init, layers, channels, aspect, field_scale, near):
    """A fresh Kaiming-initialized U-Net, or one with the weights (and width) of checkpoint
    ``init``, checked against the data's layers, cell aspect and output units."""
    if init is None:
        return UNet(layers=layers, channels=channels, near=near, aspect=aspect, field_scale=field_scale)
    trained, meta = load_model(init)
    if meta["layers"] != layers:
        raise PymagError(f"{init} is a U-Net for {meta['layers']} layer(s); the data has {layers}")
    if not (math.isclose(meta["field_scale"], field_scale, rel_tol=1e-9)
            and all(math.isclose(a, b, rel_tol=1e-9) for a, b in zip(meta["aspect"], aspect))):
        raise PymagError(f"{init} was trained for cell aspect {meta['aspect']} and field scale {meta['field_scale']}, "
                         f"this training is for {list(aspect)} and {field_scale}")
    net = UNet(layers=layers, channels=meta["channels"], near=near, aspect=aspect, field_scale=field_scale)
    weights = {k: v for k, v in trained.state_dict().items() if k != "near_weight"}
    if net.near:
        weights["near_weight"] = net.near_weight
    net.load_state_dict(weights)
    return net


@torch.no_grad()
def _far(net, m, target, batch=64):
    """``target`` less the exact short-range field ``net`` adds (the part the network learns)."""
    return torch.cat([net.far(m[i:i + batch], target[i:i + batch]) for i in range(0, len(m), batch)])


def _pooled(validation, counts):
    """Sample-weighted validation loss and the relative error pooled over sizes."""
    if not validation:
        return math.nan, math.nan
    n = sum(counts[k] for k in validation)
    loss = sum(v[0] * counts[k] for k, v in validation.items()) / n
    err = math.sqrt(sum(v[1] ** 2 * counts[k] for k, v in validation.items()) / n)
    return loss, err


@torch.no_grad()
def evaluate(net, m, target, lam=1.0, batch=64):
    """(loss eq. 18, relative L2 error ||H_pred - H|| / ||H||) of ``net`` in eval mode."""
    net.eval()
    loss = err2 = norm2 = 0.0
    for i in range(0, len(m), batch):
        raw = net(m[i:i + batch], raw=True)
        t = target[i:i + batch]
        far = net.far(m[i:i + batch], t)
        loss += float(loss_eq18(raw, far, lam)) * len(t)
        err2 += float(torch.sum((isla(raw) - far) ** 2))  # the near field is exact
        norm2 += float(torch.sum(t**2))
    return loss / len(m), math.sqrt(err2 / norm2)
