"""U-Net training: loss eq. 18, a tiny model learning the exact demag field, resumable epochs."""
import pytest
import torch

import pymag as pm
from pymag.unet import isla, sla
from pymag.unet.checkpoint import FIELD_SCALE, load_model
from pymag.unet.train import loss_eq18, train


def samples(count=24, n=16, seed=0):
    """Random block states of a 2-layer film of 3 nm cubes (Ms = 1e6 A/m) and their exact FFT
    demag fields in units of Ms, as (count, 6, n, n) tensors m and h = H_d / Ms."""
    system = pm.System(pm.Mesh(n=(n, n, 2), cell=(3e-9,) * 3), material={"Ms": 1e6},
                       terms=[pm.Demag()], m=(1, 0, 0))
    ms, hs = [], []
    for k in range(count):
        system.m = pm.init.random_blocks(4, seed=seed + k)
        H = system.field("demag")
        ms.append(system.m.permute(3, 0, 1, 2).reshape(6, n, n))
        hs.append(H.permute(3, 0, 1, 2).reshape(6, n, n))
    return torch.stack(ms).float(), torch.stack(hs).float() / 1e6


def test_loss_is_zero_only_for_the_exact_field():
    target = torch.tensor([[-3000.0, -0.5, 0.0, 2.0, 1e4]], dtype=torch.float64)
    assert float(loss_eq18(sla(target), target)) == pytest.approx(0.0, abs=1e-12)
    assert float(loss_eq18(sla(target) + 0.01, target)) > 0


def test_tiny_model_learns_the_demag_field(tmp_path):
    m, H = samples()
    history = train((m, H), tmp_path / "tiny.pt", aspect=(1.0, 1.0), epochs=30, batch=4, lr=3e-2,
                    channels=4, log=lambda s: None)
    first, last = history[0], history[-1]
    assert last[1] < 0.5 * first[1]          # training loss at least halves
    assert last[3] < 0.8 < first[3]          # the untrained net misses H entirely (error ~1); this one learns
    net, meta = load_model(tmp_path / "tiny.pt")
    # the model file holds the epoch with the lowest validation error
    best = min(history, key=lambda h: h[3])
    assert meta["channels"] == 4 and meta["info"]["epoch"] == best[0] == len(meta["info"]["history"])
    # fine-tuning starts from those weights (a fresh net would be back at error ~1)
    tuned = train((m, H), tmp_path / "tuned.pt", epochs=1, batch=4, lr=1e-3, init=tmp_path / "tiny.pt",
                  log=lambda s: None)
    assert tuned[0][3] < 0.8 and load_model(tmp_path / "tuned.pt")[1]["channels"] == 4
    with pytest.raises(pm.PymagError, match="layer"):
        train((m[:, :3], H[:, :3]), tmp_path / "one.pt", epochs=1, init=tmp_path / "tiny.pt")
    with pytest.raises(pm.PymagError, match="aspect"):
        train((m, H), tmp_path / "flat.pt", aspect=(1.0, 0.5), epochs=1, init=tmp_path / "tiny.pt")


def test_network_learns_the_far_field_beside_the_exact_near_field(tmp_path):
    m, H = samples()
    history = train((m, H), tmp_path / "near.pt", epochs=30, batch=4, lr=3e-2, channels=4, near=2,
                    log=lambda s: None)
    net, meta = load_model(tmp_path / "near.pt")
    assert meta["near"] == 2
    with torch.no_grad():
        target = H * FIELD_SCALE
        near_only = float(net.far(m, target).norm() / target.norm())
        # the exact part within 2 cells leaves a fifth of the field; the network supplies much of it
        assert 0.1 < near_only and min(h[3] for h in history) < 0.75 * near_only
        assert float((net(m) - target).norm() / target.norm()) < 0.75 * near_only
    # a trained paper U-Net (near = 0) can start a training with a near field, and back
    plain = tmp_path / "plain.pt"
    train((m, H), plain, epochs=1, batch=4, channels=4, log=lambda s: None)
    train((m, H), tmp_path / "to_near.pt", epochs=1, batch=4, init=plain, near=2, log=lambda s: None)
    train((m, H), tmp_path / "back.pt", epochs=1, batch=4, init=tmp_path / "near.pt", log=lambda s: None)
    assert load_model(tmp_path / "back.pt")[0].near == 0


def test_training_resumes_from_the_last_epoch(tmp_path):
    m, H = samples(count=8)
    quiet = dict(aspect=(1.0, 1.0), batch=4, channels=4, log=lambda s: None)
    two = train((m, H), tmp_path / "r.pt", epochs=2, **quiet)
    four = train((m, H), tmp_path / "r.pt", epochs=4, **quiet)
    assert len(four) == 4 and four[:2] == two


def test_weight_average_is_what_is_validated_and_saved(tmp_path):
    m, H = samples()
    # with no validation split every epoch is kept, so the file holds the last average
    history = train((m, H), tmp_path / "e.pt", epochs=30, batch=4, lr=3e-2, channels=4, ema=0.9,
                    val_fraction=0.0, log=lambda s: None)
    assert history[-1][1] < 0.5 * history[0][1]
    saved = load_model(tmp_path / "e.pt")[0].state_dict()
    state = torch.load(tmp_path / "e.pt.state", weights_only=True)
    averaged = {k[len("module."):]: v for k, v in state["average"].items() if k.startswith("module.")}
    assert set(averaged) == set(saved) and all(torch.equal(saved[k], averaged[k]) for k in saved)
    last = state["net"]
    assert not all(torch.equal(averaged[k], last[k]) for k in last if last[k].is_floating_point())
    with pytest.raises(pm.PymagError, match="ema"):   # resuming without the average it was written with
        train((m, H), tmp_path / "e.pt", epochs=31, batch=4, channels=4, val_fraction=0.0, log=lambda s: None)
    with pytest.raises(pm.PymagError, match="decay"):
        train((m, H), tmp_path / "x.pt", ema=1.5)


def test_bad_training_data_is_refused(tmp_path):
    m = torch.zeros(4, 6, 16, 16)
    with pytest.raises(pm.PymagError, match="shape"):
        train((m, torch.zeros(4, 3, 16, 16)), tmp_path / "x.pt", aspect=(1, 1))
    with pytest.raises(pm.PymagError, match="NaN"):
        train((m, torch.full((4, 6, 16, 16), float("nan"))), tmp_path / "x.pt", aspect=(1, 1))
