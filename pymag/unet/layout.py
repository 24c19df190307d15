"""Between pymag's field layout (..., 3, nx, ny, L) and the U-Net's image layout (N, 3L, nx, ny),
layer-major: channels (x, y, z) of layer 0, then of layer 1, ..."""


def to_channels(v):
    """(..., 3, nx, ny, L) -> (N, 3L, nx, ny), N the product of the leading dimensions."""
    nx, ny, L = v.shape[-3:]
    return v.reshape(-1, 3, nx, ny, L).permute(0, 4, 1, 2, 3).reshape(-1, 3 * L, nx, ny)


def from_channels(x, batch, layers):
    """(N, 3L, nx, ny) -> (*batch, 3, nx, ny, L)."""
    nx, ny = x.shape[-2:]
    return x.reshape(-1, layers, 3, nx, ny).permute(0, 2, 3, 4, 1).reshape(*batch, 3, nx, ny, layers)
