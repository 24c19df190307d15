"""Symmetry augmentation of film data (m or H, shape (..., 3*layers, nx, ny)) that respects the
physics: the demag operator commutes with rotations and mirror images of the whole film, as long
as the vector components turn with the grid."""
import torch


def _components(x):
    """View (..., 3L, nx, ny) as (..., L, 3, nx, ny)."""
    return x.reshape(*x.shape[:-3], x.shape[-3] // 3, 3, *x.shape[-2:])


def rotate90(x, k=1):
    """Rotate the film by k x 90 degrees counterclockwise about z: the grid turns and the in-plane
    components turn with it, (vx, vy) -> (-vy, vx) per quarter turn."""
    v = _components(x)
    for _ in range(k % 4):
        v = torch.rot90(v, 1, dims=(-2, -1))
        v = torch.stack([-v[..., 1, :, :], v[..., 0, :, :], v[..., 2, :, :]], dim=-3)
    return v.reshape(x.shape[:-2] + v.shape[-2:])


def flip(x, axis):
    """Mirror the film across the plane normal to ``axis`` (0: x, 1: y): the grid flips along that
    axis and the matching in-plane component changes sign."""
    v = _components(x).flip(-2 + axis)
    sign = torch.ones(3, 1, 1, dtype=x.dtype, device=x.device)
    sign[axis] = -1
    return (v * sign).reshape(x.shape)
