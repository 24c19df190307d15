"""The NeuralMAG U-Net (seed 000, section 4.2): a film's magnetization in, its demag field out.

Input and output have 3 channels per layer of the film (x, y, z components of layer 0, then
layer 1, ...), on an nx x ny grid. Layout, with c = 16:

    s0      3x3 conv, 3L -> c
    s1..s4  avg-pool 2, LeakyReLU(0.2), 3x3 conv doubling the channels, batch norm
    s5..s8  ReLU, 4x4 transposed conv with stride 2 halving the channels, batch norm
            (dropout 0.2 in s6 and s7); the encoder output of the same size is added
    s9      3x3 conv, batch norm, Tanh
    s10     1x1 conv, c -> 3L
    s11     inverse symmetric log activation (ISLA)

The four poolings need sides that are multiples of 16: ``forward`` pads other sizes with
empty cells (m = 0, which is exact: an empty cell carries no magnetization) and crops back.

With ``near=r > 0`` (not in seed 000) the exact field of the cells within r cells is added to
the output (``near.near_stencil``) and the network learns only the remaining far field.
"""
import torch
from torch import nn

from ..errors import ShapeMismatchError
from .near import near_stencil

MULTIPLE = 16  # 2**4: four poolings


def sla(x):
    """Symmetric log activation, sign(x) ln(1 + |x|) (seed 000, eq. 14-15)."""
    return torch.sign(x) * torch.log1p(torch.abs(x))


def isla(y):
    """Inverse of ``sla``: sign(y) (exp|y| - 1) (seed 000, eq. 16-17)."""
    return torch.sign(y) * torch.expm1(torch.abs(y))


class _Down(nn.Sequential):
    def __init__(self, c):
        super().__init__(nn.AvgPool2d(2), nn.LeakyReLU(0.2), nn.Conv2d(c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c))


class _Up(nn.Sequential):
    def __init__(self, c, dropout):
        layers = [nn.ReLU(), nn.ConvTranspose2d(c, c // 2, 4, stride=2, padding=1), nn.BatchNorm2d(c // 2)]
        super().__init__(*layers, *([nn.Dropout(0.2)] if dropout else []))


class UNet(nn.Module):
    """The U-Net for a film of ``layers`` layers; ``forward(x)`` maps (B, 3*layers, nx, ny) to
    the same shape. ``raw=True`` returns the s10 output (SLA space) without s11, for the loss.
    ``near`` > 0 adds the exact field of the cells within that many cells, for cells of
    ``aspect`` = (dy/dx, dz/dx), in units of ``field_scale`` per unit of m."""

    def __init__(self, layers=2, channels=16, near=0, aspect=(1.0, 1.0), field_scale=1.0):
        super().__init__()
        self.layers = layers
        if near:
            self.register_buffer("near_weight", near_stencil(near, layers, aspect) * field_scale)
        self.near = int(near)
        c = channels
        self.s0 = nn.Conv2d(3 * layers, c, 3, padding=1)
        self.down = nn.ModuleList([_Down(c * 2**k) for k in range(4)])
        self.up = nn.ModuleList([_Up(c * 2**(4 - k), dropout=k in (1, 2)) for k in range(4)])
        self.s9 = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.Tanh())
        self.s10 = nn.Conv2d(c, 3 * layers, 1)
        self._initialize()

    def _initialize(self):
        """Kaiming normal: fan_out for convolutions, fan_in for transposed ones; batch norm 1, 0."""
        for module in self.modules():
            if isinstance(module, nn.ConvTranspose2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_in")
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out")
                nn.init.zeros_(module.bias)
            elif isinstance(module, nn.BatchNorm2d):
                nn.init.ones_(module.weight)
                nn.init.zeros_(module.bias)

    def forward(self, x, raw=False):
        if x.dim() != 4 or x.shape[1] != 3 * self.layers:
            raise ShapeMismatchError(f"the U-Net for {self.layers} layer(s) takes (batch, {3 * self.layers}, nx, ny), "
                                     f"got {tuple(x.shape)}")
        nx, ny = x.shape[-2:]
        px, py = -nx % MULTIPLE, -ny % MULTIPLE
        if px or py:
            x = nn.functional.pad(x, (0, py, 0, px))
        skips = [self.s0(x)]
        for stage in self.down:
            skips.append(stage(skips[-1]))
        h = skips.pop()
        for stage in self.up:
            h = stage(h) + skips.pop()
        y = self.s10(self.s9(h))[..., :nx, :ny]
        if raw:
            return y
        return isla(y) + self._near_field(x[..., :nx, :ny]) if self.near else isla(y)

    def far(self, x, h):
        """The part of the field h (output units) of input images x (N, 3L, nx, ny) that the
        network learns: h less the exact near field, h itself when near = 0."""
        return h - self._near_field(x) if self.near else h

    def _near_field(self, x):
        return nn.functional.conv2d(x, self.near_weight.to(x.dtype), padding=self.near)
