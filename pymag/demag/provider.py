"""Base class of demag providers."""
import torch


class DemagProvider:
    """Computes the demagnetizing field of ``M`` on a fixed mesh.

    Subclasses register with ``@providers.register("name")`` and implement ``field``.
    ``available()`` may be overridden to say why the provider cannot run here.
    """

    name = None
    # True when the field is minus the gradient of an energy (a symmetric operator on M), as the
    # exact convolution is; a learned field is not, and ``minimize`` warns on it
    gradient = True
    # True when autograd can differentiate the field (run(differentiable=True), adjoint runs)
    differentiable = True

    def __init__(self, mesh, dtype=torch.float64, device="cpu"):
        self.mesh = mesh
        self.dtype = dtype
        self.device = torch.device(device)

    def field(self, M):
        """Demag field H_d (A/m) of magnetization M (A/m), shape ``(..., 3, nx, ny, nz)``."""
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}({self.mesh!r}, dtype={self.dtype}, device={self.device})"
