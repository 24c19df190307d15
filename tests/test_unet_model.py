"""NeuralMAG U-Net building blocks: SLA/ISLA, the s0-s11 layout, padding, and augmentation that
commutes with the exact demag operator."""
import numpy as np
import pytest
import torch

import pymag as pm
from pymag.unet import UNet, flip, isla, rotate90, sla
from pymag.unet.layout import to_channels
from pymag.unet.near import near_stencil


def test_sla_is_the_papers_log_and_isla_inverts_it():
    # seed 000 eq. 14-17: y = ln(x + 1) for x >= 0, -ln(-x + 1) below
    x = torch.tensor([-1e4, -3.0, -1e-4, 0.0, 1e-4, 2.5, 1e4], dtype=torch.float64)
    expected = torch.where(x >= 0, torch.log(x + 1), -torch.log(-x + 1))
    assert torch.allclose(sla(x), expected, rtol=1e-12, atol=0)  # log1p is the more accurate of the two
    assert torch.allclose(isla(sla(x)), x, rtol=1e-12, atol=1e-18)


def test_layout_follows_section_4_2():
    net = UNet(layers=2)
    assert net.s0.in_channels == 6 and net.s0.out_channels == 16 and net.s0.kernel_size == (3, 3)
    widths = [stage[2].out_channels for stage in net.down]
    assert widths == [32, 64, 128, 256]
    assert all(isinstance(stage[0], torch.nn.AvgPool2d) and stage[1].negative_slope == 0.2 for stage in net.down)
    ups = [stage[1] for stage in net.up]
    assert [u.out_channels for u in ups] == [128, 64, 32, 16]
    assert all(u.kernel_size == (4, 4) and u.stride == (2, 2) for u in ups)
    dropout = [any(isinstance(m, torch.nn.Dropout) for m in stage) for stage in net.up]
    assert dropout == [False, True, True, False]  # s6 and s7 only
    assert isinstance(net.s9[2], torch.nn.Tanh) and net.s10.kernel_size == (1, 1) and net.s10.out_channels == 6
    bn = [m for m in net.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert all(torch.all(m.weight == 1) and torch.all(m.bias == 0) for m in bn)


@pytest.mark.parametrize("size", [(16, 16), (20, 36), (33, 17)])
def test_any_lateral_size_is_padded_and_cropped(size):
    net = UNet(layers=2).eval()
    x = torch.randn(3, 6, *size)
    y = net(x)
    assert y.shape == x.shape and torch.all(torch.isfinite(y))
    assert torch.allclose(isla(net(x, raw=True)), y)


def test_wrong_channel_count_is_refused():
    with pytest.raises(pm.ShapeMismatchError, match="6"):
        UNet(layers=2)(torch.zeros(1, 3, 16, 16))


def film_field(m):
    """Exact demag field (A/m) of a 2-layer film of 3 nm cubes, m given as (6, nx, ny), Ms = 8e5."""
    nx, ny = m.shape[-2:]
    system = pm.System(pm.Mesh(n=(nx, ny, 2), cell=(3e-9,) * 3), material={"Ms": 8e5},
                       terms=[pm.Demag()], m=(1, 0, 0))
    mm = m.reshape(2, 3, nx, ny).permute(1, 2, 3, 0)  # (3, nx, ny, 2)
    H = system.field("demag", m=mm.contiguous())
    return H.permute(3, 0, 1, 2).reshape(6, nx, ny)


@pytest.mark.parametrize("transform", [lambda x: rotate90(x, 1), lambda x: rotate90(x, 3),
                                       lambda x: flip(x, 0), lambda x: flip(x, 1)])
def test_augmentation_commutes_with_the_demag_field(transform):
    # rotating or mirroring the film with its vector components must rotate or mirror the field
    rng = np.random.default_rng(3)
    m = torch.tensor(rng.normal(size=(6, 12, 12)))
    m = (m.reshape(2, 3, 12, 12) / m.reshape(2, 3, 12, 12).norm(dim=1, keepdim=True)).reshape(6, 12, 12)
    assert torch.allclose(film_field(transform(m)), transform(film_field(m)), rtol=0, atol=1e-9 * 8e5)


def test_quarter_turn_moves_x_to_y():
    # a film magnetized along +x, turned by 90 degrees counterclockwise, points along +y
    m = torch.zeros(3, 4, 4)
    m[0] = 1
    turned = rotate90(m)
    assert torch.allclose(turned[1], torch.ones(4, 4)) and torch.allclose(turned[0], torch.zeros(4, 4))
    assert torch.equal(rotate90(m, 4), m)


@pytest.mark.parametrize("cell", [(3e-9, 3e-9, 3e-9), (2e-9, 3e-9, 1e-9)])
def test_near_stencil_covering_the_film_is_the_exact_field(cell):
    # a stencil reaching every cell of the film is the whole Newell convolution
    rng = np.random.default_rng(5)
    m = torch.tensor(rng.normal(size=(3, 9, 7, 2)))
    system = pm.System(pm.Mesh(n=(9, 7, 2), cell=cell), material={"Ms": 1.0}, terms=[pm.Demag()], m=(1, 0, 0))
    exact = to_channels(system.field("demag", m=m) / system.Ms)
    W = near_stencil(8, layers=2, aspect=(cell[1] / cell[0], cell[2] / cell[0]))
    assert W.shape == (6, 6, 17, 17)
    near = torch.nn.functional.conv2d(to_channels(m), W, padding=8)
    assert torch.allclose(near, exact, rtol=0, atol=1e-12)


@pytest.mark.parametrize("radius", [-1, 1.5])
def test_near_radius_must_be_a_whole_number_of_cells(radius):
    with pytest.raises(pm.PymagError, match="radius"):
        UNet(layers=2, near=radius)


def test_near_field_is_added_to_the_networks_output():
    # with a silent s10 the U-Net answers its exact short-range part alone: here the whole field
    net = UNet(layers=2, near=11, field_scale=8e5).double().eval()
    torch.nn.init.zeros_(net.s10.weight)
    torch.nn.init.zeros_(net.s10.bias)
    rng = np.random.default_rng(7)
    m = torch.tensor(rng.normal(size=(6, 12, 10)))
    assert torch.allclose(net(m[None])[0], film_field(m), rtol=0, atol=1e-9 * 8e5)
    assert torch.equal(net(m[None], raw=True), torch.zeros(1, 6, 12, 10, dtype=torch.float64))
