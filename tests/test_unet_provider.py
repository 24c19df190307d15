"""The "unet" demag provider: checkpoint validation (layers, cell aspect, format) and field layout."""
import pytest
import torch

import pymag as pm
from pymag.unet import UNet
from pymag.unet.checkpoint import load_model, save_model


@pytest.fixture
def checkpoint(tmp_path):
    torch.manual_seed(0)
    path = tmp_path / "net.pt"
    save_model(path, UNet(layers=2), aspect=(1.0, 1.0), data="test")
    return path


def film(n=(20, 12, 2), cell=(3e-9, 3e-9, 3e-9), **demag):
    return pm.System(pm.Mesh(n=n, cell=cell), material={"Ms": 8e5},
                     terms=[pm.Demag(method="unet", **demag)], m=pm.init.random(seed=1))


def test_checkpoint_round_trip_keeps_weights_and_metadata(checkpoint):
    net, meta = load_model(checkpoint)
    assert meta["layers"] == 2 and meta["aspect"] == [1.0, 1.0] and meta["info"] == {"data": "test"}
    torch.manual_seed(0)
    fresh = UNet(layers=2)
    assert all(torch.equal(a, b) for a, b in zip(net.state_dict().values(), fresh.state_dict().values()))


def test_field_has_the_mesh_shape_and_is_batch_independent(checkpoint):
    system = film(model=checkpoint)
    H = system.field("demag")
    assert H.shape == (3, 20, 12, 2) and torch.all(torch.isfinite(H))
    provider = system.term("demag").provider
    M = system.Ms * torch.stack([system.m, -system.m])
    both = provider.field(M)
    assert torch.allclose(both[0], provider.field(M[0]), rtol=1e-10, atol=1e-6)


def test_any_cubic_cell_size_is_accepted(checkpoint):
    film(cell=(5e-9, 5e-9, 5e-9), model=checkpoint).field("demag")


def test_wrong_layer_count_is_refused(checkpoint):
    with pytest.raises(pm.ProviderError, match="2 layer"):
        film(n=(16, 16, 3), model=checkpoint).field("demag")


def test_wrong_cell_aspect_is_refused(checkpoint):
    with pytest.raises(pm.ProviderError, match="aspect"):
        film(cell=(3e-9, 3e-9, 1e-9), model=checkpoint).field("demag")


def test_missing_or_foreign_checkpoint_is_refused(tmp_path):
    with pytest.raises(pm.ProviderError, match="no U-Net checkpoint"):
        film(model=tmp_path / "absent.pt").field("demag")
    torch.save({"weights": torch.zeros(3)}, tmp_path / "other.pt")
    with pytest.raises(pm.ProviderError, match="lacks"):
        film(model=tmp_path / "other.pt").field("demag")
