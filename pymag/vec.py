"""Vector-field arithmetic over the component axis (-4) of tensors (..., 3, nx, ny, nz).

Written with per-component operations: torch's generic norm and cross reductions over a
strided leading axis are 10-40x slower on large meshes.
"""
import torch


def dot(a, b):
    """a.b per cell, shape (..., nx, ny, nz)."""
    a0, a1, a2 = a.unbind(-4)
    b0, b1, b2 = b.unbind(-4)
    return torch.addcmul(torch.addcmul(a0 * b0, a1, b1), a2, b2)


def norm(a):
    """|a| per cell, shape (..., nx, ny, nz)."""
    return dot(a, a).sqrt_()


def cross(a, b):
    """a x b per cell, same shape as the inputs (broadcast)."""
    a0, a1, a2 = a.unbind(-4)
    b0, b1, b2 = b.unbind(-4)
    if a.requires_grad or b.requires_grad:  # out= arguments do not support autograd
        return torch.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], dim=-4)
    # torch.broadcast_shapes costs ~0.1 ms of Python per call: skip it when the shapes agree
    shape = a.shape if a.shape == b.shape else torch.broadcast_shapes(a.shape, b.shape)
    out = torch.empty(shape, dtype=torch.result_type(a, b), device=a.device)
    for o, (p, q, r, s) in zip(out.unbind(-4), ((a1, b2, a2, b1), (a2, b0, a0, b2), (a0, b1, a1, b0))):
        torch.mul(p, q, out=o).addcmul_(r, s, value=-1)
    return out
